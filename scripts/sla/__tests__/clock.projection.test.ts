/**
 * What a record page shows between two syncs (clockProjection.ts, emitted as c/slaClock) agrees with what the
 * next sync records: random lead and opportunity histories are evaluated at a "sync", a feedback or review is
 * submitted later, and the page's projection from the recorded timer is compared with the clock rules run on
 * the whole history.
 */
import fc from 'fast-check';
import { computeTimers, isOpen, latestPerClock, liveStatus, projectStop, rollupStatus, stoppingSubmission } from '../clock';
import type { ClockEvent, ClockFacts, RecordedTimer, SlaPolicy, SlaTimer, Submission } from '../clock';
import { ACCEPT, ALICE, BOB, calendar, FIRST_TOUCH, LEAD, MQL, OPP, QUEUE, WIN_LOSS, withPolicy } from './clockFixtures';

const MIN = 60_000;
const iso = (ms: number) => new Date(ms).toISOString();
const ANCHORS = ['2026-03-06T20:00:00Z', '2026-11-25T15:00:00Z', '2026-06-01T13:00:00Z', '2026-12-04T21:30:00Z'].map(Date.parse);

/** What a component reads of a timer: the SLA_Timer__c fields the sync wrote. */
const recorded = (t: SlaTimer): RecordedTimer => ({
  clock: t.clock,
  status: t.status,
  startedAt: t.startedAt,
  dueAt: t.dueAt,
  warnAt: t.warnAt,
  stoppedAt: t.stoppedAt,
  targetMinutes: t.targetMinutes,
  elapsedBusinessMinutes: t.elapsedBusinessMinutes
});

interface Case {
  facts: ClockFacts;
  policy: SlaPolicy;
  /** when the sync evaluated */
  syncAt: number;
  /** the submission made after it */
  submitAt: number;
  /** when the next sync evaluates */
  nextAt: number;
}

const leadEvent = fc.oneof(
  fc.constantFrom(MQL, MQL, 'Working', 'On Hold', 'Sales Accepted', 'Recycled').map((value) => (at: string): ClockEvent => ({
    type: 'status',
    at,
    value
  })),
  fc.constantFrom(ALICE, BOB, QUEUE).map((ownerId) => (at: string): ClockEvent => ({ type: 'owner', at, ownerId })),
  fc.constant((at: string, i: number): ClockEvent => ({ type: 'feedback', at, id: `a0000000000000${i}` }))
);
const oppEvent = fc.oneof(
  fc.constantFrom('Negotiation', 'Closed Won', 'Closed Lost', 'On Hold').map((value) => (at: string): ClockEvent => ({
    type: 'status',
    at,
    value
  })),
  fc.constantFrom(ALICE, BOB).map((ownerId) => (at: string): ClockEvent => ({ type: 'owner', at, ownerId }))
);

const caseArb: fc.Arbitrary<Case> = fc
  .record({
    isLead: fc.boolean(),
    anchor: fc.constantFrom(...ANCHORS),
    n: fc.integer({ min: 0, max: 6 }),
    warn: fc.constantFrom<number | null>(null, 50, 75),
    target: fc.constantFrom(30, 60, 240, 2700),
    pause: fc.boolean()
  })
  .chain(({ isLead, anchor, n, warn, target, pause }) =>
    fc
      .record({
        makers: fc.array(isLead ? leadEvent : oppEvent, { minLength: n, maxLength: n }),
        gaps: fc.array(fc.integer({ min: 1, max: 6 * 60 * 60 }), { minLength: n, maxLength: n }),
        untilSync: fc.integer({ min: 0, max: 3 * 24 * 60 }),
        untilSubmit: fc.integer({ min: 1, max: 3 * 24 * 60 * 60 }),
        untilNext: fc.integer({ min: 0, max: 2 * 24 * 60 })
      })
      .map(({ makers, gaps, untilSync, untilSubmit, untilNext }) => {
        let t = anchor;
        const events = makers.map((make, i) => make(iso((t += gaps[i] * 1000)), i));
        const syncAt = t + untilSync * MIN;
        const submitAt = syncAt + untilSubmit * 1000;
        const base = isLead ? ACCEPT : WIN_LOSS;
        const policy = withPolicy(base, { targetMinutes: target, warningPercent: warn, pauseStatuses: pause ? ['On Hold'] : [] });
        const facts: ClockFacts = {
          object: isLead ? 'Lead' : 'Opportunity',
          id: isLead ? LEAD : OPP,
          createdAt: iso(anchor),
          initialStatus: isLead ? MQL : 'Closed Lost',
          initialOwnerId: ALICE,
          events,
          ...(isLead ? {} : { closedStages: ['Closed Won', 'Closed Lost'] })
        };
        return { facts, policy, syncAt, submitAt, nextAt: submitAt + untilNext * MIN };
      })
  );

describe('the record page projects the next sync', () => {
  it('a feedback or review submitted after a sync: the projection from the recorded timer is what the next sync records', () => {
    let projected = 0;
    fc.assert(
      fc.property(caseArb, (c) => {
        const before = computeTimers({ facts: c.facts, policy: c.policy, calendar, now: c.syncAt });
        const submission: Submission = { type: c.facts.object === 'Lead' ? 'feedback' : 'review', at: iso(c.submitAt) };
        const after: ClockFacts = {
          ...c.facts,
          events: [...c.facts.events, { type: submission.type, at: submission.at, id: 'a09000000000099AAA' } as ClockEvent]
        };
        const next = computeTimers({ facts: after, policy: c.policy, calendar, now: c.nextAt });
        for (const t of before.filter((x) => isOpen(recorded(x)))) {
          const stop = stoppingSubmission(recorded(t), [submission]);
          expect(stop).toEqual(submission);
          const p = projectStop(recorded(t), stop as Submission, calendar);
          const truth = next.find((x) => x.key === t.key) as SlaTimer;
          expect(p.status).toBe(truth.status);
          expect(p.stoppedAt).toBe(truth.stoppedAt);
          expect(p.endReason).toBe(truth.endReason);
          if (t.status === 'Breached') expect(p.elapsedBusinessMinutes).toBeNull();
          // the sync keeps 2 decimals; the projection sums the same business milliseconds in another order
          else expect(Math.abs((p.elapsedBusinessMinutes as number) - truth.elapsedBusinessMinutes)).toBeLessThanOrEqual(0.011);
          projected++;
        }
      }),
      { numRuns: 400 }
    );
    expect(projected).toBeGreaterThan(100);
  });

  it('with nothing new, an open timer’s live status at any later time is what a sync then records', () => {
    fc.assert(
      fc.property(caseArb, (c) => {
        const before = computeTimers({ facts: c.facts, policy: c.policy, calendar, now: c.syncAt });
        const later = computeTimers({ facts: c.facts, policy: c.policy, calendar, now: c.nextAt });
        for (const t of before) {
          const truth = later.find((x) => x.key === t.key) as SlaTimer;
          expect(liveStatus(recorded(t), c.nextAt)).toBe(truth.status);
        }
      }),
      { numRuns: 400 }
    );
  });

  it('First Touch is not stopped by a submission; a submission at the instant a run starts came before it', () => {
    const start = '2026-03-02T15:00:00.000Z';
    const open: RecordedTimer = {
      clock: 'Accept',
      status: 'Running',
      startedAt: start,
      dueAt: '2026-03-02T16:00:00.000Z',
      targetMinutes: 60
    };
    expect(stoppingSubmission({ ...open, clock: FIRST_TOUCH.clock }, [{ type: 'feedback', at: '2026-03-02T15:10:00Z' }])).toBeNull();
    expect(stoppingSubmission(open, [{ type: 'feedback', at: start }])).toBeNull();
    expect(stoppingSubmission(open, [{ type: 'review', at: '2026-03-02T15:10:00Z' }])).toBeNull();
    const first = { type: 'feedback' as const, at: '2026-03-02T15:10:00.000Z' };
    expect(stoppingSubmission(open, [{ type: 'feedback', at: '2026-03-02T15:20:00Z' }, first, { type: 'feedback', at: start }])).toBe(
      first
    );
    expect(stoppingSubmission({ ...open, status: 'Met', stoppedAt: '2026-03-02T15:05:00Z' }, [first])).toBeNull();
    // Monday 10:10 EST, due 11:00: 10 minutes in, Met
    expect(projectStop(open, first, calendar)).toEqual({
      status: 'Met',
      stoppedAt: '2026-03-02T15:10:00.000Z',
      elapsedBusinessMinutes: 10,
      endReason: 'feedback'
    });
    // Tuesday 09:30: due Monday 11:00, so 6 h (Mon 11–17) + 30 min past it
    expect(projectStop(open, { type: 'feedback', at: '2026-03-03T14:30:00Z' }, calendar)).toMatchObject({
      status: 'Breached',
      elapsedBusinessMinutes: 60 + 6 * 60 + 30
    });
  });

  it('the current timers are each clock’s latest, as the record’s SLA status reads them', () => {
    const facts: ClockFacts = {
      object: 'Lead',
      id: LEAD,
      createdAt: '2026-03-02T14:00:00Z',
      initialStatus: MQL,
      initialOwnerId: ALICE,
      events: [
        { type: 'status', at: '2026-03-02T18:00:00Z', value: 'Recycled' },
        { type: 'status', at: '2026-03-04T15:00:00Z', value: MQL }
      ]
    };
    const timers = [ACCEPT, FIRST_TOUCH].flatMap((policy) => computeTimers({ facts, policy, calendar, now: '2026-03-04T15:30:00Z' }));
    expect(timers.map((t) => `${t.clock} ${t.status}`)).toEqual([
      'Accept Breached',
      'Accept Running',
      'First Touch Cancelled',
      'First Touch Running'
    ]);
    expect(latestPerClock(timers).map((t) => `${t.clock} ${t.status}`)).toEqual(['Accept Running', 'First Touch Running']);
    expect(rollupStatus(timers)).toBe('Running');
  });
});
