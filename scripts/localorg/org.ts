import { ApiUsage } from './apiUsage';
import { DEFAULT_DAILY_API_REQUESTS } from './bounds';
import { createFirstRows } from './bootstrap';
import { BulkJobs, BulkOptions } from './bulk/bulkJobs';
import type { OrgContext, RequestContext } from './context';
import { loadModel } from './deploy';
import { reportDateFields } from './reportIndexes';
import { Deployments } from './deployments';
import { ApiError } from './errors';
import { syncNotificationTypeRows } from './notifications';
import { Permissions } from './permissions';
import { Records } from './records/dml';
import { buildSchema, Schema } from './schema';
import { QueryEngine } from './soql/queryEngine';
import type { Store } from './store';
import { syncValueObjects } from './valueObjects';

/** The time zone of a user without one. */
const DEFAULT_TIME_ZONE = 'America/New_York';

/**
 * The local org's state behind the HTTP shell: the database, the schema built from what was
 * deployed into it, records, the SOQL engine, deployments, Bulk API jobs, the permission model and the
 * running user. Each request gets a `RequestContext` for the user its token belongs to, and routes see the
 * org as that user does (`forUser`: the user's view of the schema).
 */
export class LocalOrg implements OrgContext {
  readonly records: Records;
  readonly queries: QueryEngine;
  readonly deployments: Deployments;
  readonly permissions: Permissions;
  readonly bulk: BulkJobs;
  readonly apiUsage: ApiUsage;
  /** The running user "Local Admin" (set by `bootstrap`). */
  adminUserId = '';

  constructor(
    readonly store: Store,
    private readonly clock: () => Date,
    opts: { offsetPaging?: boolean; bulk?: BulkOptions; dailyApiRequests?: number } = {}
  ) {
    const schema = buildSchema(loadModel(store));
    store.transaction(() => store.syncTables(schema, reportDateFields(store, schema)));
    this.records = new Records(store, schema);
    this.queries = new QueryEngine(store, opts);
    this.deployments = new Deployments(store, (s) => this.setSchema(s));
    this.apiUsage = new ApiUsage(opts.dailyApiRequests ?? DEFAULT_DAILY_API_REQUESTS, clock);
    this.permissions = new Permissions(
      store,
      () => this.schema,
      () => this.records.securityEpoch
    );
    this.bulk = new BulkJobs(this, clock, opts.bulk);
  }

  get schema(): Schema {
    return this.records.schema;
  }

  /**
   * A request of `userId`, now, with what that user may do: the admin user (the admin token) has
   * full access; any other user the access of their profile and permission sets. A user who does not
   * exist or is inactive has no session: 401 INVALID_SESSION_ID.
   */
  requestContext(userId: string): RequestContext {
    const access = userId === this.adminUserId ? this.permissions.fullAccess() : this.permissions.accessFor(userId);
    if (!access) throw new ApiError(401, 'INVALID_SESSION_ID', 'Session expired or invalid');
    return { userId, access, now: this.clock(), timeZone: () => this.timeZoneOf(userId) };
  }

  /** The org as a request's user sees it: the same records, queries and deployments, and the user's view of the schema. */
  forUser(ctx: RequestContext): OrgContext {
    if (ctx.access.all) return this;
    const { store, records, queries, deployments, bulk, apiUsage } = this;
    return { store, records, queries, deployments, bulk, apiUsage, schema: ctx.access.schema };
  }

  /** The user's TimeZoneSidKey. */
  timeZoneOf(userId: string): string {
    const row = userId ? this.store.get('SELECT "TimeZoneSidKey" AS tz FROM "User" WHERE "Id" = ?', [userId]) : undefined;
    return (row?.tz as string | undefined) ?? DEFAULT_TIME_ZONE;
  }

  /** First start of a database: its first rows; every start: LeadStatus/OpportunityStage rows in step with the schema. */
  bootstrap(): void {
    this.store.transaction(() => {
      this.adminUserId = this.store.kvGet('runningUserId') ?? createFirstRows(this.store, this.clock());
      syncValueObjects(this.store, this.schema, this.requestContext(this.adminUserId));
      this.permissions.reload(this.adminUserId, this.clock());
      syncNotificationTypeRows(this.store, this.schema, this.adminUserId, this.clock());
    });
  }

  private setSchema(schema: Schema): void {
    this.records.setSchema(schema);
    if (this.adminUserId) {
      this.store.transaction(() => {
        syncValueObjects(this.store, schema, this.requestContext(this.adminUserId));
        this.permissions.reload(this.adminUserId, this.clock());
        syncNotificationTypeRows(this.store, schema, this.adminUserId, this.clock());
      });
    }
  }
}
