import type { DmlContext } from '../records/dmlContext';
import type { Records } from '../records/dml';
import type { QueryEngine } from '../soql/queryEngine';
import type { Store } from '../store';
import type { Job } from './job';
import type { JobStore } from './jobStore';

/** What processing a job uses of the org and of the job registry. */
export interface JobRunHost {
  readonly store: Store;
  readonly records: Records;
  readonly queries: QueryEngine;
  readonly jobs: JobStore;
  /** Records saved per transaction (10,000, as the real API's batches). */
  readonly recordsPerBatch: number;
  /** Rows of query results kept per stored piece (and read per step). */
  readonly queryRowsPerStep: number;
  /** How long the query of one step may run (`Store.withDeadline`): past it the job fails with QUERY_TIMEOUT. */
  readonly queryTimeoutMs: number;
  /** The job creator's request context now: who writes, when, with what access (`access.schema`: the objects and fields the creator sees). */
  requestContext(userId: string): DmlContext;
  /** Ends processing: JobComplete, or Failed with the API's errorMessage. */
  finish(job: Job, state: 'JobComplete' | 'Failed', errorMessage?: string): void;
  /** Saves the job's state (SystemModstamp now), inside the caller's transaction. */
  touch(job: Job): void;
  /** Records processed by ingest jobs in the last 24 hours. */
  ingestedToday(): number;
}
