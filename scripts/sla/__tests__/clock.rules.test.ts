/**
 * One named test per SLA clock rule (the rules as docs/sla-clocks.md states them for admins), on a New York
 * Mon–Fri 09:00–17:00 calendar: exact timers, statuses, due times and elapsed business minutes.
 * 2026: DST starts Sun 8 Mar (EST -05:00 → EDT -04:00) and ends Sun 1 Nov; Thanksgiving is Thu 26 Nov.
 */
import { computeTimers, evaluateRecord, leadFacts, liveElapsedMinutes, rollupStatus, STATUS_SEVERITY, timerRecord } from '../clock';
import type { ClockFacts, SlaPolicy, SlaTimer } from '../clock';
import {
  ACCEPT,
  ALICE,
  BOB,
  calendar,
  feedback,
  FIRST_TOUCH,
  lead,
  LEAD,
  MQL,
  OPP,
  opportunity,
  owner,
  QUEUE,
  review,
  status,
  task,
  utc,
  WIN_LOSS,
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

describe('Accept clock', () => {
  it('starts when a user-owned lead enters a Start status and is Met when it enters a Stop status in time', () => {
    const facts = mqlMonday(status('2026-03-02T10:40-05:00', 'Sales Accepted'));
    expect(timers(facts, ACCEPT, '2026-03-02T12:00-05:00')).toEqual([
      {
        key: `${LEAD}:Accept:2026-03-02T15:00:00.000Z`,
        object: 'Lead',
        recordId: LEAD,
        clock: 'Accept',
        policy: 'Lead_Accept',
        accountableUserId: ALICE,
        startedAt: utc('2026-03-02T10:00-05:00'),
        warnAt: utc('2026-03-02T10:45-05:00'),
        dueAt: utc('2026-03-02T11:00-05:00'),
        stoppedAt: utc('2026-03-02T10:40-05:00'),
        status: 'Met',
        targetMinutes: 60,
        elapsedBusinessMinutes: 40,
        pausedBusinessMinutes: 0,
        endReason: 'stop status',
        breached: false,
        escalation: null,
        // a stopped timer keeps its final values
        recorded: { warnAt: utc('2026-03-02T10:45-05:00'), dueAt: utc('2026-03-02T11:00-05:00'), elapsedBusinessMinutes: 40 }
      }
    ]);
  });

  it('starts at the later of entering the Start status and being owned by a user', () => {
    // in a queue when it becomes an MQL at 09:30; Alice takes it at 10:15
    const queued = lead('2026-03-02T09:00-05:00', 'New', QUEUE, [
      status('2026-03-02T09:30-05:00', MQL),
      owner('2026-03-02T10:15-05:00', ALICE)
    ]);
    expect(only(queued, ACCEPT, '2026-03-02T10:30-05:00')).toMatchObject({
      key: `${LEAD}:Accept:2026-03-02T15:15:00.000Z`,
      startedAt: utc('2026-03-02T10:15-05:00'),
      dueAt: utc('2026-03-02T11:15-05:00'),
      status: 'Running',
      elapsedBusinessMinutes: 15,
      accountableUserId: ALICE
    });
    // owned by Alice from creation, MQL at 10:00
    expect(only(mqlMonday(), ACCEPT, '2026-03-02T10:30-05:00')).toMatchObject({
      startedAt: utc('2026-03-02T10:00-05:00'),
      status: 'Running',
      elapsedBusinessMinutes: 30
    });
  });

  it('does not start while a queue owns the lead, nor after the lead leaves the Start status unowned', () => {
    const inQueue = lead('2026-03-02T09:00-05:00', MQL, QUEUE);
    expect(timers(inQueue, ACCEPT, '2026-03-06T12:00-05:00')).toEqual([]);
    const rejectedFromQueue = lead('2026-03-02T09:00-05:00', MQL, QUEUE, [
      status('2026-03-02T10:00-05:00', 'Rejected'),
      owner('2026-03-02T11:00-05:00', ALICE)
    ]);
    expect(timers(rejectedFromQueue, ACCEPT, '2026-03-06T12:00-05:00')).toEqual([]);
  });

  it('is Running until Warn_At, At Risk until Due_At and Breached after it', () => {
    const facts = mqlMonday();
    const statusAt = (now: string) => only(facts, ACCEPT, now).status;
    expect(statusAt('2026-03-02T10:44:59.999-05:00')).toBe('Running');
    expect(statusAt('2026-03-02T10:45:00.000-05:00')).toBe('Running');
    expect(statusAt('2026-03-02T10:45:00.001-05:00')).toBe('At Risk');
    expect(statusAt('2026-03-02T11:00:00.000-05:00')).toBe('At Risk');
    expect(statusAt('2026-03-02T11:00:00.001-05:00')).toBe('Breached');
    expect(only(facts, ACCEPT, '2026-03-02T11:30-05:00')).toMatchObject({
      status: 'Breached',
      stoppedAt: null,
      elapsedBusinessMinutes: 90,
      breached: true,
      escalation: { accountableUserId: ALICE, createTask: true, notifyManager: true, breachedAt: utc('2026-03-02T11:00-05:00') }
    });
  });

  it('is Met when stopped exactly at Due_At, and a stop after Due_At stays Breached', () => {
    const atDue = mqlMonday(status('2026-03-02T11:00-05:00', 'Sales Accepted'));
    expect(only(atDue, ACCEPT, '2026-03-03T12:00-05:00')).toMatchObject({ status: 'Met', elapsedBusinessMinutes: 60, breached: false });
    const late = mqlMonday(status('2026-03-02T11:20-05:00', 'Sales Accepted'));
    expect(only(late, ACCEPT, '2026-03-03T12:00-05:00')).toMatchObject({
      status: 'Breached',
      dueAt: utc('2026-03-02T11:00-05:00'),
      stoppedAt: utc('2026-03-02T11:20-05:00'),
      elapsedBusinessMinutes: 80,
      endReason: 'stop status',
      breached: true
    });
  });

  it('counts business minutes only: Friday 16:30 EST + 60 across the DST weekend is Monday 09:30 EDT', () => {
    const facts = lead('2026-03-06T16:00-05:00', 'New', ALICE, [status('2026-03-06T16:30-05:00', MQL)]);
    expect(only(facts, ACCEPT, '2026-03-07T12:00-05:00')).toMatchObject({
      status: 'Running',
      warnAt: utc('2026-03-09T09:15-04:00'),
      dueAt: utc('2026-03-09T09:30-04:00'),
      elapsedBusinessMinutes: 30
    });
    expect(only(facts, ACCEPT, '2026-03-09T09:20-04:00')).toMatchObject({ status: 'At Risk', elapsedBusinessMinutes: 50 });
    expect(only(facts, ACCEPT, '2026-03-09T09:31-04:00')).toMatchObject({ status: 'Breached', elapsedBusinessMinutes: 61 });
  });

  it('is Met when feedback is submitted', () => {
    const facts = mqlMonday(feedback('2026-03-02T10:30-05:00'));
    expect(only(facts, ACCEPT, '2026-03-02T12:00-05:00')).toMatchObject({
      status: 'Met',
      endReason: 'feedback',
      stoppedAt: utc('2026-03-02T10:30-05:00'),
      elapsedBusinessMinutes: 30
    });
  });
});

describe('Pause statuses', () => {
  const nurture = withPolicy(ACCEPT, { developerName: 'Lead_Accept_Day', targetMinutes: 480, pauseStatuses: ['On Hold'] });
  // MQL Thu 12 Mar 13:00 EDT; On Hold Fri 13 Mar 10:00 – Mon 16 Mar 14:00
  const facts = lead('2026-03-12T12:00-04:00', 'New', ALICE, [
    status('2026-03-12T13:00-04:00', MQL),
    status('2026-03-13T10:00-04:00', 'On Hold'),
    status('2026-03-16T14:00-04:00', MQL)
  ]);

  it('stop the count over a weekend and leaving them resumes it: Due moves out by the paused business time', () => {
    // Saturday: 300 counted (Thu 240 + Fri 60), 420 paused (Fri 10–17); 180 left, projected from now
    expect(only(facts, nurture, '2026-03-14T12:00-04:00')).toMatchObject({
      status: 'Paused',
      elapsedBusinessMinutes: 300,
      pausedBusinessMinutes: 420,
      warnAt: utc('2026-03-16T10:00-04:00'),
      dueAt: utc('2026-03-16T12:00-04:00'),
      stoppedAt: null
    });
    expect(only(facts, nurture, '2026-03-16T13:00-04:00')).toMatchObject({
      status: 'Paused',
      pausedBusinessMinutes: 660,
      dueAt: utc('2026-03-16T16:00-04:00')
    });
    // resumed Mon 14:00: 720 paused, so Due = Thu 13:00 + (480 + 720) business minutes = Mon 17:00
    const resumed = only(facts, nurture, '2026-03-16T15:30-04:00');
    expect(resumed).toMatchObject({
      status: 'At Risk',
      elapsedBusinessMinutes: 390,
      pausedBusinessMinutes: 720,
      warnAt: utc('2026-03-16T15:00-04:00'),
      dueAt: utc('2026-03-16T17:00-04:00')
    });
    expect(resumed.dueAt).toBe(calendar.add(new Date(resumed.startedAt), 480 + 720).toISOString());
    expect(only(facts, nurture, '2026-03-16T17:30-04:00')).toMatchObject({
      status: 'Breached',
      elapsedBusinessMinutes: 480,
      stoppedAt: null
    });
  });

  it('record what a milestone fixes, never what time moves: the row of a paused timer stays the same all weekend', () => {
    const saturday = only(facts, nurture, '2026-03-14T12:00-04:00');
    // paused Fri 10:00 with 300 counted: Warn (360) and Due (480) as they stood then, had it counted on
    expect(saturday.recorded).toEqual({
      warnAt: utc('2026-03-13T11:00-04:00'),
      dueAt: utc('2026-03-13T13:00-04:00'),
      elapsedBusinessMinutes: 300
    });
    expect(timerRecord(only(facts, nurture, '2026-03-16T13:00-04:00'))).toEqual(timerRecord(saturday));
    // counting again: its Warn_At and Due_At, and no elapsed minutes — they are counted live from Due_At
    const resumed = only(facts, nurture, '2026-03-16T15:30-04:00');
    expect(resumed.recorded).toEqual({ warnAt: resumed.warnAt, dueAt: resumed.dueAt, elapsedBusinessMinutes: null });
    expect(timerRecord(only(facts, nurture, '2026-03-16T16:59-04:00'))).toEqual(timerRecord(resumed));
    for (const at of ['2026-03-16T15:30-04:00', '2026-03-16T18:00-04:00', '2026-03-17T10:15-04:00']) {
      const live = only(facts, nurture, at);
      expect([at, liveElapsedMinutes({ ...timerRecord(live) }, calendar, Date.parse(at))]).toEqual([at, live.elapsedBusinessMinutes]);
    }
  });

  it('move nothing when the pause lies outside business hours', () => {
    const evening = lead('2026-03-13T16:00-04:00', 'New', ALICE, [
      status('2026-03-13T16:30-04:00', MQL),
      status('2026-03-13T18:00-04:00', 'On Hold'),
      status('2026-03-15T20:00-04:00', MQL)
    ]);
    expect(only(evening, { ...nurture, targetMinutes: 60 }, '2026-03-16T09:10-04:00')).toMatchObject({
      key: `${LEAD}:Accept:2026-03-13T20:30:00.000Z`,
      status: 'Running',
      elapsedBusinessMinutes: 40,
      pausedBusinessMinutes: 0,
      dueAt: utc('2026-03-16T09:30-04:00')
    });
  });
});

describe('Reassignment', () => {
  it('with Restart_On_Reassign__c cancels the running timer and starts a new one for the new owner', () => {
    const facts = mqlMonday(owner('2026-03-02T10:20-05:00', BOB), status('2026-03-02T10:50-05:00', 'Sales Accepted'));
    const [first, second] = timers(facts, ACCEPT, '2026-03-02T12:00-05:00');
    expect(first).toMatchObject({
      key: `${LEAD}:Accept:2026-03-02T15:00:00.000Z`,
      accountableUserId: ALICE,
      stoppedAt: utc('2026-03-02T10:20-05:00'),
      status: 'Cancelled',
      endReason: 'reassigned',
      elapsedBusinessMinutes: 20,
      dueAt: utc('2026-03-02T11:00-05:00')
    });
    expect(second).toMatchObject({
      key: `${LEAD}:Accept:2026-03-02T15:20:00.000Z`,
      accountableUserId: BOB,
      startedAt: utc('2026-03-02T10:20-05:00'),
      warnAt: utc('2026-03-02T11:05-05:00'),
      dueAt: utc('2026-03-02T11:20-05:00'),
      stoppedAt: utc('2026-03-02T10:50-05:00'),
      status: 'Met',
      elapsedBusinessMinutes: 30
    });
  });

  it('with Restart_On_Reassign__c after Due_At keeps the first timer Breached (a breach is never erased)', () => {
    const facts = mqlMonday(owner('2026-03-02T11:30-05:00', BOB));
    const [first, second] = timers(facts, ACCEPT, '2026-03-02T11:40-05:00');
    expect(first).toMatchObject({ accountableUserId: ALICE, status: 'Breached', stoppedAt: utc('2026-03-02T11:30-05:00') });
    expect(first.escalation).toMatchObject({ accountableUserId: ALICE });
    expect(second).toMatchObject({ accountableUserId: BOB, status: 'Running', elapsedBusinessMinutes: 10 });
  });

  it('without Restart_On_Reassign__c keeps counting, with the new owner accountable', () => {
    const facts = mqlMonday(owner('2026-03-02T10:20-05:00', BOB));
    expect(only(facts, withPolicy(ACCEPT, { restartOnReassign: false }), '2026-03-02T10:50-05:00')).toMatchObject({
      startedAt: utc('2026-03-02T10:00-05:00'),
      accountableUserId: BOB,
      dueAt: utc('2026-03-02T11:00-05:00'),
      status: 'At Risk',
      elapsedBusinessMinutes: 50
    });
  });

  describe('to a queue', () => {
    // Alice's MQL goes to a queue at 10:20; Bob takes it at 13:00
    const facts = mqlMonday(owner('2026-03-02T10:20-05:00', QUEUE), owner('2026-03-02T13:00-05:00', BOB));
    const keepCounting = withPolicy(ACCEPT, { restartOnReassign: false });

    it('pauses the clock until a user owns the lead again (Alice stays accountable meanwhile)', () => {
      expect(only(facts, keepCounting, '2026-03-02T12:00-05:00')).toMatchObject({
        accountableUserId: ALICE,
        status: 'Paused',
        elapsedBusinessMinutes: 20,
        pausedBusinessMinutes: 100,
        dueAt: utc('2026-03-02T12:40-05:00')
      });
      expect(only(facts, keepCounting, '2026-03-02T13:30-05:00')).toMatchObject({
        accountableUserId: BOB,
        status: 'At Risk',
        elapsedBusinessMinutes: 50,
        pausedBusinessMinutes: 160,
        warnAt: utc('2026-03-02T13:25-05:00'),
        dueAt: utc('2026-03-02T13:40-05:00')
      });
    });

    it('then to another user restarts the clock when the policy says so', () => {
      const [first, second] = timers(facts, ACCEPT, '2026-03-02T13:30-05:00');
      expect(first).toMatchObject({
        accountableUserId: ALICE,
        status: 'Cancelled',
        endReason: 'reassigned',
        stoppedAt: utc('2026-03-02T13:00-05:00'),
        elapsedBusinessMinutes: 20,
        pausedBusinessMinutes: 160
      });
      expect(second).toMatchObject({
        accountableUserId: BOB,
        startedAt: utc('2026-03-02T13:00-05:00'),
        dueAt: utc('2026-03-02T14:00-05:00'),
        status: 'Running',
        elapsedBusinessMinutes: 30
      });
    });

    it('and back to the same user resumes the same timer, even with Restart_On_Reassign__c', () => {
      const back = mqlMonday(owner('2026-03-02T10:20-05:00', QUEUE), owner('2026-03-02T13:00-05:00', ALICE));
      expect(only(back, ACCEPT, '2026-03-02T13:30-05:00')).toMatchObject({
        accountableUserId: ALICE,
        status: 'At Risk',
        elapsedBusinessMinutes: 50,
        dueAt: utc('2026-03-02T13:40-05:00')
      });
    });
  });
});

describe('First Touch clock', () => {
  const row = (wall: string) => new Date(wall).toISOString().replace('Z', '+0000');

  it('is Met by the first completed Task or Event by the owner after the start (org rows via leadFacts)', () => {
    const facts = leadFacts({
      lead: { Id: LEAD, CreatedDate: row('2026-03-02T09:00-05:00'), Status: MQL, OwnerId: ALICE },
      history: [{ Id: '017000000000001AAA', Field: 'Status', OldValue: 'New', NewValue: MQL, CreatedDate: row('2026-03-02T10:00-05:00') }],
      tasks: [
        { Id: '00T000000000001AAA', OwnerId: ALICE, IsClosed: true, CompletedDateTime: row('2026-03-02T09:30-05:00') }, // before the start
        { Id: '00T000000000002AAA', OwnerId: BOB, IsClosed: true, CompletedDateTime: row('2026-03-02T10:30-05:00') }, // not the owner
        { Id: '00T000000000003AAA', OwnerId: ALICE, IsClosed: false, LastModifiedDate: row('2026-03-02T11:00-05:00') }, // open
        { Id: '00T000000000004AAA', OwnerId: ALICE, IsClosed: true, CompletedDateTime: row('2026-03-02T13:45-05:00') } // second
      ],
      events: [
        {
          Id: '00U000000000001AAA',
          OwnerId: ALICE,
          StartDateTime: row('2026-03-02T13:15-05:00'),
          CreatedDate: row('2026-03-02T11:00-05:00')
        }
      ]
    });
    expect(only(facts, FIRST_TOUCH, '2026-03-02T12:00-05:00')).toMatchObject({ status: 'Running', elapsedBusinessMinutes: 120 });
    expect(only(facts, FIRST_TOUCH, '2026-03-02T16:00-05:00')).toMatchObject({
      key: `${LEAD}:First Touch:2026-03-02T15:00:00.000Z`,
      warnAt: utc('2026-03-02T13:00-05:00'),
      dueAt: utc('2026-03-02T14:00-05:00'),
      stoppedAt: utc('2026-03-02T13:15-05:00'),
      status: 'Met',
      endReason: 'activity',
      elapsedBusinessMinutes: 195
    });
  });

  it('counts only activities by the then owner', () => {
    const facts = mqlMonday(
      owner('2026-03-02T10:30-05:00', BOB),
      task('2026-03-02T11:00-05:00', ALICE),
      task('2026-03-02T11:30-05:00', BOB)
    );
    expect(only(facts, FIRST_TOUCH, '2026-03-02T16:00-05:00')).toMatchObject({
      accountableUserId: BOB,
      stoppedAt: utc('2026-03-02T11:30-05:00'),
      status: 'Met',
      elapsedBusinessMinutes: 90
    });
  });

  it('skips Thanksgiving: Wednesday 15:00 + 240 is Friday 11:00', () => {
    const facts = lead('2026-11-25T14:00-05:00', 'New', ALICE, [
      status('2026-11-25T15:00-05:00', MQL),
      task('2026-11-27T10:30-05:00', ALICE)
    ]);
    expect(only(facts, FIRST_TOUCH, '2026-11-27T12:00-05:00')).toMatchObject({
      warnAt: utc('2026-11-27T10:00-05:00'),
      dueAt: utc('2026-11-27T11:00-05:00'),
      status: 'Met',
      elapsedBusinessMinutes: 210
    });
  });

  it('crosses the November DST weekend: Friday 16:00 EDT + 240 is Monday 12:00 EST', () => {
    const facts = lead('2026-10-30T15:00-04:00', 'New', ALICE, [
      status('2026-10-30T16:00-04:00', MQL),
      task('2026-11-02T11:00-05:00', ALICE)
    ]);
    expect(only(facts, FIRST_TOUCH, '2026-11-02T18:00-05:00')).toMatchObject({
      dueAt: utc('2026-11-02T12:00-05:00'),
      stoppedAt: utc('2026-11-02T11:00-05:00'),
      status: 'Met',
      elapsedBusinessMinutes: 180
    });
  });
});

describe('Re-entering a Start status', () => {
  it('starts a new run with a new key (recycled, then MQL again)', () => {
    const facts = mqlMonday(status('2026-03-02T10:30-05:00', 'Recycled'), status('2026-03-04T14:00-05:00', MQL));
    const now = '2026-03-04T14:10-05:00';
    expect(timers(facts, ACCEPT, now)).toMatchObject([
      { key: `${LEAD}:Accept:2026-03-02T15:00:00.000Z`, status: 'Met', stoppedAt: utc('2026-03-02T10:30-05:00') },
      { key: `${LEAD}:Accept:2026-03-04T19:00:00.000Z`, status: 'Running', elapsedBusinessMinutes: 10 }
    ]);
    // First Touch: recycled before its due time, the first run was not required any more
    expect(timers(facts, FIRST_TOUCH, now)).toMatchObject([
      { status: 'Cancelled', endReason: 'cancel status', stoppedAt: utc('2026-03-02T10:30-05:00'), elapsedBusinessMinutes: 30 },
      { key: `${LEAD}:First Touch:2026-03-04T19:00:00.000Z`, status: 'Running', dueAt: utc('2026-03-05T10:00-05:00') }
    ]);
    const all = evaluateRecord({ facts, policies: [ACCEPT, FIRST_TOUCH], calendarFor: () => calendar, now });
    expect(all.rollup.status).toBe('Running'); // the earlier runs are history
  });
});

describe('Win/Loss Review clock', () => {
  it('starts when the opportunity closes and is Met when a review is submitted', () => {
    const facts = opportunity('2026-03-02T09:00-05:00', 'Prospecting', ALICE, [
      status('2026-03-06T15:00-05:00', 'Closed Won'),
      review('2026-03-11T10:00-04:00')
    ]);
    expect(only(facts, WIN_LOSS, '2026-03-10T12:00-04:00')).toMatchObject({ status: 'Running', elapsedBusinessMinutes: 780 });
    expect(only(facts, WIN_LOSS, '2026-03-12T12:00-04:00')).toEqual({
      key: `${OPP}:Win/Loss Review:2026-03-06T20:00:00.000Z`,
      object: 'Opportunity',
      recordId: OPP,
      clock: 'Win/Loss Review',
      policy: 'Opportunity_Win_Loss_Review',
      accountableUserId: ALICE,
      startedAt: utc('2026-03-06T15:00-05:00'),
      warnAt: utc('2026-03-12T16:45-04:00'),
      dueAt: utc('2026-03-16T12:00-04:00'),
      stoppedAt: utc('2026-03-11T10:00-04:00'),
      status: 'Met',
      targetMinutes: 2700,
      elapsedBusinessMinutes: 1140,
      pausedBusinessMinutes: 0,
      endReason: 'review',
      breached: false,
      escalation: null,
      recorded: { warnAt: utc('2026-03-12T16:45-04:00'), dueAt: utc('2026-03-16T12:00-04:00'), elapsedBusinessMinutes: 1140 }
    });
  });

  it('starts on any closed stage (IsClosed), not only the listed ones', () => {
    const events = [status('2026-03-06T15:00-05:00', 'Closed - Duplicate')];
    expect(timers(opportunity('2026-03-02T09:00-05:00', 'Prospecting', ALICE, events), WIN_LOSS, '2026-03-09T12:00-04:00')).toEqual([]);
    const closed = opportunity('2026-03-02T09:00-05:00', 'Prospecting', ALICE, events, ['Closed Won', 'Closed Lost', 'Closed - Duplicate']);
    expect(only(closed, WIN_LOSS, '2026-03-09T12:00-04:00')).toMatchObject({ status: 'Running', elapsedBusinessMinutes: 300 });
  });

  it('reopened and closed again: the first run is Cancelled and a new one starts', () => {
    const facts = opportunity('2026-03-02T09:00-05:00', 'Prospecting', ALICE, [
      status('2026-03-06T15:00-05:00', 'Closed Lost'),
      status('2026-03-09T10:00-04:00', 'Prospecting'),
      status('2026-03-10T11:00-04:00', 'Closed Lost')
    ]);
    const result = evaluateRecord({ facts, policies: [WIN_LOSS, ACCEPT], calendarFor: () => calendar, now: '2026-03-10T12:00-04:00' });
    expect(result.timers).toMatchObject([
      { status: 'Cancelled', endReason: 're-entered start', elapsedBusinessMinutes: 720 },
      { startedAt: utc('2026-03-10T11:00-04:00'), status: 'Running', elapsedBusinessMinutes: 60 }
    ]);
    expect(result.rollup).toEqual({ field: 'Win_Loss_Review_Status__c', status: 'Running' });
  });
});

describe('Timer output', () => {
  it('keys are deterministic: the same facts give the same timers, call after call', () => {
    const facts = mqlMonday(owner('2026-03-02T10:20-05:00', BOB));
    const a = timers(facts, ACCEPT, '2026-03-02T12:00-05:00');
    const b = timers(structuredClone(facts), ACCEPT, new Date('2026-03-02T12:00-05:00').toISOString());
    expect(b).toEqual(a);
    expect(a.map((t) => t.key)).toEqual([`${LEAD}:Accept:2026-03-02T15:00:00.000Z`, `${LEAD}:Accept:2026-03-02T15:20:00.000Z`]);
  });

  it('an inactive policy gives no timers, and events after now are not seen', () => {
    const facts = mqlMonday(status('2026-03-02T10:40-05:00', 'Sales Accepted'));
    expect(timers(facts, withPolicy(ACCEPT, { active: false }), '2026-03-02T12:00-05:00')).toEqual([]);
    expect(only(facts, ACCEPT, '2026-03-02T10:30-05:00')).toMatchObject({ status: 'Running', stoppedAt: null, endReason: null });
    expect(timers(facts, ACCEPT, '2026-03-02T09:59-05:00')).toEqual([]);
  });

  it('maps to exactly the SLA_Timer__c fields the sync upserts', () => {
    const t = only(mqlMonday(status('2026-03-02T11:20-05:00', 'Sales Accepted')), ACCEPT, '2026-03-02T12:00-05:00');
    expect(timerRecord(t)).toEqual({
      Timer_Key__c: `${LEAD}:Accept:2026-03-02T15:00:00.000Z`,
      Lead__c: LEAD,
      Clock__c: 'Accept',
      Policy__c: 'Lead_Accept',
      Accountable_User__c: ALICE,
      OwnerId: ALICE,
      Started_At__c: '2026-03-02T15:00:00.000Z',
      Warn_At__c: '2026-03-02T15:45:00.000Z',
      Due_At__c: '2026-03-02T16:00:00.000Z',
      Stopped_At__c: '2026-03-02T16:20:00.000Z',
      Status__c: 'Breached',
      Target_Minutes__c: 60,
      Elapsed_Business_Minutes__c: 80
    });
  });

  it('rolls up to the worst status of each clock’s latest run: Breached > At Risk > Running > Paused > Met > Cancelled', () => {
    expect(STATUS_SEVERITY).toEqual(['Breached', 'At Risk', 'Running', 'Paused', 'Met', 'Cancelled']);
    const facts = mqlMonday(status('2026-03-02T10:30-05:00', 'Sales Accepted'));
    const at = (now: string) => evaluateRecord({ facts, policies: [ACCEPT, FIRST_TOUCH], calendarFor: () => calendar, now }).rollup.status;
    expect(at('2026-03-02T09:30-05:00')).toBeNull();
    expect(at('2026-03-02T11:00-05:00')).toBe('Running'); // Accept Met, First Touch Running
    expect(at('2026-03-02T13:30-05:00')).toBe('At Risk'); // First Touch past Warn_At
    expect(at('2026-03-02T14:30-05:00')).toBe('Breached');
    const met = timers(facts, ACCEPT, '2026-03-02T11:00-05:00');
    expect(rollupStatus(met)).toBe('Met');
    expect(rollupStatus([])).toBeNull();
  });
});
