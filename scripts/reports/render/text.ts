import type { ReportResult } from '../runner';
import { flatten, formatValue } from './flatten';

/** `--format table`: the report's summary table as aligned text, with the period it covers. */
export function renderTable(r: ReportResult): string {
  const flat = flatten(r);
  const head = flat.columns.map((c) => c.header);
  const body = flat.rows.map((row) =>
    row.cells.map((cell, i) => {
      const col = flat.columns[i];
      if (col.kind === 'group') return typeof cell === 'string' && i === row.level - 1 ? cell : i < row.level - 1 ? '' : String(cell ?? '');
      return formatValue(cell, col.type);
    })
  );
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i].length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (flat.columns[i].kind === 'value' ? c.padStart(widths[i]) : c.padEnd(widths[i])))
      .join('  ')
      .trimEnd();
  const out = [
    `${r.label} (${r.folder}/${r.report})`,
    `Period: ${periodLine(r)}`,
    '',
    line(head),
    line(widths.map((w) => '-'.repeat(w))),
    ...body.map(line)
  ];
  const detail = countRows(r);
  if (detail > 0) out.push('', `${detail} detail row${detail === 1 ? '' : 's'}; --format csv or json lists them.`);
  if (r.excluded) out.push(excludedLine(r.excluded));
  if (r.summaries.some((s) => s.derived)) out.push('(CLI) = computed by the CLI from the report rows; the org does not show it.');
  return `${out.join('\n')}\n`;
}

/** "12 Cancelled SLA timers (not required …) in the period are left out of these figures." */
export function excludedLine(e: NonNullable<ReportResult['excluded']>): string {
  return `${e.rows.toLocaleString('en-US')} ${e.rows === 1 ? e.what.replace(/^Cancelled SLA timers/, 'Cancelled SLA timer') : e.what} in the period ${e.rows === 1 ? 'is' : 'are'} left out of these figures.`;
}

export function periodLine(r: ReportResult): string {
  const p = r.period;
  if (!p.column) return 'all records (no date filter)';
  const range = p.from || p.to ? ` (${p.from ?? '…'} to ${p.to ?? '…'}, ${p.timeZone})` : '';
  return `${p.name}${range} on ${p.column}`;
}

function countRows(r: ReportResult): number {
  return r.groups.reduce((n, g) => n + (g.rows?.length ?? 0), r.grandTotal.rows?.length ?? 0);
}
