import { DEFAULT_QUERY_TIMEOUT_MS } from '../bounds';
import type { DmlContext } from '../records/dmlContext';
import { ApiError, notFound } from '../errors';
import { makeId } from '../ids';
import type { Records } from '../records/dml';
import type { QueryEngine } from '../soql/queryEngine';
import type { Store } from '../store';
import { ColumnDelimiter, csvRow, decodeUtf8, DELIMITER_CHARS, LINE_ENDING_CHARS, LineEnding, readCsv } from './csv';
import { resultHeader, runIngest } from './ingest';
import { INGEST_OPERATIONS, IngestOperation, Job, JobKind, JobState, QUERY_OPERATIONS, QueryOperation, TERMINAL_STATES } from './job';
import { JobStore } from './jobStore';
import { DEFAULT_RESULT_PAGE, JOB_LIFESPAN_MS, MAX_QUERY_JOBS_PER_DAY, MAX_UPLOAD_BYTES, RECORDS_PER_BATCH } from './limits';
import { compileBulkQuery, decodeLocator, encodeLocator, queryResultHeader, runQuery } from './queryJob';
import type { JobRunHost } from './runHost';
import { Scheduler } from './scheduler';

/** What the Bulk API uses of the org. */
export interface BulkOrg {
  readonly store: Store;
  readonly records: Records;
  readonly queries: QueryEngine;
  requestContext(userId: string): DmlContext;
}

export interface BulkOptions {
  /** Records saved per transaction (default 10,000, the real API's batch size). */
  recordsPerBatch?: number;
  /** Query results served per page without `maxRecords` (default 50,000). */
  resultPageSize?: number;
  /** The time budget of each page of a query job's query, in ms (default: a request's, bounds.ts). */
  queryTimeoutMs?: number;
}

/** A results download: headers and a body written piece by piece. */
export interface CsvDownload {
  headers: Record<string, string>;
  chunks: Iterable<string | Uint8Array>;
}

const DAY_MS = 24 * 60 * 60 * 1000;
const ID_PREFIX = '750';

/** Bulk API 2.0's job-state labels in its INVALIDJOBSTATE messages ("Aborting already Completed Job not allowed"). */
const STATE_LABEL: Record<JobState, string> = {
  Open: 'Open',
  UploadComplete: 'Closed',
  InProgress: 'InProgress',
  JobComplete: 'Completed',
  Failed: 'Failed',
  Aborted: 'Aborted'
};

const invalidState = (message: string) => new ApiError(400, 'INVALIDJOBSTATE', message);
const invalidJob = (message: string) => new ApiError(400, 'INVALIDJOB', message);

function enumValue<T extends string>(body: Record<string, unknown>, key: string, allowed: readonly T[], fallback?: T): T {
  // eslint-disable-next-line security/detect-object-injection -- the job definition's own key names, constants of this module
  const v = body[key];
  if (v === undefined || v === null) {
    if (fallback !== undefined) return fallback;
    throw invalidJob(`InvalidJob : the '${key}' property is required`);
  }
  if (typeof v !== 'string' || !(allowed as readonly string[]).includes(v)) {
    throw new ApiError(
      400,
      'JSON_PARSER_ERROR',
      `Cannot deserialize value of type ${key} from ${JSON.stringify(v)}: not one of the values accepted for Enum class: [${allowed.join(', ')}]`
    );
  }
  return v as T;
}

/**
 * Bulk API 2.0 jobs of the local org: creating, uploading, closing, aborting, deleting and listing
 * them, their results, and running them in the background (`runIngest`, `runQuery`, one chunk at a
 * time between other requests). Jobs survive a restart of a file-backed org, and a job that was
 * being processed carries on from its last saved chunk.
 */
export class BulkJobs {
  private readonly jobs = new Map<string, Job>();
  private readonly store: JobStore;
  private readonly scheduler = new Scheduler();
  private readonly runHost: JobRunHost;
  private readonly resultPageSize: number;

  constructor(
    private readonly org: BulkOrg,
    private readonly clock: () => Date,
    opts: BulkOptions = {}
  ) {
    this.store = new JobStore(org.store);
    for (const job of this.store.loadAll()) this.jobs.set(job.id, job);
    this.resultPageSize = opts.resultPageSize ?? DEFAULT_RESULT_PAGE;
    const recordsPerBatch = opts.recordsPerBatch ?? RECORDS_PER_BATCH;
    this.runHost = {
      store: org.store,
      records: org.records,
      queries: org.queries,
      jobs: this.store,
      recordsPerBatch,
      queryRowsPerStep: Math.min(recordsPerBatch, 5_000),
      queryTimeoutMs: opts.queryTimeoutMs ?? DEFAULT_QUERY_TIMEOUT_MS,
      requestContext: (userId) => org.requestContext(userId),
      finish: (job, state, message) => this.finish(job, state, message),
      touch: (job) => this.touch(job),
      ingestedToday: () => this.ingestedToday()
    };
  }

  /** Carries on with the jobs a previous run left in progress (after the org has started). */
  resume(): void {
    this.purge();
    for (const job of this.jobs.values()) if (job.state === 'UploadComplete' || job.state === 'InProgress') this.schedule(job);
  }

  /** Stops background work (the server is closing). */
  stop(): void {
    this.scheduler.stop();
    this.store.close();
  }

  // ---- jobs ------------------------------------------------------------------------------------

  createIngest(body: unknown, version: string, ctx: DmlContext): Job {
    const b = this.jsonObject(body);
    const operation = enumValue<IngestOperation>(b, 'operation', INGEST_OPERATIONS);
    if (typeof b.object !== 'string' || b.object === '') throw invalidJob("InvalidJob : the 'object' property is required");
    const obj = ctx.access.schema.get(b.object);
    if (!obj) throw new ApiError(400, 'INVALIDENTITY', `sObject type '${b.object}' is not supported.`);
    if (operation === 'hardDelete' && !ctx.access.all) {
      // hardDelete needs the "Bulk API Hard Delete" user permission; the local org grants it with Modify All Data
      throw invalidJob(
        'InvalidJob : hardDelete operation requires special user profile permission, please contact your system administrator'
      );
    }
    let externalIdFieldName: string | undefined;
    if (operation === 'upsert') {
      if (typeof b.externalIdFieldName !== 'string' || b.externalIdFieldName === '') {
        throw invalidJob(`InvalidJob : External ID was blank for ${obj.name}. An External ID must be specified for upsert.`);
      }
      const f = obj.byName.get(b.externalIdFieldName.toLowerCase());
      if (!f || !(f.externalId || f.name === 'Id')) {
        throw invalidJob(
          `InvalidJob : Field name provided, ${b.externalIdFieldName} is not an External ID or indexed field for ${obj.name}`
        );
      }
      externalIdFieldName = f.name;
    }
    const job = this.newJob('ingest', operation, obj.name, b, version, ctx);
    job.externalIdFieldName = externalIdFieldName;
    if (typeof b.assignmentRuleId === 'string') job.assignmentRuleId = b.assignmentRuleId;
    this.save(job);
    return job;
  }

  createQuery(body: unknown, version: string, ctx: DmlContext): Job {
    const b = this.jsonObject(body);
    const operation = enumValue<QueryOperation>(b, 'operation', QUERY_OPERATIONS);
    if (typeof b.query !== 'string' || b.query.trim() === '') throw invalidJob("InvalidJob : the 'query' property is required");
    const compiled = compileBulkQuery(this.org.queries, b.query, version, ctx, operation === 'queryAll');
    const since = ctx.now.getTime() - DAY_MS;
    const today = [...this.jobs.values()].filter((j) => j.kind === 'query' && Date.parse(j.createdDate) > since).length;
    if (today >= MAX_QUERY_JOBS_PER_DAY) {
      throw new ApiError(
        400,
        'EXCEEDEDQUOTA',
        `ExceededQuota : the limit of ${MAX_QUERY_JOBS_PER_DAY.toLocaleString('en-US')} query jobs in 24 hours is reached`
      );
    }
    const job = this.newJob('query', operation, compiled.obj.name, b, version, ctx);
    job.query = b.query;
    job.state = 'UploadComplete';
    this.save(job);
    this.schedule(job);
    return job;
  }

  /**
   * A job of this kind, or 404 NOT_FOUND. A user token reaches its own jobs, the admin (Modify All Data)
   * every job, as "Manage Data Integrations" does in an org.
   */
  get(kind: JobKind, id: string, ctx: DmlContext): Job {
    const job = this.jobs.get(id);
    if (!job || job.kind !== kind || !(ctx.access.all || job.createdById === ctx.userId)) throw notFound();
    return job;
  }

  /** The jobs of a kind the user reaches, oldest first, as Get All Jobs pages them. */
  list(kind: JobKind, ctx: DmlContext): Job[] {
    return [...this.jobs.values()].filter((j) => j.kind === kind && (ctx.access.all || j.createdById === ctx.userId));
  }

  /** Upload Job Data: once per job, while it is Open, at most 150 MB in base64. */
  upload(id: string, data: Buffer, contentType: string, ctx: DmlContext): void {
    const job = this.get('ingest', id, ctx);
    if (!/^text\/csv\b/i.test(contentType)) {
      throw new ApiError(400, 'INVALIDCONTENTTYPE', `Unsupported content type ${contentType || '(none)'}: upload job data as text/csv`);
    }
    if (job.state !== 'Open') throw invalidState(`Uploading data to a Job in state ${job.state} is not allowed`);
    if (job.uploaded) {
      throw invalidState(
        `Found multiple contents for job: ${job.id}, please 'Close' / 'Abort' / 'Delete' the current Job then create a new Job and make sure you only do 'PUT' once on a given Job.`
      );
    }
    if (data.length > MAX_UPLOAD_BYTES) {
      throw new ApiError(413, 'REQUEST_ENTITY_TOO_LARGE', 'The job data exceeds the maximum of 150 MB (base64-encoded) per job');
    }
    this.org.store.transaction(() => {
      this.store.putUpload(job.id, data);
      job.uploaded = true;
      job.uploadBytes = data.length;
      this.touch(job);
    });
  }

  /** PATCH `{state}`: UploadComplete closes an open ingest job (it is then processed), Aborted aborts a job. */
  setState(kind: JobKind, id: string, body: unknown, ctx: DmlContext): Job {
    const job = this.get(kind, id, ctx);
    const b = this.jsonObject(body);
    const state = b.state;
    if (state === 'UploadComplete' && kind === 'ingest') {
      if (job.state !== 'Open') throw invalidState(`Closing already ${STATE_LABEL[job.state]} Job not allowed`);
      job.state = 'UploadComplete';
      this.save(job);
      this.schedule(job);
      return job;
    }
    if (state === 'Aborted') {
      if (TERMINAL_STATES.has(job.state)) throw invalidState(`Aborting already ${STATE_LABEL[job.state]} Job not allowed`);
      job.state = 'Aborted';
      this.scheduler.remove(job.id);
      this.save(job);
      return job;
    }
    throw invalidState(`Invalid state: ${JSON.stringify(state)}. ${kind === 'ingest' ? 'Use UploadComplete or Aborted' : 'Use Aborted'}`);
  }

  /** Deletes a job and its data; it must be UploadComplete, JobComplete, Aborted or Failed. */
  delete(kind: JobKind, id: string, ctx: DmlContext): void {
    const job = this.get(kind, id, ctx);
    if (job.state === 'Open' || job.state === 'InProgress') {
      throw invalidState(
        `Deleting a Job in state ${job.state} is not allowed: the job must be UploadComplete, JobComplete, Aborted or Failed`
      );
    }
    this.scheduler.remove(job.id);
    job.state = 'Aborted';
    this.jobs.delete(job.id);
    this.store.remove(job.id);
  }

  // ---- results ---------------------------------------------------------------------------------

  /** successfulResults / failedResults: the `sf__` columns and the row as uploaded. */
  ingestResults(id: string, kind: 'success' | 'failure', ctx: DmlContext): CsvDownload {
    const job = this.get('ingest', id, ctx);
    const store = this.store;
    function* chunks(): Generator<string | Uint8Array> {
      if (!job.header) return;
      yield resultHeader(job, kind);
      yield* store.ingestResults(job.id, kind);
    }
    return { headers: {}, chunks: chunks() };
  }

  /** unprocessedrecords: the rows of a failed or aborted job that were not processed, under the upload's header. */
  unprocessed(id: string, ctx: DmlContext): CsvDownload {
    const job = this.get('ingest', id, ctx);
    const store = this.store;
    const d = DELIMITER_CHARS[job.columnDelimiter];
    const eol = LINE_ENDING_CHARS[job.lineEnding];
    function* chunks(): Generator<string> {
      if (!job.uploaded) return;
      if (!job.header) {
        if (job.state === 'Aborted' || job.state === 'Failed') yield* decodeUtf8(store.uploadPieces(job.id));
        return;
      }
      yield csvRow(job.header, d, eol);
      if (job.state !== 'Aborted' && job.state !== 'Failed') return;
      const reader = readCsv(decodeUtf8(store.uploadPieces(job.id)), d, eol);
      try {
        reader.next();
        for (let i = 0; i < job.processedUpTo; i++) if (reader.next().done) return;
        let out = '';
        for (const row of reader) {
          out += csvRow(row, d, eol);
          if (out.length > 1 << 20) {
            yield out;
            out = '';
          }
        }
        if (out) yield out;
      } catch {
        return;
      }
    }
    return { headers: {}, chunks: chunks() };
  }

  /** A query job's results from a locator, at most `maxRecords`, with Sforce-Locator and Sforce-NumberOfRecords. */
  queryResults(id: string, locator: string | null, maxRecords: string | null, ctx: DmlContext): CsvDownload {
    const job = this.get('query', id, ctx);
    if (job.state !== 'JobComplete') {
      throw new ApiError(
        412,
        'JOB_NOT_COMPLETE',
        `can only download query results of successfully completed bulk job with status: JOB_COMPLETE. Current status: ${job.state.replace(/([a-z])([A-Z])/g, '$1_$2').toUpperCase()}`
      );
    }
    const total = job.numberRecordsProcessed;
    const offset = locator === null || locator === '' ? 0 : decodeLocator(locator);
    if (offset === undefined || offset > total) throw new ApiError(400, 'INVALID_LOCATOR', `Invalid locator: ${locator}`);
    let max = this.resultPageSize;
    if (maxRecords !== null) {
      if (!/^[1-9]\d{0,9}$/.test(maxRecords))
        throw new ApiError(400, 'INVALIDREQUEST', `maxRecords must be a positive integer: ${maxRecords}`);
      max = Number(maxRecords);
    }
    const start = offset;
    const count = Math.min(max, total - start);
    const end = start + count;
    const store = this.store;
    function* chunks(): Generator<string | Uint8Array> {
      yield queryResultHeader(job);
      if (count === 0) return;
      for (const piece of store.queryResults(job.id, start)) {
        if (piece.first >= end) return;
        const from = Math.max(start, piece.first) - piece.first;
        const to = Math.min(end, piece.first + piece.rows) - piece.first;
        yield piece.bytes(from, to);
      }
    }
    return {
      headers: { 'Sforce-Locator': end < total ? encodeLocator(end) : 'null', 'Sforce-NumberOfRecords': String(count) },
      chunks: chunks()
    };
  }

  // ---- limits ----------------------------------------------------------------------------------

  /** Query jobs created in the last 24 hours (the `/limits` DailyBulkV2QueryJobs count). */
  queryJobsToday(): number {
    const since = this.clock().getTime() - DAY_MS;
    return [...this.jobs.values()].filter((j) => j.kind === 'query' && Date.parse(j.createdDate) > since).length;
  }

  private ingestedToday(): number {
    const since = this.clock().getTime() - DAY_MS;
    let n = 0;
    for (const j of this.jobs.values()) if (j.kind === 'ingest' && Date.parse(j.createdDate) > since) n += j.numberRecordsProcessed;
    return n;
  }

  // ---- internals -------------------------------------------------------------------------------

  private jsonObject(body: unknown): Record<string, unknown> {
    if (typeof body !== 'object' || body === null || Array.isArray(body)) {
      throw new ApiError(400, 'JSON_PARSER_ERROR', 'The request body must be a JSON object');
    }
    return body as Record<string, unknown>;
  }

  private newJob(
    kind: JobKind,
    operation: Job['operation'],
    object: string,
    b: Record<string, unknown>,
    version: string,
    ctx: DmlContext
  ): Job {
    // every property is checked before the job takes its id: a refused job writes nothing
    enumValue(b, 'contentType', ['CSV'] as const, 'CSV');
    const lineEnding = enumValue<LineEnding>(b, 'lineEnding', ['LF', 'CRLF'], 'LF');
    const columnDelimiter = enumValue<ColumnDelimiter>(
      b,
      'columnDelimiter',
      ['BACKQUOTE', 'CARET', 'COMMA', 'PIPE', 'SEMICOLON', 'TAB'],
      'COMMA'
    );
    this.purge();
    const now = ctx.now.toISOString();
    return {
      id: makeId(ID_PREFIX, this.org.store.nextSeq(`id:${ID_PREFIX}`)),
      kind,
      operation,
      object,
      createdById: ctx.userId,
      createdDate: now,
      systemModstamp: now,
      state: 'Open',
      apiVersion: version,
      lineEnding,
      columnDelimiter,
      numberRecordsProcessed: 0,
      numberRecordsFailed: 0,
      totalProcessingTime: 0,
      uploaded: false,
      uploadBytes: 0,
      processedUpTo: 0
    };
  }

  private save(job: Job): void {
    this.jobs.set(job.id, job);
    job.systemModstamp = this.clock().toISOString();
    this.store.save(job);
  }

  private touch(job: Job): void {
    job.systemModstamp = this.clock().toISOString();
    this.store.save(job);
  }

  private schedule(job: Job): void {
    const steps = (function* (self: BulkJobs): Generator<void, void, undefined> {
      if (job.state === 'UploadComplete') {
        job.state = 'InProgress';
        job.startedAt = Date.now();
        self.save(job);
      }
      if (job.state !== 'InProgress') return;
      yield* job.kind === 'ingest' ? runIngest(self.runHost, job) : runQuery(self.runHost, job);
    })(this);
    // an ingest job's size is its upload; a query job's is not known before it runs (it goes with the smallest)
    this.scheduler.add(
      job.id,
      steps,
      (e) => this.finish(job, 'Failed', `InternalServerError : ${e instanceof Error ? e.message : String(e)}`),
      job.kind === 'ingest' ? job.uploadBytes : 0
    );
  }

  private finish(job: Job, state: 'JobComplete' | 'Failed', errorMessage?: string): void {
    if (!this.jobs.has(job.id) || job.state !== 'InProgress') return;
    job.state = state;
    if (errorMessage) job.errorMessage = errorMessage;
    job.totalProcessingTime = job.startedAt ? Date.now() - job.startedAt : 0;
    this.save(job);
    // every record of a completed ingest job was processed: its upload is never read again (unprocessedrecords is the header)
    if (job.kind === 'ingest' && state === 'JobComplete') this.store.dropUpload(job.id);
  }

  /** Jobs in a terminal state for more than 7 days are deleted with their results. */
  private purge(): void {
    const before = this.clock().getTime() - JOB_LIFESPAN_MS;
    for (const job of [...this.jobs.values()]) {
      if (TERMINAL_STATES.has(job.state) && Date.parse(job.systemModstamp) < before) {
        this.jobs.delete(job.id);
        this.store.remove(job.id);
      }
    }
  }
}
