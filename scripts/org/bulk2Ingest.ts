/**
 * Bulk API 2.0 ingest jobs from our side (scripts/org/bulk2.ts has the query half): records fed from an (async)
 * iterable or as upload rows (IngestRows), a job of bounded size at a time, its CSV streamed to the org in pieces,
 * each job's results handed back as it ends. Values are converted to upload cells here (`null` → `#N/A`, which sets
 * null; `undefined` or '' → left alone; booleans, numbers, Dates).
 */
import type { Connection, Schema } from 'jsforce';
import type { IngestJobV2 } from 'jsforce/lib/api/bulk2';
import { Readable } from 'node:stream';
import { waitFor } from './bulk2Jobs';
import type { Bulk2PollOptions } from './bulk2Jobs';
import { csvRecords } from './resultCsv';

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
 * The CSV of one ingest job as it is made: its header, then its rows joined into pieces of bytes of about a megabyte
 * (each row one flat string, joined a piece at a time: text appended a cell at a time would be held as a tree of
 * pieces several times its size), within the job's limits of records and bytes.
 */
class JobBody {
  /** the rows added */
  records = 0;
  private pieces: Buffer[];
  private lines: string[] = [];
  private linesLength = 0;
  private bytes: number;

  constructor(
    header: string,
    private readonly limits: { maxRecords: number; maxBytes: number }
  ) {
    this.pieces = [Buffer.from(header, 'utf8')];
    this.bytes = header.length;
  }

  /** Whether a row still goes in this job (its first always does). */
  fits(line: string): boolean {
    // the row's length with its line break
    return this.records === 0 || (this.records < this.limits.maxRecords && this.bytes + line.length + 1 <= this.limits.maxBytes);
  }

  add(line: string): void {
    this.lines.push(line);
    this.linesLength += line.length + 1;
    this.bytes += line.length + 1;
    this.records++;
    if (this.linesLength >= BODY_PIECE) this.piece();
  }

  /** The pieces made so far, taken out of the body (the header first); `end`: the rows not in a piece yet too. */
  take(end = false): Buffer[] {
    if (end) this.piece();
    const out = this.pieces;
    this.pieces = [];
    return out;
  }

  private piece(): void {
    if (this.lines.length === 0) return;
    this.lines.push('');
    this.pieces.push(Buffer.from(this.lines.join('\n'), 'utf8'));
    this.lines = [];
    this.linesLength = 0;
  }
}

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
  const limits = { maxRecords: opts.maxRecordsPerJob ?? 100_000, maxBytes: opts.maxBytesPerJob ?? 100 * 1024 * 1024 };
  if (isIngestRows(records)) {
    // a job's rows are made into its CSV as the upload takes them: one piece of bytes at a time, not the job's whole
    const header = `${records.fields.map(quoted).join(',')}\n`;
    for (let first = 0; first < records.length;) {
      const job = { first, records: 0 };
      await runIngestJob(conn, rowPieces(records, job, new JobBody(header, limits)), job, opts, summary);
      first += job.records;
    }
    return summary;
  }
  let fields = opts.fields ?? (opts.operation === 'delete' || opts.operation === 'hardDelete' ? ['Id'] : undefined);
  let header = '';
  /** the job being made (from the first record, which gives the header when no fields are given) */
  let body: JobBody | undefined;
  let n = 0;
  /** records put in jobs so far (the index of the next job's first record) */
  let placed = 0;
  /** the jobs uploaded and not yet finished, oldest first: at most JOBS_IN_FLIGHT */
  const running: Array<Promise<void>> = [];
  const flush = async () => {
    if (!body || body.records === 0) return;
    const job = { first: placed, records: body.records };
    const pieces = body.take(true);
    placed += job.records;
    body = new JobBody(header, limits);
    if (running.length >= JOBS_IN_FLIGHT) await running.shift();
    const started = runIngestJob(conn, takeEach(pieces), job, opts, summary);
    // awaited before a later job or at the end; until then a failure must not count as unhandled
    started.catch(() => undefined);
    running.push(started);
  };
  const anyFields = opts.operation === 'delete' || opts.operation === 'hardDelete';
  let columns = new Set<string>();
  /** A record's upload row (checked against the upload's columns). */
  const lineOf = (record: Record<string, unknown>): string => {
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
    return cells.join(',');
  };
  const add = async (record: Record<string, unknown>) => {
    const line = lineOf(record);
    body ??= new JobBody(header, limits);
    if (!body.fits(line)) await flush();
    (body as JobBody).add(line);
  };
  // records given at once are read in one go (no await a record, which would interleave the CSVs of several
  // ingest calls made together a record at a time, so that all of them were sent late together)
  if (Symbol.iterator in records) {
    for (const record of records) await add(record);
  } else {
    for await (const record of records as AsyncIterable<Record<string, unknown>>) await add(record);
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
 * many as one job takes (the body's limits), counted in `job.records`.
 */
function* rowPieces(rows: IngestRows, job: { first: number; records: number }, body: JobBody): Generator<Buffer> {
  for (let i = job.first; i < rows.length; i++) {
    const line = rows.uploadTexts(i).map(quoted).join(',');
    if (!body.fits(line)) break;
    body.add(line);
    job.records++;
    yield* body.take();
  }
  yield* body.take(true);
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
