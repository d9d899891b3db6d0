/**
 * The leads and opportunities a sync reads, in the shape the clock rules take: one SOQL query per page
 * of parents with child subqueries for their history, activities, feedback/reviews and SLA timers (so a
 * page of 2,000 leads costs one request, not five), always through queryAll (deleted records, and
 * activities archived after a year, are facts too).
 *
 * Which records: every lead and opportunity (a full sync), or those that changed after a watermark: the
 * record itself (SystemModstamp), a history row, a Task or Event on a lead, a feedback or review (a child
 * change brings its parent in), and records with an open timer that has crossed its Warn_At or Due_At
 * since it was written, and leads with a meeting that started since the last run (time alone changes those).
 */
import { leadFacts, opportunityFacts } from './clock';
import { LEAD_FUNNEL_FIELDS, opportunityWonAt } from './funnelStages';
import type { ConvertedOpportunity } from './funnelStages';
import type { HistoryRow, LeadRow, OpportunityRow, SlaObject, SubmissionRow, TaskRow, EventRow } from './clock';
import { children, chunked, soqlList, soqlString } from './orgData';
import type { OrgData, OrgRecord } from './orgData';
import { TIMER_FIELDS } from './syncPlan';
import type { SyncRecord, TimerRow } from './syncPlan';

/** Parents per `Id IN (…)` query (keeps the GET URL well under the REST limit). */
export const IDS_PER_QUERY = 200;

/** The status field the sync writes on each object. */
const ROLLUP: Record<SlaObject, string> = { Lead: 'SLA_Status__c', Opportunity: 'Win_Loss_Review_Status__c' };

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
    'IsConverted',
    'IsDeleted',
    'LastModifiedDate',
    'SystemModstamp',
    'ConvertedOpportunityId',
    'ConvertedOpportunity.IsWon',
    'ConvertedOpportunity.CloseDate',
    ROLLUP.Lead,
    ...LEAD_FUNNEL_FIELDS
  ];
  return (
    `SELECT ${[...new Set(fields)].join(', ')}, ` +
    `(SELECT Id, Field, OldValue, NewValue, CreatedDate, IsDeleted FROM Histories WHERE Field IN ${soqlList(LEAD_HISTORY_FIELDS)}), ` +
    '(SELECT Id, OwnerId, IsClosed, CompletedDateTime, LastModifiedDate, IsDeleted FROM Tasks WHERE IsClosed = true), ' +
    '(SELECT Id, OwnerId, StartDateTime, ActivityDateTime, IsDeleted FROM Events), ' +
    '(SELECT Id, Submitted_At__c, CreatedDate, IsDeleted FROM Lead_Quality_Feedback__r), ' +
    `(SELECT ${TIMER_FIELDS.join(', ')}, IsDeleted FROM SLA_Timers__r) ` +
    `FROM Lead${where}`
  );
}

function opportunitySoql(where: string): string {
  return (
    `SELECT Id, Name, CreatedDate, StageName, OwnerId, IsClosed, IsDeleted, LastModifiedDate, SystemModstamp, ${ROLLUP.Opportunity}, ` +
    `(SELECT Id, Field, OldValue, NewValue, CreatedDate, IsDeleted FROM Histories WHERE Field IN ${soqlList(OPPORTUNITY_HISTORY_FIELDS)}), ` +
    '(SELECT Id, Submitted_At__c, CreatedDate, IsDeleted FROM Win_Loss_Reviews__r), ' +
    `(SELECT ${TIMER_FIELDS.join(', ')}, IsDeleted FROM SLA_Timers__r) ` +
    `FROM Opportunity${where}`
  );
}

/** A page of records, ready for the rules, and the query's total size. */
export interface RecordPage {
  records: SyncRecord[];
  totalSize: number;
}

export class RecordReader {
  constructor(
    private readonly data: OrgData,
    private readonly stages: { closed: readonly string[]; won: readonly string[] }
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
        const facts = leadFacts({
          lead: row as unknown as LeadRow,
          history: live<HistoryRow>('Histories'),
          tasks: live<TaskRow>('Tasks'),
          events: live<EventRow>('Events'),
          feedback: live<SubmissionRow>('Lead_Quality_Feedback__r')
        });
        const name = String(row.Name ?? id);
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
          convertedOpportunity: convertedOpportunity(row, won)
        };
      }
      const facts = opportunityFacts({
        opportunity: row as unknown as OpportunityRow,
        history: live<HistoryRow>('Histories'),
        reviews: live<SubmissionRow>('Win_Loss_Reviews__r'),
        closedStages: this.stages.closed
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
        row
      };
    });
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

/** Where a change to a lead or an opportunity can show up. */
export const CHANGE_SOURCES: readonly ChangeSource[] = [
  { object: 'Lead', sobject: 'Lead', parent: 'Id', stamp: 'SystemModstamp' },
  { object: 'Lead', sobject: 'LeadHistory', parent: 'LeadId', stamp: 'CreatedDate' },
  { object: 'Lead', sobject: 'Task', parent: 'WhoId', stamp: 'SystemModstamp', filter: "Who.Type = 'Lead'" },
  { object: 'Lead', sobject: 'Event', parent: 'WhoId', stamp: 'SystemModstamp', filter: "Who.Type = 'Lead'" },
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
  await startedEvents(data, lastEvaluatedAt ?? since, now, out);
  await dueTimerRecords(data, now, out);
  await convertedLeads(data, out);
  return out;
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
