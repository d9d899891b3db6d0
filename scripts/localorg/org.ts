import { createFirstRows } from './bootstrap';
import type { OrgContext, RequestContext } from './context';
import { loadModel } from './deploy';
import { Deployments } from './deployments';
import { Records } from './records/dml';
import { buildSchema, Schema } from './schema';
import { QueryEngine } from './soql/queryEngine';
import type { Store } from './store';
import { syncValueObjects } from './valueObjects';

/** The time zone of a user without one. */
const DEFAULT_TIME_ZONE = 'America/New_York';

/**
 * The local org's state behind the HTTP shell: the database, the schema built from what was
 * deployed into it, records, the SOQL engine and deployments, and the running user. Routes see it
 * as an `OrgContext`; each request gets a `RequestContext` for the user its token belongs to.
 */
export class LocalOrg implements OrgContext {
  readonly records: Records;
  readonly queries: QueryEngine;
  readonly deployments: Deployments;
  /** The running user "Local Admin" (set by `bootstrap`). */
  adminUserId = '';

  constructor(
    readonly store: Store,
    private readonly clock: () => Date,
    opts: { offsetPaging?: boolean } = {}
  ) {
    const schema = buildSchema(loadModel(store));
    store.transaction(() => store.syncTables(schema));
    this.records = new Records(store, schema);
    this.queries = new QueryEngine(store, opts);
    this.deployments = new Deployments(store, (s) => this.setSchema(s));
  }

  get schema(): Schema {
    return this.records.schema;
  }

  /** A request of `userId`, now. */
  requestContext(userId: string): RequestContext {
    return { userId, now: this.clock(), timeZone: () => this.timeZoneOf(userId) };
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
    });
  }

  private setSchema(schema: Schema): void {
    this.records.setSchema(schema);
    if (this.adminUserId) {
      this.store.transaction(() => syncValueObjects(this.store, schema, this.requestContext(this.adminUserId)));
    }
  }
}
