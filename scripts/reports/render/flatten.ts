import type { ReportResult, SummaryInfo } from '../runner';

/**
 * A report result as the rows a reader scans: one line per group (subtotals included, parents
 * first, as the Reports tab shows them) and the grand total; for matrix reports one column per
 * column group and summary, then the row totals.
 */
export interface FlatColumn {
  /** One line: `Accept: Record Count` (CSV). */
  header: string;
  kind: 'group' | 'value';
  type?: SummaryInfo['type'];
  /** Value columns: the summary, and in a matrix the column group it belongs to (`Accept`, or `Total`). */
  summary?: SummaryInfo;
  across?: string;
}

export interface FlatRow {
  level: number;
  total: boolean;
  /** The group keys of the row (empty for the grand total). */
  path: Array<string | null>;
  cells: Array<string | number | null>;
}

export interface FlatTable {
  columns: FlatColumn[];
  rows: FlatRow[];
}

export interface FlattenOptions {
  /**
   * Leave out the grand total of a report by clock (ReportResult.perClock), which mixes the clocks' rates and
   * medians (default). CSV keeps it: it is the org's export.
   */
  mixedGrandTotal?: boolean;
}

export function flatten(r: ReportResult, opts: FlattenOptions = {}): FlatTable {
  const groupCols: FlatColumn[] = r.groupingsDown.map((g) => ({ header: g.label, kind: 'group' }));
  const valueCols: FlatColumn[] = [];
  const across = r.groupingsAcross.length > 0 ? r.acrossGroups.filter((a) => a.level === r.groupingsAcross.length) : [];
  for (const a of across) {
    const label = a.labels.join(' / ');
    for (const s of r.summaries)
      valueCols.push({ header: `${label}: ${summaryHeader(s)}`, kind: 'value', type: s.type, summary: s, across: label });
  }
  for (const s of r.summaries)
    valueCols.push({
      header: across.length > 0 ? `Total: ${summaryHeader(s)}` : summaryHeader(s),
      kind: 'value',
      type: s.type,
      summary: s,
      ...(across.length > 0 ? { across: 'Total' } : {})
    });

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
  const rows: FlatRow[] = r.groups.map((g) => {
    const labels = r.groupingsDown.map((_, i) => (i < g.labels.length ? g.labels[i] : ''));
    return { level: g.level, total: false, path: g.path, cells: [...labels, ...valuesOf(g.values, g.cells)] };
  });
  if (!r.perClock || opts.mixedGrandTotal) {
    const total: FlatRow = {
      level: 0,
      total: true,
      path: [],
      cells: [...r.groupingsDown.map((_, i) => (i === 0 ? 'Grand Total' : '')), ...valuesOf(r.grandTotal.values, r.grandTotal.cells)]
    };
    if (groupCols.length === 0) total.cells.unshift('Grand Total');
    rows.push(total);
  }
  return { columns: groupCols.length > 0 ? [...groupCols, ...valueCols] : [{ header: '', kind: 'group' }, ...valueCols], rows };
}

export function summaryHeader(s: SummaryInfo): string {
  return s.derived ? `${s.label} (CLI)` : s.label;
}

/** Why a report by clock has no grand total (shown under its table). */
export const PER_CLOCK_NOTE = 'No grand total: the clocks are different commitments, so each clock’s first row is its total.';
