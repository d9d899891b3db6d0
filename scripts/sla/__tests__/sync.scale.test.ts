/**
 * What a large first sync costs follows its jobs, not its breaches: two orgs alike but for the number of leads
 * that breached their Accept and First Touch SLAs this morning (one four times the other), both synced for the
 * first time with every read and write large enough for Bulk API 2.0 (the thresholds lowered to 0), make the
 * same calls but for the jobs' status checks — however many more escalation tasks, Escalated__c flags and
 * crossings the larger one has. Alerts follow recipients, not breaches: each rep and the manager get the same few
 * alerts and one digest of the rest, in the same action requests. Counted from each run's own summary (apiCalls)
 * and, by kind, on the run's connection. New York business hours Mon–Fri 09:00–17:00; Monday 2026-03-02 09:00 New York = 14:00Z.
 */
import { requestCounter } from '../../org/data';
import { bulk2Client } from '../../org/data/bulkClient';
import { runSync } from '../sync';
import type { SyncSummary } from '../sync';
import { ALERTS_PER_RECIPIENT } from '../syncNotify';
import { startSyncOrg } from './syncFixtures';
import type { SyncOrg } from './syncFixtures';

const MQL_AT = '2026-03-02T14:00:00.000Z';
const SYNC_AT = '2026-03-02T20:00:00.000Z';
const SIZES = [60, 240] as const;

interface Run {
  summary: SyncSummary;
  byKind: Record<string, number>;
}
const runs = new Map<number, Run>();
const orgs: SyncOrg[] = [];

/** `n` leads that became MQLs at 09:00 New York, owned by the two reps in turn: nobody accepted or called them. */
async function untouchedLeads(o: SyncOrg, n: number): Promise<void> {
  o.at(MQL_AT);
  const leads = Array.from({ length: n }, (_, i) => ({
    LastName: `Waiting ${i}`,
    Company: 'Breach Co',
    Status: 'Marketing Qualified',
    OwnerId: i % 2 === 0 ? o.rep1 : o.rep2,
    CreatedDate: MQL_AT
  }));
  for (let i = 0; i < n; i += 200) {
    const results = await o.conn.sobject('Lead').create(leads.slice(i, i + 200), { allOrNone: true });
    expect(results.every((r) => r.success)).toBe(true);
  }
}

beforeAll(async () => {
  for (const leads of SIZES) {
    const o = await startSyncOrg();
    orgs.push(o);
    await untouchedLeads(o, leads);
    o.at(SYNC_AT);
    const counter = requestCounter(o.sync);
    const before = new Map(counter.byKind);
    const summary = await runSync(o.sync, {
      now: SYNC_AT,
      clock: o.clock,
      bulk: bulk2Client(o.sync, { maxPollInterval: 20 }),
      bulkQueryThreshold: 0,
      bulkIngestThreshold: 0
    });
    const byKind: Record<string, number> = {};
    for (const [kind, count] of counter.byKind) if (count > (before.get(kind) ?? 0)) byKind[kind] = count - (before.get(kind) ?? 0);
    runs.set(leads, { summary, byKind });
  }
}, 300_000);
afterAll(async () => {
  for (const o of orgs) await o.close();
});

/** The calls that do not depend on how long the org took: all but the jobs' status checks. */
function steadyCalls(run: Run): Record<string, number> {
  return Object.fromEntries(Object.entries(run.byKind).filter(([kind]) => !kind.endsWith(': status')));
}

test('four times the breaches: the same calls but for the status checks, the same alerts and a digest for each recipient', () => {
  const [small, large] = SIZES.map((n) => runs.get(n) as Run);
  for (const run of [small, large]) {
    expect(run.summary.errors).toEqual([]);
    // the run's own count is the connection's
    expect(run.summary.apiCalls).toBe(Object.values(run.byKind).reduce((a, b) => a + b, 0));
  }
  // what reps and their manager see: per lead, two breaches (Accept, First Touch), each with a task for the rep;
  // the Accept policy gives the manager one too. Each rep (half the leads) and the manager get a few alerts and
  // a digest of the others
  SIZES.forEach((n, i) => {
    const { summary } = i === 0 ? small : large;
    expect(summary.escalations).toEqual({ timers: 2 * n, userTasks: 2 * n, managerTasks: n, withoutManager: 0 });
    const crossings = 2 * n + n;
    expect(summary.notifications).toEqual({
      sent: 3 * (ALERTS_PER_RECIPIENT + 1),
      failed: 0,
      digests: 3,
      digested: crossings - 3 * ALERTS_PER_RECIPIENT
    });
  });
  expect(steadyCalls(large)).toEqual(steadyCalls(small));
  expect(steadyCalls(large).actions).toBe(2);
});
