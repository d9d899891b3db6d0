import type { ReportResult } from '../runner';
import { flatten } from './flatten';

/**
 * `--format csv` (RFC 4180): the summary table (one line per group and the grand total, raw
 * numbers), then, when the report shows detail rows, a blank line and the rows with their groups.
 *
 * Lead fields come from public web-to-lead forms, and managers open these files in a spreadsheet, so
 * no text cell may start a formula (CSV or formula injection). Following OWASP's guidance
 * (https://owasp.org/www-community/attacks/CSV_Injection): a text cell beginning with `=`, `+`, `-`,
 * `@`, a tab or a carriage return is prefixed with a single quote, and such a cell is wrapped in double
 * quotes with every double quote doubled; so is any cell holding a field separator (`,`, or `;` where a
 * spreadsheet's locale splits on it), a quote or a line break, so no payload starts a cell of its own.
 * Which cells are text is decided by the column's type, not by the value: a number in a numeric column
 * (a summary, or a number/currency/percent field: -5, 1e3) is written as the number it is, while a
 * lead source of "-2+3" is text and comes out as "'-2+3".
 */
export function renderCsv(r: ReportResult): string {
  const flat = flatten(r, { mixedGrandTotal: true });
  const kinds = flat.columns.map((c): CellKind => (c.kind === 'value' ? 'number' : 'text'));
  const lines = [csvLine(flat.columns.map((c) => c.header)), ...flat.rows.map((row) => csvLine(row.cells, kinds))];
  const detailGroups = r.groups.filter((g) => g.rows && g.rows.length > 0);
  const tabular = r.grandTotal.rows ?? [];
  if (detailGroups.length > 0 || tabular.length > 0) {
    const detailKinds = r.detailColumns.map((c): CellKind => (NUMERIC_TYPES.has(c.type) ? 'number' : 'text'));
    const groupKinds = r.groupingsDown.map((): CellKind => 'text');
    lines.push('');
    lines.push(csvLine([...r.groupingsDown.map((g) => g.label), 'Id', ...r.detailColumns.map((c) => c.label)]));
    for (const g of detailGroups) {
      for (const row of g.rows!)
        lines.push(
          csvLine(
            [...g.labels, row.id, ...r.detailColumns.map((c) => row.values[c.column] as Cell)],
            [...groupKinds, 'text', ...detailKinds]
          )
        );
    }
    for (const row of tabular)
      lines.push(csvLine([row.id, ...r.detailColumns.map((c) => row.values[c.column] as Cell)], ['text', ...detailKinds]));
  }
  return `${lines.join('\r\n')}\r\n`;
}

type Cell = string | number | boolean | null | undefined;
type CellKind = 'text' | 'number';

/** Report column types whose values are numbers (scripts/reports/schema.ts ColumnType). */
const NUMERIC_TYPES: ReadonlySet<string> = new Set(['number', 'currency', 'percent']);

/** A cell a spreadsheet would read as a formula: its first character (OWASP's list). */
const FORMULA_START = /^[=+\-@\t\r]/;
/** A cell that must be quoted (RFC 4180: separator, quote, line break; also `;` and tab, separators in some locales). */
const NEEDS_QUOTES = /[",;\t\r\n]/;

/** One CSV line; cells are text unless `kinds` says the column is numeric (headers are always text). */
export function csvLine(cells: readonly Cell[], kinds: readonly CellKind[] = []): string {
  return cells.map((c, i) => csvCell(c, kinds[i] ?? 'text')).join(',');
}

export function csvCell(value: Cell, kind: CellKind = 'text'): string {
  if (value === null || value === undefined) return '';
  if (kind === 'number' && typeof value === 'number' && Number.isFinite(value)) return String(value);
  let s = String(value);
  if (FORMULA_START.test(s)) s = `'${s}`;
  else if (!NEEDS_QUOTES.test(s)) return s;
  return `"${s.replace(/"/g, '""')}"`;
}
