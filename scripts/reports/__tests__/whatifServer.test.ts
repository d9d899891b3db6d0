import { startTestOrg, type TestOrg } from '../../localorg/testing';
import { readHistory } from '../../sla/whatif/history';
import { HistoryKeeper } from '../../sla/whatif/keptHistory';
import { startReportServer, type ReportServer } from '../server';

/**
 * The What-if page of the reports server as a manager uses it: a first replay reads the org's history, each edit
 * after it replays the history kept since (no second read), a change in the org is in the next replay, and the
 * page says when its history was read. An org whose policies name a nurture queue it does not have gets the
 * reason and what an admin sets up, not a server error. The org runs on the real clock, as a real org stamps
 * its changes.
 */
const PERIOD = 'period=this-quarter';

let org: TestOrg;
let server: ReportServer;

beforeAll(async () => {
  org = await startTestOrg();
  server = await startReportServer(org.conn);
}, 60_000);

afterAll(async () => {
  await server?.close();
  await org?.close();
});

const get = (path: string, headers: Record<string, string> = {}) =>
  fetch(`${new URL(server.url).origin}${path}`, { headers: { authorization: `Bearer ${server.access.token}`, ...headers } });

/** The page (or its parts) and the number of requests the org answered while the server made it. */
async function replay(query: string, headers: Record<string, string> = {}): Promise<{ status: number; html: string; requests: number }> {
  const before = org.answered.length;
  const res = await get(`/whatif?${query}`, headers);
  const html = await res.text();
  return { status: res.status, html, requests: org.answered.length - before };
}

/** Met runs of the Accept clock under the current policies, as the page's per-clock table shows them. */
function acceptMet(html: string): number {
  const row = /<th scope="row">Accept · current \(\d+ min\)<\/th><td class="num">[^<]*<\/td><td class="num">([\d,]+)<\/td>/.exec(html);
  if (!row) throw new Error(`no Accept row in ${html.slice(0, 300)}`);
  return Number(row[1].replace(/,/g, ''));
}

/** The instant the page says its history was read at (its `<time datetime>`). */
function readAt(html: string): string {
  const m = /History read at <time data-instant datetime="([^"]+)">/.exec(html);
  if (!m) throw new Error('the page does not say when its history was read');
  return m[1];
}

test('an org without the nurture queue its Accept policy names: the page says what is missing and how an admin sets it up', async () => {
  const page = await replay(PERIOD);
  expect(page.status).toBe(409);
  expect(page.html).toMatch(/<h1>SLA what-if<\/h1>/);
  expect(page.html).toMatch(
    /<p class="error" role="alert" id="whatif-error">SLA_Policy__mdt Lead_Accept: Recycle_Queue__c names no queue &quot;Nurture Queue&quot; \(Setup &gt; Queues\)<\/p>/
  );
  expect(page.html).toContain('An admin creates the nurture queue in Setup → Queues, with Lead among its supported objects');
  expect(page.html).not.toContain('id="whatif-clocks"');
  // the replay in place gets the same reason in the part it swaps
  const parts = await replay(`${PERIOD}&target.Lead_Accept=90`, { 'x-closed-loop-fragment': 'whatif' });
  expect(parts.status).toBe(409);
  expect(parts.html).toMatch(
    /^<div id="whatif-error-slot"><p class="error" role="alert" id="whatif-error">[^<]*Recycle_Queue__c names no queue/
  );
});

test('a manager’s edits replay the history read once; a lead accepted in the org is in the next replay', async () => {
  // the admin sets the queue up (Setup → Queues): the same page now replays
  const queue = await org.conn.sobject('Group').create({ Name: 'Nurture Queue', DeveloperName: 'Nurture_Queue', Type: 'Queue' });
  if (!queue.success) throw new Error('queue not created');
  await org.conn.sobject('QueueSobject').create({ QueueId: queue.id, SobjectType: 'Lead' });
  const lead = await org.conn.sobject('Lead').create({ LastName: 'Inbound', Company: 'Prospect Co', Status: 'Marketing Qualified' });
  if (!lead.success) throw new Error('lead not created');

  const first = await replay(PERIOD);
  expect(first.status).toBe(200);
  expect(acceptMet(first.html)).toBe(0);
  const readFirst = readAt(first.html);
  expect(first.html).toMatch(/kept between replays while the org does not change \(at most 10 minutes\)/);

  // what reading the history costs, as the org is now
  const read = (await readHistory(org.conn)).requests;
  expect(read).toBeGreaterThan(0);

  // the manager edits the Accept target: the same figures under the current policies, the proposal's beside them,
  // and the history is not read again — the replay costs the org exactly one read less than the first
  const edited = await replay(`${PERIOD}&target.Lead_Accept=90`, { 'x-closed-loop-fragment': 'whatif' });
  expect(edited.status).toBe(200);
  expect(edited.html).toContain('Accept · proposed (90 min)');
  expect(readAt(edited.html)).toBe(readFirst);
  expect(first.requests - edited.requests).toBe(read);
  const again = await replay(`${PERIOD}&target.Lead_Accept=120`, { 'x-closed-loop-fragment': 'whatif' });
  expect(again.requests).toBe(edited.requests);
  expect(readAt(again.html)).toBe(readFirst);

  // a rep accepts the lead: the next replay reads the org again and counts the Accept run as met
  await org.conn.sobject('Lead').update({ Id: lead.id, Status: 'Sales Accepted' });
  const after = await replay(`${PERIOD}&target.Lead_Accept=120`, { 'x-closed-loop-fragment': 'whatif' });
  expect(after.status).toBe(200);
  expect(acceptMet(after.html)).toBe(1);
  expect(after.requests - again.requests).toBeGreaterThanOrEqual(read);
  expect(Date.parse(readAt(after.html))).toBeGreaterThan(Date.parse(readFirst));
}, 60_000);

test('a history is kept for the user it was read as, and for no one else', async () => {
  const manager = await org.createUser({ username: 'whatif.manager@example.com', profile: 'System Administrator' });
  const keeper = new HistoryKeeper({ maxEntries: 1 });
  try {
    const admin = await keeper.get(org.conn);
    expect(admin.kept).toBe(false);
    expect((await keeper.get(org.conn)).kept).toBe(true);
    // another user's connection reads the history as that user, not the admin's kept one
    const theirs = await keeper.get(manager.conn);
    expect(theirs.kept).toBe(false);
    expect(theirs.history.data.conn).toBe(manager.conn);
    expect((await keeper.get(manager.conn)).kept).toBe(true);
    // one history at most here: the admin's was dropped for the manager's
    expect((await keeper.get(org.conn)).kept).toBe(false);
  } finally {
    keeper.clear();
  }
}, 60_000);
