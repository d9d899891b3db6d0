/**
 * Reports count an open SLA timer's elapsed business minutes when they run: the sync does not rewrite
 * Elapsed_Business_Minutes__c as time passes (it keeps it for stopped and paused timers), so the report
 * counts it from the timer's Due_At__c on its calendar — the same number the record page shows.
 * New York business hours Mon–Fri 09:00–17:00; Monday 2026-03-02 09:00 New York = 14:00Z.
 */
import { runReport } from '../runner';
import type { ReportResult } from '../runner';
import { runSync } from '../../sla/sync';
import { lead, startSyncOrg } from '../../sla/__tests__/syncFixtures';
import type { SyncOrg } from '../../sla/__tests__/syncFixtures';

let o: SyncOrg;
beforeAll(async () => {
  o = await startSyncOrg();
});
afterAll(() => o.close());

const Z = (hm: string) => `2026-03-02T${hm}:00.000Z`;

/** The detail rows of a report, every group's. */
function rows(r: ReportResult): Array<Record<string, unknown>> {
  const out = (r.grandTotal.rows ?? []).map((x) => x.values);
  for (const g of r.groups) for (const x of g.rows ?? []) out.push(x.values);
  return out;
}

it('an open breached timer counts on between syncs; a stopped one keeps its final count', async () => {
  // an MQL owned by rep1 since 09:00 New York: Accept (60 business minutes) is due at 10:00, nobody accepts it
  await lead(o, {
    name: 'Open Breach',
    createdAt: Z('13:00'),
    status: 'New',
    owner: o.rep1,
    steps: [{ at: Z('14:00'), status: 'Marketing Qualified' }]
  });
  // and one accepted late, at 10:30 New York: Breached, stopped
  await lead(o, {
    name: 'Late Accept',
    createdAt: Z('13:00'),
    status: 'New',
    owner: o.rep1,
    steps: [
      { at: Z('14:00'), status: 'Marketing Qualified' },
      { at: Z('15:30'), status: 'Sales Accepted' }
    ]
  });
  o.at(Z('15:40'));
  await runSync(o.sync, { now: Z('15:40'), clock: o.clock });

  const elapsedAt = async (now: string) => {
    const report = await runReport(o.conn, 'SLA_Compliance_By_Rep', {
      now: new Date(now),
      timeZone: 'America/New_York',
      period: { kind: 'range', from: '2026-03-01', to: '2026-03-31' }
    });
    return rows(report)
      .map((r) => Number(r['SLA_Timer__c$Elapsed_Business_Minutes__c']))
      .sort((a, b) => a - b);
  };
  // Accept: the late accept took 90; the open breach counts on with no sync in between: 140 at 11:20, 180 at noon
  expect(await elapsedAt(Z('16:20'))).toEqual([90, 140]);
  expect(await elapsedAt(Z('17:00'))).toEqual([90, 180]);
});
