import type { OrgContext, RequestContext } from '../context';
import { restDateTime, toStoredDateTime } from '../dates';
import { ApiError } from '../errors';
import type { Reply } from '../http/reply';
import type { ObjectSchema } from '../schema';
import { quote } from '../store';

/**
 * The data replication resources of an object, `/sobjects/X/updated?start=&end=` and
 * `/sobjects/X/deleted?start=&end=` (REST API Developer Guide, "sObject Get Updated" and "sObject
 * Get Deleted"), as a real org answers them:
 *
 * - `start` and `end` are ISO 8601 date-times; "The API ignores the seconds portion of the specified
 *   dateTime value (for example, 12:30:15 is interpreted as 12:30:00 UTC)", and start must come
 *   before end.
 * - "Results are returned for no more than 30 days previous to the day the call is executed" (15
 *   days for deleted records); "There is a limit of 600,000 IDs returned from this resource. If more
 *   than 600,000 IDs are found, EXCEEDED_ID_LIMIT is returned."
 * - "The call uses the SystemModstamp field to determine an object's add or change date. If
 *   SystemModstamp isn't available, the call uses LastModifiedDate"; a deleted record's deletedDate
 *   is its SystemModstamp at deletion.
 * - Only records the running user may read are returned ("Information on deleted records is returned
 *   only if the current session user has access to them").
 * - `latestDateCovered` "is less than or equal to endDate. A value here indicates that, for safety,
 *   you should use this value for the startDate of your next call": `end` (seconds dropped), or, when
 *   `end` is later, the start of the current minute. Records changed so far in the current minute are
 *   listed too (the local org commits every write at once), and listed again by a next call that
 *   starts at latestDateCovered — never missed. The local org never purges deleted records, so
 *   `earliestDateAvailable` is the minute the org was created.
 */

/** The most ids one call returns. */
const MAX_IDS = 600_000;
const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;

interface Window {
  start: string;
  /** The records changed before this instant are listed: `end`, or now when `end` is later. */
  until: string;
  latestDateCovered: string;
}

/** `GET /sobjects/X/updated`: `{ids, latestDateCovered}`. */
export function updatedRecords(org: OrgContext, obj: ObjectSchema, url: URL, ctx: RequestContext): Reply {
  const stamp = stampField(obj);
  const w = window(url, ctx.now, 30);
  const live = obj.byName.has('isdeleted') ? ' AND "IsDeleted" = 0' : '';
  const ids = readable(org, obj, ctx, `${quote(stamp)} >= ? AND ${quote(stamp)} < ?${live}`, w).map((row) => String(row.Id));
  return { status: 200, body: { ids, latestDateCovered: restDateTime(w.latestDateCovered) } };
}

/** `GET /sobjects/X/deleted`: `{deletedRecords: [{id, deletedDate}], earliestDateAvailable, latestDateCovered}`. */
export function deletedRecords(org: OrgContext, obj: ObjectSchema, url: URL, ctx: RequestContext): Reply {
  const stamp = stampField(obj);
  const w = window(url, ctx.now, 15);
  const rows = obj.byName.has('isdeleted')
    ? readable(org, obj, ctx, `"IsDeleted" = 1 AND ${quote(stamp)} >= ? AND ${quote(stamp)} < ?`, w)
    : [];
  return {
    status: 200,
    body: {
      deletedRecords: rows.map((row) => ({
        id: String(row.Id),
        deletedDate: restDateTime(String(stamp === 'SystemModstamp' ? row.SystemModstamp : row.LastModifiedDate))
      })),
      earliestDateAvailable: restDateTime(orgCreated(org)),
      latestDateCovered: restDateTime(w.latestDateCovered)
    }
  };
}

function stampField(obj: ObjectSchema): string {
  const f = obj.byName.get('systemmodstamp') ?? obj.byName.get('lastmodifieddate');
  if (!f)
    throw new ApiError(
      400,
      'INVALID_TYPE',
      `sObject type '${obj.name}' is not replicateable: it has no SystemModstamp or LastModifiedDate`
    );
  return f.name;
}

const replicationDate = (message: string) => new ApiError(400, 'INVALID_REPLICATION_DATE', message);

/** The minutes asked for, checked as the org checks them. */
function window(url: URL, now: Date, days: number): Window {
  const minute = (name: string) => {
    const value = url.searchParams.get(name);
    if (value === null || value.trim() === '') {
      throw new ApiError(400, 'MISSING_ARGUMENT', `${name} is required: an ISO 8601 date and time such as 2026-05-06T00:00:00+00:00`);
    }
    const stored = toStoredDateTime(value);
    if (stored === undefined) throw replicationDate(`${name} is not an ISO 8601 date and time: ${value.slice(0, 100)}`);
    return Math.floor(Date.parse(stored) / MINUTE_MS) * MINUTE_MS;
  };
  const start = minute('start');
  const end = minute('end');
  if (start >= end) throw replicationDate('startDate must chronologically precede endDate by more than one minute');
  const earliest = Math.floor(now.getTime() / DAY_MS) * DAY_MS - days * DAY_MS;
  if (start < earliest) throw replicationDate(`startDate cannot be more than ${days} days ago`);
  const until = Math.min(end, now.getTime() + 1);
  const covered = Math.min(end, Math.floor(now.getTime() / MINUTE_MS) * MINUTE_MS);
  return { start: new Date(start).toISOString(), until: new Date(until).toISOString(), latestDateCovered: new Date(covered).toISOString() };
}

/** The object's rows in the window that the running user may read, at most MAX_IDS. */
function readable(org: OrgContext, obj: ObjectSchema, ctx: RequestContext, where: string, w: Window) {
  const columns = ctx.access.all ? `"Id", ${quote(stampField(obj))}` : '*';
  const rows = org.store
    .all(`SELECT ${columns} FROM ${quote(obj.name)} WHERE ${where} ORDER BY rowid LIMIT ${MAX_IDS + 1}`, [w.start, w.until])
    .filter((row) => ctx.access.all || ctx.access.canRead(obj, row));
  if (rows.length > MAX_IDS) {
    throw new ApiError(400, 'EXCEEDED_ID_LIMIT', `More than ${MAX_IDS} ids were found: choose start and end dates closer together`);
  }
  return rows;
}

/** When the org was created: the minute its first user was. */
function orgCreated(org: OrgContext): string {
  const row = org.store.get('SELECT MIN("CreatedDate") AS created FROM "User"');
  const created = Date.parse(String(row?.created ?? ''));
  return new Date(Number.isNaN(created) ? 0 : Math.floor(created / MINUTE_MS) * MINUTE_MS).toISOString();
}
