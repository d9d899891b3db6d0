import type { SaveResult, WriteOperation } from './collections';
import type { OrgRecord } from './paging';
import type { RecordsToWrite } from './recordRows';
import type { Soql } from './soql';

/**
 * Bulk API 2.0 as the data layer uses it (scripts/org/bulk2.ts implements it): a query job read page by page
 * as typed records, and an ingest job fed from the records.
 */
/** How a Bulk query is read: see BulkClient.queryPages. */
export interface BulkQueryOptions {
  includeDeleted: boolean;
  pageSize?: number;
  expected?: number;
  /** records handed over at a time, a result page parsed as they are taken (default: a whole result page) */
  chunkSize?: number;
}

export interface BulkClient {
  /**
   * `pageSize`: records per result page (the client's default when not given); `expected`: the records the query
   * should give, when known (paces the job's status checks).
   */
  queryPages(soql: Soql, opts: BulkQueryOptions): AsyncIterable<OrgRecord[]>;
  /**
   * Reads ahead what typing these queries' results will need (the describes of their objects and of the parents
   * they select), together rather than one request each as each job's first page comes.
   */
  prepare?(queries: readonly Soql[]): Promise<void>;
  /** The same read, its job created now and read later: the org runs it while the caller reads another's. */
  startQuery(soql: Soql, opts: BulkQueryOptions): StartedRead;
  ingest(
    sobject: string,
    operation: Exclude<WriteOperation, 'delete'> | 'delete',
    records: RecordsToWrite,
    /** `ids: false`: the caller needs no Id or `created` of saved records (one download fewer a job). */
    opts: { externalIdField?: string; ids?: boolean }
  ): Promise<SaveResult[]>;
}

/** A query job created ahead of reading it: `done` settles when it has finished, `cancel()` drops one never read. */
export interface StartedRead {
  readonly done: Promise<void>;
  pages(): AsyncIterable<OrgRecord[]>;
  cancel(): Promise<void>;
}
