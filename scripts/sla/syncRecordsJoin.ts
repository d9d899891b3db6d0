/**
 * A large org's full read for the sync in Bulk API 2.0 query jobs: one job per object — the leads' (or
 * opportunities') fields, then each child object the REST query reads as a subquery, and what the REST path asks
 * per page — routed to their parent and joined by `OrgData.joined` (scripts/org/data/bulkJoin.ts), so the records
 * are those of the REST read (syncRecords.ts turns both into the rules' records).
 */
import { children, id15, ownCopy, soql, soqlFields } from '../org/data';
import type { JoinChildren, JoinSpec, OrgRecord, Soql } from '../org/data';
import {
  EVENT_FIELDS,
  FEEDBACK_SELECT,
  historyWhere,
  LEAD_HISTORY_FIELDS,
  LEAD_HISTORY_SELECT,
  leadFields,
  MOVED_ACTIVITY_FIELDS,
  OPPORTUNITY_HISTORY_FIELDS,
  opportunityFields,
  parent,
  REVIEW_SELECT,
  TASK_FIELDS,
  TIMER_SELECT
} from './syncRecordFields';
import type { TimerRow } from './syncPlan';

export interface JoinOptions {
  /** the fields the tiers' criteria read on the object */
  criteria: readonly string[];
  /** records per partition (default 2,500): each partition is a page held in memory */
  recordsPerPartition?: number;
  /** the timer fields read (default: every field the sync reads, TIMER_SELECT) */
  timers?: Soql;
}

/** Leads' Id prefix (the key prefix of the Lead object in every org). */
const LEAD_KEY_PREFIX = '00Q';

/**
 * Records of the object per partition of a joined read: each partition — its records with all their children, and
 * the rules' records made of them — is held in memory while it is read, about 20 KB a lead with its history and
 * activities, so a partition of 2,500 is about 50 MB whatever the org's size; the last one read is still held while
 * the writes of a batch are sent, the sync's peak. Partitions cost no request (they are temporary files), so they
 * are kept small.
 */
const RECORDS_PER_PARTITION = 2_500;

/** Relationship names a joined read attaches to leads for what the REST path reads per page. */
export const JOINED = {
  movedTasks: 'ClosedLoop_MovedTasks',
  movedEvents: 'ClosedLoop_MovedEvents',
  wonHistory: 'ClosedLoop_WonStageHistory',
  memberships: 'ClosedLoop_Memberships',
  timersOfDeleted: 'ClosedLoop_TimersOfDeleted'
} as const;

/**
 * The timers of one object's records for a joined read: by their lookup, and a deleted record's (whose lookup
 * the delete cleared) by the record Id their Timer_Key__c starts with — what the REST path reads as
 * SLA_Timers__r and `timersOfDeleted`.
 */
function timersOf(lookup: 'Lead__c' | 'Opportunity__c', query: Soql, deleted: ReadonlySet<string>): JoinChildren {
  return {
    soql: query,
    route: (t) => {
      const owner = id15(t[lookup]);
      if (owner) return [[owner, 'SLA_Timers__r']];
      const keyed = id15(t.Timer_Key__c);
      if (!deleted.has(keyed)) return [];
      // as `timersOfDeleted` reads them
      delete t.IsDeleted;
      return [[keyed, JOINED.timersOfDeleted]];
    }
  };
}

/** The timers a joined read found by key for deleted records (taken off the rows). */
export function joinedTimersOfDeleted(rows: readonly OrgRecord[]): Map<string, TimerRow[]> {
  const out = new Map<string, TimerRow[]>();
  for (const r of rows) {
    const timers = children<TimerRow & OrgRecord>(r, JOINED.timersOfDeleted);
    if (timers.length > 0) out.set(r.Id as string, timers);
    r[JOINED.timersOfDeleted] = undefined;
  }
  return out;
}

/**
 * Leads read in Bulk: the lead fields, then each child object the subqueries read (history, activities,
 * feedback, timers), routed to their lead; and what the REST path asks per page — the activities a
 * conversion moved to the contact, opportunity or account, the stage history of won converted
 * opportunities, the campaign memberships of leads with feedback to stamp — routed to the leads the
 * parents' fields point them to.
 */
export function leadJoin(total: number, options: JoinOptions): JoinSpec {
  const movedTo = new Map<string, string[]>();
  const wonOpportunities = new Map<string, string[]>();
  const deleted = new Set<string>();
  const unstamped = new Set<string>();
  // the keys these keep for the whole read are copies (ownCopy): a value of a row holds its page of results
  const link = (map: Map<string, string[]>, key: unknown, lead: string) => {
    const k = id15(key);
    if (!k) return;
    const list = map.get(k);
    if (!list) map.set(ownCopy(k), [lead]);
    else if (!list.includes(lead)) list.push(lead);
  };
  const activities =
    (own: string, moved: string, movedOnly: readonly string[]): JoinChildren['route'] =>
    (a) => {
      const who = id15(a.WhoId);
      // a lead's own activities name it as WhoId (Lead.Tasks / Lead.Events); an activity naming another
      // person is that person's, one naming nobody may belong to the lead's opportunity or account
      if (who.startsWith(LEAD_KEY_PREFIX)) {
        // read as the lead's subquery reads its own: without the fields read for the moved ones
        // (cleared rather than deleted, as a joined read clears routing fields: scripts/org/data/bulkJoin.ts)
        for (const f of movedOnly) a[f] = undefined;
        return [[who, own]];
      }
      return (movedTo.get(who || id15(a.WhatId)) ?? []).map((lead) => [lead, moved] as const);
    };
  return {
    parent: soql`SELECT ${soqlFields(leadFields(options.criteria))} FROM Lead`,
    includeDeleted: true,
    // counted by the reader: the parents' job is checked at the pace its size takes
    expected: total,
    buckets: Math.ceil(total / (options.recordsPerPartition ?? RECORDS_PER_PARTITION)),
    relationships: ['Histories', 'Tasks', 'Events', 'Lead_Quality_Feedback__r', 'SLA_Timers__r', ...Object.values(JOINED)],
    // the routing keys (a million-lead org's conversions: about 400,000, some 40 MB) go once every row is routed
    onRead: () => {
      for (const keys of [movedTo, wonOpportunities, deleted, unstamped]) keys.clear();
    },
    onParent: (r) => {
      const id = ownCopy(id15(r.Id));
      if (r.IsDeleted === true) deleted.add(id);
      else if (r.IsConverted === true && (r.ConvertedContactId || r.ConvertedOpportunityId)) {
        link(movedTo, r.ConvertedContactId, id);
        link(movedTo, r.ConvertedOpportunityId, id);
        link(movedTo, r.ConvertedAccountId, id);
      }
      if (r.ConvertedOpportunityId && parent(r, 'ConvertedOpportunity')?.IsWon === true)
        link(wonOpportunities, r.ConvertedOpportunityId, id);
    },
    children: [
      {
        soql: soql`SELECT ${LEAD_HISTORY_SELECT}, LeadId FROM LeadHistory WHERE ${historyWhere(LEAD_HISTORY_FIELDS)}`,
        includeDeleted: true,
        route: (h) => [[id15(h.LeadId), 'Histories']],
        routingOnly: ['LeadId']
      },
      {
        soql: soql`SELECT ${TASK_FIELDS}, ${MOVED_ACTIVITY_FIELDS} FROM Task WHERE IsClosed = true`,
        includeDeleted: true,
        route: activities('Tasks', JOINED.movedTasks, ['WhoId', 'WhatId', 'CreatedDate'])
      },
      {
        soql: soql`SELECT ${EVENT_FIELDS}, WhoId, WhatId FROM Event`,
        includeDeleted: true,
        route: activities('Events', JOINED.movedEvents, ['WhoId', 'WhatId'])
      },
      {
        soql: soql`SELECT ${FEEDBACK_SELECT}, Lead__c FROM Lead_Quality_Feedback__c`,
        includeDeleted: true,
        route: (f) => {
          const lead = id15(f.Lead__c);
          if (f.IsDeleted !== true && !f.Submitted_At__c && !unstamped.has(lead)) unstamped.add(ownCopy(lead));
          return [[lead, 'Lead_Quality_Feedback__r']];
        },
        routingOnly: ['Lead__c']
      },
      timersOf('Lead__c', soql`SELECT ${options.timers ?? TIMER_SELECT} FROM SLA_Timer__c WHERE Opportunity__c = null`, deleted),
      {
        soql: soql`SELECT OpportunityId, NewValue, CreatedDate FROM OpportunityFieldHistory WHERE Field = 'StageName'`,
        route: (h) => (wonOpportunities.get(id15(h.OpportunityId)) ?? []).map((lead) => [lead, JOINED.wonHistory] as const),
        when: () => wonOpportunities.size > 0
      },
      {
        soql: soql`SELECT Id, LeadId, CampaignId, CreatedDate FROM CampaignMember`,
        route: (m) => (unstamped.has(id15(m.LeadId)) ? [[id15(m.LeadId), JOINED.memberships]] : []),
        when: () => unstamped.size > 0
      }
    ]
  };
}

/** Opportunities read in Bulk: their fields, then their history, reviews and timers routed to them. */
export function opportunityJoin(total: number, options: JoinOptions): JoinSpec {
  const deleted = new Set<string>();
  return {
    parent: soql`SELECT ${soqlFields(opportunityFields(options.criteria))} FROM Opportunity`,
    includeDeleted: true,
    // counted by the reader: the parents' job is checked at the pace its size takes
    expected: total,
    buckets: Math.ceil(total / (options.recordsPerPartition ?? RECORDS_PER_PARTITION)),
    relationships: ['Histories', 'Win_Loss_Reviews__r', 'SLA_Timers__r', JOINED.timersOfDeleted],
    onRead: () => deleted.clear(),
    onParent: (r) => {
      if (r.IsDeleted === true) deleted.add(ownCopy(id15(r.Id)));
    },
    children: [
      {
        soql: soql`SELECT ${LEAD_HISTORY_SELECT}, OpportunityId FROM OpportunityFieldHistory WHERE ${historyWhere(OPPORTUNITY_HISTORY_FIELDS)}`,
        includeDeleted: true,
        route: (h) => [[id15(h.OpportunityId), 'Histories']],
        routingOnly: ['OpportunityId']
      },
      {
        soql: soql`SELECT ${REVIEW_SELECT}, Opportunity__c FROM Win_Loss_Review__c`,
        includeDeleted: true,
        route: (r) => [[id15(r.Opportunity__c), 'Win_Loss_Reviews__r']],
        routingOnly: ['Opportunity__c']
      },
      timersOf('Opportunity__c', soql`SELECT ${options.timers ?? TIMER_SELECT} FROM SLA_Timer__c WHERE Lead__c = null`, deleted)
    ]
  };
}
