import type { ReportResult } from '../runner';
import { chartSpec, type ChartSpec } from './chart';
import { flatten, PER_CLOCK_NOTE, summaryHeader } from './flatten';
import { businessTimeNote, dayMinutesOf, formatFigure } from './format';
import { esc, htmlPage, timeHtml } from './page';
import { renderReasonsHtml } from './reasons';
import { excludedLine, periodLine, truncatedLine } from './text';

/**
 * `--format html` and the reports server's report pages: each report's chart and tables on one
 * self-contained page (./page). Figures read as in the table format (business time, words for yes/no,
 * field labels); instants in detail rows are shown in the browser's time zone.
 */
export interface HtmlOptions {
  title?: string;
  /** Shown under the title, e.g. the org the figures come from. */
  subtitle?: string;
  /** When the figures were read (shown in the reader's time zone). */
  computedAt?: Date;
  /** Links to the other views (reports server: the dashboard, all reports). */
  nav?: Array<{ href: string; label: string; current?: boolean }>;
  /** Where a report's own page is (its title links there), e.g. `/reports/<Name>?period=…` on the reports server. */
  reportHref?: (report: string) => string;
  /**
   * A Content-Security-Policy nonce for the inline <style> and <script> elements (the reports server
   * sends `script-src 'nonce-…'`, so no other inline script runs in the page).
   */
  nonce?: string;
}

export function renderHtml(results: ReportResult[], opts: HtmlOptions = {}): string {
  const title = opts.title ?? (results.length === 1 ? results[0].label : 'Closed Loop reports');
  const charts: ChartSpec[] = [];
  const sections = results.map((r, i) => {
    const spec = chartSpec(r, `chart-${i + 1}`);
    if (spec) charts.push(spec);
    return section(r, i + 1, spec, opts);
  });
  const toc =
    results.length > 1
      ? `<nav aria-label="Reports on this page"><ul>${results.map((r, i) => `<li><a href="#report-${i + 1}">${esc(r.label)}</a></li>`).join('')}</ul></nav>`
      : '';
  return htmlPage({
    title,
    subtitle: opts.subtitle,
    computedAt: opts.computedAt,
    timeZone: results[0]?.period.timeZone,
    nav: opts.nav,
    headerHtml: toc,
    main: sections.join('\n'),
    charts,
    nonce: opts.nonce
  });
}

function section(r: ReportResult, n: number, spec: ChartSpec | null, opts: HtmlOptions): string {
  const flat = flatten(r);
  const id = `report-${n}`;
  const tz = r.period.timeZone;
  const head = flat.columns.map((c) => `<th scope="col"${c.kind === 'value' ? ' class="num"' : ''}>${esc(c.header)}</th>`).join('');
  const body = flat.rows
    .map((row) => {
      const day = dayMinutesOf(r, row.path);
      const cells = row.cells.map((cell, i) => {
        const col = flat.columns[i];
        if (col.kind === 'group') {
          const text = i === row.level - 1 || row.total ? String(cell ?? '') : '';
          return i === Math.max(row.level - 1, 0) ? `<th scope="row">${esc(text)}</th>` : `<td>${esc(text)}</td>`;
        }
        return `<td class="num">${esc(formatFigure(cell, col.summary ?? { type: col.type }, day, tz))}</td>`;
      });
      return `<tr class="level-${row.level}${row.total ? ' total' : ''}">${cells.join('')}</tr>`;
    })
    .join('\n');
  const derived = r.summaries.filter((s) => s.derived);
  const notes = [
    businessTimeNote(r),
    r.perClock ? PER_CLOCK_NOTE : null,
    r.excluded ? excludedLine(r.excluded) : null,
    truncatedLine(r),
    derived.length
      ? `${derived.map((s) => summaryHeader(s)).join(', ')}: computed by the CLI from the report rows (nearest rank); Salesforce reports have no percentile summary.`
      : null
  ].filter((x): x is string => !!x);
  const figure = spec
    ? `<figure><div class="chart"><canvas id="${spec.id}" role="img" aria-label="${esc(spec.alt)}">${esc(spec.alt)}</canvas></div><figcaption>${esc(spec.title)}</figcaption></figure>`
    : '';
  const heading = opts.reportHref ? `<a href="${esc(opts.reportHref(r.report))}">${esc(r.label)}</a>` : esc(r.label);
  return `<section id="${id}" aria-labelledby="${id}-title">
<h2 id="${id}-title">${heading}</h2>
<p>${esc(r.description.replace(/\s*The CLI adds P\d+\([^)]*\)[^.]*\.?/, ''))}</p>
<p class="meta">Period: ${esc(periodLine(r))} · Report ${esc(`${r.folder}/${r.report}`)} · Report type ${esc(r.reportTypeLabel)}</p>
${figure}
<div class="scroll"><table><caption>${esc(r.label)}: summary</caption><thead><tr>${head}</tr></thead><tbody>
${body}
</tbody></table></div>
${notes.map((t) => `<p class="note">${esc(t)}</p>`).join('')}${detailTable(r)}${r.reasons ? `\n${renderReasonsHtml(r.reasons)}` : ''}
</section>`;
}

function detailTable(r: ReportResult): string {
  const groups = r.groups.filter((g) => g.rows && g.rows.length > 0);
  const rows = [
    ...groups.flatMap((g) => g.rows!.map((row) => ({ labels: g.labels, path: g.path, row }))),
    ...(r.grandTotal.rows ?? []).map((row) => ({ labels: [] as string[], path: [] as Array<string | null>, row }))
  ];
  if (rows.length === 0) return '';
  const tz = r.period.timeZone;
  const head = [...r.groupingsDown.map((g) => g.label), ...r.detailColumns.map((c) => c.label)];
  const cell = (v: unknown, c: ReportResult['detailColumns'][number], day: number) =>
    c.type === 'datetime' && typeof v === 'string' ? timeHtml(v, tz) : esc(formatFigure(v, c, day, tz));
  const body = rows
    .map(({ labels, path, row }) => {
      const day = dayMinutesOf(r, path);
      const values = r.detailColumns.map(
        (c) => `<td${typeof row.values[c.column] === 'number' && !c.words ? ' class="num"' : ''}>${cell(row.values[c.column], c, day)}</td>`
      );
      return `<tr>${[...labels.map((l) => `<td>${esc(l)}</td>`), ...values].join('')}</tr>`;
    })
    .join('\n');
  return `<details><summary>Detail rows (${rows.length})</summary><div class="scroll"><table><caption>${esc(r.label)}: detail rows</caption><thead><tr>${head
    .map((h) => `<th scope="col">${esc(h)}</th>`)
    .join('')}</tr></thead><tbody>
${body}
</tbody></table></div></details>`;
}
