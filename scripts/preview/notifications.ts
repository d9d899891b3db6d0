import { AsyncLocalStorage } from 'node:async_hooks';
import { listViewPath } from './listViews';
import type { OrgClient } from './orgClient';

/**
 * The preview's notification bell: the running user's custom notifications (the SLA alerts the sync sends
 * through `customNotificationAction`), read from the org's Connect REST API as Lightning's bell reads them
 * (`/connect/notifications`, `/connect/notifications/status`). The header shows a bell with the unread count
 * on every page; `/notifications` lists them, each linking to what it is about — an alert to its record, a digest to
 * its list view (./listViews.ts) — and opening one marks it read.
 * See docs/browser-preview.md.
 */

export interface PreviewNotification {
  id: string;
  messageTitle: string;
  messageBody: string;
  target: string | null;
  /** a digest's list view (`standard__objectPage`, as JSON) instead of a record */
  targetPageRef?: string | null;
  read: boolean;
  mostRecentActivityDate: string;
  type: string;
}

/** The unread count of the request being answered (the header is drawn synchronously, after it is read). */
const bellCount = new AsyncLocalStorage<number | null>();

/** Reads the running user's unread count, then answers the request with it available to `bellHtml()`. */
export async function withBell<T>(org: OrgClient, answer: () => Promise<T>): Promise<T> {
  let unread: number | null = null;
  try {
    unread = (await org.json<{ unreadCount: number }>(`${connectPath(org)}/status`)).unreadCount;
  } catch {
    unread = null; // an org without the Connect notifications resource: no count, the bell still links
  }
  return bellCount.run(unread, answer);
}

function connectPath(org: OrgClient): string {
  return `/services/data/v${org.org.apiVersion}/connect/notifications`;
}

/** The header's bell: a link to the notifications panel with the unread count. */
export function bellHtml(): string {
  const unread = bellCount.getStore() ?? null;
  const label = unread === null ? 'Notifications' : `Notifications: ${unread} unread`;
  const badge =
    unread && unread > 0
      ? `<span class="slds-notification-badge slds-incoming-notification slds-show-notification preview-bell-count" aria-hidden="true">${unread > 99 ? '99+' : unread}</span>`
      : '';
  return `<a href="/notifications" class="slds-button slds-button_icon slds-button_icon-container slds-global-actions__notifications preview-bell" title="${label}" aria-label="${label}" data-unread="${unread ?? ''}"><img src="/assets/icons/utility/notification.svg" alt="" class="slds-button__icon slds-global-header__icon">${badge}</a>`;
}

export const BELL_CSS = `.preview-bell { position: relative; margin: 0.25rem 0.5rem; }
.preview-bell-count { position: absolute; top: -0.35rem; right: -0.5rem; }
.preview-notification.is-unread { background: #eef4ff; }
`;

/** The running user's latest notifications (up to 50, untrimmed). */
export async function notifications(org: OrgClient): Promise<PreviewNotification[]> {
  return (await org.json<{ notifications: PreviewNotification[] }>(`${connectPath(org)}?size=50&trimMessages=false`)).notifications;
}

/** Marks notifications read (by id, or all of them) as the running user. */
export async function markRead(org: OrgClient, ids?: readonly string[]): Promise<void> {
  const url = ids && ids.length === 1 ? `${org.base}${connectPath(org)}/${encodeURIComponent(ids[0])}` : `${org.base}${connectPath(org)}`;
  const body = ids && ids.length === 1 ? { read: true } : ids ? { notificationIds: ids, read: true } : { read: true };
  const res = await fetch(url, {
    method: 'PATCH',
    headers: { authorization: `Bearer ${org.org.accessToken}`, 'content-type': 'application/json', accept: 'application/json' },
    body: JSON.stringify(body)
  });
  if (!res.ok) throw new Error(`marking notifications read answered ${res.status}`);
}

const NOTIFICATION_ID = /^\/notifications\/open\/([A-Za-z0-9_-]{1,64})$/;
const RECORD_ID = /^[a-zA-Z0-9]{15}(?:[a-zA-Z0-9]{3})?$/;

/**
 * `/notifications` (the panel) and `/notifications/open/<id>` (marks it read and goes to its record or list view, as
 * the bell does): a page body or a redirect, or undefined for any other path.
 */
export async function notificationRoute(
  org: OrgClient,
  path: string,
  format: { escape: (s: unknown) => string; when: (iso: string) => string }
): Promise<{ status: number; body: string; redirect?: string } | undefined> {
  if (path === '/notifications') return { status: 200, body: notificationsPanel(await notifications(org), format) };
  const opened = NOTIFICATION_ID.exec(path);
  if (!opened) return undefined;
  const n = await org
    .json<{ target: string | null; targetPageRef?: string | null }>(`${connectPath(org)}/${opened[1]}`)
    .catch(() => undefined);
  if (!n)
    return {
      status: 404,
      body: '<main class="slds-var-p-around_medium"><p role="alert">No such notification.</p><p><a href="/notifications">Back to the notifications</a></p></main>'
    };
  await markRead(org, [opened[1]]);
  const to = n.target && RECORD_ID.test(n.target) ? `/record/${n.target}` : listViewPath(n.targetPageRef ?? null);
  return { status: 303, body: '', redirect: to ?? '/notifications' };
}

/** The notifications panel's body. */
export function notificationsPanel(
  list: readonly PreviewNotification[],
  format: { escape: (s: unknown) => string; when: (iso: string) => string }
): string {
  const { escape, when } = format;
  const unread = list.filter((n) => !n.read).length;
  const items = list
    .map((n) => {
      const open = n.target || listViewPath(n.targetPageRef ?? null) ? `/notifications/open/${encodeURIComponent(n.id)}` : '';
      const title = open ? `<a href="${escape(open)}">${escape(n.messageTitle)}</a>` : escape(n.messageTitle);
      return `<li class="slds-global-header__notification slds-var-p-around_small preview-notification${n.read ? '' : ' is-unread'}" data-notification="${escape(n.id)}">
<h3 class="slds-text-heading_small">${n.read ? '' : '<span class="slds-assistive-text">Unread: </span>'}${title}</h3>
<p>${escape(n.messageBody)}</p>
<p class="slds-text-body_small slds-text-color_weak"><time datetime="${escape(n.mostRecentActivityDate)}">${escape(when(n.mostRecentActivityDate))}</time></p>
</li>`;
    })
    .join('\n');
  const markAll =
    unread > 0
      ? `<form method="post" action="/notifications/read" class="slds-var-m-bottom_small"><button class="slds-button slds-button_neutral" type="submit">Mark all as read</button></form>`
      : '';
  return `<main class="slds-var-p-around_medium">
<section class="slds-card" aria-labelledby="notifications-heading">
<div class="slds-card__header"><h1 class="slds-card__header-title slds-text-heading_medium" id="notifications-heading">Notifications (${unread} unread)</h1></div>
<div class="slds-card__body slds-card__body_inner">${markAll}
${list.length ? `<ul class="slds-has-dividers_bottom" aria-label="Notifications">${items}</ul>` : '<p>No notifications yet. SLA alerts appear here when a clock you are accountable for is at risk or breached.</p>'}
</div></section></main>`;
}
