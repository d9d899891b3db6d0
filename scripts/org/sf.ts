import { spawn } from 'node:child_process';
import * as path from 'node:path';
import { PROJECT_ROOT } from '../project';

/**
 * Runs the project's own sf CLI (node_modules/@salesforce/cli) on the Node that runs us, with
 * --json, and returns its parsed result. The environment switches off telemetry, auto-update
 * and version checks: without them sf's first run leaves a detached auto-update process that later
 * tries the network.
 */
export const SF_ENV = {
  SF_DISABLE_TELEMETRY: 'true',
  SF_DISABLE_AUTOUPDATE: 'true',
  SF_SKIP_NEW_VERSION_CHECK: 'true',
  SF_AUTOUPDATE_DISABLE: 'true',
  SF_HIDE_RELEASE_NOTES: 'true',
  // sf would otherwise write ~/.sf/sf-<date>.log on every run, even one that fails at once (no Dev
  // Hub): our commands report sf's message themselves and leave nothing behind. Run npx sf directly
  // for its log.
  SF_DISABLE_LOG_FILE: 'true'
} as const;

export interface SfJson<T = unknown> {
  status: number;
  result?: T;
  name?: string;
  message?: string;
  actions?: string[];
  warnings?: string[];
  code?: string | number;
  exitCode?: number;
}

/** An sf command that returned a non-zero status; `message` is sf's own, one line. */
export class SfCommandError extends Error {
  override readonly name = 'SfCommandError';
  constructor(
    message: string,
    readonly sfName: string | undefined,
    readonly output: SfJson,
    readonly args: readonly string[]
  ) {
    super(message);
  }

  /** sf's exit code (2 for flag errors such as an unknown alias, 68 for partial success, 69 for timeouts). */
  get exitCode(): number {
    if (typeof this.output.exitCode === 'number' && this.output.exitCode > 0) return this.output.exitCode;
    return this.output.status > 0 ? this.output.status : 1;
  }
}

/**
 * sf's message as one line: sf wraps flag errors over several lines ("Parsing --target-org \n\tNo
 * authorization information found for X.\nSee more help with --help"); we keep every line but the
 * help pointer and join them.
 */
export function sfMessage(message: string): string {
  const lines = message
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l !== '' && !/^See more help with --help$/.test(l));
  return lines.reduce((acc, l) => (acc === '' ? l : /[.:!?]$/.test(acc) ? `${acc} ${l}` : `${acc}: ${l}`), '');
}

/** How an sf invocation is carried out; tests replace it with recorded outputs. */
export type SfRunner = (args: readonly string[]) => Promise<{ stdout: string; stderr: string; code: number }>;

export const spawnSf: SfRunner = (args) => spawnSfIn(PROJECT_ROOT)(args);

/** The same runner, in another SFDX project directory (sf reads sfdx-project.json and .forceignore from its cwd). */
export const spawnSfIn =
  (cwd: string): SfRunner =>
  (args) =>
    new Promise((resolve, reject) => {
      // the package exports only dist/index.js, so find bin/run.js (its `sf` bin) next to it
      const bin = path.join(path.dirname(require.resolve('@salesforce/cli', { paths: [PROJECT_ROOT] })), '..', 'bin', 'run.js');
      const child = spawn(process.execPath, [bin, ...args], {
        cwd,
        env: { ...process.env, ...SF_ENV, FORCE_COLOR: '0' },
        stdio: ['ignore', 'pipe', 'pipe']
      });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      child.on('error', reject);
      child.on('close', (code) => resolve({ stdout, stderr, code: code ?? 1 }));
    });

/** Runs `sf <args> --json` and returns `result`, or throws SfCommandError with sf's message. */
export async function sfJson<T>(args: readonly string[], runner: SfRunner = spawnSf): Promise<T> {
  const full = args.includes('--json') ? [...args] : [...args, '--json'];
  const { stdout, stderr, code } = await runner(full);
  let parsed: SfJson<T>;
  try {
    parsed = JSON.parse(stdout.trim()) as SfJson<T>;
  } catch {
    const firstLine = (stderr || stdout).split('\n').find((l) => l.trim()) ?? `sf exited with code ${code}`;
    throw new SfCommandError(`sf ${args.slice(0, 2).join(' ')} failed: ${firstLine.trim()}`, undefined, { status: code }, full);
  }
  if (parsed.status !== 0 || code !== 0) {
    // Some commands (project deploy start, org assign permset) report failure as a non-zero status
    // with a result and no message; callers read the result from the error's output.
    const msg = parsed.message
      ? sfMessage(parsed.message)
      : `sf ${args.slice(0, 2).join(' ')} finished with status ${parsed.status || code}`;
    throw new SfCommandError(msg, parsed.name, parsed, full);
  }
  return parsed.result as T;
}
