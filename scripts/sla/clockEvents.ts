/**
 * Event normalisation: the org's own rows (Lead / Opportunity, LeadHistory / OpportunityFieldHistory,
 * Task, Event, Lead_Quality_Feedback__c, Win_Loss_Review__c) → ClockFacts, and the canonical order
 * in which the clock rules read events. Pure: no I/O, no clock.
 */
import { readInstant, writeInstant } from '../calendar/instant';
import { DEFAULT_BACKDATE_GRACE_MINUTES } from './clockPolicy';
import { SlaInputError } from './clockTypes';
import type { ClockEvent, ClockEventType, ClockFacts } from './clockTypes';

// ---------------------------------------------------------------------------------------------
// Instants and ids

/**
 * Milliseconds since the epoch of an ISO 8601 instant with an explicit offset: `Z`, `+00:00` or
 * Salesforce's `+0000` (the calendar's one strict parser, readInstant). Numbers (epoch ms) and Dates pass
 * through. Anything else throws SlaInputError with `what` (e.g. "Lead 00Q…: LeadHistory.CreatedDate") and
 * the reason in the message.
 */
export function parseInstant(value: string | number | Date, what: string): number {
  let reason: string | undefined;
  if (typeof value === 'number') {
    if (Number.isFinite(value)) return value;
  } else if (value instanceof Date) {
    if (Number.isFinite(value.getTime())) return value.getTime();
  } else if (typeof value === 'string') {
    const read = readInstant(value.trim());
    if (read.ok) return read.ms;
    reason = read.reason;
  }
  throw new SlaInputError(`${what}: ${JSON.stringify(value)} is not an ISO 8601 date-time with an offset${reason ? ` (${reason})` : ''}`);
}

/** UTC ISO with milliseconds, the format of every instant the rules return. */
export function isoOf(ms: number): string {
  return writeInstant(ms);
}

const ID = /^[a-zA-Z0-9]{15}(?:[a-zA-Z0-9]{3})?$/;

/** A User id (key prefix 005). Queue (Group, 00G) and anything else is not a user. */
export function isUserId(id: string | null | undefined): id is string {
  return typeof id === 'string' && ID.test(id) && id.startsWith('005');
}

/** A Queue id (Group, key prefix 00G). */
export function isQueueId(id: string | null | undefined): id is string {
  return typeof id === 'string' && ID.test(id) && id.startsWith('00G');
}

/** Same record, whether either side is the 15- or the 18-character form. */
export function sameId(a: string | null | undefined, b: string | null | undefined): boolean {
  return typeof a === 'string' && typeof b === 'string' && a.slice(0, 15) === b.slice(0, 15);
}

// ---------------------------------------------------------------------------------------------
// Canonical order

/**
 * Events at the same instant are read in this order: status changes first (so a stop and a
 * reassignment in one save are a stop, not a restart), then submissions, activities, conversion,
 * owner changes, deletion. The clock starts, if it does, after all events of the instant.
 */
const RANK: Readonly<Record<ClockEventType, number>> = {
  status: 0,
  feedback: 1,
  review: 1,
  activity: 2,
  converted: 3,
  owner: 4,
  deleted: 5
};

function tieKey(e: ClockEvent): string {
  switch (e.type) {
    case 'status':
      return `${e.seq ?? ''}\u0000${e.value}`;
    case 'owner':
      return `${e.seq ?? ''}\u0000${e.ownerId}`;
    case 'activity':
    case 'feedback':
    case 'review':
      return e.id;
    default:
      return '';
  }
}

/** An event with its instant parsed. */
export interface TimedEvent {
  at: number;
  event: ClockEvent;
}

/**
 * The instant an event counts at. Every instant the rules use is one the platform stamped, except a
 * user-dated activity (an Event's StartDateTime): it counts at its own time only when that lies at most
 * `graceMinutes` before the activity's CreatedDate, otherwise at its CreatedDate — so a meeting logged
 * days later, dated back to before the due time, cannot turn a breach into Met.
 */
export function trustedInstant(event: ClockEvent, graceMinutes: number, what: string): number {
  const at = parseInstant(event.at, `${what}: ${event.type} event`);
  if (event.type !== 'activity' || event.createdAt === undefined) return at;
  const created = parseInstant(event.createdAt, `${what}: ${event.activity} ${event.id} CreatedDate`);
  return at >= created - graceMinutes * 60_000 ? at : created;
}

/**
 * Events of the facts in canonical order: by (trusted) instant, then RANK, then `seq`/id, then value — a
 * total order, so the input order never matters. Instants before CreatedDate count as at CreatedDate.
 * `graceMinutes` is the policy's Backdate_Grace_Minutes__c (see trustedInstant).
 */
export function orderEvents(facts: ClockFacts, graceMinutes: number = DEFAULT_BACKDATE_GRACE_MINUTES): TimedEvent[] {
  // every clock of a record (and every scenario of a what-if) orders the same facts: once per grace, while the
  // facts' events are the same list of the same length
  const known = ordered.get(facts);
  if (known && known.events === facts.events && known.length === facts.events.length) {
    const hit = known.byGrace.get(graceMinutes);
    if (hit) return hit;
  }
  const result = orderAnew(facts, graceMinutes);
  const entry =
    known && known.events === facts.events && known.length === facts.events.length
      ? known
      : { events: facts.events, length: facts.events.length, byGrace: new Map<number, TimedEvent[]>() };
  entry.byGrace.set(graceMinutes, result);
  ordered.set(facts, entry);
  return result;
}

const ordered = new WeakMap<ClockFacts, { events: ClockFacts['events']; length: number; byGrace: Map<number, TimedEvent[]> }>();

function orderAnew(facts: ClockFacts, graceMinutes: number): TimedEvent[] {
  const created = parseInstant(facts.createdAt, `${facts.object} ${facts.id}: CreatedDate`);
  const what = `${facts.object} ${facts.id}`;
  const timed = facts.events.map((event) => ({
    at: Math.max(created, trustedInstant(event, graceMinutes, what)),
    event,
    tie: tieKey(event)
  }));
  timed.sort((a, b) => a.at - b.at || RANK[a.event.type] - RANK[b.event.type] || (a.tie < b.tie ? -1 : a.tie > b.tie ? 1 : 0));
  return timed.map(({ at, event }) => ({ at, event }));
}

// ---------------------------------------------------------------------------------------------
// Org rows → facts

/** LeadHistory / OpportunityFieldHistory row. */
export interface HistoryRow {
  Id?: string;
  Field: string;
  OldValue: unknown;
  NewValue: unknown;
  CreatedDate: string;
}

/**
 * Task on the record (WhoId = lead), or re-parented from it by its conversion. Counts when IsClosed, at
 * CompletedDateTime (stamped by the platform when the task is closed; else LastModifiedDate), never at its
 * ActivityDate, which the user types.
 */
export interface TaskRow {
  Id: string;
  OwnerId: string;
  IsClosed: boolean;
  CompletedDateTime?: string | null;
  LastModifiedDate?: string | null;
}

/**
 * Event on the record (WhoId = lead), or re-parented from it by its conversion. Counts once it has started,
 * at StartDateTime (else ActivityDateTime) when that is within the policy's backdate grace before its
 * CreatedDate, otherwise at its CreatedDate (see trustedInstant).
 */
export interface EventRow {
  Id: string;
  OwnerId: string;
  CreatedDate: string;
  StartDateTime?: string | null;
  ActivityDateTime?: string | null;
}

/**
 * Lead_Quality_Feedback__c / Win_Loss_Review__c: submitted at its CreatedDate, which the platform stamps
 * (Submitted_At__c is a copy the sync writes for reports; the clocks never read it).
 */
export interface SubmissionRow {
  Id: string;
  CreatedDate: string;
}

export interface LeadRow {
  Id: string;
  CreatedDate: string;
  Status: string | null;
  OwnerId: string | null;
  IsConverted?: boolean | null;
  IsDeleted?: boolean | null;
  LastModifiedDate?: string | null;
  SystemModstamp?: string | null;
}

export interface OpportunityRow {
  Id: string;
  CreatedDate: string;
  StageName: string | null;
  OwnerId: string | null;
  IsClosed?: boolean | null;
  IsDeleted?: boolean | null;
  LastModifiedDate?: string | null;
  SystemModstamp?: string | null;
}

export interface LeadSource {
  lead: LeadRow;
  /** LeadHistory rows of the lead (Status, Owner, leadConverted; others are ignored), any order */
  history?: readonly HistoryRow[];
  /**
   * The lead's activities: those on it, and for a converted lead those the conversion moved to its contact
   * (WhoId = ConvertedContactId) or to its opportunity or account (WhatId, with no other person as WhoId).
   * Activities after the conversion change nothing: the conversion ends the lead's clocks.
   */
  tasks?: readonly TaskRow[];
  events?: readonly EventRow[];
  feedback?: readonly SubmissionRow[];
}

export interface OpportunitySource {
  opportunity: OpportunityRow;
  /** OpportunityFieldHistory rows (StageName, Owner if tracked; others are ignored), any order */
  history?: readonly HistoryRow[];
  reviews?: readonly SubmissionRow[];
  /** StageName values whose OpportunityStage.IsClosed is true */
  closedStages?: readonly string[];
}

const OWNER_FIELDS = new Set(['Owner', 'OwnerId']);
const ownerIdValue = (v: unknown): string | null => (typeof v === 'string' && (isUserId(v) || isQueueId(v)) ? v : null);
const textValue = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);

interface FieldHistory {
  initialStatus: string | null;
  initialOwnerId: string | null;
  events: ClockEvent[];
  convertedAt: string | null;
}

function readHistory(
  rows: readonly HistoryRow[],
  statusField: string,
  current: { status: string | null; ownerId: string | null },
  what: string
): FieldHistory {
  const sorted = rows
    .map((r) => ({ r, at: parseInstant(r.CreatedDate, `${what}: ${r.Field} history row${r.Id ? ` ${r.Id}` : ''} CreatedDate`) }))
    .sort((a, b) => a.at - b.at || ((a.r.Id ?? '') < (b.r.Id ?? '') ? -1 : (a.r.Id ?? '') > (b.r.Id ?? '') ? 1 : 0));
  const events: ClockEvent[] = [];
  let initialStatus: string | null | undefined;
  let initialOwnerId: string | null | undefined;
  let convertedAt: string | null = null;
  for (const { r } of sorted) {
    if (r.Field === statusField) {
      const value = textValue(r.NewValue);
      if (value === null) continue;
      if (initialStatus === undefined) initialStatus = textValue(r.OldValue);
      events.push({ type: 'status', at: r.CreatedDate, value, ...(r.Id ? { seq: r.Id } : {}) });
    } else if (OWNER_FIELDS.has(r.Field)) {
      // owner changes are recorded twice: once with ids, once with names; the id rows are the facts
      const ownerId = ownerIdValue(r.NewValue);
      if (ownerId === null) continue;
      if (initialOwnerId === undefined) initialOwnerId = ownerIdValue(r.OldValue);
      events.push({ type: 'owner', at: r.CreatedDate, ownerId, ...(r.Id ? { seq: r.Id } : {}) });
    } else if (r.Field === 'leadConverted' && convertedAt === null) {
      convertedAt = r.CreatedDate;
    }
  }
  return {
    initialStatus: initialStatus === undefined ? current.status : initialStatus,
    initialOwnerId: initialOwnerId === undefined ? current.ownerId : initialOwnerId,
    events,
    convertedAt
  };
}

function deletedEvent(row: LeadRow | OpportunityRow, what: string): ClockEvent[] {
  if (row.IsDeleted !== true) return [];
  const at = row.SystemModstamp ?? row.LastModifiedDate;
  if (!at) throw new SlaInputError(`${what}: IsDeleted is true but SystemModstamp and LastModifiedDate are blank`);
  return [{ type: 'deleted', at }];
}

/**
 * A lead's facts from its rows. Initial Status/Owner = the OldValue of the first history row of
 * that field (the current value when there is none). Conversion time = the `leadConverted`
 * history row, else the history row that set its (converted) status, else LastModifiedDate (the
 * sync edits converted leads, so that is the last resort). Deletion time (IsDeleted, from queryAll)
 * = SystemModstamp, else LastModifiedDate. An activity listed twice counts once.
 */
export function leadFacts(src: LeadSource): ClockFacts {
  const { lead } = src;
  const what = `Lead ${lead.Id}`;
  const h = readHistory(src.history ?? [], 'Status', { status: lead.Status, ownerId: lead.OwnerId }, what);
  const events: ClockEvent[] = [...h.events];
  const seen = new Set<string>();
  const first = (id: string) => !seen.has(id) && Boolean(seen.add(id));
  for (const t of src.tasks ?? []) {
    if (t.IsClosed !== true || !first(t.Id)) continue;
    const at = t.CompletedDateTime ?? t.LastModifiedDate;
    if (!at) throw new SlaInputError(`${what}: Task ${t.Id} is closed but CompletedDateTime and LastModifiedDate are blank`);
    events.push({ type: 'activity', at, ownerId: t.OwnerId, activity: 'Task', id: t.Id });
  }
  for (const e of src.events ?? []) {
    if (!first(e.Id)) continue;
    const at = e.StartDateTime ?? e.ActivityDateTime;
    if (!at) throw new SlaInputError(`${what}: Event ${e.Id} has no StartDateTime or ActivityDateTime`);
    if (!e.CreatedDate) throw new SlaInputError(`${what}: Event ${e.Id} has no CreatedDate`);
    events.push({ type: 'activity', at, ownerId: e.OwnerId, activity: 'Event', id: e.Id, createdAt: e.CreatedDate });
  }
  for (const f of src.feedback ?? []) events.push({ type: 'feedback', at: f.CreatedDate, id: f.Id });
  if (lead.IsConverted === true) {
    const lastStatus = h.events.filter((e) => e.type === 'status').pop();
    const statusAt = lastStatus?.type === 'status' && lastStatus.value === lead.Status ? lastStatus.at : null;
    const at = h.convertedAt ?? statusAt ?? lead.LastModifiedDate;
    if (!at) throw new SlaInputError(`${what}: IsConverted is true but there is no leadConverted history row or LastModifiedDate`);
    events.push({ type: 'converted', at });
  }
  events.push(...deletedEvent(lead, what));
  return {
    object: 'Lead',
    id: lead.Id,
    createdAt: lead.CreatedDate,
    initialStatus: h.initialStatus,
    initialOwnerId: h.initialOwnerId,
    events
  };
}

/**
 * An opportunity's facts from its rows (StageName history; Owner history if tracked). A stage is
 * closed if it is in `closedStages`, or it is the current stage and IsClosed is true.
 */
export function opportunityFacts(src: OpportunitySource): ClockFacts {
  const { opportunity: opp } = src;
  const what = `Opportunity ${opp.Id}`;
  const h = readHistory(src.history ?? [], 'StageName', { status: opp.StageName, ownerId: opp.OwnerId }, what);
  const events: ClockEvent[] = [...h.events];
  for (const r of src.reviews ?? []) events.push({ type: 'review', at: r.CreatedDate, id: r.Id });
  events.push(...deletedEvent(opp, what));
  const closedStages = [...(src.closedStages ?? [])];
  if (opp.IsClosed === true && opp.StageName && !closedStages.includes(opp.StageName)) closedStages.push(opp.StageName);
  return {
    object: 'Opportunity',
    id: opp.Id,
    createdAt: opp.CreatedDate,
    initialStatus: h.initialStatus,
    initialOwnerId: h.initialOwnerId,
    events,
    closedStages
  };
}
