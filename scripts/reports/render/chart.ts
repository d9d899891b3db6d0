import type { ReportResult, SummaryInfo } from '../runner';
import { summaryHeader } from './flatten';
import { dayMinutesOf, formatFigure } from './format';

/**
 * A chart of a report result as a chart.js configuration, from the same figures the tables show: a report's
 * own chart (its `chart` metadata) or a dashboard component (type, groupings, summaries and display options
 * from the dashboard metadata). Every value carries the text a person reads (`78.4%`, `1 h 25 min`), drawn on
 * the bar or slice and shown in the tooltip; the plot leaves room above its largest value, so a bar at 100 %
 * and its label are never cut off.
 */
export interface ChartSpec {
  id: string;
  title: string;
  /** A text equivalent of the chart for screen readers. */
  alt: string;
  /** Whether anything is drawn (a period without data draws "No data for this period"). */
  empty: boolean;
  config: {
    type: 'bar' | 'line' | 'pie' | 'doughnut';
    data: {
      labels: string[];
      datasets: Array<{
        label: string;
        data: Array<number | null>;
        /** What each value reads as, drawn by the page's value-label plugin and in tooltips. */
        display: string[];
        backgroundColor: string | string[];
        borderColor?: string;
        clip?: boolean;
      }>;
    };
    options: Record<string, unknown>;
  };
  /** How the page draws values: on the bars or slices, with the share of the whole for a pie. */
  show: { values: boolean };
}

/** What to chart, in the report chart's terms or a dashboard component's. */
export interface ChartRequest {
  /** Report chartType (VerticalColumnGrouped, HorizontalBarStacked, Donut…) or dashboard componentType (Column, BarStacked, Donut…). */
  type: string;
  title?: string;
  groupingColumn: string;
  secondaryGroupingColumn?: string;
  summaries: Array<{ column: string; aggregate?: string }>;
  showValues?: boolean;
  showPercentage?: boolean;
  /** At most this many groups on the axis (dashboard maxValuesDisplayed). */
  maxValues?: number;
  /** RowLabelAscending, RowLabelDescending, RowValueAscending, RowValueDescending (dashboard sortBy). */
  sortBy?: string;
  legendPosition?: string;
}

/** Okabe–Ito: distinguishable with the common colour-vision deficiencies. */
const PALETTE = ['#0072B2', '#E69F00', '#009E73', '#CC79A7', '#56B4E9', '#D55E00', '#F0E442', '#000000'];

export interface ChartKind {
  type: ChartSpec['config']['type'];
  horizontal: boolean;
  stacked: boolean;
  /** Stacked to 100 % of each group. */
  percent: boolean;
}

/** A report chartType or dashboard componentType as a chart.js chart; null for what is not a chart (Metric, Gauge, Table…). */
export function chartKind(type: string): ChartKind | null {
  const t = type.replace(/^Vertical/, '');
  const stacked = /Stacked/.test(t);
  const percent = /Stacked100/.test(t);
  if (/^(Horizontal)?Bar/.test(t) || t === 'Funnel') return { type: 'bar', horizontal: true, stacked, percent };
  if (/^Column/.test(t)) return { type: 'bar', horizontal: false, stacked, percent };
  if (/^Line/.test(t)) return { type: 'line', horizontal: false, stacked: false, percent: false };
  if (t === 'Pie') return { type: 'pie', horizontal: false, stacked: false, percent: false };
  if (t === 'Donut') return { type: 'doughnut', horizontal: false, stacked: false, percent: false };
  return null;
}

/** The report's own chart (its `chart` metadata), or null when it has none. */
export function chartSpec(r: ReportResult, id: string): ChartSpec | null {
  const chart = r.chart;
  if (!chart || chart.type === 'None') return null;
  return chartFor(r, id, { ...chart, showValues: true });
}

export function chartFor(r: ReportResult, id: string, req: ChartRequest): ChartSpec | null {
  const kind = chartKind(req.type);
  if (!kind) return null;
  const keys = req.summaries.map((s) => (s.aggregate ? `${s.column}:${s.aggregate}` : s.column));
  const summaries = keys.map((k) => r.summaries.find((s) => s.key === k)).filter((s): s is SummaryInfo => s !== undefined);
  if (summaries.length === 0) return null;
  const dimOf = (col: string | undefined) => {
    if (!col) return undefined;
    const d = r.groupingsDown.findIndex((g) => g.column === col);
    if (d >= 0) return { side: 'down' as const, level: d + 1 };
    const a = r.groupingsAcross.findIndex((g) => g.column === col);
    return a >= 0 ? { side: 'across' as const, level: a + 1 } : undefined;
  };
  const g = dimOf(req.groupingColumn);
  const s = dimOf(req.secondaryGroupingColumn);
  if (!g) return null;

  // every (group, secondary group) → summaries, from the deepest cells the two dimensions need
  type Point = { g: string; s?: string; values: Record<string, number | null>; day: number };
  const points: Point[] = [];
  const downLevel = Math.max(g.side === 'down' ? g.level : 0, s?.side === 'down' ? s.level : 0);
  const acrossLevel = Math.max(g.side === 'across' ? g.level : 0, s?.side === 'across' ? s.level : 0);
  const rows =
    downLevel === 0
      ? [{ labels: [] as string[], path: [] as Array<string | null>, values: r.grandTotal.values, cells: r.grandTotal.cells }]
      : r.groups.filter((x) => x.level === downLevel);
  for (const row of rows) {
    const sources =
      acrossLevel === 0
        ? [{ labels: [] as string[], values: row.values }]
        : (row.cells ?? []).filter((c) => c.path.length === acrossLevel).map((c) => ({ labels: c.labels, values: c.values }));
    for (const src of sources) {
      const label = (d: { side: 'down' | 'across'; level: number }) =>
        d.side === 'down' ? row.labels[d.level - 1] : src.labels[d.level - 1];
      points.push({ g: label(g), s: s ? label(s) : undefined, values: src.values, day: dayMinutesOf(r, row.path) });
    }
  }
  let labels = unique(points.map((p) => p.g));
  const first = summaries[0];
  const total = (l: string) => points.filter((p) => p.g === l).reduce((n, p) => n + (p.values[first.key] ?? 0), 0);
  // groups come in the report's order (picklist order, false before true, text A–Z) for the first grouping down and
  // the groupings across; a deeper grouping down gathers its groups from under each parent, so they are put in order here
  if (g.side === 'down' && g.level > 1) labels.sort(byLabel);
  if (req.sortBy === 'RowLabelDescending') labels.reverse();
  else if (req.sortBy === 'RowValueAscending') labels.sort((a, b) => total(a) - total(b));
  else if (req.sortBy === 'RowValueDescending') labels.sort((a, b) => total(b) - total(a));
  if (req.maxValues && req.maxValues > 0) labels = labels.slice(0, req.maxValues);

  const pie = kind.type === 'pie' || kind.type === 'doughnut';
  const hours = (sum: SummaryInfo) => sum.unit === 'businessMinutes' || sum.unit === 'calendarDays';
  /** Business time is plotted in hours (an axis in minutes reads badly); its labels say "1 d 2 h". */
  const plotted = (sum: SummaryInfo, v: number | null) =>
    v === null ? null : sum.unit === 'businessMinutes' ? v / 60 : sum.unit === 'calendarDays' ? v * 24 : v;
  const text = (sum: SummaryInfo, p: Point | undefined) =>
    p ? formatFigure(p.values[sum.key] ?? null, sum, p.day, r.period.timeZone) : '-';
  let datasets: ChartSpec['config']['data']['datasets'];
  if (s) {
    const series = unique(points.map((p) => p.s ?? '-'));
    // the series of a deeper grouping come from under each parent: in the order a reader looks for them
    if (s.side === 'down' && s.level > 1) series.sort(byLabel);
    datasets = series.map((name, i) => {
      const at = labels.map((l) => points.find((p) => p.g === l && (p.s ?? '-') === name));
      return {
        label: name,
        data: at.map((p) => plotted(first, p?.values[first.key] ?? null)),
        display: at.map((p) => text(first, p)),
        backgroundColor: PALETTE[i % PALETTE.length]
      };
    });
  } else {
    datasets = summaries.map((sum, i) => {
      const at = labels.map((l) => points.find((p) => p.g === l));
      return {
        label: summaryHeader(sum),
        data: at.map((p) => plotted(sum, p?.values[sum.key] ?? null)),
        display: at.map((p) => text(sum, p)),
        backgroundColor: pie ? labels.map((_, j) => PALETTE[j % PALETTE.length]) : PALETTE[i % PALETTE.length]
      };
    });
  }
  if (kind.percent) {
    // 100 % stacked: each group's segments as shares of the group
    labels.forEach((_, j) => {
      const sum = datasets.reduce((n, d) => n + (d.data[j] ?? 0), 0);
      for (const d of datasets) d.data[j] = sum > 0 && d.data[j] !== null ? (d.data[j]! / sum) * 100 : d.data[j];
    });
  }
  if (pie && req.showPercentage) {
    for (const d of datasets) {
      const sum = d.data.reduce<number>((n, v) => n + (v ?? 0), 0);
      d.display = d.display.map((t, j) => (sum > 0 && d.data[j] !== null ? `${t} (${Math.round((d.data[j]! / sum) * 1000) / 10}%)` : t));
    }
  }
  for (const d of datasets) d.clip = false;

  const options: Record<string, unknown> = {
    animation: false,
    responsive: true,
    maintainAspectRatio: false,
    // room for the value labels outside the plot: a bar at the top of its scale and its label stay whole
    layout: { padding: { top: 22, right: kind.horizontal ? 56 : 12, left: 4, bottom: 0 } },
    plugins: { legend: { display: datasets.length > 1 || pie, position: legendPosition(req.legendPosition) }, title: { display: false } }
  };
  if (!pie) {
    const valueAxis: Record<string, unknown> = { stacked: kind.stacked, beginAtZero: true };
    const unitOf = summaries.find((x) => x !== undefined)!;
    const allValues = datasets.flatMap((d) => d.data).filter((v): v is number => v !== null);
    if (kind.percent || (unitOf.type === 'percent' && allValues.every((v) => v <= 100))) {
      valueAxis.max = 100;
      valueAxis.ticks = { format: { style: 'unit', unit: 'percent', maximumFractionDigits: 0 } };
    } else if (hours(unitOf)) {
      valueAxis.title = { display: true, text: unitOf.unit === 'businessMinutes' ? 'business hours' : 'hours' };
    }
    const categoryAxis = { stacked: kind.stacked, ticks: { autoSkip: false } };
    if (kind.horizontal) options.indexAxis = 'y';
    options.scales = kind.horizontal ? { x: valueAxis, y: categoryAxis } : { x: categoryAxis, y: valueAxis };
  }
  const title = req.title ?? r.label;
  const empty = datasets.every((d) => d.data.every((v) => v === null || v === 0));
  const alt = `${title}. ${labels
    .map((l, i) => `${l}: ${datasets.map((d) => `${datasets.length > 1 ? `${d.label} ` : ''}${d.display[i] ?? '-'}`).join(', ')}`)
    .join('; ')}`;
  return {
    id,
    title,
    alt: labels.length > 0 && !empty ? alt : `${title}: no data for this period`,
    empty,
    config: { type: kind.type, data: { labels, datasets }, options },
    show: { values: req.showValues !== false }
  };
}

function legendPosition(p: string | undefined): 'top' | 'bottom' | 'left' | 'right' {
  const v = (p ?? 'Bottom').toLowerCase();
  return v === 'top' || v === 'left' || v === 'right' ? v : 'bottom';
}

/** Text order, blank ("-") last. */
function byLabel(a: string, b: string): number {
  return a === '-' ? 1 : b === '-' ? -1 : a.localeCompare(b, 'en', { sensitivity: 'base' });
}

function unique(xs: string[]): string[] {
  return [...new Set(xs)];
}
