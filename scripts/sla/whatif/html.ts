/**
 * `--format html` and the reports server's What-if page: the what-if as one self-contained page drawn by the
 * reports' own page and chart code (scripts/reports/render/page.ts: chart.js inlined, values written on the bars,
 * a CSP nonce): compliance per clock, current beside proposed, as a bar chart and a table; the reps whose
 * compliance moves most; per rep, team and lead source; and a sweep as a line of compliance against the value.
 * The server's page adds a form (the active policies' targets and warning percentages, the weekday hours, the
 * period) that asks the server again with the edited values.
 */
import { formatDuration } from '../../calendar';
import type { ChartSpec } from '../../reports/render/chart';
import { esc, htmlPage, timeHtml } from '../../reports/render/page';
import type { Figures, GroupFigures } from './figures';
import type { WhatIfResult } from './index';

const pct = (v: number | null) => (v === null ? '—' : `${v.toFixed(1)} %`);
const dur = (v: number | null) => (v === null ? '—' : formatDuration(v, 0));
const n = (v: number) => v.toLocaleString('en-US');
const CURRENT = '#0072B2';
const PROPOSED = '#E69F00';

export interface WhatIfHtmlOptions {
  title?: string;
  subtitle?: string;
  nonce?: string;
  nav?: Array<{ href: string; label: string; current?: boolean }>;
  /** the form of the server's page (HTML), shown first */
  formHtml?: string;
  /** a refusal to show beside the form (the proposal was not valid, or the org's setup cannot be replayed) */
  error?: string;
  /** what to do about the refusal, under it */
  errorHelp?: string;
  /** when the history replayed was read, and how long the server keeps it between replays (the server's page) */
  history?: { readAt: Date; keptMinutes: number };
  /** only the parts a replay in place swaps (the error slot and the results), not a page: what the page script asks for */
  fragment?: boolean;
}

function barOptions(): Record<string, unknown> {
  return {
    responsive: true,
    maintainAspectRatio: false,
    animation: false,
    scales: { y: { beginAtZero: true, max: 110, ticks: { callback: null, stepSize: 20 }, title: { display: true, text: 'compliance %' } } },
    plugins: { legend: { position: 'bottom' } }
  };
}

export function complianceChart(r: WhatIfResult): ChartSpec {
  const clocks = r.current.byClock.map((c) => c.clock);
  const after = new Map((r.proposed?.byClock ?? []).map((c) => [c.clock, c.figures]));
  const now = r.current.byClock.map((c) => c.figures.compliance);
  const prop = clocks.map((c) => after.get(c)?.compliance ?? null);
  const alt = clocks.map((c, i) => `${c}: ${pct(now[i])} now, ${pct(prop[i])} proposed`).join('; ');
  return {
    id: 'whatif-compliance',
    title: 'Compliance per clock: current and proposed policies',
    alt: `Compliance per clock. ${alt}`,
    empty: now.every((v) => v === null),
    config: {
      type: 'bar',
      data: {
        labels: clocks,
        datasets: [
          { label: 'current', data: now, display: now.map(pct), backgroundColor: CURRENT },
          ...(r.proposed ? [{ label: 'proposed', data: prop, display: prop.map(pct), backgroundColor: PROPOSED }] : [])
        ]
      },
      options: barOptions()
    },
    show: { values: true }
  };
}

export function sweepChart(r: WhatIfResult): ChartSpec | null {
  const s = r.sweep;
  if (!s) return null;
  const data = s.points.map((p) => p.figures.compliance);
  return {
    id: 'whatif-sweep',
    title: `${s.clock} compliance against ${s.policy}.${s.field}`,
    alt: `${s.clock} compliance against ${s.field}: ${s.points.map((p) => `${p.value}: ${pct(p.figures.compliance)}`).join(', ')}`,
    empty: data.every((v) => v === null),
    config: {
      type: 'line',
      data: {
        labels: s.points.map((p) => String(p.value)),
        datasets: [{ label: `${s.clock} compliance`, data, display: data.map(pct), backgroundColor: CURRENT, borderColor: CURRENT }]
      },
      options: {
        ...barOptions(),
        scales: {
          y: { beginAtZero: true, max: 110, title: { display: true, text: 'compliance %' } },
          x: { title: { display: true, text: s.field } }
        }
      }
    },
    show: { values: true }
  };
}

const HEAD = ['Compliance', 'Met', 'Breached', 'Excluded', 'Open', 'Escalations', 'Median', 'P90'];
const cells = (f: Figures) =>
  [pct(f.compliance), n(f.met), n(f.breached), n(f.excluded), n(f.open), n(f.escalations), dur(f.medianMinutes), dur(f.p90Minutes)]
    .map((c) => `<td class="num">${esc(c)}</td>`)
    .join('');

function tableHtml(caption: string, head: string[], rows: string[], id?: string): string {
  return `<div class="scroll"><table${id ? ` id="${id}"` : ''}><caption>${esc(caption)}</caption><thead><tr>${head
    .map((h, i) => `<th scope="col"${i > 0 ? ' class="num"' : ''}>${esc(h)}</th>`)
    .join('')}</tr></thead><tbody>\n${rows.join('\n')}\n</tbody></table></div>`;
}

function groupTable(caption: string, row: string, current: readonly GroupFigures[], proposed: readonly GroupFigures[] | null): string {
  const after = new Map((proposed ?? []).map((g) => [`${g.clock}\u0000${g.key}`, g.figures]));
  const rows = current.map((g) => {
    const p = after.get(`${g.clock}\u0000${g.key}`);
    const c = [
      pct(g.figures.compliance),
      p ? pct(p.compliance) : '—',
      n(g.figures.breached),
      p ? n(p.breached) : '—',
      dur(g.figures.p90Minutes),
      p ? dur(p.p90Minutes) : '—'
    ];
    return `<tr><th scope="row">${esc(`${g.clock} · ${g.label}`)}</th>${c.map((x) => `<td class="num">${esc(x)}</td>`).join('')}</tr>`;
  });
  return tableHtml(caption, [`Clock · ${row}`, 'Compliance now', 'Proposed', 'Breaches now', 'Proposed', 'P90 now', 'Proposed'], rows);
}

const figure = (c: ChartSpec) =>
  `<figure><div class="chart"><canvas id="${c.id}" role="img" aria-label="${esc(c.alt)}">${esc(c.alt)}</canvas></div><figcaption>${esc(c.title)}</figcaption></figure>`;

/** What the page's live region says once a replay has drawn new figures: each clock's compliance, now and proposed. */
export function replaySummary(r: WhatIfResult): string {
  const after = new Map((r.proposed?.byClock ?? []).map((c) => [c.clock, c.figures]));
  const clocks = r.current.byClock.map(({ clock, figures }) => {
    const p = after.get(clock);
    const target = r.proposed?.targets[clock] ?? r.current.targets[clock];
    return `${clock}: ${pct(figures.compliance)} now, ${p ? pct(p.compliance) : '—'} proposed${target === undefined ? '' : ` (target ${target} min)`}`;
  });
  return `Figures updated. ${clocks.join('; ')}.`;
}

export function renderWhatIfHtml(r: WhatIfResult | null, opts: WhatIfHtmlOptions = {}): string {
  const charts: ChartSpec[] = [];
  const sections: string[] = [];
  const form = Boolean(opts.formHtml || opts.error);
  // the error slot, the results and the live region have ids: after a replay in place the page script swaps the
  // first two for the server's new ones and says what changed in the third (WHATIF_SCRIPT)
  const errorSlot = `<div id="whatif-error-slot">${opts.error ? `<p class="error" role="alert" id="whatif-error">${esc(opts.error)}</p>` : ''}${
    opts.error && opts.errorHelp ? `<p class="note" id="whatif-error-help">${esc(opts.errorHelp)}</p>` : ''
  }</div>`;
  if (form) {
    sections.push(
      `<section aria-labelledby="whatif-form-title"><h2 id="whatif-form-title">Proposal</h2>${errorSlot}${opts.formHtml ?? ''}<p id="whatif-status" class="note" role="status"></p></section>`
    );
  }
  if (r) {
    const chart = complianceChart(r);
    charts.push(chart);
    // the figures are as fresh as the history: say when it was read (in the reader's time zone once the page script runs)
    const readNote = opts.history
      ? `\n<p class="note" id="whatif-read-at">History read at ${timeHtml(opts.history.readAt, r.period.timeZone)}; kept between replays while the org does not change (at most ${opts.history.keptMinutes} minutes), then read again.</p>`
      : '';
    const rows: string[] = [];
    const after = new Map((r.proposed?.byClock ?? []).map((c) => [c.clock, c.figures]));
    for (const { clock, figures } of r.current.byClock) {
      rows.push(
        `<tr class="level-1"><th scope="row">${esc(`${clock} · current (${r.current.targets[clock] ?? '—'} min)`)}</th>${cells(figures)}</tr>`
      );
      const p = after.get(clock);
      if (p && r.proposed)
        rows.push(`<tr><th scope="row">${esc(`${clock} · proposed (${r.proposed.targets[clock] ?? '—'} min)`)}</th>${cells(p)}</tr>`);
    }
    sections.push(`<section aria-labelledby="whatif-clocks-title"><h2 id="whatif-clocks-title">Per clock</h2>
<p class="meta">Clock runs that started ${esc(r.period.from)} to ${esc(r.period.to)} (${esc(r.period.timeZone)}), evaluated at ${esc(r.now)}; ${n(r.records.leads)} leads and ${n(r.records.opportunities)} opportunities replayed; nothing was written.${
      r.changes.length ? ` Proposed: ${esc(r.changes.join('; '))}.` : ''
    }</p>${readNote}
${figure(chart)}
${tableHtml('Per clock: current and proposed', ['Clock · policies', ...HEAD], rows, 'whatif-clocks')}
<p class="note">Compliance = Met / (Met + Breached); Cancelled runs (not required) are excluded; open runs are not decided yet. Business time to the stop, or to the evaluation instant.</p>
</section>`);
    if (r.reps.length > 0) {
      sections.push(
        `<section aria-labelledby="whatif-reps-title"><h2 id="whatif-reps-title">Reps whose compliance changes most</h2>${tableHtml(
          'Reps whose compliance changes most',
          ['Clock · rep', 'Now', 'Proposed', 'Change'],
          r.reps.map(
            (c) =>
              `<tr><th scope="row">${esc(`${c.clock} · ${c.label}`)}</th><td class="num">${esc(pct(c.current))}</td><td class="num">${esc(pct(c.proposed))}</td><td class="num">${esc(`${c.change > 0 ? '+' : ''}${c.change.toFixed(1)} pts`)}</td></tr>`
          )
        )}</section>`
      );
    }
    const sweep = sweepChart(r);
    if (sweep && r.sweep) {
      charts.push(sweep);
      const s = r.sweep;
      sections.push(`<section aria-labelledby="whatif-sweep-title"><h2 id="whatif-sweep-title">${esc(`Sweep of ${s.policy}.${s.field}`)}</h2>
${figure(sweep)}
${tableHtml(
  `${s.clock} figures per value of ${s.field}`,
  [s.field, ...HEAD],
  s.points.map((p) => `<tr><th scope="row">${esc(String(p.value))}</th>${cells(p.figures)}</tr>`)
)}
${s.current.p90Minutes !== null ? `<p class="note">${esc(`90 % of the ${s.clock} runs of the period took at most ${dur(s.current.p90Minutes)} of business time (median ${dur(s.current.medianMinutes)}).`)}</p>` : ''}
</section>`);
    }
    if (r.proposed) {
      sections.push(`<section aria-labelledby="whatif-groups-title"><h2 id="whatif-groups-title">Per rep, team and lead source</h2>
${groupTable('Per rep', 'rep', r.current.by.rep, r.proposed.by.rep)}
${groupTable('Per team (manager)', 'team', r.current.by.team, r.proposed.by.team)}
${groupTable('Per lead source', 'lead source', r.current.by.source, r.proposed.by.source)}
</section>`);
    }
  }
  const results = `<div id="whatif-results" data-summary="${r ? esc(replaySummary(r)) : ''}" data-charts="${esc(
    JSON.stringify(charts.map((c) => ({ id: c.id, config: c.config, show: c.show })))
  )}">\n${(form ? sections.slice(1) : sections).join('\n')}\n</div>`;
  if (opts.fragment) return `${errorSlot}\n${results}\n`;
  const main = form ? `${sections[0]}\n${results}` : sections.join('\n');
  return htmlPage({
    title: opts.title ?? 'SLA what-if',
    subtitle: opts.subtitle,
    computedAt: new Date(),
    nav: opts.nav,
    main,
    charts,
    css: WHATIF_CSS,
    nonce: opts.nonce,
    script: form ? WHATIF_SCRIPT : undefined
  });
}

/**
 * The server's page without a page load: Replay (or Enter in a field) asks the server for the same page with the
 * form's values, swaps in its error slot and results, draws its charts, puts its address in the history and says
 * in the live region (role=status) what changed — so focus stays where it was and a screen reader hears the new
 * figures. `data-whatif-replays` on the document counts the replays drawn. Without scripts the form is a plain GET.
 */
const WHATIF_SCRIPT = `
(() => {
  const form = document.querySelector('form.whatif');
  const status = document.getElementById('whatif-status');
  if (!form || !status || !window.fetch) return;
  let replays = 0;
  const swap = (parts, id) => {
    const next = parts.getElementById(id);
    const current = document.getElementById(id);
    if (next && current) current.replaceWith(document.importNode(next, true));
  };
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const url = form.getAttribute('action') + '?' + new URLSearchParams(new FormData(form)).toString();
    const results = document.getElementById('whatif-results');
    if (results) results.setAttribute('aria-busy', 'true');
    status.textContent = 'Replaying the history under the proposal…';
    // the parts alone (the server's x-closed-loop-fragment), parsed inert in a template: nothing in them runs or styles
    const parts = document.createElement('template');
    try {
      const res = await fetch(url, { headers: { accept: 'text/html', 'x-closed-loop-fragment': 'whatif' }, credentials: 'same-origin' });
      // 400: the proposal is refused, 409: the org's setup cannot be replayed; both come with their reason
      if (!res.ok && res.status !== 400 && res.status !== 409) throw new Error('the server answered ' + res.status);
      parts.innerHTML = await res.text();
    } catch (e) {
      if (results) results.removeAttribute('aria-busy');
      status.textContent = 'The replay failed (' + (e && e.message ? e.message : e) + '). Press Replay to try again.';
      return;
    }
    for (const canvas of document.querySelectorAll('#whatif-results canvas')) {
      const chart = Chart.getChart(canvas);
      if (chart) chart.destroy();
    }
    swap(parts.content, 'whatif-error-slot');
    swap(parts.content, 'whatif-results');
    history.pushState(null, '', url);
    const fresh = document.getElementById('whatif-results');
    // instants in the reader's time zone, as the page script writes those of the first page (its \`when\`)
    for (const t of document.querySelectorAll('#whatif-results time[data-instant]')) {
      const d = new Date(t.dateTime);
      if (!Number.isNaN(d.getTime())) t.textContent = when.format(d);
    }
    const drawn = fresh ? drawCharts(JSON.parse(fresh.dataset.charts || '[]')) : 0;
    document.documentElement.dataset.chartsRendered = String(drawn);
    const error = document.getElementById('whatif-error');
    status.textContent = error ? 'Not replayed: ' + error.textContent : (fresh && fresh.dataset.summary) || 'Figures updated.';
    document.documentElement.dataset.whatifReplays = String(++replays);
  });
  // Back and Forward between replays: the page of that address
  window.addEventListener('popstate', () => location.reload());
})();
`;

const WHATIF_CSS = `
form.whatif { display: grid; gap: .75rem; }
form.whatif fieldset { border: 1px solid #c9c9c9; border-radius: .25rem; padding: .5rem .75rem; display: flex; flex-wrap: wrap; gap: .5rem 1.25rem; }
form.whatif label { display: flex; flex-direction: column; font-size: .875rem; gap: .2rem; }
form.whatif input, form.whatif select { font: inherit; padding: .3rem .4rem; border: 1px solid #747474; border-radius: .25rem; min-width: 8rem; }
form.whatif button { justify-self: start; font: inherit; padding: .4rem 1rem; background: #0b5cab; color: #fff; border: 0; border-radius: .25rem; cursor: pointer; }
form.whatif button:focus, form.whatif input:focus, form.whatif select:focus { outline: 2px solid #0b5cab; outline-offset: 2px; }
.error { color: #ba0517; font-weight: 600; }
.assistive { position: absolute; width: 1px; height: 1px; margin: -1px; padding: 0; overflow: hidden; clip: rect(0 0 0 0); border: 0; white-space: nowrap; }
`;
