import { restDateTime } from '../dates';
import type { ColumnDelimiter, LineEnding } from './csv';

/**
 * A Bulk API 2.0 job as the local org keeps it, and the JSON the API answers for it (Create a Job,
 * Get Job Info, Get All Jobs, Create a Query Job, Get Information About a Query Job:
 * https://developer.salesforce.com/docs/platform/api-asynch/guide/get-job-info.html).
 */

export type JobKind = 'ingest' | 'query';
export type JobState = 'Open' | 'UploadComplete' | 'InProgress' | 'JobComplete' | 'Failed' | 'Aborted';
export type IngestOperation = 'insert' | 'update' | 'upsert' | 'delete' | 'hardDelete';
export type QueryOperation = 'query' | 'queryAll';

export const INGEST_OPERATIONS: readonly IngestOperation[] = ['insert', 'update', 'upsert', 'delete', 'hardDelete'];
export const QUERY_OPERATIONS: readonly QueryOperation[] = ['query', 'queryAll'];

/** JobComplete, Failed and Aborted: nothing more happens to the job. */
export const TERMINAL_STATES: ReadonlySet<JobState> = new Set(['JobComplete', 'Failed', 'Aborted']);

export interface Job {
  id: string;
  kind: JobKind;
  operation: IngestOperation | QueryOperation;
  object: string;
  createdById: string;
  /** Stored UTC ISO times. */
  createdDate: string;
  systemModstamp: string;
  state: JobState;
  externalIdFieldName?: string;
  assignmentRuleId?: string;
  /** `64.0`. */
  apiVersion: string;
  lineEnding: LineEnding;
  columnDelimiter: ColumnDelimiter;
  numberRecordsProcessed: number;
  numberRecordsFailed: number;
  /** Milliseconds from the start of processing to its end. */
  totalProcessingTime: number;
  errorMessage?: string;
  /** Query jobs: the SOQL, and the columns of its results (`Owner.Name`). */
  query?: string;
  columns?: string[];
  /** Ingest jobs: the header row of the upload (read when processing starts). */
  header?: string[];
  /** Ingest jobs: whether data was uploaded (a job takes one upload), and its size. */
  uploaded: boolean;
  uploadBytes: number;
  /** Ingest jobs: how many records of the upload are done (saved or failed, committed). */
  processedUpTo: number;
  /** Wall-clock ms when processing started (for totalProcessingTime). */
  startedAt?: number;
}

const base = (job: Job) => ({
  id: job.id,
  operation: job.operation,
  object: job.object,
  createdById: job.createdById,
  createdDate: restDateTime(job.createdDate),
  systemModstamp: restDateTime(job.systemModstamp),
  state: job.state
});

const format = (job: Job) => ({
  concurrencyMode: 'Parallel',
  contentType: 'CSV',
  apiVersion: Number(job.apiVersion)
});

/** `contentUrl` of an ingest job: where its data is uploaded (relative, as the API gives it). */
export function contentUrl(job: Job): string {
  return `services/data/v${job.apiVersion}/jobs/ingest/${job.id}/batches`;
}

/** The answer to creating, closing or aborting a job. */
export function jobSummary(job: Job): Record<string, unknown> {
  const out: Record<string, unknown> = { ...base(job) };
  if (job.externalIdFieldName) out.externalIdFieldName = job.externalIdFieldName;
  if (job.assignmentRuleId) out.assignmentRuleId = job.assignmentRuleId;
  Object.assign(out, format(job));
  if (job.kind === 'ingest') out.contentUrl = contentUrl(job);
  out.lineEnding = job.lineEnding;
  out.columnDelimiter = job.columnDelimiter;
  return out;
}

/** Get Job Info / Get Information About a Query Job. */
export function jobInfo(job: Job): Record<string, unknown> {
  const out: Record<string, unknown> = { ...base(job) };
  if (job.externalIdFieldName) out.externalIdFieldName = job.externalIdFieldName;
  if (job.assignmentRuleId) out.assignmentRuleId = job.assignmentRuleId;
  Object.assign(out, format(job), { jobType: job.kind === 'ingest' ? 'V2Ingest' : 'V2Query' });
  if (job.kind === 'ingest' && job.state === 'Open') out.contentUrl = contentUrl(job);
  out.lineEnding = job.lineEnding;
  out.columnDelimiter = job.columnDelimiter;
  out.numberRecordsProcessed = job.numberRecordsProcessed;
  if (job.kind === 'ingest') out.numberRecordsFailed = job.numberRecordsFailed;
  out.retries = 0;
  out.totalProcessingTime = job.totalProcessingTime;
  if (job.kind === 'ingest') {
    out.apiActiveProcessingTime = job.totalProcessingTime;
    out.apexProcessingTime = 0;
  }
  if (job.state === 'Failed' && job.errorMessage) out.errorMessage = job.errorMessage;
  return out;
}

/** One job of Get All Jobs. */
export function jobListEntry(job: Job): Record<string, unknown> {
  return {
    ...base(job),
    ...format(job),
    jobType: job.kind === 'ingest' ? 'V2Ingest' : 'V2Query',
    lineEnding: job.lineEnding,
    columnDelimiter: job.columnDelimiter
  };
}
