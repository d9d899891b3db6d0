import { ReportSchema } from '../schema';
import { booleanWords, valueUnit } from '../display';
import { chartFor } from '../render/chart';
import { renderCsv } from '../render/csv';
import { businessTimeNote, formatFigure } from '../render/format';
import { renderHtml } from '../render/html';
import { renderTable, wrap } from '../render/text';
import type { ReportResult } from '../runner';

/**
 * How the human formats write a report (no org: report results built here). The figures are the org's
 * (reports.org.test.ts checks them); this is how they read: business time in business days of the
 * report's calendar, yes/no as words from the field's metadata, labels instead of API names, instants in the
 * reader's time zone, a total per SLA clock, 120 columns.
 */

/** SLA Compliance by Rep, shaped as the runner returns it: two clocks with their own calendars. */
function compliance(): ReportResult {
  const values = (n: number, median: number, met: number, p90: number) => ({
    RowCount: n,
    'SLA_Timer__c$Elapsed_Business_Minutes__c:Median': median,
    'SLA_Timer__c$Met_Within_SLA__c:Sum': met,
    Percent_Met: Math.round((met / n) * 1000) / 10,
    'P90(SLA_Timer__c$Elapsed_Business_Minutes__c)': p90
  });
  return {
    report: 'SLA_Compliance_By_Rep',
    folder: 'Closed_Loop',
    label: 'SLA Compliance by Rep',
    description: 'Accept and First Touch timers.',
    format: 'Summary',
    reportType: 'Closed_Loop_SLA_Timers__c',
    reportTypeLabel: 'Closed Loop SLA Timers',
    period: {
      name: 'this-month',
      column: 'SLA_Timer__c$Due_At__c',
      columnLabel: 'Due At',
      from: '2026-12-01',
      to: '2026-12-31',
      timeZone: 'America/New_York'
    },
    groupingsDown: [
      { column: 'SLA_Timer__c$Clock__c', label: 'Clock' },
      { column: 'SLA_Timer__c$Accountable_User__c', label: 'Accountable User' }
    ],
    groupingsAcross: [],
    summaries: [
      { key: 'RowCount', label: 'Record Count', type: 'number' },
      {
        key: 'SLA_Timer__c$Elapsed_Business_Minutes__c:Median',
        label: 'Median Elapsed Business Minutes',
        type: 'number',
        unit: 'businessMinutes'
      },
      { key: 'SLA_Timer__c$Met_Within_SLA__c:Sum', label: 'Sum of Met Within SLA', type: 'number' },
      { key: 'Percent_Met', label: '% Met', type: 'percent' },
      {
        key: 'P90(SLA_Timer__c$Elapsed_Business_Minutes__c)',
        label: 'P90 Elapsed Business Minutes',
        type: 'number',
        unit: 'businessMinutes',
        derived: true
      }
    ],
    detailColumns: [
      { column: 'SLA_Timer__c$Due_At__c', label: 'Due At', type: 'datetime' },
      {
        column: 'SLA_Timer__c$Met_Within_SLA__c',
        label: 'Met Within SLA',
        type: 'number',
        words: { true: 'Met in time', false: 'Breached' }
      }
    ],
    groups: [
      { level: 1, path: ['Accept'], labels: ['Accept'], values: values(148, 25.34, 116, 253) },
      {
        level: 2,
        path: ['Accept', '005A'],
        labels: ['Accept', 'Chad Hudson'],
        values: values(19, 85, 16, 209),
        rows: [{ id: 'a01', values: { SLA_Timer__c$Due_At__c: '2026-12-04T15:30:00.000Z', SLA_Timer__c$Met_Within_SLA__c: 1 } }]
      },
      { level: 1, path: ['First Touch'], labels: ['First Touch'], values: values(159, 94.63, 111, 6213) },
      {
        level: 2,
        path: ['First Touch', '005A'],
        labels: ['First Touch', 'Chad Hudson'],
        values: values(21, 96, 14, 960),
        rows: [{ id: 'a02', values: { SLA_Timer__c$Due_At__c: '2026-12-05T01:00:00.000Z', SLA_Timer__c$Met_Within_SLA__c: 0 } }]
      }
    ],
    acrossGroups: [],
    grandTotal: { values: values(307, 36.52, 227, 722) },
    chart: {
      type: 'VerticalColumnGrouped',
      groupingColumn: 'SLA_Timer__c$Accountable_User__c',
      secondaryGroupingColumn: 'SLA_Timer__c$Clock__c',
      summaries: [{ column: 'Percent_Met' }]
    },
    query: { soql: 'SELECT …', mode: 'rows' },
    excluded: null,
    perClock: true,
    businessDay: { minutes: 480, calendar: 'Office hours' },
    businessDayByClock: { Accept: { minutes: 480, calendar: 'Office hours' }, 'First Touch': { minutes: 600, calendar: 'Call center' } }
  };
}

describe('business time reads in business days of the clock’s calendar', () => {
  it('writes medians and percentiles as "25 min", "1 h 25 min", "13 d" — never decimal minutes', () => {
    const text = renderTable(compliance());
    expect(text).toContain('25 min');
    expect(text).toContain('1 h 25 min');
    expect(text).not.toMatch(/25\.34|94\.63|6,213/);
    // First Touch counts on a 10-hour call-center day: 6,213 minutes = 10 d 4 h (13 d on an 8-hour day)
    expect(text).toMatch(/First Touch .* 10 d 4 h/);
    expect(businessTimeNote(compliance())).toBe('Business time: 1 d = one business day of 8 h (Office hours) or 10 h (Call center).');
  });

  it('keeps the numbers and ISO instants in CSV (the org’s export)', () => {
    const csv = renderCsv(compliance());
    expect(csv).toContain('25.34');
    expect(csv).toContain('2026-12-04T15:30:00.000Z');
    expect(csv).toContain('Grand Total,,307');
  });
});

describe('a report by SLA clock has a total per clock, not a mixed grand total', () => {
  it('leaves the grand total out of the table and the HTML page, and says why', () => {
    const text = renderTable(compliance());
    expect(text).not.toContain('Grand Total');
    expect(text).toMatch(/^Accept\s+148\b/m);
    expect(text).toContain('No grand total: the clocks are different commitments');
    const html = renderHtml([compliance()]);
    expect(html).not.toContain('Grand Total');
    expect(html).toContain('No grand total');
  });
});

describe('labels, words and time zones', () => {
  it('names the date column and the report type by their labels, not their API names', () => {
    const html = renderHtml([compliance()]);
    expect(html).toContain('by Due At');
    expect(html).toContain('Report type Closed Loop SLA Timers');
    expect(html).not.toMatch(/on SLA_Timer__c\$Due_At__c|Report type Closed_Loop_SLA_Timers__c/);
  });

  it('writes an instant in the running user’s zone, marked for the browser to rewrite in the reader’s', () => {
    const html = renderHtml([compliance()], { computedAt: new Date('2026-12-06T17:45:00Z') });
    expect(html).toContain('<time data-instant datetime="2026-12-04T15:30:00.000Z">Dec 4, 2026, 10:30 AM EST</time>');
    expect(html).toContain('computed <time data-instant datetime="2026-12-06T17:45:00.000Z">Dec 6, 2026, 12:45 PM EST</time>');
    expect(html).toContain('new Intl.DateTimeFormat(undefined, PAGE.instant)');
    expect(formatFigure('2026-12-05T01:00:00.000Z', { type: 'datetime' }, 0, 'Europe/Berlin')).toBe('Dec 5, 2026, 2:00 AM GMT+1');
  });

  it('reads a 0/1 indicator and a checkbox as words from the field’s help text and label', () => {
    const html = renderHtml([compliance()]);
    expect(html).toContain('>Met in time<');
    expect(html).toContain('>Breached<');
    const schema = new ReportSchema();
    expect(booleanWords(schema.field('SLA_Timer__c', 'Met_Within_SLA__c')!)).toEqual({ true: 'Met in time', false: 'Breached' });
    expect(booleanWords(schema.field('Opportunity', 'Marketing_Sourced__c')!)).toEqual({
      true: 'Marketing Sourced',
      false: 'Not Marketing Sourced'
    });
    const closed = [{ column: 'Opportunity$IsClosed', operator: 'equals', value: '1' }];
    expect(booleanWords(schema.field('Opportunity', 'IsWon')!, closed)).toEqual({ true: 'Won', false: 'Lost' });
    expect(booleanWords(schema.field('Lead', 'Reached_SAL__c')!)).toBeUndefined();
  });

  it('knows business minutes and calendar days from what the field’s metadata says it holds', () => {
    const schema = new ReportSchema();
    expect(valueUnit(schema.field('SLA_Timer__c', 'Elapsed_Business_Minutes__c')!)).toBe('businessMinutes');
    expect(valueUnit(schema.field('Lead', 'Marketing_Owned_Minutes__c')!)).toBe('businessMinutes');
    expect(valueUnit(schema.field('Lead', 'Days_MQL_To_SAL__c')!)).toBe('calendarDays');
    expect(valueUnit(schema.field('Lead', 'Reached_SAL__c')!)).toBeUndefined();
    expect(formatFigure(0.05, { unit: 'calendarDays' }, 480)).toBe('1 h 12 min');
  });
});

describe('a terminal layout that fits', () => {
  /** A matrix as wide as Lead Quality by Campaign: long campaign names, four column groups of three figures. */
  function matrix(): ReportResult {
    const r = compliance();
    const dispositions = ['Accept', 'Recycle', 'Reject'];
    const summaries = [
      { key: 'RowCount', label: 'Record Count', type: 'number' as const },
      { key: 'Lead_Quality_Feedback__c$Rating__c:Average', label: 'Average Rating', type: 'number' as const },
      { key: 'Share_Of_Row', label: '% of Row', type: 'percent' as const }
    ];
    const v = { RowCount: 13, 'Lead_Quality_Feedback__c$Rating__c:Average': 3.54, Share_Of_Row: 46.2 };
    const cells = dispositions.map((d) => ({ path: [d], labels: [d], values: v }));
    const campaigns = ['Content: State of Revenue Operations Report', 'Webinar: The Lead Handoff Playbook', 'Paid Social: Retargeting'];
    return {
      ...r,
      label: 'Lead Quality by Campaign',
      format: 'Matrix',
      perClock: false,
      businessDay: null,
      businessDayByClock: undefined,
      groupingsDown: [{ column: 'Lead_Quality_Feedback__c$Campaign__c', label: 'Campaign' }],
      groupingsAcross: [{ column: 'Lead_Quality_Feedback__c$Disposition__c', label: 'Disposition' }],
      acrossGroups: dispositions.map((d) => ({ level: 1, path: [d], labels: [d] })),
      summaries,
      detailColumns: [],
      groups: campaigns.map((c) => ({ level: 1, path: [c], labels: [c], values: v, cells })),
      grandTotal: { values: v, cells }
    };
  }

  it('fits 120 columns by default, shortening long names and wrapping headers', () => {
    const text = renderTable(matrix());
    const widest = Math.max(...text.split('\n').map((l) => l.length));
    expect(widest).toBeLessThanOrEqual(120);
    expect(text).toMatch(/-+ Accept -+/);
    expect(text).toContain('Content: State of Reven…');
    expect(text).toContain('Webinar: The Lead Handoff Playbook'.slice(0, 20));
  });

  it('puts the figures in panels under each other when even that is too wide (--columns 80)', () => {
    const text = renderTable(matrix(), { columns: 80 });
    expect(Math.max(...text.split('\n').map((l) => l.length))).toBeLessThanOrEqual(80);
    expect(text).toContain('(continued, panel 2 of 2)');
    // each panel keeps a column group whole and repeats the row labels
    expect(text.match(/Paid Social: Retargeting/g)).toHaveLength(2);
  });

  it('wraps words, and keeps "·"-separated parts whole', () => {
    expect(wrap('Median Elapsed Business Minutes', 15)).toEqual(['Median Elapsed', 'Business', 'Minutes']);
    expect(wrap('Sep no data · Oct 572 ✔ · Nov 884 ✔', 21, ' · ')).toEqual(['Sep no data ·', 'Oct 572 ✔ · Nov 884 ✔']);
  });
});

describe('charts never clip and say what each bar is', () => {
  it('leaves room above a bar at 100 % for its label, stops a percent axis at 100 % and labels every value', () => {
    const r = compliance();
    r.groups[1].values.Percent_Met = 100;
    const spec = chartFor(r, 'c', { ...r.chart!, showValues: true })!;
    expect(spec.config.options.layout).toEqual({ padding: expect.objectContaining({ top: expect.any(Number) }) });
    expect((spec.config.options.layout as { padding: { top: number } }).padding.top).toBeGreaterThanOrEqual(20);
    expect(spec.config.data.datasets.every((d) => d.clip === false)).toBe(true);
    expect((spec.config.options.scales as { y: { max: number } }).y.max).toBe(100);
    expect(spec.config.data.datasets[0]).toMatchObject({ label: 'Accept', data: [100], display: ['100%'] });
  });

  it('plots business time in hours and labels it as business time', () => {
    const r = compliance();
    const spec = chartFor(r, 'c', {
      type: 'Column',
      groupingColumn: 'SLA_Timer__c$Clock__c',
      summaries: [{ column: 'SLA_Timer__c$Elapsed_Business_Minutes__c', aggregate: 'Median' }]
    })!;
    expect(spec.config.data.labels).toEqual(['Accept', 'First Touch']);
    expect(spec.config.data.datasets[0].display).toEqual(['25 min', '1 h 35 min']);
    expect(spec.config.data.datasets[0].data[1]).toBeCloseTo(94.63 / 60, 6);
  });
});

describe('detail rows left out say so', () => {
  test('the table and the page say how many rows they list of how many, and nothing when every row is listed', () => {
    const cut = { ...compliance(), detailRows: { shown: 2000, total: 48120 } };
    const line = 'Detail rows: the first 2,000 of 48,120 in report order';
    expect(renderTable(cut).replace(/\s+/g, ' ')).toContain(line);
    expect(renderHtml([cut])).toContain(line);
    expect(renderTable({ ...compliance(), detailRows: { shown: 12, total: 12 } })).not.toContain('Detail rows:');
  });
});
