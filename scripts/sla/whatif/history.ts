/**
 * The org's history a what-if replays, read once: the SLA_Policy__mdt records, the setup the SLA sync reads
 * (policies checked against the org's statuses and business hours, the calendars, the stages), every live lead
 * and opportunity as the clock rules' facts — read by the sync's own RecordReader, so the replay sees exactly
 * the events the sync sees — and the users (name, manager) the figures are grouped by. Nothing is written: the
 * OrgData it reads through refuses every write.
 */
import type { Connection } from 'jsforce';
import { OrgData } from '../../org/data';
import type { OrgRecord, OrgDataOptions } from '../../org/data';
import { soql } from '../../org/data';
import type { ClockFacts, SlaObject } from '../clock';
import { TIER_TIMER_SELECT } from '../syncRecordFields';
import { RecordReader } from '../syncRecords';
import { readPolicyRecords, readSetup, SETUP_READS } from '../syncSetup';
import type { PolicyRecord, SyncSetup } from '../syncSetup';

/** What a record brings to the figures besides its facts. */
export interface ReplayRecord {
  object: SlaObject;
  id: string;
  facts: ClockFacts;
  /** Lead.LeadSource (null for opportunities and leads without one) */
  leadSource: string | null;
  /** the tier (policy) each of its runs already follows in the org: Timer_Key__c → Policy__c, as the sync passes it */
  decided: ReadonlyMap<string, string>;
}

export interface OrgUser {
  id: string;
  name: string;
  managerId: string | null;
}

export interface History {
  data: OrgData;
  /** the org's SLA_Policy__mdt records, active or not */
  policyRecords: PolicyRecord[];
  /** the setup under the org's own policies (as the sync reads it) */
  current: SyncSetup;
  records: ReplayRecord[];
  /** users by 15-character Id */
  users: Map<string, OrgUser>;
  /** HTTP requests made to read it all */
  requests: number;
}

/** A what-if never writes: the data layer stops any write before it is sent. */
export class WhatIfWriteError extends Error {
  override readonly name = 'WhatIfWriteError';
}

const NO_WRITES: OrgDataOptions['beforeWrite'] = (req) => {
  throw new WhatIfWriteError(`a what-if writes nothing, but something asked to write ${JSON.stringify(req)}`);
};

const USERS_QUERY = soql`SELECT Id, Name, ManagerId FROM User`;

/**
 * Records per partition of the history's joined read (the sync's: 25,000). A what-if keeps every record's facts
 * for the whole run, so its memory follows the org's size already; up to this many records of an object are
 * joined in memory rather than spilled to disk and read back, which at 100,000 leads costs a quarter less CPU for
 * about 400 MB more at the peak (1.4 GB → 1.8 GB).
 */
const RECORDS_PER_PARTITION = 200_000;

/** The tiers of a record none of whose runs the org has a timer for yet (one map shared by all of them). */
const NONE_DECIDED: ReadonlyMap<string, string> = new Map();

export interface ReadHistoryOptions {
  onProgress?: (done: number, total: number) => void;
  /**
   * Proposed policy records whose tier criteria may name fields no current policy reads: those fields are read
   * with the history too (the history is read once, then replayed under every scenario).
   */
  proposals?: ReadonlyArray<{ DeveloperName: string; Object__c?: string | null; Criteria_Field__c?: string | null }>;
}

/** The fields every scenario's tiers read: the current setup's, and those a proposal's criteria name. */
function fieldsToRead(
  current: SyncSetup,
  policyRecords: readonly PolicyRecord[],
  proposals: NonNullable<ReadHistoryOptions['proposals']>
): Record<SlaObject, string[]> {
  const fields: Record<SlaObject, Set<string>> = {
    Lead: new Set(current.criteriaFields.Lead),
    Opportunity: new Set(current.criteriaFields.Opportunity)
  };
  for (const p of proposals) {
    const field = p.Criteria_Field__c?.trim();
    if (!field) continue;
    const object = p.Object__c ?? policyRecords.find((r) => r.DeveloperName === p.DeveloperName)?.Object__c;
    if (object === 'Lead' || object === 'Opportunity') fields[object].add(field);
  }
  return { Lead: [...fields.Lead], Opportunity: [...fields.Opportunity] };
}

export async function readHistory(conn: Connection, options: ReadHistoryOptions = {}): Promise<History> {
  const data = new OrgData(conn, { beforeWrite: NO_WRITES });
  await data.prefetch([...SETUP_READS, { soql: USERS_QUERY }]);
  const policyRecords = await readPolicyRecords(data);
  const current = await readSetup(data, policyRecords);
  const users = new Map<string, OrgUser>();
  for (const u of await data.all<OrgRecord>(USERS_QUERY)) {
    const id = (u.Id as string).slice(0, 15);
    users.set(id, { id, name: String(u.Name ?? u.Id), managerId: typeof u.ManagerId === 'string' ? u.ManagerId.slice(0, 15) : null });
  }
  const reader = new RecordReader(
    data,
    { closed: current.closedStages, won: current.wonStages },
    {
      maxGraceMinutes: maxGrace(policyRecords),
      criteriaFields: fieldsToRead(current, policyRecords, options.proposals ?? []),
      // of the org's timers, a replay reads only the tier each run follows (ReplayRecord.decided)
      timers: TIER_TIMER_SELECT,
      recordsPerPartition: RECORDS_PER_PARTITION
    }
  );
  const progress = { done: 0, total: 0 };
  const read = async (object: SlaObject): Promise<ReplayRecord[]> => {
    const records: ReplayRecord[] = [];
    let first = true;
    for await (const page of reader.all(object)) {
      if (first) progress.total += page.totalSize;
      first = false;
      for (const r of page.records) {
        // a deleted record's timers are all Cancelled: they leave every figure
        if (r.deleted) continue;
        const source = object === 'Lead' ? r.row?.LeadSource : null;
        const followed = r.timers.filter((t) => t.Policy__c);
        const decided = followed.length === 0 ? NONE_DECIDED : new Map(followed.map((t) => [t.Timer_Key__c, t.Policy__c as string]));
        records.push({
          object,
          id: r.id,
          facts: r.facts,
          leadSource: typeof source === 'string' && source !== '' ? source : null,
          decided
        });
      }
      progress.done += page.records.length;
      options.onProgress?.(progress.done, progress.total);
    }
    return records;
  };
  // leads and opportunities are read side by side: the org runs one's queries while this process joins the other's
  const [leads, opportunities] = await Promise.all([read('Lead'), read('Opportunity')]);
  const records = [...leads, ...opportunities];
  return { data, policyRecords, current, records, users, requests: data.requests };
}

/**
 * The largest backdate grace any policy record (active or not, proposed ones may activate it) allows, so the
 * activities a conversion moved are read far enough back for every scenario (at least the default 60 minutes).
 */
function maxGrace(records: readonly PolicyRecord[]): number {
  return Math.max(60, ...records.map((r) => (typeof r.Backdate_Grace_Minutes__c === 'number' ? r.Backdate_Grace_Minutes__c : 0)));
}
