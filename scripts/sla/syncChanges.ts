/**
 * Which leads and opportunities an incremental sync evaluates: those that changed after the watermark, and
 * those whose clocks time alone moves on. A quiet org costs the same whatever time passed: the probes below
 * are independent queries sent together (`changeProbes`, read through OrgData.prefetch: two composite
 * requests), and they find nothing when nothing happened —
 *
 * - records changed after `since` (SystemModstamp), and the children that bring their parent in: history rows
 *   (a status, owner or stage change, by its author — see below), feedback and reviews; Tasks and Events on a
 *   lead, or on the contact, opportunity or account a lead was converted into;
 * - meetings booked earlier that started since the last evaluation (they count from their start);
 * - open timers that crossed Warn_At or Due_At since they were written (Running → At Risk → Breached), open
 *   timers whose reassignment time (Reassign_At__c: Due_At plus the policy's delay) came since the last evaluation, and
 *   timers whose record was deleted for good (one query for both).
 *
 * Not the sync's own writes. The watermark is this machine's clock at the start of the last run, and a run
 * reads from five minutes before it (clock skew; transactions that commit late), so without care each run
 * would read back what the previous one wrote and what it had already read in that overlap:
 * - a change whose author is the user the sync runs as (LastModifiedById; CreatedById for history rows),
 *   stamped no later than the sync state record, is the sync's own: the state is written last, by that user,
 *   so its SystemModstamp (the org's clock) bounds every write of the run that wrote it. The condition is part
 *   of each query, so the org returns none of them. This is exact when the sync runs as its own integration
 *   user, as docs/admin-guide.md#7-schedule-the-sla-sync sets it up: nobody else writes as that user. (A
 *   person who runs the sync as themselves and edits a record while a run is writing it could see that edit
 *   picked up only when the record changes again; status, owner and stage changes are still found through
 *   their history rows, whose author is that person.)
 * - a change the last run already read in the overlap is named in the state (Recent_Changes__c: id and stamp)
 *   and skipped when its stamp is the same.
 */
import { chunked, soql, soqlDateTime, soqlFields } from '../org/data';
import type { OrgData, OrgRecord, Soql } from '../org/data';
import type { SlaObject } from './clock';
import { TIMER_FIELDS } from './syncPlan';
import type { TimerRow } from './syncPlan';

/** Parents per `Id IN (…)` query (keeps the GET URL well under the REST limit). */
export const IDS_PER_QUERY = 200;

export interface ChangeWindow {
  /** read changes stamped after this instant (the watermark less the overlap, or --since) */
  since: number;
  /** the instant the clocks are evaluated at */
  now: number;
  /** meetings that started after this instant and by `now` (the last evaluation) */
  startedAfter: number;
  /** the sync's own writes: by this user, stamped no later than `until` (null: none known) */
  own: { userId: string; until: number } | null;
  /** changes already read: `<id 15>` → stamp (epoch ms, whole seconds) */
  recent: ReadonlyMap<string, number>;
}

export interface ChangedIds {
  Lead: Set<string>;
  Opportunity: Set<string>;
  /** open timers with no record lookup (their record may be deleted for good) */
  orphans: TimerRow[];
  /** every change the probes returned (also those skipped as already read): `<id 15>` → stamp */
  seen: Map<string, number>;
}

interface Probe {
  name: string;
  soql: Soql;
  includeDeleted: boolean;
}

/** A change source of one parent object: the record itself, or a child that names its parent. */
interface ChangeSource {
  object: SlaObject;
  sobject: string;
  /** the parent id field */
  parent: string;
  /** history rows are never modified: their CreatedDate and CreatedById */
  history?: true;
}

const SOURCES: readonly ChangeSource[] = [
  { object: 'Lead', sobject: 'Lead', parent: 'Id' },
  { object: 'Lead', sobject: 'LeadHistory', parent: 'LeadId', history: true },
  { object: 'Lead', sobject: 'Lead_Quality_Feedback__c', parent: 'Lead__c' },
  { object: 'Opportunity', sobject: 'Opportunity', parent: 'Id' },
  { object: 'Opportunity', sobject: 'OpportunityFieldHistory', parent: 'OpportunityId', history: true },
  { object: 'Opportunity', sobject: 'Win_Loss_Review__c', parent: 'Opportunity__c' }
];

/** Who an activity names, as the rules read activities: a lead or contact, or (nobody named) an opportunity or account. */
const ACTIVITY_PARTIES = soql`(Who.Type IN ('Lead', 'Contact') OR (WhoId = null AND What.Type IN ('Opportunity', 'Account')))`;

function changedAfter(w: ChangeWindow, history: boolean): Soql {
  const stamp = history ? soql`CreatedDate` : soql`SystemModstamp`;
  const author = history ? soql`CreatedById` : soql`LastModifiedById`;
  const after = soql`${stamp} > ${soqlDateTime(w.since)}`;
  if (!w.own) return after;
  return soql`${after} AND (${author} != ${w.own.userId} OR ${stamp} > ${soqlDateTime(w.own.until, 'up')})`;
}

/** The queries of an incremental run's change detection, independent of each other (prefetch them together). */
export function changeProbes(w: ChangeWindow): Probe[] {
  const probes: Probe[] = SOURCES.map((src) => {
    const stamp = src.history ? 'CreatedDate' : 'SystemModstamp';
    const notNull = src.parent === 'Id' ? soql`` : soql` AND ${soqlFields([src.parent])} != null`;
    return {
      name: src.sobject,
      soql: soql`SELECT ${soqlFields(['Id', src.parent, stamp])} FROM ${soqlFields([src.sobject])} WHERE ${changedAfter(w, src.history === true)}${notNull}`,
      includeDeleted: true
    };
  });
  probes.push({
    name: 'Task',
    soql: soql`SELECT Id, SystemModstamp, WhoId, Who.Type, WhatId FROM Task WHERE ${changedAfter(w, false)} AND ${ACTIVITY_PARTIES}`,
    includeDeleted: true
  });
  const eventChanges = soql`(${changedAfter(w, false)} AND ${ACTIVITY_PARTIES})`;
  const started =
    w.startedAfter < w.now
      ? soql` OR (StartDateTime > ${soqlDateTime(w.startedAfter)} AND StartDateTime <= ${soqlDateTime(w.now, 'up')} AND Who.Type = 'Lead')`
      : soql``;
  probes.push({
    name: 'Event',
    soql: soql`SELECT Id, SystemModstamp, StartDateTime, IsDeleted, WhoId, Who.Type, WhatId FROM Event WHERE ${eventChanges}${started}`,
    includeDeleted: true
  });
  const t = soqlDateTime(w.now, 'up');
  probes.push({
    name: 'SLA_Timer__c',
    soql: soql`SELECT ${soqlFields(TIMER_FIELDS)} FROM SLA_Timer__c WHERE (Stopped_At__c = null AND ((Status__c = 'Running' AND Warn_At__c < ${t}) OR (Status__c IN ('Running', 'At Risk') AND Due_At__c < ${t}) OR (Reassigned_At__c = null AND Reassign_At__c > ${soqlDateTime(w.startedAfter)} AND Reassign_At__c < ${t}))) OR (Lead__c = null AND Opportunity__c = null AND Status__c != 'Cancelled')`,
    includeDeleted: false
  });
  return probes;
}

const id15 = (id: unknown) => String(id ?? '').slice(0, 15);
const seconds = (iso: unknown) => Math.floor(Date.parse(String(iso)) / 1000) * 1000;

/**
 * The ids of the leads and opportunities to evaluate (see the module comment). Only ids are held (the
 * changed set, not the org). Reads the probes through `data` (answered from a prefetch when there was one).
 */
export async function changedIds(data: OrgData, w: ChangeWindow): Promise<ChangedIds> {
  const out: ChangedIds = { Lead: new Set(), Opportunity: new Set(), orphans: [], seen: new Map() };
  const probes = changeProbes(w);
  /** a change to act on: not one the last run already read with this stamp */
  const fresh = (row: OrgRecord, stamp: unknown): boolean => {
    const key = id15(row.Id);
    const at = seconds(stamp);
    out.seen.set(key, at);
    return w.recent.get(key) !== at;
  };
  const people = new Set<string>();
  const things = new Set<string>();
  for (const probe of probes) {
    for await (const page of data.pages<OrgRecord>(probe.soql, { includeDeleted: probe.includeDeleted })) {
      for (const r of page.records) {
        if (probe.name === 'SLA_Timer__c') {
          const t = r as unknown as TimerRow;
          if (t.Lead__c) out.Lead.add(t.Lead__c);
          else if (t.Opportunity__c) out.Opportunity.add(t.Opportunity__c);
          else out.orphans.push(t);
          continue;
        }
        if (probe.name === 'Task' || probe.name === 'Event') {
          const startedMeeting =
            probe.name === 'Event' &&
            r.IsDeleted !== true &&
            Date.parse(String(r.StartDateTime)) > w.startedAfter &&
            Date.parse(String(r.StartDateTime)) <= w.now &&
            isLead(r);
          const changed = Date.parse(String(r.SystemModstamp)) > w.since && fresh(r, r.SystemModstamp);
          if (startedMeeting && r.WhoId) out.Lead.add(r.WhoId as string);
          if (changed) activityParty(r, out, people, things);
          continue;
        }
        const src = SOURCES.find((s) => s.sobject === probe.name) as ChangeSource;
        const stamp = src.history ? r.CreatedDate : r.SystemModstamp;
        const parent = r[src.parent] as string | null;
        if (parent && fresh(r, stamp)) out[src.object].add(parent);
      }
    }
  }
  await convertedInto(data, people, things, out);
  await leadsOfOpportunities(data, out);
  return out;
}

function isLead(r: OrgRecord): boolean {
  const type = (r.Who as { Type?: string } | null)?.Type;
  return type === 'Lead' || String(r.WhoId ?? '').startsWith('00Q');
}

/** On a lead: its lead; on a contact, or with nobody named on an opportunity or account: the leads converted into it. */
function activityParty(r: OrgRecord, out: ChangedIds, people: Set<string>, things: Set<string>): void {
  const who = r.WhoId as string | null;
  if (who && isLead(r)) out.Lead.add(who);
  else if (who) people.add(who);
  else if (r.WhatId) things.add(r.WhatId as string);
}

/** The leads converted into these contacts, opportunities and accounts (their activities live there now). */
async function convertedInto(data: OrgData, people: Set<string>, things: Set<string>, out: ChangedIds): Promise<void> {
  const lists: Array<[string, string[]]> = [
    ['ConvertedContactId', [...people]],
    ['ConvertedOpportunityId', [...things].filter((id) => id.startsWith('006'))],
    ['ConvertedAccountId', [...things].filter((id) => id.startsWith('001'))]
  ];
  for (const [field, ids] of lists) {
    for (const chunk of chunked(ids, IDS_PER_QUERY)) {
      const query = soql`SELECT Id FROM Lead WHERE IsConverted = true AND ${soqlFields([field])} IN ${chunk}`;
      for await (const page of data.pages<OrgRecord>(query, { includeDeleted: true })) {
        for (const r of page.records) out.Lead.add(r.Id as string);
      }
    }
  }
}

/** The leads converted into changed opportunities (their funnel's Won At follows the opportunity). */
async function leadsOfOpportunities(data: OrgData, out: ChangedIds): Promise<void> {
  for (const chunk of chunked([...out.Opportunity], IDS_PER_QUERY)) {
    for await (const page of data.pages<OrgRecord>(soql`SELECT Id FROM Lead WHERE ConvertedOpportunityId IN ${chunk}`, {
      includeDeleted: true
    })) {
      for (const r of page.records) out.Lead.add(r.Id as string);
    }
  }
}
