/**
 * Business time for one replayed run: elapsed, Warn_At, Due_At and the status at `now`; the
 * SLA_Timer__c row it becomes; and the record-level rollup. Pure: the calendar is passed in.
 */
import type { BusinessCalendar } from '../calendar';
import { isoOf } from './clockEvents';
import type { ClockRun, Interval } from './clockMachine';
import { STATUS_SEVERITY } from './clockTypes';
import type { ClockFacts, SlaPolicy, SlaTimer, TimerStatus } from './clockTypes';

/** The part of scripts/calendar the rules use. */
export type ClockCalendar = Pick<BusinessCalendar, 'add' | 'diff'>;

const MINUTE = 60_000;

/** Business milliseconds in [a, b), whole ms (the calendar answers in fractional minutes). */
export function businessMs(cal: ClockCalendar, a: number, b: number): number {
  return b > a ? Math.round(cal.diff(a, b) * MINUTE) : 0;
}

export function addBusinessMs(cal: ClockCalendar, from: number, ms: number): number {
  return cal.add(from, ms / MINUTE).getTime();
}

export const round2 = (minutes: number): number => Math.round(minutes * 100) / 100;

/**
 * The instant the run's counted business time reaches `thresholdMs`. If it has not yet (by `end`,
 * the stop or `now`), the projection as if counting continued — from the last counting stretch if
 * the run is counting, else from `end` (a paused run's Due_At moves out by the paused business time).
 */
function crossing(cal: ClockCalendar, counting: readonly Interval[], end: number, thresholdMs: number): number {
  let done = 0;
  for (const [from, to] of counting) {
    if (to === null) return addBusinessMs(cal, from, thresholdMs - done);
    const stretch = businessMs(cal, from, to);
    if (done + stretch >= thresholdMs) return addBusinessMs(cal, from, thresholdMs - done);
    done += stretch;
  }
  return addBusinessMs(cal, end, thresholdMs - done);
}

/** Status of a run at `now` (see docs/sla-clocks.md#status). */
export function runStatus(run: ClockRun, dueAt: number, warnAt: number | null, now: number): TimerStatus {
  if (run.recordDeleted) return 'Cancelled'; // the record is gone: its timers leave every figure
  if (run.end) {
    if (run.end.met) return run.end.at <= dueAt ? 'Met' : 'Breached';
    return run.end.at > dueAt ? 'Breached' : 'Cancelled'; // a breach is never erased (unless the record is deleted)
  }
  if (now > dueAt) return 'Breached';
  const last = run.counting[run.counting.length - 1];
  if (!last || last[1] !== null) return 'Paused';
  if (warnAt !== null && now > warnAt) return 'At Risk';
  return 'Running';
}

/** `<recordId>:<clock>:<start ISO>` */
export function timerKey(recordId: string, clock: string, startedAt: number): string {
  return `${recordId}:${clock}:${isoOf(startedAt)}`;
}

/** The SlaTimer a replayed run is at `now`. */
export function timerOf(run: ClockRun, facts: ClockFacts, policy: SlaPolicy, cal: ClockCalendar, now: number): SlaTimer {
  const until = run.end ? run.end.at : now;
  let elapsedMs = 0;
  for (const [from, to] of run.counting) elapsedMs += businessMs(cal, from, to ?? until);
  const targetMs = policy.targetMinutes * MINUTE;
  const dueAt = crossing(cal, run.counting, until, targetMs);
  const warnAt =
    policy.warningPercent === null ? null : crossing(cal, run.counting, until, Math.round((targetMs * policy.warningPercent) / 100));
  const status = runStatus(run, dueAt, warnAt, now);
  const breached = status === 'Breached';
  return {
    key: timerKey(facts.id, policy.clock, run.startedAt),
    object: facts.object,
    recordId: facts.id,
    clock: policy.clock,
    policy: policy.developerName,
    accountableUserId: run.accountableUserId,
    startedAt: isoOf(run.startedAt),
    warnAt: warnAt === null ? null : isoOf(warnAt),
    dueAt: isoOf(dueAt),
    stoppedAt: run.end ? isoOf(run.end.at) : null,
    status,
    targetMinutes: policy.targetMinutes,
    elapsedBusinessMinutes: round2(elapsedMs / MINUTE),
    pausedBusinessMinutes: round2((businessMs(cal, run.startedAt, until) - elapsedMs) / MINUTE),
    endReason: run.end ? run.end.reason : null,
    breached,
    escalation: breached
      ? {
          accountableUserId: run.accountableUserId,
          createTask: policy.createTaskOnBreach,
          notifyManager: policy.notifyManager,
          breachedAt: isoOf(dueAt)
        }
      : null
  };
}

/**
 * Each clock's latest run (by start; the first listed wins a tie), in the order the clocks first appear: the
 * record's current timers. The others (a run before a recycle, a restart or a re-entered Start status) are
 * history: they count for neither the record's status nor its page's current clocks.
 */
export function latestPerClock<T extends { clock: string; startedAt: string }>(timers: readonly T[]): T[] {
  const latest = new Map<string, T>();
  for (const t of timers) {
    const seen = latest.get(t.clock);
    if (!seen || t.startedAt > seen.startedAt) latest.set(t.clock, t);
  }
  return [...latest.values()];
}

/**
 * The record's current worst status: for each clock its latest run (by start), then the worst of
 * those by STATUS_SEVERITY (Breached > At Risk > Running > Paused > Met > Cancelled); null when the
 * record has no timers. Older runs (e.g. before a recycle) are history and do not count.
 */
export function rollupStatus(timers: readonly SlaTimer[]): TimerStatus | null {
  let worst: TimerStatus | null = null;
  for (const t of latestPerClock(timers)) {
    if (worst === null || STATUS_SEVERITY.indexOf(t.status) < STATUS_SEVERITY.indexOf(worst)) worst = t.status;
  }
  return worst;
}

/** SLA_Timer__c field values for an upsert on Timer_Key__c (Escalated__c and Calendar__c are the sync's). */
export interface SlaTimerRecord {
  Timer_Key__c: string;
  Lead__c?: string;
  Opportunity__c?: string;
  Clock__c: string;
  Policy__c: string;
  Accountable_User__c: string;
  OwnerId: string;
  Started_At__c: string;
  Warn_At__c: string | null;
  Due_At__c: string;
  Stopped_At__c: string | null;
  Status__c: TimerStatus;
  Target_Minutes__c: number;
  Elapsed_Business_Minutes__c: number;
}

export function timerRecord(t: SlaTimer): SlaTimerRecord {
  return {
    Timer_Key__c: t.key,
    ...(t.object === 'Lead' ? { Lead__c: t.recordId } : { Opportunity__c: t.recordId }),
    Clock__c: t.clock,
    Policy__c: t.policy,
    Accountable_User__c: t.accountableUserId,
    OwnerId: t.accountableUserId,
    Started_At__c: t.startedAt,
    Warn_At__c: t.warnAt,
    Due_At__c: t.dueAt,
    Stopped_At__c: t.stoppedAt,
    Status__c: t.status,
    Target_Minutes__c: t.targetMinutes,
    Elapsed_Business_Minutes__c: t.elapsedBusinessMinutes
  };
}
