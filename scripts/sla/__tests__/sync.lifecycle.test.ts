/**
 * The SLA sync against the local org, for how a lead's clocks end: conversion (its activities moved to the
 * contact still count; converting is contact), not required any more (rejected or recycled before the due
 * time), recycling (back to the nurture queue, counted), deletion (every timer Cancelled, feedback kept),
 * and trusted instants (a backdated meeting counts when it was logged; feedback when it was created).
 * New York business hours Mon–Fri 09:00–17:00; Monday 2026-03-02 09:00 New York = 14:00Z.
 */
import { runSync } from '../sync';
import type { SyncOptions, SyncSummary } from '../sync';
import {
  completedTask,
  conversionTargets,
  count,
  escalationTasks,
  feedback,
  fieldOf,
  lead,
  meeting,
  ok,
  startSyncOrg,
  timersOf
} from './syncFixtures';
import type { SyncOrg } from './syncFixtures';

let o: SyncOrg;
beforeEach(async () => {
  o = await startSyncOrg();
});
afterEach(() => o.close());

const sync = (now: string, options: SyncOptions = {}): Promise<SyncSummary> => runSync(o.sync, { now, clock: o.clock, ...options });
const Z = (hm: string, day = '2026-03-02') => `${day}T${hm}:00.000Z`;
const clock = async (id: string, name: string) => (await timersOf(o, id)).find((t) => t.key.includes(`:${name}:`));

/** An MQL owned by rep1 since 14:00Z (09:00 New York): Accept due 15:00Z, First Touch due 18:00Z. */
const mql = (extra: Parameters<typeof lead>[1] extends infer S ? Partial<S> : never = {}) =>
  lead(o, { createdAt: Z('13:00'), status: 'New', owner: o.rep1, steps: [{ at: Z('14:00'), status: 'Marketing Qualified' }], ...extra });

describe('conversion', () => {
  it('a touch before the conversion, moved to the contact by it, meets First Touch at the touch', async () => {
    const to = await conversionTargets(o, o.rep1, Z('16:00'));
    const id = await mql({
      convertedContactId: to.contact,
      convertedAccountId: to.account,
      convertedOpportunityId: to.opportunity,
      steps: [
        { at: Z('14:00'), status: 'Marketing Qualified' },
        { at: Z('16:00'), status: 'Converted' },
        { at: Z('16:00'), converted: true }
      ]
    });
    // the rep called 7 minutes into the clock; the conversion moved the call to the contact and the opportunity
    await completedTask(o, to.contact, o.rep1, Z('14:07'), to.opportunity);
    o.at(Z('16:30'));
    await sync(Z('16:30'));
    expect(await clock(id, 'First Touch')).toMatchObject({ status: 'Met', stoppedAt: Z('14:07'), elapsed: 7 });
    // (accepting took converting it, an hour past the Accept due time)
    expect(await clock(id, 'Accept')).toMatchObject({ status: 'Breached', dueAt: Z('15:00'), stoppedAt: Z('16:00') });
  });

  it('with no touch before the due time, converting meets both clocks at the conversion', async () => {
    const to = await conversionTargets(o, o.rep1, Z('15:40'));
    const id = await mql({
      convertedContactId: to.contact,
      convertedAccountId: to.account,
      convertedOpportunityId: to.opportunity,
      steps: [
        { at: Z('14:00'), status: 'Marketing Qualified' },
        { at: Z('14:45'), status: 'Converted' },
        { at: Z('14:45'), converted: true }
      ]
    });
    // a call on the contact after the conversion is the contact's, not the lead's
    await completedTask(o, to.contact, o.rep1, Z('15:30'));
    o.at(Z('19:00'));
    await sync(Z('19:00'));
    expect(await timersOf(o, id)).toMatchObject([
      { key: `${id}:Accept:${Z('14:00')}`, status: 'Met', stoppedAt: Z('14:45') },
      { key: `${id}:First Touch:${Z('14:00')}`, status: 'Met', stoppedAt: Z('14:45'), elapsed: 45 }
    ]);
    expect(await fieldOf(o, 'Lead', id, 'SLA_Status__c')).toBe('Met');
    expect(await escalationTasks(o, id)).toEqual([]);
  });

  it('a meeting logged on the opportunity after a sync brings the converted lead into the next one', async () => {
    const to = await conversionTargets(o, o.rep1, Z('14:00'));
    const id = await mql({
      convertedContactId: to.contact,
      convertedAccountId: to.account,
      convertedOpportunityId: to.opportunity,
      steps: [
        { at: Z('14:00'), status: 'Marketing Qualified' },
        { at: Z('17:50'), status: 'Converted' },
        { at: Z('17:50'), converted: true }
      ]
    });
    o.at(Z('17:55'));
    await sync(Z('17:55'));
    o.at(Z('17:56'));
    await sync(Z('17:56'));
    expect(await clock(id, 'First Touch')).toMatchObject({ status: 'Met', stoppedAt: Z('17:50') });

    // at 18:00 the rep logs the 17:10 meeting (within the backdate grace) on the opportunity, naming nobody
    o.at(Z('18:00'));
    await ok(
      o.conn
        .sobject('Event')
        .create({ WhatId: to.opportunity, OwnerId: o.rep1, Subject: 'Demo', StartDateTime: Z('17:10'), EndDateTime: Z('17:30') })
    );
    o.at(Z('18:10'));
    const s = await sync(Z('18:10'));
    expect(s).toMatchObject({ mode: 'incremental', records: { leads: 1 } });
    expect(await clock(id, 'First Touch')).toMatchObject({ status: 'Met', stoppedAt: Z('17:10') });
  });
});

describe('not required any more (Cancel statuses)', () => {
  it('rejected before the due time: First Touch is Cancelled, nothing escalates, compliance leaves it out', async () => {
    const id = await mql({
      steps: [
        { at: Z('14:00'), status: 'Marketing Qualified' },
        { at: Z('14:20'), status: 'Rejected' }
      ]
    });
    o.at(Z('20:00'));
    const s = await sync(Z('20:00'));
    expect(await timersOf(o, id)).toMatchObject([
      { key: `${id}:Accept:${Z('14:00')}`, status: 'Met', stoppedAt: Z('14:20') },
      { key: `${id}:First Touch:${Z('14:00')}`, status: 'Cancelled', stoppedAt: Z('14:20'), escalated: false }
    ]);
    expect(await escalationTasks(o, id)).toEqual([]);
    expect(s.escalations).toMatchObject({ timers: 0, userTasks: 0 });
    const met = await o.conn.query<{ Met_Within_SLA__c: number | null }>(
      `SELECT Met_Within_SLA__c FROM SLA_Timer__c WHERE Lead__c = '${id}' AND Clock__c = 'First Touch'`
    );
    expect(met.records[0].Met_Within_SLA__c).toBeNull();
  });

  it('rejected after the due time: First Touch stays Breached', async () => {
    const id = await mql({
      steps: [
        { at: Z('14:00'), status: 'Marketing Qualified' },
        { at: Z('19:00'), status: 'Rejected' }
      ]
    });
    o.at(Z('20:00'));
    await sync(Z('20:00'));
    expect(await clock(id, 'First Touch')).toMatchObject({ status: 'Breached', dueAt: Z('18:00'), stoppedAt: Z('19:00') });
  });
});

describe('recycling', () => {
  it('a recycled lead goes back to the nurture queue, its recycle count goes up by one and First Touch is Cancelled', async () => {
    const id = await mql();
    o.at(Z('14:30'));
    await sync(Z('14:30'));
    expect(await fieldOf(o, 'Lead', id, 'Recycle_Count__c')).toBe(0);

    // recycled from a list view at 14:50 (no feedback): the org records the history
    o.at(Z('14:50'));
    await o.conn.sobject('Lead').update({ Id: id, Status: 'Recycled' });
    o.at(Z('15:00'));
    const s = await sync(Z('15:00'));
    expect(s.recycled).toBe(1);
    expect(await fieldOf(o, 'Lead', id, 'OwnerId')).toBe(o.nurture);
    expect(await fieldOf(o, 'Lead', id, 'Recycle_Count__c')).toBe(1);
    expect(await timersOf(o, id)).toMatchObject([
      { key: `${id}:Accept:${Z('14:00')}`, status: 'Met', stoppedAt: Z('14:50') },
      { key: `${id}:First Touch:${Z('14:00')}`, status: 'Cancelled', stoppedAt: Z('14:50') }
    ]);

    // idempotent: the next run reads the owner change back and moves nothing
    o.at(Z('15:10'));
    expect(await sync(Z('15:10'))).toMatchObject({ recycled: 0, recordsUpdated: { leads: 0 } });
    // marketing takes it from the queue while it is still Recycled: it stays theirs
    o.at(Z('15:20'));
    await o.conn.sobject('Lead').update({ Id: id, OwnerId: o.rep2 });
    o.at(Z('15:30'));
    expect(await sync(Z('15:30'))).toMatchObject({ recycled: 0 });
    expect(await fieldOf(o, 'Lead', id, 'OwnerId')).toBe(o.rep2);
    const owners = await count(o, `SELECT Id FROM LeadHistory WHERE LeadId = '${id}' AND Field = 'Owner'`);
    expect(owners).toBe(4); // two rows (ids, names) for each of the two owner changes
  });
});

describe('trusted instants', () => {
  it('a meeting dated 3 days before it was logged counts when it was logged', async () => {
    const id = await lead(o, {
      createdAt: Z('13:00', '2026-02-26'),
      status: 'New',
      owner: o.rep1,
      steps: [{ at: Z('14:00', '2026-02-26'), status: 'Marketing Qualified' }]
    });
    // logged Monday 15:00Z, dated last Thursday 14:30Z, half an hour into the clock
    o.at(Z('15:00'));
    await meeting(o, id, o.rep1, Z('14:30', '2026-02-26'));
    o.at(Z('16:00'));
    await sync(Z('16:00'));
    expect(await clock(id, 'First Touch')).toMatchObject({ status: 'Breached', stoppedAt: Z('15:00') });
  });

  it('feedback stops Accept when it was created; the sync stamps Submitted_At__c, the snapshots and the quality rating', async () => {
    const id = await mql({ leadSource: 'Webinar' });
    const campaign = await ok(o.conn.sobject('Campaign').create({ Name: 'March webinar', IsActive: true }));
    o.at(Z('14:10'));
    await ok(o.conn.sobject('CampaignMember').create({ CampaignId: campaign, LeadId: id, Status: 'Responded' }));
    const f = await feedback(o, id, Z('14:40'), 2);
    o.at(Z('15:30'));
    const s = await sync(Z('15:30'));
    expect(s.stamped).toBe(1);
    expect(await clock(id, 'Accept')).toMatchObject({ status: 'Met', stoppedAt: Z('14:40') });
    const row = await o.conn.query<Record<string, unknown>>(
      `SELECT Submitted_At__c, Lead_Source__c, Campaign__c FROM Lead_Quality_Feedback__c WHERE Id = '${f}'`
    );
    expect(row.records[0]).toMatchObject({
      Submitted_At__c: '2026-03-02T14:40:00.000+0000',
      Lead_Source__c: 'Webinar',
      Campaign__c: campaign
    });
    expect(await fieldOf(o, 'Lead', id, 'Quality_Rating__c')).toBe(2);
    o.at(Z('15:40'));
    expect(await sync(Z('15:40'))).toMatchObject({ stamped: 0, recordsUpdated: { leads: 0 } });
  });
});

describe('deletion', () => {
  it('deleting a lead with feedback succeeds, clears the feedback’s lookup, and Cancels every timer, Breached ones too', async () => {
    const early = await mql({ name: 'Early' });
    const late = await mql({ name: 'Late' });
    const f = await feedback(o, late, Z('14:10'));
    o.at(Z('14:20'));
    await sync(Z('14:20'));
    expect((await timersOf(o, early)).map((t) => t.status)).toEqual(['Running', 'Running']);

    o.at(Z('14:40'));
    await o.conn.sobject('Lead').destroy(early);
    o.at(Z('15:30'));
    const res = (await o.conn.sobject('Lead').destroy(late)) as { success: boolean };
    expect(res.success).toBe(true);
    expect(await fieldOf(o, 'Lead_Quality_Feedback__c', f, 'Lead__c')).toBeNull();

    const s = await sync(Z('16:00'));
    expect(s.mode).toBe('incremental');
    expect(await timersOf(o, early)).toMatchObject([
      { status: 'Cancelled', stoppedAt: Z('14:40'), elapsed: 40 },
      { status: 'Cancelled', stoppedAt: Z('14:40'), elapsed: 40 }
    ]);
    // Accept had been met by the feedback, First Touch had run past its due time: both leave the figures with the
    // lead (the feedback no longer names the lead, so the lead's clocks end at its deletion)
    expect(await timersOf(o, late)).toMatchObject([
      { status: 'Cancelled', stoppedAt: Z('15:30') },
      { status: 'Cancelled', stoppedAt: Z('15:30'), escalated: false }
    ]);
    const links = await o.conn.query<{ Lead__c: string | null }>(`SELECT Lead__c FROM SLA_Timer__c WHERE Timer_Key__c LIKE '${early}:%'`);
    expect(links.records.map((r) => r.Lead__c)).toEqual([null, null]);
    expect(s.escalations.timers).toBe(0);
    expect(await count(o, "SELECT Id FROM SLA_Timer__c WHERE Lead__c = null AND Opportunity__c = null AND Status__c != 'Cancelled'")).toBe(
      0
    );
  });

  it('timers of a record deleted for good before any sync saw it are Cancelled too', async () => {
    // a timer left behind by a lead that is gone from the org, recycle bin included
    const gone = '00Q000000009999AAA';
    await o.conn
      .sobject('SLA_Timer__c')
      .upsert(
        { Timer_Key__c: `${gone}:First Touch:${Z('14:00')}`, Clock__c: 'First Touch', Status__c: 'Breached', Started_At__c: Z('14:00') },
        'Timer_Key__c'
      );
    o.at(Z('15:00'));
    const s = await sync(Z('15:00'));
    expect(s.timers.cancelled).toBe(1);
    expect(await timersOf(o, gone)).toMatchObject([{ status: 'Cancelled', stoppedAt: Z('15:00') }]);
  });
});

describe('dry run', () => {
  it('counts the escalation tasks it would create, and creates none', async () => {
    const id = await mql();
    o.at(Z('16:00'));
    const dry = await sync(Z('16:00'), { dryRun: true });
    expect(dry).toMatchObject({ dryRun: true, escalations: { timers: 1, userTasks: 1, managerTasks: 1 }, watermark: null });
    expect(await escalationTasks(o, id)).toEqual([]);
    expect(await timersOf(o, id)).toEqual([]);
    const real = await sync(Z('16:00'));
    expect(real.escalations).toEqual(dry.escalations);
    expect(await escalationTasks(o, id)).toHaveLength(2);
  });
});
