/**
 * The sync's progress reports, as a progress bar shows them: `done` never goes back, the share
 * `done / total` never goes back (a bar at 100 % does not drop to 96 % when the opportunities are
 * counted after the leads), and the last report is (total, total). And the summary counts the live
 * records it read; deleted ones (read from the recycle bin to cancel their timers) apart.
 */
import { startTestOrg, type TestOrg } from '../../localorg/testing';
import { LOCAL_SYNC_USER } from '../../org/personas';
import { runSeed } from '../../seed';
import { runSync } from '../sync';
import { SyncProgress, type CountedPage } from '../syncProgress';

type Call = [done: number, total: number];

function expectMonotonic(calls: Call[]): void {
  for (let i = 1; i < calls.length; i++) {
    const [d0, t0] = calls[i - 1];
    const [d1, t1] = calls[i];
    expect(d1).toBeGreaterThanOrEqual(d0);
    expect(d1 / t1).toBeGreaterThanOrEqual(d0 / t0);
  }
  for (const [d, t] of calls) expect(d).toBeLessThanOrEqual(t);
  const [done, total] = calls[calls.length - 1];
  expect(done).toBe(total);
}

async function* pagesOf(sizes: number[], totalSize: number): AsyncGenerator<CountedPage> {
  for (const n of sizes) yield { records: new Array<unknown>(n).fill(null), totalSize };
}

/** Reads every page of every source as the sync does, reporting each page. */
async function drive(sources: Array<{ sizes: number[]; totalSize: number }>): Promise<Call[]> {
  const calls: Call[] = [];
  const progress = new SyncProgress((d, t) => calls.push([d, t]));
  const opened = await progress.open(sources.map((s, i) => ({ key: i, pages: pagesOf(s.sizes, s.totalSize) })));
  for (const { pages } of opened) for await (const page of pages) progress.advance(page.records.length);
  progress.finish();
  return calls;
}

describe('SyncProgress', () => {
  it('counts every object before the first report: leads then opportunities, never backwards', async () => {
    const calls = await drive([
      { sizes: [2000, 2000, 1000], totalSize: 5000 },
      { sizes: [300], totalSize: 300 }
    ]);
    expect(calls).toEqual([
      [2000, 5300],
      [4000, 5300],
      [5000, 5300],
      [5300, 5300]
    ]);
  });

  it('a read that ends short of the count (records deleted for good meanwhile) ends at what was read', async () => {
    const calls = await drive([
      { sizes: [2000, 900], totalSize: 3000 },
      { sizes: [40], totalSize: 50 }
    ]);
    expectMonotonic(calls);
    expect(calls[calls.length - 1]).toEqual([2940, 2940]);
  });

  it('more records than counted: the total follows', async () => {
    const calls = await drive([{ sizes: [10, 10, 5], totalSize: 20 }]);
    expectMonotonic(calls);
    expect(calls[calls.length - 1]).toEqual([25, 25]);
  });

  it('nothing to read: no report at all', async () => {
    expect(await drive([{ sizes: [], totalSize: 0 }])).toEqual([]);
  });
});

describe('a full sync of a seeded org with deleted leads', () => {
  let org: TestOrg;
  afterAll(async () => {
    await org?.close();
  });

  it('reports progress monotonically up to every record read, and counts live leads as read, deleted ones apart', async () => {
    const NOW = '2026-03-04T16:00:00.000Z';
    org = await startTestOrg({ now: () => new Date(NOW) });
    await runSeed(org.conn, { mode: 'local', seed: 7, leads: 150, now: NOW });
    // as the integration user the seed created (Closed_Loop_Sync only), as npm start and sla sync --local run it
    const sync = await org.connectionAs(LOCAL_SYNC_USER.Username);
    await runSync(sync, { now: NOW });
    // leads without feedback (a feedback's lookup keeps its lead from being deleted)
    const rated = new Set(
      (await org.conn.query<{ Lead__c: string }>('SELECT Lead__c FROM Lead_Quality_Feedback__c', { autoFetch: true })).records.map(
        (r) => r.Lead__c
      )
    );
    const leads = await org.conn.query<{ Id: string }>('SELECT Id FROM Lead WHERE IsConverted = false ORDER BY Id', { autoFetch: true });
    const doomed = leads.records
      .map((r) => r.Id)
      .filter((id) => !rated.has(id))
      .slice(0, 6);
    expect(doomed).toHaveLength(6);
    const deleted = await org.conn.sobject('Lead').destroy(doomed);
    expect(deleted.filter((r) => !r.success)).toEqual([]);
    const opportunities = (await org.conn.query('SELECT COUNT() FROM Opportunity')).totalSize;

    const calls: Call[] = [];
    const summary = await runSync(sync, { now: NOW, full: true, onProgress: (d, t) => calls.push([d, t]) });
    expectMonotonic(calls);
    expect(summary.records).toEqual({ leads: 144, opportunities });
    expect(summary.deletedRecords).toEqual({ leads: 6, opportunities: 0 });
    expect(calls[calls.length - 1]).toEqual([150 + opportunities, 150 + opportunities]);
    // the deleted leads' timers were cancelled: they were read, not measured
    const open = await org.conn.query(
      `SELECT Id FROM SLA_Timer__c WHERE Status__c IN ('Running', 'At Risk', 'Paused') AND Timer_Key__c LIKE '${doomed[0].slice(0, 15)}%'`
    );
    expect(open.totalSize).toBe(0);
  }, 120_000);
});
