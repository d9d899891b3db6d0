/**
 * What the sync writes for one record, decided without an org (syncPlan.ts): only changed timers, what
 * happens to timers the rules no longer give, the record's status field, and which breaches escalate.
 */
import { planRecord, sameValue } from '../syncPlan';
import type { PlanContext, SyncRecord, TimerRow } from '../syncPlan';
import { ACCEPT, ALICE, calendar, FIRST_TOUCH, lead, LEAD, MQL, status, utc } from './clockFixtures';

const HOUR = 3_600_000;
const NOW = Date.parse('2026-03-02T12:00-05:00');

function ctx(changes: Partial<PlanContext> = {}): PlanContext {
  return {
    policies: [ACCEPT, FIRST_TOUCH],
    calendarFor: () => calendar,
    calendarIdFor: () => 'a0U000000000001AAA',
    activePolicyNames: new Set([ACCEPT.developerName, FIRST_TOUCH.developerName]),
    now: NOW,
    lastEvaluatedAt: null,
    ...changes
  };
}

/** A lead that became Marketing Qualified at 09:00 New York (Accept due 10:00, First Touch 13:00). */
function record(timers: TimerRow[] = [], changes: Partial<SyncRecord> = {}): SyncRecord {
  return {
    object: 'Lead',
    id: LEAD,
    label: 'Jane Doe (Acme)',
    deleted: false,
    converted: false,
    facts: lead('2026-03-02T08:00-05:00', 'New', ALICE, [status('2026-03-02T09:00-05:00', MQL)]),
    rollupValue: null,
    timers,
    ...changes
  };
}

/** The rows a previous sync wrote for this plan (as the org returns them). */
function written(plan: ReturnType<typeof planRecord>, escalated = false): TimerRow[] {
  return plan.timerUpserts.map((u, i) => ({
    ...(u as unknown as TimerRow),
    Id: `a4T00000000000${i}AAA`,
    Started_At__c: String(u.Started_At__c).replace('.000Z', '.000+0000'),
    Escalated__c: escalated
  }));
}

it('a new record: every timer is written, the status field set, the open breach escalated', () => {
  const plan = planRecord(record(), ctx());
  expect(plan.timerUpserts.map((u) => [u.Timer_Key__c, u.Status__c, u.Met_Within_SLA__c])).toEqual([
    [`${LEAD}:Accept:${utc('2026-03-02T09:00-05:00')}`, 'Breached', 0],
    [`${LEAD}:First Touch:${utc('2026-03-02T09:00-05:00')}`, 'Running', null]
  ]);
  expect(plan.recordUpdate).toEqual({ Id: LEAD, SLA_Status__c: 'Breached' });
  expect(plan.escalations.map((e) => [e.timer.clock, e.createTask, e.notifyManager])).toEqual([['Accept', true, true]]);
});

it('unchanged timers and status are not written again (datetimes compared as instants)', () => {
  const first = planRecord(record(), ctx());
  const again = planRecord(record(written(first, true), { rollupValue: 'Breached' }), ctx());
  expect(again).toMatchObject({ timerUpserts: [], recordUpdate: null, escalations: [], cancelled: 0 });
});

it('a breach is escalated once: not again when Escalated__c is set, nor when it fell due before the last sync', () => {
  const first = planRecord(record(), ctx());
  expect(planRecord(record(written(first, true)), ctx()).escalations).toEqual([]);
  expect(planRecord(record(written(first)), ctx({ lastEvaluatedAt: NOW - HOUR })).escalations).toHaveLength(0);
  expect(planRecord(record(written(first)), ctx({ lastEvaluatedAt: NOW - 3 * HOUR })).escalations).toHaveLength(1);
  // a first sync escalates only breaches of the last 24 hours
  expect(planRecord(record(), ctx({ now: NOW + 2 * 24 * HOUR })).escalations).toEqual([]);
});

it('no escalation on a deleted or converted record', () => {
  expect(planRecord(record([], { converted: true }), ctx()).escalations).toEqual([]);
  const gone = planRecord(record([], { deleted: true }), ctx());
  expect(gone.escalations).toEqual([]);
  expect(gone.recordUpdate).toBeNull();
  expect(gone.timerUpserts.every((u) => !('Lead__c' in u))).toBe(true);
});

describe('a timer the rules no longer give its record', () => {
  const orphan = (row: Partial<TimerRow>): TimerRow => ({
    Id: 'a4T000000000009AAA',
    Timer_Key__c: `${LEAD}:Accept:2026-03-01T14:00:00.000Z`,
    Policy__c: 'Lead_Accept',
    Status__c: 'Running',
    Stopped_At__c: null,
    ...row
  });
  const plan = (row: TimerRow, active = true) =>
    planRecord(
      record([row]),
      ctx(active ? {} : { activePolicyNames: new Set([FIRST_TOUCH.developerName]), policies: [FIRST_TOUCH] })
    ).timerUpserts.filter((u) => u.Timer_Key__c === row.Timer_Key__c);

  it('open: closed as Cancelled now', () => {
    expect(plan(orphan({}))).toEqual([
      { Timer_Key__c: orphan({}).Timer_Key__c, Status__c: 'Cancelled', Stopped_At__c: new Date(NOW).toISOString(), Met_Within_SLA__c: null }
    ]);
  });
  it('closed, of an active policy (corrected history): Cancelled, keeping when it stopped', () => {
    expect(plan(orphan({ Status__c: 'Met', Stopped_At__c: '2026-03-01T14:30:00.000+0000' }))).toMatchObject([
      { Status__c: 'Cancelled', Stopped_At__c: '2026-03-01T14:30:00.000+0000' }
    ]);
  });
  it('of a deactivated policy: open ones close (a breach stays Breached), closed ones stay as they were', () => {
    expect(plan(orphan({ Status__c: 'Breached' }), false)).toMatchObject([{ Status__c: 'Breached', Met_Within_SLA__c: 0 }]);
    expect(plan(orphan({ Status__c: 'Paused' }), false)).toMatchObject([{ Status__c: 'Cancelled' }]);
    expect(plan(orphan({ Status__c: 'Met', Stopped_At__c: '2026-03-01T14:30:00.000+0000' }), false)).toEqual([]);
    expect(plan(orphan({ Status__c: 'Cancelled', Stopped_At__c: '2026-03-01T14:30:00.000+0000' }))).toEqual([]);
  });
});

it('sameValue: instants in either format, 15- and 18-character ids, blanks, numbers', () => {
  expect(sameValue('2026-03-02T14:00:00.000Z', '2026-03-02T14:00:00.000+0000')).toBe(true);
  expect(sameValue('2026-03-02T14:00:00.000Z', '2026-03-02T14:00:01.000+0000')).toBe(false);
  expect(sameValue('005000000000001AAA', '005000000000001')).toBe(true);
  expect(sameValue('005000000000001AAA', '005000000000002')).toBe(false);
  expect(sameValue(null, undefined)).toBe(true);
  expect(sameValue(null, 0)).toBe(false);
  expect(sameValue(12.5, '12.5')).toBe(true);
});
