/**
 * The SLA_Calendar__c mirror: each BusinessHours an active policy uses, with the holidays, as the calendar
 * JSON the record page's countdown reads (timers link to it with Calendar__c). Read and written only by runs
 * that evaluate records: a calendar change changes the setup's fingerprint, which makes the run a full one.
 */
import { describeSaveError, soql } from '../org/data';
import type { OrgData, OrgRecord } from '../org/data';
import { SyncError } from './syncSummary';
import type { SyncSummary } from './syncSummary';
import type { SyncSetup } from './syncSetup';

/** Upserts the SLA_Calendar__c mirror of each calendar a policy uses (when it changed); returns BusinessHours Id → SLA_Calendar__c Id. */
export async function mirrorCalendars(
  data: OrgData,
  setup: SyncSetup,
  now: number,
  dryRun: boolean,
  summary: SyncSummary
): Promise<Map<string, string>> {
  const ids = new Map<string, string>();
  if (setup.calendars.size === 0) return ids;
  const existing = await data.all<OrgRecord & { Business_Hours_Id__c: string; Name: string; Definition__c: string | null }>(
    soql`SELECT Id, Name, Business_Hours_Id__c, Definition__c FROM SLA_Calendar__c WHERE Business_Hours_Id__c IN ${[...setup.calendars.keys()]}`
  );
  const byBh = new Map(existing.map((r) => [r.Business_Hours_Id__c.slice(0, 15), r]));
  const writes: Record<string, unknown>[] = [];
  for (const cal of setup.calendars.values()) {
    const row = byBh.get(cal.businessHoursId.slice(0, 15));
    if (row) ids.set(cal.businessHoursId, row.Id as string);
    const name = cal.name.slice(0, 80);
    if (row && row.Definition__c === cal.definitionJson && row.Name === name) {
      summary.calendars.unchanged++;
      continue;
    }
    writes.push({
      Business_Hours_Id__c: cal.businessHoursId,
      Name: name,
      Definition__c: cal.definitionJson,
      Synced_At__c: new Date(now).toISOString()
    });
  }
  summary.calendars.mirrored = writes.length;
  if (dryRun || writes.length === 0) return ids;
  const results = await data.upsert('SLA_Calendar__c', 'Business_Hours_Id__c', writes);
  results.forEach((r, i) => {
    const bh = writes[i].Business_Hours_Id__c as string;
    if (r.success && r.id) ids.set(bh, r.id);
    else summary.errors.push(`SLA_Calendar__c for BusinessHours ${bh}: ${describeSaveError(r)}`);
  });
  if (summary.errors.length > 0) {
    throw new SyncError(`could not mirror the business hours into SLA_Calendar__c: ${summary.errors[0]}`, summary);
  }
  return ids;
}
