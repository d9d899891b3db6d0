import type { ReportResult } from '../runner';
import { flatten } from './flatten';

/**
 * `--format csv` (RFC 4180): the summary table (one line per group and the grand total, raw
 * numbers), then, when the report shows detail rows, a blank line and the rows with their groups.
 */
export function renderCsv(r: ReportResult): string {
  const flat = flatten(r);
  const lines = [csvLine(flat.columns.map((c) => c.header)), ...flat.rows.map((row) => csvLine(row.cells))];
  const detailGroups = r.groups.filter((g) => g.rows && g.rows.length > 0);
  const tabular = r.grandTotal.rows ?? [];
  if (detailGroups.length > 0 || tabular.length > 0) {
    lines.push('');
    lines.push(csvLine([...r.groupingsDown.map((g) => g.label), 'Id', ...r.detailColumns.map((c) => c.label)]));
    for (const g of detailGroups) {
      for (const row of g.rows!)
        lines.push(csvLine([...g.labels, row.id, ...r.detailColumns.map((c) => row.values[c.column] as string | number | null)]));
    }
    for (const row of tabular) lines.push(csvLine([row.id, ...r.detailColumns.map((c) => row.values[c.column] as string | number | null)]));
  }
  return `${lines.join('\r\n')}\r\n`;
}

function csvLine(cells: Array<string | number | boolean | null | undefined>): string {
  return cells
    .map((c) => {
      if (c === null || c === undefined) return '';
      const s = String(c);
      return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
    })
    .join(',');
}
