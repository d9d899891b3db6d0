/**
 * SLA alerts as the accountable rep and their manager receive them: the sync sends a custom notification
 * through `customNotificationAction` when a timer crosses its warning or due time, once per timer and
 * transition, and the recipients read it from their bell (`/connect/notifications`) in the local org. Also the
 * Lead's SLA_Due_At__c stamp the list views sort on. New York business hours Mon–Fri 09:00–17:00; Monday
 * 2026-03-02 09:00 New York = 14:00Z; Accept: 60 business minutes, warning at 75 %.
 */
import type { Connection } from 'jsforce';
import { runSync } from '../sync';
import type { SyncOptions, SyncSummary } from '../sync';
import { ALERTS_PER_RECIPIENT, NOTIFICATION_TYPE } from '../syncNotify';
import { fieldOf, lead, ok, startSyncOrg } from './syncFixtures';
import type { SyncOrg } from './syncFixtures';

let o: SyncOrg;
beforeEach(async () => {
  o = await startSyncOrg();
});
afterEach(() => o.close());

const sync = (now: string, options: SyncOptions = {}): Promise<SyncSummary> => {
  o.at(now);
  return runSync(o.conn, { now, clock: o.clock, ...options });
};
const Z = (hm: string, day = '2026-03-02') => `${day}T${hm}:00.000Z`;

interface Notification {
  id: string;
  messageTitle: string;
  messageBody: string;
  target: string | null;
  targetPageRef: string | null;
  read: boolean;
  type: string;
}

async function bellOf(userId: string): Promise<{ notifications: Notification[]; unread: number }> {
  const username = (await o.conn.query<{ Username: string }>(`SELECT Username FROM User WHERE Id = '${userId}'`)).records[0].Username;
  const conn: Connection = await o.org.connectionAs(username);
  const list = await conn.request<{ notifications: Notification[] }>('/connect/notifications?size=50');
  const status = await conn.request<{ unreadCount: number }>('/connect/notifications/status');
  return { notifications: list.notifications, unread: status.unreadCount };
}

/** An MQL owned by rep1 since 14:00Z: Accept at risk 14:45Z, due 15:00Z. */
const mql = () =>
  lead(o, { createdAt: Z('13:00'), status: 'New', owner: o.rep1, steps: [{ at: Z('14:00'), status: 'Marketing Qualified' }] });

it('the package ships the notification type, queryable by DeveloperName as in a real org', async () => {
  const rows = await o.conn.query<{ Id: string; MasterLabel: string; Desktop: boolean; Mobile: boolean }>(
    `SELECT Id, MasterLabel, Desktop, Mobile FROM CustomNotificationType WHERE DeveloperName = '${NOTIFICATION_TYPE}'`
  );
  expect(rows.records).toHaveLength(1);
  expect(rows.records[0]).toMatchObject({ MasterLabel: 'Closed Loop SLA Alert', Desktop: true, Mobile: true });
  expect(rows.records[0].Id).toMatch(/^0ML/);
});

it('at risk, then breached: one alert each for the rep, the manager on the breach; another sync adds none', async () => {
  const id = await mql();
  await sync(Z('14:10'));
  expect((await bellOf(o.rep1)).notifications).toEqual([]);

  const atRisk = await sync(Z('14:50'));
  expect(atRisk.crossed).toEqual({ atRisk: 1, breached: 0 });
  expect(atRisk.notifications).toEqual({ sent: 1, failed: 0, digests: 0, digested: 0 });
  let bell = await bellOf(o.rep1);
  expect(bell.notifications).toHaveLength(1);
  expect(bell.notifications[0]).toMatchObject({
    type: NOTIFICATION_TYPE,
    target: expect.stringMatching(new RegExp(`^${id.slice(0, 15)}`)),
    read: false
  });
  expect(bell.notifications[0].messageTitle).toMatch(/^SLA at risk: Accept on /);
  expect(bell.notifications[0].messageBody).toMatch(/is due Mon, Mar 2, 2026, 10:00 \(America\/New_York\)/);

  const breached = await sync(Z('15:10'));
  expect(breached.crossed).toEqual({ atRisk: 0, breached: 1 });
  // the rep and, as the policy notifies managers, the manager; the escalation tasks stay
  expect(breached.notifications).toEqual({ sent: 2, failed: 0, digests: 0, digested: 0 });
  expect(breached.escalations).toMatchObject({ userTasks: 1, managerTasks: 1 });
  bell = await bellOf(o.rep1);
  expect(bell.notifications.map((n) => n.messageTitle)).toEqual([
    expect.stringMatching(/^SLA breached: Accept on /),
    expect.stringMatching(/^SLA at risk: /)
  ]);
  expect(bell.unread).toBe(2);
  const manager = await bellOf(o.manager);
  expect(manager.notifications).toHaveLength(1);
  expect(manager.notifications[0].messageTitle).toMatch(/^SLA breached \(Test Rep One\): Accept on /);
  // another user's bell does not show them
  expect((await bellOf(o.rep2)).notifications).toEqual([]);

  for (const at of [Z('15:20'), Z('16:00')]) {
    const again = await sync(at);
    expect(again.notifications).toEqual({ sent: 0, failed: 0, digests: 0, digested: 0 });
  }
  expect((await bellOf(o.rep1)).notifications).toHaveLength(2);
  expect((await bellOf(o.manager)).notifications).toHaveLength(1);
});

it('a quiet sync stays at 3 API calls and no writes; a breach costs the notification type query and one action call', async () => {
  await mql();
  await sync(Z('14:10'));
  await sync(Z('14:50')); // at risk, notified
  const quiet = await sync(Z('14:55'));
  expect(quiet.quiet).toBe(true);
  expect(quiet.apiCalls).toBeLessThanOrEqual(3);
  expect(quiet.writes).toEqual({ requests: 0, records: 0 });
  const before = o.org.answered.length;
  const breach = await sync(Z('15:10'));
  const actionCalls = o.org.answered.slice(before).filter((a) => a.path.includes('/actions/standard/customNotificationAction'));
  expect(actionCalls).toHaveLength(1);
  expect(breach.notifications.sent).toBe(2);
});

it('an incremental run stopped after its escalation tasks, before Escalated__c: the next run adds no task', async () => {
  const id = await mql();
  await sync(Z('14:10'));
  let tasksSaved = false;
  await expect(
    sync(Z('15:10'), {
      beforeWrite: (w) => {
        if (w.sobject === 'Task') tasksSaved = true;
        else if (tasksSaved && w.sobject === 'SLA_Timer__c') throw new Error('stopped before Escalated__c');
      }
    })
  ).rejects.toThrow('stopped before Escalated__c');
  const again = await sync(Z('15:20'));
  // the breach is escalated (flagged) by the run after, with the tasks the stopped run saved
  expect(again.escalations).toEqual({ timers: 1, userTasks: 0, managerTasks: 0, withoutManager: 0 });
  const tasks = await o.conn.query<{ OwnerId: string }>(`SELECT OwnerId FROM Task WHERE WhoId = '${id}' ORDER BY OwnerId`);
  expect(tasks.records.map((t) => t.OwnerId).sort()).toEqual([o.rep1, o.manager].sort());
  const timer = await o.conn.query<{ Escalated__c: boolean }>(
    `SELECT Escalated__c FROM SLA_Timer__c WHERE Timer_Key__c = '${id}:Accept:${Z('14:00')}'`
  );
  expect(timer.records).toEqual([expect.objectContaining({ Escalated__c: true })]);
});

it('many breaches for one rep: a few alerts one by one, then one digest each for the rep and the manager; no more next time', async () => {
  const n = ALERTS_PER_RECIPIENT + 4;
  for (let i = 0; i < n; i++) await mql();
  await sync(Z('14:10'));
  const before = o.org.answered.length;
  const breached = await sync(Z('15:10'));
  expect(breached.crossed).toEqual({ atRisk: 0, breached: n });
  // per recipient: ALERTS_PER_RECIPIENT alerts and a digest of the other four breaches
  expect(breached.notifications).toEqual({ sent: 2 * (ALERTS_PER_RECIPIENT + 1), failed: 0, digests: 2, digested: 8 });
  // one request for the alerts, one for the digests
  const actionCalls = o.org.answered.slice(before).filter((a) => a.path.includes('/actions/standard/customNotificationAction'));
  expect(actionCalls).toHaveLength(2);
  // the escalation tasks stay one per breach (and one per breach for the manager): the durable record
  expect(breached.escalations).toMatchObject({ userTasks: n, managerTasks: n });

  const rep = (await bellOf(o.rep1)).notifications;
  expect(rep).toHaveLength(ALERTS_PER_RECIPIENT + 1);
  const [digest, ...alerts] = rep;
  expect(alerts.every((a) => /^SLA breached: Accept on /.test(a.messageTitle) && a.target !== null)).toBe(true);
  expect(digest.messageTitle).toBe('SLA: 4 more alerts (4 breached)');
  expect(digest.messageBody).toMatch(
    /^Besides the 5 alerts sent one by one, 4 more SLAs of yours crossed in this sync: 4 breached\. By clock: Accept: 4 breached\./
  );
  expect(digest.target).toBeNull();
  expect(JSON.parse(String(digest.targetPageRef))).toEqual({
    type: 'standard__objectPage',
    attributes: { objectApiName: 'SLA_Timer__c', actionName: 'list' },
    state: { filterName: 'My_Open_SLA_Timers' }
  });
  const manager = (await bellOf(o.manager)).notifications;
  expect(manager).toHaveLength(ALERTS_PER_RECIPIENT + 1);
  expect(manager[0].messageTitle).toBe('SLA: 4 more breaches on your team');
  expect(manager[0].messageBody).toMatch(/Accountable: Test Rep One 4\./);
  expect(JSON.parse(String(manager[0].targetPageRef)).state).toEqual({ filterName: 'Breached_This_Week' });

  // every crossing was notified, one by one or in the digest: the next run sends nothing
  const again = await sync(Z('15:20'));
  expect(again.notifications).toEqual({ sent: 0, failed: 0, digests: 0, digested: 0 });
  expect((await bellOf(o.rep1)).notifications).toHaveLength(ALERTS_PER_RECIPIENT + 1);
});

it('a dry run counts the alerts it would send and sends none', async () => {
  await mql();
  await sync(Z('14:10'));
  const dry = await sync(Z('15:10'), { dryRun: true });
  expect(dry.notifications).toEqual({ sent: 2, failed: 0, digests: 0, digested: 0 });
  expect((await bellOf(o.rep1)).notifications).toEqual([]);
});

it('stamps Lead.SLA_Due_At__c with the most urgent running clock, and clears it when the clocks stop', async () => {
  const id = await mql();
  await sync(Z('14:10'));
  expect(Date.parse(String(await fieldOf(o, 'Lead', id, 'SLA_Due_At__c')))).toBe(Date.parse(Z('15:00')));
  // accepting stops Accept; First Touch (due 18:00Z) is now the most urgent running clock
  o.at(Z('14:30'));
  await ok(o.conn.sobject('Lead').update({ Id: id, Status: 'Sales Accepted' }));
  await sync(Z('14:40'));
  expect(Date.parse(String(await fieldOf(o, 'Lead', id, 'SLA_Due_At__c')))).toBe(Date.parse(Z('18:00')));
});
