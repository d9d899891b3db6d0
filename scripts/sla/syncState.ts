/**
 * The sync's memory, kept in the org (SLA_Sync_State__c, one record keyed `Key__c = 'sla-sync'`), so any
 * machine that runs the sync continues where the last successful run stopped:
 * - Watermark__c: this machine's clock when that run started; the next incremental run reads the changes
 *   stamped after it, less a 5-minute overlap (clock skew, transactions that commit late);
 * - Evaluated_At__c: the `now` that run evaluated the clocks at (breaches due after it are still escalated);
 * - Fingerprint__c: a hash of the active policies, their calendars and the closed stages; when it changes,
 *   the next run re-evaluates every record;
 * - Recent_Changes__c: the changes that run read inside the next run's overlap (id and stamp), so the
 *   overlap does not read them again;
 * - Last_Summary__c: that run's summary (JSON), for admins.
 * The record is written last, only by a run that finished without errors and read or wrote anything: a quiet
 * run leaves it as it is. Its own stamps tell the next run which changes are the sync's own: the user who
 * wrote it (LastModifiedById) is the user the sync runs as, and its SystemModstamp is the org's clock after
 * that run's last write (see syncChanges.ts).
 */
import { parseInstant } from './clock';
import { soql } from '../org/data';
import type { OrgData, OrgRecord } from '../org/data';

export const SYNC_STATE_OBJECT = 'SLA_Sync_State__c';
export const SYNC_STATE_KEY = 'sla-sync';

/** Recent_Changes__c holds at most this many entries (a line of ~30 characters each, in 131,072). */
export const RECENT_CHANGES_MAX = 4000;

export interface SyncState {
  watermark: number | null;
  evaluatedAt: number | null;
  fingerprint: string | null;
  /** `<id 15>` → the stamp (epoch ms) it had when the last run read it */
  recent: ReadonlyMap<string, number>;
  /** who wrote the state (the user the sync runs as) and when, by the org's clock; null without a state */
  writtenBy: string | null;
  writtenAt: number | null;
}

interface StateRow extends OrgRecord {
  Watermark__c: string | null;
  Evaluated_At__c: string | null;
  Fingerprint__c: string | null;
  Recent_Changes__c: string | null;
  LastModifiedById: string | null;
  SystemModstamp: string | null;
}

/** The query readState answers from (prefetch it with the run's first reads). */
export const STATE_QUERY = soql`SELECT Id, Watermark__c, Evaluated_At__c, Fingerprint__c, Recent_Changes__c, LastModifiedById, SystemModstamp FROM SLA_Sync_State__c WHERE Key__c = ${SYNC_STATE_KEY} LIMIT 1`;

export async function readState(data: OrgData): Promise<SyncState> {
  const rows = await data.all<StateRow>(STATE_QUERY);
  const row = rows[0];
  if (!row) return { watermark: null, evaluatedAt: null, fingerprint: null, recent: new Map(), writtenBy: null, writtenAt: null };
  const at = (v: string | null, field: string) => (v ? parseInstant(v, `${SYNC_STATE_OBJECT}.${field}`) : null);
  return {
    watermark: at(row.Watermark__c, 'Watermark__c'),
    evaluatedAt: at(row.Evaluated_At__c, 'Evaluated_At__c'),
    fingerprint: row.Fingerprint__c ?? null,
    recent: parseRecent(row.Recent_Changes__c),
    writtenBy: row.LastModifiedById ?? null,
    writtenAt: at(row.SystemModstamp, 'SystemModstamp')
  };
}

/** `<id15> <epoch seconds>` lines. */
function parseRecent(text: string | null): Map<string, number> {
  const out = new Map<string, number>();
  for (const line of (text ?? '').split('\n')) {
    const m = /^([A-Za-z0-9]{15}) (\d{1,12})$/.exec(line.trim());
    if (m) out.set(m[1], Number(m[2]) * 1000);
  }
  return out;
}

function formatRecent(recent: ReadonlyMap<string, number>): string {
  const newest = [...recent].sort((a, b) => b[1] - a[1]).slice(0, RECENT_CHANGES_MAX);
  return newest.map(([id, at]) => `${id} ${Math.floor(at / 1000)}`).join('\n');
}

export async function writeState(
  data: OrgData,
  state: Pick<SyncState, 'watermark' | 'evaluatedAt' | 'fingerprint' | 'recent'>,
  summary: unknown
): Promise<void> {
  const [result] = await data.upsert(SYNC_STATE_OBJECT, 'Key__c', [
    {
      Key__c: SYNC_STATE_KEY,
      Name: 'SLA sync',
      Watermark__c: state.watermark === null ? null : new Date(state.watermark).toISOString(),
      Evaluated_At__c: state.evaluatedAt === null ? null : new Date(state.evaluatedAt).toISOString(),
      Fingerprint__c: state.fingerprint,
      Recent_Changes__c: state.recent.size === 0 ? null : formatRecent(state.recent),
      Last_Summary__c: JSON.stringify(summary).slice(0, 32_768)
    }
  ]);
  if (!result.success) {
    const e = result.errors[0];
    throw new Error(`could not save the sync watermark (${SYNC_STATE_OBJECT}): ${e ? `${e.statusCode}: ${e.message}` : 'unknown error'}`);
  }
}
