/**
 * Query results page by page: the one paging loop of the data layer. A REST query answers its first page
 * (2,000 records on most orgs, fewer with child subqueries) with `done` and a `nextRecordsUrl` to the next;
 * child-relationship results inside a record can be paged the same way. `followPages` walks either,
 * one page in memory at a time.
 */

/** A record as the REST API returns it. */
export interface OrgRecord {
  attributes?: { type: string; url?: string };
  Id?: string;
  [field: string]: unknown;
}

/** The REST API's answer to a query, queryAll or query-more request. */
export interface QueryResponse<T> {
  totalSize: number;
  done: boolean;
  nextRecordsUrl?: string;
  records: T[];
}

/** One page of a query: its records and the query's total size. */
export interface Page<T> {
  records: T[];
  totalSize: number;
}

/** Fetches a `nextRecordsUrl` (a GET of the query-more resource). */
export type NextPage<T> = (url: string) => Promise<QueryResponse<T>>;

/** Every page of a result from its first one, fetching the next only when the caller asks for it. */
export async function* followPages<T>(first: QueryResponse<T>, next: NextPage<T>): AsyncGenerator<QueryResponse<T>> {
  let page = first;
  for (;;) {
    yield page;
    if (page.done || !page.nextRecordsUrl) return;
    page = await next(page.nextRecordsUrl);
  }
}

export function isQueryResponse(v: unknown): v is QueryResponse<OrgRecord> {
  return (
    typeof v === 'object' &&
    v !== null &&
    Array.isArray((v as QueryResponse<unknown>).records) &&
    typeof (v as QueryResponse<unknown>).done === 'boolean'
  );
}

/**
 * Child-relationship results the org paged (a parent with more children than fit the page) are read to the
 * end, in place, so every record of a page is whole when it is handed on.
 */
export async function completeChildren(records: readonly OrgRecord[], next: NextPage<OrgRecord>): Promise<void> {
  for (const rec of records) {
    for (const value of Object.values(rec)) {
      if (!isQueryResponse(value) || value.done || !value.nextRecordsUrl) continue;
      for await (const page of followPages(value, next)) if (page !== value) value.records.push(...page.records);
      value.done = true;
      delete value.nextRecordsUrl;
    }
  }
}

/** Child-relationship records of a parent row (empty when the relationship has none: the API gives null). */
export function children<T = OrgRecord>(record: OrgRecord, relationship: string): T[] {
  const v = record[relationship];
  return isQueryResponse(v) ? (v.records as T[]) : [];
}

/** Splits a list into runs of `size`. */
export function chunked<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
