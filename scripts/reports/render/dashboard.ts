import type { DashboardComponentDef, DashboardResult } from '../dashboard';
import type { ReportResult } from '../runner';
import { chartFor, chartKind, chartSpec, type ChartSpec } from './chart';
import { dayMinutesOf, formatFigure } from './format';
import { esc, htmlPage } from './page';
import { periodLine } from './text';

/**
 * A dashboard as one page (./page): its components in the order and grid places of its metadata (column,
 * row, spans on its 12-column grid of `rowHeight` rows), each drawn with the reports' chart code from its
 * report's figures — the same chart type, groupings, summaries, value labels and legend the org shows — and
 * linked to the report page behind it.
 */
export interface DashboardHtmlOptions {
  /** Where a report's page is (each component links to its report there). */
  reportHref?: (report: string) => string;
  nav?: Array<{ href: string; label: string; current?: boolean }>;
  subtitle?: string;
  computedAt?: Date;
  nonce?: string;
}

const RUNS_AS: Record<string, string> = {
  LoggedInUser: 'Runs as the viewing user.',
  MyTeamsDashboard: 'Runs as the viewer’s team.',
  SpecifiedUser: 'Runs as a specified user.'
};

export function renderDashboard(d: DashboardResult, opts: DashboardHtmlOptions = {}): string {
  const { def } = d;
  const charts: ChartSpec[] = [];
  const css: string[] = [
    `.dashboard { grid-template-columns: repeat(${def.columns}, minmax(0, 1fr)); grid-auto-rows: ${def.rowHeight}px; }`
  ];
  const components = def.components.map((c, i) => {
    const r = d.results[i];
    const cls = `dc-${i + 1}`;
    css.push(
      `.${cls} { grid-column: ${c.grid.column + 1} / span ${Math.min(c.grid.colSpan, def.columns)}; grid-row: ${c.grid.row + 1} / span ${c.grid.rowSpan}; }`
    );
    const spec = c.useReportChart ? chartSpec(r, `${cls}-chart`) : chartFor(r, `${cls}-chart`, request(c));
    if (spec) charts.push(spec);
    const body = spec ? chartHtml(spec) : c.componentType === 'Table' ? tableHtml(c, r) : metricHtml(c, r);
    const link = opts.reportHref ? `<a href="${esc(opts.reportHref(r.report))}">${esc(r.label)}</a>` : esc(r.label);
    return `<section class="component ${cls}" aria-labelledby="${cls}-h" data-component-type="${esc(c.componentType)}">
<h2 id="${cls}-h">${esc(c.header ?? c.title ?? r.label)}</h2>
${body}
${c.footer ? `<p class="note">${esc(c.footer)}</p>` : ''}<p class="source">Report: ${link} · ${esc(periodLine(r))}</p>
</section>`;
  });
  // the grid as the org lays it out; on a narrow screen one component under the other, in the same order
  css.push(
    '.dashboard { display: grid; gap: 12px; padding: 0; }',
    '.component { display: flex; flex-direction: column; min-height: 0; padding: .75rem 1rem; }',
    '.component h2 { font-size: 1rem; margin: 0 0 .25rem; }',
    '.component figure { flex: 1; min-height: 0; display: flex; flex-direction: column; margin: 0; }',
    '.component .chart { flex: 1; min-height: 0; height: auto; max-width: none; }',
    '.component .source { font-size: .8125rem; color: #444; margin: .25rem 0 0; }',
    '.metric { font-size: 2.5rem; font-weight: 700; margin: auto 0; text-align: center; }',
    '@media (max-width: 900px) { .dashboard { grid-template-columns: minmax(0, 1fr); grid-auto-rows: auto; }' +
      ' .dashboard > .component { grid-column: 1; grid-row: auto; } .component .chart { flex: none; height: 300px; } }'
  );
  const subtitle = [def.description, RUNS_AS[def.runningAs], opts.subtitle].filter(Boolean).join(' ');
  return htmlPage({
    title: def.title,
    subtitle,
    computedAt: opts.computedAt,
    timeZone: d.results[0]?.period.timeZone,
    nav: opts.nav,
    main: `<div class="dashboard" data-dashboard="${esc(def.developerName)}">\n${components.join('\n')}\n</div>`,
    charts,
    css: css.join('\n'),
    nonce: opts.nonce
  });
}

function request(c: DashboardComponentDef) {
  return {
    type: c.componentType,
    title: c.title,
    groupingColumn: c.groupingColumns[0] ?? '',
    secondaryGroupingColumn: c.groupingColumns[1],
    summaries: c.chartSummaries,
    showValues: c.showValues,
    showPercentage: c.showPercentage,
    maxValues: c.maxValuesDisplayed,
    sortBy: c.sortBy,
    legendPosition: c.legendPosition
  };
}

function chartHtml(spec: ChartSpec): string {
  return `<figure><div class="chart"><canvas id="${spec.id}" role="img" aria-label="${esc(spec.alt)}">${esc(spec.alt)}</canvas></div>${
    spec.title ? `<figcaption>${esc(spec.title)}</figcaption>` : ''
  }</figure>`;
}

/** Metric and Gauge: the first summary at the grand total, as the table writes it. */
function metricHtml(c: DashboardComponentDef, r: ReportResult): string {
  const s = c.chartSummaries[0];
  const key = s ? (s.aggregate ? `${s.column}:${s.aggregate}` : s.column) : 'RowCount';
  const info = r.summaries.find((x) => x.key === key) ?? r.summaries[0];
  const known = chartKind(c.componentType) !== null || ['Metric', 'Gauge'].includes(c.componentType);
  const value = formatFigure(r.grandTotal.values[info.key] ?? null, info, dayMinutesOf(r), r.period.timeZone);
  return `<figure><p class="metric" aria-label="${esc(`${info.label}: ${value}`)}">${esc(value)}</p>${
    known ? '' : `<figcaption>${esc(c.componentType)} components are shown as their figure here.</figcaption>`
  }${c.title ? `<figcaption>${esc(c.title)}</figcaption>` : ''}</figure>`;
}

/** Table: the report's first-level groups and the component's summaries. */
function tableHtml(c: DashboardComponentDef, r: ReportResult): string {
  const keys = c.chartSummaries.map((s) => (s.aggregate ? `${s.column}:${s.aggregate}` : s.column));
  const infos = r.summaries.filter((s) => keys.includes(s.key));
  const rows = r.groups.filter((g) => g.level === 1);
  return `<div class="scroll"><table><thead><tr><th scope="col">${esc(r.groupingsDown[0]?.label ?? '')}</th>${infos
    .map((s) => `<th scope="col" class="num">${esc(s.label)}</th>`)
    .join('')}</tr></thead><tbody>${rows
    .map(
      (g) =>
        `<tr><th scope="row">${esc(g.labels[0])}</th>${infos
          .map((s) => `<td class="num">${esc(formatFigure(g.values[s.key] ?? null, s, dayMinutesOf(r, g.path), r.period.timeZone))}</td>`)
          .join('')}</tr>`
    )
    .join('')}</tbody></table></div>`;
}
