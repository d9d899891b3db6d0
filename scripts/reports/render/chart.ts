import type { ReportResult } from '../runner';
import { summaryHeader } from './flatten';

/**
 * A report's chart (its `chart` metadata: type, grouping, secondary grouping, summaries) as a
 * chart.js configuration, from the same figures the tables show.
 */
export interface ChartSpec {
  id: string;
  title: string;
  /** A text equivalent of the chart for screen readers. */
  alt: string;
  config: {
    type: 'bar' | 'line' | 'pie' | 'doughnut';
    data: {
      labels: string[];
      datasets: Array<{ label: string; data: Array<number | null>; backgroundColor: string | string[]; borderColor?: string }>;
    };
    options: Record<string, unknown>;
  };
}

/** Okabe–Ito: distinguishable with the common colour-vision deficiencies. */
const PALETTE = ['#0072B2', '#E69F00', '#009E73', '#CC79A7', '#56B4E9', '#D55E00', '#F0E442', '#000000'];

export function chartSpec(r: ReportResult, id: string): ChartSpec | null {
  const chart = r.chart;
  if (!chart || chart.type === 'None') return null;
  const keys = chart.summaries.map((s) => (s.aggregate ? `${s.column}:${s.aggregate}` : s.column));
  const summaries = keys.map((k) => r.summaries.find((s) => s.key === k)).filter((s) => s !== undefined);
  if (summaries.length === 0) return null;
  const dimOf = (col: string | undefined) => {
    if (!col) return undefined;
    const d = r.groupingsDown.findIndex((g) => g.column === col);
    if (d >= 0) return { side: 'down' as const, level: d + 1 };
    const a = r.groupingsAcross.findIndex((g) => g.column === col);
    return a >= 0 ? { side: 'across' as const, level: a + 1 } : undefined;
  };
  const g = dimOf(chart.groupingColumn);
  const s = dimOf(chart.secondaryGroupingColumn);
  if (!g) return null;

  // every (group label, secondary label) → summaries, from the deepest cells the two dimensions need
  const points: Array<{ g: string; s?: string; values: Record<string, number | null> }> = [];
  const downLevel = Math.max(g.side === 'down' ? g.level : 0, s?.side === 'down' ? s.level : 0);
  const acrossLevel = Math.max(g.side === 'across' ? g.level : 0, s?.side === 'across' ? s.level : 0);
  const rows =
    downLevel === 0
      ? [{ labels: [] as string[], values: r.grandTotal.values, cells: r.grandTotal.cells }]
      : r.groups.filter((x) => x.level === downLevel);
  for (const row of rows) {
    const sources =
      acrossLevel === 0
        ? [{ labels: [] as string[], values: row.values }]
        : (row.cells ?? []).filter((c) => c.path.length === acrossLevel).map((c) => ({ labels: c.labels, values: c.values }));
    for (const src of sources) {
      const label = (d: { side: 'down' | 'across'; level: number }) =>
        d.side === 'down' ? row.labels[d.level - 1] : src.labels[d.level - 1];
      points.push({ g: label(g), s: s ? label(s) : undefined, values: src.values });
    }
  }
  const labels = unique(points.map((p) => p.g));
  let datasets: ChartSpec['config']['data']['datasets'];
  const pie = chart.type === 'Pie' || chart.type === 'Donut';
  if (s) {
    const series = unique(points.map((p) => p.s ?? '-'));
    const key = summaries[0].key;
    datasets = series.map((name, i) => ({
      label: name,
      data: labels.map((l) => points.find((p) => p.g === l && (p.s ?? '-') === name)?.values[key] ?? null),
      backgroundColor: PALETTE[i % PALETTE.length]
    }));
  } else {
    datasets = summaries.map((sum, i) => ({
      label: summaryHeader(sum),
      data: labels.map((l) => points.find((p) => p.g === l)?.values[sum.key] ?? null),
      backgroundColor: pie ? labels.map((_, j) => PALETTE[j % PALETTE.length]) : PALETTE[i % PALETTE.length]
    }));
  }
  const horizontal = chart.type.startsWith('HorizontalBar') || chart.type === 'Funnel';
  const stacked = /Stacked/.test(chart.type);
  const type: ChartSpec['config']['type'] =
    chart.type === 'Pie' ? 'pie' : chart.type === 'Donut' ? 'doughnut' : chart.type.startsWith('Line') ? 'line' : 'bar';
  const options: Record<string, unknown> = {
    animation: false,
    responsive: true,
    maintainAspectRatio: false,
    plugins: { legend: { position: 'bottom' }, title: { display: false } }
  };
  if (type === 'bar' || type === 'line') {
    if (horizontal) options.indexAxis = 'y';
    options.scales = { x: { stacked, beginAtZero: true }, y: { stacked, beginAtZero: true } };
  }
  const title = chart.title ?? r.label;
  const alt = `${title}. ${labels
    .map((l, i) => `${l}: ${datasets.map((d) => `${datasets.length > 1 ? `${d.label} ` : ''}${d.data[i] ?? '-'}`).join(', ')}`)
    .join('; ')}`;
  return {
    id,
    title,
    alt: labels.length > 0 ? alt : `${title}: no data for this period`,
    config: { type, data: { labels, datasets }, options }
  };
}

function unique(xs: string[]): string[] {
  return [...new Set(xs)];
}
