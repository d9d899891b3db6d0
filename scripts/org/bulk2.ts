import type { Connection, Schema } from 'jsforce';
import { QueryJobV2 } from 'jsforce/lib/api/bulk2';
import { HttpApi } from 'jsforce/lib/http-api';
import { Transport } from 'jsforce/lib/transport';
import type { HttpRequest, HttpRequestOptions, HttpResponse } from 'jsforce/lib/types';
import { StreamPromise } from 'jsforce/lib/util/promise';
import { readAll } from 'jsforce/lib/util/stream';
import { PassThrough, Readable } from 'node:stream';
import { DEFAULT_TIMEOUT, waitFor } from './bulk2Jobs';
import type { Bulk2PollOptions } from './bulk2Jobs';
import { countRequestsOf } from './data/requestCounter';
import { csvRowChunks, recordOf } from './resultCsv';
import type { CsvRows } from './resultCsv';

/**
 * Bulk API 2.0 from our side, for moving many records: query jobs read page by page (here), ingest jobs fed
 * from an (async) iterable of records, a job of bounded size at a time (bulk2Ingest.ts), both waited for by
 * bulk2Jobs.ts; this module is the entry to all three. Jobs are created, closed,
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
 * Values travel as CSV: read values are strings (empty for null), written values are converted by bulk2Ingest.ts
 * (`null` → `#N/A`, which sets null; `undefined` or '' → left alone; booleans, numbers, Dates).
 */

export { Bulk2JobError } from './bulk2Jobs';
export type { Bulk2PollOptions, JobPace } from './bulk2Jobs';
export { cellText, ingest } from './bulk2Ingest';
export type { IngestJobResults, IngestOperation, IngestOptions, IngestRows, IngestSummary } from './bulk2Ingest';

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

const DEFAULT_PAGE = 50_000;

/** The object a query without subqueries reads (its FROM). */
export function fromObject(text: string): string {
  const m = FROM.exec(text);
  if (!m) throw new Error(`no FROM object in: ${text.slice(0, 80)}`);
  return m[1];
}
const FROM = /\bFROM\s+([A-Za-z][A-Za-z0-9_]*)/i;

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
