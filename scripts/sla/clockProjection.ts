/**
 * The clock rules applied to a timer as the org last recorded it — what a record page shows between two
 * syncs. The components read SLA_Timer__c rows (Lightning Data Service cannot read the policies, which are
 * custom metadata), so they know a run's start, Due_At, Warn_At, target and elapsed minutes as of the sync
 * that wrote it, and the submissions they can see (feedback on a lead, reviews on an opportunity, at their
 * CreatedDate). From that, these functions say what the next sync will record:
 *  - a submission that fulfils the clock (STOPPING_SUBMISSION) ends an open run Met — or Breached after Due_At —
 *    at the submission's CreatedDate, with the business time counted up to it (projectStop);
 *  - an open run's status moves on with time: At Risk past Warn_At, Breached past Due_At (liveStatus);
 *  - the current runs are each clock's latest (latestPerClock, as the record's SLA status reads them).
 * What depends on a policy — whether a status or owner change stops, cancels or pauses a clock — is not
 * here: a page cannot know it and says the next sync decides. Pure; `npm run build` emits this module (with
 * clockLwc.ts as its entry) as the LWC service module `c/slaClock`, so the components and the sync share it.
 * See docs/sla-clocks.md#on-the-record-page.
 */
import { parseInstant, isoOf } from './clockEvents';
import type { ClockRun } from './clockMachine';
import { addBusinessMs, businessMs, round2, runStatus } from './clockStatus';
import type { ClockCalendar } from './clockStatus';
import { STOPPING_SUBMISSION } from './clockTypes';
import type { ClockName, EndReason, TimerStatus } from './clockTypes';

const MINUTE = 60_000;

/** An SLA_Timer__c row as a component reads it (ISO instants; numbers as the org stores them). */
export interface RecordedTimer {
  clock: ClockName | string;
  status: TimerStatus | string;
  startedAt: string;
  dueAt: string;
  warnAt?: string | null;
  stoppedAt?: string | null;
  targetMinutes: number;
  elapsedBusinessMinutes?: number | null;
}

/** A feedback (lead) or review (opportunity), submitted at its CreatedDate. */
export interface Submission {
  type: 'feedback' | 'review';
  at: string;
}

/** What the next sync will record for a run a submission ended. */
export interface ProjectedStop {
  status: TimerStatus;
  stoppedAt: string;
  /** null when the page cannot tell (a run recorded Breached and still open may have been paused since) */
  elapsedBusinessMinutes: number | null;
  endReason: EndReason;
}

const OPEN: readonly string[] = ['Running', 'At Risk', 'Paused', 'Breached'];

/** The run had not ended when the org recorded it. */
export function isOpen(t: RecordedTimer): boolean {
  return !t.stoppedAt && OPEN.includes(t.status);
}

/**
 * The submission that ends this open run: the first one of the kind that fulfils its clock made after the run
 * started (one at the very instant it started came first: a run starts after that instant's events), or null.
 */
export function stoppingSubmission(t: RecordedTimer, submissions: readonly Submission[]): Submission | null {
  const kind = STOPPING_SUBMISSION[t.clock as ClockName];
  if (!kind || !isOpen(t)) return null;
  const started = parseInstant(t.startedAt, `${t.clock} timer: Started_At__c`);
  let first: { s: Submission; at: number } | null = null;
  for (const s of submissions) {
    if (s.type !== kind) continue;
    const at = parseInstant(s.at, `${s.type}: CreatedDate`);
    if (at > started && (!first || at < first.at)) first = { s, at };
  }
  return first ? first.s : null;
}

/**
 * The run as the sync will record it once `stop` (a submission that fulfils it) has ended it. A run recorded
 * counting (Running, At Risk) counted up to the stop: its Due_At stands, and the business time is the target
 * less what was left to Due_At (or plus the time past it). A run recorded Paused counted nothing since: its
 * elapsed minutes stand and its Due_At is projected from the stop, as the rules do for a paused run. A run
 * recorded Breached and open ends Breached; whether it counted since is unknown, so its elapsed time is null.
 */
export function projectStop(t: RecordedTimer, stop: Submission, cal: ClockCalendar): ProjectedStop {
  const what = `${t.clock} timer`;
  const at = parseInstant(stop.at, `${stop.type}: CreatedDate`);
  const targetMs = t.targetMinutes * MINUTE;
  let dueAt = parseInstant(t.dueAt, `${what}: Due_At__c`);
  let elapsedMs: number | null = null;
  if (t.status === 'Running' || t.status === 'At Risk') {
    elapsedMs = at <= dueAt ? targetMs - businessMs(cal, at, dueAt) : targetMs + businessMs(cal, dueAt, at);
  } else if (t.status === 'Paused') {
    elapsedMs = Math.round((t.elapsedBusinessMinutes ?? 0) * MINUTE);
    dueAt = addBusinessMs(cal, at, targetMs - elapsedMs);
  }
  const run: ClockRun = {
    startedAt: parseInstant(t.startedAt, `${what}: Started_At__c`),
    accountableUserId: '',
    counting: [],
    end: { at, reason: stop.type, met: true },
    recordDeleted: false
  };
  return {
    status: runStatus(run, dueAt, null, at),
    stoppedAt: isoOf(at),
    elapsedBusinessMinutes: elapsedMs === null ? null : round2(Math.max(0, elapsedMs) / MINUTE),
    endReason: stop.type
  };
}

/**
 * The status of a recorded run at `now`: an ended run keeps its status; a paused one stays Paused (its Due_At
 * moves out while it waits); a counting one is At Risk past Warn_At and Breached past Due_At (at either instant
 * exactly, the earlier status still holds).
 */
export function liveStatus(t: RecordedTimer, now: number): TimerStatus {
  const status = t.status as TimerStatus;
  if (!isOpen(t) || status === 'Paused' || status === 'Breached') return status;
  const what = `${t.clock} timer`;
  const run: ClockRun = {
    startedAt: parseInstant(t.startedAt, `${what}: Started_At__c`),
    accountableUserId: '',
    counting: [[parseInstant(t.startedAt, `${what}: Started_At__c`), null]],
    end: null,
    recordDeleted: false
  };
  const warnAt = t.warnAt ? parseInstant(t.warnAt, `${what}: Warn_At__c`) : null;
  return runStatus(run, parseInstant(t.dueAt, `${what}: Due_At__c`), warnAt, now);
}
