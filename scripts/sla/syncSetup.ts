/**
 * What a sync needs before it reads any lead: the active SLA_Policy__mdt records, validated against the
 * org's own Lead Status and Opportunity stage values and its BusinessHours; the calendars those policies
 * use (BusinessHours + Holiday); the closed and won opportunity stages; the funnel statuses. Everything here is read before the
 * first write, so an invalid policy stops the sync with nothing written.
 */
import { createHash } from 'node:crypto';
import { BusinessCalendar, CalendarError } from '../calendar';
import type { BusinessHoursRecord, CalendarDefinition, HolidayRecord } from '../calendar';
import { BUSINESS_HOURS_FIELDS, HOLIDAY_FIELDS } from '../org/businessHours';
import { activePolicies, criteriaFields, policyFromRecord, SlaPolicyError, tierOf } from './clock';
import type { TierSchema } from './clock';
import { readReassignTargets } from './syncReassign';
import type { ReassignTarget } from './syncReassign';
import type { RecycleSettings } from './clockLead';
import { funnelStatuses } from './funnelStages';
import type { FunnelStatuses } from './funnelStages';
import type { SlaObject, SlaPolicy, SlaPolicyRecord } from './clock';
import { children, soql, soqlFields } from '../org/data';
import type { OrgData, OrgRecord, Soql } from '../org/data';

export const POLICY_FIELDS = [
  'DeveloperName',
  'Clock__c',
  'Object__c',
  'Target_Minutes__c',
  'Warning_Percent__c',
  'Business_Hours_Name__c',
  'Start_Statuses__c',
  'Stop_Statuses__c',
  'Pause_Statuses__c',
  'Cancel_Statuses__c',
  'Backdate_Grace_Minutes__c',
  'Recycle_Statuses__c',
  'Recycle_Queue__c',
  'Restart_On_Reassign__c',
  'Lead_Sources__c',
  'Criteria_Field__c',
  'Criteria_Values__c',
  'Priority__c',
  'Catch_All__c',
  'Reassign_To_Queue__c',
  'Reassign_Mode__c',
  'Reassign_Delay_Minutes__c',
  'Create_Task_On_Breach__c',
  'Notify_Manager__c',
  'Active__c'
];

/** One BusinessHours record a policy uses, as a calendar and as the JSON SLA_Calendar__c.Definition__c keeps. */
export interface SyncCalendar {
  businessHoursId: string;
  name: string;
  calendar: BusinessCalendar;
  definition: CalendarDefinition;
  /** JSON.stringify(definition): fields in a fixed order, holidays by Name then Id */
  definitionJson: string;
}

export interface SyncSetup {
  /** active policies by object, in clock order (a clock's tiers by priority, its catch-all last) */
  policies: Readonly<Record<SlaObject, SlaPolicy[]>>;
  /** policy DeveloperName → its calendar */
  calendarOf: ReadonlyMap<string, SyncCalendar>;
  /** the calendars the active policies use, by BusinessHours Id */
  calendars: ReadonlyMap<string, SyncCalendar>;
  /** StageName values whose OpportunityStage.IsClosed is true */
  closedStages: readonly string[];
  /** StageName values whose OpportunityStage.IsWon is true */
  wonStages: readonly string[];
  /**
   * The Lead funnel fields (funnelStages.ts): MQL = the Accept policy's Start statuses, minutes on its calendar
   * (another Lead policy's calendar when no Accept policy is active); null when no Lead policy is active.
   */
  funnel: { statuses: FunnelStatuses; calendar: BusinessCalendar } | null;
  /** Recycle_Statuses__c / Recycle_Queue__c of the active Lead policies (the queue resolved to its Id); null when none sets them */
  recycle: RecycleSettings | null;
  /** the largest Backdate_Grace_Minutes__c of the active Lead policies (bounds the activities read for converted leads) */
  maxGraceMinutes: number;
  /** sha256 of the active policies, their calendars and the closed/won stages: when it changes, every record is re-evaluated */
  fingerprint: string;
  warnings: string[];
  /** the record fields the tiers' criteria read, per object (LeadSource, Criteria_Field__c values) */
  criteriaFields: Readonly<Record<SlaObject, string[]>>;
  /** the queues the active Lead policies reassign to, by the name the policy gives */
  reassignTargets: ReadonlyMap<string, ReassignTarget>;
}

/** The org cannot be synced as configured (an unknown business hours name, a calendar with no open time). */
export class SyncSetupError extends Error {
  override readonly name = 'SyncSetupError';
}

const POLICY_QUERY = soql`SELECT ${soqlFields(POLICY_FIELDS)} FROM SLA_Policy__mdt ORDER BY DeveloperName`;
const STAGES_QUERY = soql`SELECT ApiName, IsWon FROM OpportunityStage WHERE IsClosed = true`;
const HOURS_QUERY = soql`SELECT ${soqlFields(BUSINESS_HOURS_FIELDS)} FROM BusinessHours WHERE IsActive = true ORDER BY Name, Id`;
const HOLIDAYS_QUERY = soql`SELECT ${soqlFields(HOLIDAY_FIELDS)} FROM Holiday ORDER BY Name, Id`;

/**
 * The reads every sync starts with, independent of each other: send them together (OrgData.prefetch, one
 * composite request) and readSetup answers from them. The nurture queue a policy names is read after the
 * policies (recycleQueueQuery).
 */
export const SETUP_READS: ReadonlyArray<{ soql: Soql } | { describe: string }> = [
  { soql: POLICY_QUERY },
  { soql: STAGES_QUERY },
  { soql: HOURS_QUERY },
  { soql: HOLIDAYS_QUERY },
  { describe: 'Lead' },
  { describe: 'Opportunity' }
];

export type PolicyRecord = OrgRecord & SlaPolicyRecord;

/** The SLA_Policy__mdt records, active or not. */
export function readPolicyRecords(data: OrgData): Promise<PolicyRecord[]> {
  return data.all<PolicyRecord>(POLICY_QUERY);
}

/**
 * The query that finds the nurture queue the active Lead policies name (null when none does), so it can be
 * sent with the run's next reads; readSetup answers from it.
 */
export function recycleQueueQuery(records: readonly PolicyRecord[]): Soql | null {
  const names = [
    ...new Set(
      records
        .filter((r) => r.Active__c === true && r.Object__c === 'Lead' && typeof r.Recycle_Queue__c === 'string')
        .map((r) => (r.Recycle_Queue__c as string).trim())
        .filter(Boolean)
    )
  ];
  return names.length === 1 ? queueQuery(names[0]) : null;
}

function queueQuery(name: string): Soql {
  return soql`SELECT Id, Name, DeveloperName, (SELECT SobjectType FROM QueueSobjects) FROM Group WHERE Type = 'Queue' AND (Name = ${name} OR DeveloperName = ${name}) ORDER BY Id`;
}

export async function readSetup(data: OrgData, policyRecords?: readonly PolicyRecord[]): Promise<SyncSetup> {
  const warnings: string[] = [];
  const records = policyRecords ?? (await readPolicyRecords(data));
  const active = records.filter((r) => r.Active__c === true);
  const needs = new Set(active.map((r) => r.Object__c));
  const known: Partial<Record<SlaObject, string[]>> = {};
  if (needs.has('Lead')) known.Lead = (await data.picklist('Lead', 'Status')).map((p) => p.value);
  if (needs.has('Opportunity')) known.Opportunity = (await data.picklist('Opportunity', 'StageName')).map((p) => p.value);

  const policies = active.map((r) => policyFromRecord(r, { knownStatuses: known[r.Object__c as SlaObject] }));
  // the tiers: checked against the org's fields, picklist values and queues before anything is written
  const reassignTargets = await readReassignTargets(data, policies);
  const schema: TierSchema = { fields: {}, leadQueues: new Set(reassignTargets.keys()) };
  for (const object of ['Lead', 'Opportunity'] as const) {
    if (!needs.has(object) || !policies.some((p) => p.object === object && !tierOf(p).catchAll)) continue;
    const d = await data.describe(object);
    (schema.fields as Record<string, unknown>)[object] = new Map(
      d.fields.map((f) => [
        f.name.toLowerCase(),
        {
          name: f.name,
          picklist: f.type === 'picklist' || f.type === 'multipicklist' ? (f.picklistValues ?? []).map((v) => v.value) : null
        }
      ])
    );
  }
  const byObject = { Lead: activePolicies(policies, 'Lead', schema), Opportunity: activePolicies(policies, 'Opportunity', schema) };
  const used = [...byObject.Lead, ...byObject.Opportunity];

  const { closed: closedStages, won: wonStages } =
    byObject.Opportunity.length > 0 || byObject.Lead.length > 0 ? await readStages(data) : { closed: [], won: [] };

  const calendarOf = new Map<string, SyncCalendar>();
  const calendars = new Map<string, SyncCalendar>();
  if (used.length > 0) {
    const hours = await data.all<OrgRecord & BusinessHoursRecord>(HOURS_QUERY);
    const holidays = await data.all<OrgRecord & HolidayRecord>(HOLIDAYS_QUERY);
    const holidayRows = holidays.map((h) => withoutAttributes(h) as unknown as HolidayRecord);
    for (const policy of used) {
      const bh = businessHoursFor(policy, hours);
      let cal = calendars.get(bh.Id as string);
      if (!cal) {
        const definition: CalendarDefinition = { ...(withoutAttributes(bh) as unknown as BusinessHoursRecord), holidays: holidayRows };
        let calendar: BusinessCalendar;
        try {
          calendar = new BusinessCalendar(definition);
        } catch (err) {
          if (err instanceof CalendarError) {
            throw new SyncSetupError(
              `BusinessHours "${bh.Name ?? bh.Id}" (used by SLA_Policy__mdt ${policy.developerName}): ${err.message}`
            );
          }
          throw err;
        }
        cal = {
          businessHoursId: bh.Id as string,
          name: String(bh.Name ?? bh.Id),
          calendar,
          definition,
          definitionJson: JSON.stringify(definition)
        };
        calendars.set(cal.businessHoursId, cal);
      }
      calendarOf.set(policy.developerName, cal);
    }
  }

  const recycle = await readRecycle(data, byObject.Lead);
  const fingerprint = createHash('sha256')
    .update(
      JSON.stringify({
        policies: used.map((p) => ({ ...p, calendar: calendarOf.get(p.developerName)?.businessHoursId })),
        calendars: [...calendars.values()].map((c) => [c.businessHoursId, c.definitionJson]).sort(),
        stages: { closedStages, wonStages },
        recycle
      })
    )
    .digest('hex');
  // the funnel's MQL statuses: the Accept clock's, which its tiers share (tierProblems); its catch-all's calendar
  const accept = byObject.Lead.filter((p) => p.clock === 'Accept').pop() ?? null;
  const funnelPolicy = accept ?? byObject.Lead[0] ?? null;
  const funnel = funnelPolicy
    ? { statuses: funnelStatuses(accept), calendar: (calendarOf.get(funnelPolicy.developerName) as SyncCalendar).calendar }
    : null;
  const maxGraceMinutes = Math.max(0, ...byObject.Lead.map((p) => p.backdateGraceMinutes));
  const criteria = { Lead: criteriaFields(byObject.Lead), Opportunity: criteriaFields(byObject.Opportunity) };
  return {
    policies: byObject,
    calendarOf,
    calendars,
    closedStages,
    wonStages,
    funnel,
    recycle,
    maxGraceMinutes,
    fingerprint,
    warnings,
    criteriaFields: criteria,
    reassignTargets
  };
}

/**
 * The recycle statuses (all active Lead policies') and the nurture queue they name, resolved by Name or
 * DeveloperName to a queue that takes leads. Two policies naming different queues, or a queue that does not
 * exist or does not take leads, is a policy error (nothing is written).
 */
async function readRecycle(data: OrgData, leadPolicies: readonly SlaPolicy[]): Promise<RecycleSettings | null> {
  const statuses = [...new Set(leadPolicies.flatMap((p) => p.recycleStatuses))];
  if (statuses.length === 0) return null;
  const named = leadPolicies.filter((p) => p.recycleQueue !== null);
  const names = [...new Set(named.map((p) => p.recycleQueue as string))];
  if (names.length > 1) {
    throw new SlaPolicyError(
      `SLA_Policy__mdt ${named[1].developerName}: Recycle_Queue__c ${JSON.stringify(names[1])} conflicts with ${JSON.stringify(names[0])} of ${named[0].developerName}: name one nurture queue`
    );
  }
  if (names.length === 0) return { statuses, queueId: null };
  const name = names[0];
  const where = `SLA_Policy__mdt ${named[0].developerName}: Recycle_Queue__c`;
  const queues = await data.all<OrgRecord & { Name: string; DeveloperName: string }>(queueQuery(name));
  const exact = queues.filter((q) => q.DeveloperName === name);
  const match = exact.length === 1 ? exact : queues;
  if (match.length === 0) throw new SlaPolicyError(`${where} names no queue ${JSON.stringify(name)} (Setup > Queues)`);
  if (match.length > 1)
    throw new SlaPolicyError(`${where} ${JSON.stringify(name)} matches ${match.length} queues; use the queue's API name`);
  const queueId = match[0].Id as string;
  if (!children<OrgRecord>(match[0], 'QueueSobjects').some((s) => s.SobjectType === 'Lead')) {
    throw new SlaPolicyError(
      `${where}: queue ${JSON.stringify(name)} does not take leads (Setup > Queues: add Lead to its supported objects)`
    );
  }
  return { statuses, queueId };
}

function businessHoursFor(policy: SlaPolicy, hours: readonly (OrgRecord & BusinessHoursRecord)[]): OrgRecord & BusinessHoursRecord {
  if (policy.businessHoursName === null) {
    const defaults = hours.filter((h) => h.IsDefault === true);
    if (defaults.length !== 1) {
      throw new SlaPolicyError(
        `SLA_Policy__mdt ${policy.developerName}: Business_Hours_Name__c is blank, but the org has ${
          defaults.length === 0 ? 'no active default BusinessHours' : 'more than one default BusinessHours'
        }`
      );
    }
    return defaults[0];
  }
  const named = hours.filter((h) => h.Name === policy.businessHoursName);
  if (named.length === 0) {
    throw new SlaPolicyError(
      `SLA_Policy__mdt ${policy.developerName}: Business_Hours_Name__c names no active BusinessHours ${JSON.stringify(policy.businessHoursName)}`
    );
  }
  if (named.length > 1) {
    throw new SlaPolicyError(
      `SLA_Policy__mdt ${policy.developerName}: Business_Hours_Name__c ${JSON.stringify(policy.businessHoursName)} matches ${named.length} active BusinessHours; rename one in Setup`
    );
  }
  return named[0];
}

/** Closed and won stages from OpportunityStage (every org has it; the local org too). */
async function readStages(data: OrgData): Promise<{ closed: string[]; won: string[] }> {
  const rows = await data.all<OrgRecord & { ApiName: string; IsWon: boolean }>(STAGES_QUERY);
  const closed = [...new Set(rows.map((r) => r.ApiName))].sort();
  const won = [...new Set(rows.filter((r) => r.IsWon === true).map((r) => r.ApiName))].sort();
  return { closed, won };
}

function withoutAttributes(record: OrgRecord): Record<string, unknown> {
  const { attributes: _attributes, ...rest } = record;
  return rest;
}
