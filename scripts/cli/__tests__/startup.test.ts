import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { PROJECT_ROOT } from '../../project';
import { CLI_ENTRY } from '../../testing/cli';

/**
 * Every `closed-loop` run builds the whole command tree, so what the command modules import at the top
 * is paid by every run, `--version` included. They declare flags and help at start-up and load their
 * implementations when they run (scripts/cli/lazy.ts). These tests run the built CLI (dist/) and list
 * what it loaded: none of the heavy parts may be among them just to print a version, help or a flag error.
 * (How long start-up takes is measured by `npm run bench -- cli`, not asserted here.)
 */

/** What start-up must not load: [what it is, how its path shows in require.cache]. */
const HEAVY: Array<[string, RegExp]> = [
  ['jsforce', /[\\/]node_modules[\\/]jsforce[\\/]/],
  ['@salesforce/source-deploy-retrieve', /[\\/]node_modules[\\/]@salesforce[\\/]source-deploy-retrieve[\\/]/],
  ['@jetstreamapp/soql-parser-js', /[\\/]node_modules[\\/]@jetstreamapp[\\/]soql-parser-js[\\/]/],
  ['@faker-js/faker', /[\\/]node_modules[\\/]@faker-js[\\/]faker[\\/]/],
  ['typescript', /[\\/]node_modules[\\/]typescript[\\/]/],
  ['playwright-core', /[\\/]node_modules[\\/]playwright-core[\\/]/],
  ['rollup', /[\\/]node_modules[\\/]rollup[\\/]/],
  ['the local org (dist/localorg, node:sqlite)', /[\\/]dist[\\/]localorg[\\/]/]
];

interface Loaded {
  code: number;
  stdout: string;
  stderr: string;
  /** require.cache keys at exit */
  modules: string[];
  /** process.moduleLoadList at exit (Node's own modules, e.g. "NativeModule sqlite") */
  builtins: string[];
}

let dir: string;
let hook: string;

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'closed-loop-startup-'));
  hook = path.join(dir, 'record-modules.js');
  // preloaded with --require: at exit, writes what the process loaded to $CLOSED_LOOP_LOADED_FILE
  fs.writeFileSync(
    hook,
    "process.on('exit', () => require('node:fs').writeFileSync(process.env.CLOSED_LOOP_LOADED_FILE, " +
      'JSON.stringify({ modules: Object.keys(require.cache), builtins: process.moduleLoadList })));\n'
  );
});

afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

let runs = 0;

/** `node --require <hook> <args>` from the project root; what it printed and what it loaded. */
function runRecorded(args: string[]): Promise<Loaded> {
  const file = path.join(dir, `loaded-${++runs}.json`);
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--require', hook, ...args], {
      cwd: PROJECT_ROOT,
      env: { ...process.env, FORCE_COLOR: '0', CLOSED_LOOP_LOADED_FILE: file },
      stdio: ['ignore', 'pipe', 'pipe']
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      try {
        const loaded = JSON.parse(fs.readFileSync(file, 'utf8')) as { modules: string[]; builtins: string[] };
        resolve({ code: code ?? 1, stdout, stderr, ...loaded });
      } catch (err) {
        reject(new Error(`no module list from node ${args.join(' ')} (exit ${code}): ${stderr}`, { cause: err }));
      }
    });
  });
}

/** The heavy parts among what a run loaded, each with the first module that shows it. */
function heavyIn(run: Loaded): string[] {
  const found: string[] = [];
  for (const [name, pattern] of HEAVY) {
    const hit = run.modules.find((m) => pattern.test(m));
    if (hit) found.push(`${name} (${path.relative(PROJECT_ROOT, hit)})`);
  }
  if (run.builtins.some((b) => /^NativeModule sqlite$/.test(b))) found.push('node:sqlite');
  return found;
}

const version = (JSON.parse(fs.readFileSync(path.join(PROJECT_ROOT, 'package.json'), 'utf8')) as { version: string }).version;

describe('closed-loop start-up', () => {
  it('sees a heavy package when one is loaded (the check below is not blind)', async () => {
    const run = await runRecorded(['-e', "require('jsforce'); require('node:sqlite')"]);
    expect(heavyIn(run)).toEqual(expect.arrayContaining([expect.stringMatching(/^jsforce /), 'node:sqlite']));
  });

  it('--version prints the version without loading any command implementation', async () => {
    const run = await runRecorded([CLI_ENTRY, '--version']);
    expect(run.code).toBe(0);
    expect(run.stdout.trim()).toBe(version);
    expect(heavyIn(run)).toEqual([]);
  });

  it('--help lists every command without loading their implementations', async () => {
    const run = await runRecorded([CLI_ENTRY, '--help']);
    expect(run.code).toBe(0);
    for (const command of ['localorg', 'calendar', 'validate', 'org', 'seed', 'sla', 'start', 'preview', 'report', 'scorecard']) {
      expect(run.stdout).toMatch(new RegExp(`^  ${command}\\b`, 'm'));
    }
    expect(heavyIn(run)).toEqual([]);
  });

  it("every command's --help, and a bad flag value, load none of the heavy parts", async () => {
    // one process: builds the program and prints each command's help (as `closed-loop <command> --help` does)
    const script = `
      const { buildProgram, run } = require(${JSON.stringify(path.join(PROJECT_ROOT, 'dist', 'cli', 'program'))});
      const paths = [];
      (function walk(cmd, at) {
        for (const c of cmd.commands) { paths.push([...at, c.name()]); walk(c, [...at, c.name()]); }
      })(buildProgram(), []);
      let text = '';
      const sink = { write: (s) => { text += s; return true; } };
      (async () => {
        const codes = {};
        for (const p of paths) codes[p.join(' ')] = await run(['node', 'closed-loop', ...p, '--help'], { out: sink, err: sink });
        codes['seed --leads -1'] = await run(['node', 'closed-loop', 'seed', '--leads', '-1'], { out: sink, err: sink });
        process.stdout.write(JSON.stringify({ codes, text }));
      })();`;
    const run = await runRecorded(['-e', script]);
    expect(run.stderr).toBe('');
    const { codes, text } = JSON.parse(run.stdout) as { codes: Record<string, number>; text: string };
    expect(Object.keys(codes)).toEqual(expect.arrayContaining(['org deploy', 'sla sync', 'calendar batch', 'localorg start', 'preview']));
    expect(codes).toEqual({ ...Object.fromEntries(Object.keys(codes).map((k) => [k, 0])), 'seed --leads -1': 2 });
    expect(text).toMatch(/closed-loop org deploy \[options\]/);
    expect(text).toMatch(/Usage: closed-loop sla sync \[options\]/);
    expect(text).toMatch(/--leads must be at least 0, got -1/);
    expect(heavyIn(run)).toEqual([]);
  });
});
