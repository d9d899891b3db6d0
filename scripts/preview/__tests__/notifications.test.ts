import { startTestOrg, type TestOrg, type TestUser } from '../../localorg/testing';
import { listViewPath } from '../listViews';
import { notificationsPanel } from '../notifications';
import { startPreviewServer, type RunningPreview } from '../server';

/**
 * The preview's notifications panel links each notification to what it is about, as the bell does: an alert to
 * its record, a digest (the SLA sync's "SLA: N more alerts", whose target is a list view page reference) to that
 * list view — opening either marks it read. Over real HTTP against a local org; the browser test of the bell is
 * e2e/notifications.test.ts.
 */

const MY_OPEN_TIMERS = JSON.stringify({
  type: 'standard__objectPage',
  attributes: { objectApiName: 'SLA_Timer__c', actionName: 'list' },
  state: { filterName: 'My_Open_SLA_Timers' }
});

const format = {
  escape: (s: unknown) => String(s).replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;'),
  when: (iso: string) => iso
};

describe('the notifications panel', () => {
  const base = { messageBody: 'Body', read: false, mostRecentActivityDate: '2026-03-04T15:00:00.000Z', type: 'Closed_Loop_SLA_Alert' };

  it('links an alert and a digest alike, through the open route; a notification with no target has no link', () => {
    const html = notificationsPanel(
      [
        { ...base, id: 'alert1', messageTitle: 'SLA breached: Accept on Ada', target: '00Q000000000001AAA' },
        { ...base, id: 'digest1', messageTitle: 'SLA: 7 more alerts (7 breached)', target: null, targetPageRef: MY_OPEN_TIMERS },
        { ...base, id: 'plain1', messageTitle: 'Nothing to open', target: null, targetPageRef: null }
      ],
      format
    );
    expect(html).toContain('<a href="/notifications/open/alert1">SLA breached: Accept on Ada</a>');
    expect(html).toContain('<a href="/notifications/open/digest1">SLA: 7 more alerts (7 breached)</a>');
    expect(html).toContain('Nothing to open</h3>');
    expect(html).not.toContain('/notifications/open/plain1');
  });

  it('opens a list view page reference at the preview’s list view path, and nothing else', () => {
    expect(listViewPath(MY_OPEN_TIMERS)).toBe('/o/SLA_Timer__c/list?filterName=My_Open_SLA_Timers');
    expect(listViewPath(JSON.stringify({ type: 'standard__objectPage', attributes: { objectApiName: 'Lead', actionName: 'list' } }))).toBe(
      '/o/Lead/list'
    );
    expect(listViewPath(JSON.stringify({ type: 'standard__recordPage', attributes: { recordId: '00Q000000000001AAA' } }))).toBeUndefined();
    expect(
      listViewPath(JSON.stringify({ type: 'standard__objectPage', attributes: { objectApiName: '../x', actionName: 'list' } }))
    ).toBeUndefined();
    expect(listViewPath('not json')).toBeUndefined();
    expect(listViewPath(null)).toBeUndefined();
  });
});

describe('a digest in the preview', () => {
  let org: TestOrg;
  let preview: RunningPreview;
  let cookie: string;
  let rep: TestUser;
  let digestId: string;

  beforeAll(async () => {
    org = await startTestOrg();
    rep = await org.createUser({ username: 'rep@digest.preview.test', lastName: 'Digest', permissionSets: ['Closed_Loop_Rep'] });
    const lead = (await org.conn.sobject('Lead').create({ LastName: 'Lovelace', Company: 'Engines', OwnerId: rep.userId })) as {
      id: string;
    };
    const timer = (fields: Record<string, unknown>) =>
      org.conn.sobject('SLA_Timer__c').create({ Clock__c: 'Accept', Lead__c: lead.id, ...fields });
    await timer({ Status__c: 'Breached', OwnerId: rep.userId, Due_At__c: new Date().toISOString() });
    await timer({ Status__c: 'Met', OwnerId: rep.userId });
    await timer({ Status__c: 'At Risk' }); // the admin's, not the rep's
    const typeId = (
      await org.conn.query<{ Id: string }>("SELECT Id FROM CustomNotificationType WHERE DeveloperName = 'Closed_Loop_SLA_Alert'")
    ).records[0].Id;
    const sent = await fetch(`${org.instanceUrl}/services/data/v64.0/actions/standard/customNotificationAction`, {
      method: 'POST',
      headers: { authorization: `Bearer ${org.accessToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        inputs: [
          {
            customNotifTypeId: typeId,
            recipientIds: [rep.userId],
            title: 'SLA: 7 more alerts (7 breached)',
            body: 'Open the list "My open SLA timers" to work through them.',
            targetPageRef: MY_OPEN_TIMERS
          }
        ]
      })
    });
    expect(sent.status).toBe(200);
    const bell = await rep.conn.request<{ notifications: Array<{ id: string }> }>('/connect/notifications?size=50');
    digestId = bell.notifications[0].id;
    // the preview as the rep
    preview = await startPreviewServer({
      org: { instanceUrl: org.instanceUrl, accessToken: rep.conn.accessToken!, apiVersion: '64.0' },
      // the pages here draw no components: the build is never needed
      build: new Promise<never>(() => {}),
      port: 0
    });
    const first = await fetch(preview.openUrl, { redirect: 'manual' });
    cookie = (first.headers.get('set-cookie') ?? '').split(';')[0];
  }, 120_000);

  afterAll(async () => {
    await preview?.close();
    await org?.close();
  });

  const ui = (path: string) => fetch(`${preview.url}${path}`, { headers: { cookie }, redirect: 'manual' });

  it('is linked on the panel; opening it marks it read and goes to its list view, which shows the rep’s open timers', async () => {
    const panel = await (await ui('/notifications')).text();
    expect(panel).toContain(`<a href="/notifications/open/${digestId}">SLA: 7 more alerts (7 breached)</a>`);

    const opened = await ui(`/notifications/open/${digestId}`);
    expect(opened.status).toBe(303);
    expect(opened.headers.get('location')).toBe('/o/SLA_Timer__c/list?filterName=My_Open_SLA_Timers');
    expect((await rep.conn.request<{ unreadCount: number }>('/connect/notifications/status')).unreadCount).toBe(0);

    const list = await ui('/o/SLA_Timer__c/list?filterName=My_Open_SLA_Timers');
    expect(list.status).toBe(200);
    const page = await list.text();
    expect(page).toContain('My open SLA timers (1)');
    expect(page).toContain('<td>Breached</td>');
    expect(page).not.toContain('<td>Met</td>');
    expect(page).not.toContain('<td>At Risk</td>');
    expect(page).toMatch(/<a href="\/record\/00Q\w+">Lovelace<\/a>/);
  });

  it('shows a view of everyone’s records with its filters, a relative date among them (a manager’s digest opens Breached this week)', async () => {
    const list = await ui('/o/SLA_Timer__c/list?filterName=Breached_This_Week');
    expect(list.status).toBe(200);
    const page = await list.text();
    expect(page).toContain('Breached this week (1)');
    expect(page).not.toContain('role="alert"');
  });

  it('answers a list view the package does not have with 404', async () => {
    expect((await ui('/o/SLA_Timer__c/list?filterName=Nope')).status).toBe(404);
    expect((await ui('/o/SLA_Timer__c/list')).status).toBe(404);
  });
});
