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
import { rollupStatus, timerOf } from './clockStatus';
import type { ClockCalendar } from './clockStatus';
import { ROLLUP_FIELD } from './clockTypes';
import type { ClockFacts, SlaPolicy, SlaTimer, TimerStatus } from './clockTypes';

export * from './clockTypes';
export { activePolicies, DEFAULT_BACKDATE_GRACE_MINUTES, policyFromRecord, splitStatuses } from './clockPolicy';
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
export { latestPerClock, liveElapsedMinutes, rollupStatus, runStatus, timerKey, timerOf, timerRecord } from './clockStatus';
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
}

export interface RecordEvaluation {
  /** every clock's timers, clocks in CLOCKS order, each in start order */
  timers: SlaTimer[];
  /** the record-level field and its value (null = blank: no timers) */
  rollup: { field: 'SLA_Status__c' | 'Win_Loss_Review_Status__c'; status: TimerStatus | null };
}

/** All timers of one record under every active policy of its object, and the rollup field value. */
export function evaluateRecord({ facts, policies, calendarFor, now }: RecordInput): RecordEvaluation {
  const timers = activePolicies(policies, facts.object).flatMap((policy) =>
    computeTimers({ facts, policy, calendar: calendarFor(policy), now })
  );
  return { timers, rollup: { field: ROLLUP_FIELD[facts.object], status: rollupStatus(timers) } };
}
