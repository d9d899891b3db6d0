/**
 * Properties of the what-if on random populations of lead and opportunity histories (statuses, owners incl. a
 * queue, activities, feedback, reviews, conversion) around DST, Thanksgiving and Christmas, under random policies
 * on the New York calendar, replayed with the same code the CLI runs (replay + figuresOf):
 *  - a longer target never lowers compliance (no fewer Met, no more Breached, the same runs);
 *  - adding a holiday never brings a Due_At earlier and never lowers compliance; the business minutes a run
 *    counted can only shrink (the holiday's hours no longer count), never grow.
 */
import fc from 'fast-check';
import { BusinessCalendar } from '../../../calendar';
import type { CalendarDefinition } from '../../../calendar';
import type { ClockEvent, ClockFacts, SlaPolicy } from '../../clock';
import type { SyncSetup } from '../../syncSetup';
import { figuresOf, replay } from '..';
import type { History, ReplayRecord, Scenario } from '..';
import { ACCEPT, ALICE, BOB, calendar, FIRST_TOUCH, MQL, NEW_YORK, QUEUE, WIN_LOSS } from '../../__tests__/clockFixtures';

const MIN = 60_000;
const ANCHORS = ['2026-03-05T14:00:00Z', '2026-11-24T15:00:00Z', '2026-12-23T16:00:00Z', '2026-06-01T13:00:00Z'].map(Date.parse);
const LEAD_STATUSES = ['New', MQL, MQL, 'Sales Accepted', 'Recycled', 'Rejected', 'On Hold', 'Working', 'Converted'];
const STAGES = ['Prospecting', 'Negotiation', 'Closed Won', 'Closed Lost', 'On Hold'];
const iso = (ms: number) => new Date(ms).toISOString();

const leadEvent: fc.Arbitrary<(at: string, i: number) => ClockEvent> = fc.oneof(
  { weight: 10, arbitrary: fc.constantFrom(...LEAD_STATUSES).map((value) => (at: string) => ({ type: 'status' as const, at, value })) },
  { weight: 4, arbitrary: fc.constantFrom(ALICE, BOB, QUEUE).map((ownerId) => (at: string) => ({ type: 'owner' as const, at, ownerId })) },
  {
    weight: 5,
    arbitrary: fc.constantFrom(ALICE, BOB).map((ownerId) => (at: string, i: number) => ({
      type: 'activity' as const,
      at,
      ownerId,
      activity: 'Task' as const,
      id: `00T0000000000${i}`
    }))
  },
  { weight: 2, arbitrary: fc.constant((at: string, i: number) => ({ type: 'feedback' as const, at, id: `a000000000000${i}` })) },
  { weight: 1, arbitrary: fc.constant((at: string) => ({ type: 'converted' as const, at })) }
);
const oppEvent: fc.Arbitrary<(at: string, i: number) => ClockEvent> = fc.oneof(
  { weight: 8, arbitrary: fc.constantFrom(...STAGES).map((value) => (at: string) => ({ type: 'status' as const, at, value })) },
  { weight: 2, arbitrary: fc.constantFrom(ALICE, BOB).map((ownerId) => (at: string) => ({ type: 'owner' as const, at, ownerId })) },
  { weight: 3, arbitrary: fc.constant((at: string, i: number) => ({ type: 'review' as const, at, id: `a010000000000${i}` })) }
);

const recordArb = (index: number): fc.Arbitrary<ReplayRecord> =>
  fc
    .record({
      isLead: fc.boolean(),
      anchor: fc.constantFrom(...ANCHORS),
      offset: fc.integer({ min: 0, max: 3 * 24 * 60 }),
      n: fc.integer({ min: 0, max: 10 })
    })
    .chain(({ isLead, anchor, offset, n }) =>
      fc
        .record({
          initialStatus: fc.oneof(fc.constant(isLead ? MQL : 'Closed Won'), fc.constantFrom(...(isLead ? LEAD_STATUSES : STAGES))),
          initialOwner: fc.constantFrom(...(isLead ? [ALICE, ALICE, BOB, QUEUE] : [ALICE, BOB])),
          gaps: fc.array(fc.integer({ min: 60, max: 2 * 24 * 3600 }), { minLength: n, maxLength: n }),
          makers: fc.array(isLead ? leadEvent : oppEvent, { minLength: n, maxLength: n }),
          source: fc.constantFrom('Web', 'Event', null)
        })
        .map(({ initialStatus, initialOwner, gaps, makers, source }) => {
          let t = anchor + offset * MIN;
          const created = t;
          const events = makers.map((make, i) => make(iso((t += gaps[i] * 1000)), i));
          const id = `${isLead ? '00Q' : '006'}${String(index).padStart(12, '0')}AAA`;
          const facts: ClockFacts = {
            object: isLead ? 'Lead' : 'Opportunity',
            id,
            createdAt: iso(created),
            initialStatus,
            initialOwnerId: initialOwner,
            events,
            ...(isLead ? {} : { closedStages: ['Closed Won', 'Closed Lost'] })
          };
          return { object: facts.object, id, facts, leadSource: isLead ? source : null, decided: new Map<string, string>() };
        })
    );

const populationArb = fc.integer({ min: 1, max: 12 }).chain((n) => fc.tuple(...Array.from({ length: n }, (_, i) => recordArb(i))));

const policiesArb = fc
  .record({
    accept: fc.constantFrom(15, 30, 60, 240, 480),
    firstTouch: fc.constantFrom(30, 60, 480, 2700),
    review: fc.constantFrom(480, 2400),
    warn: fc.constantFrom<number | null>(null, 75),
    restart: fc.boolean(),
    pause: fc.constantFrom<string[]>([], ['On Hold'])
  })
  .map(({ accept, firstTouch, review, warn, restart, pause }) => [
    { ...ACCEPT, targetMinutes: accept, warningPercent: warn, restartOnReassign: restart, pauseStatuses: pause },
    { ...FIRST_TOUCH, targetMinutes: firstTouch, warningPercent: warn, restartOnReassign: restart },
    { ...WIN_LOSS, targetMinutes: review, pauseStatuses: pause.length ? ['On Hold'] : [] }
  ]);

function historyOf(records: readonly ReplayRecord[]): History {
  return { records: [...records] } as unknown as History;
}

function scenario(policies: readonly SlaPolicy[], cal: BusinessCalendar = calendar): Scenario {
  const setup = {
    policies: { Lead: policies.filter((p) => p.object === 'Lead'), Opportunity: policies.filter((p) => p.object === 'Opportunity') },
    calendarOf: new Map(policies.map((p) => [p.developerName, { calendar: cal }]))
  } as unknown as SyncSetup;
  return { label: 'x', setup, calendar: null };
}

const WINDOW = {
  from: Date.parse('2026-01-01T00:00:00Z'),
  to: Date.parse('2027-02-01T00:00:00Z'),
  now: Date.parse('2027-01-15T00:00:00Z')
};
const RUNS = { numRuns: 150 };
const byKey = (runs: ReturnType<typeof replay>) => new Map(runs.map((r) => [r.timer.key, r.timer]));

it('a longer target never lowers compliance: the same runs, no fewer Met, no more Breached', () => {
  fc.assert(
    fc.property(
      populationArb,
      policiesArb,
      fc.constantFrom('Accept', 'First Touch', 'Win/Loss Review'),
      fc.integer({ min: 1, max: 2000 }),
      (records, policies, clock, extra) => {
        const history = historyOf(records);
        const longer = policies.map((p) => (p.clock === clock ? { ...p, targetMinutes: p.targetMinutes + extra } : p));
        const a = replay(history, scenario(policies), WINDOW);
        const b = replay(history, scenario(longer), WINDOW);
        expect([...byKey(b).keys()]).toEqual([...byKey(a).keys()]);
        for (const c of ['Accept', 'First Touch', 'Win/Loss Review']) {
          const fa = figuresOf(a.filter((r) => r.timer.clock === c));
          const fb = figuresOf(b.filter((r) => r.timer.clock === c));
          expect(fb.met).toBeGreaterThanOrEqual(fa.met);
          expect(fb.breached).toBeLessThanOrEqual(fa.breached);
          if (fa.compliance !== null && fb.compliance !== null) expect(fb.compliance).toBeGreaterThanOrEqual(fa.compliance);
        }
      }
    ),
    RUNS
  );
});

it('adding a holiday never brings a Due_At earlier nor lowers compliance; counted business minutes only shrink', () => {
  const days = ANCHORS.flatMap((a) => [0, 1, 2, 3, 4, 5].map((d) => iso(a + d * 24 * 3600_000).slice(0, 10)));
  fc.assert(
    fc.property(populationArb, policiesArb, fc.constantFrom(...days), (records, policies, day) => {
      const history = historyOf(records);
      const withHoliday: CalendarDefinition = {
        ...NEW_YORK,
        holidays: [...(NEW_YORK.holidays ?? []), { Name: 'Extra', ActivityDate: day, IsAllDay: true }]
      };
      const a = replay(history, scenario(policies), WINDOW);
      const b = replay(history, scenario(policies, new BusinessCalendar(withHoliday)), WINDOW);
      const after = byKey(b);
      expect([...after.keys()]).toEqual([...byKey(a).keys()]);
      for (const { timer } of a) {
        const t = after.get(timer.key)!;
        expect(Date.parse(t.dueAt)).toBeGreaterThanOrEqual(Date.parse(timer.dueAt));
        expect(t.elapsedBusinessMinutes).toBeLessThanOrEqual(timer.elapsedBusinessMinutes + 1e-9);
      }
      const fa = figuresOf(a);
      const fb = figuresOf(b);
      expect(fb.met).toBeGreaterThanOrEqual(fa.met);
      expect(fb.breached).toBeLessThanOrEqual(fa.breached);
      if (fa.compliance !== null && fb.compliance !== null) expect(fb.compliance).toBeGreaterThanOrEqual(fa.compliance);
    }),
    RUNS
  );
});

it('the populations are not vacuous: they have Met, Breached, Cancelled and open runs of every clock', () => {
  const seen = new Set<string>();
  for (const [records, policies] of fc.sample(fc.tuple(populationArb, policiesArb), { numRuns: 200, seed: 17 })) {
    for (const { timer } of replay(historyOf(records), scenario(policies), WINDOW)) seen.add(`${timer.clock}:${timer.status}`);
  }
  for (const clock of ['Accept', 'First Touch', 'Win/Loss Review']) {
    for (const status of ['Met', 'Breached']) expect(seen).toContain(`${clock}:${status}`);
  }
  expect([...seen].some((s) => s.endsWith(':Cancelled'))).toBe(true);
});
