/**
 * What a seed load takes and gives: its modes, options, progress, result and errors (the loader is loader.ts).
 */
import type { Connection } from 'jsforce';
import type { BulkClient } from '../org/data';

/**
 * How the plan reaches the org.
 * - `local`: the local org. Replaces its data (every record of the seeded objects and the SLA objects is deleted first;
 *   users, queues and business hours are matched by name and updated in place), then inserts the plan as it is: audit fields
 *   (CreatedDate, CreatedById, LastModified*) set on insert, LeadHistory/OpportunityFieldHistory rows written directly, leads
 *   inserted already converted. All three are local-org-only allowances.
 * - `org`: a real org (scratch/demo). Writes nothing the platform would reject: no audit fields, no history rows. Instead it
 *   replays each lead's and opportunity's history as real updates (status and owner changes, stage changes, in order) so the org
 *   records its own history, and converts leads with the SOAP API's convertLead (REST has no conversion call). Timestamps are
 *   therefore the load's own; MQL_At__c/Accepted_At__c and the feedback/review Submitted_At__c keep the plan's values.
 *   Skipped (nothing written) when the org already has demo leads (e-mail under `.example`).
 */
export type SeedMode = 'local' | 'org';

export interface SeedProgress {
  /** what is being written now, e.g. `Lead` or `Lead (history replay 3/9)` */
  step: string;
  done: number;
  total: number;
}

export interface LeadConvertRequest {
  leadId: string;
  convertedStatus: string;
  ownerId: string;
  opportunityName: string;
}
export interface LeadConvertResult {
  leadId: string;
  accountId: string;
  contactId: string;
  opportunityId: string;
}
/** Converts leads (≤ 100 a call). Default in org mode: `conn.soap.convertLead`. */
export type LeadConverter = (conn: Connection, requests: LeadConvertRequest[]) => Promise<LeadConvertResult[]>;

export interface LoadOptions {
  mode: SeedMode;
  onProgress?: (p: SeedProgress) => void;
  /** Records per composite/sobjects request (1–200). Default 200. */
  batchSize?: number;
  /** org mode: `create` the plan's users (needs free Salesforce licences), or map them onto the org's active users. Default `create`. */
  users?: 'create' | 'existing';
  /** org mode: appended to seeded usernames, which must be unique across all Salesforce orgs (e.g. `.my-scratch`). */
  usernameSuffix?: string;
  /** org mode: how to convert leads. Default: SOAP convertLead. */
  convertLeads?: LeadConverter;
  /**
   * Bulk API 2.0 for large loads (default: the data layer's client; `false`: collections only). An object with
   * more records than `bulkIngestThreshold` (default 10,000) is inserted (local mode: also reset) in ingest jobs
   * of up to 100,000 records instead of collections of 200.
   */
  bulk?: BulkClient | false;
  bulkIngestThreshold?: number;
}

export interface LoadResult {
  mode: SeedMode;
  /** why nothing was written (org mode, demo data already there) */
  skipped?: string;
  created: Partial<Record<string, number>>;
  updated: Partial<Record<string, number>>;
  deleted: Partial<Record<string, number>>;
  /** plan key → record Id (a load in batches of leads: the shared records' and those of the last batch that others refer to) */
  ids: Map<string, string>;
  /** HTTP requests made (REST and SOAP, counted by the org data layer) */
  requests: number;
}

export class SeedLoadError extends Error {
  override readonly name = 'SeedLoadError';
}

/** Objects whose records `local` mode deletes before loading, children before parents. */
export const LOCAL_RESET_ORDER = [
  'Lead_Quality_Feedback__c',
  'Win_Loss_Review__c',
  'SLA_Timer__c',
  'SLA_Calendar__c',
  // computed from the data being replaced: the sync's watermark (so the next sync starts over), scorecard snapshots
  'SLA_Sync_State__c',
  'Scorecard_Snapshot__c',
  'CampaignMember',
  'Task',
  'Event',
  'Opportunity',
  'Contact',
  'Account',
  'Lead',
  'Campaign',
  'Holiday'
] as const;
