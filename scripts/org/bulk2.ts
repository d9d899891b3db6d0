import type { Connection, Schema } from 'jsforce';
import { IngestJobV2, QueryJobV2 } from 'jsforce/lib/api/bulk2';
import { HttpApi } from 'jsforce/lib/http-api';
import { Transport } from 'jsforce/lib/transport';
import type { HttpRequest, HttpRequestOptions, HttpResponse } from 'jsforce/lib/types';
import { StreamPromise } from 'jsforce/lib/util/promise';
import { readAll } from 'jsforce/lib/util/stream';
import { PassThrough, Readable } from 'node:stream';
import { countRequestsOf } from './data/requestCounter';
import { csvRecords, csvRowChunks, recordOf } from './resultCsv';
import type { CsvRows } from './resultCsv';

/**
 * Bulk API 2.0 from our side, for moving many records: query jobs read page by page, ingest jobs fed
 * from an (async) iterable of records, a job of bounded size at a time. Jobs are created, closed,
 * polled and deleted through jsforce's own bulk2 job classes (so session refresh, logging and errors
 * are jsforce's); two things are done here instead:
 *
 * - Query results are read one `Sforce-Locator` page at a time. jsforce's `QueryJobV2.result()` (and
 *   so `conn.bulk2.query()`) pipes every page's response into one CSV parser stream, which the first
 *   page's end closes: a result of more than one page fails with ERR_STREAM_WRITE_AFTER_END
 *   (https://github.com/jsforce/jsforce/issues/1546, https://github.com/jsforce/jsforce/issues/1693,
 *   jsforce 3.10). Here each page is its own request (`maxRecords`), parsed as its body arrives and handed to the
 *   caller before the next is fetched: memory holds a chunk of a page's records whatever the result size.
 * - Polling (waitFor) backs off from 50 ms to `maxPollInterval` rather than jsforce's fixed one second, and
 *   once the job reports progress against a known size it waits for the time the rest should take; a large
 *   job's first check waits for the time its size took the connection's last job of its kind, and a query job
 *   created ahead is checked only once it is wanted: a small job on the local org costs milliseconds, a long
 *   one a couple of status calls.
 *
 * Values travel as CSV: read values are strings (empty for null), written values are converted here
 * (`null` → `#N/A`, which sets null; `undefined` or '' → left alone; booleans, numbers, Dates).
 */

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

export interface QueryPagesOptions extends Bulk2PollOptions {
  /** queryAll: include deleted and archived records. */
  scanAll?: boolean;
  /** Records per page (`maxRecords`, default 50,000). */
  pageSize?: number;
  /** The records the query is expected to give (e.g. a REST page's totalSize): paces the status checks. */
  expectedRecords?: number;
  /**
   * Records handed to the reader at a time (default: a whole result page). A result page is parsed as its
   * records are taken, so a reader of large pages (few requests) holds this many records at once, not a page's.
   */
  chunkSize?: number;
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

const DEFAULT_PAGE = 50_000;
const DEFAULT_TIMEOUT = 30 * 60 * 1000;
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
async function waitFor(job: JobLike, opts: Bulk2PollOptions, expected?: number, pace?: JobPace): Promise<void> {
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

/** The object a query without subqueries reads (its FROM). */
export function fromObject(text: string): string {
  const m = FROM.exec(text);
  if (!m) throw new Error(`no FROM object in: ${text.slice(0, 80)}`);
  return m[1];
}
const FROM = /\bFROM\s+([A-Za-z][A-Za-z0-9_]*)/i;

function ratesOf(conn: Connection): Map<string, number> {
  let rates = observedRates.get(conn);
  if (!rates) {
    rates = new Map();
    observedRates.set(conn, rates);
  }
  return rates;
}

/** One page of a query job's results, as its body arrives, and the locator of the next (undefined: none). */
async function resultPage(
  conn: Connection,
  jobId: string,
  locator: string | undefined,
  pageSize: number
): Promise<{ body: AsyncIterable<Buffer | string> | Iterable<string>; next: string | undefined }> {
  const api = new CsvResultApi(conn);
  let next: string | undefined;
  api.on('response', (res: { headers: Record<string, string | string[] | undefined> }) => {
    const h = res.headers['sforce-locator'];
    next = typeof h === 'string' && h !== '' && h !== 'null' ? h : undefined;
  });
  const params = new URLSearchParams({ maxRecords: String(pageSize) });
  if (locator) params.set('locator', locator);
  const url = new URL(`/services/data/v${conn.version}/jobs/query/${jobId}/results?${params.toString()}`, conn.instanceUrl).toString();
  const body = await api.request<unknown>({ method: 'GET', url, headers: { Accept: 'text/csv' } });
  return { body: body instanceof Readable ? bodyPieces(body) : typeof body === 'string' ? [body] : [], next };
}

/** A response body's pieces; one left before its end (the reader stopped) is read to its end and dropped. */
async function* bodyPieces(body: Readable): AsyncGenerator<Buffer | string> {
  let ended = false;
  try {
    for await (const piece of body.iterator({ destroyOnReturn: false })) yield piece as Buffer | string;
    ended = true;
  } finally {
    // (jsforce gives no way to abort the request: the connection is freed once the body has been read)
    if (!ended) body.on('error', () => undefined).resume();
  }
}

/**
 * jsforce's HTTP API (its session refresh, retries, logging and errors) over jsforce's own request, except that a
 * successful CSV response's body is not read whole: jsforce's Transport reads every body into one Buffer and
 * one string, which for a result page of 250,000 rows is hundreds of megabytes at once (twice that as UTF-16
 * once a value has a character beyond Latin-1). Here such a body is handed over as the stream it arrives as
 * and parsed as it comes (resultCsv.ts); any other response (an error's JSON, a 401 before a session refresh) is
 * read whole as jsforce reads it, and jsforce's HttpApi parses and throws it as it does its own.
 */
class CsvResultApi extends HttpApi<Schema> {
  private readonly bodies: CsvBodyTransport | undefined;

  constructor(conn: Connection) {
    // a connection through a proxy (jsforce's `proxyUrl` or `httpProxy`) or a canvas app's transport sends its
    // requests its own way: its pages are read whole through it, as jsforce reads every body
    const streamed = plainTransport(conn) ? new CsvBodyTransport() : undefined;
    // counted as the connection's own requests are (a sync's apiCalls)
    if (streamed) countRequestsOf(conn, streamed);
    super(conn, streamed ? { transport: streamed } : {});
    this.bodies = streamed;
  }

  override async getResponseBody(response: HttpResponse): Promise<unknown> {
    return this.bodies?.take() ?? super.getResponseBody(response);
  }

  /** a CSV body read whole (not streamed) is handed over as its text, not parsed by jsforce's csv-parse */
  override getResponseContentType(response: HttpResponse): string | undefined {
    const type = super.getResponseContentType(response);
    return type && /^text\/csv(;|$)/.test(type) ? 'text/plain' : (type ?? undefined);
  }
}

/** Whether the connection sends its requests through jsforce's own Transport, not a subclass of it (a proxy's). */
function plainTransport(conn: Connection): boolean {
  const own = (conn as unknown as { _transport?: object })._transport;
  return own === undefined || Object.getPrototypeOf(own) === Transport.prototype;
}

class CsvBodyTransport extends Transport {
  private body: Readable | undefined;

  /** the body of the last successful CSV response, not read yet (once) */
  take(): Readable | undefined {
    const body = this.body;
    this.body = undefined;
    return body;
  }

  override httpRequest(req: HttpRequest, options: HttpRequestOptions = {}): StreamPromise<HttpResponse> {
    return StreamPromise.create(() => {
      // jsforce's request (undici's fetch with jsforce's retries, redirects, proxy and timeout): its body is read
      // whole only when someone listens for 'complete', as jsforce's Transport does
      const stream = this.getRequestStreamCreator()(req, options);
      const promise = new Promise<HttpResponse>((resolve, reject) => {
        stream.on('error', reject);
        stream.once('response', (res: Omit<HttpResponse, 'body'>) => {
          const type = res.headers['content-type'];
          if (res.statusCode === 200 && typeof type === 'string' && /^text\/csv(;|$)/.test(type)) {
            this.body = stream;
            resolve({ ...res, body: '' });
          } else readAll(stream).then((body) => resolve({ ...res, body }), reject);
        });
      });
      // (HttpApi pipes this stream to the one its request() returns, which nobody reads here: not the body)
      return { stream: new PassThrough(), promise };
    });
  }
}

/**
 * A query job that has been created and runs in the org: `done` settles when it has finished (or failed),
 * `pages()` reads its records a page at a time (values as strings, parent fields as `Owner.Name`) and deletes
 * the job once read (or when the reader stops), `cancel()` stops and deletes a job that will not be read.
 * Starting a job before its results are wanted lets the org run it while the caller reads another's; its status
 * is checked only from when the caller asks for it (`done` or `pages()`): a job created ahead and wanted after
 * the other's results are read has usually finished by then, so one check finds it complete, rather than a
 * check every few seconds while it was not wanted.
 */
export interface StartedQuery {
  readonly done: Promise<void>;
  pages(): AsyncGenerator<Array<Record<string, string>>, void, undefined>;
  /** the same, each row an array of values in the order of the header's names (one object fewer a row) */
  rowPages(): AsyncGenerator<CsvRows, void, undefined>;
  cancel(): Promise<void>;
}

/** Creates a query job for `soql` now; its results are read with `pages()`. */
export function startQuery(conn: Connection, soql: string, opts: QueryPagesOptions = {}): StartedQuery {
  const job = new QueryJobV2(conn, {
    bodyParams: { query: soql, operation: opts.scanAll ? 'queryAll' : 'query' },
    pollingOptions: { pollInterval: 1000, pollTimeout: opts.pollTimeout ?? DEFAULT_TIMEOUT }
  });
  const opened = job.open();
  const createdAt = Date.now();
  // the outcome is read by done, pages() or cancel(); a job nobody reads must not fail the process
  opened.catch(() => undefined);
  let finished = false;
  let waiting: Promise<void> | undefined;
  const wait = (): Promise<void> => {
    if (!waiting) {
      waiting = opened
        .then(() => waitFor(job, opts, opts.expectedRecords, { conn, kind: `query ${FROM.exec(soql)?.[1] ?? ''}`, since: createdAt }))
        .then(() => {
          finished = true;
        });
      waiting.catch(() => undefined);
    }
    return waiting;
  };
  return {
    get done() {
      return wait();
    },
    async *pages() {
      for await (const { header, rows } of this.rowPages()) yield rows.map((row) => recordOf(header, row));
    },
    async *rowPages() {
      try {
        await wait();
        let locator: string | undefined;
        do {
          const page = await resultPage(conn, job.id, locator, opts.pageSize ?? DEFAULT_PAGE);
          yield* csvRowChunks(page.body, opts.chunkSize ?? Infinity);
          locator = page.next;
        } while (locator);
      } finally {
        // a finished job's results are no longer needed; one still running is left to the org
        if (finished) await job.delete().catch(() => undefined);
      }
    },
    async cancel() {
      if (!(await opened.then(() => true).catch(() => false))) return;
      // a job can be deleted once it is complete, failed or aborted: one still running is aborted first
      // (https://developer.salesforce.com/docs/atlas.en-us.api_asynch.meta/api_asynch/query_delete_job.htm)
      if (!finished) await job.abort().catch(() => undefined);
      await wait().catch(() => undefined);
      await job.delete().catch(() => undefined);
    }
  };
}

/**
 * Runs a SOQL query as a Bulk API 2.0 query job and yields its records a page at a time (values as
 * strings, parent fields as `Owner.Name`). The job is deleted once read (or when the reader stops).
 */
export async function* queryPages(
  conn: Connection,
  soql: string,
  opts: QueryPagesOptions = {}
): AsyncGenerator<Array<Record<string, string>>, void, undefined> {
  yield* startQuery(conn, soql, opts).pages();
}

/** The records of a query job, one at a time (pages fetched as they are consumed). */
export async function* queryRecords(conn: Connection, soql: string, opts: QueryPagesOptions = {}): AsyncGenerator<Record<string, string>> {
  for await (const page of queryPages(conn, soql, opts)) yield* page;
}

// ---- ingest ------------------------------------------------------------------------------------

export type IngestOperation = 'insert' | 'update' | 'upsert' | 'delete' | 'hardDelete';

export interface IngestOptions extends Bulk2PollOptions {
  object: string;
  operation: IngestOperation;
  /** upsert: the External ID field (or Id). */
  externalIdFieldName?: string;
  /** The upload's columns (field names, `Relationship.Field`); default the first record's keys (`Id` for deletes). */
  fields?: string[];
  /** Records per job (default 100,000): more records make more jobs, so each job's results stay small. */
  maxRecordsPerJob?: number;
  /** CSV bytes per job (default 100 MB, what Bulk API 2.0 advises for one upload). */
  maxBytesPerJob?: number;
  /**
   * Each job's results, when it has finished (rows carry `sf__Id`, `sf__Created` or `sf__Error`, and the uploaded
   * values): as jobs end, not always in the order of their records (`first` says where a job's records begin).
   */
  onResults?(results: IngestJobResults): void | Promise<void>;
  /**
   * `false`: `onResults` gets the failed rows only (`successful: null`), one download fewer a job; a caller that
   * needs no Id reads every other processed record as saved, and calls `loadSuccessful()` when the failed rows
   * and the counts do not account for every record. Default true.
   */
  successfulResults?: boolean;
}

export interface IngestJobResults {
  jobId: string;
  /** null when not downloaded (IngestOptions.successfulResults false) */
  successful: Array<Record<string, string>> | null;
  failed: Array<Record<string, string>>;
  /** the job's records: the index of its first among the records given to `ingest`, and how many it took */
  first: number;
  records: number;
  /** records the org processed (saved or failed: numberRecordsProcessed) */
  processed: number;
  /** downloads the successful rows (when `successful` is null) */
  loadSuccessful(): Promise<Array<Record<string, string>>>;
}

export interface IngestSummary {
  jobIds: string[];
  /** Records processed (saved or failed) and failed. */
  processed: number;
  failed: number;
  /** The first failures (at most 100): the org's `sf__Error` and the row. */
  failures: Array<{ error: string; row: Record<string, string> }>;
}

const MAX_KEPT_FAILURES = 100;
/**
 * Jobs of one ingest call uploaded while the one before is processed: the next job's data is in the org when it
 * ends (Bulk API 2.0 jobs are independent of each other; the org may run them side by side, as it runs a job's
 * own batches in parallel: "How Requests Are Processed",
 * https://developer.salesforce.com/docs/atlas.en-us.api_asynch.meta/api_asynch/how_requests_are_processed.htm).
 */
const JOBS_IN_FLIGHT = 2;

/**
 * A value as the text of its upload cell (before CSV quoting): null sets null (`#N/A`), undefined leaves the
 * field alone. A job's results repeat these texts, so they also tell which result row is which record.
 */
export function cellText(v: unknown): string {
  if (v === undefined) return '';
  if (v === null) return '#N/A';
  if (v instanceof Date) return v.toISOString();
  if (typeof v === 'object')
    throw new TypeError(`a Bulk API value must be a string, number, boolean, Date or null, not ${JSON.stringify(v)}`);
  return String(v as string | number | boolean);
}

/** A value as an upload cell, CSV-quoted where it must be. */
function cell(v: unknown): string {
  return quoted(cellText(v));
}

/** A cell's text, CSV-quoted where it must be. */
function quoted(s: string): string {
  return NEEDS_QUOTES.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}
const NEEDS_QUOTES = /[",\r\n]/;

/**
 * Records given as the texts of their upload cells (before CSV quoting), one a field of `fields` in that order:
 * scripts/org/data/recordRows.ts keeps records so, and its upload rows are made without a record built.
 */
export interface IngestRows {
  readonly fields: readonly string[];
  readonly length: number;
  uploadTexts(i: number): string[];
}

/** Characters of upload rows joined into one piece of a job's body (a Buffer) at a time. */
const BODY_PIECE = 1 << 20;

/**
 * Loads records with Bulk API 2.0 ingest jobs: the records are read as they come, a job's worth at a
 * time (bounded memory), uploaded as CSV, processed by the org while the next job's data is read, and
 * each job's results are handed to `onResults`. Rows the org refuses are counted and (the first 100)
 * kept in the summary; a job the org fails or aborts throws Bulk2JobError.
 *
 * A job's CSV is held once, as pieces of bytes (a megabyte of rows each), and streamed to the org from them: not
 * as one string, which jsforce's upload would copy and encode whole again (three copies of up to 100 MB). jsforce
 * streams an upload of records the same way (JobDataV2 pipes its CSV into the request), so the body is sent
 * without a Content-Length.
 */
export async function ingest(
  conn: Connection,
  records: Iterable<Record<string, unknown>> | AsyncIterable<Record<string, unknown>> | IngestRows,
  opts: IngestOptions
): Promise<IngestSummary> {
  const summary: IngestSummary = { jobIds: [], processed: 0, failed: 0, failures: [] };
  const maxRecords = opts.maxRecordsPerJob ?? 100_000;
  const maxBytes = opts.maxBytesPerJob ?? 100 * 1024 * 1024;
  const rows = isIngestRows(records) ? records : undefined;
  let fields = rows
    ? [...rows.fields]
    : (opts.fields ?? (opts.operation === 'delete' || opts.operation === 'hardDelete' ? ['Id'] : undefined));
  let header = '';
  // a job's body: pieces of bytes, and the rows not in one yet (each one flat string, joined a piece at a time:
  // text appended a cell at a time would be held as a tree of pieces several times its size)
  let pieces: Buffer[] = [];
  let lines: string[] = [];
  let linesLength = 0;
  let bodyLength = 0;
  let count = 0;
  let n = 0;
  /** records put in jobs so far (the index of the next job's first record) */
  let placed = 0;
  /** the jobs uploaded and not yet finished, oldest first: at most JOBS_IN_FLIGHT */
  const running: Array<Promise<void>> = [];
  const piece = () => {
    if (lines.length === 0) return;
    lines.push('');
    pieces.push(Buffer.from(lines.join('\n'), 'utf8'));
    lines = [];
    linesLength = 0;
  };
  const flush = async () => {
    if (count === 0) return;
    piece();
    const body = [Buffer.from(header, 'utf8'), ...pieces];
    const job = { first: placed, records: count };
    placed += count;
    pieces = [];
    bodyLength = 0;
    count = 0;
    if (running.length >= JOBS_IN_FLIGHT) await running.shift();
    const started = runIngestJob(conn, takeEach(body), job, opts, summary);
    // awaited before a later job or at the end; until then a failure must not count as unhandled
    started.catch(() => undefined);
    running.push(started);
  };
  if (rows) {
    // a job's rows are made into its CSV as the upload takes them: one piece of bytes at a time, not the job's whole
    header = `${rows.fields.map(quoted).join(',')}\n`;
    for (let first = 0; first < rows.length;) {
      const job = { first, records: 0 };
      await runIngestJob(conn, rowPieces(rows, job, header, { maxRecords, maxBytes }), job, opts, summary);
      first += job.records;
    }
    return summary;
  }
  const anyFields = opts.operation === 'delete' || opts.operation === 'hardDelete';
  let columns = new Set<string>();
  /** Adds a record to the job being made: true when that job is full and must be sent first. */
  const full = (record: Record<string, unknown>): boolean => {
    n++;
    if (!fields) fields = Object.keys(record).filter((k) => k !== 'attributes');
    if (!header) {
      header = `${fields.map(cell).join(',')}\n`;
      columns = new Set(fields);
    }
    if (!anyFields) {
      for (const k in record) {
        if (k !== 'attributes' && !columns.has(k) && Object.hasOwn(record, k)) {
          throw new Error(`record ${n} has the field ${k}, which is not one of the upload's columns (${fields.join(', ')})`);
        }
      }
    }
    const cells = new Array<string>(fields.length);
    for (let i = 0; i < fields.length; i++) cells[i] = cell(record[fields[i]]);
    line = cells.join(',');
    // the row's length with its line break
    return count > 0 && (count >= maxRecords || header.length + bodyLength + line.length + 1 > maxBytes);
  };
  let line = '';
  const take = () => {
    lines.push(line);
    linesLength += line.length + 1;
    if (linesLength >= BODY_PIECE) piece();
    bodyLength += line.length + 1;
    count++;
  };
  // records given at once are read in one go (no await a record, which would interleave the CSVs of several
  // ingest calls made together a record at a time, so that all of them were sent late together)
  if (Symbol.iterator in records) {
    for (const record of records) {
      if (full(record)) await flush();
      take();
    }
  } else {
    for await (const record of records as AsyncIterable<Record<string, unknown>>) {
      if (full(record)) await flush();
      take();
    }
  }
  await flush();
  // every job's failure is thrown, the first one's first
  const ended = await Promise.allSettled(running);
  const failed = ended.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) throw failed.reason;
  return summary;
}

/**
 * The CSV of a job of `rows` from `job.first`: its header, then its rows a piece (about a megabyte) at a time, as
 * many as one job takes (the same limits as `ingest`'s), counted in `job.records`.
 */
function* rowPieces(
  rows: IngestRows,
  job: { first: number; records: number },
  header: string,
  limits: { maxRecords: number; maxBytes: number }
): Generator<Buffer> {
  yield Buffer.from(header, 'utf8');
  let lines: string[] = [];
  let linesLength = 0;
  let bodyLength = 0;
  for (let i = job.first; i < rows.length; i++) {
    const line = rows.uploadTexts(i).map(quoted).join(',');
    // the row's length with its line break
    if (job.records > 0 && (job.records >= limits.maxRecords || header.length + bodyLength + line.length + 1 > limits.maxBytes)) break;
    lines.push(line);
    linesLength += line.length + 1;
    bodyLength += line.length + 1;
    job.records++;
    if (linesLength >= BODY_PIECE) {
      lines.push('');
      yield Buffer.from(lines.join('\n'), 'utf8');
      lines = [];
      linesLength = 0;
    }
  }
  if (lines.length > 0) {
    lines.push('');
    yield Buffer.from(lines.join('\n'), 'utf8');
  }
}

/** The items of a list, each removed from it as it is taken. */
function* takeEach<T>(list: T[]): Generator<T> {
  for (let item = list.shift(); item !== undefined; item = list.shift()) yield item;
}

function isIngestRows(records: unknown): records is IngestRows {
  return typeof (records as Partial<IngestRows>).uploadTexts === 'function';
}

async function runIngestJob(
  conn: Connection,
  body: Iterable<Buffer>,
  /** the job's records (counted by `body` as it is read, for a body made as it is sent) */
  slice: { first: number; records: number },
  opts: IngestOptions,
  summary: IngestSummary
): Promise<void> {
  const job: IngestJobV2<Schema> = conn.bulk2.createJob({
    object: opts.object,
    operation: opts.operation,
    ...(opts.externalIdFieldName ? { externalIdFieldName: opts.externalIdFieldName } : {}),
    lineEnding: 'LF',
    columnDelimiter: 'COMMA'
  });
  await job.open();
  summary.jobIds.push(job.id);
  // streamed a piece at a time (each let go once it is sent); a body that fails to be made (a value that cannot be a
  // cell) ends the upload there, and the job is aborted: a stream's error would not reach jsforce's request
  let failure: { error: unknown } | undefined;
  const pieces = function* () {
    try {
      yield* body;
    } catch (error) {
      failure = { error };
    }
  };
  await job.uploadData(Readable.from(pieces(), { objectMode: false }));
  if (failure) {
    await job.abort().catch(() => undefined);
    await job.delete().catch(() => undefined);
    throw failure.error;
  }
  await job.close();
  await waitFor(job, opts, slice.records, { conn, kind: `ingest ${opts.object} ${opts.operation}` });
  // the raw CSV (jsforce's `raw` flag), read by csvRecords: jsforce's csv-parse took as long as the org's own save
  const failed = csvRecords(await job.getFailedResults(true));
  const loadSuccessful = async () => csvRecords(await job.getSuccessfulResults(true));
  const successful = opts.onResults && opts.successfulResults !== false ? await loadSuccessful() : null;
  const info = job.getInfo();
  const processed = Number(info.numberRecordsProcessed ?? 0);
  summary.processed += processed;
  summary.failed += failed.length;
  for (const row of failed) {
    if (summary.failures.length >= MAX_KEPT_FAILURES) break;
    const { sf__Id: _id, sf__Error: error, ...rest } = row;
    summary.failures.push({ error, row: rest });
  }
  if (opts.onResults) await opts.onResults({ jobId: job.id, successful, failed, ...slice, processed, loadSuccessful });
}
