/**
 * SLA clock rules: one record's facts + a policy + a business calendar + `now` → the
 * SLA_Timer__c rows the record should have, one per clock run. Pure and deterministic: no I/O,
 * never reads the system clock; the same input always gives the same timers (and keys), so the
 * sync can upsert them on Timer_Key__c as often as it likes.
 *
 * Layers: clockEvents (org rows → facts, canonical order) → clockMachine (replay → runs) →
 * clockStatus (business time, status at `now`, rollup). Admin-facing rules: docs/sla-clocks.md.
 */
import { activePolicies } from './clockPolicy';
import { parseInstant } from './clockEvents';
import { replayClock } from './clockMachine';
import { rollupStatus, timerKey, timerOf } from './clockStatus';
import type { ClockCalendar } from './clockStatus';
import type { ClockRun } from './clockMachine';
import { selectPolicy, tierOf } from './clockTiers';
import { CLOCKS, ROLLUP_FIELD } from './clockTypes';
import type { ClockFacts, ClockName, SlaObject, SlaPolicy, SlaTimer, TimerStatus } from './clockTypes';

export * from './clockTypes';
export { activePolicies, DEFAULT_BACKDATE_GRACE_MINUTES, policyFromRecord, splitStatuses, tierFromRecord } from './clockPolicy';
export { criteriaFields, meetsTier, reassignAt, selectPolicy, tierOf, tierProblems, tiersOverlap } from './clockTiers';
export type { TierPolicy, TierProblem, TierSchema } from './clockTiers';
export type { PolicyCheckOptions, SlaPolicyRecord } from './clockPolicy';
export { isQueueId, isUserId, isoOf, leadFacts, opportunityFacts, orderEvents, parseInstant, sameId, trustedInstant } from './clockEvents';
export type {
  EventRow,
  HistoryRow,
  LeadRow,
  LeadSource,
  OpportunityRow,
  OpportunitySource,
  SubmissionRow,
  TaskRow,
  TimedEvent
} from './clockEvents';
export { classifyStatus, replayClock } from './clockMachine';
export type { ClockRun, Interval, RunEnd, StatusClass } from './clockMachine';
export {
  latestPerClock,
  liveElapsedMinutes,
  rollupStatus,
  round2,
  runOutcome,
  runStatus,
  timerKey,
  timerOf,
  timerRecord
} from './clockStatus';
export type { RunOutcome } from './clockStatus';
export { isOpen, liveStatus, projectStop, stoppingSubmission } from './clockProjection';
export type { ProjectedStop, RecordedTimer, Submission } from './clockProjection';
export type { ClockCalendar, SlaTimerRecord } from './clockStatus';

export type Instant = Date | string | number;

export interface ClockInput {
  facts: ClockFacts;
  policy: SlaPolicy;
  /** the policy's calendar (Business_Hours_Name__c, or the org default) */
  calendar: ClockCalendar;
  /** the moment to evaluate at; events after it are ignored */
  now: Instant;
}

/**
 * The timers one policy gives one record at `now`, in start order. An inactive policy gives none.
 * Throws SlaInputError when the facts cannot be read or the policy is for the other object.
 */
export function computeTimers({ facts, policy, calendar, now }: ClockInput): SlaTimer[] {
  if (!policy.active) return [];
  const at = parseInstant(now, 'now');
  return replayClock(facts, policy, at).map((run) => timerOf(run, facts, policy, calendar, at));
}

export interface RecordInput {
  facts: ClockFacts;
  /** all policies; the active ones for the record's object are used (one per clock, else SlaPolicyError) */
  policies: readonly SlaPolicy[];
  calendarFor: (policy: SlaPolicy) => ClockCalendar;
  now: Instant;
  /**
   * The tier each run already has: Timer_Key__c → Policy__c of the record's timers in the org. A run keeps the
   * policy chosen when the sync first saw it (a later change of lead source does not move its goalposts);
   * a run new to the org gets the tier the record's values (ClockFacts.values) select now.
   */
  decided?: ReadonlyMap<string, string>;
}

export interface RecordEvaluation {
  /** every clock's timers, clocks in CLOCKS order, each in start order */
  timers: SlaTimer[];
  /** the record-level field and its value (null = blank: no timers) */
  rollup: { field: 'SLA_Status__c' | 'Win_Loss_Review_Status__c'; status: TimerStatus | null };
}

/**
 * The active policies of a list for one object (activePolicies, which also checks them), worked out once per list:
 * a sync or a what-if passes the same list for every record.
 */
const activeByList = new WeakMap<readonly SlaPolicy[], Map<SlaObject, SlaPolicy[]>>();
function activeOf(policies: readonly SlaPolicy[], object: SlaObject): SlaPolicy[] {
  let byObject = activeByList.get(policies);
  if (!byObject) {
    byObject = new Map();
    activeByList.set(policies, byObject);
  }
  let active = byObject.get(object);
  if (!active) {
    active = activePolicies(policies, object);
    byObject.set(object, active);
  }
  return active;
}

/** What replayClock reads of a policy (clockMachine.ts): two policies with the same signature replay a record alike. */
function replaySignature(policy: SlaPolicy): string {
  let sig = signatures.get(policy);
  if (sig === undefined) {
    sig = JSON.stringify([
      policy.object,
      policy.clock,
      policy.startStatuses,
      policy.stopStatuses,
      policy.pauseStatuses,
      policy.cancelStatuses,
      policy.restartOnReassign,
      policy.backdateGraceMinutes
    ]);
    signatures.set(policy, sig);
  }
  return sig;
}
const signatures = new WeakMap<SlaPolicy, string>();

/** The active policies of one clock: the one catch-all that is all there is (`single`), or its tiers by name. */
interface ClockTiers {
  clock: ClockName;
  tiers: SlaPolicy[];
  single: SlaPolicy | null;
  byName: Map<string, SlaPolicy>;
}

/** The clocks of a list of active policies (activeOf's), in CLOCKS order, worked out once per list, not per record. */
const tiersByList = new WeakMap<readonly SlaPolicy[], ClockTiers[]>();
function clockTiersOf(active: readonly SlaPolicy[]): ClockTiers[] {
  let out = tiersByList.get(active);
  if (!out) {
    out = [];
    for (const clock of CLOCKS) {
      const tiers = active.filter((p) => p.clock === clock);
      if (tiers.length === 0) continue;
      const single = tiers.length === 1 && tierOf(tiers[0]).catchAll ? tiers[0] : null;
      out.push({ clock, tiers, single, byName: new Map(tiers.map((p) => [p.developerName, p])) });
    }
    tiersByList.set(active, out);
  }
  return out;
}

/** Whether every tier of a clock replays a record alike (replaySignature), worked out once per list of tiers. */
const alikeByTiers = new WeakMap<readonly SlaPolicy[], boolean>();
function alikeTiers(tiers: readonly SlaPolicy[]): boolean {
  let alike = alikeByTiers.get(tiers);
  if (alike === undefined) {
    alike = tiers.every((p) => replaySignature(p) === replaySignature(tiers[0]));
    alikeByTiers.set(tiers, alike);
  }
  return alike;
}

/** How a caller keeps one replayed run of a record: the run, the policy (tier) it follows, its calendar, `now`. */
export type KeepRun<T> = (run: ClockRun, policy: SlaPolicy, calendar: ClockCalendar, now: number) => T;

/**
 * Every run of one record under the active policies of its object, each as `keep` makes it: clocks in CLOCKS
 * order, each in start order. A clock with tiers (several active policies): each run follows one policy, chosen
 * once, at its start (RecordInput.decided, else selectPolicy on the record's values). Tiers share their statuses
 * (tierProblems), so every tier replays the same runs; a run is kept from the replay of the policy it follows.
 */
export function evaluateRuns<T>({ facts, policies, calendarFor, now, decided }: RecordInput, keep: KeepRun<T>): T[] {
  const at = parseInstant(now, 'now');
  const out: T[] = [];
  for (const { clock, tiers, single, byName } of clockTiersOf(activeOf(policies, facts.object))) {
    if (single) {
      const calendar = calendarFor(single);
      for (const run of replayClock(facts, single, at)) out.push(keep(run, single, calendar, at));
      continue;
    }
    const selected = selectPolicy(tiers, facts.values ?? {});
    // the tier a run already follows in the org, by its key (no key is written when nothing was decided), else the
    // tier the record's values select: worked out once a run, whichever tiers replay it
    const owners = new Map<number, SlaPolicy | null>();
    const ownerOf = (startedAt: number): SlaPolicy | null => {
      let owner = owners.get(startedAt);
      if (owner === undefined) {
        const followed = decided && decided.size > 0 ? decided.get(timerKey(facts.id, clock, startedAt)) : undefined;
        owner = byName.get(followed ?? '') ?? selected;
        owners.set(startedAt, owner);
      }
      return owner;
    };
    if (alikeTiers(tiers)) {
      // every tier replays the record alike (the usual case: tiers share their statuses): one replay, in start order
      for (const run of replayClock(facts, tiers[0], at)) {
        const owner = ownerOf(run.startedAt);
        // (no tier selects the record and none was decided: the run follows no policy)
        if (owner) out.push(keep(run, owner, calendarFor(owner), at));
      }
      continue;
    }
    const chosen = new Map<number, T>();
    // tiers that replay alike (the same statuses, restart and backdate grace: all replayClock reads of a policy)
    // replay the record once
    const replays = new Map<string, ReturnType<typeof replayClock>>();
    for (const policy of tiers) {
      const calendar = calendarFor(policy);
      const alike = replaySignature(policy);
      let runs = replays.get(alike);
      if (!runs) {
        runs = replayClock(facts, policy, at);
        replays.set(alike, runs);
      }
      for (const run of runs) if (ownerOf(run.startedAt) === policy) chosen.set(run.startedAt, keep(run, policy, calendar, at));
    }
    for (const [, kept] of [...chosen.entries()].sort((a, b) => a[0] - b[0])) out.push(kept);
  }
  return out;
}

/** All timers of one record under the active policies of its object (evaluateRuns), and the rollup field value. */
export function evaluateRecord(input: RecordInput): RecordEvaluation {
  const { facts } = input;
  const timers = evaluateRuns(input, (run, policy, calendar, at) => timerOf(run, facts, policy, calendar, at));
  return { timers, rollup: { field: ROLLUP_FIELD[facts.object], status: rollupStatus(timers) } };
}
