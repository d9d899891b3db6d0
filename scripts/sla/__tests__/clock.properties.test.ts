/**
 * Properties of the clock rules on random lead and opportunity histories (statuses, owners incl. a
 * queue, activities incl. backdated meetings, submissions, conversion, deletion) around the 2026 DST
 * changes, Thanksgiving and Christmas, under random policies, on the New York calendar.
 */
import fc from 'fast-check';
import { computeTimers } from '../clock';
import type { ClockEvent, ClockFacts, SlaPolicy, SlaTimer, TimerStatus } from '../clock';
import { ACCEPT, ALICE, BOB, calendar, FIRST_TOUCH, LEAD, MQL, OPP, QUEUE, WIN_LOSS } from './clockFixtures';

const MIN = 60_000;
const ANCHORS = [
  '2026-03-05T14:00:00Z',
  '2026-10-29T13:00:00Z',
  '2026-11-24T15:00:00Z',
  '2026-12-23T16:00:00Z',
  '2026-06-01T13:00:00Z'
].map(Date.parse);
const LEAD_STATUSES = ['New', MQL, MQL, 'Sales Accepted', 'Recycled', 'Rejected', 'On Hold', 'On Hold', 'Working', 'Converted'];
const STAGES = ['Prospecting', 'Negotiation', 'Closed Won', 'Closed Lost', 'Closed - Merged', 'On Hold'];

interface Case {
  facts: ClockFacts;
  policy: SlaPolicy;
  /** last event instant (ms) */
  last: number;
}

const iso = (ms: number) => new Date(ms).toISOString();

/** Seconds between events (> 0, so no two events share a timestamp): mostly minutes to hours, sometimes days. */
const gaps = (n: number) =>
  fc.array(
    fc.oneof(
      { weight: 4, arbitrary: fc.integer({ min: 1, max: 4 * 60 * 60 }) },
      { weight: 1, arbitrary: fc.integer({ min: 1, max: 3 * 24 * 60 * 60 }) }
    ),
    { minLength: n, maxLength: n }
  );

const policyArb = (base: SlaPolicy): fc.Arbitrary<SlaPolicy> =>
  fc
    .record({
      targetMinutes: fc.constantFrom(30, 60, 240, 480, 2700),
      warningPercent: fc.constantFrom<number | null>(null, 0, 50, 75, 100),
      restartOnReassign: fc.boolean(),
      pauseStatuses: fc.constantFrom<string[]>([], ['On Hold']),
      cancelStatuses: fc.constantFrom<string[]>([], ['Rejected'], ['Recycled', 'Rejected']),
      backdateGraceMinutes: fc.constantFrom(0, 60, 24 * 60)
    })
    .map((changes) => ({ ...base, ...changes }));

const leadEventArb: fc.Arbitrary<(at: string, i: number) => ClockEvent> = fc.oneof(
  { weight: 12, arbitrary: fc.constantFrom(...LEAD_STATUSES).map((value) => (at: string) => ({ type: 'status' as const, at, value })) },
  { weight: 6, arbitrary: fc.constantFrom(ALICE, BOB, QUEUE).map((ownerId) => (at: string) => ({ type: 'owner' as const, at, ownerId })) },
  {
    weight: 6,
    arbitrary: fc.constantFrom(ALICE, BOB).map((ownerId) => (at: string, i: number) => ({
      type: 'activity' as const,
      at,
      ownerId,
      activity: 'Task' as const,
      id: `00T00000000000${i}`
    }))
  },
  {
    // a meeting logged (created) at the event's instant, dated up to 3 days earlier or 1 day later
    weight: 3,
    arbitrary: fc
      .record({ owner: fc.constantFrom(ALICE, BOB), shift: fc.integer({ min: -3 * 24 * 60, max: 24 * 60 }) })
      .map(({ owner: ownerId, shift }) => (at: string, i: number) => ({
        type: 'activity' as const,
        at: iso(Date.parse(at) + shift * MIN),
        createdAt: at,
        ownerId,
        activity: 'Event' as const,
        id: `00U00000000000${i}`
      }))
  },
  { weight: 2, arbitrary: fc.constant((at: string, i: number) => ({ type: 'feedback' as const, at, id: `a0000000000000${i}` })) },
  { weight: 2, arbitrary: fc.constant((at: string) => ({ type: 'converted' as const, at })) },
  { weight: 1, arbitrary: fc.constant((at: string) => ({ type: 'deleted' as const, at })) }
);

const oppEventArb: fc.Arbitrary<(at: string, i: number) => ClockEvent> = fc.oneof(
  { weight: 10, arbitrary: fc.constantFrom(...STAGES).map((value) => (at: string) => ({ type: 'status' as const, at, value })) },
  { weight: 2, arbitrary: fc.constantFrom(ALICE, BOB).map((ownerId) => (at: string) => ({ type: 'owner' as const, at, ownerId })) },
  { weight: 3, arbitrary: fc.constant((at: string, i: number) => ({ type: 'review' as const, at, id: `a0100000000000${i}` })) },
  { weight: 1, arbitrary: fc.constant((at: string) => ({ type: 'deleted' as const, at })) }
);

const caseArb: fc.Arbitrary<Case> = fc
  .record({
    object: fc.constantFrom('Lead', 'Lead', 'Opportunity'),
    anchor: fc.constantFrom(...ANCHORS),
    offset: fc.integer({ min: 0, max: 2 * 24 * 60 }),
    n: fc.integer({ min: 0, max: 14 })
  })
  .chain(({ object, anchor, offset, n }) => {
    const created = anchor + offset * MIN;
    const isLead = object === 'Lead';
    return fc
      .record({
        policy: isLead ? fc.constantFrom(ACCEPT, FIRST_TOUCH).chain(policyArb) : policyArb(WIN_LOSS),
        initialStatus: fc.oneof(fc.constant(isLead ? MQL : 'Closed Won'), fc.constantFrom(...(isLead ? LEAD_STATUSES : STAGES))),
        initialOwner: fc.constantFrom(...(isLead ? [ALICE, ALICE, BOB, QUEUE] : [ALICE, BOB])),
        gaps: gaps(n),
        makers: fc.array(isLead ? leadEventArb : oppEventArb, { minLength: n, maxLength: n })
      })
      .map(({ policy, initialStatus, initialOwner, gaps: g, makers }) => {
        let t = created;
        const events = makers.map((make, i) => {
          t += g[i] * 1000;
          return make(iso(t), i);
        });
        const facts: ClockFacts = {
          object: isLead ? 'Lead' : 'Opportunity',
          id: isLead ? LEAD : OPP,
          createdAt: iso(created),
          initialStatus,
          initialOwnerId: initialOwner,
          events,
          ...(isLead ? {} : { closedStages: ['Closed Won', 'Closed Lost', 'Closed - Merged'] })
        };
        return { facts, policy, last: t };
      });
  });

/** A case plus instants to look at it: within and a few days after its history. */
const withNows = (count: number) =>
  caseArb.chain((c) =>
    fc.array(fc.integer({ min: 0, max: 5 * 24 * 60 }), { minLength: count, maxLength: count }).map((mins) => ({
      ...c,
      nows: mins.map(
        (m) => Date.parse(c.facts.createdAt) + Math.round(((c.last - Date.parse(c.facts.createdAt)) * m) / (5 * 24 * 60)) + m * MIN
      )
    }))
  );

const run = (c: Case, now: number): SlaTimer[] => computeTimers({ facts: c.facts, policy: c.policy, calendar, now });
const ms = (s: string) => Date.parse(s);
/** The record was deleted by `now` (then every timer of it is Cancelled). */
const deletedBy = (c: Case, now: number) => c.facts.events.some((e) => e.type === 'deleted' && ms(e.at) <= now);
const RUNS = { numRuns: 300 };

describe('clock rule properties', () => {
  it('Met timers used at most their target and stopped by Due_At; Breached ones ran past it; Cancelled ones did not (or the record is gone)', () => {
    fc.assert(
      fc.property(withNows(1), (c) => {
        const now = c.nows[0];
        const gone = deletedBy(c, now);
        for (const t of run(c, now)) {
          if (gone) expect(t.status).toBe('Cancelled');
          if (t.status === 'Met') {
            expect(t.elapsedBusinessMinutes).toBeLessThanOrEqual(t.targetMinutes);
            expect(ms(t.stoppedAt as string)).toBeLessThanOrEqual(ms(t.dueAt));
          }
          if (t.status === 'Breached') expect(t.stoppedAt === null ? now : ms(t.stoppedAt)).toBeGreaterThan(ms(t.dueAt));
          if (t.status === 'Cancelled' && !gone) expect(ms(t.stoppedAt as string)).toBeLessThanOrEqual(ms(t.dueAt));
          expect(t.breached).toBe(t.status === 'Breached');
          expect(t.escalation !== null).toBe(t.breached);
        }
      }),
      RUNS
    );
  });

  it('timers are well formed: unique keys from record, clock and start; at most one open, the last; times in order', () => {
    fc.assert(
      fc.property(withNows(1), (c) => {
        const now = c.nows[0];
        const timers = run(c, now);
        expect(new Set(timers.map((t) => t.key)).size).toBe(timers.length);
        timers.forEach((t, i) => {
          expect(t.key).toBe(`${c.facts.id}:${c.policy.clock}:${t.startedAt}`);
          if (i > 0) expect(ms(t.startedAt)).toBeGreaterThan(ms(timers[i - 1].startedAt));
          if (t.stoppedAt === null) expect(i).toBe(timers.length - 1);
          const end = t.stoppedAt === null ? now : ms(t.stoppedAt);
          expect(ms(t.startedAt)).toBeLessThanOrEqual(end);
          expect(end).toBeLessThanOrEqual(now);
          expect(ms(t.dueAt)).toBeGreaterThan(ms(t.startedAt));
          if (t.warnAt !== null) expect(ms(t.warnAt)).toBeLessThanOrEqual(ms(t.dueAt));
          // every business minute of the run was either counted or paused
          expect(t.elapsedBusinessMinutes + t.pausedBusinessMinutes).toBeCloseTo(calendar.diff(ms(t.startedAt), end), 1);
          if (t.status !== 'Breached' && !deletedBy(c, now)) {
            // Due = start + target + paused business minutes (a paused or stopped run: as if it resumed at now / its stop)
            expect(calendar.diff(ms(t.startedAt), ms(t.dueAt))).toBeCloseTo(t.targetMinutes + t.pausedBusinessMinutes, 1);
          }
        });
      }),
      RUNS
    );
  });

  it('is stable: the same input gives the same timers, and reordering the events changes nothing', () => {
    fc.assert(
      fc.property(
        withNows(1).chain((c) =>
          fc.shuffledSubarray([...c.facts.events], { minLength: c.facts.events.length }).map((shuffled) => ({ c, shuffled }))
        ),
        ({ c, shuffled }) => {
          const now = c.nows[0];
          const first = run(c, now);
          expect(run(structuredClone(c), now)).toEqual(first);
          expect(run({ ...c, facts: { ...c.facts, events: shuffled } }, now)).toEqual(first);
        }
      ),
      RUNS
    );
  });

  it('as now advances, timers keep their keys, elapsed never shrinks, ended timers never change and Breached stays Breached — until the record is deleted', () => {
    const progress: Record<TimerStatus, number> = { Running: 0, Paused: 0, 'At Risk': 1, Met: 2, Cancelled: 2, Breached: 2 };
    fc.assert(
      fc.property(withNows(2), (c) => {
        const [a, b] = [...c.nows].sort((x, y) => x - y);
        const later = new Map(run(c, b).map((t) => [t.key, t]));
        const deletedBetween = deletedBy(c, b) && !deletedBy(c, a);
        for (const t of run(c, a)) {
          const u = later.get(t.key);
          expect(u).toBeDefined();
          if (!u) continue;
          expect(u.elapsedBusinessMinutes).toBeGreaterThanOrEqual(t.elapsedBusinessMinutes);
          if (deletedBetween) {
            expect(u.status).toBe('Cancelled');
            if (t.stoppedAt !== null) expect(u).toEqual({ ...t, status: 'Cancelled', breached: false, escalation: null });
            continue;
          }
          if (t.stoppedAt !== null) expect(u).toEqual(t);
          if (t.status === 'Breached') expect(u.status).toBe('Breached');
          if (t.status !== 'Paused' && u.status !== 'Paused') expect(progress[u.status]).toBeGreaterThanOrEqual(progress[t.status]);
        }
      }),
      RUNS
    );
  });

  it('without pauses or queues, status only moves forward: Running → At Risk → Breached, or to Met / Cancelled', () => {
    const order: Record<TimerStatus, number> = { Running: 0, 'At Risk': 1, Paused: -1, Met: 2, Cancelled: 2, Breached: 3 };
    const noPause = withNows(4).filter(
      (c) => c.facts.initialOwnerId !== QUEUE && !c.facts.events.some((e) => e.type === 'owner' && e.ownerId === QUEUE)
    );
    fc.assert(
      fc.property(noPause, (c) => {
        const policy = { ...c.policy, pauseStatuses: [] };
        const nows = [...c.nows].sort((x, y) => x - y);
        const seen = new Map<string, TimerStatus>();
        for (const now of nows) {
          for (const t of computeTimers({ facts: c.facts, policy, calendar, now })) {
            expect(t.status).not.toBe('Paused');
            if (deletedBy(c, now)) {
              expect(t.status).toBe('Cancelled');
              continue;
            }
            const before = seen.get(t.key);
            if (before === 'Met' || before === 'Cancelled') expect(t.status).toBe(before);
            else if (before !== undefined) expect(order[t.status]).toBeGreaterThanOrEqual(order[before]);
            seen.set(t.key, t.status);
          }
        }
      }),
      RUNS
    );
  });

  it('an activity stops a clock only at a trusted instant: a meeting dated further back than the grace counts when it was logged', () => {
    fc.assert(
      fc.property(withNows(1), (c) => {
        const now = c.nows[0];
        const trusted = new Set<number>();
        for (const e of c.facts.events) {
          if (e.type !== 'activity') continue;
          const at = ms(e.at);
          const created = e.createdAt === undefined ? at : ms(e.createdAt);
          trusted.add(Math.max(ms(c.facts.createdAt), at >= created - c.policy.backdateGraceMinutes * MIN ? at : created));
        }
        for (const t of run(c, now)) {
          if (t.endReason !== 'activity') continue;
          expect(trusted.has(ms(t.stoppedAt as string))).toBe(true);
        }
      }),
      RUNS
    );
  });

  it('pauses (On Hold, or a queue owning the lead) move Due_At out by exactly the paused business minutes', () => {
    const arb = fc.record({
      anchor: fc.constantFrom(...ANCHORS),
      toggles: fc.array(fc.record({ gap: fc.integer({ min: 1, max: 3 * 24 * 60 * 60 }), what: fc.constantFrom('hold', 'queue') }), {
        minLength: 1,
        maxLength: 10
      }),
      after: fc.integer({ min: 0, max: 3 * 24 * 60 * 60 }),
      restartOnReassign: fc.boolean()
    });
    fc.assert(
      fc.property(arb, ({ anchor, toggles, after, restartOnReassign }) => {
        // an MQL owned by Alice, put on hold / in a queue and back (to Alice) at random
        let t = anchor;
        let onHold = false;
        let queued = false;
        const events: ClockEvent[] = toggles.map(({ gap, what }) => {
          t += gap * 1000;
          if (what === 'hold') {
            onHold = !onHold;
            return { type: 'status', at: iso(t), value: onHold ? 'On Hold' : MQL };
          }
          queued = !queued;
          return { type: 'owner', at: iso(t), ownerId: queued ? QUEUE : ALICE };
        });
        const facts: ClockFacts = { object: 'Lead', id: LEAD, createdAt: iso(anchor), initialStatus: MQL, initialOwnerId: ALICE, events };
        const policy = { ...ACCEPT, targetMinutes: 20_000, pauseStatuses: ['On Hold'], restartOnReassign };
        const now = t + after * 1000;
        const [timer, ...more] = computeTimers({ facts, policy, calendar, now });
        expect(more).toEqual([]);
        expect(timer.status).toBe(onHold || queued ? 'Paused' : ms(timer.warnAt as string) < now ? 'At Risk' : 'Running');
        expect(timer.elapsedBusinessMinutes + timer.pausedBusinessMinutes).toBeCloseTo(calendar.diff(anchor, now), 1);
        expect(calendar.diff(anchor, ms(timer.dueAt))).toBeCloseTo(20_000 + timer.pausedBusinessMinutes, 1);
      }),
      RUNS
    );
  });
});
