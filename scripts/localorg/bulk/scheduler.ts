/**
 * Runs jobs in the background of the one server thread: each job is a generator whose `next()`
 * does one chunk of work synchronously (one transaction); the scheduler runs one step of one job,
 * then lets the event loop serve requests (`setImmediate`) before the next step.
 *
 * Which job's step: the smallest job first (its `size`, an ingest job's upload bytes), so a small job is
 * not held up by a big one and finishes at once, rather than every queued job finishing late together
 * as when they take turns — a client whose next job needs the Ids of a small one (children after their
 * parents) gets them while the big ones go on. Every TURN_EVERY-th step goes to the job that has waited
 * longest instead, so a big job always moves on, however many small ones come.
 */
const TURN_EVERY = 4;

interface Runner {
  id: string;
  steps: Iterator<void>;
  fail: (e: unknown) => void;
  size: number;
}

export class Scheduler {
  /** the jobs in the order they last ran (or were added): the first has waited longest */
  private readonly runners: Runner[] = [];
  private timer: NodeJS.Immediate | undefined;
  private stopped = false;
  private count = 0;

  /** Queues a job's steps; `fail` ends the job when a step throws; `size`: how much work it is (smaller goes first). */
  add(id: string, steps: Iterator<void>, fail: (e: unknown) => void, size = 0): void {
    if (this.stopped) return;
    this.runners.push({ id, steps, fail, size });
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

  /** The index of the runner to step: the smallest (the first of equals), or the longest waiting one in turn. */
  private next(): number {
    if (++this.count % TURN_EVERY === 0) return 0;
    let best = 0;
    let smallest = Infinity;
    this.runners.forEach((r, i) => {
      if (r.size < smallest) {
        smallest = r.size;
        best = i;
      }
    });
    return best;
  }

  private step(): void {
    this.timer = undefined;
    if (this.stopped || this.runners.length === 0) return;
    const [runner] = this.runners.splice(this.next(), 1);
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
