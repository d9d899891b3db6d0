import { fork } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Connection } from 'jsforce';
import { ChildCalls } from './calls';
import type { ClientOutcome, ClientStep } from './clientProcess';
import type { OrgAddress, OrgStart, OrgUsage } from './orgProcess';

/**
 * The parent's side of the scale bench's processes: local orgs (orgProcess.ts) that run until stopped, and
 * one process per client step (clientProcess.ts). Both are this build's compiled modules beside this one.
 */

function forkModule(name: string): ReturnType<typeof fork> {
  // stdout and stderr are the bench's: an org's server log (the causes of 500 answers) shows in its output
  return fork(path.join(__dirname, `${name}.js`), [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
}

/** A field of /proc/<pid>/status in MB (VmHWM: the peak resident set size; VmRSS: the current one), or null off Linux. */
function procStatusMb(pid: number, field: 'VmHWM' | 'VmRSS'): number | null {
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status);
    return kb ? Math.round(Number(kb[1]) / 1024) : null;
  } catch {
    return null;
  }
}

/** A local org in its own process, on a database file, on the bench's clock. */
export class OrgProcess {
  private stopped = false;

  private constructor(
    private readonly calls: ChildCalls,
    readonly pid: number,
    readonly data: string,
    readonly address: OrgAddress
  ) {}

  /** Forks an org on `data` (deploying the package into a new file) with its clock at `now`. */
  static async start(data: string, now: number): Promise<OrgProcess> {
    const child = forkModule('orgProcess');
    const calls = new ChildCalls(child, `the local org on ${path.basename(data)}`);
    try {
      const address = await calls.call<OrgAddress>('start', { data, now } satisfies OrgStart);
      return new OrgProcess(calls, child.pid ?? 0, data, address);
    } catch (err) {
      child.kill();
      throw err;
    }
  }

  get running(): boolean {
    return !this.stopped;
  }

  /** Sets the org's clock (the instant every later request is served at). */
  async setNow(ms: number): Promise<void> {
    await this.calls.call('now', ms);
  }

  usage(): Promise<OrgUsage> {
    return this.calls.call<OrgUsage>('usage');
  }

  /**
   * Starts a new peak: writing 5 to /proc/<pid>/clear_refs sets the process's VmHWM to its current RSS
   * (Linux ≥ 4.0, proc(5)), so `peakRssMb()` afterwards is the highest RSS since, however briefly it was held.
   */
  resetPeak(): void {
    try {
      fs.writeFileSync(`/proc/${this.pid}/clear_refs`, '5');
    } catch {
      // not Linux: peakRssMb() is the peak since the process started
    }
  }

  peakRssMb(): number | null {
    return procStatusMb(this.pid, 'VmHWM');
  }

  /** Stops the org cleanly (its database closed, the WAL checkpointed into the file) and waits for the process to end. */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    await this.calls.call('stop');
    await this.calls.exited;
  }

  /** Ends the process at once (after a failure). */
  kill(): void {
    this.stopped = true;
    const child = this.calls.child;
    if (child.exitCode === null && child.signalCode === null) child.kill();
  }

  /** A token for one of the org's users, minted by its admin over HTTP (what `closed-loop localorg token --user` calls). */
  async tokenFor(username: string): Promise<OrgAddress> {
    const admin = this.adminConnection();
    const minted = await admin.requestPost<OrgAddress>('/services/localorg/token', { username });
    return { instanceUrl: minted.instanceUrl, accessToken: minted.accessToken, apiVersion: minted.apiVersion };
  }

  adminConnection(): Connection {
    return new Connection({
      instanceUrl: this.address.instanceUrl,
      accessToken: this.address.accessToken,
      version: this.address.apiVersion
    });
  }
}

/** Runs one client step in a fresh process and returns what it measured of itself. */
export async function runClientStep<T>(step: ClientStep): Promise<ClientOutcome<T>> {
  const child = forkModule('clientProcess');
  const calls = new ChildCalls(child, `the ${step.kind} step`);
  try {
    const outcome = await calls.call<ClientOutcome<T>>('run', step);
    await calls.exited;
    return outcome;
  } finally {
    if (child.exitCode === null && child.signalCode === null) child.kill();
  }
}
