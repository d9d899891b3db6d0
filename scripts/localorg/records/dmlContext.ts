import type { Schema } from '../schema';
import type { SqlValue, Store } from '../store';
import type { Access } from './access';

/** Who is writing, and when: the running user of the request, what that user may do, and the request's clock. */
export interface DmlContext {
  /** The running user: the default owner and creator, and the author of history rows. */
  userId: string;
  /** The running user's object permissions, field-level security and record sharing (records/access.ts). */
  access: Access;
  /** The request's clock: CreatedDate, LastModifiedDate, SystemModstamp. */
  now: Date;
  /** The running user's time zone, for the local dates a save derives (ConvertedDate, ActivityDate, …). */
  timeZone(): string;
}

/** The database and the schema the record rules read (the current schema: a deploy replaces it). */
export interface RecordsDb {
  readonly store: Store;
  readonly schema: Schema;
}

/** A stored row, by field API name. */
export type Row = Record<string, SqlValue>;

/** The request clock as a stored datetime: formatted once per request (a bulk job formats it once per chunk, not per row). */
const ISO = new WeakMap<Date, { t: number; iso: string }>();
export function nowIso(ctx: DmlContext): string {
  const t = ctx.now.getTime();
  let e = ISO.get(ctx.now);
  if (e === undefined || e.t !== t) {
    e = { t, iso: ctx.now.toISOString() };
    ISO.set(ctx.now, e);
  }
  return e.iso;
}
