import type { DmlContext } from '../records/dmlContext';
import { ApiError } from '../errors';
import type { FieldSchema } from '../schema';
import { parseSoql } from '../soql/parse';
import type { Compiled } from '../soql/plan';
import type { QueryEngine, ScannedRows } from '../soql/queryEngine';
import { QueryTimeout, SqlValue } from '../store';
import { csvValue, DELIMITER_CHARS, LINE_ENDING_CHARS } from './csv';
import type { Job } from './job';
import type { JobRunHost } from './runHost';

/**
 * Query jobs: SOQL run by the same engine as the REST query resource, its rows written as CSV
 * pieces that `GET …/results` serves in any slice (`locator`, `maxRecords`). Columns are the SELECT
 * list's fields in order, parent fields flattened by path (`Owner.Name`); every value is quoted,
 * null is empty, booleans are `true`/`false`, datetimes ISO 8601 in UTC (`2024-05-01T13:00:00.000Z`).
 *
 * "Bulk API 2.0 doesn't support SOQL queries that include any of these items: GROUP BY, OFFSET, or
 * TYPEOF clauses; aggregate functions such as COUNT(); date functions in GROUP BY clauses; compound
 * data …; parent-to-child relationship queries" (Create a Query Job:
 * https://developer.salesforce.com/docs/atlas.en-us.api_asynch.meta/api_asynch/query_create_job.htm).
 * A child subquery is refused as orgs refuse it ("Aggregate Relationships not supported in Bulk V2
 * Query with CSV content type", reported in https://github.com/OpenFn/adaptors/issues/395).
 */

const unsupported = (message: string) => new ApiError(400, 'FEATURENOTENABLED', message);

/** Compiles a query job's SOQL, refusing what Bulk API 2.0 does not run; other errors are the REST query's. */
export function compileBulkQuery(queries: QueryEngine, soql: string, version: string, ctx: DmlContext, includeDeleted: boolean): Compiled {
  const q = parseSoql(soql);
  if ((q.fields ?? []).some((f) => f.type === 'FieldSubquery')) {
    throw unsupported('Aggregate Relationships not supported in Bulk V2 Query with CSV content type');
  }
  if (q.offset !== undefined) throw unsupported('OFFSET is not supported in Bulk V2 Query');
  if (q.groupBy !== undefined) throw unsupported('GROUP BY is not supported in Bulk V2 Query');
  if ((q.fields ?? []).some((f) => f.type === 'FieldTypeof')) throw unsupported('TYPEOF is not supported in Bulk V2 Query');
  // the creator's view of the schema: the objects and fields they can read, and the records sharing lets them see
  const compiled = queries.compile(soql, { schema: ctx.access.schema, version, now: ctx.now, tz: ctx.timeZone(), includeDeleted });
  if (compiled.aggregate || compiled.countOnly) throw unsupported('Aggregate queries are not supported in Bulk V2 Query');
  return compiled;
}

/** A stored value as a Bulk API CSV value. */
function cell(f: FieldSchema, v: SqlValue | undefined): string {
  if (v === null || v === undefined) return f.type === 'boolean' ? 'false' : '';
  switch (f.type) {
    case 'boolean':
      return v === 1 || v === '1' ? 'true' : 'false';
    case 'anyType':
      // stored as JSON to keep its type for the REST API; a CSV cell is the value's text (a history row's
      // OldValue `Open`, not `"Open"`)
      return anyTypeText(String(v));
    default:
      return typeof v === 'string' ? v : String(v);
  }
}

function anyTypeText(stored: string): string {
  try {
    const v: unknown = JSON.parse(stored);
    return v === null ? '' : typeof v === 'object' ? stored : String(v as string | number | boolean);
  } catch {
    return stored;
  }
}

/**
 * Runs a query job a page at a time, each page stored as a piece of the results with its row offsets.
 * The query of each page runs within the org's query time budget (the one a request has, bounds.ts):
 * a step runs on the thread that serves every client, so a query that runs past it fails the job with
 * QUERY_TIMEOUT instead of holding up the org, as a real org fails a bulk query that "doesn't execute
 * within the standard 2-minute timeout limit" ("How Bulk Queries Are Processed":
 * https://developer.salesforce.com/docs/atlas.en-us.api_asynch.meta/api_asynch/asynch_api_bulk_query_processing.htm).
 */
export function* runQuery(host: JobRunHost, job: Job): Generator<void, void, undefined> {
  let compiled: Compiled;
  try {
    const ctx = host.requestContext(job.createdById);
    compiled = compileBulkQuery(host.queries, job.query ?? '', job.apiVersion, ctx, job.operation === 'queryAll');
  } catch (e) {
    if (e instanceof ApiError) return host.finish(job, 'Failed', `${e.errorCode} : ${e.message}`);
    throw e;
  }
  const cols = compiled.columns.filter((c) => c.kind === 'field');
  const d = DELIMITER_CHARS[job.columnDelimiter];
  const eol = LINE_ENDING_CHARS[job.lineEnding];
  host.store.transaction(() => {
    host.jobs.clearResults(job.id);
    job.columns = cols.map((c) => c.path.join('.'));
    job.numberRecordsProcessed = 0;
    host.touch(job);
  });
  let n = 0;
  const pages = host.queries.scan(compiled, host.queryRowsPerStep);
  for (;;) {
    let page: IteratorResult<ScannedRows>;
    try {
      page = host.store.withDeadline(host.queryTimeoutMs, () => pages.next());
    } catch (e) {
      if (e instanceof QueryTimeout) return host.finish(job, 'Failed', `QUERY_TIMEOUT : ${e.message}`);
      throw e;
    }
    if (page.done) break;
    const { rows, index } = page.value;
    if (job.state !== 'InProgress') return;
    // each column's position in the rows, by the query plan's own SQL alias
    const at = cols.map((c) => index.get(c.sqlAlias) ?? -1);
    const offsets = new Uint32Array(rows.length);
    let text = '';
    for (let r = 0; r < rows.length; r++) {
      // eslint-disable-next-line security/detect-object-injection -- numeric indexes into arrays of rows and offsets
      offsets[r] = text.length;
      // eslint-disable-next-line security/detect-object-injection -- a numeric index into the result rows (an array)
      const row = rows[r];
      for (let c = 0; c < cols.length; c++) {
        // eslint-disable-next-line security/detect-object-injection -- numeric indexes into the columns and the row (arrays)
        text += (c === 0 ? '' : d) + csvValue(cell(cols[c].field!, at[c] < 0 ? null : (row[at[c]] ?? null)));
      }
      text += eol;
    }
    host.store.transaction(() => {
      host.jobs.appendResult(job.id, 'query', { first: n, rows: rows.length, text, offsets });
      job.numberRecordsProcessed = n + rows.length;
      host.touch(job);
    });
    n += rows.length;
    yield;
  }
  host.finish(job, 'JobComplete');
}

/** The header row of a query job's results. */
export function queryResultHeader(job: Job): string {
  const d = DELIMITER_CHARS[job.columnDelimiter];
  return (job.columns ?? []).map(csvValue).join(d) + LINE_ENDING_CHARS[job.lineEnding];
}

/**
 * Locators name a position in the results as the API's do: the record offset in base64 (`MTAwMDA` is
 * record 10,000); `null` when there is nothing more.
 */
export function encodeLocator(offset: number): string {
  return Buffer.from(String(offset)).toString('base64').replace(/=+$/, '');
}

export function decodeLocator(locator: string): number | undefined {
  if (!/^[A-Za-z0-9+/]+$/.test(locator)) return undefined;
  const text = Buffer.from(locator, 'base64').toString('utf8');
  return /^(0|[1-9]\d{0,15})$/.test(text) ? Number(text) : undefined;
}
