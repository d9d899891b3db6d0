/**
 * The org data layer (see orgData.ts): one way to read and write org records, with the one SOQL literal
 * escaper (soql.ts) and the one paging loop (paging.ts).
 */
export { OrgData, OrgRequestError } from './orgData';
export type { BulkClient, DescribeResult, OrgDataOptions, PicklistEntry, ReadOptions, WriteOptions, WriteRequest } from './orgData';
export { children, chunked } from './paging';
export { requestCounter, requestKind } from './requestCounter';
export type { RequestCount } from './requestCounter';
export { id15, ownCopy } from './bulkJoin';
export type { JoinChildren, JoinSpec } from './bulkJoin';
export type { OrgRecord, Page } from './paging';
export { RecordRows } from './recordRows';
export type { RecordsToWrite } from './recordRows';
export { COLLECTION_SIZE, describeSaveError } from './collections';
export type { SaveError, SaveResult, WriteOperation } from './collections';
export { COMPOSITE_QUERIES, COMPOSITE_SUBREQUESTS } from './composite';
export {
  isRelativeDateLiteral,
  Soql,
  soql,
  SoqlDate,
  soqlDate,
  soqlDateLiteral,
  soqlDateTime,
  soqlFields,
  soqlJoin,
  soqlLike,
  soqlLiteral,
  soqlName,
  soqlTrusted,
  SoqlValueError
} from './soql';
export type { SoqlValue } from './soql';
