import { formatLocalDate } from '../../calendar';
import type { ReportResult } from '../runner';
import { flatten, PER_CLOCK_NOTE, summaryHeader, type FlatColumn } from './flatten';
import { businessTimeNote, dayMinutesOf, formatFigure } from './format';

/**
 * `--format table`: the report's summary table as aligned text that fits the terminal (120 columns unless
 * told otherwise): groups as an indented tree in one column, long headers wrapped onto several lines, long
 * group names shortened with "…", and, when the figures are still wider, the columns in several panels one
 * under the other (a matrix keeps each column group's figures together).
 */
export interface TableOptions {
  /** The width to fit, in characters (default 120). */
  columns?: number;
}

export const DEFAULT_COLUMNS = 120;
/** A header wraps to the width of its figures (or its longest word), widened until it takes at most this many lines. */
const HEADER_LINES = 3;
const GAP = '  ';
/** Group names are never shortened below this. */
const MIN_LABEL = 24;
/** ...nor, when the figures go into panels, kept longer than this. */
const PANEL_LABEL = 32;

interface Column {
  col: FlatColumn;
  lines: string[];
  cells: string[];
  width: number;
}

export function renderTable(r: ReportResult, opts: TableOptions = {}): string {
  const limit = Math.max(40, opts.columns ?? DEFAULT_COLUMNS);
  const flat = flatten(r);
  const labels = flat.rows.map((row) => {
    if (row.total) return 'Grand Total';
    const level = Math.max(row.level, 1);
    return `${'  '.repeat(level - 1)}${String(row.cells[level - 1] ?? '')}`;
  });
  const labelHeader = r.groupingsDown.map((g) => g.label).join(' › ');
  const matrix = flat.columns.some((c) => c.across !== undefined);
  const columns: Column[] = flat.columns.flatMap((col, i) => {
    if (col.kind === 'group' || !col.summary) return [];
    const cells = flat.rows.map((row) => formatFigure(row.cells[i], col.summary!, dayMinutesOf(r, row.path), r.period.timeZone));
    const head = matrix ? summaryHeader(col.summary) : col.header;
    let width = Math.max(...cells.map((c) => c.length), ...head.split(' ').map((w) => w.length));
    while (wrap(head, width).length > HEADER_LINES) width++;
    return [{ col, cells, width, lines: wrap(head, width) }];
  });

  const labelMax = Math.max(labelHeader.length > 40 ? 0 : labelHeader.length, ...labels.map((l) => l.length), 0);
  const span = (cols: Column[]) => cols.reduce((n, c) => n + GAP.length + c.width, 0);
  let labelWidth = labelMax;
  let panels: Column[][] = [columns];
  if (labelMax + span(columns) > limit) {
    labelWidth = Math.min(labelMax, Math.max(MIN_LABEL, limit - span(columns)));
    if (labelWidth + span(columns) > limit) {
      labelWidth = Math.min(labelMax, PANEL_LABEL);
      panels = intoPanels(columns, limit - labelWidth, span);
    }
  }

  const out = [`${r.label} (${r.folder}/${r.report})`, `Period: ${periodLine(r)}`];
  panels.forEach((panel, p) => {
    out.push('');
    if (panels.length > 1)
      out.push(p === 0 ? `(columns ${p + 1} of ${panels.length} panels)` : `(continued, panel ${p + 1} of ${panels.length})`);
    out.push(...renderPanel(panel, labels, labelHeader, labelWidth, flat.rows, matrix));
  });
  const notes = [businessTimeNote(r), r.perClock ? PER_CLOCK_NOTE : null];
  const detail = countRows(r);
  if (detail > 0) notes.push(`${detail} detail row${detail === 1 ? '' : 's'}; --format csv, json or html lists them.`);
  notes.push(truncatedLine(r));
  if (r.excluded) notes.push(excludedLine(r.excluded));
  if (r.summaries.some((s) => s.derived)) notes.push('(CLI) = computed by the CLI from the report rows; the org does not show it.');
  const shown = notes.filter((n): n is string => !!n);
  if (shown.length > 0) out.push('', ...shown.flatMap((n) => wrap(n, limit)));
  return `${out.join('\n')}\n`;
}

/** "Detail rows: the first 2,000 of 48,120 (--rows sets how many)." when the report has more rows than the run keeps. */
export function truncatedLine(r: ReportResult): string | null {
  const d = r.detailRows;
  if (!d || d.shown >= d.total) return null;
  return `Detail rows: the first ${d.shown.toLocaleString('en-US')} of ${d.total.toLocaleString('en-US')} in report order (--rows sets how many; the figures count every row).`;
}

/** "12 Cancelled SLA timers (not required …) in the period are left out of these figures." */
export function excludedLine(e: NonNullable<ReportResult['excluded']>): string {
  return `${e.rows.toLocaleString('en-US')} ${e.rows === 1 ? e.what.replace(/^Cancelled SLA timers/, 'Cancelled SLA timer') : e.what} in the period ${e.rows === 1 ? 'is' : 'are'} left out of these figures.`;
}

function renderPanel(
  panel: Column[],
  labels: string[],
  labelHeader: string,
  labelWidth: number,
  rows: Array<{ total: boolean }>,
  matrix: boolean
): string[] {
  const out: string[] = [];
  const line = (label: string, cells: string[], align: 'left' | 'right') =>
    [
      fit(label, labelWidth).padEnd(labelWidth),
      ...cells.map((c, i) => (align === 'right' ? c.padStart(panel[i].width) : c.padEnd(panel[i].width)))
    ]
      .join(GAP)
      .trimEnd();
  if (matrix) {
    // one line of column groups over their figures: "--- Accept ---"
    const blocks: Array<{ name: string; width: number }> = [];
    for (const c of panel) {
      const last = blocks[blocks.length - 1];
      if (last && last.name === c.col.across) last.width += GAP.length + c.width;
      else blocks.push({ name: c.col.across ?? '', width: c.width });
    }
    out.push([' '.repeat(labelWidth), ...blocks.map((b) => rule(b.name, b.width))].join(GAP).trimEnd());
  }
  const headerLines = Math.max(...panel.map((c) => c.lines.length));
  const labelLines = wrap(labelHeader, labelWidth);
  for (let i = 0; i < headerLines; i++) {
    // headers sit on the bottom line, as spreadsheets do, so every figure's header ends just above it
    const offset = (c: Column) => headerLines - c.lines.length;
    const labelLine = labelLines[i - (headerLines - labelLines.length)] ?? '';
    out.push(
      line(
        labelLine,
        panel.map((c) => (i >= offset(c) ? c.lines[i - offset(c)] : '').padStart(c.width)),
        'right'
      )
    );
  }
  out.push(
    line(
      '-'.repeat(labelWidth),
      panel.map((c) => '-'.repeat(c.width)),
      'left'
    )
  );
  rows.forEach((row, j) => {
    if (row.total)
      out.push(
        line(
          '-'.repeat(labelWidth),
          panel.map((c) => '-'.repeat(c.width)),
          'left'
        )
      );
    out.push(
      line(
        labels[j],
        panel.map((c) => c.cells[j]),
        'right'
      )
    );
  });
  return out;
}

/** Splits the figure columns into panels that fit `room`, keeping a matrix's column groups whole where they fit. */
function intoPanels(columns: Column[], room: number, span: (cols: Column[]) => number): Column[][] {
  const blocks: Column[][] = [];
  for (const c of columns) {
    const last = blocks[blocks.length - 1];
    if (last && c.col.across !== undefined && last[0].col.across === c.col.across) last.push(c);
    else blocks.push([c]);
  }
  const panels: Column[][] = [];
  let current: Column[] = [];
  for (const block of blocks) {
    const parts = span(block) <= room ? [block] : block.map((c) => [c]);
    for (const part of parts) {
      if (current.length > 0 && span([...current, ...part]) > room) {
        panels.push(current);
        current = [];
      }
      current.push(...part);
    }
  }
  if (current.length > 0) panels.push(current);
  return panels;
}

/** `--- Accept ---` filling `width`, or the name shortened to it. */
function rule(name: string, width: number): string {
  if (name.length + 2 >= width) return fit(name, width).padEnd(width);
  const left = Math.floor((width - name.length - 2) / 2);
  return `${'-'.repeat(left)} ${name} ${'-'.repeat(width - name.length - 2 - left)}`;
}

/**
 * Words onto lines of at most `width` characters (a longer word gets a line of its own). With a `separator`
 * (` · `), the parts between separators are kept whole where they fit, and a line ends after a separator.
 */
export function wrap(text: string, width: number, separator?: string): string[] {
  const lines: string[] = [];
  let current = '';
  const bySeparator = !!separator && text.includes(separator);
  const sep = bySeparator ? separator : ' ';
  const parts = bySeparator ? text.split(separator) : text.split(/\s+/).filter(Boolean);
  for (const word of parts) {
    if (bySeparator && word.length > width) {
      // a part longer than the line: its words wrap
      if (current) lines.push(current.trimEnd());
      const inner = wrap(word, width);
      lines.push(...inner.slice(0, -1));
      current = inner[inner.length - 1];
      continue;
    }
    if (current && current.length + sep.length + word.length > width) {
      lines.push(sep === ' ' ? current : `${current}${sep.trimEnd()}`);
      current = word;
    } else current = current ? `${current}${sep}${word}` : word;
  }
  if (current || lines.length === 0) lines.push(current);
  return lines;
}

/** `text` shortened to `width` with "…" when longer. */
function fit(text: string, width: number): string {
  return text.length <= width ? text : `${text.slice(0, Math.max(width - 1, 0)).trimEnd()}…`;
}

/** The period a report covers, for people: `this month, Dec 1, 2026 to Dec 31, 2026 (America/New_York), by Due At`. */
export function periodLine(r: ReportResult): string {
  const p = r.period;
  if (!p.column) return 'all records (no date filter)';
  const name = p.name === 'custom' ? 'custom' : p.name.replace(/-/g, ' ');
  const range =
    p.from || p.to ? `, ${p.from ? formatLocalDate(p.from) : '…'} to ${p.to ? formatLocalDate(p.to) : '…'} (${p.timeZone})` : '';
  return `${name}${range}, by ${p.columnLabel ?? p.column}`;
}

function countRows(r: ReportResult): number {
  return r.groups.reduce((n, g) => n + (g.rows?.length ?? 0), r.grandTotal.rows?.length ?? 0);
}

/**
 * A plain table of text cells that fits `limit` characters: the `flexible` columns (by index) give up width
 * in the order given, each down to 16 characters, and their cells wrap onto more lines. Every other column
 * keeps its widest cell.
 */
export function fitTable(head: string[], rows: string[][], limit: number, flexible: number[]): string[] {
  const MIN_FLEX = 16;
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const total = () => widths.reduce((a, b) => a + b, 0) + GAP.length * (widths.length - 1);
  for (const i of flexible) {
    if (total() <= limit) break;
    widths[i] = Math.max(Math.min(MIN_FLEX, widths[i]), widths[i] - (total() - limit));
  }
  const render = (cells: string[]) => {
    const wrapped = cells.map((c, i) => (flexible.includes(i) ? wrap(c, widths[i], ' · ') : [c]));
    const height = Math.max(...wrapped.map((w) => w.length));
    return Array.from({ length: height }, (_, l) =>
      wrapped
        .map((w, i) => (w[l] ?? '').padEnd(widths[i]))
        .join(GAP)
        .trimEnd()
    );
  };
  return [...render(head), widths.map((w) => '-'.repeat(w)).join(GAP), ...rows.flatMap(render)];
}
