/**
 * The sync's memory, kept in the org (SLA_Sync_State__c, one record keyed `Key__c = 'sla-sync'`), so any
 * machine that runs the sync continues where the last successful run stopped:
 * - Watermark__c: the newest SystemModstamp (CreatedDate for history rows) the last successful run saw;
 *   the next incremental run reads changes after it, less a 5-minute overlap;
 * - Evaluated_At__c: the `now` that run evaluated the clocks at (breaches stopped after it are still escalated);
 * - Fingerprint__c: a hash of the active policies, their calendars and the closed stages; when it changes,
 *   the next run re-evaluates every record;
 * - Last_Summary__c: that run's summary (JSON), for admins.
 * The record is written last, and only by a run that finished without errors.
 */
import { parseInstant } from './clock';
import type { OrgData, OrgRecord } from './orgData';

export const SYNC_STATE_OBJECT = 'SLA_Sync_State__c';
export const SYNC_STATE_KEY = 'sla-sync';

export interface SyncState {
  watermark: number | null;
  evaluatedAt: number | null;
  fingerprint: string | null;
}

interface StateRow extends OrgRecord {
  Watermark__c: string | null;
  Evaluated_At__c: string | null;
  Fingerprint__c: string | null;
}

export async function readState(data: OrgData): Promise<SyncState> {
  const rows = await data.all<StateRow>(
    `SELECT Id, Watermark__c, Evaluated_At__c, Fingerprint__c FROM ${SYNC_STATE_OBJECT} WHERE Key__c = '${SYNC_STATE_KEY}' LIMIT 1`
  );
  const row = rows[0];
  if (!row) return { watermark: null, evaluatedAt: null, fingerprint: null };
  return {
    watermark: row.Watermark__c ? parseInstant(row.Watermark__c, `${SYNC_STATE_OBJECT}.Watermark__c`) : null,
    evaluatedAt: row.Evaluated_At__c ? parseInstant(row.Evaluated_At__c, `${SYNC_STATE_OBJECT}.Evaluated_At__c`) : null,
    fingerprint: row.Fingerprint__c ?? null
  };
}

export async function writeState(data: OrgData, state: SyncState, summary: unknown): Promise<void> {
  const [result] = await data.upsert(SYNC_STATE_OBJECT, 'Key__c', [
    {
      Key__c: SYNC_STATE_KEY,
      Name: 'SLA sync',
      Watermark__c: state.watermark === null ? null : new Date(state.watermark).toISOString(),
      Evaluated_At__c: state.evaluatedAt === null ? null : new Date(state.evaluatedAt).toISOString(),
      Fingerprint__c: state.fingerprint,
      Last_Summary__c: JSON.stringify(summary).slice(0, 32_768)
    }
  ]);
  if (!result.success) {
    const e = result.errors[0];
    throw new Error(`could not save the sync watermark (${SYNC_STATE_OBJECT}): ${e ? `${e.statusCode}: ${e.message}` : 'unknown error'}`);
  }
}
