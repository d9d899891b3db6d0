import * as fs from 'node:fs';
import * as path from 'node:path';
import { formatInstant, INSTANT_FORMAT } from '../../calendar';
import type { ChartSpec } from './chart';

/**
 * The page every HTML view of the reports shares (the report pages and the dashboard): one self-contained
 * document — CSS, chart.js (inlined from node_modules/chart.js/dist/chart.umd.js) and the data inline — that
 * makes no network request, so it can be mailed, archived or opened offline. Its only scripts are its own
 * inline ones: with `nonce`, the `<style>` and `<script>` elements carry it, so a strict Content Security
 * Policy (`script-src 'nonce-…'`, no inline event handlers, no style attributes) runs the page as it is.
 *
 * The page script draws the charts (values written as the tables write them), says "No data for this period"
 * on an empty chart, and rewrites every `<time data-instant>` in the browser's time zone.
 */
export interface PageOptions {
  title: string;
  /** Shown under the title, e.g. the org the figures come from. */
  subtitle?: string;
  /** When the figures were read: shown in the reader's time zone. */
  computedAt?: Date;
  /** The time zone instants are written in until the page script rewrites them in the browser's (the running user's). */
  timeZone?: string;
  /** Links to the other views (the reports, the dashboard). */
  nav?: Array<{ href: string; label: string; current?: boolean }>;
  /** More of the header, e.g. a table of contents (HTML). */
  headerHtml?: string;
  /** The page body (HTML). */
  main: string;
  charts: ChartSpec[];
  /** Page-specific CSS (e.g. the dashboard's grid placement classes). */
  css?: string;
  nonce?: string;
  /**
   * More of the page script (plain browser JavaScript), run after the charts are drawn; it may call
   * `drawCharts(charts)` to draw charts of the same shape again (the What-if page after a replay).
   */
  script?: string;
}

let chartJs: string | undefined;
function chartJsSource(): string {
  if (chartJs === undefined) {
    const dir = path.dirname(require.resolve('chart.js'));
    chartJs = fs.readFileSync(path.join(dir, 'chart.umd.js'), 'utf8');
  }
  return chartJs;
}

export function htmlPage(o: PageOptions): string {
  const nonce = o.nonce ? ` nonce="${esc(o.nonce)}"` : '';
  const nav = o.nav?.length
    ? `<nav class="views" aria-label="Closed Loop"><ul>${o.nav
        .map((l) => `<li><a href="${esc(l.href)}"${l.current ? ' aria-current="page"' : ''}>${esc(l.label)}</a></li>`)
        .join('')}</ul></nav>`
    : '';
  const meta = [o.subtitle ? esc(o.subtitle) : '', o.computedAt ? `computed ${timeHtml(o.computedAt, o.timeZone)}` : '']
    .filter(Boolean)
    .join(' · ');
  const data = { charts: o.charts.map((c) => ({ id: c.id, config: c.config, show: c.show })), instant: INSTANT_FORMAT };
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(o.title)}</title>
<link rel="icon" href="data:,">
<style${nonce}>${CSS}${o.css ?? ''}</style>
</head>
<body>
<header>${nav}<h1>${esc(o.title)}</h1>${meta ? `<p class="meta">${meta}</p>` : ''}${o.headerHtml ?? ''}</header>
<main>
${o.main}
</main>
<script${nonce}>${chartJsSource().replace(/<\/script/gi, '<\\/script')}</script>
<script${nonce}>
const PAGE = ${JSON.stringify(data).replace(/</g, '\\u003c')};
${PAGE_SCRIPT}${o.script ? `\n${o.script.replace(/<\/script/gi, '<\\/script')}` : ''}
</script>
</body>
</html>
`;
}

/** An instant as `<time>`: ISO in the attribute (for machines), the reader's wall clock as text. */
export function timeHtml(instant: Date | string, timeZone = 'UTC'): string {
  const iso = typeof instant === 'string' ? instant : instant.toISOString();
  return `<time data-instant datetime="${esc(iso)}">${esc(formatInstant(iso, timeZone))}</time>`;
}

export function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** The page's own script (plain browser JavaScript; chart.js is loaded just before it). */
const PAGE_SCRIPT = `
const when = new Intl.DateTimeFormat(undefined, PAGE.instant);
for (const t of document.querySelectorAll('time[data-instant]')) {
  const d = new Date(t.dateTime);
  if (!Number.isNaN(d.getTime())) t.textContent = when.format(d);
}
const noData = { id: 'noData', afterDraw(chart) {
  const empty = chart.data.datasets.every((d) => d.data.every((v) => v === null || v === 0));
  if (!empty) return;
  const { ctx, width, height } = chart; ctx.save(); ctx.fillStyle = '#444'; ctx.font = '14px sans-serif';
  ctx.textAlign = 'center'; ctx.fillText('No data for this period', width / 2, height / 2); ctx.restore();
} };
const valueLabels = (show) => ({ id: 'valueLabels', afterDatasetsDraw(chart) {
  if (!show.values) return;
  const { ctx } = chart;
  const type = chart.config.type;
  const pie = type === 'pie' || type === 'doughnut';
  const horizontal = chart.options.indexAxis === 'y';
  const stacked = !pie && chart.options.scales && chart.options.scales[horizontal ? 'x' : 'y'].stacked;
  ctx.save(); ctx.font = '12px system-ui, sans-serif'; ctx.lineJoin = 'round';
  chart.data.datasets.forEach((d, i) => {
    const meta = chart.getDatasetMeta(i);
    if (meta.hidden) return;
    meta.data.forEach((el, j) => {
      const text = d.display && d.display[j];
      if (!text || text === '-' || d.data[j] === null || d.data[j] === 0) return;
      let x; let y;
      if (pie) {
        ({ x, y } = el.tooltipPosition());
        ctx.textAlign = 'center'; ctx.textBaseline = 'middle';
      } else if (stacked) {
        // inside its segment, when the segment has room for it
        const room = horizontal ? Math.abs(el.width || 0) : Math.abs(el.height || 0);
        if (room < (horizontal ? ctx.measureText(text).width + 6 : 16)) return;
        ({ x, y } = el.getCenterPoint());
        ctx.textAlign = 'center'; ctx.textBaseline = 'middle';
      } else if (horizontal) {
        // a bar thinner than the text would make neighbouring labels overlap: its tooltip says it
        if (Math.abs(el.height || 0) < 9) return;
        x = el.x + 4; y = el.y; ctx.textAlign = 'left'; ctx.textBaseline = 'middle';
      } else {
        x = el.x; y = el.y - 4; ctx.textAlign = 'center'; ctx.textBaseline = 'bottom';
      }
      ctx.strokeStyle = '#fff'; ctx.lineWidth = 3; ctx.strokeText(text, x, y);
      ctx.fillStyle = '#181818'; ctx.fillText(text, x, y);
    });
  });
  ctx.restore();
} });
const tooltip = { callbacks: { label(item) {
  const d = item.dataset; const text = d.display ? d.display[item.dataIndex] : item.formattedValue;
  return (d.label ? d.label + ': ' : '') + text;
} } };
function drawCharts(charts) {
  let drawn = 0;
  for (const c of charts) {
    const canvas = document.getElementById(c.id);
    if (!canvas) continue;
    const options = { ...c.config.options, plugins: { ...c.config.options.plugins, tooltip } };
    new Chart(canvas, { ...c.config, options, plugins: [noData, valueLabels(c.show)] });
    drawn++;
  }
  return drawn;
}
document.documentElement.dataset.chartsRendered = String(drawCharts(PAGE.charts));
`;

const CSS = `
:root { color-scheme: light; font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #181818; }
body { margin: 0; background: #f3f3f3; }
header { background: #0b5cab; color: #fff; padding: 1rem 1.5rem; }
header h1 { margin: 0 0 .25rem; font-size: 1.5rem; }
header .meta { color: #fff; margin: .25rem 0; }
header nav ul { list-style: none; padding: 0; margin: .5rem 0 0; display: flex; flex-wrap: wrap; gap: .25rem 1rem; }
header a { color: #fff; }
nav.views ul { margin: 0 0 .5rem; }
nav.views a[aria-current="page"] { font-weight: 700; text-decoration: none; }
main { padding: 1rem 1.5rem; display: grid; grid-template-columns: minmax(0, 1fr); gap: 1.5rem; }
section { min-width: 0; background: #fff; border: 1px solid #c9c9c9; border-radius: .25rem; padding: 1rem 1.25rem; }
h2 { margin-top: 0; font-size: 1.2rem; }
h2 a { color: inherit; }
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
table.reasons td { white-space: normal; min-width: 8rem; vertical-align: top; }
ul.examples { margin: 0; padding-left: 1rem; }
ul.examples li { margin-bottom: .25rem; }
a:focus, summary:focus { outline: 2px solid #0b5cab; outline-offset: 2px; }
header a:focus { outline-color: #fff; }
`;
