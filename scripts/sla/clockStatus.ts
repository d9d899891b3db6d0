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

/** What a replayed run comes to at `now`, in numbers: its counted business time, due and warning instants, status. */
export interface RunOutcome {
  /** the run's stop, else `now` */
  until: number;
  elapsedMs: number;
  dueAt: number;
  warnAt: number | null;
  status: TimerStatus;
}

/** A replayed run's outcome at `now` (timerOf writes it as the SlaTimer; a what-if counts it as it is). */
export function runOutcome(run: ClockRun, policy: SlaPolicy, cal: ClockCalendar, now: number): RunOutcome {
  const until = run.end ? run.end.at : now;
  let elapsedMs = 0;
  for (const [from, to] of run.counting) elapsedMs += businessMs(cal, from, to ?? until);
  const targetMs = policy.targetMinutes * MINUTE;
  const dueAt = crossing(cal, run.counting, until, targetMs);
  const warnAt =
    policy.warningPercent === null ? null : crossing(cal, run.counting, until, Math.round((targetMs * policy.warningPercent) / 100));
  return { until, elapsedMs, dueAt, warnAt, status: runStatus(run, dueAt, warnAt, now) };
}

/** The SlaTimer a replayed run is at `now`. */
export function timerOf(run: ClockRun, facts: ClockFacts, policy: SlaPolicy, cal: ClockCalendar, now: number): SlaTimer {
  const { until, elapsedMs, dueAt, warnAt, status } = runOutcome(run, policy, cal, now);
  const targetMs = policy.targetMinutes * MINUTE;
  const breached = status === 'Breached';
  const last = run.counting[run.counting.length - 1];
  const counting = !run.end && last !== undefined && last[1] === null;
  // a paused run: its values as they stood when the pause began (the last counting stretch's end)
  const pausedSince = run.end || counting ? null : (last?.[1] ?? run.startedAt);
  const warnThresholdMs = policy.warningPercent === null ? null : Math.round((targetMs * policy.warningPercent) / 100);
  const recorded: SlaTimer['recorded'] =
    pausedSince === null
      ? {
          warnAt: warnAt === null ? null : isoOf(warnAt),
          dueAt: isoOf(dueAt),
          elapsedBusinessMinutes: counting ? null : round2(elapsedMs / MINUTE)
        }
      : {
          warnAt: warnThresholdMs === null ? null : isoOf(crossing(cal, run.counting, pausedSince, warnThresholdMs)),
          dueAt: isoOf(crossing(cal, run.counting, pausedSince, targetMs)),
          elapsedBusinessMinutes: round2(elapsedMs / MINUTE)
        };
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
      : null,
    recorded
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
  Elapsed_Business_Minutes__c: number | null;
}

/** The SLA_Timer__c row of a timer: its recorded values (SlaTimer.recorded), never the ones time moves. */
export function timerRecord(t: SlaTimer): SlaTimerRecord {
  return {
    Timer_Key__c: t.key,
    ...(t.object === 'Lead' ? { Lead__c: t.recordId } : { Opportunity__c: t.recordId }),
    Clock__c: t.clock,
    Policy__c: t.policy,
    Accountable_User__c: t.accountableUserId,
    OwnerId: t.accountableUserId,
    Started_At__c: t.startedAt,
    Warn_At__c: t.recorded.warnAt,
    Due_At__c: t.recorded.dueAt,
    Stopped_At__c: t.stoppedAt,
    Status__c: t.status,
    Target_Minutes__c: t.targetMinutes,
    Elapsed_Business_Minutes__c: t.recorded.elapsedBusinessMinutes
  };
}

/** Status__c values of a timer whose clock counts (not stopped, not paused). */
const COUNTING: readonly string[] = ['Running', 'At Risk', 'Breached'];

/**
 * The business minutes a stored SLA_Timer__c row has counted at `now`: the recorded value of a stopped or
 * paused timer; for a timer that counts (open, Running / At Risk / Breached, no recorded minutes), the target
 * less the business time left to Due_At__c (or plus the business time since it), on the timer's own calendar —
 * Due_At__c is where the counted time reaches the target, so this is the count the rules would give. Null
 * without the values to count from.
 */
export function liveElapsedMinutes(
  row: {
    Status__c?: string | null;
    Stopped_At__c?: string | null;
    Due_At__c?: string | null;
    Target_Minutes__c?: number | null;
    Elapsed_Business_Minutes__c?: number | null;
  },
  cal: ClockCalendar | null,
  now: number
): number | null {
  const recorded = row.Elapsed_Business_Minutes__c ?? null;
  if (recorded !== null || row.Stopped_At__c || !COUNTING.includes(row.Status__c ?? '')) return recorded;
  if (!cal || !row.Due_At__c || row.Target_Minutes__c === null || row.Target_Minutes__c === undefined) return recorded;
  const due = Date.parse(row.Due_At__c);
  if (!Number.isFinite(due)) return recorded;
  const target = row.Target_Minutes__c;
  const counted = now <= due ? target - businessMs(cal, now, due) / MINUTE : target + businessMs(cal, due, now) / MINUTE;
  return round2(Math.max(0, counted));
}
