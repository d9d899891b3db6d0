/**
 * Replaying the history under a set of policies: the clock rules' own `evaluateRecord` — the function the SLA
 * sync's plan calls for every record (scripts/sla/syncPlan.ts) — on each record's facts, with the policies
 * checked exactly as the sync checks them (readSetup: statuses, business hours, one active policy per clock),
 * keeping the clock runs that started in the period. There is no second implementation of a clock rule here:
 * what differs between the current and a proposed scenario is only the policies and the calendar passed in.
 */
import type { BusinessCalendar } from '../../calendar';
import { evaluateRecord, evaluateRuns, round2, runOutcome } from '../clock';
import type { ClockCalendar, ClockName, RecordInput, SlaPolicy, SlaPolicyRecord, SlaTimer } from '../clock';
import { readSetup } from '../syncSetup';
import type { PolicyRecord, SyncCalendar, SyncSetup } from '../syncSetup';
import type { History, ReplayRecord } from './history';

/** The policies (and calendars) one replay runs under. */
export interface Scenario {
  label: string;
  setup: SyncSetup;
  /** a proposed calendar that replaces every policy's business hours (null: each policy's own) */
  calendar: BusinessCalendar | null;
}

/** The current policies, as the sync runs them. */
export function currentScenario(history: History): Scenario {
  return { label: 'current', setup: history.current, calendar: null };
}

/**
 * A proposed scenario: these policy records (proposedRecords) checked against the org as the sync checks its
 * own (an invalid one throws SlaPolicyError naming the record and field), and an optional proposed calendar.
 */
export async function proposedScenario(
  history: History,
  records: readonly PolicyRecord[],
  calendar: BusinessCalendar | null,
  label = 'proposed'
): Promise<Scenario> {
  const setup = await readSetup(history.data, records);
  return { label, setup, calendar };
}

/** Instants in epoch ms: the runs that started in [from, to) are replayed; clocks are evaluated at `now`. */
export interface ReplayWindow {
  from: number;
  to: number;
  now: number;
}

/** One replayed run with what the figures group it by. */
export interface ReplayedTimer {
  timer: SlaTimer;
  record: ReplayRecord;
  policy: SlaPolicy;
}

/** What the figures read of a run (figures.ts): a replay for figures keeps only this of each timer. */
export type CountedTimer = Pick<SlaTimer, 'clock' | 'status' | 'elapsedBusinessMinutes' | 'accountableUserId'>;

/** A run as the figures count it. */
export interface CountedRun {
  timer: CountedTimer;
  record: ReplayRecord;
  policy: SlaPolicy;
}

/**
 * Every run of the period under the scenario, in record order (leads, then opportunities), each in clock and start
 * order; with `clocks`, those clocks' runs only (a sweep evaluates only the clock it moves, a proposal the clocks
 * it changes: the rules evaluate each clock on its own, clock.ts evaluateRecord).
 */
export function replay(
  history: History,
  scenario: Scenario,
  window: ReplayWindow,
  clocks?: ClockName | ReadonlySet<ClockName>
): ReplayedTimer[] {
  const out: ReplayedTimer[] = [];
  const { policies } = scenario.setup;
  const byName = new Map([...policies.Lead, ...policies.Opportunity].map((p) => [p.developerName, p]));
  eachRecord(history, scenario, window, clocks, (record, input) => {
    for (const timer of evaluateRecord(input).timers) {
      const started = Date.parse(timer.startedAt);
      if (started >= window.from && started < window.to) out.push({ timer, record, policy: byName.get(timer.policy) as SlaPolicy });
    }
  });
  return out;
}

/**
 * The same replay, each run kept only as the figures count it, from the rules' numbers (clock.ts evaluateRuns and
 * runOutcome, which timerOf writes as an SlaTimer): at 100,000 leads a replay makes a few hundred thousand runs,
 * and writing every instant of each as text, then reading its start back, was a third of a replay's time.
 */
export function replayCounted(
  history: History,
  scenario: Scenario,
  window: ReplayWindow,
  clocks?: ClockName | ReadonlySet<ClockName>
): CountedRun[] {
  const out: CountedRun[] = [];
  eachRecord(history, scenario, window, clocks, (record, input) => {
    const runs = evaluateRuns(input, (run, policy, calendar, now) => {
      if (run.startedAt < window.from || run.startedAt >= window.to) return null;
      const { elapsedMs, status } = runOutcome(run, policy, calendar, now);
      const timer: CountedTimer = {
        clock: policy.clock,
        status,
        elapsedBusinessMinutes: round2(elapsedMs / MINUTE),
        accountableUserId: run.accountableUserId
      };
      return { timer, record, policy };
    });
    for (const run of runs) if (run !== null) out.push(run);
  });
  return out;
}

const MINUTE = 60_000;

/** Each record with the rules' input under the scenario (the active policies of its object, only `clocks`' if given). */
function eachRecord(
  history: History,
  scenario: Scenario,
  window: ReplayWindow,
  clocks: ClockName | ReadonlySet<ClockName> | undefined,
  visit: (record: ReplayRecord, input: RecordInput) => void
): void {
  const { setup } = scenario;
  const wanted = typeof clocks === 'string' ? new Set([clocks]) : clocks;
  const only = (list: readonly SlaPolicy[]) => (wanted === undefined ? list : list.filter((p) => wanted.has(p.clock)));
  const active = { Lead: only(setup.policies.Lead), Opportunity: only(setup.policies.Opportunity) };
  const calendarFor = (p: SlaPolicy): ClockCalendar =>
    scenario.calendar ?? (setup.calendarOf.get(p.developerName) as SyncCalendar).calendar;
  for (const record of history.records) {
    const policies = active[record.object];
    if (policies.length === 0) continue;
    visit(record, { facts: record.facts, policies, calendarFor, now: window.now, decided: record.decided });
  }
}

/**
 * The clocks whose runs can differ between two scenarios: those whose active policies (every field, tiers
 * included) differ, and every clock when the second scenario brings a calendar of its own. The others replay
 * exactly alike — same facts, same policies, same business hours — so a proposal re-evaluates only what it changes.
 */
export function changedClocks(before: Scenario, after: Scenario): Set<ClockName> {
  const out = new Set<ClockName>();
  const all = (s: Scenario) => [...s.setup.policies.Lead, ...s.setup.policies.Opportunity];
  const byClock = (s: Scenario) => {
    const m = new Map<ClockName, string[]>();
    for (const p of all(s)) m.set(p.clock, [...(m.get(p.clock) ?? []), JSON.stringify(p)]);
    return m;
  };
  const a = byClock(before);
  const b = byClock(after);
  for (const clock of new Set([...a.keys(), ...b.keys()])) {
    const same =
      after.calendar === before.calendar && JSON.stringify((a.get(clock) ?? []).sort()) === JSON.stringify((b.get(clock) ?? []).sort());
    if (!same) out.add(clock);
  }
  return out;
}

/** The time zone the period's dates are read in: the Accept policy's calendar (else the first policy's), else UTC. */
export function periodTimeZone(setup: SyncSetup): string {
  const p = setup.policies.Lead.find((x) => x.clock === 'Accept') ?? setup.policies.Lead[0] ?? setup.policies.Opportunity[0];
  return (p && setup.calendarOf.get(p.developerName)?.calendar.timeZone) ?? 'UTC';
}

export type { PolicyRecord, SlaPolicyRecord };
