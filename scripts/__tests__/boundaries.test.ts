import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as os from 'node:os';
import * as path from 'node:path';
import { ESLint, type Linter } from 'eslint';
import * as ts from 'typescript';
import { PROJECT_ROOT } from '../project';

/**
 * The layers of scripts/ as eslint.config.js draws them, run through the repository's own ESLint
 * config: a probe file placed (virtually) in a layer imports another layer, and the lint says whether
 * that arrow is allowed. `npm run lint` holds the real tree to the same rules.
 */

// loaded with Node's own require, as ESLint loads it (ESLint's loader uses import(), which jest's runtime lacks)
const CONFIG = createRequire(__filename)(path.join(PROJECT_ROOT, 'eslint.config.js')) as Linter.Config[];
const SCRIPTS = path.join(PROJECT_ROOT, 'scripts');

/** Any module of a layer (relative to scripts/), so the probes keep working as files move inside it. */
function someModule(layer: string, not: (name: string) => boolean = () => false): string {
  const name = fs.readdirSync(path.join(SCRIPTS, layer)).find((n) => n.endsWith('.ts') && !not(n));
  if (!name) throw new Error(`no module in scripts/${layer}`);
  return `${layer}/${name.replace(/\.ts$/, '')}`;
}
const LOCALORG_INSIDE = someModule('localorg', (n) => n === 'testing.ts');
const CLOCK_RULE = someModule('sla', (n) => !n.startsWith('clock'));
const SYNC_PART = someModule('sla', (n) => !n.startsWith('sync'));
const ORG = someModule('org');
const REPORTS = someModule('reports');

/** The import/ findings of a probe at `file` (relative to the project) importing `spec`. */
async function lintProbe(
  eslint: ESLint,
  file: string,
  spec: string,
  style: 'import' | 'require' = 'import'
): Promise<Linter.LintMessage[]> {
  const code =
    style === 'import' ? `import * as probed from '${spec}';\nexport default probed;\n` : `export default require('${spec}') as unknown;\n`;
  const [result] = await eslint.lintText(code, { filePath: path.join(PROJECT_ROOT, file) });
  return result.messages.filter((m) => m.ruleId?.startsWith('import/'));
}

/** `spec` written from a probe in `fromDir` (relative to scripts/) to `target` (relative to scripts/). */
function from(fromDir: string, target: string): string {
  const rel = path.relative(path.join(SCRIPTS, fromDir), path.join(SCRIPTS, target)).split(path.sep).join('/');
  return rel.startsWith('.') ? rel : `./${rel}`;
}

describe('module boundaries (import/no-restricted-paths)', () => {
  // import/no-unresolved too: an import the resolver cannot follow would pass every zone unnoticed.
  // (import/no-cycle reads the linted file from disk, and a probe is not there.)
  const eslint = new ESLint({
    cwd: PROJECT_ROOT,
    overrideConfigFile: true,
    overrideConfig: [
      ...CONFIG,
      { files: ['scripts/**/*.ts'], rules: { 'import/no-unresolved': ['error', { commonjs: true }], 'import/no-cycle': 'off' } }
    ]
  });

  it.each([
    ['sla', 'localorg/testing', /Only the CLI starts the local org/],
    ['preview', 'localorg/testing', /Only the CLI starts the local org/],
    ['seed', LOCALORG_INSIDE, /Only the CLI starts the local org/],
    ['reports', 'cli/output', /Only scripts\/cli imports scripts\/cli/],
    ['org', 'cli/errors', /Only scripts\/cli imports scripts\/cli/],
    ['calendar', 'project', /scripts\/calendar is the date core/],
    ['localorg', 'seed/types', /The local org imports only scripts\/metadata, scripts\/project.ts and scripts\/calendar/],
    ['metadata', 'calendar', /scripts\/metadata, the one reader of source-format metadata, imports only scripts\/project.ts/],
    ['sla/__tests__', LOCALORG_INSIDE, /Tests start a local org with scripts\/localorg\/testing/],
    ['bench', LOCALORG_INSIDE, /Tests start a local org with scripts\/localorg\/testing/],
    ['reports/__tests__', 'cli/output', /Only scripts\/cli imports scripts\/cli/]
  ])('scripts/%s may not import scripts/%s', async (dir, target, message) => {
    const findings = await lintProbe(eslint, `scripts/${dir}/probe.ts`, from(dir, target));
    expect(findings).toEqual([expect.objectContaining({ ruleId: 'import/no-restricted-paths', message: expect.stringMatching(message) })]);
  });

  it('keeps scripts/project.ts free of imports of ours', async () => {
    expect(await lintProbe(eslint, 'scripts/project.ts', './calendar')).toEqual([
      expect.objectContaining({ message: expect.stringMatching(/scripts\/project.ts \(paths, API version\) imports nothing of ours/) })
    ]);
  });

  it('holds require() to the same rules as import', async () => {
    const findings = await lintProbe(eslint, 'scripts/sla/probe.ts', '../localorg/testing', 'require');
    expect(findings.map((m) => m.ruleId)).toEqual(['import/no-restricted-paths']);
  });

  it('keeps the SLA clock rules to scripts/calendar, and the SLA sync to scripts/sla, calendar and org', async () => {
    expect(await lintProbe(eslint, 'scripts/sla/clockProbe.ts', from('sla', ORG))).toEqual([
      expect.objectContaining({ message: expect.stringMatching(/The SLA clock rules import only each other and scripts\/calendar/) })
    ]);
    expect(await lintProbe(eslint, 'scripts/sla/clockProbe.ts', from('sla', SYNC_PART))).toEqual([
      expect.objectContaining({ message: expect.stringMatching(/The SLA clock rules import only/) })
    ]);
    expect(await lintProbe(eslint, 'scripts/sla/syncProbe.ts', from('sla', REPORTS))).toEqual([
      expect.objectContaining({
        message: expect.stringMatching(/The SLA sync imports only scripts\/sla, scripts\/calendar and scripts\/org/)
      })
    ]);
    expect(await lintProbe(eslint, 'scripts/sla/clockProbe.ts', from('sla', CLOCK_RULE))).toEqual([]);
    expect(await lintProbe(eslint, 'scripts/sla/clockProbe.ts', '../calendar')).toEqual([]);
    expect(await lintProbe(eslint, 'scripts/sla/syncProbe.ts', from('sla', ORG))).toEqual([]);
  });

  it.each([
    ['cli/commands', LOCALORG_INSIDE],
    ['cli/commands', 'seed'],
    ['localorg', 'metadata/objects'],
    ['localorg', 'project'],
    ['localorg', 'calendar'],
    ['metadata', 'project'],
    ['reports', 'calendar'],
    ['sla/__tests__', 'localorg/testing'],
    ['bench', 'localorg/testing'],
    ['testing', 'localorg/testing'],
    ['localorg/__tests__', LOCALORG_INSIDE],
    ['cli/__tests__', 'cli/output']
  ])('scripts/%s may import scripts/%s', async (dir, target) => {
    expect(await lintProbe(eslint, `scripts/${dir}/probe.ts`, from(dir, target))).toEqual([]);
  });
});

/**
 * Every cycle among the .ts files under `dir`, through any import: `import` and `import type`,
 * re-exports, require() and import(). Read with TypeScript's own pre-processor and module
 * resolution; each cycle is its files (relative to `dir`), sorted.
 */
function importCycles(dir: string): string[][] {
  const files: string[] = [];
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith('.ts')) files.push(p);
    }
  };
  walk(dir);
  const options: ts.CompilerOptions = { module: ts.ModuleKind.Node16, moduleResolution: ts.ModuleResolutionKind.Node16 };
  const imports = new Map<string, string[]>();
  for (const file of files) {
    const { importedFiles } = ts.preProcessFile(fs.readFileSync(file, 'utf8'), true, true);
    imports.set(
      file,
      importedFiles
        .filter((i) => i.fileName.startsWith('.'))
        .map((i) => ts.resolveModuleName(i.fileName, file, options, ts.sys).resolvedModule?.resolvedFileName)
        .filter((p): p is string => p !== undefined && p.endsWith('.ts'))
        .map((p) => path.resolve(p))
    );
  }
  // Tarjan's strongly connected components: a component of two or more files is a cycle
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const cycles: string[][] = [];
  const visit = (v: string) => {
    index.set(v, index.size);
    low.set(v, index.get(v)!);
    stack.push(v);
    onStack.add(v);
    for (const w of imports.get(v) ?? []) {
      if (!imports.has(w)) continue;
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) !== index.get(v)) return;
    const component: string[] = [];
    for (let w = stack.pop()!; ; w = stack.pop()!) {
      onStack.delete(w);
      component.push(path.relative(dir, w).split(path.sep).join('/'));
      if (w === v) break;
    }
    if (component.length > 1) cycles.push(component.sort());
  };
  for (const file of files) if (!index.has(file)) visit(file);
  return cycles;
}

describe('no import cycles', () => {
  let dir: string;
  let eslint: ESLint;
  beforeAll(() => {
    // real files (a cycle is found on disk), outside the project so nothing else sees them
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'closed-loop-cycle-'));
    const write = (file: string, code: string) => {
      fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
      fs.writeFileSync(path.join(dir, file), code);
    };
    write('scripts/seed/leads.ts', "import { deal } from './deals';\nexport const lead = () => deal();\n");
    write('scripts/seed/deals.ts', "import { lead } from './leads';\nexport const deal = () => lead;\n");
    write(
      'scripts/cli/start.ts',
      "import { step } from './sla';\nexport interface Step {\n  name: string;\n}\nexport const steps = [step];\n"
    );
    write('scripts/cli/sla.ts', "import type { Step } from './start';\nexport const step: Step = { name: 'sync' };\n");
    eslint = new ESLint({ cwd: dir, overrideConfigFile: true, overrideConfig: CONFIG });
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('a two-file cycle fails the lint (import/no-cycle), from both sides', async () => {
    const results = await eslint.lintFiles(['scripts/seed/leads.ts', 'scripts/seed/deals.ts']);
    expect(results.map((r) => r.messages.map((m) => [m.ruleId, m.message]))).toEqual([
      [['import/no-cycle', 'Dependency cycle detected.']],
      [['import/no-cycle', 'Dependency cycle detected.']]
    ]);
  });

  it('a cycle closed by `import type` passes import/no-cycle (erased at build) but not the import walk', async () => {
    const results = await eslint.lintFiles(['scripts/cli/start.ts', 'scripts/cli/sla.ts']);
    expect(results.flatMap((r) => r.messages)).toEqual([]);
    expect(importCycles(path.join(dir, 'scripts'))).toEqual(expect.arrayContaining([['cli/sla.ts', 'cli/start.ts']]));
  });

  it('scripts/ has none, type imports and tests included', () => {
    expect(importCycles(SCRIPTS)).toEqual([]);
  });
});
