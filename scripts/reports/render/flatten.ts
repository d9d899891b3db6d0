import type { ReportResult, SummaryInfo } from '../runner';

/**
 * A report result as the rows a reader scans: one line per group (subtotals included, parents
 * first, as the Reports tab shows them) and the grand total; for matrix reports one column per
 * column group and summary, then the row totals.
 */
export interface FlatColumn {
  header: string;
  kind: 'group' | 'value';
  type?: SummaryInfo['type'];
}

export interface FlatTable {
  columns: FlatColumn[];
  rows: Array<{ level: number; total: boolean; cells: Array<string | number | null> }>;
}

export function flatten(r: ReportResult): FlatTable {
  const groupCols: FlatColumn[] = r.groupingsDown.map((g) => ({ header: g.label, kind: 'group' }));
  const valueCols: FlatColumn[] = [];
  const across = r.groupingsAcross.length > 0 ? r.acrossGroups.filter((a) => a.level === r.groupingsAcross.length) : [];
  for (const a of across) {
    for (const s of r.summaries) valueCols.push({ header: `${a.labels.join(' / ')}: ${summaryHeader(s)}`, kind: 'value', type: s.type });
  }
  for (const s of r.summaries)
    valueCols.push({ header: across.length > 0 ? `Total: ${summaryHeader(s)}` : summaryHeader(s), kind: 'value', type: s.type });

  const valuesOf = (
    values: Record<string, number | null>,
    cells?: Array<{ path: Array<string | null>; values: Record<string, number | null> }>
  ) => {
    const out: Array<number | null> = [];
    for (const a of across) {
      const cell = cells?.find((c) => JSON.stringify(c.path) === JSON.stringify(a.path));
      for (const s of r.summaries) out.push(cell ? (cell.values[s.key] ?? null) : null);
    }
    for (const s of r.summaries) out.push(values[s.key] ?? null);
    return out;
  };
  const rows: FlatTable['rows'] = r.groups.map((g) => {
    const labels = r.groupingsDown.map((_, i) => (i < g.labels.length ? g.labels[i] : ''));
    return { level: g.level, total: false, cells: [...labels, ...valuesOf(g.values, g.cells)] };
  });
  rows.push({
    level: 0,
    total: true,
    cells: [...r.groupingsDown.map((_, i) => (i === 0 ? 'Grand Total' : '')), ...valuesOf(r.grandTotal.values, r.grandTotal.cells)]
  });
  if (groupCols.length === 0) rows[rows.length - 1].cells.unshift('Grand Total');
  return { columns: groupCols.length > 0 ? [...groupCols, ...valueCols] : [{ header: '', kind: 'group' }, ...valueCols], rows };
}

export function summaryHeader(s: SummaryInfo): string {
  return s.derived ? `${s.label} (CLI)` : s.label;
}

/** A value as the Reports tab shows it: percentages with %, numbers grouped, blanks as "-". */
export function formatValue(v: unknown, type?: string): string {
  if (v === null || v === undefined || v === '') return '-';
  if (typeof v === 'number') {
    const s = v.toLocaleString('en-US', { maximumFractionDigits: 2, minimumFractionDigits: type === 'currency' ? 2 : 0 });
    return type === 'percent' ? `${s}%` : s;
  }
  return String(v);
}
