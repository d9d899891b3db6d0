/**
 * The clock rules for how a lead's clocks end (docs/sla-clocks.md): conversion (converting is contact; a
 * touch moved by it still counts), deletion (every timer Cancelled), Cancel statuses (not required any
 * more), and trusted instants (a backdated meeting counts when it was logged). New York Mon–Fri 09:00–17:00.
 */
import { computeTimers, evaluateRecord, leadFacts } from '../clock';
import type { ClockFacts, SlaPolicy, SlaTimer } from '../clock';
import {
  ACCEPT,
  ALICE,
  calendar,
  converted,
  deleted,
  FIRST_TOUCH,
  lead,
  LEAD,
  meeting,
  MQL,
  QUEUE,
  status,
  utc,
  withPolicy
} from './clockFixtures';

const timers = (facts: ClockFacts, policy: SlaPolicy, now: string): SlaTimer[] => computeTimers({ facts, policy, calendar, now });
const only = (facts: ClockFacts, policy: SlaPolicy, now: string): SlaTimer => {
  const all = timers(facts, policy, now);
  expect(all).toHaveLength(1);
  return all[0];
};

/** Mon 2 Mar 2026: created 09:00 EST as New, owned by Alice, Marketing Qualified at 10:00. */
const mqlMonday = (...events: ReturnType<typeof status>[]) =>
  lead('2026-03-02T09:00-05:00', 'New', ALICE, [status('2026-03-02T10:00-05:00', MQL), ...events]);

describe('Conversion and deletion', () => {
  const both = [ACCEPT, FIRST_TOUCH];
  const evaluate = (facts: ClockFacts, now: string) => evaluateRecord({ facts, policies: both, calendarFor: () => calendar, now });

  it('conversion meets Accept and a First Touch that is still running: converting is contact', () => {
    const facts = mqlMonday(status('2026-03-02T10:50-05:00', 'Converted'), converted('2026-03-02T10:50-05:00'));
    const { timers: list, rollup } = evaluate(facts, '2026-03-02T12:00-05:00');
    const [accept, touch] = list;
    expect(accept).toMatchObject({ clock: 'Accept', status: 'Met', endReason: 'converted', elapsedBusinessMinutes: 50 });
    expect(touch).toMatchObject({
      clock: 'First Touch',
      status: 'Met',
      endReason: 'converted',
      stoppedAt: utc('2026-03-02T10:50-05:00'),
      elapsedBusinessMinutes: 50
    });
    expect(rollup).toEqual({ field: 'SLA_Status__c', status: 'Met' });
  });

  it('a touch before the conversion, moved by it to the contact, meets First Touch at its own time', () => {
    const row = (wall: string) => new Date(wall).toISOString().replace('Z', '+0000');
    const facts = leadFacts({
      lead: {
        Id: LEAD,
        CreatedDate: row('2026-03-02T09:00-05:00'),
        Status: 'Converted',
        OwnerId: ALICE,
        IsConverted: true,
        LastModifiedDate: row('2026-03-03T15:00-05:00')
      },
      history: [
        { Id: '0171', Field: 'Status', OldValue: 'New', NewValue: MQL, CreatedDate: row('2026-03-02T10:00-05:00') },
        { Id: '0172', Field: 'Status', OldValue: MQL, NewValue: 'Converted', CreatedDate: row('2026-03-02T16:00-05:00') },
        { Id: '0173', Field: 'leadConverted', OldValue: null, NewValue: null, CreatedDate: row('2026-03-02T16:00-05:00') }
      ],
      // the call was on the lead; the conversion moved it to the contact, where the sync reads it
      tasks: [{ Id: '00T000000000001AAA', OwnerId: ALICE, IsClosed: true, CompletedDateTime: row('2026-03-02T10:07-05:00') }]
    });
    expect(only(facts, FIRST_TOUCH, '2026-03-03T12:00-05:00')).toMatchObject({
      status: 'Met',
      endReason: 'activity',
      stoppedAt: utc('2026-03-02T10:07-05:00'),
      elapsedBusinessMinutes: 7
    });
    // no later history row: the status row that set Converted dates the conversion, not LastModifiedDate
    const noRow = leadFacts({
      lead: {
        Id: LEAD,
        CreatedDate: row('2026-03-02T09:00-05:00'),
        Status: 'Converted',
        OwnerId: ALICE,
        IsConverted: true,
        LastModifiedDate: row('2026-03-05T09:00-05:00')
      },
      history: [
        { Id: '0171', Field: 'Status', OldValue: 'New', NewValue: MQL, CreatedDate: row('2026-03-02T10:00-05:00') },
        { Id: '0172', Field: 'Status', OldValue: MQL, NewValue: 'Converted', CreatedDate: row('2026-03-02T11:30-05:00') }
      ]
    });
    expect(only(noRow, FIRST_TOUCH, '2026-03-05T12:00-05:00')).toMatchObject({
      status: 'Met',
      endReason: 'converted',
      stoppedAt: utc('2026-03-02T11:30-05:00')
    });
  });

  it('conversion after the First Touch Due_At leaves it Breached', () => {
    const facts = mqlMonday(converted('2026-03-03T11:00-05:00'));
    expect(only(facts, FIRST_TOUCH, '2026-03-03T12:00-05:00')).toMatchObject({
      status: 'Breached',
      dueAt: utc('2026-03-02T14:00-05:00'),
      stoppedAt: utc('2026-03-03T11:00-05:00'),
      elapsedBusinessMinutes: 540,
      escalation: { accountableUserId: ALICE, createTask: true, notifyManager: false, breachedAt: utc('2026-03-02T14:00-05:00') }
    });
  });

  it('conversion before any start gives no timers', () => {
    const facts = lead('2026-03-02T09:00-05:00', MQL, QUEUE, [converted('2026-03-03T11:00-05:00')]);
    expect(evaluate(facts, '2026-03-04T12:00-05:00')).toEqual({ timers: [], rollup: { field: 'SLA_Status__c', status: null } });
  });

  it('deletion cancels every timer of the record: running, Breached or Met, so none is left in a figure', () => {
    expect(only(mqlMonday(deleted('2026-03-02T10:30-05:00')), ACCEPT, '2026-03-02T12:00-05:00')).toMatchObject({
      status: 'Cancelled',
      endReason: 'deleted',
      stoppedAt: utc('2026-03-02T10:30-05:00'),
      elapsedBusinessMinutes: 30
    });
    expect(only(mqlMonday(deleted('2026-03-02T11:30-05:00')), ACCEPT, '2026-03-02T12:00-05:00')).toMatchObject({
      status: 'Cancelled',
      endReason: 'deleted',
      breached: false,
      escalation: null
    });
    const accepted = mqlMonday(status('2026-03-02T10:20-05:00', 'Sales Accepted'), deleted('2026-03-04T10:00-05:00'));
    expect(only(accepted, ACCEPT, '2026-03-03T12:00-05:00')).toMatchObject({ status: 'Met' });
    expect(only(accepted, ACCEPT, '2026-03-04T12:00-05:00')).toMatchObject({
      status: 'Cancelled',
      endReason: 'stop status',
      stoppedAt: utc('2026-03-02T10:20-05:00')
    });
  });
});

describe('Cancel statuses: not required any more', () => {
  it('rejected before Due_At: First Touch ends Cancelled and nothing escalates; Accept is met', () => {
    const facts = mqlMonday(status('2026-03-02T10:30-05:00', 'Rejected'));
    expect(only(facts, FIRST_TOUCH, '2026-03-04T12:00-05:00')).toMatchObject({
      status: 'Cancelled',
      endReason: 'cancel status',
      stoppedAt: utc('2026-03-02T10:30-05:00'),
      breached: false,
      escalation: null
    });
    expect(only(facts, ACCEPT, '2026-03-04T12:00-05:00')).toMatchObject({ status: 'Met', endReason: 'stop status' });
  });

  it('recycled after Due_At: First Touch stays Breached (a breach is never erased)', () => {
    const facts = mqlMonday(status('2026-03-02T15:00-05:00', 'Recycled'));
    expect(only(facts, FIRST_TOUCH, '2026-03-04T12:00-05:00')).toMatchObject({
      status: 'Breached',
      endReason: 'cancel status',
      dueAt: utc('2026-03-02T14:00-05:00'),
      stoppedAt: utc('2026-03-02T15:00-05:00'),
      breached: true
    });
  });

  it('a lead that comes back from a Cancel status starts a new run', () => {
    const facts = mqlMonday(status('2026-03-02T10:30-05:00', 'Recycled'), status('2026-03-04T10:00-05:00', MQL));
    expect(timers(facts, FIRST_TOUCH, '2026-03-04T10:30-05:00')).toMatchObject([
      { status: 'Cancelled', endReason: 'cancel status' },
      { key: `${LEAD}:First Touch:2026-03-04T15:00:00.000Z`, status: 'Running', elapsedBusinessMinutes: 30 }
    ]);
  });
});

describe('Trusted instants', () => {
  it('a meeting dated 3 days before it was saved counts when it was saved, not when it says', () => {
    // the rep logs on Thursday a "meeting" dated Monday 10:30, to make a breached First Touch look met
    const facts = mqlMonday(meeting('2026-03-02T10:30-05:00', '2026-03-05T10:30-05:00', ALICE));
    expect(only(facts, FIRST_TOUCH, '2026-03-05T12:00-05:00')).toMatchObject({
      status: 'Breached',
      endReason: 'activity',
      stoppedAt: utc('2026-03-05T10:30-05:00')
    });
  });

  it('a meeting logged within the backdate grace after it started counts at its start', () => {
    const facts = mqlMonday(meeting('2026-03-02T13:30-05:00', '2026-03-02T14:20-05:00', ALICE));
    expect(only(facts, FIRST_TOUCH, '2026-03-02T15:00-05:00')).toMatchObject({ status: 'Met', stoppedAt: utc('2026-03-02T13:30-05:00') });
    // with no grace, the same meeting counts when it was logged: 20 minutes after Due_At
    expect(only(facts, withPolicy(FIRST_TOUCH, { backdateGraceMinutes: 0 }), '2026-03-02T15:00-05:00')).toMatchObject({
      status: 'Breached',
      stoppedAt: utc('2026-03-02T14:20-05:00')
    });
  });

  it('a meeting booked ahead counts at its start once that has passed', () => {
    const facts = mqlMonday(meeting('2026-03-02T13:00-05:00', '2026-03-02T10:05-05:00', ALICE));
    expect(only(facts, FIRST_TOUCH, '2026-03-02T12:00-05:00')).toMatchObject({ status: 'Running' });
    expect(only(facts, FIRST_TOUCH, '2026-03-02T13:30-05:00')).toMatchObject({ status: 'Met', stoppedAt: utc('2026-03-02T13:00-05:00') });
  });
});
