import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ReportResult } from '../runner';
import { chartSpec, type ChartSpec } from './chart';
import { flatten, formatValue, summaryHeader } from './flatten';
import { excludedLine, periodLine } from './text';

/**
 * `--format html`: one self-contained page (inline CSS, chart.js inlined from
 * node_modules/chart.js/dist/chart.umd.js, the data inline) with each report's chart and tables.
 * It makes no network request, so it can be mailed, archived or opened offline.
 */
export interface HtmlOptions {
  title?: string;
  /** Shown under the title, e.g. the org and when the figures were read. */
  subtitle?: string;
  /**
   * A Content-Security-Policy nonce for the inline <style> and <script> elements (the reports server
   * sends `script-src 'nonce-…'`, so no other inline script runs in the page).
   */
  nonce?: string;
}

let chartJs: string | undefined;
function chartJsSource(): string {
  if (chartJs === undefined) {
    const dir = path.dirname(require.resolve('chart.js'));
    chartJs = fs.readFileSync(path.join(dir, 'chart.umd.js'), 'utf8');
  }
  return chartJs;
}

export function renderHtml(results: ReportResult[], opts: HtmlOptions = {}): string {
  const title = opts.title ?? (results.length === 1 ? results[0].label : 'Closed Loop reports');
  const charts: ChartSpec[] = [];
  const sections = results.map((r, i) => {
    const spec = chartSpec(r, `chart-${i + 1}`);
    if (spec) charts.push(spec);
    return section(r, i + 1, spec);
  });
  const nav =
    results.length > 1
      ? `<nav aria-label="Reports"><ul>${results.map((r, i) => `<li><a href="#report-${i + 1}">${esc(r.label)}</a></li>`).join('')}</ul></nav>`
      : '';
  const nonce = opts.nonce ? ` nonce="${esc(opts.nonce)}"` : '';
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(title)}</title>
<style${nonce}>${CSS}</style>
</head>
<body>
<header><h1>${esc(title)}</h1>${opts.subtitle ? `<p class="meta">${esc(opts.subtitle)}</p>` : ''}${nav}</header>
<main>
${sections.join('\n')}
</main>
<script${nonce}>${chartJsSource().replace(/<\/script/gi, '<\\/script')}</script>
<script${nonce}>
const CHARTS = ${JSON.stringify(charts.map((c) => ({ id: c.id, config: c.config }))).replace(/</g, '\\u003c')};
const noData = { id: 'noData', afterDraw(chart) {
  const empty = chart.data.datasets.every((d) => d.data.every((v) => v === null || v === 0));
  if (!empty) return;
  const { ctx, width, height } = chart; ctx.save(); ctx.fillStyle = '#444'; ctx.font = '14px sans-serif';
  ctx.textAlign = 'center'; ctx.fillText('No data for this period', width / 2, height / 2); ctx.restore();
} };
for (const c of CHARTS) {
  const canvas = document.getElementById(c.id);
  if (canvas) new Chart(canvas, { ...c.config, plugins: [noData] });
}
document.documentElement.dataset.chartsRendered = String(CHARTS.length);
</script>
</body>
</html>
`;
}

function section(r: ReportResult, n: number, spec: ChartSpec | null): string {
  const flat = flatten(r);
  const id = `report-${n}`;
  const head = flat.columns.map((c) => `<th scope="col"${c.kind === 'value' ? ' class="num"' : ''}>${esc(c.header)}</th>`).join('');
  const body = flat.rows
    .map((row) => {
      const cells = row.cells.map((cell, i) => {
        const col = flat.columns[i];
        if (col.kind === 'group') {
          const text = i === row.level - 1 || row.total ? String(cell ?? '') : '';
          return i === Math.max(row.level - 1, 0) ? `<th scope="row">${esc(text)}</th>` : `<td>${esc(text)}</td>`;
        }
        return `<td class="num">${esc(formatValue(cell, col.type))}</td>`;
      });
      return `<tr class="level-${row.level}${row.total ? ' total' : ''}">${cells.join('')}</tr>`;
    })
    .join('\n');
  const derived = r.summaries.filter((s) => s.derived);
  const note =
    (r.excluded ? `<p class="note">${esc(excludedLine(r.excluded))}</p>` : '') +
    (derived.length
      ? `<p class="note">${derived.map((s) => esc(summaryHeader(s))).join(', ')}: computed by the CLI from the report rows (nearest rank); Salesforce reports have no percentile summary.</p>`
      : '');
  const figure = spec
    ? `<figure><div class="chart"><canvas id="${spec.id}" role="img" aria-label="${esc(spec.alt)}">${esc(spec.alt)}</canvas></div><figcaption>${esc(spec.title)}</figcaption></figure>`
    : '';
  return `<section id="${id}" aria-labelledby="${id}-title">
<h2 id="${id}-title">${esc(r.label)}</h2>
<p>${esc(r.description.replace(/\s*The CLI adds P\d+\([^)]*\)[^.]*\.?/, ''))}</p>
<p class="meta">Period: ${esc(periodLine(r))} · Report ${esc(`${r.folder}/${r.report}`)} · Report type ${esc(r.reportType)}</p>
${figure}
<div class="scroll"><table><caption>${esc(r.label)}: summary</caption><thead><tr>${head}</tr></thead><tbody>
${body}
</tbody></table></div>
${note}${detailTable(r)}
</section>`;
}

function detailTable(r: ReportResult): string {
  const groups = r.groups.filter((g) => g.rows && g.rows.length > 0);
  const rows = [
    ...groups.flatMap((g) => g.rows!.map((row) => ({ labels: g.labels, row }))),
    ...(r.grandTotal.rows ?? []).map((row) => ({ labels: [], row }))
  ];
  if (rows.length === 0) return '';
  const head = [...r.groupingsDown.map((g) => g.label), ...r.detailColumns.map((c) => c.label)];
  const body = rows
    .map(
      ({ labels, row }) =>
        `<tr>${[...labels, ...r.detailColumns.map((c) => formatValue(row.values[c.column], c.type === 'currency' ? 'currency' : undefined))]
          .map((v) => `<td>${esc(String(v))}</td>`)
          .join('')}</tr>`
    )
    .join('\n');
  return `<details><summary>Detail rows (${rows.length})</summary><div class="scroll"><table><caption>${esc(r.label)}: detail rows</caption><thead><tr>${head
    .map((h) => `<th scope="col">${esc(h)}</th>`)
    .join('')}</tr></thead><tbody>
${body}
</tbody></table></div></details>`;
}

function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

const CSS = `
:root { color-scheme: light; font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #181818; }
body { margin: 0; background: #f3f3f3; }
header { background: #0b5cab; color: #fff; padding: 1rem 1.5rem; }
header h1 { margin: 0 0 .25rem; font-size: 1.5rem; }
header .meta { color: #fff; }
nav ul { list-style: none; padding: 0; margin: .5rem 0 0; display: flex; flex-wrap: wrap; gap: .25rem 1rem; }
nav a { color: #fff; }
main { padding: 1rem 1.5rem; display: grid; grid-template-columns: minmax(0, 1fr); gap: 1.5rem; }
section { min-width: 0; background: #fff; border: 1px solid #c9c9c9; border-radius: .25rem; padding: 1rem 1.25rem; }
h2 { margin-top: 0; font-size: 1.2rem; }
.meta, .note { color: #444; font-size: .875rem; }
figure { margin: 0 0 1rem; }
.chart { position: relative; height: 320px; max-width: 960px; }
figcaption { font-size: .875rem; color: #444; }
.scroll { overflow-x: auto; }
table { border-collapse: collapse; font-size: .875rem; margin: .5rem 0; }
caption { text-align: left; font-weight: 600; padding: .25rem 0; }
th, td { border-bottom: 1px solid #e5e5e5; padding: .3rem .6rem; text-align: left; white-space: nowrap; }
thead th { background: #f3f3f3; }
.num { text-align: right; font-variant-numeric: tabular-nums; }
tr.level-1 th, tr.level-1 td { font-weight: 600; }
tr.total th, tr.total td { font-weight: 700; border-top: 2px solid #747474; }
details summary { cursor: pointer; margin: .5rem 0; }
a:focus, summary:focus { outline: 2px solid #0b5cab; outline-offset: 2px; }
`;
