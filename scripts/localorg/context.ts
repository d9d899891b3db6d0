import type { BulkJobs } from './bulk/bulkJobs';
import type { ApiUsage } from './apiUsage';
import type { Deployments } from './deployments';
import type { DmlContext } from './records/dmlContext';
import type { Records } from './records/dml';
import type { Schema } from './schema';
import type { QueryEngine } from './soql/queryEngine';
import type { Store } from './store';

/**
 * What a route module may use of the org: its database, the current schema (a deploy replaces
 * it), records (reads and DML), the SOQL engine, the metadata deployments, the Bulk API jobs and the API
 * request count. Routes get this, never the server, so the HTTP shell and the routes do not import each other.
 */
export interface OrgContext {
  readonly store: Store;
  readonly schema: Schema;
  readonly records: Records;
  readonly queries: QueryEngine;
  readonly deployments: Deployments;
  readonly bulk: BulkJobs;
  /** The org's API requests over the past 24 hours (`/limits` reports them). */
  readonly apiUsage: ApiUsage;
}

/**
 * Who makes a request, and when: the running user (the user the bearer token belongs to), the
 * org's clock read once when the request is routed, and the user's time zone. Routes pass it to
 * every read and write they make on the user's behalf.
 */
export type RequestContext = DmlContext;
