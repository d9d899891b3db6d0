import * as fs from 'node:fs';
import * as path from 'node:path';
import { PROJECT_ROOT } from '../../project';
import type { SfRunner } from '../sf';

/**
 * Test helper: an SfRunner that answers from outputs recorded from the real sf CLI 2.150 (see
 * data/README.md), and remembers the command lines it was given. sf itself is not part of our
 * product; what these tests check is our wrapper: the sf command lines we build and what we make of
 * sf's answers.
 */

const DATA = path.join(__dirname, 'data');
/** The project directory the recordings were made in; replaced by this checkout's. */
const RECORDED_ROOT = '/home/admin/closed-loop';

export function fixture(name: string): string {
  return fs
    .readFileSync(path.join(DATA, `${name}.json`), 'utf8')
    .split(RECORDED_ROOT)
    .join(PROJECT_ROOT);
}

export function fixtureJson<T = { status: number; result?: unknown; name?: string; message?: string }>(name: string): T {
  return JSON.parse(fixture(name)) as T;
}

/** `sf org display` → 'display-scratch': the first route whose command prefix matches answers. */
export type Routes = Array<[prefix: string, fixture: string]>;

export interface Recorded {
  runner: SfRunner;
  /** Every command line run, in order. */
  calls: string[][];
}

export function recorded(routes: Routes): Recorded {
  const calls: string[][] = [];
  const used = new Set<number>();
  const runner: SfRunner = (args) => {
    calls.push([...args]);
    const line = args.join(' ');
    // Each route answers once, in order, so one prefix can answer several times with different recordings.
    const i = routes.findIndex(([prefix], k) => !used.has(k) && line.startsWith(prefix));
    if (i < 0) return Promise.reject(new Error(`no recorded sf output for: sf ${line}`));
    used.add(i);
    const stdout = fixture(routes[i][1]);
    const { status } = JSON.parse(stdout) as { status: number };
    return Promise.resolve({ stdout, stderr: '', code: status });
  };
  return { runner, calls };
}
