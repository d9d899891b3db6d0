import { runCli } from '../scripts/testing/cli';
import { createMqlLead, openPage, screenshot, startPreviewEnv, type PreviewEnv } from './support/previewEnv';

/**
 * SLA alerts where the rep looks: a lead's Accept clock breaches in the demo org (the sync's clock moved with
 * `--now`), the sync sends a custom notification, and the owner (the rep the preview runs as) sees it in the preview's bell: one, linking to
 * the lead; another sync adds none. The escalation task of the breach shows on the lead's Related tab.
 */

let env: PreviewEnv;

beforeAll(async () => {
  env = await startPreviewEnv();
}, 240_000);

afterAll(async () => {
  await env?.close();
});

const sync = (now?: string) =>
  runCli(['sla', 'sync', '--local', '--connection-file', env.org.connectionFile, '--json', ...(now ? ['--now', now] : [])]);

interface Bell {
  unread: number;
  notifications: Array<{ id: string; target: string; messageTitle: string }>;
}

/** The rep's own notifications, with the rep's token (the preview runs as that rep). */
async function bellOfOwner(): Promise<Bell> {
  const conn = await env.org.connectionAs(env.rep.username);
  const list = await conn.request<{ notifications: Bell['notifications'] }>('/connect/notifications?size=50');
  const status = await conn.request<{ unreadCount: number }>('/connect/notifications/status');
  return { unread: status.unreadCount, notifications: list.notifications };
}

it('a breach → one notification per breached timer for the owner in the org and in the bell, linking to the lead; a second sync adds none', async () => {
  const leadId = await createMqlLead(env.org.conn, env.rep.userId, 'Bellringer');
  expect((await sync()).code).toBe(0);
  const forLead = (b: Bell) => b.notifications.filter((n) => n.target.slice(0, 15) === leadId.slice(0, 15));
  expect(forLead(await bellOfOwner())).toEqual([]);

  // three days later the Accept clock (an hour of business time) is long breached
  const later = new Date(Date.now() + 3 * 86_400_000).toISOString();
  const breach = await sync(later);
  expect(breach.code).toBe(0);
  const inOrg = await bellOfOwner();
  // one per breached timer: Accept (an hour) and First Touch (four hours) both ran out
  expect(
    forLead(inOrg)
      .map((n) => n.messageTitle.replace(/ on .*/, ''))
      .sort()
  ).toEqual(['SLA breached: Accept', 'SLA breached: First Touch']);
  const mine = forLead(inOrg).filter((n) => n.messageTitle.startsWith('SLA breached: Accept on Preview Bellringer'));
  expect(mine).toHaveLength(1);

  const again = await sync(later);
  expect(again.code).toBe(0);
  const after = await bellOfOwner();
  expect(after.notifications.map((n) => n.id)).toEqual(inOrg.notifications.map((n) => n.id));

  // the record list filters by SLA status and sorts by SLA due
  const list = await openPage(env, `${env.preview.url}/?object=Lead&sla=Breached&sort=due`);
  const rows = list.page.locator('tbody tr');
  await rows.first().waitFor();
  const statuses = await list.page.locator('tbody tr td:nth-child(4)').allTextContents();
  expect(statuses.length).toBeGreaterThan(0);
  expect(new Set(statuses)).toEqual(new Set(['Breached']));
  await list.page.getByRole('link', { name: /Preview Bellringer/ }).waitFor();
  await expect(list.page.getByLabel('Sort by').inputValue()).resolves.toBe('due');
  await list.page.close();

  // the bell in the header shows the unread count and opens the panel
  const { page, problems } = await openPage(env, `${env.preview.url}/`);
  const bell = page.getByRole('link', { name: `Notifications: ${after.unread} unread` });
  await bell.waitFor();
  expect(after.unread).toBeGreaterThanOrEqual(1);
  await bell.click();
  await page.getByRole('heading', { name: /Notifications \(\d+ unread\)/ }).waitFor();
  const item = page.locator(`[data-notification="${mine[0].id}"]`);
  await screenshot(page, 'notifications-panel');
  const link = item.getByRole('link', { name: /^SLA breached: Accept on Preview Bellringer/ });
  await link.click();
  await page.waitForURL(new RegExp(`/lead/${leadId}`));
  // opened: read, so the count went down by one
  const opened = await bellOfOwner();
  expect(opened.unread).toBe(after.unread - 1);
  await page.getByRole('link', { name: `Notifications: ${opened.unread} unread` }).waitFor();

  // the escalation task of the breach is on the lead's Related tab
  await page.getByRole('tab', { name: 'Related' }).click();
  await page
    .getByText(/SLA breached: Accept on Preview Bellringer/)
    .first()
    .waitFor();
  expect(problems).toEqual([]);
  await page.close();
});
