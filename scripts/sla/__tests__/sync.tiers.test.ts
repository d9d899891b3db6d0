/**
 * SLA tiers and reassignment on breach, against the local org. The demo's Accept tiers (config/demo):
 * Lead_Accept_Inbound (Web, Phone Inquiry: 15 min, priority 1), Lead_Accept_Events (Webinar, Trade Show:
 * 240 min, priority 2) and the package's catch-all Lead_Accept (60 min). New York business hours Mon–Fri
 * 09:00–17:00; Monday 2026-03-02 09:00 New York = 14:00Z.
 */
import { runSync, SyncError } from '../sync';
import type { SyncOptions, SyncSummary } from '../sync';
import { conversionTargets, count, deployPolicy, fieldOf, lead, ok, startSyncOrg, timersOf } from './syncFixtures';
import type { SyncOrg } from './syncFixtures';

let o: SyncOrg;
beforeEach(async () => {
  o = await startSyncOrg();
});
afterEach(() => o.close());

const sync = (now: string, options: SyncOptions = {}): Promise<SyncSummary> => {
  o.at(now);
  return runSync(o.sync, { now, clock: o.clock, ...options });
};
const Z = (hm: string, day = '2026-03-02') => `${day}T${hm}:00.000Z`;
const accept = async (id: string) => (await timersOf(o, id)).filter((t) => t.key.includes(':Accept:'));

/** An MQL owned by rep1 since 14:00Z (09:00 New York), from the given source. */
const mql = (leadSource: string | undefined, extra: Partial<Parameters<typeof lead>[1]> = {}) =>
  lead(o, {
    createdAt: Z('13:00'),
    status: 'New',
    owner: o.rep1,
    leadSource,
    steps: [{ at: Z('14:00'), status: 'Marketing Qualified' }],
    ...extra
  });

describe('tiers', () => {
  it('a Web lead and a Trade Show lead arriving at the same moment get their tiers’ due times; any other source the catch-all’s', async () => {
    const web = await mql('Web');
    const show = await mql('Trade Show');
    const list = await mql('Purchased List');
    const none = await mql(undefined);
    await sync(Z('14:05'));
    expect(await accept(web)).toMatchObject([{ policy: 'Lead_Accept_Inbound', dueAt: Z('14:15'), status: 'Running' }]);
    expect(await accept(show)).toMatchObject([{ policy: 'Lead_Accept_Events', dueAt: Z('18:00'), status: 'Running' }]);
    expect(await accept(list)).toMatchObject([{ policy: 'Lead_Accept', dueAt: Z('15:00') }]);
    expect(await accept(none)).toMatchObject([{ policy: 'Lead_Accept', dueAt: Z('15:00') }]);
    // First Touch has one policy: every lead gets it
    const firstTouch = (await timersOf(o, web)).find((t) => t.key.includes(':First Touch:'));
    expect(firstTouch).toMatchObject({ policy: 'Lead_First_Touch', dueAt: Z('18:00') });
  });

  it('a lead whose source changes after the start keeps its tier, on later syncs and on a full one', async () => {
    const id = await mql('Web');
    await sync(Z('14:05'));
    o.at(Z('14:10'));
    await ok(o.conn.sobject('Lead').update({ Id: id, LeadSource: 'Trade Show' }));
    await sync(Z('14:20'));
    expect(await accept(id)).toMatchObject([{ policy: 'Lead_Accept_Inbound', dueAt: Z('14:15'), status: 'Breached' }]);
    await sync(Z('14:25'), { full: true });
    expect(await accept(id)).toMatchObject([{ policy: 'Lead_Accept_Inbound', dueAt: Z('14:15'), status: 'Breached' }]);
    // a new run (the lead comes back as an MQL) gets the tier of the source it has then
    o.at(Z('14:30'));
    await ok(o.conn.sobject('Lead').update({ Id: id, Status: 'Recycled' }));
    o.at(Z('14:40'));
    await ok(o.conn.sobject('Lead').update({ Id: id, Status: 'Marketing Qualified', OwnerId: o.rep1 }));
    await sync(Z('14:45'));
    const runs = await accept(id);
    expect(runs.map((t) => t.policy)).toEqual(['Lead_Accept_Inbound', 'Lead_Accept_Events']);
  });

  it('a field/value condition picks the tier (Rating = Hot); a tier that overlaps another of equal priority stops the sync before it writes', async () => {
    const hot = (priority: number) =>
      deployPolicy(o.conn, 'Lead_Accept_Hot', {
        Active__c: true,
        Clock__c: 'Accept',
        Object__c: 'Lead',
        Target_Minutes__c: 5,
        Warning_Percent__c: 75,
        Start_Statuses__c: 'Marketing Qualified',
        Stop_Statuses__c: 'Sales Accepted;Sales Qualified;Recycled;Rejected',
        Restart_On_Reassign__c: true,
        Criteria_Field__c: 'Rating',
        Criteria_Values__c: 'Hot',
        Priority__c: priority
      });
    await hot(1);
    const id = await mql('Web');
    await ok(o.conn.sobject('Lead').update({ Id: id, Rating: 'Hot' }));
    // a Web lead rated Hot meets both priority-1 tiers
    await expect(sync(Z('14:05'))).rejects.toThrow(
      "SLA_Policy__mdt Lead_Accept_Inbound: Priority__c 1 equals Lead_Accept_Hot's, and one record can meet both tiers' criteria: give one a lower number"
    );
    expect(await count(o, 'SELECT Id FROM SLA_Timer__c')).toBe(0);
    await deployPolicy(o.conn, 'Lead_Accept_Inbound', { Priority__c: 2 });
    await deployPolicy(o.conn, 'Lead_Accept_Events', { Priority__c: 3 });
    const warm = await mql('Web', { name: 'Warm' });
    await sync(Z('14:05'));
    expect(await accept(id)).toMatchObject([{ policy: 'Lead_Accept_Hot', dueAt: Z('14:05') }]);
    expect(await accept(warm)).toMatchObject([{ policy: 'Lead_Accept_Inbound', dueAt: Z('14:15') }]);
  });
});

describe('reassignment on breach', () => {
  /** Inbound tier: reassign 30 business minutes after the due time, round robin over the Inbound queue (rep2, manager). */
  const roundRobin = async () => {
    await ok(o.conn.sobject('GroupMember').create({ GroupId: o.queue, UserOrGroupId: o.rep2 }));
    await ok(o.conn.sobject('GroupMember').create({ GroupId: o.queue, UserOrGroupId: o.manager }));
    await deployPolicy(o.conn, 'Lead_Accept_Inbound', {
      Reassign_To_Queue__c: 'Inbound',
      Reassign_Mode__c: 'Round Robin',
      Reassign_Delay_Minutes__c: 30
    });
  };
  const ownerOf = (id: string) => fieldOf(o, 'Lead', id, 'OwnerId');

  it('a breached lead past the delay is reassigned once, round robin in a stable order; the timer keeps the history; a second sync does nothing more', async () => {
    await roundRobin();
    const a = await mql('Web', { name: 'Alpha' });
    const b = await mql('Web', { name: 'Bravo' });
    const c = await mql('Phone Inquiry', { name: 'Charlie' });
    await sync(Z('14:05'));
    // breached at 14:15, the delay runs out at 14:45
    expect(await sync(Z('14:30'))).toMatchObject({ reassigned: 0 });
    expect(await ownerOf(a)).toBe(o.rep1);
    const s = await sync(Z('14:50'));
    expect(s.reassigned).toBe(3);
    // members by user Id: the manager was created before rep2; leads by the instant their delay ran out, then Id
    const members = [o.manager, o.rep2].sort();
    const leads = [a, b, c].sort();
    expect(await Promise.all(leads.map(ownerOf))).toEqual([members[0], members[1], members[0]]);
    const first = (await accept(leads[0]))[0];
    expect(first).toMatchObject({ status: 'Breached', stoppedAt: Z('14:50'), accountable: o.rep1 });
    const row = await o.conn.query<Record<string, unknown>>(
      `SELECT Reassigned_At__c, Reassigned_From__c, Reassignment_Note__c FROM SLA_Timer__c WHERE Timer_Key__c = '${first.key}'`
    );
    expect(row.records[0]).toMatchObject({ Reassigned_At__c: '2026-03-02T14:50:00.000+0000', Reassigned_From__c: o.rep1 });
    expect(String(row.records[0].Reassignment_Note__c)).toMatch(
      /^Accept breached \(due 2026-03-02 14:15 UTC\), still breached 30 business min later: reassigned to .+ \(round robin, queue Inbound\) by policy Lead_Accept_Inbound$/
    );
    // Restart_On_Reassign__c: the new owner gets a fresh clock of the same tier
    expect((await accept(leads[0]))[1]).toMatchObject({
      policy: 'Lead_Accept_Inbound',
      startedAt: Z('14:50'),
      accountable: members[0],
      status: 'Running'
    });

    // the new owners breach too: never a second reassignment for the same lead and clock
    o.at(Z('14:55'));
    const d = await mql('Web', { name: 'Delta', steps: [{ at: Z('15:00'), status: 'Marketing Qualified' }] });
    const again = await sync(Z('15:40'));
    expect(again.reassigned).toBe(0);
    expect(await Promise.all(leads.map(ownerOf))).toEqual([members[0], members[1], members[0]]);
    expect((await accept(leads[0]))[1]).toMatchObject({ status: 'Breached' });
    // the next breached lead (due 15:15, delay out at 15:45) continues the rotation where it stopped
    expect(await ownerOf(d)).toBe(o.rep1);
    expect(await sync(Z('15:50'))).toMatchObject({ reassigned: 1 });
    expect(await ownerOf(d)).toBe(members[1]);
  });

  it('to the queue: the lead waits there, its clock paused; with Restart_On_Reassign__c unchecked whoever takes it counts on', async () => {
    await deployPolicy(o.conn, 'Lead_Accept_Inbound', {
      Reassign_To_Queue__c: 'Inbound',
      Reassign_Delay_Minutes__c: 0,
      Restart_On_Reassign__c: false
    });
    const id = await mql('Web');
    await sync(Z('14:05'));
    expect(await sync(Z('14:20'))).toMatchObject({ reassigned: 1 });
    expect(await ownerOf(id)).toBe(o.queue);
    expect(await accept(id)).toMatchObject([{ status: 'Breached', stoppedAt: null, accountable: o.rep1 }]);
    o.at(Z('14:40'));
    await ok(o.conn.sobject('Lead').update({ Id: id, OwnerId: o.rep2 }));
    expect(await sync(Z('14:45'))).toMatchObject({ reassigned: 0 });
    expect(await accept(id)).toMatchObject([{ status: 'Breached', stoppedAt: null, accountable: o.rep2 }]);
    expect(await ownerOf(id)).toBe(o.rep2);
  });

  it('never reassigns a converted lead or one no longer in a start status', async () => {
    await deployPolicy(o.conn, 'Lead_Accept_Inbound', { Reassign_To_Queue__c: 'Inbound', Reassign_Delay_Minutes__c: 0 });
    const to = await conversionTargets(o, o.rep1, Z('14:30'));
    const converted = await mql('Web', {
      name: 'Converted',
      convertedContactId: to.contact,
      convertedAccountId: to.account,
      convertedOpportunityId: to.opportunity,
      steps: [
        { at: Z('14:00'), status: 'Marketing Qualified' },
        { at: Z('14:30'), status: 'Converted' },
        { at: Z('14:30'), converted: true }
      ]
    });
    const accepted = await mql('Web', { name: 'Accepted' });
    const breached = await mql('Web', { name: 'Breached' });
    await sync(Z('14:05'));
    // accepted after its due time (14:15), before the sync that would hand it over
    o.at(Z('14:20'));
    await ok(o.conn.sobject('Lead').update({ Id: accepted, Status: 'Sales Accepted' }));
    expect(await sync(Z('14:25'))).toMatchObject({ reassigned: 1 });
    expect(await ownerOf(converted)).toBe(o.rep1);
    expect(await ownerOf(accepted)).toBe(o.rep1);
    expect(await ownerOf(breached)).toBe(o.queue);
    expect(await accept(accepted)).toMatchObject([{ status: 'Breached', stoppedAt: Z('14:20') }]);
    expect(await sync(Z('16:00'), { full: true })).toMatchObject({ reassigned: 0 });
  });

  it('a reassignment queue that does not exist stops the sync before it writes anything', async () => {
    await deployPolicy(o.conn, 'Lead_Accept_Inbound', { Reassign_To_Queue__c: 'Escalations' });
    await mql('Web');
    const err = await sync(Z('14:05')).catch((e: unknown) => e);
    expect(err).not.toBeInstanceOf(SyncError);
    expect(String(err)).toContain(
      'SLA_Policy__mdt Lead_Accept_Inbound: Reassign_To_Queue__c names no queue "Escalations" that takes leads (Setup > Queues)'
    );
    expect(await count(o, 'SELECT Id FROM SLA_Timer__c')).toBe(0);
  });
});
