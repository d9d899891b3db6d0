import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { asArray, readXml, rootOf, text, type XmlNode } from '../../metadata/xml';
import { PACKAGE_DIR } from '../../project';
import { listReports, loadReport } from '../definitions';
import { Engine, type Dimension } from '../engine';
import { ReportMetadataError, ReportNotFoundError, ReportPeriodError } from '../errors';
import { evaluate, parseFormula } from '../formula';
import { calendarPeriod, checkTimeZone, parsePeriod, reportDayStart, reportLocalDate } from '../period';
import { compileAll, compileReport } from '../runner';
import { checkCommitmentReports, judge, parseFigure, type Commitment } from '../scorecard';

const REPORTS_DIR = path.join(PACKAGE_DIR, 'main', 'default', 'reports', 'Closed_Loop');

/** A copy of the package's objects, report types and reports, with one report file edited. */
function packageWith(report: string, edit: (xml: string) => string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'closed-loop-reports-'));
  for (const sub of ['objects', 'reportTypes', 'reports']) {
    fs.cpSync(path.join(PACKAGE_DIR, 'main', 'default', sub), path.join(dir, 'main', 'default', sub), { recursive: true });
  }
  const file = path.join(dir, 'main', 'default', 'reports', 'Closed_Loop', `${report}.report-meta.xml`);
  fs.writeFileSync(file, edit(fs.readFileSync(file, 'utf8')));
  return dir;
}

function metadataError(report: string, edit: (xml: string) => string): string {
  const dir = packageWith(report, edit);
  try {
    compileReport(loadReport(report, dir), dir);
  } catch (e) {
    expect(e).toBeInstanceOf(ReportMetadataError);
    return (e as Error).message;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
  throw new Error('no error');
}

describe('the shipped report definitions', () => {
  test('every report in the Closed Loop folder compiles: report type, columns, filters, groupings, summaries, chart', () => {
    const compiled = compileAll();
    expect(compiled.map((c) => c.def.developerName)).toHaveLength(fs.readdirSync(REPORTS_DIR).length);
    for (const c of compiled) {
      expect([c.def.developerName, c.def.chart?.type ?? 'no chart']).not.toContain('no chart');
      expect(c.def.name.length).toBeLessThanOrEqual(40);
      expect(c.def.description.length).toBeLessThanOrEqual(255);
    }
  });

  test('the SLA compliance reports declare the P90 the CLI derives from their sorted rows', () => {
    for (const name of ['SLA_Compliance_By_Rep', 'SLA_Compliance_By_Manager']) {
      const c = compileReport(loadReport(name));
      expect(c.summaryInfo.filter((s) => s.derived).map((s) => s.key)).toEqual(['P90(SLA_Timer__c$Elapsed_Business_Minutes__c)']);
      expect(c.def.sortColumn).toBe('SLA_Timer__c$Elapsed_Business_Minutes__c');
      expect(c.summaryInfo.map((s) => s.key)).toContain('SLA_Timer__c$Elapsed_Business_Minutes__c:Median');
    }
  });

  test('every Alignment Commitment names a shipped report and a figure that report has', () => {
    const dir = path.join(PACKAGE_DIR, 'main', 'default', 'customMetadata');
    const commitments: Commitment[] = fs
      .readdirSync(dir)
      .filter((f) => f.startsWith('Alignment_Commitment.'))
      .map((f) => {
        const { node } = rootOf(readXml(path.join(dir, f)));
        const v = Object.fromEntries(asArray<XmlNode>(node.values).map((x) => [text(x.field), text(x.value) ?? '']));
        return {
          developerName: f.split('.')[1],
          label: text(node.label) ?? '',
          side: v.Side__c,
          metric: v.Metric__c,
          target: Number(v.Target__c),
          comparison: v.Comparison__c as Commitment['comparison'],
          unit: v.Unit__c,
          period: v.Period__c as Commitment['period'],
          report: v.Report__c,
          figure: v.Report_Figure__c,
          description: v.Description__c
        };
      });
    expect(commitments.length).toBeGreaterThanOrEqual(7);
    expect(new Set(commitments.map((c) => c.side))).toEqual(new Set(['Marketing', 'Sales']));
    expect(() => checkCommitmentReports(commitments)).not.toThrow();
  });

  test('an unknown report name suggests the closest shipped ones', () => {
    expect(() => loadReport('SLA_Compliance_By_Rap')).toThrow(ReportNotFoundError);
    expect(() => loadReport('SLA_Compliance_By_Rap')).toThrow(
      'no report named "SLA_Compliance_By_Rap" (did you mean SLA_Compliance_By_Rep'
    );
    expect(loadReport('closed_loop/sla_compliance_by_rep').developerName).toBe('SLA_Compliance_By_Rep');
  });
});

describe('metadata the runner cannot interpret is refused, naming the report and the cause', () => {
  test.each([
    [
      'a cross filter',
      'Win_Loss_By_Competitor',
      (x: string) => x.replace('<format>', '<crossFilters><operation>with</operation></crossFilters>\n  <format>'),
      '<crossFilters> is not supported'
    ],
    [
      'a joined report',
      'Win_Loss_By_Competitor',
      (x: string) => x.replace('<format>Summary</format>', '<format>MultiBlock</format>'),
      'format MultiBlock is not supported'
    ],
    [
      'a column the report type does not expose',
      'Win_Loss_By_Competitor',
      (x: string) => x.replace('<field>Win_Loss_Review__c$Name</field>', '<field>Win_Loss_Review__c$Lessons_Learned__c</field>'),
      'is not exposed by report type'
    ],
    [
      'an unsupported date interval',
      'Win_Loss_By_Competitor',
      (x: string) => x.replace('INTERVAL_CURRENTQ', 'INTERVAL_CURNEXT3Q'),
      'interval INTERVAL_CURNEXT3Q is not supported'
    ],
    [
      'an unsupported formula function',
      'Win_Loss_By_Competitor',
      (x: string) => x.replace('RowCount / PARENTGROUPVAL', 'PREVGROUPVAL(RowCount, Win_Loss_Review__c.Outcome__c) / PARENTGROUPVAL'),
      'function PREVGROUPVAL is not supported'
    ],
    [
      'a PARENTGROUPVAL level that is not a grouping',
      'Win_Loss_By_Competitor',
      (x: string) => x.replace('Win_Loss_Review__c.Competitor__c)', 'Win_Loss_Review__c.Primary_Reason__c)'),
      'PARENTGROUPVAL level Win_Loss_Review__c.Primary_Reason__c is not a grouping'
    ],
    [
      'an unknown filter operator',
      'Win_Loss_By_Competitor',
      (x: string) => x.replace('<operator>notEqual</operator>', '<operator>between</operator>'),
      'filter operator between is not supported'
    ]
  ])('%s', (_what, report, edit, cause) => {
    const message = metadataError(report, edit);
    expect(message).toContain(`report ${report}`);
    expect(message).toContain(cause);
    expect(message).not.toContain('\n');
  });
});

describe('summary formulas', () => {
  const ctx = { summary: (r: { column: string }) => (r.column === 'RowCount' ? 8 : 2), parent: () => 16 };
  test('arithmetic, PARENTGROUPVAL and IF as in report builder', () => {
    expect(
      evaluate(
        parseFormula('Lead.Reached_SAL__c:SUM / RowCount', (d) => d, 'f'),
        ctx
      )
    ).toBe(0.25);
    expect(
      evaluate(
        parseFormula('RowCount / PARENTGROUPVAL(RowCount, GRAND_SUMMARY)', (d) => d, 'f'),
        ctx
      )
    ).toBe(0.5);
    expect(
      evaluate(
        parseFormula('IF(RowCount > 5, 1, 0) + 2 ^ 3 - -1', (d) => d, 'f'),
        ctx
      )
    ).toBe(10);
  });
  test('division by zero is blank, not Infinity', () => {
    expect(
      evaluate(
        parseFormula('RowCount / (X.Y__c:SUM - 2)', (d) => d, 'f'),
        ctx
      )
    ).toBeNull();
  });
  test('what it cannot read is an error, not a guess', () => {
    expect(() => parseFormula('Lead.Reached_SAL__c / RowCount', (d) => d, 'report R')).toThrow('report R: cannot interpret formula');
    expect(() => parseFormula('Lead.Amount:SUM:', (d) => d, 'report R')).toThrow(ReportMetadataError);
  });
});

describe('periods', () => {
  test('--period accepts the four relative periods and inclusive date ranges', () => {
    expect(parsePeriod('last-month')).toEqual({ kind: 'relative', name: 'last-month', literal: 'LAST_MONTH' });
    expect(parsePeriod('2026-01-01..2026-03-31')).toEqual({ kind: 'range', from: '2026-01-01', to: '2026-03-31' });
  });
  test.each(['yesterday-ish', '2026-02-30..2026-03-01', '2026-03-01..2026-02-01', '2026-01-01', ''])(
    'rejects %j with a one-line cause',
    (bad) => {
      expect(() => parsePeriod(bad)).toThrow(ReportPeriodError);
    }
  );
  test('months and quarters, and local midnight across a DST change', () => {
    expect(calendarPeriod('Quarter', '2026-05-14', -1)).toEqual({ key: '2026-Q1', label: 'Q1 2026', from: '2026-01-01', to: '2026-03-31' });
    expect(calendarPeriod('Month', '2026-01-31', -1)).toEqual({
      key: '2025-12',
      label: 'December 2025',
      from: '2025-12-01',
      to: '2025-12-31'
    });
    expect(new Date(reportDayStart('2026-03-08', 'America/New_York')).toISOString()).toBe('2026-03-08T05:00:00.000Z');
    expect(new Date(reportDayStart('2026-03-09', 'America/New_York')).toISOString()).toBe('2026-03-09T04:00:00.000Z');
    // São Paulo skipped midnight on 2018-11-04: a period from that date starts at 01:00 local
    expect(new Date(reportDayStart('2018-11-04', 'America/Sao_Paulo')).toISOString()).toBe('2018-11-04T03:00:00.000Z');
  });

  test('an unknown time zone is a ReportPeriodError', () => {
    expect(() => reportDayStart('2026-03-08', 'Atlantis/Capital')).toThrow(new ReportPeriodError('unknown time zone Atlantis/Capital'));
    expect(() => reportLocalDate(0, 'Atlantis/Capital')).toThrow(ReportPeriodError);
    expect(() => checkTimeZone('Atlantis/Capital')).toThrow(new ReportPeriodError('unknown time zone Atlantis/Capital'));
  });
});

describe('the summary engine', () => {
  const dim = (column: string): Dimension => ({
    column,
    label: column,
    sortOrder: 'Asc',
    compare: (a, b) => a.label.localeCompare(b.label)
  });
  test('median (even and odd), nearest-rank percentile, and PARENTGROUPVAL in a matrix clamped to the cell', () => {
    const summaries = [
      { key: 'RowCount', label: 'n', kind: 'count' as const, scale: 0 },
      { key: 'm', label: 'median', kind: 'column' as const, column: 'x', aggregate: 'Median' as const, scale: 0 },
      { key: 'p90', label: 'p90', kind: 'percentile' as const, column: 'x', p: 90, scale: 0 },
      {
        key: 'share',
        label: 'share',
        kind: 'formula' as const,
        datatype: 'percent' as const,
        scale: 1,
        formula: parseFormula('RowCount / PARENTGROUPVAL(RowCount, r, COLUMN_GRAND_SUMMARY)', (d) => d, 'f')
      }
    ];
    const e = new Engine([dim('r')], [dim('c')], [{ column: 'x', scale: 0, values: true, distinct: false }], summaries, false);
    const add = (r: string, c: string, x: number) => e.addRow([{ key: r, label: r }], [{ key: c, label: c }], new Map([['x', x]]));
    [1, 2, 3, 4].forEach((x) => add('A', 'yes', x));
    [10, 20, 30, 40, 50, 60, 70, 80, 90, 100].forEach((x) => add('B', x > 50 ? 'yes' : 'no', x));
    const out = e.result();
    const a = out.groups.find((g) => g.labels[0] === 'A')!;
    const b = out.groups.find((g) => g.labels[0] === 'B')!;
    expect(a.values).toEqual({ RowCount: 4, m: 2.5, p90: 4, share: 100 });
    expect(b.values).toEqual({ RowCount: 10, m: 55, p90: 90, share: 100 });
    expect(b.cells!.find((c) => c.labels[0] === 'no')!.values).toEqual({ RowCount: 5, m: 30, p90: 50, share: 50 });
    expect(a.cells!.find((c) => c.labels[0] === 'no')!.values).toEqual({ RowCount: 0, m: null, p90: null, share: 0 });
    // the grand row has no row group above it: its share is of the grand total
    expect(out.grandTotal.cells!.find((c) => c.labels[0] === 'yes')!.values.share).toBe(64.3);
  });

  test('figures and results of the scorecard', () => {
    expect(parseFigure('Close_Ratio @ true / true')).toEqual({ summary: 'Close_Ratio', path: ['true', 'true'] });
    expect(parseFigure('RowCount')).toEqual({ summary: 'RowCount', path: [] });
    expect([judge(90, 90, 'At Least'), judge(89.9, 90, 'At Least'), judge(5, 4, 'At Most'), judge(null, 4, 'At Most')]).toEqual([
      'Met',
      'Missed',
      'Missed',
      'No data'
    ]);
  });
});

test('every shipped report is listed with its label and report type', () => {
  const names = listReports().map((r) => `${r.folder}/${r.developerName}`);
  expect(names).toContain('Closed_Loop/Funnel_Conversion_And_Velocity');
});
