/**
 * Runs jobs in the background of the one server thread: each job is a generator whose `next()`
 * does one chunk of work synchronously (one transaction); the scheduler runs one step of one job,
 * then lets the event loop serve requests (`setImmediate`) before the next step, taking the jobs in
 * turn so a big job does not hold up a small one.
 */
export class Scheduler {
  private readonly runners: Array<{ id: string; steps: Iterator<void>; fail: (e: unknown) => void }> = [];
  private timer: NodeJS.Immediate | undefined;
  private stopped = false;
  private idleWaiters: Array<() => void> = [];

  /** Queues a job's steps; `fail` ends the job when a step throws. */
  add(id: string, steps: Iterator<void>, fail: (e: unknown) => void): void {
    if (this.stopped) return;
    this.runners.push({ id, steps, fail });
    this.kick();
  }

  /** Forgets a job's steps (deleted before it ran). */
  remove(id: string): void {
    const i = this.runners.findIndex((r) => r.id === id);
    if (i >= 0) this.runners.splice(i, 1);
  }

  /** Resolves when no job has work left (tests, benchmarks). */
  idle(): Promise<void> {
    if (this.runners.length === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** Stops running steps (the server is closing); a step in progress has already finished, since steps are synchronous. */
  stop(): void {
    this.stopped = true;
    if (this.timer) clearImmediate(this.timer);
    this.timer = undefined;
    this.runners.length = 0;
    this.wakeIdle();
  }

  private kick(): void {
    if (this.timer || this.stopped || this.runners.length === 0) return;
    this.timer = setImmediate(() => this.step());
  }

  private step(): void {
    this.timer = undefined;
    if (this.stopped) return;
    const runner = this.runners.shift();
    if (!runner) return this.wakeIdle();
    let done = true;
    try {
      done = runner.steps.next().done === true;
    } catch (e) {
      runner.fail(e);
    }
    if (!done) this.runners.push(runner);
    if (this.runners.length > 0) this.kick();
    else this.wakeIdle();
  }

  private wakeIdle(): void {
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const w of waiters) w();
  }
}
