import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { OutputChunk, Plugin, RollupLog } from 'rollup';
import { PROJECT_ROOT } from '../project';
import { FLEXIPAGE_DIR, LWC_DIR, readBundles, type LwcBundle } from './components';
import { readPages, type PreviewPage } from './pages';

// The bundler and the compilers load when a build runs, not with this module: `npm start` with a cached
// build (cachedBuild) would otherwise spend a second or more loading rollup, the LWC compiler and TypeScript.
/* eslint-disable @typescript-eslint/no-require-imports -- loaded on first use, typed by typeof import() */
const bundler = () => ({
  rollup: (require('rollup') as typeof import('rollup')).rollup,
  replace: defaultExport(require('@rollup/plugin-replace') as typeof import('@rollup/plugin-replace')),
  lwc: defaultExport(require('@lwc/rollup-plugin') as typeof import('@lwc/rollup-plugin'))
});
const typescript = () => require('typescript') as typeof import('typescript');
/* eslint-enable @typescript-eslint/no-require-imports */

/** A CommonJS package's function, exported as `module.exports` or as `exports.default`. */
function defaultExport<F>(m: F | { default: F }): F {
  return typeof m === 'object' && m !== null && 'default' in m ? m.default : (m as F);
}
/**
 * Builds the package's components for the browser with LWC OSS, exactly from force-app's source:
 * rollup + @lwc/rollup-plugin, lightning-base-components from npm, @lwc/synthetic-shadow loaded first
 * (as Lightning Experience runs it). The platform modules LWC OSS lacks come from small preview
 * adapters (scripts/preview/client): `lightning/uiRecordApi`, `uiObjectInfoApi`, `uiRelatedListApi`,
 * `graphql`, `refresh`, `platformShowToastEvent`, `navigation`, `@salesforce/apex` (refreshApex), `@salesforce/user/Id`,
 * `@salesforce/schema/*`, `@salesforce/label/c.*` and the user's `@salesforce/i18n` locale/time zone.
 *
 * ES modules with code splitting, shaped for a fast first render of a warm page load:
 *  - one entry per Lightning page (`page-<flexipage>`) that imports the page's components statically, so
 *    the engine, synthetic shadow, the page shell and the components evaluate and render in one task
 *    (no dynamic-import round trip, no paint of an empty shell in between); the generic `preview` entry
 *    loads components on demand, for pages the build did not know;
 *  - `//# allFunctionsCalledOnLoad` (V8 explicit compile hints) on every chunk: V8 compiles all functions
 *    eagerly and they land in Chromium's code cache, so a warm load does not compile the render path again;
 *  - lightning-input's date, time, date-time, colour and file parts (about half of the base components'
 *    code) are left out when no template in the build can render those types (see `inputParts`);
 *  - the icon libraries as lazy chunks.
 * A cold build compiles thousands of templates, so the output is cached under
 * node_modules/.cache/closed-loop-preview/<hash>, the hash covering the component source, the flexipages,
 * the adapters, this build and package-lock.json; a restart with nothing changed reuses it.
 */

export const CLIENT_DIR = path.join(PROJECT_ROOT, 'scripts', 'preview', 'client');
/** Where builds are cached; CLOSED_LOOP_PREVIEW_CACHE moves it (e.g. to a CI cache folder, or an empty one to time a cold build). */
export const DEFAULT_CACHE_ROOT =
  process.env.CLOSED_LOOP_PREVIEW_CACHE || path.join(PROJECT_ROOT, 'node_modules', '.cache', 'closed-loop-preview');
/** Bump when the output layout changes, so old caches are not read. */
const FORMAT = 'preview-build-2';
const ENTRY_ID = path.join(CLIENT_DIR, '__entry__.js');
const KEEP_BUILDS = 3;
const STALE_LOCK_MS = 10 * 60 * 1000;

/** The `lightning/*` modules the preview provides itself (before @lwc/rollup-plugin resolves lightning-base-components). */
const ADAPTERS: Record<string, string> = {
  'lightning/uiRecordApi': 'uiRecordApi.ts',
  'lightning/uiObjectInfoApi': 'uiObjectInfoApi.ts',
  'lightning/uiRelatedListApi': 'uiRelatedListApi.ts',
  'lightning/platformShowToastEvent': 'platformShowToastEvent.ts',
  'lightning/navigation': 'navigation.ts',
  'lightning/graphql': 'graphql.ts',
  'lightning/refresh': 'refresh.ts',
  '@salesforce/apex': 'apex.ts',
  '@salesforce/user/Id': 'user.ts'
};

const BASE_COMPONENTS_DIR = path.join(PROJECT_ROOT, 'node_modules', 'lightning-base-components', 'src', 'lightning');
const ICON_CATEGORIES = ['action', 'custom', 'doctype', 'standard', 'utility'];
const ICON_LIBRARY = /^lightning\/iconSvgTemplates(Action|Custom|Doctype|Standard|Utility)(Rtl)?$/;

export interface ComponentChunk {
  /** File of the component's chunk, relative to the build folder. */
  file: string;
  /** Chunks it imports statically (to preload). */
  imports: string[];
}

export interface PreviewBuild {
  /** Folder with the built files and manifest.json. */
  dir: string;
  hash: string;
  /** Entry module (relative to dir) and its static imports. */
  entry: ComponentChunk;
  /** Per component specifier (`c/leadQualityFeedback`). */
  components: Record<string, ComponentChunk>;
  /** Per page name (flexipage): its entry, and every chunk it imports statically (transitively) to preload. */
  pages: Record<string, ComponentChunk>;
  /** Whether lightning-input's date/time/colour/file parts are in the build (see `inputParts`). */
  inputParts: 'all' | 'simple';
  /** True when the cached output was reused. */
  cached: boolean;
  /** How long this call took (ms): the build, or only the cache check. */
  ms: number;
  /** Rollup warnings other than the known harmless ones. */
  warnings: string[];
}

type Manifest = Omit<PreviewBuild, 'dir' | 'cached' | 'ms'>;

export class PreviewBuildError extends Error {
  override readonly name = 'PreviewBuildError';
}

export interface BuildOptions {
  cacheRoot?: string;
  /** Rebuild even when a cached build exists. */
  force?: boolean;
  /** Called once when a cold build starts (for a "building…" message). */
  onColdBuild?(): void;
}

/** The cached build for the current sources, building it first when there is none. */
export async function buildPreview(options: BuildOptions = {}): Promise<PreviewBuild> {
  const started = Date.now();
  const cacheRoot = options.cacheRoot ?? DEFAULT_CACHE_ROOT;
  const bundles = readBundles();
  const hash = sourceHash(bundles);
  const dir = path.join(cacheRoot, hash);
  fs.mkdirSync(cacheRoot, { recursive: true });
  if (!options.force) {
    const cached = readManifest(dir);
    if (cached) return { ...cached, dir, cached: true, ms: Date.now() - started };
  }
  const unlock = await lock(path.join(cacheRoot, `${hash}.lock`), () => (!options.force && readManifest(dir) ? true : false));
  try {
    const cached = !options.force ? readManifest(dir) : undefined;
    if (cached) return { ...cached, dir, cached: true, ms: Date.now() - started };
    options.onColdBuild?.();
    const tmp = path.join(cacheRoot, `${hash}.tmp-${process.pid}`);
    fs.rmSync(tmp, { recursive: true, force: true });
    const manifest = await compile(bundles, tmp, hash);
    fs.writeFileSync(path.join(tmp, 'manifest.json'), JSON.stringify(manifest, null, 2));
    fs.rmSync(dir, { recursive: true, force: true });
    fs.renameSync(tmp, dir);
    prune(cacheRoot, hash);
    return { ...manifest, dir, cached: false, ms: Date.now() - started };
  } finally {
    unlock();
  }
}

/** The cached build for the current sources, if there is one (no building, no waiting). */
export function cachedBuild(cacheRoot = DEFAULT_CACHE_ROOT): PreviewBuild | undefined {
  const started = Date.now();
  const dir = path.join(cacheRoot, sourceHash());
  const manifest = readManifest(dir);
  return manifest ? { ...manifest, dir, cached: true, ms: Date.now() - started } : undefined;
}

function readManifest(dir: string): Manifest | undefined {
  try {
    return JSON.parse(fs.readFileSync(path.join(dir, 'manifest.json'), 'utf8')) as Manifest;
  } catch {
    return undefined;
  }
}

/** sha256 of everything the output depends on. */
export function sourceHash(bundles: LwcBundle[] = readBundles()): string {
  const h = createHash('sha256').update(FORMAT);
  const add = (file: string) => {
    h.update(path.relative(PROJECT_ROOT, file)).update('\0');
    h.update(fs.readFileSync(file)).update('\0');
  };
  for (const file of walk(LWC_DIR).filter((f) => !f.split(path.sep).includes('__tests__'))) add(file);
  for (const file of walk(FLEXIPAGE_DIR)) add(file);
  for (const file of walk(CLIENT_DIR)) add(file);
  // this build and what decides the pages (their entries are built in)
  for (const name of ['build', 'pages', 'components']) {
    const source = path.join(PROJECT_ROOT, 'scripts', 'preview', `${name}.ts`);
    add(fs.existsSync(source) ? source : path.join(__dirname, `${name}.js`));
  }
  const lock = path.join(PROJECT_ROOT, 'package-lock.json');
  if (fs.existsSync(lock)) add(lock);
  h.update(JSON.stringify(bundles.map((b) => b.specifier)));
  return h.digest('hex').slice(0, 20);
}

function walk(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  const out: string[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    const p = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...walk(p));
    else if (entry.isFile()) out.push(p);
  }
  return out;
}

/**
 * A lock folder (mkdir is atomic) holding the builder's pid, so parallel test workers and processes
 * build once and the others wait for it. A lock whose process is gone (killed mid-build) is taken over.
 */
async function lock(lockDir: string, done: () => boolean): Promise<() => void> {
  for (;;) {
    try {
      fs.mkdirSync(lockDir);
      fs.writeFileSync(path.join(lockDir, 'pid'), String(process.pid));
      return () => fs.rmSync(lockDir, { recursive: true, force: true });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
    if (done()) return () => undefined;
    if (staleLock(lockDir)) fs.rmSync(lockDir, { recursive: true, force: true });
    else await new Promise((r) => setTimeout(r, 250));
  }
}

function staleLock(lockDir: string): boolean {
  try {
    const pid = Number(fs.readFileSync(path.join(lockDir, 'pid'), 'utf8'));
    if (Number.isInteger(pid) && pid > 0 && !alive(pid)) return true;
    return Date.now() - fs.statSync(lockDir).mtimeMs > STALE_LOCK_MS;
  } catch {
    // no pid yet (just created) or removed meanwhile: stale only when old
    try {
      return Date.now() - fs.statSync(lockDir).mtimeMs > 5000;
    } catch {
      return false;
    }
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Keeps the newest builds, removes older ones and what killed builds left behind. */
function prune(cacheRoot: string, current: string): void {
  const entries = fs.readdirSync(cacheRoot, { withFileTypes: true }).filter((d) => d.isDirectory());
  for (const d of entries) {
    const tmp = /\.tmp-(\d+)$/.exec(d.name);
    if (tmp && !alive(Number(tmp[1]))) fs.rmSync(path.join(cacheRoot, d.name), { recursive: true, force: true });
  }
  const builds = entries
    .filter((d) => /^[0-9a-f]{20}$/.test(d.name) && d.name !== current)
    .map((d) => ({ name: d.name, mtime: fs.statSync(path.join(cacheRoot, d.name)).mtimeMs }))
    .sort((a, b) => b.mtime - a.mtime);
  for (const old of builds.slice(KEEP_BUILDS - 1)) fs.rmSync(path.join(cacheRoot, old.name), { recursive: true, force: true });
}

const HARMLESS = new Set(['CIRCULAR_DEPENDENCY', 'THIS_IS_UNDEFINED']);
/** lightning-base-components' own template warnings (duplicate slots etc.) are not ours to fix. */
const BASE_COMPONENTS = `node_modules${path.sep}lightning-base-components`;

/** lightning-input's heavy parts, by the module its template imports for them. */
const INPUT_PARTS = [
  'lightning/datepicker',
  'lightning/timepicker',
  'lightning/datetimepicker',
  'lightning/primitiveInputColor',
  'lightning/primitiveInputFile'
];
/** `<lightning-input type=…>` values that render one of those parts. */
const INPUT_PART_TYPES = new Set(['date', 'time', 'datetime', 'datetime-local', 'color', 'file']);
const INPUT_TEMPLATE = path.join(BASE_COMPONENTS_DIR, 'input', 'input.html');

/** Thrown by the build when a template in it renders a lightning-input type whose part was left out. */
class InputPartsNeeded extends Error {}

async function compile(bundles: LwcBundle[], outDir: string, hash: string): Promise<Manifest> {
  try {
    return await compileWith(bundles, outDir, hash, 'simple');
  } catch (e) {
    if (!(e instanceof InputPartsNeeded)) throw e;
    fs.rmSync(outDir, { recursive: true, force: true });
    return compileWith(bundles, outDir, hash, 'all');
  }
}

async function compileWith(bundles: LwcBundle[], outDir: string, hash: string, inputParts: Manifest['inputParts']): Promise<Manifest> {
  const warnings: string[] = [];
  const exposed = bundles.filter((b) => b.targets.length > 0);
  const pages = readPages(FLEXIPAGE_DIR, bundles);
  const { rollup, replace, lwc } = bundler();
  const build = await rollup({
    input: { preview: ENTRY_ID, ...Object.fromEntries(pages.map((p) => [`page-${p.name}`, pageEntryId(p.name)])) },
    preserveEntrySignatures: false,
    plugins: [
      previewModules(exposed, pages, inputParts),
      replace({
        preventAssignment: true,
        values: { 'process.env.NODE_ENV': JSON.stringify('production'), 'import.meta.env.SSR': 'false' }
      }),
      lwc({
        rootDir: LWC_DIR,
        modules: [...bundles.map((b) => ({ name: b.specifier, path: b.entry })), { npm: 'lightning-base-components' }],
        enableDynamicComponents: true,
        exclude: [path.join(CLIENT_DIR, '**')]
      })
    ],
    onwarn(warning: RollupLog) {
      if (!HARMLESS.has(warning.code ?? '') && !(warning.id ?? warning.message).includes(BASE_COMPONENTS)) warnings.push(warning.message);
    }
  });
  try {
    const { output } = await build.write({
      dir: outDir,
      format: 'es',
      entryFileNames: '[name]-[hash].js',
      chunkFileNames: 'chunks/[name]-[hash].js',
      banner: '//# allFunctionsCalledOnLoad'
    });
    const chunks = output.filter((o): o is OutputChunk => o.type === 'chunk');
    const entryChunk = chunks.find((c) => c.isEntry && c.name === 'preview');
    if (!entryChunk) throw new PreviewBuildError('the preview build produced no entry chunk');
    const byFile = new Map(chunks.map((c) => [c.fileName, c]));
    const staticClosure = (file: string, seen = new Set<string>()): string[] => {
      for (const i of byFile.get(file)?.imports ?? []) {
        if (!seen.has(i)) {
          seen.add(i);
          staticClosure(i, seen);
        }
      }
      return [...seen];
    };
    const pageChunks: Record<string, ComponentChunk> = {};
    for (const p of pages) {
      const chunk = chunks.find((c) => c.isEntry && c.facadeModuleId === pageEntryId(p.name));
      if (chunk) pageChunks[p.name] = { file: chunk.fileName, imports: staticClosure(chunk.fileName) };
    }
    const components: Record<string, ComponentChunk> = {};
    for (const b of exposed) {
      const chunk = chunks.find((c) => c.moduleIds.some((id) => stripQuery(id) === b.entry));
      if (chunk) components[b.specifier] = { file: chunk.fileName, imports: chunk.imports };
    }
    return {
      hash,
      entry: { file: entryChunk.fileName, imports: staticClosure(entryChunk.fileName) },
      components,
      pages: pageChunks,
      inputParts,
      warnings
    };
  } finally {
    await build.close();
  }
}

/** `category:name` icon names in the components' templates and scripts (e.g. `utility:clock`), per category. */
function usedIcons(): Map<string, string[]> {
  const found = new Map<string, Set<string>>();
  const pattern = new RegExp(`\\b(${ICON_CATEGORIES.join('|')}):([a-z0-9_]+)\\b`, 'g');
  for (const file of walk(LWC_DIR).filter((f) => /\.(html|js)$/.test(f) && !f.split(path.sep).includes('__tests__'))) {
    for (const m of fs.readFileSync(file, 'utf8').matchAll(pattern)) {
      if (!found.has(m[1])) found.set(m[1], new Set());
      found.get(m[1])!.add(m[2]);
    }
  }
  return new Map([...found].map(([c, names]) => [c, [...names].sort()]));
}

function pageEntryId(pageName: string): string {
  return `\0closed-loop:page:${pageName}`;
}

/**
 * The `type` values of every `<lightning-input>` in a template: `undefined` for one whose type is an
 * expression (`type={…}`), which could be anything.
 */
export function inputTypes(template: string): Array<string | undefined> {
  const types: Array<string | undefined> = [];
  for (const tag of template.matchAll(/<lightning-input(?=[\s>/])([^>]*)>/g)) {
    const type = /(?:^|\s)type\s*=\s*(?:"([^"]*)"|'([^']*)'|(\{[^}]*\})|([^\s>]+))/.exec(tag[1]);
    if (!type) types.push('text');
    else if (type[3] !== undefined || /^\{/.test(type[1] ?? type[2] ?? type[4] ?? '')) types.push(undefined);
    else types.push((type[1] ?? type[2] ?? type[4] ?? 'text').toLowerCase());
  }
  return types;
}

function stripQuery(id: string): string {
  const i = id.indexOf('?');
  return i < 0 ? id : id.slice(0, i);
}

/**
 * Resolves what LWC OSS does not have, before @lwc/rollup-plugin sees it: the entry, the preview's
 * platform adapters, `@salesforce/schema|label|i18n` values and the gates we force; transpiles the
 * adapters' TypeScript.
 */
function previewModules(exposed: LwcBundle[], pages: PreviewPage[], inputParts: Manifest['inputParts']): Plugin {
  const virtual = (kind: string, value: string) => `\0closed-loop:${kind}:${value}`;
  const icons = usedIcons();
  return {
    name: 'closed-loop-preview-modules',
    resolveId(source, importer) {
      if (source === ENTRY_ID) return ENTRY_ID;
      if (source.startsWith('\0closed-loop:page:')) return source;
      if (inputParts === 'simple' && INPUT_PARTS.includes(source) && importer && stripQuery(importer) === INPUT_TEMPLATE) {
        return virtual('inputPart', source);
      }
      if (ADAPTERS[source]) return path.join(CLIENT_DIR, ADAPTERS[source]);
      if (source.startsWith('@salesforce/apex/')) {
        this.error(
          `${source}: the package has no Apex; the preview provides only refreshApex from @salesforce/apex (imported by ${importer ?? '?'})`
        );
      }
      if (source.startsWith('@salesforce/schema/')) return virtual('schema', source.slice('@salesforce/schema/'.length));
      if (source.startsWith('@salesforce/label/c.')) return virtual('label', source.slice('@salesforce/label/c.'.length));
      if (source === '@salesforce/i18n/timeZone' || source === '@salesforce/i18n/locale') return virtual('i18n', source.split('/')[2]);
      if (source === '@salesforce/user/isGuest') return virtual('value', 'false');
      const iconLibrary = ICON_LIBRARY.exec(source);
      if (iconLibrary) return virtual('icons', `${iconLibrary[1].toLowerCase()}${iconLibrary[2] ? ':rtl' : ''}`);
      if (importer?.startsWith('\0closed-loop:icons:') && source.startsWith(BASE_COMPONENTS_DIR)) return source;
      // lightning-base-components maps every gate to "open"; this one makes combobox call attachInternals(),
      // which throws under synthetic shadow.
      if (source === '@salesforce/gate/bc.260.enableComboboxElementInternals') return virtual('gate', 'closed');
      if (importer && stripQuery(importer).startsWith(CLIENT_DIR + path.sep) && source.startsWith('./')) {
        return path.join(CLIENT_DIR, `${source.slice(2)}.ts`);
      }
      return null;
    },
    load(id) {
      if (id === ENTRY_ID) {
        const loaders = exposed.map((b) => `  ${JSON.stringify(b.specifier)}: () => import(${JSON.stringify(b.specifier)})`).join(',\n');
        return [
          "import '@lwc/synthetic-shadow';",
          "import { createElement } from 'lwc';",
          `import { startPreview } from ${JSON.stringify(path.join(CLIENT_DIR, 'app.ts'))};`,
          `startPreview(createElement, {\n${loaders}\n});`
        ].join('\n');
      }
      if (!id.startsWith('\0closed-loop:')) return null;
      const [, kind, value] = id.split(':');
      if (kind === 'page') {
        // the page's components imported statically: they evaluate and mount in the entry's own task
        const page = pages.find((p) => p.name === value);
        // (the others load on demand, for a record page of another object opened without a page load)
        const onPage = new Set(page?.regions.flatMap((r) => r.components.map((c) => c.specifier)) ?? []);
        const specifiers = exposed.map((b) => b.specifier).filter((s) => onPage.has(s));
        const others = exposed.map((b) => b.specifier).filter((s) => !onPage.has(s));
        const entries = [
          ...specifiers.map((s, i) => `  ${JSON.stringify(s)}: component${i}`),
          ...others.map((s) => `  ${JSON.stringify(s)}: () => import(${JSON.stringify(s)})`)
        ];
        return [
          "import '@lwc/synthetic-shadow';",
          "import { createElement } from 'lwc';",
          `import { startPreview } from ${JSON.stringify(path.join(CLIENT_DIR, 'app.ts'))};`,
          ...specifiers.map((s, i) => `import * as component${i} from ${JSON.stringify(s)};`),
          `startPreview(createElement, {\n${entries.join(',\n')}\n});`
        ].join('\n');
      }
      if (kind === 'inputPart') {
        // never rendered: no template in this build gives lightning-input a type that needs it (checked in buildEnd)
        return [
          "import { LightningElement } from 'lwc';",
          'export default class extends LightningElement {',
          '  connectedCallback() {',
          `    throw new Error(${JSON.stringify(`${value} is not in the preview build: no component renders a lightning-input type that needs it`)});`,
          '  }',
          '}'
        ].join('\n');
      }
      switch (kind) {
        case 'schema': {
          const [objectApiName, ...field] = value.split('.');
          const ref = field.length ? { objectApiName, fieldApiName: field.join('.') } : { objectApiName };
          return `export default ${JSON.stringify(ref)};`;
        }
        case 'label':
          return `export default ${JSON.stringify(value)};`;
        case 'i18n':
          return `import { ${value} as v } from ${JSON.stringify(path.join(CLIENT_DIR, 'i18n.ts'))};\nexport default v;`;
        case 'icons': {
          // Only the icons the components name; any other icon falls back to the SLDS sprite
          // (<svg><use href="/assets/icons/…">), which lightning-primitive-icon does by itself.
          const category = value;
          const rtl = id.endsWith(':rtl');
          const names = rtl ? [] : (icons.get(category) ?? []);
          const lib = `iconSvgTemplates${category[0].toUpperCase()}${category.slice(1)}`;
          const file = (name: string) => path.join(BASE_COMPONENTS_DIR, lib, 'buildTemplates', category, `${name}.html`);
          const present = names.filter((n) => fs.existsSync(file(n)));
          return [
            ...present.map((n) => `import ${category}_${n} from ${JSON.stringify(file(n))};`),
            `export default { ${present.map((n) => `${category}_${n}`).join(', ')} };`
          ].join('\n');
        }
        case 'gate':
          return 'export default { isOpen: () => false };';
        case 'value':
          return `export default ${value};`;
        default:
          return null;
      }
    },
    buildEnd(error) {
      if (error || inputParts !== 'simple') return;
      // Leaving lightning-input's parts out is safe only if no template in the build can render them.
      for (const id of this.getModuleIds()) {
        const file = stripQuery(id);
        if (!file.endsWith('.html') || !fs.existsSync(file)) continue;
        const types = inputTypes(fs.readFileSync(file, 'utf8'));
        if (types.some((t) => t === undefined || INPUT_PART_TYPES.has(t))) {
          throw new InputPartsNeeded(
            `${path.relative(PROJECT_ROOT, file)} renders a lightning-input type that needs its date/time/colour/file parts`
          );
        }
      }
    },
    transform(code, id) {
      if (!id.startsWith(CLIENT_DIR + path.sep) || !id.endsWith('.ts')) return null;
      const ts = typescript();
      const out = ts.transpileModule(code, {
        fileName: id,
        compilerOptions: { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext, sourceMap: false }
      });
      return { code: out.outputText, map: null };
    }
  };
}
