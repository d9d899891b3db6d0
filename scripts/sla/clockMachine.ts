/**
 * The per-clock state machine: replays one record's events (canonical order, up to `now`) for one
 * policy and returns its runs — when each started, who is accountable, which stretches of time it
 * counted, and how and when it ended. Business time is not computed here (clockStatus.ts does
 * that), so this part is plain bookkeeping over instants. Pure and deterministic.
 */
import { isUserId, orderEvents, parseInstant, sameId } from './clockEvents';
import type { TimedEvent } from './clockEvents';
import { SlaInputError, STOPPING_SUBMISSION } from './clockTypes';
import type { ClockFacts, EndReason, SlaPolicy } from './clockTypes';

/** How a policy sees a status value. */
export type StatusClass = 'start' | 'stop' | 'cancel' | 'pause' | 'other';

/** Stop wins over Cancel, Cancel over Pause, Pause over Start (policyFromRecord rejects overlaps anyway). */
export function classifyStatus(policy: SlaPolicy, facts: ClockFacts, status: string | null): StatusClass {
  if (status === null) return 'other';
  if (policy.stopStatuses.includes(status)) return 'stop';
  if (policy.cancelStatuses.includes(status)) return 'cancel';
  if (policy.pauseStatuses.includes(status)) return 'pause';
  if (policy.startStatuses.includes(status)) return 'start';
  if (policy.clock === 'Win/Loss Review' && facts.closedStages?.includes(status)) return 'start';
  return 'other';
}

/** [from, to) in epoch ms; `to` null = still counting at the end of the replay. */
export type Interval = readonly [number, number | null];

export interface RunEnd {
  at: number;
  reason: EndReason;
  /** the obligation was fulfilled (stop status, feedback, review, activity, conversion); false = cancelled */
  met: boolean;
}

/** One clock run as replayed. */
export interface ClockRun {
  startedAt: number;
  /** the user accountable now (open run) or at the end */
  accountableUserId: string;
  /** stretches when the clock counted, in order; only the last may be open (`to` null), and only if `end` is null */
  counting: Interval[];
  end: RunEnd | null;
  /** the record was deleted (by `now`): the run is Cancelled whatever its end, so it leaves every figure */
  recordDeleted: boolean;
}

interface OpenRun {
  startedAt: number;
  accountableUserId: string;
  counting: Interval[];
  countingSince: number | null;
}

/**
 * Replays the facts for one policy up to and including `now` (later events are ignored) and
 * returns the runs in start order. The rules (docs/sla-clocks.md states them for admins):
 *  - a run starts at the end of the instant when the record is in a Start status, owned by a user,
 *    and no run has started since it last entered a Start status (an *entry*), or when a
 *    reassignment restarts it;
 *  - it counts while owned by a user and not in a Pause status;
 *  - it ends met on a Stop status and on conversion (converting is contact); Accept also on
 *    feedback; First Touch on a completed activity by the then owner (incl. the activities the
 *    conversion moved to the contact, opportunity or account); Win/Loss Review on a review;
 *  - it ends not met on a Cancel status (not required any more), on re-entering a Start status from a
 *    non-Pause status, on a restart (Restart_On_Reassign__c and another user takes the record), and
 *    on deletion — Cancelled if that is by Due_At, else Breached;
 *  - every run of a deleted record is Cancelled.
 * Activities count at their trusted instant (trustedInstant: the policy's Backdate_Grace_Minutes__c).
 */
export function replayClock(facts: ClockFacts, policy: SlaPolicy, now: number): ClockRun[] {
  if (facts.object !== policy.object) {
    throw new SlaInputError(`${facts.object} ${facts.id}: policy ${policy.developerName} is for ${policy.object} records`);
  }
  const created = parseInstant(facts.createdAt, `${facts.object} ${facts.id}: CreatedDate`);
  if (now < created) return [];

  const runs: ClockRun[] = [];
  let status: string | null = facts.initialStatus;
  let cls: StatusClass = classifyStatus(policy, facts, status);
  let owner: string | null = facts.initialOwnerId;
  let converted = false;
  let deleted = false;
  /** 'entry': waiting for a user owner after entering a Start status; 'restart': start now (reassigned) */
  let armed: 'entry' | 'restart' | null = cls === 'start' ? 'entry' : null;
  let run: OpenRun | null = null;

  const end = (at: number, reason: EndReason, met: boolean) => {
    if (!run) return;
    const counting = [...run.counting];
    if (run.countingSince !== null && at > run.countingSince) counting.push([run.countingSince, at]);
    runs.push({
      startedAt: run.startedAt,
      accountableUserId: run.accountableUserId,
      counting,
      end: { at, reason, met },
      recordDeleted: false
    });
    run = null;
  };
  const syncCounting = (at: number) => {
    if (!run) return;
    const shouldCount = cls !== 'pause' && isUserId(owner);
    if (shouldCount && run.countingSince === null) run.countingSince = at;
    else if (!shouldCount && run.countingSince !== null) {
      if (at > run.countingSince) run.counting.push([run.countingSince, at]);
      run.countingSince = null;
    }
  };
  const apply = (at: number, e: TimedEvent['event']) => {
    switch (e.type) {
      case 'status': {
        const before = cls;
        status = e.value;
        cls = classifyStatus(policy, facts, status);
        if (cls === 'stop') {
          end(at, 'stop status', true);
          armed = null;
        } else if (cls === 'cancel') {
          end(at, 'cancel status', false);
          armed = null;
        } else if (cls === 'start') {
          if (before === 'start' || (before === 'pause' && run)) break; // same episode / resume
          end(at, 're-entered start', false);
          armed = converted ? null : 'entry';
        } else if (armed === 'entry') {
          armed = null; // left the Start status before anyone could be held to it
        }
        break;
      }
      case 'feedback':
      case 'review':
        if (STOPPING_SUBMISSION[policy.clock] === e.type) {
          end(at, e.type, true);
          armed = null;
        }
        break;
      case 'activity':
        if (policy.clock === 'First Touch' && run && isUserId(owner) && sameId(e.ownerId, owner)) end(at, 'activity', true);
        break;
      case 'converted':
        if (facts.object !== 'Lead') break;
        converted = true;
        armed = null;
        end(at, 'converted', true);
        break;
      case 'owner': {
        owner = e.ownerId;
        const current = run as OpenRun | null;
        if (current && isUserId(owner) && !sameId(owner, current.accountableUserId)) {
          if (policy.restartOnReassign) {
            end(at, 'reassigned', false);
            armed = 'restart';
          } else {
            current.accountableUserId = owner;
          }
        }
        break;
      }
      case 'deleted':
        deleted = true;
        armed = null;
        end(at, 'deleted', false);
        break;
    }
  };
  const maybeStart = (at: number) => {
    if (run || !armed || converted || deleted || !isUserId(owner)) return;
    if (armed === 'entry' && cls !== 'start') return;
    run = { startedAt: at, accountableUserId: owner, counting: [], countingSince: null };
    armed = null;
    syncCounting(at);
  };

  const events = orderEvents(facts, policy.backdateGraceMinutes).filter((e) => e.at <= now);
  let i = 0;
  let at = created;
  for (;;) {
    // one instant: all its events, then (maybe) a start
    while (i < events.length && events[i].at === at) {
      if (!deleted) {
        apply(at, events[i].event);
        syncCounting(at);
      }
      i++;
    }
    maybeStart(at);
    if (i >= events.length) break;
    at = events[i].at;
  }

  const open = run as OpenRun | null;
  if (open) {
    const counting = [...open.counting];
    if (open.countingSince !== null) counting.push([open.countingSince, null]);
    runs.push({ startedAt: open.startedAt, accountableUserId: open.accountableUserId, counting, end: null, recordDeleted: false });
  }
  if (deleted) for (const r of runs) r.recordDeleted = true;
  return runs;
}
