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
 * Which records: every lead and opportunity (a full sync), or the ids an incremental sync's change detection
 * found (syncChanges.ts).
 */
import { leadFacts, opportunityFacts } from './clock';
import { submissionStamp } from './clockLead';
import type { SubmissionRecord } from './clockLead';
import { LEAD_FUNNEL_FIELDS, opportunityWonAt } from './funnelStages';
import { LEAD_DUE_FIELD } from './syncPlan';
import type { ConvertedOpportunity } from './funnelStages';
import type { HistoryRow, LeadRow, OpportunityRow, SlaObject, TaskRow, EventRow } from './clock';
import { children, chunked, soql, soqlDateTime, soqlFields, soqlJoin, soqlLike } from '../org/data';
import type { OrgData, OrgRecord, Soql } from '../org/data';
import { IDS_PER_QUERY } from './syncChanges';
import { TIMER_FIELDS } from './syncPlan';
import type { SyncRecord, TimerRow } from './syncPlan';

/** The status field the sync writes on each object. */
const ROLLUP: Record<SlaObject, string> = { Lead: 'SLA_Status__c', Opportunity: 'Win_Loss_Review_Status__c' };

/** Lead fields the sync keeps from the org's own records (clockLead.ts). */
const LEAD_KEPT_FIELDS = ['Quality_Rating__c', 'Recycle_Count__c'];

const TASK_FIELDS = soqlFields(['Id', 'OwnerId', 'IsClosed', 'CompletedDateTime', 'LastModifiedDate', 'IsDeleted']);
const EVENT_FIELDS = soqlFields(['Id', 'OwnerId', 'CreatedDate', 'StartDateTime', 'ActivityDateTime', 'IsDeleted']);

/** History fields the rules read (owner changes are recorded as `Owner`). */
const LEAD_HISTORY_FIELDS = ['Status', 'Owner', 'leadConverted'];
const OPPORTUNITY_HISTORY_FIELDS = ['StageName', 'Owner'];

function leadSoql(where: Soql, criteria: readonly string[] = []): Soql {
  const fields = [
    // the fields the tiers' criteria read (checked against the describe before any record is read)
    ...criteria.filter((f) => !BASE_LEAD_FIELDS.has(f.toLowerCase())),
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
    LEAD_DUE_FIELD,
    ...LEAD_FUNNEL_FIELDS,
    ...LEAD_KEPT_FIELDS
  ];
  return soql`SELECT ${soqlFields(fields)}, \
(SELECT Id, Field, OldValue, NewValue, CreatedDate, IsDeleted FROM Histories WHERE Field IN ${LEAD_HISTORY_FIELDS}), \
(SELECT ${TASK_FIELDS} FROM Tasks WHERE IsClosed = true), \
(SELECT ${EVENT_FIELDS} FROM Events), \
(SELECT Id, CreatedDate, Submitted_At__c, Rating__c, Lead_Source__c, Campaign__c, IsDeleted FROM Lead_Quality_Feedback__r), \
(SELECT ${soqlFields([...TIMER_FIELDS, 'IsDeleted'])} FROM SLA_Timers__r) \
FROM Lead${where}`;
}

/** Lead fields every sync reads (a criteria field among them is not named twice). */
const BASE_LEAD_FIELDS = new Set(['id', 'name', 'company', 'createddate', 'status', 'ownerid', 'leadsource', 'isconverted', 'isdeleted']);

function opportunitySoql(where: Soql, criteria: readonly string[] = []): Soql {
  const base = ['Id', 'Name', 'CreatedDate', 'StageName', 'OwnerId', 'IsClosed', 'IsDeleted', 'LastModifiedDate', 'SystemModstamp'];
  const lower = new Set(base.map((f) => f.toLowerCase()));
  return soql`SELECT ${soqlFields([...base, ...criteria.filter((f) => !lower.has(f.toLowerCase()))])}, ${soqlFields([ROLLUP.Opportunity])}, \
(SELECT Id, Field, OldValue, NewValue, CreatedDate, IsDeleted FROM Histories WHERE Field IN ${OPPORTUNITY_HISTORY_FIELDS}), \
(SELECT Id, CreatedDate, Submitted_At__c, IsDeleted FROM Win_Loss_Reviews__r), \
(SELECT ${soqlFields([...TIMER_FIELDS, 'IsDeleted'])} FROM SLA_Timers__r) \
FROM Opportunity${where}`;
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
    private readonly options: { maxGraceMinutes: number; criteriaFields?: Readonly<Record<SlaObject, readonly string[]>> } = {
      maxGraceMinutes: 60
    }
  ) {}

  /** Every record of the object (incl. deleted ones still in the recycle bin), a page at a time. */
  async *all(object: SlaObject): AsyncGenerator<RecordPage> {
    const query = this.query(object, soql``);
    for await (const page of this.data.pages<OrgRecord>(query, { includeDeleted: true })) {
      yield { records: await this.toRecords(object, page.records), totalSize: page.totalSize };
    }
  }

  /** The given records (200 ids a query). */
  async *byIds(object: SlaObject, ids: readonly string[]): AsyncGenerator<RecordPage> {
    for (const chunk of chunked(ids, IDS_PER_QUERY)) {
      const where = soql` WHERE Id IN ${chunk}`;
      const query = this.query(object, where);
      for await (const page of this.data.pages<OrgRecord>(query, { includeDeleted: true })) {
        yield { records: await this.toRecords(object, page.records), totalSize: ids.length };
      }
    }
  }

  private query(object: SlaObject, where: Soql): Soql {
    const criteria = this.options.criteriaFields?.[object] ?? [];
    return object === 'Lead' ? leadSoql(where, criteria) : opportunitySoql(where, criteria);
  }

  /** The record's values of the fields the tiers' criteria read. */
  private criteriaValues(object: SlaObject, row: OrgRecord): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const f of this.options.criteriaFields?.[object] ?? []) {
      const key = Object.keys(row).find((k) => k.toLowerCase() === f.toLowerCase());
      out[f] = key === undefined ? null : row[key];
    }
    return out;
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
        const facts = {
          ...leadFacts({
            lead: row as unknown as LeadRow,
            history,
            tasks: [...live<TaskRow>('Tasks'), ...(moved.get(id)?.tasks ?? [])],
            events: [...live<EventRow>('Events'), ...(moved.get(id)?.events ?? [])],
            feedback
          }),
          values: this.criteriaValues('Lead', row)
        };
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
      const facts = {
        ...opportunityFacts({
          opportunity: row as unknown as OpportunityRow,
          history: live<HistoryRow>('Histories'),
          reviews,
          closedStages: this.stages.closed
        }),
        values: this.criteriaValues('Opportunity', row)
      };
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
      const parties: Soql[] = [];
      if (whos.length > 0) parties.push(soql`WhoId IN ${whos}`);
      if (whats.length > 0) parties.push(soql`(WhoId = null AND WhatId IN ${whats})`);
      const where = soql`(${soqlJoin(parties, ' OR ')}) AND CreatedDate < ${before}`;
      for (const [sobject, query] of [
        ['Task', soql`SELECT ${TASK_FIELDS}, WhoId, WhatId FROM Task WHERE ${where} AND IsClosed = true`],
        ['Event', soql`SELECT ${EVENT_FIELDS}, WhoId, WhatId FROM Event WHERE ${where}`]
      ] as const) {
        for await (const page of this.data.pages<OrgRecord>(query, { includeDeleted: true })) {
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
      const query = soql`SELECT Id, LeadId, CampaignId, CreatedDate FROM CampaignMember WHERE LeadId IN ${chunk}`;
      for await (const page of this.data.pages<OrgRecord>(query)) {
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
      const query = soql`SELECT OpportunityId, NewValue, CreatedDate FROM OpportunityFieldHistory WHERE Field = 'StageName' AND OpportunityId IN ${chunk}`;
      for await (const page of this.data.pages<OrgRecord>(query)) {
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
      const where = soqlJoin(
        chunk.map((id) => soql`Timer_Key__c LIKE ${soqlLike(`${id}:`, 'startsWith')}`),
        ' OR '
      );
      for await (const page of this.data.pages<TimerRow & OrgRecord>(
        soql`SELECT ${soqlFields(TIMER_FIELDS)} FROM SLA_Timer__c WHERE ${where}`
      )) {
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
