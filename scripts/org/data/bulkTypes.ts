import type { SaveResult, WriteOperation } from './collections';
import type { OrgRecord } from './paging';
import type { Soql } from './soql';

/**
 * Bulk API 2.0 as the data layer uses it (scripts/org/bulk2.ts implements it): a query job read page by page
 * as typed records, and an ingest job fed from the records.
 */
export interface BulkClient {
  /**
   * `pageSize`: records per result page (the client's default when not given); `expected`: the records the query
   * should give, when known (paces the job's status checks).
   */
  queryPages(soql: Soql, opts: { includeDeleted: boolean; pageSize?: number; expected?: number }): AsyncIterable<OrgRecord[]>;
  ingest(
    sobject: string,
    operation: Exclude<WriteOperation, 'delete'> | 'delete',
    records: readonly Record<string, unknown>[],
    /** `ids: false`: the caller needs no Id or `created` of saved records (one download fewer a job). */
    opts: { externalIdField?: string; ids?: boolean }
  ): Promise<SaveResult[]>;
}
