/**
 * What one record needs written, decided without I/O: the clock rules' timers for the record, compared
 * with the SLA_Timer__c rows it already has, give the timer upserts (only what changed), the timers to
 * cancel, the record-level status field update, and the breaches to escalate.
 *
 * Decisions (docs/sla-sync.md#what-it-writes states them for admins):
 * - A timer row whose key the rules no longer produce for its record (its history was corrected, or its
 *   policy was deactivated) is not deleted: an open one is closed as Cancelled at `now` (Breached if it was
 *   already Breached: a breach is never erased); a closed one of a deactivated policy stays as history; a
 *   closed one of an active policy (the corrected history no longer has that run) becomes Cancelled.
 *   Every timer of a deleted record becomes Cancelled (the rules say so for the runs they produce); a deleted
 *   record gets no new timers.
 * - A breach is escalated once (Escalated__c) by the sync that first sees it, if it became due after the
 *   last successful sync evaluated (on a first sync: within the last 24 hours, so installing Closed Loop does
 *   not escalate months of history), and the record still exists and is not converted (a task cannot be
 *   attached to a deleted or converted lead). Its accountable user gets a task only while the breach is open
 *   (a breach that already ended leaves them nothing to do); the manager is notified either way.
 */
import { evaluateRecord, parseInstant, reassignAt, timerRecord } from './clock';
import type { ClockCalendar, ClockFacts, HistoryRow, SlaObject, SlaPolicy, SlaTimer, TimerStatus } from './clock';
import { metWithinSla } from './funnelStages';
import type { ConvertedOpportunity } from './funnelStages';

/** SLA_Timer__c fields the sync reads back (and compares before writing). */
export const TIMER_FIELDS = [
  'Id',
  'Name',
  'Timer_Key__c',
  'Lead__c',
  'Opportunity__c',
  'Clock__c',
  'Policy__c',
  'Accountable_User__c',
  'OwnerId',
  'Started_At__c',
  'Warn_At__c',
  'Due_At__c',
  'Stopped_At__c',
  'Status__c',
  'Target_Minutes__c',
  'Elapsed_Business_Minutes__c',
  'Escalated__c',
  'Calendar__c',
  'Met_Within_SLA__c',
  'Reassign_At__c',
  'Reassigned_At__c'
] as const;

/** An SLA_Timer__c row as read from the org. */
export interface TimerRow {
  Id: string;
  Name?: string;
  Timer_Key__c: string;
  Lead__c?: string | null;
  Opportunity__c?: string | null;
  Clock__c?: string | null;
  Policy__c?: string | null;
  Accountable_User__c?: string | null;
  OwnerId?: string | null;
  Started_At__c?: string | null;
  Warn_At__c?: string | null;
  Due_At__c?: string | null;
  Stopped_At__c?: string | null;
  Status__c?: string | null;
  Target_Minutes__c?: number | null;
  Elapsed_Business_Minutes__c?: number | null;
  Escalated__c?: boolean | null;
  Calendar__c?: string | null;
  Met_Within_SLA__c?: number | null;
  Reassign_At__c?: string | null;
  Reassigned_At__c?: string | null;
}

/** One lead or opportunity as the sync reads it: its facts for the rules and what it has in the org now. */
export interface SyncRecord {
  object: SlaObject;
  id: string;
  /** for task subjects: "Jane Doe (Acme)", "Acme - 50 seats" */
  label: string;
  deleted: boolean;
  converted: boolean;
  facts: ClockFacts;
  /** current Lead.SLA_Status__c / Opportunity.Win_Loss_Review_Status__c */
  rollupValue: string | null;
  /** its SLA_Timer__c rows (live ones) */
  timers: readonly TimerRow[];
  /**
   * Other fields the sync derives for the record (e.g. funnel timestamps) with their current values and
   * the values they should have; only differences are written.
   */
  derived?: { current: Readonly<Record<string, unknown>>; wanted: Readonly<Record<string, unknown>> };
  /** the org row the record was read from (for derived fields) */
  row?: Readonly<Record<string, unknown>>;
  /** a converted lead's opportunity (for the funnel's Won At) */
  convertedOpportunity?: ConvertedOpportunity | null;
  /** a lead's live LeadHistory rows and feedback (for the fields clockLead.ts keeps) */
  history?: readonly HistoryRow[];
  feedback?: ReadonlyArray<{ Id: string; CreatedDate: string; Rating__c?: number | null }>;
  /** feedback and reviews still to stamp (Submitted_At__c, snapshots): `{Id, field: value, …}` updates */
  stamps?: ReadonlyArray<{ sobject: string; record: Record<string, unknown> }>;
}

export interface PlanContext {
  /** active policies of the record's object */
  policies: readonly SlaPolicy[];
  calendarFor: (policy: SlaPolicy) => ClockCalendar;
  /** SLA_Calendar__c Id for a policy's calendar (null when unknown, e.g. in a dry run) */
  calendarIdFor: (policy: SlaPolicy) => string | null;
  /** the developer names of every active policy (any object) */
  activePolicyNames: ReadonlySet<string>;
  now: number;
  /** Evaluated_At__c of the last successful sync (null on a first sync) */
  lastEvaluatedAt: number | null;
}

/**
 * A timer of a live record that crossed its warning or due time since the last evaluation: Running → At Risk
 * (`warn`), or Running / At Risk → Breached while still open (`due`). What notifications hang off; the sync
 * writes the new status and counts them (summary `crossed`).
 */
/**
 * What a crossing, an escalation or a reassignment keeps of its record: its object, Id and label (for the text of a
 * task or an alert), not the record (its row, history and facts), since a run keeps them past the record's page.
 */
export type RecordRef = Pick<SyncRecord, 'object' | 'id' | 'label'>;

export function recordRef(record: RecordRef): RecordRef {
  return { object: record.object, id: record.id, label: record.label };
}

export interface TimerCrossing {
  record: RecordRef;
  timer: SlaTimer;
  policy: SlaPolicy;
  crossed: 'warn' | 'due';
  /** the status the timer had in the org (null: a new timer) */
  from: TimerStatus | null;
  /** the Warn_At or Due_At it passed */
  at: string;
}

/**
 * A breach to escalate: the timer and what the policy asks for. It names its record rather than holding it: a
 * run keeps its escalations until every timer is saved.
 */
export interface Escalation {
  record: RecordRef;
  timer: SlaTimer;
  policy: SlaPolicy;
  createTask: boolean;
  notifyManager: boolean;
}

export interface RecordPlan {
  record: SyncRecord;
  /** the timers the rules produce now */
  timers: SlaTimer[];
  /** SLA_Timer__c upsert payloads (on Timer_Key__c) of new or changed timers, incl. cancellations */
  timerUpserts: Record<string, unknown>[];
  /** how many of timerUpserts are cancellations of timers the rules no longer produce */
  cancelled: number;
  /** `{Id, field: value, …}` when the record's status field (or a derived field) must change; null otherwise */
  recordUpdate: Record<string, unknown> | null;
  /** updates of the record's feedback or reviews (their submission stamps) */
  childUpdates: ReadonlyArray<{ sobject: string; record: Record<string, unknown> }>;
  escalations: Escalation[];
  /** timers that crossed Warn_At or Due_At since the last evaluation */
  crossings: TimerCrossing[];
  /** the record-level status the rules give (null: no timers) */
  rollup: TimerStatus | null;
}

export function planRecord(record: SyncRecord, ctx: PlanContext): RecordPlan {
  const evaluation = evaluateRecord({
    facts: record.facts,
    policies: ctx.policies,
    calendarFor: ctx.calendarFor,
    now: ctx.now,
    decided: new Map(record.timers.filter((t) => t.Policy__c).map((t) => [t.Timer_Key__c, t.Policy__c as string]))
  });
  const existing = new Map(record.timers.map((t) => [t.Timer_Key__c, t]));
  const policyOf = new Map(ctx.policies.map((p) => [p.developerName, p]));
  const timerUpserts: Record<string, unknown>[] = [];
  const escalations: Escalation[] = [];
  const crossings: TimerCrossing[] = [];
  const ref = recordRef(record);

  // a deleted record gets no new timers (its old ones, deleted with it, are not written back); those it has are Cancelled
  const timers = record.deleted ? evaluation.timers.filter((t) => existing.has(t.key)) : evaluation.timers;
  for (const timer of timers) {
    const policy = policyOf.get(timer.policy) as SlaPolicy;
    const row = existing.get(timer.key);
    const payload: Record<string, unknown> = {
      ...timerRecord(timer),
      Calendar__c: ctx.calendarIdFor(policy),
      Met_Within_SLA__c: metWithinSla(timer.status),
      ...(policy.reassign ? { Reassign_At__c: reassignAt(timer, policy, ctx.calendarFor(policy)) } : {})
    };
    if (record.deleted) {
      // the lookup to a deleted record is cleared by the platform and cannot be set again
      delete payload.Lead__c;
      delete payload.Opportunity__c;
    }
    if (!row || differs(payload, row)) timerUpserts.push(payload);
    const crossing = crossingOf(record, timer, (row?.Status__c as TimerStatus | undefined) ?? null, ctx);
    if (crossing) crossings.push({ record: ref, timer, policy, ...crossing });
    if (timer.breached && row?.Escalated__c !== true && shouldEscalate(record, timer, policy, ctx)) {
      escalations.push({
        record: ref,
        timer,
        policy,
        createTask: policy.createTaskOnBreach && timer.stoppedAt === null,
        notifyManager: policy.notifyManager
      });
    }
  }

  const produced = new Set(timers.map((t) => t.key));
  let cancelled = 0;
  for (const row of record.timers) {
    if (produced.has(row.Timer_Key__c)) continue;
    const update = cancellation(row, ctx, record.deleted);
    if (update) {
      timerUpserts.push(update);
      cancelled++;
    }
  }

  const update: Record<string, unknown> = {};
  const field = evaluation.rollup.field;
  if ((record.rollupValue ?? null) !== evaluation.rollup.status) update[field] = evaluation.rollup.status;
  if (record.object === 'Lead' && record.row) {
    const due = slaDueAt(evaluation.timers);
    if (!sameValue(due, record.row[LEAD_DUE_FIELD])) update[LEAD_DUE_FIELD] = due;
  }
  if (record.derived) {
    for (const [name, value] of Object.entries(record.derived.wanted)) {
      if (!sameValue(value, record.derived.current[name])) update[name] = value ?? null;
    }
  }
  const recordUpdate = !record.deleted && Object.keys(update).length > 0 ? { Id: record.id, ...update } : null;
  return {
    record,
    timers,
    timerUpserts,
    cancelled,
    recordUpdate,
    childUpdates: record.deleted ? [] : (record.stamps ?? []),
    escalations,
    crossings,
    rollup: evaluation.rollup.status
  };
}

/** Lead field the sync stamps with the due time of the lead's most urgent running clock (list views sort on it). */
export const LEAD_DUE_FIELD = 'SLA_Due_At__c';

/**
 * Lead.SLA_Due_At__c: the earliest Due_At of the latest run of each clock that is still counting (not stopped,
 * not paused — a paused clock's Due_At moves when it resumes); null when none is. It changes only when a clock
 * starts, stops, pauses or resumes, never because time passed, so stamping it costs no writes on a quiet sync.
 */
export function slaDueAt(timers: readonly SlaTimer[]): string | null {
  const latest = new Map<string, SlaTimer>();
  for (const t of timers) {
    const seen = latest.get(t.clock);
    if (!seen || t.startedAt > seen.startedAt) latest.set(t.clock, t);
  }
  let due: string | null = null;
  for (const t of latest.values()) {
    if (t.stoppedAt !== null || t.status === 'Paused' || t.status === 'Cancelled') continue;
    if (due === null || Date.parse(t.dueAt) < Date.parse(due)) due = t.dueAt;
  }
  return due;
}

/**
 * Whether an open timer of a live record crossed a threshold: its status moved forward (Running or Paused →
 * At Risk → Breached) from the one in the org, or, for a timer new to the org, the threshold falls after the last
 * evaluation (a first sync: within the last 24 hours, as escalations).
 */
function crossingOf(
  record: SyncRecord,
  timer: SlaTimer,
  from: TimerStatus | null,
  ctx: PlanContext
): { crossed: 'warn' | 'due'; from: TimerStatus | null; at: string } | null {
  if (record.deleted || timer.stoppedAt !== null) return null;
  const horizon = ctx.lastEvaluatedAt ?? ctx.now - FIRST_SYNC_ESCALATION_WINDOW_MS;
  const passed = (at: string | null) => at !== null && (from !== null || Date.parse(at) > horizon);
  if (timer.status === 'Breached' && from !== 'Breached' && passed(timer.dueAt)) {
    return { crossed: 'due', from, at: timer.dueAt };
  }
  if (timer.status === 'At Risk' && (from === null || from === 'Running' || from === 'Paused') && passed(timer.warnAt)) {
    return { crossed: 'warn', from, at: timer.warnAt as string };
  }
  return null;
}

/** How far back a first sync (no Evaluated_At__c yet) escalates breaches. */
export const FIRST_SYNC_ESCALATION_WINDOW_MS = 24 * 3_600_000;

function shouldEscalate(record: SyncRecord, timer: SlaTimer, policy: SlaPolicy, ctx: PlanContext): boolean {
  if (record.deleted || record.converted) return false;
  const open = timer.stoppedAt === null;
  if (!(policy.createTaskOnBreach && open) && !policy.notifyManager) return false;
  const horizon = ctx.lastEvaluatedAt ?? ctx.now - FIRST_SYNC_ESCALATION_WINDOW_MS;
  return Date.parse(timer.dueAt) > horizon;
}

/**
 * The upsert that closes a timer the rules no longer produce, or null when it is to stay as it is. Every
 * timer of a deleted record is Cancelled, whatever its policy.
 */
export function cancellation(
  row: TimerRow,
  ctx: Pick<PlanContext, 'activePolicyNames' | 'now'>,
  recordDeleted = false
): Record<string, unknown> | null {
  if (recordDeleted) {
    if (row.Status__c === 'Cancelled' && row.Stopped_At__c) return null;
    const stoppedAt = row.Stopped_At__c ?? new Date(ctx.now).toISOString();
    return { Timer_Key__c: row.Timer_Key__c, Status__c: 'Cancelled', Stopped_At__c: stoppedAt, Met_Within_SLA__c: null };
  }
  const open = !row.Stopped_At__c;
  const deactivated = !row.Policy__c || !ctx.activePolicyNames.has(row.Policy__c);
  if (!open && (deactivated || row.Status__c === 'Cancelled')) return null;
  const status = open && row.Status__c === 'Breached' && deactivated ? 'Breached' : 'Cancelled';
  const stoppedAt = row.Stopped_At__c ?? new Date(ctx.now).toISOString();
  if (row.Status__c === status && !open) return null;
  return { Timer_Key__c: row.Timer_Key__c, Status__c: status, Stopped_At__c: stoppedAt, Met_Within_SLA__c: metWithinSla(status) };
}

/** Does the payload change anything the row holds? (datetimes by instant, numbers by value, blank = null) */
function differs(payload: Record<string, unknown>, row: TimerRow): boolean {
  const r = row as unknown as Record<string, unknown>;
  return Object.entries(payload).some(([k, v]) => !sameValue(v, r[k]));
}

const DATETIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/;
const SF_ID = /^[a-zA-Z0-9]{15}(?:[a-zA-Z0-9]{3})?$/;

export function sameValue(a: unknown, b: unknown): boolean {
  const blank = (v: unknown) => v === null || v === undefined || v === '';
  if (blank(a) || blank(b)) return blank(a) && blank(b);
  if (typeof a === 'string' && typeof b === 'string' && DATETIME.test(a) && DATETIME.test(b)) {
    try {
      return parseInstant(a, 'a') === parseInstant(b, 'b');
    } catch {
      return a === b;
    }
  }
  if (typeof a === 'number' || typeof b === 'number') return Number(a) === Number(b);
  if (typeof a === 'string' && typeof b === 'string' && a.length !== b.length && SF_ID.test(a) && SF_ID.test(b)) {
    return a.slice(0, 15) === b.slice(0, 15);
  }
  return a === b;
}
