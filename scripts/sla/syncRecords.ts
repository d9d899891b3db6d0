/**
 * The leads and opportunities a sync reads, in the shape the clock rules take: one SOQL query per page
 * of parents with child subqueries for their history, activities, feedback/reviews and SLA timers (so a
 * page of 2,000 leads costs one request, not five), always through queryAll (deleted records, and
 * activities archived after a year, are facts too).
 *
 * A converted lead's activities were moved by the conversion to its contact (WhoId) and its opportunity or
 * account (WhatId): they are read from there (one query per page of converted leads), so a rep's touch before
 * the conversion still counts.
 *
 * Which records: every lead and opportunity (a full sync), or those that changed after a watermark: the
 * record itself (SystemModstamp), a history row, a Task or Event on a lead — or on the contact, opportunity
 * or account a lead was converted into —, a feedback or review (a child change brings its parent in), and
 * records with an open timer that has crossed its Warn_At or Due_At since it was written, and leads with a
 * meeting that started since the last run (time alone changes those).
 */
import { leadFacts, opportunityFacts } from './clock';
import { submissionStamp } from './clockLead';
import type { SubmissionRecord } from './clockLead';
import { LEAD_FUNNEL_FIELDS, opportunityWonAt } from './funnelStages';
import type { ConvertedOpportunity } from './funnelStages';
import type { HistoryRow, LeadRow, OpportunityRow, SlaObject, TaskRow, EventRow } from './clock';
import { children, chunked, soqlList, soqlString } from './orgData';
import type { OrgData, OrgRecord } from './orgData';
import { TIMER_FIELDS } from './syncPlan';
import type { SyncRecord, TimerRow } from './syncPlan';

/** Parents per `Id IN (…)` query (keeps the GET URL well under the REST limit). */
export const IDS_PER_QUERY = 200;

/** The status field the sync writes on each object. */
const ROLLUP: Record<SlaObject, string> = { Lead: 'SLA_Status__c', Opportunity: 'Win_Loss_Review_Status__c' };

/** Lead fields the sync keeps from the org's own records (clockLead.ts). */
const LEAD_KEPT_FIELDS = ['Quality_Rating__c', 'Recycle_Count__c'];

const TASK_FIELDS = 'Id, OwnerId, IsClosed, CompletedDateTime, LastModifiedDate, IsDeleted';
const EVENT_FIELDS = 'Id, OwnerId, CreatedDate, StartDateTime, ActivityDateTime, IsDeleted';

/** History fields the rules read (owner changes are recorded as `Owner`). */
const LEAD_HISTORY_FIELDS = ['Status', 'Owner', 'leadConverted'];
const OPPORTUNITY_HISTORY_FIELDS = ['StageName', 'Owner'];

function leadSoql(where: string): string {
  const fields = [
    'Id',
    'Name',
    'Company',
    'CreatedDate',
    'Status',
    'OwnerId',
    'LeadSource',
    'IsConverted',
    'ConvertedDate',
    'IsDeleted',
    'LastModifiedDate',
    'SystemModstamp',
    'ConvertedContactId',
    'ConvertedAccountId',
    'ConvertedOpportunityId',
    'ConvertedOpportunity.IsWon',
    'ConvertedOpportunity.CloseDate',
    ROLLUP.Lead,
    ...LEAD_FUNNEL_FIELDS,
    ...LEAD_KEPT_FIELDS
  ];
  return (
    `SELECT ${[...new Set(fields)].join(', ')}, ` +
    `(SELECT Id, Field, OldValue, NewValue, CreatedDate, IsDeleted FROM Histories WHERE Field IN ${soqlList(LEAD_HISTORY_FIELDS)}), ` +
    `(SELECT ${TASK_FIELDS} FROM Tasks WHERE IsClosed = true), ` +
    `(SELECT ${EVENT_FIELDS} FROM Events), ` +
    '(SELECT Id, CreatedDate, Submitted_At__c, Rating__c, Lead_Source__c, Campaign__c, IsDeleted FROM Lead_Quality_Feedback__r), ' +
    `(SELECT ${TIMER_FIELDS.join(', ')}, IsDeleted FROM SLA_Timers__r) ` +
    `FROM Lead${where}`
  );
}

function opportunitySoql(where: string): string {
  return (
    `SELECT Id, Name, CreatedDate, StageName, OwnerId, IsClosed, IsDeleted, LastModifiedDate, SystemModstamp, ${ROLLUP.Opportunity}, ` +
    `(SELECT Id, Field, OldValue, NewValue, CreatedDate, IsDeleted FROM Histories WHERE Field IN ${soqlList(OPPORTUNITY_HISTORY_FIELDS)}), ` +
    '(SELECT Id, CreatedDate, Submitted_At__c, IsDeleted FROM Win_Loss_Reviews__r), ' +
    `(SELECT ${TIMER_FIELDS.join(', ')}, IsDeleted FROM SLA_Timers__r) ` +
    `FROM Opportunity${where}`
  );
}

/** A page of records, ready for the rules, and the query's total size. */
export interface RecordPage {
  records: SyncRecord[];
  totalSize: number;
}

interface Reparented {
  tasks: TaskRow[];
  events: EventRow[];
}

interface Membership {
  Id: string;
  CampaignId: string;
  CreatedDate: string;
}

export class RecordReader {
  constructor(
    private readonly data: OrgData,
    private readonly stages: { closed: readonly string[]; won: readonly string[] },
    private readonly options: { maxGraceMinutes: number } = { maxGraceMinutes: 60 }
  ) {}

  /** Every record of the object (incl. deleted ones still in the recycle bin), a page at a time. */
  async *all(object: SlaObject): AsyncGenerator<RecordPage> {
    const soql = object === 'Lead' ? leadSoql('') : opportunitySoql('');
    for await (const page of this.data.pages<OrgRecord>(soql)) {
      yield { records: await this.toRecords(object, page.records), totalSize: page.totalSize };
    }
  }

  /** The given records (200 ids a query). */
  async *byIds(object: SlaObject, ids: readonly string[]): AsyncGenerator<RecordPage> {
    for (const chunk of chunked(ids, IDS_PER_QUERY)) {
      const where = ` WHERE Id IN ${soqlList(chunk)}`;
      const soql = object === 'Lead' ? leadSoql(where) : opportunitySoql(where);
      for await (const page of this.data.pages<OrgRecord>(soql)) {
        yield { records: await this.toRecords(object, page.records), totalSize: ids.length };
      }
    }
  }

  private async toRecords(object: SlaObject, rows: OrgRecord[]): Promise<SyncRecord[]> {
    const orphans = await this.timersOfDeleted(rows.filter((r) => r.IsDeleted === true).map((r) => r.Id as string));
    const won = object === 'Lead' ? await this.wonAt(rows) : new Map<string, string | null>();
    const moved = object === 'Lead' ? await this.convertedActivities(rows) : new Map<string, Reparented>();
    const memberships = object === 'Lead' ? await this.membershipsOfUnstamped(rows) : new Map<string, Membership[]>();
    return rows.map((row) => {
      const id = row.Id as string;
      const deleted = row.IsDeleted === true;
      // children of a live record that were deleted on their own are not facts any more
      const live = <T>(rel: string): T[] => children<OrgRecord>(row, rel).filter((c) => deleted || c.IsDeleted !== true) as unknown as T[];
      // a timer deleted by hand is gone: the upsert creates it again
      const timers: TimerRow[] = [
        ...children<TimerRow & OrgRecord>(row, 'SLA_Timers__r').filter((t) => t.IsDeleted !== true),
        ...(orphans.get(id) ?? [])
      ];
      if (object === 'Lead') {
        const history = live<HistoryRow>('Histories');
        const feedback = live<SubmissionRecord & { Rating__c: number | null }>('Lead_Quality_Feedback__r');
        const facts = leadFacts({
          lead: row as unknown as LeadRow,
          history,
          tasks: [...live<TaskRow>('Tasks'), ...(moved.get(id)?.tasks ?? [])],
          events: [...live<EventRow>('Events'), ...(moved.get(id)?.events ?? [])],
          feedback
        });
        const name = String(row.Name ?? id);
        const leadSource = (row.LeadSource as string | null) ?? null;
        const stamps = deleted
          ? []
          : feedback.flatMap((f) => {
              const stamp = submissionStamp(f, { leadSource, memberships: memberships.get(id) ?? [] });
              return stamp ? [{ sobject: 'Lead_Quality_Feedback__c', record: stamp }] : [];
            });
        return {
          object,
          id,
          label: row.Company ? `${name} (${String(row.Company)})` : name,
          deleted,
          converted: row.IsConverted === true,
          facts,
          rollupValue: (row[ROLLUP.Lead] as string | null) ?? null,
          timers,
          row,
          history,
          feedback,
          stamps,
          convertedOpportunity: convertedOpportunity(row, won)
        };
      }
      const reviews = live<SubmissionRecord>('Win_Loss_Reviews__r');
      const facts = opportunityFacts({
        opportunity: row as unknown as OpportunityRow,
        history: live<HistoryRow>('Histories'),
        reviews,
        closedStages: this.stages.closed
      });
      const stamps = deleted
        ? []
        : reviews.flatMap((r) => {
            const stamp = submissionStamp(r);
            return stamp ? [{ sobject: 'Win_Loss_Review__c', record: stamp }] : [];
          });
      return {
        object,
        id,
        label: String(row.Name ?? id),
        deleted,
        converted: false,
        facts,
        rollupValue: (row[ROLLUP.Opportunity] as string | null) ?? null,
        timers,
        row,
        stamps
      };
    });
  }

  /**
   * The activities the conversion of these leads moved to their contact (WhoId) or to their opportunity or
   * account (WhatId, with no WhoId: an activity naming another person is that person's), created before the
   * conversion could have ended the lead's clocks (its ConvertedDate plus a day for time zones, plus the
   * backdate grace). Archived and deleted rows are left out, as for the lead's own activities.
   */
  private async convertedActivities(rows: OrgRecord[]): Promise<Map<string, Reparented>> {
    const out = new Map<string, Reparented>();
    const converted = rows.filter(
      (r) => r.IsConverted === true && r.IsDeleted !== true && (r.ConvertedContactId || r.ConvertedOpportunityId)
    );
    for (const chunk of chunked(converted, IDS_PER_QUERY / 2)) {
      const leadsOf = new Map<string, string[]>();
      const link = (key: unknown, leadId: string) => {
        if (typeof key !== 'string' || key === '') return;
        const k = key.slice(0, 15);
        leadsOf.set(k, [...new Set([...(leadsOf.get(k) ?? []), leadId])]);
      };
      const whos: string[] = [];
      const whats: string[] = [];
      let latest = 0;
      for (const r of chunk) {
        const id = r.Id as string;
        if (r.ConvertedContactId) whos.push(r.ConvertedContactId as string);
        for (const w of [r.ConvertedOpportunityId, r.ConvertedAccountId]) if (w) whats.push(w as string);
        link(r.ConvertedContactId, id);
        link(r.ConvertedOpportunityId, id);
        link(r.ConvertedAccountId, id);
        const day = Date.parse(`${String(r.ConvertedDate ?? r.SystemModstamp).slice(0, 10)}T00:00:00Z`);
        if (Number.isFinite(day)) latest = Math.max(latest, day);
      }
      const before = soqlDateTime(latest + 2 * 86_400_000 + this.options.maxGraceMinutes * 60_000, 'up');
      const who = whos.length > 0 ? `WhoId IN ${soqlList(whos)}` : null;
      const what = whats.length > 0 ? `(WhoId = null AND WhatId IN ${soqlList(whats)})` : null;
      const where = `(${[who, what].filter(Boolean).join(' OR ')}) AND CreatedDate < ${before}`;
      for (const [sobject, fields, extra] of [
        ['Task', TASK_FIELDS, ' AND IsClosed = true'],
        ['Event', EVENT_FIELDS, '']
      ] as const) {
        const soql = `SELECT ${fields}, WhoId, WhatId FROM ${sobject} WHERE ${where}${extra}`;
        for await (const page of this.data.pages<OrgRecord>(soql)) {
          for (const a of page.records) {
            if (a.IsDeleted === true) continue;
            const owners = new Set([...(leadsOf.get(String(a.WhoId ?? '').slice(0, 15)) ?? [])]);
            if (!a.WhoId) for (const l of leadsOf.get(String(a.WhatId ?? '').slice(0, 15)) ?? []) owners.add(l);
            for (const leadId of owners) {
              const entry = out.get(leadId) ?? { tasks: [], events: [] };
              if (sobject === 'Task') entry.tasks.push(a as unknown as TaskRow);
              else entry.events.push(a as unknown as EventRow);
              out.set(leadId, entry);
            }
          }
        }
      }
    }
    return out;
  }

  /** Campaign memberships of the leads that have feedback still to stamp (its campaign snapshot). */
  private async membershipsOfUnstamped(rows: OrgRecord[]): Promise<Map<string, Membership[]>> {
    const out = new Map<string, Membership[]>();
    const ids = rows
      .filter(
        (r) =>
          r.IsDeleted !== true && children<OrgRecord>(r, 'Lead_Quality_Feedback__r').some((f) => f.IsDeleted !== true && !f.Submitted_At__c)
      )
      .map((r) => r.Id as string);
    for (const chunk of chunked(ids, IDS_PER_QUERY)) {
      const soql = `SELECT Id, LeadId, CampaignId, CreatedDate FROM CampaignMember WHERE LeadId IN ${soqlList(chunk)}`;
      for await (const page of this.data.pages<OrgRecord>(soql, { includeDeleted: false })) {
        for (const m of page.records) {
          const id = m.LeadId as string;
          out.set(id, [...(out.get(id) ?? []), m as unknown as Membership]);
        }
      }
    }
    return out;
  }

  /** When the won opportunities these leads were converted into were won (their StageName history, else CloseDate). */
  private async wonAt(rows: OrgRecord[]): Promise<Map<string, string | null>> {
    const out = new Map<string, string | null>();
    const wonOpps = rows.filter((r) => r.ConvertedOpportunityId && parent(r, 'ConvertedOpportunity')?.IsWon === true);
    const history = new Map<string, Array<{ at: string; stage: string | null }>>();
    for (const chunk of chunked([...new Set(wonOpps.map((r) => r.ConvertedOpportunityId as string))], IDS_PER_QUERY)) {
      const soql = `SELECT OpportunityId, NewValue, CreatedDate FROM OpportunityFieldHistory WHERE Field = 'StageName' AND OpportunityId IN ${soqlList(chunk)}`;
      for await (const page of this.data.pages<OrgRecord>(soql, { includeDeleted: false })) {
        for (const h of page.records) {
          const id = h.OpportunityId as string;
          history.set(id, [...(history.get(id) ?? []), { at: h.CreatedDate as string, stage: (h.NewValue as string | null) ?? null }]);
        }
      }
    }
    for (const r of wonOpps) {
      const id = r.ConvertedOpportunityId as string;
      out.set(
        id,
        opportunityWonAt({
          isWon: true,
          closeDate: (parent(r, 'ConvertedOpportunity')?.CloseDate as string | null) ?? null,
          stageHistory: history.get(id) ?? [],
          wonStages: this.stages.won
        })
      );
    }
    return out;
  }

  /** Timers of deleted records: their Lead__c/Opportunity__c was cleared on delete, so they are found by key. */
  private async timersOfDeleted(ids: string[]): Promise<Map<string, TimerRow[]>> {
    const out = new Map<string, TimerRow[]>();
    for (const chunk of chunked(ids, 50)) {
      const where = chunk.map((id) => `Timer_Key__c LIKE ${soqlString(`${id}:%`)}`).join(' OR ');
      for await (const page of this.data.pages<TimerRow & OrgRecord>(`SELECT ${TIMER_FIELDS.join(', ')} FROM SLA_Timer__c WHERE ${where}`, {
        includeDeleted: false
      })) {
        for (const t of page.records) {
          const id = t.Timer_Key__c.slice(0, t.Timer_Key__c.indexOf(':'));
          out.set(id, [...(out.get(id) ?? []), t]);
        }
      }
    }
    return out;
  }
}

function parent(row: OrgRecord, relationship: string): OrgRecord | null {
  const v = row[relationship];
  return typeof v === 'object' && v !== null ? (v as OrgRecord) : null;
}

function convertedOpportunity(row: OrgRecord, won: ReadonlyMap<string, string | null>): ConvertedOpportunity | null {
  const id = row.ConvertedOpportunityId as string | null;
  if (!id) return null;
  const isWon = parent(row, 'ConvertedOpportunity')?.IsWon === true;
  return { isWon, wonAt: isWon ? (won.get(id) ?? null) : null };
}

// ---------------------------------------------------------------------------------------------
// Change detection

interface ChangeSource {
  object: SlaObject;
  sobject: string;
  /** the parent id field */
  parent: string;
  /** SystemModstamp, or CreatedDate for history rows (they are never modified) */
  stamp: string;
  /** extra condition */
  filter?: string;
}

/** Where a change to a lead or an opportunity can show up (and Tasks and Events: activityChanges). */
export const CHANGE_SOURCES: readonly ChangeSource[] = [
  { object: 'Lead', sobject: 'Lead', parent: 'Id', stamp: 'SystemModstamp' },
  { object: 'Lead', sobject: 'LeadHistory', parent: 'LeadId', stamp: 'CreatedDate' },
  { object: 'Lead', sobject: 'Lead_Quality_Feedback__c', parent: 'Lead__c', stamp: 'SystemModstamp' },
  { object: 'Opportunity', sobject: 'Opportunity', parent: 'Id', stamp: 'SystemModstamp' },
  { object: 'Opportunity', sobject: 'OpportunityFieldHistory', parent: 'OpportunityId', stamp: 'CreatedDate' },
  { object: 'Opportunity', sobject: 'Win_Loss_Review__c', parent: 'Opportunity__c', stamp: 'SystemModstamp' }
];

/** SOQL datetime literal (whole seconds, UTC). */
export function soqlDateTime(ms: number, round: 'down' | 'up' = 'down'): string {
  const s = round === 'down' ? Math.floor(ms / 1000) : Math.ceil(ms / 1000);
  return new Date(s * 1000).toISOString().replace('.000Z', 'Z');
}

export interface ChangedIds {
  Lead: Set<string>;
  Opportunity: Set<string>;
}

/**
 * The ids of the leads and opportunities that changed after `since`, and of those whose open timers have
 * crossed Warn_At or Due_At by `now`. Only ids are held (the changed set, not the org).
 */
export async function changedIds(data: OrgData, since: number, now: number, lastEvaluatedAt: number | null = null): Promise<ChangedIds> {
  const out: ChangedIds = { Lead: new Set(), Opportunity: new Set() };
  const after = soqlDateTime(since);
  for (const src of CHANGE_SOURCES) {
    const soql =
      `SELECT ${src.parent} FROM ${src.sobject} WHERE ${src.stamp} > ${after}` +
      (src.filter ? ` AND ${src.filter}` : '') +
      (src.parent === 'Id' ? '' : ` AND ${src.parent} != null`);
    for await (const page of data.pages<OrgRecord>(soql)) {
      for (const r of page.records) {
        const id = r[src.parent] as string | null;
        if (id) out[src.object].add(id);
      }
    }
  }
  await activityChanges(data, after, out);
  await startedEvents(data, lastEvaluatedAt ?? since, now, out);
  await dueTimerRecords(data, now, out);
  await convertedLeads(data, out);
  return out;
}

/**
 * Tasks and Events changed after `after` (one query each): on a lead, its lead; on a contact, or with no
 * person on an opportunity or account, the leads converted into it (their activities live there now).
 */
async function activityChanges(data: OrgData, after: string, out: ChangedIds): Promise<void> {
  const people = new Set<string>();
  const things = new Set<string>();
  for (const sobject of ['Task', 'Event']) {
    const soql =
      `SELECT WhoId, Who.Type, WhatId FROM ${sobject} WHERE SystemModstamp > ${after} ` +
      "AND (Who.Type IN ('Lead', 'Contact') OR (WhoId = null AND What.Type IN ('Opportunity', 'Account')))";
    for await (const page of data.pages<OrgRecord>(soql)) {
      for (const r of page.records) {
        const who = r.WhoId as string | null;
        const type = (r.Who as { Type?: string } | null)?.Type;
        if (who && (type === 'Lead' || who.startsWith('00Q'))) out.Lead.add(who);
        else if (who) people.add(who);
        else if (r.WhatId) things.add(r.WhatId as string);
      }
    }
  }
  const lists: Array<[string, string[]]> = [
    ['ConvertedContactId', [...people]],
    ['ConvertedOpportunityId', [...things].filter((id) => id.startsWith('006'))],
    ['ConvertedAccountId', [...things].filter((id) => id.startsWith('001'))]
  ];
  for (const [field, ids] of lists) {
    for (const chunk of chunked(ids, IDS_PER_QUERY)) {
      for await (const page of data.pages<OrgRecord>(`SELECT Id FROM Lead WHERE IsConverted = true AND ${field} IN ${soqlList(chunk)}`)) {
        for (const r of page.records) out.Lead.add(r.Id as string);
      }
    }
  }
}

/** The leads converted into changed opportunities (their funnel's Won At follows the opportunity). */
async function convertedLeads(data: OrgData, out: ChangedIds): Promise<void> {
  for (const chunk of chunked([...out.Opportunity], IDS_PER_QUERY)) {
    for await (const page of data.pages<OrgRecord>(`SELECT Id FROM Lead WHERE ConvertedOpportunityId IN ${soqlList(chunk)}`)) {
      for (const r of page.records) out.Lead.add(r.Id as string);
    }
  }
}

/** Leads with a meeting that has started since the last evaluation: it was booked earlier, it counts from its start. */
async function startedEvents(data: OrgData, from: number, now: number, out: ChangedIds): Promise<void> {
  if (from >= now) return;
  const soql =
    `SELECT WhoId FROM Event WHERE StartDateTime > ${soqlDateTime(from)} AND StartDateTime <= ${soqlDateTime(now, 'up')} ` +
    "AND Who.Type = 'Lead'";
  for await (const page of data.pages<OrgRecord>(soql, { includeDeleted: false })) {
    for (const r of page.records) if (r.WhoId) out.Lead.add(r.WhoId as string);
  }
}

/**
 * Records with an open timer whose status at `now` may differ from the one written: past Warn_At while Running,
 * or past Due_At (at Warn_At or Due_At exactly the earlier status holds).
 */
async function dueTimerRecords(data: OrgData, now: number, out: ChangedIds): Promise<void> {
  const t = soqlDateTime(now, 'up');
  const soql =
    'SELECT Lead__c, Opportunity__c FROM SLA_Timer__c WHERE Stopped_At__c = null AND ' +
    `((Status__c = 'Running' AND Warn_At__c < ${t}) OR (Status__c IN ('Running', 'At Risk') AND Due_At__c < ${t}))`;
  for await (const page of data.pages<OrgRecord>(soql, { includeDeleted: false })) {
    for (const r of page.records) {
      if (r.Lead__c) out.Lead.add(r.Lead__c as string);
      if (r.Opportunity__c) out.Opportunity.add(r.Opportunity__c as string);
    }
  }
}
