import type { CalendarDefinition } from '../calendar';

/** A field value as the REST API takes it: datetimes as ISO strings, dates as `YYYY-MM-DD`. */
export type SeedValue = string | number | boolean | null;

/**
 * One record of the demo data, as plain data. `key` is its stable external key (unique in the plan,
 * the same for the same seed); `refs` are lookups to other plan records by key (`{ OwnerId: 'User:rep-03' }`),
 * which the loader turns into Ids.
 */
export interface SeedRecord {
  sobject: SeedObject;
  key: string;
  fields: Record<string, SeedValue>;
  refs: Record<string, string>;
}

/** The objects the seed writes, in load order (parents before children). */
export const SEED_OBJECTS = [
  'User',
  // each demo user's persona permission set (the loader assigns them through scripts/org/personas.ts)
  'PermissionSetAssignment',
  'Group',
  'GroupMember',
  'BusinessHours',
  'Holiday',
  'Campaign',
  'Account',
  'Contact',
  'Opportunity',
  'Lead',
  'CampaignMember',
  'LeadHistory',
  'OpportunityFieldHistory',
  'Task',
  'Event',
  'Lead_Quality_Feedback__c',
  'Win_Loss_Review__c'
] as const;
export type SeedObject = (typeof SEED_OBJECTS)[number];

/** The records every lead refers to, made and loaded before the leads (a streamed plan's `shared`). */
export const SHARED_OBJECTS: readonly SeedObject[] = [
  'User',
  'PermissionSetAssignment',
  'Group',
  'GroupMember',
  'BusinessHours',
  'Holiday',
  'Campaign'
];

/**
 * Setup records the seed matches by a natural key and updates in place instead of inserting
 * (the org may already have them: a default BusinessHours always exists and cannot be created).
 */
export const MATCH_FIELD: Partial<Record<SeedObject, string>> = {
  User: 'Username',
  Group: 'DeveloperName',
  BusinessHours: 'Name',
  Holiday: 'Name'
};

/** Fields only the local org lets an insert set (audit fields, conversion state). */
export const AUDIT_FIELDS = ['CreatedDate', 'CreatedById', 'LastModifiedDate', 'LastModifiedById'] as const;
export const CONVERSION_FIELDS = [
  'IsConverted',
  'ConvertedDate',
  'ConvertedAccountId',
  'ConvertedContactId',
  'ConvertedOpportunityId'
] as const;

export interface SeedOptions {
  /** Any integer; the same seed and `now` give byte-identical data. Default 42. */
  seed?: number;
  /** The anchor every timestamp is relative to (nothing is later). Required: the plan never reads the clock. */
  now: Date | string | number;
  /** Leads to create. Default 2,000. */
  leads?: number;
  /** Leads are created over the last `days` days. Default 60. */
  days?: number;
}

export interface SeedPlan {
  seed: number;
  /** ISO instant the plan is anchored at. */
  now: string;
  leads: number;
  days: number;
  /** Every record by object, in SEED_OBJECTS order. */
  records: Record<SeedObject, SeedRecord[]>;
  /** The demo business calendar (the BusinessHours record + holidays), as SLA_Calendar__c.Definition__c holds it. */
  calendar: CalendarDefinition;
}

/**
 * The plan in bounded memory (`streamSeedPlan`): what every lead refers to, then the leads in batches. The same
 * records as the whole `SeedPlan`, in the same order.
 */
export interface SeedPlanStream extends Omit<SeedPlan, 'records'> {
  /** users, permission set assignments, groups and queues, business hours, holidays, campaigns */
  shared: SeedPlan['records'];
  /** the leads with their accounts, contacts, opportunities, history, activities, memberships, feedback and reviews, in key order; read once */
  batches: Iterable<SeedBatch>;
  /**
   * The same batches (read once: this or `batches`), each made a slice of leads at a time with the event loop let
   * run between slices: a loader that asks for the next batch before writing the current one makes the next batch
   * while the org writes the current one.
   */
  pacedBatches: AsyncIterable<SeedBatch>;
}

/** Consecutive leads and every record that hangs off them (their references point at these or at shared records). */
export interface SeedBatch {
  leads: number;
  records: SeedPlan['records'];
}

export const DEFAULT_SEED = 42;
export const DEFAULT_LEADS = 2000;
export const DEFAULT_DAYS = 60;
/** The most leads `seed --local` and `npm start` take (a streamed plan holds a few batches at a time, whatever the number). */
export const MAX_LOCAL_LEADS = 1_000_000;
/**
 * Leads a streamed plan generates and loads at a time (about 100 MB of records and request bodies; the loader holds
 * up to three: two being written, the next being made). Small enough that the org starts on the first batch soon
 * and the loader's work between jobs is short; a batch of 10,000 was no faster.
 */
export const DEFAULT_BATCH_LEADS = 20_000;
/** Every seeded lead and contact has an e-mail address under this reserved top-level domain (RFC 2606). */
export const DEMO_EMAIL_TLD = '.example';
