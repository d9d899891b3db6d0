import type { TestOrg } from '../../localorg/testing';
import { listReports } from '../definitions';
import { DETAIL_ROW_LIMIT } from '../readPlan';
import { runReport, type ReportResult } from '../runner';
import { computeScorecard, parseFigure, readCommitments, readFigure } from '../scorecard';
import { ALL, NOW, startReportOrg } from './fixture';

/**
 * The two ways a report's figures are read (scripts/reports/reading.ts) give the same figures on the seeded
 * org: in the org (SOQL GROUP BY) where the summaries allow, and streamed from the rows; a run that names the
 * figures it needs (the scorecard's) gives the same values as the whole report; detail rows stop at the limit
 * in report order while the figures count every row.
 */

let org: TestOrg;
beforeAll(async () => {
  org = await startReportOrg();
}, 120_000);
afterAll(async () => {
  await org?.close();
});

const period = { kind: 'range' as const, ...ALL };
const opts = { period, now: new Date(NOW), timeZone: 'America/New_York' };

/** Every figure of a result, by group path (and across cell): what a reader compares. */
function figures(r: ReportResult, keys?: string[]): Record<string, unknown> {
  const pick = (v: Record<string, number | null>) => Object.fromEntries(Object.entries(v).filter(([k]) => !keys || keys.includes(k)));
  const out: Record<string, unknown> = { total: pick(r.grandTotal.values) };
  for (const c of r.grandTotal.cells ?? []) out[`total|${JSON.stringify(c.path)}`] = pick(c.values);
  for (const g of r.groups) {
    out[JSON.stringify(g.path)] = pick(g.values);
    for (const c of g.cells ?? []) out[`${JSON.stringify(g.path)}|${JSON.stringify(c.path)}`] = pick(c.values);
  }
  return out;
}

/** Detail rows by group, in order, with their values. */
function rows(r: ReportResult): unknown[] {
  return [...r.groups.map((g) => [g.path, g.rows ?? []]), ['total', r.grandTotal.rows ?? []]];
}

test('every shipped report: the figures computed in the org equal the figures streamed from the rows', async () => {
  const modes: Record<string, string> = {};
  const detailModes = new Set<string>();
  for (const def of listReports()) {
    const inOrg = await runReport(org.conn, def, { ...opts, details: false });
    const streamed = await runReport(org.conn, def, { ...opts, details: false, path: 'rows' });
    modes[def.developerName] = inOrg.query.mode;
    expect(streamed.query.mode).toBe('rows');
    expect([def.developerName, inOrg.grandTotal.values.RowCount! > 0]).toEqual([def.developerName, true]);
    expect([def.developerName, figures(inOrg)]).toEqual([def.developerName, figures(streamed)]);
    // and equal to the default run (detail rows kept), which streams or aggregates as it must
    const full = await runReport(org.conn, def, opts);
    expect([def.developerName, figures(full)]).toEqual([def.developerName, figures(inOrg)]);
    // detail rows read group by group beside aggregated figures are the rows streaming keeps, in the same order
    for (const details of [true, 25]) {
      const withRows = await runReport(org.conn, def, { ...opts, details });
      const streamedRows = await runReport(org.conn, def, { ...opts, details, path: 'rows' });
      if (def.showDetails && withRows.query.mode !== 'rows') detailModes.add(def.developerName);
      expect([def.developerName, details, withRows.detailRows, rows(withRows)]).toEqual([
        def.developerName,
        details,
        streamedRows.detailRows,
        rows(streamedRows)
      ]);
    }
  }
  expect([...detailModes].sort()).toEqual([
    'Lead_Quality_Feedback_Completeness',
    'Lead_Quality_Reasons_By_Campaign',
    'Lead_Quality_Reasons_By_Source',
    'Marketing_Share_Of_Closed_Won_Revenue',
    'Marketing_Sourced_Close_Ratio',
    'Rejection_And_Recycle_Reasons',
    'SLA_Compliance_By_Manager',
    'SLA_Compliance_By_Rep',
    'SLA_Timers_At_Risk_Or_Breached',
    'Win_Loss_Attribution',
    'Win_Loss_By_Competitor',
    'Win_Loss_Review_Completion'
  ]);
  // the reports whose summaries the org can aggregate do so once detail rows are not asked for
  expect(modes).toMatchObject({
    Lead_Quality_By_Campaign: 'groupBy',
    Lead_Quality_By_Lead_Source: 'groupBy',
    Marketing_Share_Of_Closed_Won_Revenue: 'groupBy',
    Marketing_Sourced_Close_Ratio: 'groupBy',
    Rejection_And_Recycle_Reasons: 'groupBy',
    SLA_Timers_At_Risk_Or_Breached: 'groupBy',
    Win_Loss_Attribution: 'groupBy',
    Win_Loss_By_Competitor: 'groupBy',
    Win_Loss_Reasons_By_Outcome: 'groupBy',
    // a number bucket: one aggregate query per bucket value
    Lead_Quality_Feedback_Completeness: 'groupBy',
    // medians, P90 of live minutes: counts and sums in the org, the values of those columns read
    Funnel_Conversion_And_Velocity: 'groupBy+values',
    SLA_Compliance_By_Manager: 'groupBy+values',
    SLA_Compliance_By_Rep: 'groupBy+values',
    Win_Loss_Review_Completion: 'groupBy+values'
  });
}, 120_000);

test('a run that names its figures (as the scorecard does) is computed in the org and gives the whole report’s values', async () => {
  const whole = await runReport(org.conn, 'SLA_Compliance_By_Rep', opts);
  const figure = await runReport(org.conn, 'SLA_Compliance_By_Rep', { ...opts, summaries: ['Percent_Met'], details: false });
  expect(whole.query.mode).toBe('groupBy+values');
  expect(figure.query.mode).toBe('groupBy');
  expect(figure.summaries.map((s) => s.key)).toEqual(['RowCount', 'Percent_Met']);
  expect(figures(figure)).toEqual(figures(whole, ['RowCount', 'Percent_Met']));
  await expect(runReport(org.conn, 'SLA_Compliance_By_Rep', { ...opts, summaries: ['Nope'] })).rejects.toThrow(/has no summary Nope/);
});

test('a run down to fewer groupings groups by fewer columns in the org and gives the whole report’s figures for its groups', async () => {
  const whole = await runReport(org.conn, 'SLA_Compliance_By_Rep', { ...opts, details: false });
  for (const groupings of [0, 1, 2]) {
    const part = await runReport(org.conn, 'SLA_Compliance_By_Rep', { ...opts, details: false, groupings });
    expect(part.groupingsDown).toEqual(whole.groupingsDown.slice(0, groupings));
    expect(part.groups.every((g) => g.level <= groupings)).toBe(true);
    const kept = whole.groups.filter((g) => g.level <= groupings);
    expect(part.groups.map((g) => [g.path, g.values])).toEqual(kept.map((g) => [g.path, g.values]));
    expect(part.grandTotal.values).toEqual(whole.grandTotal.values);
    expect(part.query.soql.match(/GROUP BY (.*)$/)?.[1].split(', ').length ?? 0).toBe(groupings);
  }
  // a matrix report without its across groupings: the rows' totals are the same
  const matrix = await runReport(org.conn, 'Lead_Quality_By_Lead_Source', { ...opts, details: false });
  expect(matrix.groupingsAcross.length).toBeGreaterThan(0);
  const rowsOnly = await runReport(org.conn, 'Lead_Quality_By_Lead_Source', { ...opts, details: false, groupings: 1 });
  expect([rowsOnly.groupingsAcross, rowsOnly.acrossGroups]).toEqual([[], []]);
  expect(figures(rowsOnly)).toEqual(Object.fromEntries(Object.entries(figures(matrix)).filter(([k]) => !k.includes('|'))));
}, 120_000);

test('the scorecard reads the same figures as the whole reports', async () => {
  const card = await computeScorecard(org.conn, { now: new Date(NOW), timeZone: 'America/New_York', trend: 1 });
  const commitments = await readCommitments(org.conn);
  expect(card.lines.length).toBe(commitments.length);
  for (const line of card.lines) {
    for (const p of [...line.trend, line.current]) {
      if (p.status === 'not started') continue;
      const whole = await runReport(org.conn, line.report, { ...opts, period: { kind: 'range', from: p.from, to: p.to } });
      const expected = whole.grandTotal.values.RowCount === 0 ? null : readFigure(whole, parseFigure(line.figure), line.developerName);
      expect([line.developerName, p.period, p.actual]).toEqual([line.developerName, p.period, expected]);
    }
  }
}, 120_000);

test('detail rows stop at the limit, the first in report order, while the figures count every row', async () => {
  const all = await runReport(org.conn, 'SLA_Compliance_By_Rep', { ...opts, details: Number.MAX_SAFE_INTEGER });
  const rowsOf = (r: ReportResult) => r.groups.flatMap((g) => (g.rows ?? []).map((x) => x.id));
  const every = rowsOf(all);
  expect(all.detailRows).toEqual({ shown: every.length, total: every.length });
  expect(every.length).toBeGreaterThan(50);
  const some = await runReport(org.conn, 'SLA_Compliance_By_Rep', { ...opts, details: 50 });
  expect(some.detailRows).toEqual({ shown: 50, total: every.length });
  expect(rowsOf(some)).toEqual(every.slice(0, 50));
  expect(figures(some)).toEqual(figures(all));
  const none = await runReport(org.conn, 'SLA_Compliance_By_Rep', { ...opts, details: false });
  expect([none.detailRows, none.detailColumns, rowsOf(none)]).toEqual([null, [], []]);
  expect(DETAIL_ROW_LIMIT).toBe(2000);
}, 120_000);
