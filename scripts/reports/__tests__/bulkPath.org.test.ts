import { startTestOrg, type TestOrg } from '../../localorg/testing';
import { LOCAL_SYNC_USER } from '../../org/personas';
import { runSeed } from '../../seed';
import { runSync } from '../../sla/sync';
import { listReports } from '../definitions';
import { runReport, type ReportResult, type RunOptions } from '../runner';
import { ALL, NOW } from './fixture';

/**
 * The reports whose medians and percentiles read a column of values (reading.ts, `groupBy+values`) give the
 * same figures and detail rows when the org data layer reads those values through Bulk API 2.0 query jobs as
 * when it pages them over REST, on one seeded org large enough for a value read to run past a REST page
 * (2,000 rows): the Bulk threshold (CLOSED_LOOP_BULK_QUERY_THRESHOLD) is set to 0 for one run, out of reach
 * for the other. Both equal the figures streamed from the whole rows. Default runs (detail rows ordered by the
 * timers' live elapsed minutes, taken from the same value reads) and figures-only runs. The SLA reports' timers
 * (more than 4,000) are read in two parts, those with a stored elapsed count and those counted live.
 */

const THRESHOLD = 'CLOSED_LOOP_BULK_QUERY_THRESHOLD';
let org: TestOrg;

beforeAll(async () => {
  org = await startTestOrg({ now: () => new Date(NOW) });
  await runSeed(org.conn, { mode: 'local', seed: 7, leads: 3_000, now: NOW });
  await runSync(await org.connectionAs(LOCAL_SYNC_USER.Username), { now: NOW, full: true });
}, 600_000);
afterAll(async () => {
  await org?.close();
});

const opts: RunOptions = { period: { kind: 'range', ...ALL }, now: new Date(NOW), timeZone: 'America/New_York' };

/** Runs a report with the Bulk query threshold set (undefined: unset); with the Bulk query jobs it created. */
async function run(report: string, threshold: string, more: RunOptions = {}): Promise<{ result: ReportResult; queryJobs: number }> {
  const before = process.env[THRESHOLD];
  const seen = org.answered.length;
  process.env[THRESHOLD] = threshold;
  try {
    const result = await runReport(org.conn, report, { ...opts, ...more });
    const queryJobs = org.answered.slice(seen).filter((r) => r.method === 'POST' && /\/jobs\/query$/.test(r.path)).length;
    return { result, queryJobs };
  } finally {
    if (before === undefined) delete process.env[THRESHOLD];
    else process.env[THRESHOLD] = before;
  }
}

/** What a reader sees: every group's figures and detail rows, and how many rows were left out. */
function shown(r: ReportResult): unknown {
  return {
    total: r.grandTotal.values,
    groups: r.groups.map((g) => [g.path, g.labels, g.values, g.rows ?? []]),
    detailRows: r.detailRows
  };
}

const percentileReports = listReports()
  .filter((d) => d.percentiles.length > 0 || d.columns.some((c) => c.aggregates.includes('Median')))
  .map((d) => d.developerName);

test('the reports with medians and percentiles are the ones read with values', () => {
  expect(percentileReports.sort()).toEqual([
    'Funnel_Conversion_And_Velocity',
    'SLA_Compliance_By_Manager',
    'SLA_Compliance_By_Rep',
    'Win_Loss_Review_Completion'
  ]);
});

test.each(percentileReports)(
  '%s: the same figures and detail rows with its values read by Bulk query jobs as over REST',
  async (report) => {
    for (const details of [undefined, false] as const) {
      const more: RunOptions = details === undefined ? {} : { details };
      const rest = await run(report, String(Number.MAX_SAFE_INTEGER), more);
      const bulk = await run(report, '0', more);
      expect(rest.result.query.mode).toBe('groupBy+values');
      expect(bulk.result.query.mode).toBe('groupBy+values');
      expect(rest.queryJobs).toBe(0);
      // the SLA reports' values (thousands of timers) run past a REST page; the funnel's and the reviews' fit in one
      expect([report, bulk.queryJobs > 0]).toEqual([report, report.startsWith('SLA_')]);
      expect(shown(bulk.result)).toEqual(shown(rest.result));
      // the streamed rows (every field the figures need, in one read) give the same figures
      const rows = await run(report, String(Number.MAX_SAFE_INTEGER), { ...more, path: 'rows' });
      expect(rows.result.query.mode).toBe('rows');
      expect(shown(rows.result)).toEqual(shown(rest.result));
    }
  },
  300_000
);
