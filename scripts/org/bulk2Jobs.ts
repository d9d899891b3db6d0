/**
 * Waiting for a Bulk API 2.0 job, query or ingest (scripts/org/bulk2.ts, bulk2Ingest.ts): its status checks, paced
 * by the job's progress and the connection's earlier jobs of its kind, and the error of a job the org could not finish.
 */
import type { Connection } from 'jsforce';

export interface Bulk2PollOptions {
  /** Longest wait between two status checks (default 10 s). */
  maxPollInterval?: number;
  /**
   * Longest wait between two checks of a job whose end is predicted from its size (default a minute, see
   * waitFor); never shorter than `maxPollInterval`.
   */
  maxPacedWait?: number;
  /** Give up waiting for a job after this long (default 30 minutes); the job keeps running in the org. */
  pollTimeout?: number;
}

/** A job the org could not finish: Failed (with the org's message) or Aborted. */
export class Bulk2JobError extends Error {
  override readonly name = 'Bulk2JobError';
  constructor(
    message: string,
    readonly jobId: string,
    readonly state: string
  ) {
    super(message);
  }
}

export const DEFAULT_TIMEOUT = 30 * 60 * 1000;
const DEFAULT_MAX_POLL = 10_000;
const FIRST_POLL = 50;

interface JobLike {
  id: string | undefined;
  check(): Promise<{ state: string; errorMessage?: string; numberRecordsProcessed?: number | string }>;
}

/** The longest wait between two checks of a job whose end is predicted (below): a minute. */
const LONGEST_PACED_WAIT = 60_000;
/** Jobs this size or larger teach (and use) the rate at which the org works through records. */
const PACED_RECORDS = 10_000;

/**
 * Milliseconds per record the org took for the last large job of a kind (an ingest job's object and operation, a
 * query's object), per connection: the next such job's first check waits for about the time its size should
 * take, rather than backing off from 50 ms through checks that find it still running.
 */
const observedRates = new WeakMap<Connection, Map<string, number>>();

/** What paces a job's checks by the rate of the connection's earlier jobs of the same kind. */
export interface JobPace {
  conn: Connection;
  kind: string;
  /** when the org started on the job (default: now), what the first check's wait and the rates count from */
  since?: number;
}

/**
 * Waits for a job to finish. Salesforce's guide gives no polling interval — its walkthroughs repeat the status
 * request until the state is JobComplete
 * (https://developer.salesforce.com/docs/atlas.en-us.api_asynch.meta/api_asynch/query_walkthrough.htm) — and the
 * org works through an ingest job in internal batches of 10,000 records, updating numberRecordsProcessed as it goes
 * (https://developer.salesforce.com/docs/atlas.en-us.api_asynch.meta/api_asynch/how_requests_are_processed.htm).
 * So: checks 50 ms after the job was closed (or created), then 100 ms, 200 ms, … later (a small job answers within
 * a few), at most `maxPollInterval` (10 s) apart. A job of known size (`expected`: an ingest job's rows, a query's
 * expected records) is paced by its time: its first check waits nine tenths of what its size should take at the
 * rate of the connection's last large job of its kind, and once a check shows progress, the next waits as long
 * as the rest should take at this job's rate between its last two checks that showed progress (a tenth more) —
 * up to a minute (`maxPacedWait`), the rate telling when it ends — so a long job costs a couple of checks near its end rather
 * than one every 10 s, and a small one stays fast. The first such check knows only the rate since the start,
 * slowed by the job's own start, so it waits no longer than the job has run.
 */
export async function waitFor(job: JobLike, opts: Bulk2PollOptions, expected?: number, pace?: JobPace): Promise<void> {
  const deadline = Date.now() + (opts.pollTimeout ?? DEFAULT_TIMEOUT);
  const cap = opts.maxPollInterval ?? DEFAULT_MAX_POLL;
  const longest = Math.max(cap, opts.maxPacedWait ?? LONGEST_PACED_WAIT);
  const started = pace?.since ?? Date.now();
  const paced = pace !== undefined && expected !== undefined && expected >= PACED_RECORDS;
  const rates = paced ? ratesOf(pace.conn) : undefined;
  const rate = rates?.get(pace?.kind ?? '');
  let interval = Math.min(FIRST_POLL, cap);
  /** the last check that showed records processed: when, and how many */
  let progress: { at: number; done: number } | undefined;
  // the first check after a wait too: a job just closed or created has rarely finished
  const first = rate !== undefined && expected !== undefined ? Math.min(longest, Math.max(interval, rate * expected * 0.9)) : interval;
  // (less the time the job has run already: one created ahead and wanted later is checked at once)
  await new Promise((resolve) => setTimeout(resolve, Math.max(0, Math.min(first - (Date.now() - started), deadline - Date.now()))));
  // a job running for a while already backs off from half that time, as if checked from its start
  interval = Math.min(cap, Math.max(interval, (Date.now() - started) / 2));
  for (;;) {
    const info = await job.check();
    if (info.state === 'JobComplete') {
      if (rates && pace && expected !== undefined) rates.set(pace.kind, (Date.now() - started) / expected);
      return;
    }
    if (info.state === 'Failed') {
      throw new Bulk2JobError(`Bulk API job ${job.id} failed: ${info.errorMessage ?? 'no reason given'}`, job.id ?? '', info.state);
    }
    if (info.state === 'Aborted') throw new Bulk2JobError(`Bulk API job ${job.id} was aborted`, job.id ?? '', info.state);
    if (info.state === 'Open')
      throw new Bulk2JobError(`Bulk API job ${job.id} is still open (its data was never closed)`, job.id ?? '', info.state);
    const done = Number(info.numberRecordsProcessed ?? 0);
    const now = Date.now();
    let wait = interval;
    if (expected !== undefined && done > 0 && done < expected) {
      // the rate between this check and the last that showed progress; from a first such check, the rate since
      // the start, which counts the job's own start (compiling the query, waiting its turn) as if it were the
      // rate: trusted only as far as the time the job has run, so a slow start costs one more check, not an
      // idle wait many times the job's length. Ingest jobs too: a closed one waits its turn in the org's queue
      // (UploadComplete: "The job is queued and ready to be processed", the guide's page on job states cited
      // above). The local org starts a closed job at once: there a job with no earlier rate of its kind pays that check.
      const since = progress && done > progress.done ? progress : { at: started, done: 0 };
      const predicted = ((now - since.at) * (expected - done) * 1.1) / (done - since.done);
      wait = Math.min(paced ? longest : cap, Math.max(FIRST_POLL, progress ? predicted : Math.min(predicted, now - started)));
    }
    if (done > 0 && (!progress || done > progress.done)) progress = { at: now, done };
    if (Date.now() >= deadline) {
      throw new Bulk2JobError(
        `Bulk API job ${job.id} did not finish in ${Math.round((opts.pollTimeout ?? DEFAULT_TIMEOUT) / 1000)} s`,
        job.id ?? '',
        info.state
      );
    }
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, Math.min(wait, deadline - Date.now()))));
    interval = Math.min(Math.max(interval, wait) * 2, cap);
  }
}

function ratesOf(conn: Connection): Map<string, number> {
  let rates = observedRates.get(conn);
  if (!rates) {
    rates = new Map();
    observedRates.set(conn, rates);
  }
  return rates;
}
