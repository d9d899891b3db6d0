/**
 * The clocks judged on the demo org `npm start` builds (seed 42, 2,000 leads), as a manager reads them: the
 * converted leads — the best ones — have their First Touch met, and no lead rejected or recycled before its
 * First Touch was due shows a breach or an escalation task for it. Then a re-seed and a sync leave no timer
 * without a live record.
 */
import type { Connection } from 'jsforce';
import { startTestOrg } from '../../localorg/testing';
import { LOCAL_SYNC_USER } from '../../org/personas';
import type { TestOrg } from '../../localorg/testing';
import { runSeed } from '../../seed';
import { runSync } from '../sync';
import type { SyncSummary } from '../sync';

const NOW = '2026-03-04T16:00:00.000Z';

let org: TestOrg;
let conn: Connection;
/** the integration user the seed creates: the sync runs as it, as npm start runs it */
let syncUser: Connection;
let summary: SyncSummary;

async function all<T extends Record<string, unknown>>(soql: string): Promise<T[]> {
  return (await conn.query<T>(soql, { autoFetch: true, maxFetch: 1_000_000 })).records;
}

beforeAll(async () => {
  org = await startTestOrg({ now: () => new Date(NOW) });
  conn = org.conn;
  await runSeed(conn, { mode: 'local', seed: 42, leads: 2000, now: NOW });
  syncUser = await org.connectionAs(LOCAL_SYNC_USER.Username);
  summary = await runSync(syncUser, { now: NOW, clock: () => Date.parse(NOW) });
}, 300_000);
afterAll(() => org?.close());

type TimerRow = Record<string, unknown> & {
  Timer_Key__c: string;
  Lead__c: string;
  Status__c: string;
  Started_At__c: string;
  Due_At__c: string;
  Lead__r: { IsConverted: boolean } | null;
};

const firstTouch = () =>
  all<TimerRow>(
    "SELECT Timer_Key__c, Lead__c, Status__c, Started_At__c, Due_At__c, Lead__r.IsConverted FROM SLA_Timer__c WHERE Clock__c = 'First Touch'"
  );

it('more than 90 % of the First Touch timers on converted leads are Met', async () => {
  // as the integration user: nothing refused, nothing left out for lack of a permission (converted leads included)
  expect(summary.errors).toEqual([]);
  expect(summary.warnings).toEqual([]);
  expect(summary.recordsUpdated.leads).toBeGreaterThan(1500);
  const converted = (await firstTouch()).filter((t) => t.Lead__r?.IsConverted === true);
  const met = converted.filter((t) => t.Status__c === 'Met').length;
  expect(converted.length).toBeGreaterThan(150);
  expect(met / converted.length).toBeGreaterThan(0.9);
});

it('no lead rejected or recycled before its First Touch was due has that timer Breached, or an escalation task for it', async () => {
  const entries = new Map<string, number[]>();
  const rows = await all<{ LeadId: string; NewValue: string; CreatedDate: string }>(
    "SELECT LeadId, NewValue, CreatedDate FROM LeadHistory WHERE Field = 'Status'"
  );
  for (const h of rows.filter((r) => r.NewValue === 'Rejected' || r.NewValue === 'Recycled')) {
    entries.set(h.LeadId, [...(entries.get(h.LeadId) ?? []), Date.parse(h.CreatedDate)]);
  }
  const notRequired = (await firstTouch()).filter((t) =>
    (entries.get(t.Lead__c) ?? []).some((at) => at >= Date.parse(t.Started_At__c) && at <= Date.parse(t.Due_At__c))
  );
  expect(notRequired.length).toBeGreaterThan(200);
  expect(notRequired.filter((t) => t.Status__c === 'Breached')).toEqual([]);
  const keys = new Set(notRequired.map((t) => t.Timer_Key__c));
  const tasks = await all<{ Description: string }>("SELECT Description FROM Task WHERE Subject LIKE 'SLA breached%First Touch%'");
  expect(tasks.filter((t) => keys.has(/Timer key: (.+)$/m.exec(t.Description)?.[1] ?? ''))).toEqual([]);
});

it('a re-seed and a sync leave no timer without a live record', async () => {
  await runSeed(conn, { mode: 'local', seed: 7, leads: 300, now: NOW });
  const s = await runSync(syncUser, { now: NOW, clock: () => Date.parse(NOW) });
  expect(s.errors).toEqual([]);
  const orphans = await conn.query('SELECT COUNT() FROM SLA_Timer__c WHERE Lead__c = null AND Opportunity__c = null');
  expect(orphans.totalSize).toBe(0);
  expect((await conn.query('SELECT COUNT() FROM SLA_Timer__c')).totalSize).toBeGreaterThan(0);
});
