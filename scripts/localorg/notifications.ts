import { randomBytes } from 'node:crypto';
import { asArray, bool, parseXml, rootOf, text } from '../metadata/xml';
import { makeId } from './ids';
import type { Schema } from './schema';
import { quote, SqlValue, Store } from './store';
import { ownValue } from './ownValue';

/**
 * Custom notifications in the local org: the CustomNotificationType rows (one per deployed
 * `notificationtypes/*.notiftype` component, by DeveloperName, as Setup keeps them in a real org) and the
 * notifications sent through the `customNotificationAction` invocable action (routes/actions.ts), stored per
 * recipient and read by that recipient through the Connect REST API's notifications resources
 * (routes/connect.ts). A notification is not an sObject in a real org either: it lives in its own table.
 */

/** A stored notification, as the Connect REST API's Notification output names its fields. */
export interface StoredNotification {
  id: string;
  recipientId: string;
  typeId: string;
  typeName: string;
  title: string;
  body: string;
  targetId: string | null;
  targetPageRef: string | null;
  senderId: string;
  createdDate: string;
  read: boolean;
  seen: boolean;
}

/** What the action stores for one recipient. */
export type NewNotification = Omit<StoredNotification, 'id' | 'read' | 'seen'>;

/**
 * How many notifications the local org keeps per user: a real org deletes notifications after 90 days and
 * keeps at most 20,000 per org ("Custom Notification Considerations", Salesforce Help); the local org keeps a
 * user's newest 1,000, so a sync left running for weeks cannot grow the database without bound.
 */
export const MAX_NOTIFICATIONS_PER_USER = 1_000;

export function ensureNotificationTable(store: Store): void {
  store.run(
    `CREATE TABLE IF NOT EXISTS _notification (id TEXT PRIMARY KEY, recipientId TEXT NOT NULL, typeId TEXT NOT NULL, typeName TEXT NOT NULL,
      title TEXT NOT NULL, body TEXT NOT NULL, targetId TEXT, targetPageRef TEXT, senderId TEXT NOT NULL, createdDate TEXT NOT NULL,
      read INTEGER NOT NULL DEFAULT 0, seen INTEGER NOT NULL DEFAULT 0)`
  );
  store.run('CREATE INDEX IF NOT EXISTS _notification_recipient ON _notification (recipientId, createdDate)');
}

/**
 * Brings the CustomNotificationType rows in line with the deployed components (inside the caller's
 * transaction): one row per type, by DeveloperName, keeping its Id. Deploys are not destructive, so rows are
 * only added and updated.
 */
export function syncNotificationTypeRows(store: Store, schema: Schema, userId: string, now: Date): void {
  ensureNotificationTable(store);
  const obj = schema.get('CustomNotificationType');
  if (!obj) return;
  const at = now.toISOString();
  const table = quote(obj.name);
  const existing = new Map(store.all(`SELECT * FROM ${table}`).map((r) => [String(r.DeveloperName), r]));
  for (const row of store.all(`SELECT fullName, content FROM _component WHERE type = 'CustomNotificationType' ORDER BY fullName`)) {
    const name = String(row.fullName);
    const xml = row.content instanceof Uint8Array ? Buffer.from(row.content).toString('utf8') : String(row.content);
    let values: Record<string, SqlValue>;
    try {
      const { node } = rootOf(parseXml(xml, `${name}.notiftype`));
      values = {
        MasterLabel: (text(node.masterLabel) ?? name).slice(0, 80),
        CustomNotifTypeName: (text(node.customNotifTypeName) ?? name).slice(0, 80),
        Description: text(node.description)?.slice(0, 255) ?? null,
        Desktop: bool(node.desktop) ? 1 : 0,
        Mobile: bool(node.mobile) ? 1 : 0,
        IsSlack: asArray(node.slack).length > 0 && bool(node.slack) ? 1 : 0,
        NamespacePrefix: null,
        IsDeleted: 0
      };
    } catch {
      continue; // stored by a deploy that only checked well-formedness
    }
    const old = existing.get(name);
    if (!old) {
      const rowValues: Record<string, SqlValue> = {
        Id: makeId(obj.keyPrefix, store.nextSeq(`id:${obj.keyPrefix}`)),
        DeveloperName: name,
        ...values,
        CreatedDate: at,
        CreatedById: userId,
        LastModifiedDate: at,
        LastModifiedById: userId,
        SystemModstamp: at
      };
      const entries = Object.entries(rowValues);
      store.run(
        `INSERT INTO ${table} (${entries.map(([c]) => quote(c)).join(', ')}) VALUES (${entries.map(() => '?').join(', ')})`,
        entries.map(([, v]) => v)
      );
      continue;
    }
    const changed = Object.entries(values).filter(([c, v]) => v !== ownValue(old, c));
    if (changed.length === 0) continue;
    const set: Record<string, SqlValue> = {
      ...Object.fromEntries(changed),
      LastModifiedDate: at,
      LastModifiedById: userId,
      SystemModstamp: at
    };
    const cols = Object.entries(set);
    store.run(`UPDATE ${table} SET ${cols.map(([c]) => `${quote(c)} = ?`).join(', ')} WHERE "Id" = ?`, [
      ...cols.map(([, v]) => v),
      String(old.Id)
    ]);
  }
}

/** The notification type with this Id (15 or 18 characters), or undefined. */
export function notificationType(store: Store, id: string): { id: string; developerName: string; desktop: boolean } | undefined {
  const row = store.get('SELECT "Id", "DeveloperName", "Desktop" FROM "CustomNotificationType" WHERE substr("Id", 1, 15) = ?', [
    id.slice(0, 15)
  ]);
  return row ? { id: String(row.Id), developerName: String(row.DeveloperName), desktop: Number(row.Desktop) === 1 } : undefined;
}

/** Stores one notification per recipient, then trims each recipient's oldest beyond the bound. */
export function storeNotifications(store: Store, notifications: readonly NewNotification[]): string[] {
  ensureNotificationTable(store);
  const ids: string[] = [];
  for (const n of notifications) {
    const id = randomBytes(16).toString('hex');
    ids.push(id);
    store.run(
      `INSERT INTO _notification (id, recipientId, typeId, typeName, title, body, targetId, targetPageRef, senderId, createdDate)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      [id, n.recipientId, n.typeId, n.typeName, n.title, n.body, n.targetId, n.targetPageRef, n.senderId, n.createdDate]
    );
  }
  for (const recipient of new Set(notifications.map((n) => n.recipientId))) {
    store.run(
      `DELETE FROM _notification WHERE recipientId = ? AND id NOT IN
        (SELECT id FROM _notification WHERE recipientId = ? ORDER BY createdDate DESC, rowid DESC LIMIT ?)`,
      [recipient, recipient, MAX_NOTIFICATIONS_PER_USER]
    );
  }
  return ids;
}

function fromRow(r: Record<string, SqlValue>): StoredNotification {
  return {
    id: String(r.id),
    recipientId: String(r.recipientId),
    typeId: String(r.typeId),
    typeName: String(r.typeName),
    title: String(r.title),
    body: String(r.body),
    targetId: r.targetId === null ? null : String(r.targetId),
    targetPageRef: r.targetPageRef === null ? null : String(r.targetPageRef),
    senderId: String(r.senderId),
    createdDate: String(r.createdDate),
    read: Number(r.read) === 1,
    seen: Number(r.seen) === 1
  };
}

/** A user's notifications, newest first, within an optional time window. */
export function listNotifications(
  store: Store,
  userId: string,
  opts: { size: number; before?: string; after?: string }
): StoredNotification[] {
  ensureNotificationTable(store);
  const where = ['recipientId = ?'];
  const params: SqlValue[] = [userId];
  if (opts.before) {
    where.push('createdDate < ?');
    params.push(opts.before);
  }
  if (opts.after) {
    where.push('createdDate > ?');
    params.push(opts.after);
  }
  params.push(opts.size);
  return store
    .all(`SELECT rowid, * FROM _notification WHERE ${where.join(' AND ')} ORDER BY createdDate DESC, rowid DESC LIMIT ?`, params)
    .map(fromRow);
}

/** One of the user's notifications, or undefined (another user's notification is not theirs to see). */
export function getNotification(store: Store, userId: string, id: string): StoredNotification | undefined {
  ensureNotificationTable(store);
  const row = store.get('SELECT * FROM _notification WHERE id = ? AND recipientId = ?', [id, userId]);
  return row ? fromRow(row) : undefined;
}

/** Marks the user's notifications (by id, or all created before an instant) read/seen; returns those changed. */
export function markNotifications(
  store: Store,
  userId: string,
  target: { ids: readonly string[] } | { before: string },
  flags: { read?: boolean; seen?: boolean }
): StoredNotification[] {
  ensureNotificationTable(store);
  const sets: string[] = [];
  const values: SqlValue[] = [];
  if (flags.read !== undefined) {
    sets.push('read = ?');
    values.push(flags.read ? 1 : 0);
  }
  // a notification marked read is seen as well
  if (flags.seen !== undefined || flags.read === true) {
    sets.push('seen = ?');
    values.push(flags.seen === false ? 0 : flags.read === true || flags.seen ? 1 : 0);
  }
  const where =
    'ids' in target
      ? { sql: `recipientId = ? AND id IN (${target.ids.map(() => '?').join(', ') || "''"})`, params: [userId, ...target.ids] }
      : { sql: 'recipientId = ? AND createdDate < ?', params: [userId, target.before] };
  store.run(`UPDATE _notification SET ${sets.join(', ')} WHERE ${where.sql}`, [...values, ...where.params]);
  return store.all(`SELECT * FROM _notification WHERE ${where.sql} ORDER BY createdDate DESC`, where.params).map(fromRow);
}

/** Unread and unseen counts of a user's notifications (Connect REST API "Notification Status"). */
export function notificationStatus(store: Store, userId: string): Record<string, unknown> {
  ensureNotificationTable(store);
  const row = store.get(
    `SELECT SUM(read = 0) AS unread, SUM(seen = 0) AS unseen, MAX(createdDate) AS last,
      MIN(CASE WHEN read = 0 THEN createdDate END) AS oldestUnread, MIN(CASE WHEN seen = 0 THEN createdDate END) AS oldestUnseen
     FROM _notification WHERE recipientId = ?`,
    [userId]
  );
  return {
    lastActivityDate: row?.last ?? null,
    oldestUnread: row?.oldestUnread ?? null,
    oldestUnseen: row?.oldestUnseen ?? null,
    unreadCount: Number(row?.unread ?? 0),
    unseenCount: Number(row?.unseen ?? 0)
  };
}
