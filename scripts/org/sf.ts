import { spawn } from 'node:child_process';
import * as path from 'node:path';
import { PROJECT_ROOT } from '../project';

/**
 * Runs the project's own sf CLI (node_modules/@salesforce/cli) on the Node that runs us, with
 * --json, and returns its parsed result. The environment switches off telemetry, auto-update
 * and version checks (design §1a): without them sf's first run leaves a background updater.
 */
export const SF_ENV = {
  SF_DISABLE_TELEMETRY: 'true',
  SF_DISABLE_AUTOUPDATE: 'true',
  SF_SKIP_NEW_VERSION_CHECK: 'true',
  SF_AUTOUPDATE_DISABLE: 'true',
  SF_HIDE_RELEASE_NOTES: 'true'
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
    const msg = (parsed.message ?? `sf exited with code ${code}`).split('\n')[0].trim();
    throw new SfCommandError(msg, parsed.name, parsed, full);
  }
  return parsed.result as T;
}
