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
 * found (syncChanges.ts). A full read of a large org goes to Bulk API 2.0 query jobs instead, one per object,
 * joined to their parents (syncRecordsJoin.ts); what is read of each record is in syncRecordFields.ts.
 */
import { leadFacts, opportunityFacts } from './clock';
import { submissionStamp } from './clockLead';
import type { SubmissionRecord } from './clockLead';
import { opportunityWonAt } from './funnelStages';
import type { ConvertedOpportunity } from './funnelStages';
import type { HistoryRow, LeadRow, OpportunityRow, SlaObject, TaskRow, EventRow } from './clock';
import { children, chunked, soql, soqlDateTime, soqlFields, soqlJoin, soqlLike } from '../org/data';
import type { OrgData, OrgRecord, Soql } from '../org/data';
import { IDS_PER_QUERY } from './syncChanges';
import { TIMER_FIELDS } from './syncPlan';
import { EVENT_FIELDS, leadSoql, MOVED_ACTIVITY_FIELDS, opportunitySoql, parent, ROLLUP, TASK_FIELDS } from './syncRecordFields';
import { JOINED, joinedTimersOfDeleted, leadJoin, opportunityJoin } from './syncRecordsJoin';
import type { SyncRecord, TimerRow } from './syncPlan';

/** A page of records, ready for the rules, and the query's total size. */
export interface RecordPage {
  records: SyncRecord[];
  totalSize: number;
  /** read with Bulk API query jobs (a large read: its writes are best sent as large as well) */
  inBulk?: boolean;
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
    private readonly options: {
      maxGraceMinutes: number;
      criteriaFields?: Readonly<Record<SlaObject, readonly string[]>>;
      /** records per partition of a read in Bulk (default 2,500: syncRecordsJoin.ts): each partition is a page held in memory */
      recordsPerPartition?: number;
      /**
       * The timer fields read with each record (default: all the sync reads); a what-if reads TIER_TIMER_SELECT,
       * so its records' `timers` carry only their key, tier and record.
       */
      timers?: Soql;
    } = {
      maxGraceMinutes: 60
    }
  ) {}

  /**
   * Every record of the object (incl. deleted ones still in the recycle bin), a page at a time: REST pages of
   * the query with child subqueries, or — when the data layer reads this many records in Bulk — one Bulk
   * query job per object, joined by parent (`OrgData.joined`), a partition of records a page.
   */
  async *all(object: SlaObject): AsyncGenerator<RecordPage> {
    if (this.data.readsInBulk(Number.MAX_SAFE_INTEGER)) {
      const counting = object === 'Lead' ? soql`SELECT COUNT() FROM Lead` : soql`SELECT COUNT() FROM Opportunity`;
      const total = await this.data.count(counting, { includeDeleted: true });
      if (this.data.readsInBulk(total)) {
        const options = {
          criteria: this.options.criteriaFields?.[object] ?? [],
          recordsPerPartition: this.options.recordsPerPartition,
          timers: this.options.timers
        };
        const spec = object === 'Lead' ? leadJoin(total, options) : opportunityJoin(total, options);
        for await (const rows of this.data.joined(spec)) {
          yield { records: await this.toRecords(object, rows, true), totalSize: total, inBulk: true };
        }
        return;
      }
    }
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
    return object === 'Lead' ? leadSoql(where, criteria, this.options.timers) : opportunitySoql(where, criteria, this.options.timers);
  }

  /** The record's values of the fields the tiers' criteria read. */
  private criteriaValues(object: SlaObject, row: OrgRecord): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const f of this.options.criteriaFields?.[object] ?? []) {
      // the field as the policy names it, or in the case the org answers with (field names are case-insensitive)
      const key = Object.hasOwn(row, f) ? f : Object.keys(row).find((k) => k.toLowerCase() === f.toLowerCase());
      out[f] = key === undefined ? null : row[key];
    }
    return out;
  }

  /**
   * Rows (with their children) as the rules' records. `joined`: read by `OrgData.joined`, which attached the
   * moved activities, won stage history and memberships to each lead (JOINED) and the timers of deleted
   * records to them; otherwise they are read here, a query per page.
   */
  private async toRecords(object: SlaObject, rows: OrgRecord[], joined = false): Promise<SyncRecord[]> {
    const orphans = joined
      ? joinedTimersOfDeleted(rows)
      : await this.timersOfDeleted(rows.filter((r) => r.IsDeleted === true).map((r) => r.Id as string));
    let won = new Map<string, string | null>();
    let moved = new Map<string, Reparented>();
    let memberships = new Map<string, Membership[]>();
    if (object === 'Lead' && joined) ({ won, moved, memberships } = this.attached(rows));
    else if (object === 'Lead') {
      won = this.wonAt(rows, await this.stageHistory(rows));
      moved = await this.convertedActivities(rows);
      memberships = await this.membershipsOfUnstamped(rows);
    }
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
    const bounds = new Map<string, number>();
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
        bounds.set(id, movedBefore(r, this.options.maxGraceMinutes));
        if (r.ConvertedContactId) whos.push(r.ConvertedContactId as string);
        for (const w of [r.ConvertedOpportunityId, r.ConvertedAccountId]) if (w) whats.push(w as string);
        link(r.ConvertedContactId, id);
        link(r.ConvertedOpportunityId, id);
        link(r.ConvertedAccountId, id);
        latest = Math.max(latest, bounds.get(id) ?? 0);
      }
      const before = soqlDateTime(latest, 'up');
      const parties: Soql[] = [];
      if (whos.length > 0) parties.push(soql`WhoId IN ${whos}`);
      if (whats.length > 0) parties.push(soql`(WhoId = null AND WhatId IN ${whats})`);
      const where = soql`(${soqlJoin(parties, ' OR ')}) AND CreatedDate < ${before}`;
      for (const [sobject, query] of [
        ['Task', soql`SELECT ${TASK_FIELDS}, ${MOVED_ACTIVITY_FIELDS} FROM Task WHERE ${where} AND IsClosed = true`],
        ['Event', soql`SELECT ${EVENT_FIELDS}, WhoId, WhatId FROM Event WHERE ${where}`]
      ] as const) {
        for await (const page of this.data.pages<OrgRecord>(query, { includeDeleted: true })) {
          for (const a of page.records) {
            if (a.IsDeleted === true) continue;
            const owners = new Set([...(leadsOf.get(String(a.WhoId ?? '').slice(0, 15)) ?? [])]);
            if (!a.WhoId) for (const l of leadsOf.get(String(a.WhatId ?? '').slice(0, 15)) ?? []) owners.add(l);
            for (const leadId of owners) {
              if (!(Date.parse(a.CreatedDate as string) < (bounds.get(leadId) ?? 0))) continue;
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

  /** The leads whose converted opportunity is won. */
  private static wonOpportunityLeads(rows: readonly OrgRecord[]): OrgRecord[] {
    return rows.filter((r) => r.ConvertedOpportunityId && parent(r, 'ConvertedOpportunity')?.IsWon === true);
  }

  /** The StageName history of the won opportunities these leads were converted into, by opportunity Id. */
  private async stageHistory(rows: readonly OrgRecord[]): Promise<Map<string, StageChange[]>> {
    const history = new Map<string, StageChange[]>();
    const ids = [...new Set(RecordReader.wonOpportunityLeads(rows).map((r) => r.ConvertedOpportunityId as string))];
    for (const chunk of chunked(ids, IDS_PER_QUERY)) {
      const query = soql`SELECT OpportunityId, NewValue, CreatedDate FROM OpportunityFieldHistory WHERE Field = 'StageName' AND OpportunityId IN ${chunk}`;
      for await (const page of this.data.pages<OrgRecord>(query)) {
        for (const h of page.records) {
          const id = h.OpportunityId as string;
          history.set(id, [...(history.get(id) ?? []), { at: h.CreatedDate as string, stage: (h.NewValue as string | null) ?? null }]);
        }
      }
    }
    return history;
  }

  /** When the won opportunities these leads were converted into were won (their StageName history, else CloseDate). */
  private wonAt(rows: readonly OrgRecord[], history: ReadonlyMap<string, StageChange[]>): Map<string, string | null> {
    const out = new Map<string, string | null>();
    for (const r of RecordReader.wonOpportunityLeads(rows)) {
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

  /**
   * What a joined read attached to each lead besides its subqueries' children (and takes it off the row):
   * the activities the conversion moved, the won opportunity's stage history, the campaign memberships.
   */
  private attached(rows: readonly OrgRecord[]): {
    won: Map<string, string | null>;
    moved: Map<string, Reparented>;
    memberships: Map<string, Membership[]>;
  } {
    const history = new Map<string, StageChange[]>();
    const moved = new Map<string, Reparented>();
    const memberships = new Map<string, Membership[]>();
    for (const r of rows) {
      const id = r.Id as string;
      const stages = children<OrgRecord>(r, JOINED.wonHistory);
      if (stages.length > 0 && r.ConvertedOpportunityId) {
        history.set(
          r.ConvertedOpportunityId as string,
          stages.map((h) => ({ at: h.CreatedDate as string, stage: (h.NewValue as string | null) ?? null }))
        );
      }
      const tasks = children<OrgRecord>(r, JOINED.movedTasks).filter((a) => a.IsDeleted !== true);
      const events = children<OrgRecord>(r, JOINED.movedEvents).filter((a) => a.IsDeleted !== true);
      if (tasks.length + events.length > 0) {
        const before = movedBefore(r, this.options.maxGraceMinutes);
        moved.set(id, {
          tasks: tasks.filter((a) => Date.parse(a.CreatedDate as string) < before) as unknown as TaskRow[],
          events: events.filter((a) => Date.parse(a.CreatedDate as string) < before) as unknown as EventRow[]
        });
      }
      const members = children<Membership & OrgRecord>(r, JOINED.memberships);
      if (members.length > 0) memberships.set(id, members);
      // cleared, not deleted: deleting them would turn every lead's record into a slow dictionary just before it is read
      for (const rel of [JOINED.movedTasks, JOINED.movedEvents, JOINED.wonHistory, JOINED.memberships]) r[rel] = undefined;
    }
    return { won: this.wonAt(rows, history), moved, memberships };
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

interface StageChange {
  at: string;
  stage: string | null;
}

/**
 * The instant before which an activity the conversion moved can still count for a lead: its conversion day
 * (ConvertedDate, else SystemModstamp) plus a day either way for time zones, plus the backdate grace.
 */
function movedBefore(lead: OrgRecord, maxGraceMinutes: number): number {
  const day = Date.parse(`${String(lead.ConvertedDate ?? lead.SystemModstamp).slice(0, 10)}T00:00:00Z`);
  return Number.isFinite(day) ? day + 2 * 86_400_000 + maxGraceMinutes * 60_000 : 0;
}

function convertedOpportunity(row: OrgRecord, won: ReadonlyMap<string, string | null>): ConvertedOpportunity | null {
  const id = row.ConvertedOpportunityId as string | null;
  if (!id) return null;
  const isWon = parent(row, 'ConvertedOpportunity')?.IsWon === true;
  return { isWon, wonAt: isWon ? (won.get(id) ?? null) : null };
}
