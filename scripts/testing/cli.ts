import { spawn } from 'node:child_process';
import * as path from 'node:path';
import { PROJECT_ROOT } from '../project';

/** Test helper: runs the built `closed-loop` CLI (dist/, built by `npm run build`) as a user would. */
export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

export const CLI_ENTRY = path.join(PROJECT_ROOT, 'dist', 'cli', 'index.js');

export function runCli(
  args: string[],
  opts: { input?: string; env?: NodeJS.ProcessEnv; cwd?: string; timeoutMs?: number } = {}
): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI_ENTRY, ...args], {
      cwd: opts.cwd ?? PROJECT_ROOT,
      env: { ...process.env, FORCE_COLOR: '0', ...opts.env },
      stdio: ['pipe', 'pipe', 'pipe']
    });
    let stdout = '';
    let stderr = '';
    const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 60000);
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code: code ?? 1, stdout, stderr });
    });
    // a command that fails on its flags exits before it reads its input: writing to it then is no error of the test
    child.stdin.on('error', (err: NodeJS.ErrnoException) => {
      if (err.code !== 'EPIPE') reject(err);
    });
    child.stdin.end(opts.input ?? '');
  });
}

/**
 * The `result` of a successful `--json` line, after checking it is the sf CLI's envelope
 * (`{"status":0,"result":…,"warnings":[…]}`) — what `jq .result` reads.
 */
export function jsonResult<T = unknown>(line: string): T {
  const parsed = JSON.parse(line) as { status?: unknown; result?: unknown; warnings?: unknown };
  if (parsed === null || typeof parsed !== 'object' || parsed.status !== 0 || !('result' in parsed) || !Array.isArray(parsed.warnings)) {
    throw new Error(`not the {"status":0,"result":…,"warnings":[]} envelope: ${line.slice(0, 200)}`);
  }
  return parsed.result as T;
}
