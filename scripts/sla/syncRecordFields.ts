/**
 * What the sync reads of each lead and opportunity: the fields, the child rows' fields, and the REST query with
 * child subqueries (syncRecords.ts reads with it), shared with the joined Bulk read (syncRecordsJoin.ts).
 */
import { LEAD_FUNNEL_FIELDS } from './funnelStages';
import type { SlaObject } from './clock';
import { soql, soqlFields } from '../org/data';
import type { OrgRecord, Soql } from '../org/data';
import { LEAD_DUE_FIELD, TIMER_FIELDS } from './syncPlan';

/** The status field the sync writes on each object. */
export const ROLLUP: Record<SlaObject, string> = { Lead: 'SLA_Status__c', Opportunity: 'Win_Loss_Review_Status__c' };

/** Lead fields the sync keeps from the org's own records (clockLead.ts). */
export const LEAD_KEPT_FIELDS = ['Quality_Rating__c', 'Recycle_Count__c'];

export const TASK_FIELDS = soqlFields(['Id', 'OwnerId', 'IsClosed', 'CompletedDateTime', 'LastModifiedDate', 'IsDeleted']);
/** What a moved activity is also read with: whose it is, and when it was logged (EVENT_FIELDS has it). */
export const MOVED_ACTIVITY_FIELDS = soqlFields(['WhoId', 'WhatId', 'CreatedDate']);
export const EVENT_FIELDS = soqlFields(['Id', 'OwnerId', 'CreatedDate', 'StartDateTime', 'ActivityDateTime', 'IsDeleted']);

/** History fields the rules read (owner changes are recorded as `Owner`). */
export const LEAD_HISTORY_FIELDS = ['Status', 'Owner', 'leadConverted'];
export const OPPORTUNITY_HISTORY_FIELDS = ['StageName', 'Owner'];

/**
 * The history rows the rules read: the rows of these fields, less the second row of each owner change. The
 * platform records an owner change twice, once with the ids (DataType `EntityId`) and once with the names
 * (`Text`); the rules read the ids only (clockEvents.ts), so the name rows — a fifth of a seeded org's
 * history — are not read at all. `DataType` is filterable on the field history objects ("DataType — Type
 * picklist — Properties Filter, Group, Nillable, Restricted picklist, Sort":
 * https://developer.salesforce.com/docs/platform/object-reference/references/standard-objects/object-opportunityfieldhistory.html;
 * for LeadHistory the model of every standard object's history, StandardObjectNameHistory, gives the same:
 * https://developer.salesforce.com/docs/atlas.en-us.264.0.nonprofit_cloud.meta/nonprofit_cloud/npc_associated_objects_history.htm),
 * and SOQL's `!=` keeps rows whose DataType is null, so a row is dropped only when it says it holds names.
 */
export function historyWhere(fields: readonly string[]): Soql {
  return soql`Field IN ${fields} AND (Field != ${'Owner'} OR DataType != ${'Text'})`;
}

export function leadFields(criteria: readonly string[]): string[] {
  return [
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
}

export const LEAD_HISTORY_SELECT = soql`Id, Field, OldValue, NewValue, CreatedDate, IsDeleted`;
export const FEEDBACK_SELECT = soql`Id, CreatedDate, Submitted_At__c, Rating__c, Lead_Source__c, Campaign__c, IsDeleted`;
export const REVIEW_SELECT = soql`Id, CreatedDate, Submitted_At__c, IsDeleted`;
export const TIMER_SELECT = soqlFields([...TIMER_FIELDS, 'IsDeleted']);

/**
 * The timer fields a tier decision reads — the run's key and the tier (Policy__c) it follows — and what routes a
 * timer to its record: all a what-if reads of the org's timers (a synced org has about two a lead, and the sync's
 * every field made the what-if's read a quarter longer).
 */
export const TIER_TIMER_SELECT = soqlFields(['Id', 'Timer_Key__c', 'Policy__c', 'Lead__c', 'Opportunity__c', 'IsDeleted']);

export function leadSoql(where: Soql, criteria: readonly string[] = [], timers: Soql = TIMER_SELECT): Soql {
  return soql`SELECT ${soqlFields(leadFields(criteria))}, \
(SELECT ${LEAD_HISTORY_SELECT} FROM Histories WHERE ${historyWhere(LEAD_HISTORY_FIELDS)}), \
(SELECT ${TASK_FIELDS} FROM Tasks WHERE IsClosed = true), \
(SELECT ${EVENT_FIELDS} FROM Events), \
(SELECT ${FEEDBACK_SELECT} FROM Lead_Quality_Feedback__r), \
(SELECT ${timers} FROM SLA_Timers__r) \
FROM Lead${where}`;
}

/** Lead fields every sync reads (a criteria field among them is not named twice). */
export const BASE_LEAD_FIELDS = new Set([
  'id',
  'name',
  'company',
  'createddate',
  'status',
  'ownerid',
  'leadsource',
  'isconverted',
  'isdeleted'
]);

export function opportunityFields(criteria: readonly string[]): string[] {
  const base = ['Id', 'Name', 'CreatedDate', 'StageName', 'OwnerId', 'IsClosed', 'IsDeleted', 'LastModifiedDate', 'SystemModstamp'];
  const lower = new Set(base.map((f) => f.toLowerCase()));
  return [...base, ...criteria.filter((f) => !lower.has(f.toLowerCase())), ROLLUP.Opportunity];
}

export function opportunitySoql(where: Soql, criteria: readonly string[] = [], timers: Soql = TIMER_SELECT): Soql {
  return soql`SELECT ${soqlFields(opportunityFields(criteria))}, \
(SELECT ${LEAD_HISTORY_SELECT} FROM Histories WHERE ${historyWhere(OPPORTUNITY_HISTORY_FIELDS)}), \
(SELECT ${REVIEW_SELECT} FROM Win_Loss_Reviews__r), \
(SELECT ${timers} FROM SLA_Timers__r) \
FROM Opportunity${where}`;
}

/** A record's parent read through a lookup (`ConvertedOpportunity`), or null. */
export function parent(row: OrgRecord, relationship: string): OrgRecord | null {
  const v = row[relationship];
  return typeof v === 'object' && v !== null ? (v as OrgRecord) : null;
}
