import * as fs from 'node:fs';
import * as path from 'node:path';
import { DEMO_DIR, PACKAGE_DIR, PROJECT_ROOT } from '../project';
import { displayOrg, isScratchOrg, SfOrgDisplay, targetOrgArgs } from './connection';
import { SfCommandError, sfJson, SfRunner, spawnSf } from './sf';

/** Minutes sf waits for a deploy before giving up (sf's own default is 33). */
export const DEFAULT_DEPLOY_WAIT_MINUTES = 33;

export interface DeployOptions {
  /** Alias/username; sf's default target org when undefined. */
  targetOrg?: string;
  /** Validate only (`sf project deploy start --dry-run`): nothing changes in the org. */
  dryRun: boolean;
  /** Include the demo-only metadata (config/demo). Default: only on scratch orgs. */
  demo?: boolean;
  waitMinutes: number;
}

/** One deployed (or failed) source file, as sf reports it in `result.files`. */
export interface SfDeployFile {
  fullName: string;
  type: string;
  state: string;
  filePath?: string;
  lineNumber?: number;
  columnNumber?: number;
  error?: string;
  problemType?: string;
}

/** A Metadata API DeployMessage (details.componentFailures / componentSuccesses). */
export interface DeployMessage {
  componentType: string;
  fullName: string;
  fileName: string;
  problem?: string | null;
  problemType?: string | null;
  lineNumber?: number | null;
  columnNumber?: number | null;
  success: boolean | string;
}

/** The parts of `sf project deploy start --json`'s result (a Metadata API DeployResult + files) we use. */
export interface SfDeployResult {
  id?: string;
  status: string;
  success?: boolean;
  checkOnly?: boolean;
  numberComponentsDeployed?: number;
  numberComponentsTotal?: number;
  numberComponentErrors?: number;
  errorMessage?: string | null;
  details?: { componentFailures?: DeployMessage | DeployMessage[]; componentSuccesses?: DeployMessage | DeployMessage[] };
  files?: SfDeployFile[];
  deployUrl?: string;
}

/** A component the org rejected, located in our source: `path:line: problem`. */
export interface ComponentProblem {
  /** Project-relative source path when known, else the Metadata API file name. */
  path: string;
  line?: number;
  column?: number;
  type: string;
  fullName: string;
  problem: string;
}

export interface DeploySummary {
  targetOrg?: string;
  username: string;
  scratch: boolean;
  dryRun: boolean;
  /** Project-relative package directories deployed. */
  directories: string[];
  deployId?: string;
  status: string;
  componentsDeployed: number;
  componentsTotal: number;
  deployUrl?: string;
}

/** The org rejected components (or the whole deploy); `problems` locate them in our source. */
export class DeployFailedError extends Error {
  override readonly name = 'DeployFailedError';
  constructor(
    message: string,
    readonly problems: ComponentProblem[],
    readonly result?: unknown
  ) {
    super(message);
  }
}

export function formatProblem(p: ComponentProblem): string {
  return `${p.path}${p.line ? `:${p.line}` : ''}: ${p.problem}`;
}

/** The one-line cause for a failed deploy: how many components failed and the first of them. */
export function deployFailureMessage(problems: ComponentProblem[], dryRun: boolean, fallback?: string | null): string {
  const what = dryRun ? 'validation (--dry-run) failed' : 'deploy failed';
  if (problems.length === 0) return `${what}${fallback ? `: ${fallback}` : ''}`;
  const n = problems.length;
  return `${what}: ${n} component error${n === 1 ? '' : 's'}, first ${formatProblem(problems[0])}`;
}

function asArray<T>(v: T | T[] | undefined): T[] {
  return v === undefined ? [] : Array.isArray(v) ? v : [v];
}

function relative(p: string, root: string): string {
  const rel = path.relative(root, p);
  return rel.startsWith('..') || path.isAbsolute(rel) ? p : rel.split(path.sep).join('/');
}

/**
 * The failures of a deploy result, located in source: sf's `files` (which map each failure to the
 * source file, with line and column) first, then any componentFailures sf could not map.
 */
export function componentProblems(result: SfDeployResult, root = PROJECT_ROOT): ComponentProblem[] {
  const problems: ComponentProblem[] = [];
  const seen = new Set<string>();
  for (const f of result.files ?? []) {
    if (f.state !== 'Failed') continue;
    seen.add(`${f.type}:${f.fullName}`);
    problems.push({
      path: f.filePath ? relative(f.filePath, root) : f.fullName,
      line: f.lineNumber,
      column: f.columnNumber,
      type: f.type,
      fullName: f.fullName,
      // SDR appends " (line:column)" to the problem; the location is already in path:line.
      problem: (f.error ?? 'failed').replace(/ \(\d+:\d+\)$/, '')
    });
  }
  for (const m of asArray(result.details?.componentFailures)) {
    if (seen.has(`${m.componentType}:${m.fullName}`)) continue;
    problems.push({
      path: m.fileName || m.fullName,
      line: m.lineNumber ?? undefined,
      column: m.columnNumber ?? undefined,
      type: m.componentType,
      fullName: m.fullName,
      problem: m.problem ?? 'failed'
    });
  }
  return problems;
}

/** The package directories to deploy: force-app, plus config/demo when wanted (and present). */
export function deployDirectories(includeDemo: boolean): string[] {
  const dirs = [PACKAGE_DIR];
  if (includeDemo && fs.existsSync(DEMO_DIR)) dirs.push(DEMO_DIR);
  return dirs;
}

/** The sf command line for `closed-loop org deploy`. */
export function deployArgs(opts: { targetOrg?: string; dryRun: boolean; directories: string[]; waitMinutes: number }): string[] {
  return [
    'project',
    'deploy',
    'start',
    ...opts.directories.flatMap((d) => ['--source-dir', relative(d, PROJECT_ROOT)]),
    ...targetOrgArgs(opts.targetOrg),
    '--wait',
    String(opts.waitMinutes),
    ...(opts.dryRun ? ['--dry-run'] : [])
  ];
}

export interface DeploySteps {
  /** Called once the target org is known (before the deploy starts). */
  onTarget?(org: SfOrgDisplay, directories: string[]): void;
}

/**
 * Deploys the package (and the demo metadata on scratch orgs) with `sf project deploy start`. Whether
 * the org is a scratch org comes from `sf org display`, which also fails fast, with sf's own
 * message, when the alias is unknown or the session expired.
 */
export async function deployToOrg(opts: DeployOptions, runner: SfRunner = spawnSf, steps: DeploySteps = {}): Promise<DeploySummary> {
  const org = await displayOrg(opts.targetOrg, runner);
  const scratch = isScratchOrg(org);
  const directories = deployDirectories(opts.demo ?? scratch);
  steps.onTarget?.(org, directories);
  let result: SfDeployResult;
  try {
    result = await sfJson<SfDeployResult>(
      deployArgs({ targetOrg: opts.targetOrg, dryRun: opts.dryRun, directories, waitMinutes: opts.waitMinutes }),
      runner
    );
  } catch (err) {
    const failed = err instanceof SfCommandError ? (err.output.result as SfDeployResult | undefined) : undefined;
    if (failed && typeof failed === 'object' && 'status' in failed) {
      const problems = componentProblems(failed);
      throw new DeployFailedError(deployFailureMessage(problems, opts.dryRun, failed.errorMessage ?? failed.status), problems, failed);
    }
    throw err;
  }
  return {
    targetOrg: opts.targetOrg,
    username: org.username,
    scratch,
    dryRun: opts.dryRun,
    directories: directories.map((d) => relative(d, PROJECT_ROOT)),
    deployId: result.id,
    status: result.status,
    componentsDeployed: result.numberComponentsDeployed ?? 0,
    componentsTotal: result.numberComponentsTotal ?? 0,
    deployUrl: result.deployUrl
  };
}
