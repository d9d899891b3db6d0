import { ApiError, badRequest } from '../errors';
import { normalizeId } from '../ids';
import { CsvFormatError, csvRow, decodeUtf8, DELIMITER_CHARS, LINE_ENDING_CHARS, readCsv } from './csv';
import {
  checkRowParents,
  IngestPlan,
  InsertTargets,
  insertTargets,
  insertValues,
  JobFailure,
  NULL_VALUE,
  planIngest,
  resolveParents,
  ResolvedParents,
  rowInput
} from './ingestColumns';
import type { IngestOperation, Job } from './job';
import { MAX_FIELD_CHARS, MAX_RECORD_CHARS, MAX_RECORDS_PER_DAY } from './limits';
import type { JobRunHost } from './runHost';

/**
 * Processing an ingest job: its upload is read as CSV a chunk at a time (10,000 records, as the
 * real API's batches), and each chunk is saved in one transaction through the records layer — the
 * same insert, update, upsert and delete as the REST API, so validation, permissions, derived
 * fields and history rows are the same — with the chunk's successful and failed results. A row that
 * fails leaves nothing of it behind (`saveChunk`); a chunk that cannot be saved at all fails the job
 * with the rest of the records unprocessed.
 *
 * `runIngest` is a generator: each `next()` processes one chunk, so the scheduler can let other
 * requests run between chunks.
 */
export function* runIngest(host: JobRunHost, job: Job): Generator<void, void, undefined> {
  const delimiter = DELIMITER_CHARS[job.columnDelimiter];
  const eol = LINE_ENDING_CHARS[job.lineEnding];
  const reader = readCsv(decodeUtf8(host.jobs.uploadPieces(job.id)), delimiter, eol);
  let plan: IngestPlan;
  try {
    const first = reader.next();
    if (first.done) {
      host.finish(job, 'JobComplete');
      return;
    }
    const header = first.value;
    job.header = header;
    checkLineEnding(job, header);
    // the header is read as the job's creator sees the object: a field they cannot see is not found
    const schema = host.requestContext(job.createdById).access.schema;
    const obj = schema.get(job.object);
    if (!obj) throw new JobFailure(`InvalidJob : sObject type '${job.object}' is not supported.`);
    plan = planIngest(schema, obj, header, job.operation as IngestOperation, job.externalIdFieldName);
  } catch (e) {
    if (e instanceof JobFailure) return host.finish(job, 'Failed', e.message);
    if (e instanceof CsvFormatError) return host.finish(job, 'Failed', `ClientInputError : ${e.message}`);
    if (e instanceof ApiError) return host.finish(job, 'Failed', `${e.errorCode} : ${e.message}`);
    throw e;
  }
  for (let i = 0; i < job.processedUpTo; i++) if (reader.next().done) break;
  for (;;) {
    if (job.state !== 'InProgress') return;
    const rows: string[][] = [];
    let formatError: CsvFormatError | undefined;
    try {
      while (rows.length < host.recordsPerBatch) {
        const r = reader.next();
        if (r.done) break;
        rows.push(r.value);
      }
    } catch (e) {
      if (!(e instanceof CsvFormatError)) throw e;
      formatError = e;
    }
    if (rows.length > 0) {
      if (host.ingestedToday() + rows.length > MAX_RECORDS_PER_DAY) {
        return host.finish(
          job,
          'Failed',
          `ExceededQuota : The daily limit of ${MAX_RECORDS_PER_DAY.toLocaleString('en-US')} records for ingest jobs is reached; the rest of the data was not processed`
        );
      }
      try {
        saveChunk(host, job, plan, rows);
      } catch (e) {
        const message =
          e instanceof ApiError ? `${e.errorCode} : ${e.message}` : `InternalServerError : ${e instanceof Error ? e.message : String(e)}`;
        return host.finish(job, 'Failed', message);
      }
    }
    if (formatError) return host.finish(job, 'Failed', `ClientInputError : ${formatError.message}`);
    if (rows.length < host.recordsPerBatch) return host.finish(job, 'JobComplete');
    yield;
  }
}

/** The header row shows which line ending the file has: a CR left on LF lines, or LF lines read as CRLF. */
function checkLineEnding(job: Job, header: string[]): void {
  const last = header[header.length - 1] ?? '';
  const wrong = job.lineEnding === 'LF' ? last.endsWith('\r') : header.some((h) => h.includes('\n'));
  if (wrong) throw new JobFailure(`ClientInputError : LineEnding is invalid on user data. Current LineEnding setting is ${job.lineEnding}`);
}

interface RowResult {
  id: string;
  created: boolean;
}

/**
 * One chunk in one transaction: every row through the DML layer, its results, the job's counters.
 * A row that fails must leave nothing behind. Inserts and updates check everything before they write,
 * so a row that fails has written nothing; saving them without a savepoint each (which costs SQLite a
 * copy of every page the row touches) is the fast path. Should a failing row have written something
 * after all, the chunk is rolled back and saved again with a savepoint per row, as deletes (whose
 * cascade may fail halfway) always are.
 */
function saveChunk(host: JobRunHost, job: Job, plan: IngestPlan, rows: string[][]): void {
  const careful = job.operation === 'delete' || job.operation === 'hardDelete';
  if (!careful) {
    try {
      saveChunkWith(host, job, plan, rows, false);
      return;
    } catch (e) {
      if (!(e instanceof PartialRowWrite)) throw e;
    }
  }
  saveChunkWith(host, job, plan, rows, true);
}

/** A row failed after writing something: the chunk must be saved again row by row. */
class PartialRowWrite extends Error {}

function saveChunkWith(host: JobRunHost, job: Job, plan: IngestPlan, rows: string[][], savepoints: boolean): void {
  const ctx = host.requestContext(job.createdById);
  const d = DELIMITER_CHARS[job.columnDelimiter];
  const eol = LINE_ENDING_CHARS[job.lineEnding];
  const width = plan.header.length;
  const store = host.store;
  // an insert's columns resolved once for the chunk (null: a job whose rows go through rowInput)
  const targets = job.operation === 'insert' ? insertTargets(plan, ctx.access) : null;
  store.transaction(() => {
    const parents = resolveParents(store, plan, rows);
    let ok = '';
    let bad = '';
    let okRows = 0;
    let badRows = 0;
    for (const row of rows) {
      const values = row.length === width ? row : [...row, ...new Array<string>(Math.max(0, width - row.length)).fill('')].slice(0, width);
      const writes = store.writes;
      try {
        const r = savepoints
          ? withSavepoint(host, () => applyRow(host, job, plan, row, parents, ctx, targets))
          : applyRow(host, job, plan, row, parents, ctx, targets);
        ok += csvRow([r.id, r.created ? 'true' : 'false', ...values], d, eol);
        okRows++;
      } catch (e) {
        if (!savepoints && store.writes !== writes) throw new PartialRowWrite();
        const error = asRowError(e);
        bad += csvRow([failedId(job, plan, row), sfError(error), ...values], d, eol);
        badRows++;
      }
    }
    const first = job.processedUpTo;
    host.jobs.appendResult(job.id, 'success', { first, rows: okRows, text: ok });
    host.jobs.appendResult(job.id, 'failure', { first, rows: badRows, text: bad });
    job.processedUpTo += rows.length;
    job.numberRecordsProcessed += rows.length;
    job.numberRecordsFailed += badRows;
    host.touch(job);
  });
}

function applyRow(
  host: JobRunHost,
  job: Job,
  plan: IngestPlan,
  row: string[],
  parents: ResolvedParents,
  ctx: ReturnType<JobRunHost['requestContext']>,
  targets: InsertTargets | null
): RowResult {
  checkRowSize(plan, row);
  const { obj, idIndex, extIndex } = plan;
  const records = host.records;
  // eslint-disable-next-line security/detect-object-injection -- a numeric index into a parsed CSV row (an array)
  const idValue = idIndex >= 0 ? row[idIndex] : '';
  switch (job.operation) {
    case 'insert':
      if (!targets) return { id: records.insert(obj.name, rowInput(plan, row, parents), ctx, false), created: true };
      // what records.insert(rowInput(…)) does, in the same order: the parents, the object, the values, the rest
      checkRowParents(plan, row, parents);
      return {
        id: records.insertValues(records.insertable(obj.name, ctx, false), insertValues(plan, targets, row, parents), ctx),
        created: true
      };
    case 'update':
      if (!idValue || idValue === NULL_VALUE) throw badRequest('MISSING_ARGUMENT', 'Id not specified in an update call', ['Id']);
      return { id: records.update(obj.name, idValue, rowInput(plan, row, parents, idIndex), ctx, false), created: false };
    case 'upsert': {
      const ext = job.externalIdFieldName!;
      // eslint-disable-next-line security/detect-object-injection -- a numeric index into a parsed CSV row (an array)
      const key = extIndex >= 0 ? row[extIndex] : '';
      const value = key === '' || key === NULL_VALUE ? undefined : key;
      return records.upsert(obj.name, ext, value, rowInput(plan, row, parents, extIndex), ctx, false);
    }
    case 'delete':
    case 'hardDelete':
      if (!idValue || idValue === NULL_VALUE) throw badRequest('MISSING_ARGUMENT', 'Id not specified in a delete call', ['Id']);
      return { id: records.delete(obj.name, idValue, ctx, { hard: job.operation === 'hardDelete' }), created: false };
    default:
      throw badRequest('INVALID_OPERATION', `unsupported operation ${job.operation}`);
  }
}

function checkRowSize(plan: IngestPlan, row: string[]): void {
  if (row.length !== plan.header.length) {
    throw badRequest('INVALID_FIELD', `Wrong number of columns: the header has ${plan.header.length}, this row ${row.length}`);
  }
  let total = 0;
  for (let i = 0; i < row.length; i++) {
    // eslint-disable-next-line security/detect-object-injection -- a numeric index into a parsed CSV row (an array)
    const n = row[i].length;
    total += n;
    if (n > MAX_FIELD_CHARS) {
      // eslint-disable-next-line security/detect-object-injection -- a numeric index into the plan's column array
      const f = plan.columns[i].field.name;
      throw badRequest('STRING_TOO_LONG', `${f}: data value too large: more than ${MAX_FIELD_CHARS.toLocaleString('en-US')} characters`, [
        f
      ]);
    }
  }
  if (total > MAX_RECORD_CHARS) {
    throw badRequest('LIMIT_EXCEEDED', `The record has more than ${MAX_RECORD_CHARS.toLocaleString('en-US')} characters`);
  }
}

/** A row's work undone alone when it fails (prepared savepoint statements: one of these per row). */
function withSavepoint<T>(host: JobRunHost, fn: () => T): T {
  const store = host.store;
  store.prepare('SAVEPOINT bulk_row').run();
  try {
    const out = fn();
    store.prepare('RELEASE bulk_row').run();
    return out;
  } catch (e) {
    store.prepare('ROLLBACK TO bulk_row').run();
    store.prepare('RELEASE bulk_row').run();
    throw e;
  }
}

/** A row's failure as the API reports it; a unique index refusing a value is the DUPLICATE_VALUE validation missed. */
function asRowError(e: unknown): ApiError {
  if (e instanceof ApiError) return e;
  const message = e instanceof Error ? e.message : String(e);
  if (/UNIQUE constraint failed/.test(message))
    return badRequest('DUPLICATE_VALUE', `duplicate value found: ${message.split(': ').pop() ?? ''}`);
  throw e;
}

/** `sf__Error`: `CODE:message:fields --` (fields separated by spaces). */
export function sfError(e: ApiError): string {
  return `${e.errorCode}:${e.message}:${e.fields.length > 0 ? `${e.fields.join(' ')} ` : ''}--`;
}

/** `sf__Id` of a failed row: the record's Id when the row names one. */
function failedId(job: Job, plan: IngestPlan, row: string[]): string {
  if (job.operation === 'insert') return '';
  const v = plan.idIndex >= 0 ? row[plan.idIndex] : '';
  return v && v !== NULL_VALUE ? (normalizeId(v) ?? v) : '';
}

/** Header of the successful or failed results: the two `sf__` columns, then the upload's own header. */
export function resultHeader(job: Job, kind: 'success' | 'failure'): string {
  const second = kind === 'success' ? 'sf__Created' : 'sf__Error';
  return csvRow(['sf__Id', second, ...(job.header ?? [])], DELIMITER_CHARS[job.columnDelimiter], LINE_ENDING_CHARS[job.lineEnding]);
}
