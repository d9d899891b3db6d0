import { ApiError, methodNotAllowed } from '../errors';
import { getNotification, listNotifications, markNotifications, notificationStatus } from '../notifications';
import type { StoredNotification } from '../notifications';
import type { Route } from './route';
import { notImplemented } from './unsupported';
import { ownValue } from '../ownValue';

/**
 * `/connect/notifications`: the running user's notifications, as the bell reads them (Connect REST API,
 * "Notifications Resources": https://developer.salesforce.com/docs/atlas.en-us.chatterapi.meta/chatterapi/connect_resources_notifications_resources.htm):
 *
 * - `GET /connect/notifications?size=&before=&after=&trimMessages=` — the context user's notifications, newest
 *   first: `{ notifications: [Notification] }`; size 1–50, default 10; trimMessages (default true) cuts titles
 *   to 120 and bodies to 320 characters.
 * - `GET /connect/notifications/status` — `{ unreadCount, unseenCount, oldestUnread, oldestUnseen, lastActivityDate }`.
 * - `GET|PATCH /connect/notifications/<id>` — one notification; PATCH `{ read?, seen? }` marks it.
 * - `PATCH /connect/notifications` — `{ notificationIds: [≤ 50] | before, read?, seen? }` marks several.
 *
 * A user sees only their own notifications; another user's id is NOT_FOUND. The rest of the Connect REST API
 * is not implemented.
 */

const MAX_SIZE = 50;
const DEFAULT_SIZE = 10;
const MAX_IDS = 50;

export const connectRoute: Route = {
  transaction: true,
  maxBodyBytes: 64 * 1024,
  handle(org, { method, seg, url, json, ctx }) {
    if (seg[0] !== 'notifications') throw notImplemented('the Connect REST API (other than /connect/notifications)');
    const userId = ctx.userId;
    const base = url.origin;
    if (seg.length === 1) {
      if (method === 'GET') {
        const size = intParam(url.searchParams.get('size'), 'size', DEFAULT_SIZE);
        const before = instantParam(url.searchParams.get('before'), 'before');
        const after = instantParam(url.searchParams.get('after'), 'after');
        if (before && after) throw new ApiError(400, 'INVALID_API_INPUT', "You can't use the 'before' and 'after' parameters together.");
        const trim = url.searchParams.get('trimMessages') !== 'false';
        const list = listNotifications(org.store, userId, { size: Math.min(size, MAX_SIZE), before, after });
        return { status: 200, body: { notifications: list.map((n) => output(n, base, trim)) } };
      }
      if (method === 'PATCH') {
        const { flags, body } = readFlags(json());
        const ids = body.notificationIds;
        if (ids !== undefined && body.before !== undefined) {
          throw new ApiError(400, 'INVALID_API_INPUT', "You can't use 'notificationIds' and 'before' together.");
        }
        let target: { ids: string[] } | { before: string };
        if (ids !== undefined) {
          if (!Array.isArray(ids) || ids.some((i) => typeof i !== 'string'))
            throw new ApiError(400, 'INVALID_API_INPUT', 'notificationIds must be a list of ids');
          if (ids.length > MAX_IDS) throw new ApiError(400, 'INVALID_API_INPUT', `notificationIds takes at most ${MAX_IDS} ids`);
          target = { ids: ids as string[] };
        } else {
          target = { before: instantParam(body.before === undefined ? null : String(body.before), 'before') ?? ctx.now.toISOString() };
        }
        const changed = markNotifications(org.store, userId, target, flags);
        return { status: 200, body: { notifications: changed.map((n) => output(n, base, true)) } };
      }
      throw methodNotAllowed(method);
    }
    if (seg.length === 2 && seg[1] === 'status') {
      if (method !== 'GET') throw methodNotAllowed(method);
      return { status: 200, body: notificationStatus(org.store, userId) };
    }
    if (seg.length === 2) {
      const found = getNotification(org.store, userId, seg[1]);
      if (!found) throw new ApiError(404, 'NOT_FOUND', 'The requested resource does not exist');
      if (method === 'GET') return { status: 200, body: output(found, base, url.searchParams.get('trimMessages') !== 'false') };
      if (method !== 'PATCH') throw methodNotAllowed(method);
      const { flags } = readFlags(json());
      const [changed] = markNotifications(org.store, userId, { ids: [found.id] }, flags);
      return { status: 200, body: output(changed, base, true) };
    }
    throw new ApiError(404, 'NOT_FOUND', 'The requested resource does not exist');
  }
};

function readFlags(raw: unknown): { flags: { read?: boolean; seen?: boolean }; body: Record<string, unknown> } {
  if (!raw || typeof raw !== 'object' || Array.isArray(raw))
    throw new ApiError(400, 'JSON_PARSER_ERROR', 'The request body must be a JSON object');
  const body = raw as Record<string, unknown>;
  const flag = (name: string): boolean | undefined => {
    const v = ownValue(body, name);
    if (v === undefined) return undefined;
    if (v === true || v === 'true') return true;
    if (v === false || v === 'false') return false;
    throw new ApiError(400, 'INVALID_API_INPUT', `${name} must be true or false`);
  };
  const flags = { read: flag('read'), seen: flag('seen') };
  if (flags.read === undefined && flags.seen === undefined) throw new ApiError(400, 'INVALID_API_INPUT', "Specify 'read' or 'seen'.");
  if (flags.read === true && flags.seen === false) {
    throw new ApiError(400, 'INVALID_API_INPUT', "A notification marked read is also seen: 'read' true with 'seen' false is not allowed.");
  }
  return { flags, body };
}

function intParam(v: string | null, name: string, fallback: number): number {
  if (v === null || v === '') return fallback;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1)
    throw new ApiError(400, 'INVALID_API_INPUT', `${name}: expected a positive whole number, got '${v.slice(0, 40)}'`);
  return n;
}

function instantParam(v: string | null, name: string): string | undefined {
  if (v === null || v === '') return undefined;
  const t = Date.parse(v);
  if (!/^\d{4}-\d{2}-\d{2}T/.test(v) || Number.isNaN(t)) {
    throw new ApiError(400, 'INVALID_API_INPUT', `${name}: expected an ISO 8601 date and time, got '${v.slice(0, 40)}'`);
  }
  return new Date(t).toISOString();
}

/** The Connect REST API's Notification output. */
function output(n: StoredNotification, base: string, trim: boolean): Record<string, unknown> {
  const cut = (s: string, max: number) => (trim && s.length > max ? s.slice(0, max) : s);
  return {
    additionalData: null,
    communityId: null,
    communityName: null,
    count: 1,
    id: n.id,
    image: null,
    lastModified: n.createdDate,
    messageBody: cut(n.body, 320),
    messageTitle: cut(n.title, 120),
    mostRecentActivityDate: n.createdDate,
    organizationId: null,
    read: n.read,
    recipientId: n.recipientId,
    seen: n.seen,
    target: n.targetId,
    targetPageRef: n.targetPageRef,
    type: n.typeName,
    url: n.targetId ? `${base}/${n.targetId}` : null
  };
}
