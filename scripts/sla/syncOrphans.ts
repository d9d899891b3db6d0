/**
 * Timers whose record was deleted for good (emptied from the recycle bin before a sync saw it: its lookups
 * were cleared and the record is gone from queryAll) become Cancelled like those of any deleted record.
 */
import { chunked, describeSaveError, soql, soqlFields } from '../org/data';
import type { OrgData, OrgRecord } from '../org/data';
import type { SyncSummary } from './syncSummary';
import { IDS_PER_QUERY } from './syncChanges';
import { cancellation, TIMER_FIELDS } from './syncPlan';
import type { TimerRow } from './syncPlan';

/** Open timers with no record lookup (an incremental run has them from its change detection). */
export function orphanTimers(data: OrgData): Promise<Array<TimerRow & OrgRecord>> {
  return data.all<TimerRow & OrgRecord>(
    soql`SELECT ${soqlFields(TIMER_FIELDS)} FROM SLA_Timer__c WHERE Lead__c = null AND Opportunity__c = null AND Status__c != 'Cancelled'`,
    { max: 1_000_000 }
  );
}

/**
 * Cancels the timers among `rows` (timers with no lookup) whose record this run did not read and that is gone
 * for good. One query per 200 record ids when there are any.
 */
export async function cancelOrphans(
  data: OrgData,
  rows: readonly TimerRow[],
  summary: SyncSummary,
  opts: { dryRun: boolean; now: number; seen: ReadonlySet<string>; activePolicyNames: ReadonlySet<string> }
): Promise<void> {
  const recordOf = (t: TimerRow) => t.Timer_Key__c.slice(0, t.Timer_Key__c.indexOf(':'));
  const candidates = rows.filter((t) => !opts.seen.has(recordOf(t).slice(0, 15)));
  if (candidates.length === 0) return;
  const alive = new Set<string>();
  for (const [sobject, prefix] of [
    ['Lead', '00Q'],
    ['Opportunity', '006']
  ] as const) {
    const ids = [...new Set(candidates.map(recordOf).filter((id) => id.startsWith(prefix)))];
    for (const chunk of chunked(ids, IDS_PER_QUERY)) {
      for (const r of await data.all<OrgRecord>(soql`SELECT Id FROM ${soqlFields([sobject])} WHERE Id IN ${chunk}`, {
        includeDeleted: true
      })) {
        alive.add(String(r.Id).slice(0, 15));
      }
    }
  }
  const upserts = candidates
    .filter((t) => !alive.has(recordOf(t).slice(0, 15)))
    .map((t) => cancellation(t, { now: opts.now, activePolicyNames: opts.activePolicyNames }, true))
    .filter((u): u is Record<string, unknown> => u !== null);
  summary.timers.cancelled += upserts.length;
  if (opts.dryRun || upserts.length === 0) return;
  const results = await data.upsert('SLA_Timer__c', 'Timer_Key__c', upserts, { ids: false });
  results.forEach((r, i) => {
    if (!r.success) summary.errors.push(`SLA_Timer__c ${String(upserts[i].Timer_Key__c)}: ${describeSaveError(r)}`);
  });
}
