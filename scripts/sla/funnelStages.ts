/**
 * Funnel stages of one lead, for the Closed Loop funnel reports (Funnel_Conversion_And_Velocity) and
 * the SLA compliance reports: the Lead fields MQL_At__c … Sales_Owned_Minutes__c and the timer field
 * SLA_Timer__c.Met_Within_SLA__c. Pure and deterministic: no I/O, never reads the clock; imports only
 * the clock-rule types/helpers and (by type) the business calendar.
 *
 * What the SLA sync does with it, per lead it evaluates (the same leads it evaluates for timers, plus
 * the lead converted into an opportunity whose stage changed — Won_At__c depends on that opportunity):
 *
 *   const fields = funnelStages({
 *     facts: leadFacts(src),                     // the ClockFacts the clock rules already get
 *     statuses: funnelStatuses(acceptPolicy),    // MQL = the Accept policy's Start statuses
 *     calendar: calendarFor(acceptPolicy),       // the Accept policy's business hours
 *     opportunity: lead.ConvertedOpportunityId ? { isWon: opp.IsWon, wonAt: opportunityWonAt(...) } : null,
 *     now                                        // the sync's evaluation instant
 *   });
 *   update Lead { Id, ...fields }                // every key of LeadFunnelFields, nulls included
 *
 * and for every timer it upserts: `Met_Within_SLA__c: metWithinSla(timer.status)`.
 *
 * Semantics (docs/reports-and-scorecard.md#funnel-and-sla-fields-the-sync-writes states them for admins):
 *  - MQL At: the last time the lead entered an MQL status (at creation if it was created in one).
 *    The funnel stages after it are those of this latest MQL cycle.
 *  - Accepted At (SAL): the first entry, at or after MQL At, into a SAL status, or an SQL status, or
 *    conversion — a later stage implies the earlier ones.
 *  - SQL At: the first entry, at or after MQL At, into an SQL status, or conversion.
 *  - Converted At: the conversion (the leadConverted history row, else the converted lead's last
 *    modification, as leadFacts reads it). Won At: when the converted opportunity was won.
 *  - Reached SAL/SQL/Opportunity/Won: 1 or 0 for leads with an MQL At (converted/won counted when at or
 *    after MQL At), blank for leads never marketing qualified.
 *  - Days X to Y: calendar days from X to Y, 2 decimals, when both are set (and Y is not before X).
 *  - Marketing / Sales Owned Minutes: business minutes on `calendar` from CreatedDate to the lead's last
 *    status change (or its conversion, or deletion) at or before `now`, split by the status the lead was
 *    in: sales owns MQL, SAL and SQL statuses (handed over), marketing every other status. Time in the
 *    current status is counted once the lead leaves it, so the figures change only when the lead does
 *    (the sync is incremental).
 */
import type { BusinessCalendar } from '../calendar';
import { isoOf, orderEvents, parseInstant } from './clockEvents';
import type { ClockFacts, SlaPolicy, TimerStatus } from './clockTypes';

/** Which Lead Status values mean which funnel stage (the customer's own values). */
export interface FunnelStatuses {
  /** Marketing qualified: the Accept policy's Start_Statuses__c. */
  mql: readonly string[];
  /** Sales accepted (SAL). */
  sal: readonly string[];
  /** Sales qualified (SQL). */
  sql: readonly string[];
}

/** The demo values (config/demo LeadStatus). */
export const DEFAULT_FUNNEL_STATUSES: FunnelStatuses = {
  mql: ['Marketing Qualified'],
  sal: ['Sales Accepted'],
  sql: ['Sales Qualified']
};

/** Funnel statuses for an org: MQL from the Accept policy's Start statuses, SAL/SQL as given (default: the demo values). */
export function funnelStatuses(
  acceptPolicy: Pick<SlaPolicy, 'startStatuses'> | null,
  overrides: Partial<FunnelStatuses> = {}
): FunnelStatuses {
  return {
    mql:
      overrides.mql ?? (acceptPolicy && acceptPolicy.startStatuses.length > 0 ? acceptPolicy.startStatuses : DEFAULT_FUNNEL_STATUSES.mql),
    sal: overrides.sal ?? DEFAULT_FUNNEL_STATUSES.sal,
    sql: overrides.sql ?? DEFAULT_FUNNEL_STATUSES.sql
  };
}

/** The opportunity the lead was converted into. */
export interface ConvertedOpportunity {
  isWon: boolean;
  /** When it was won (see opportunityWonAt); null when not won. */
  wonAt: string | null;
}

export interface FunnelInput {
  /** leadFacts(...) of the lead. */
  facts: ClockFacts;
  statuses: FunnelStatuses;
  /** The Accept policy's business calendar (only `diff` is used). */
  calendar: Pick<BusinessCalendar, 'diff'>;
  opportunity?: ConvertedOpportunity | null;
  /** Events after `now` are ignored. */
  now: string | number | Date;
}

/** Exactly the Lead fields the sync writes (null = blank). */
export interface LeadFunnelFields {
  MQL_At__c: string | null;
  Accepted_At__c: string | null;
  SQL_At__c: string | null;
  Converted_At__c: string | null;
  Won_At__c: string | null;
  Reached_SAL__c: 0 | 1 | null;
  Reached_SQL__c: 0 | 1 | null;
  Reached_Opportunity__c: 0 | 1 | null;
  Reached_Won__c: 0 | 1 | null;
  Days_MQL_To_SAL__c: number | null;
  Days_SAL_To_SQL__c: number | null;
  Days_SQL_To_Opportunity__c: number | null;
  Days_Opportunity_To_Won__c: number | null;
  Marketing_Owned_Minutes__c: number;
  Sales_Owned_Minutes__c: number;
}

export const LEAD_FUNNEL_FIELDS: ReadonlyArray<keyof LeadFunnelFields> = [
  'MQL_At__c',
  'Accepted_At__c',
  'SQL_At__c',
  'Converted_At__c',
  'Won_At__c',
  'Reached_SAL__c',
  'Reached_SQL__c',
  'Reached_Opportunity__c',
  'Reached_Won__c',
  'Days_MQL_To_SAL__c',
  'Days_SAL_To_SQL__c',
  'Days_SQL_To_Opportunity__c',
  'Days_Opportunity_To_Won__c',
  'Marketing_Owned_Minutes__c',
  'Sales_Owned_Minutes__c'
];

const DAY = 86_400_000;
const round2 = (x: number): number => Math.round(x * 100) / 100;

/** The funnel fields of one lead. Throws SlaInputError (from the facts) for unreadable instants. */
export function funnelStages({ facts, statuses, calendar, opportunity, now }: FunnelInput): LeadFunnelFields {
  const at = parseInstant(now, 'now');
  const created = parseInstant(facts.createdAt, `Lead ${facts.id}: CreatedDate`);
  const inList = (list: readonly string[], s: string | null) => s !== null && list.includes(s);
  const isSales = (s: string | null) => inList(statuses.mql, s) || inList(statuses.sal, s) || inList(statuses.sql, s);

  // the status timeline (first entry at creation), conversion and deletion, up to `now`
  const timeline: Array<{ at: number; status: string | null }> = [{ at: created, status: facts.initialStatus }];
  let convertedAt: number | null = null;
  let deletedAt: number | null = null;
  for (const { at: t, event } of orderEvents(facts)) {
    if (t > at || deletedAt !== null) break;
    if (event.type === 'status' && event.value !== timeline[timeline.length - 1].status) timeline.push({ at: t, status: event.value });
    else if (event.type === 'converted' && convertedAt === null) convertedAt = t;
    else if (event.type === 'deleted') deletedAt = t;
  }

  // latest MQL cycle
  let mqlAt: number | null = null;
  for (let i = 0; i < timeline.length; i++) {
    const entered = inList(statuses.mql, timeline[i].status) && (i === 0 || !inList(statuses.mql, timeline[i - 1].status));
    if (entered && (convertedAt === null || timeline[i].at <= convertedAt)) mqlAt = timeline[i].at;
  }
  let salAt: number | null = null;
  let sqlAt: number | null = null;
  if (mqlAt !== null) {
    for (const step of timeline) {
      if (step.at < mqlAt) continue;
      if (convertedAt !== null && step.at > convertedAt) break;
      if (salAt === null && (inList(statuses.sal, step.status) || inList(statuses.sql, step.status))) salAt = step.at;
      if (sqlAt === null && inList(statuses.sql, step.status)) sqlAt = step.at;
    }
    if (convertedAt !== null && convertedAt >= mqlAt) {
      salAt ??= convertedAt;
      sqlAt ??= convertedAt;
    }
  }
  const wonAtMs =
    convertedAt !== null && opportunity?.isWon && opportunity.wonAt
      ? Math.max(parseInstant(opportunity.wonAt, `Lead ${facts.id}: converted opportunity won at`), convertedAt)
      : null;
  const inCycle = (t: number | null) => t !== null && mqlAt !== null && t >= mqlAt;
  const reached = (t: number | null): 0 | 1 | null => (mqlAt === null ? null : inCycle(t) ? 1 : 0);
  const days = (from: number | null, to: number | null) => (from !== null && to !== null && to >= from ? round2((to - from) / DAY) : null);

  // owned time: completed status stretches up to the last status change, conversion or deletion
  const end = convertedAt ?? deletedAt ?? timeline[timeline.length - 1].at;
  let marketing = 0;
  let sales = 0;
  for (let i = 0; i < timeline.length; i++) {
    const from = timeline[i].at;
    const to = Math.min(i + 1 < timeline.length ? timeline[i + 1].at : end, end);
    if (to <= from) continue;
    const minutes = calendar.diff(from, to);
    if (isSales(timeline[i].status)) sales += minutes;
    else marketing += minutes;
  }

  const iso = (t: number | null) => (t === null ? null : isoOf(t));
  const converted = inCycle(convertedAt) ? convertedAt : null;
  return {
    MQL_At__c: iso(mqlAt),
    Accepted_At__c: iso(salAt),
    SQL_At__c: iso(sqlAt),
    Converted_At__c: iso(convertedAt),
    Won_At__c: iso(wonAtMs),
    Reached_SAL__c: reached(salAt),
    Reached_SQL__c: reached(sqlAt),
    Reached_Opportunity__c: reached(convertedAt),
    Reached_Won__c: reached(converted !== null ? wonAtMs : null),
    Days_MQL_To_SAL__c: days(mqlAt, salAt),
    Days_SAL_To_SQL__c: days(salAt, sqlAt),
    Days_SQL_To_Opportunity__c: days(sqlAt, converted),
    Days_Opportunity_To_Won__c: days(convertedAt, wonAtMs),
    Marketing_Owned_Minutes__c: round2(marketing),
    Sales_Owned_Minutes__c: round2(sales)
  };
}

/**
 * When an opportunity was won: the last entry into a won stage (OpportunityFieldHistory StageName
 * rows, any order), else its CloseDate (midnight UTC); null unless it is won now.
 */
export function opportunityWonAt(opp: {
  isWon: boolean;
  closeDate?: string | null;
  stageHistory?: ReadonlyArray<{ at: string; stage: string | null }>;
  wonStages: readonly string[];
}): string | null {
  if (!opp.isWon) return null;
  let best: number | null = null;
  for (const h of opp.stageHistory ?? []) {
    if (h.stage === null || !opp.wonStages.includes(h.stage)) continue;
    const t = parseInstant(h.at, 'OpportunityFieldHistory.CreatedDate');
    if (best === null || t > best) best = t;
  }
  if (best !== null) return isoOf(best);
  return opp.closeDate ? isoOf(parseInstant(`${opp.closeDate.slice(0, 10)}T00:00:00Z`, 'Opportunity.CloseDate')) : null;
}

/** SLA_Timer__c.Met_Within_SLA__c: 1 = Met, 0 = Breached, null otherwise (running, at risk, paused, cancelled). */
export function metWithinSla(status: TimerStatus): 1 | 0 | null {
  return status === 'Met' ? 1 : status === 'Breached' ? 0 : null;
}
