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

  /** Stops running steps (the server is closing); a step in progress has already finished, since steps are synchronous. */
  stop(): void {
    this.stopped = true;
    if (this.timer) clearImmediate(this.timer);
    this.timer = undefined;
    this.runners.length = 0;
  }

  private kick(): void {
    if (this.timer || this.stopped || this.runners.length === 0) return;
    this.timer = setImmediate(() => this.step());
  }

  private step(): void {
    this.timer = undefined;
    if (this.stopped) return;
    const runner = this.runners.shift();
    if (!runner) return;
    let done = true;
    try {
      done = runner.steps.next().done === true;
    } catch (e) {
      runner.fail(e);
    }
    if (!done) this.runners.push(runner);
    this.kick();
  }
}
