import { localDate, wallClock } from '../../calendar';
import type { Digest, DigestRow, RatingPoint } from '../digest';
import type { DispositionReasons, ExampleLead } from '../qualityReasons';
import { esc } from './page';
import { exampleLine, examplesHtml, reasonsLine } from './reasons';
import { wrap } from './text';

/**
 * The closed-loop digest (../digest.ts) as text — for a terminal or a plain-text mail — and as one HTML
 * page made to be forwarded: no script, no external resource, styles a mail client keeps (one <style>
 * and inline widths), every lead linked to its record.
 */

const n = (v: number) => v.toLocaleString('en-US');
const pct = (part: number, whole: number) =>
  whole > 0 ? `${((part / whole) * 100).toLocaleString('en-US', { maximumFractionDigits: 1 })}%` : '-';
const rating = (v: number | null | undefined) => (v === null || v === undefined ? '-' : v.toFixed(2));
const percent = (v: number | null | undefined) =>
  v === null || v === undefined ? '-' : `${v.toLocaleString('en-US', { maximumFractionDigits: 1 })}%`;

/** "▲ 0.21 vs 2.74 the period before", or "" without a comparison. */
export function ratingChange(now: number | null, before: number | null | undefined): string {
  if (now === null || before === null || before === undefined) return '';
  const d = Math.round((now - before) * 100) / 100;
  const arrow = d > 0 ? '▲' : d < 0 ? '▼' : '=';
  return `${arrow} ${Math.abs(d).toFixed(2)} vs ${before.toFixed(2)} the period before`;
}

/** `, ▲ 0.21 vs 2.74 the period before` (or in brackets), or nothing. */
function change(now: number | null, before: number | null | undefined, brackets = false): string {
  const c = ratingChange(now, before);
  return c === '' ? '' : brackets ? ` (${c})` : `, ${c}`;
}

/** `2026-12-06 14:01 America/New_York`: when the digest was computed, in the period's time zone. */
function computedText(d: Digest): string {
  const t = Date.parse(d.computedAt);
  const w = wallClock(t, d.period.timeZone);
  const pad = (v: number) => String(v).padStart(2, '0');
  return `computed ${localDate(t, d.period.timeZone)} ${pad(w.hour)}:${pad(w.minute)} ${d.period.timeZone}`;
}

function periodText(d: Digest): string {
  const name = d.period.name.replace(/-/g, ' ');
  return `${name} (${d.period.from} to ${d.period.to}, ${d.period.timeZone})`;
}

function headline(d: Digest): string[] {
  const f = d.feedback;
  const trend = d.ratingTrend;
  const before = trend.length > 1 ? trend[trend.length - 2].averageRating : undefined;
  return [
    `MQLs handed over: ${n(d.mqls)}${d.mqlToSal === null ? '' : ` (${percent(d.mqlToSal)} accepted by sales so far)`}`,
    `Sales feedback: ${n(f.total)} — ${n(f.accepted)} accepted (${pct(f.accepted, f.total)}), ${n(f.recycled)} recycled (${pct(f.recycled, f.total)}), ${n(f.rejected)} rejected (${pct(f.rejected, f.total)})`,
    `Lead quality rating: ${rating(f.averageRating)} of 5${change(f.averageRating, before)}`,
    `Duplicates flagged: ${n(d.duplicates.flagged)} rejected as a duplicate or already in contact (marked for dedupe)`
  ];
}

function rowText(r: DigestRow, tz: string, withMqls: boolean): Array<[indent: string, text: string]> {
  const counts = [
    withMqls ? `${n(r.mqls ?? 0)} MQLs` : '',
    `${n(r.feedback)} answered: ${n(r.accepted)} accepted, ${n(r.recycled)} recycled, ${n(r.rejected)} rejected`,
    `rating ${rating(r.averageRating)}${change(r.averageRating, r.previousRating, true)}`
  ].filter(Boolean);
  const lines: Array<[string, string]> = [['', `${r.label} — ${counts.join('; ')}`]];
  if (r.topReject.length) lines.push(['  ', `Rejected: ${reasonsLine(disposition(r.rejected, r.topReject))}`]);
  if (r.topRecycle.length) lines.push(['  ', `Recycled: ${reasonsLine(disposition(r.recycled, r.topRecycle))}`]);
  lines.push(...examplesText(r.examples, tz));
  return lines;
}

/** Each example on its line, its link on the next (a URL is never wrapped). */
function examplesText(examples: ExampleLead[], tz: string): Array<[string, string]> {
  return examples.flatMap((e): Array<[string, string]> => [
    ['  ', `• ${exampleLine({ ...e, url: null }, tz)}`],
    ...(e.url ? [['    ', e.url] as [string, string]] : [])
  ]);
}

function disposition(count: number, top: DispositionReasons['top']): DispositionReasons {
  return { count, top };
}

function trendText(points: RatingPoint[]): string[] {
  return points.map(
    (p, i) =>
      `  ${p.from} to ${p.to}  ${rating(p.averageRating).padStart(4)}  ${bar(p.averageRating, 20)}  (${n(p.feedback)} feedback)${i === points.length - 1 ? '  ← this period' : ''}`
  );
}

function bar(v: number | null, width: number): string {
  const filled = v === null ? 0 : Math.round((v / 5) * width);
  return '█'.repeat(filled) + '░'.repeat(width - filled);
}

/** As text for a terminal or a plain-text mail, each line wrapped to `columns` (default 120). */
export function renderDigestText(d: Digest, opts: { org?: string; columns?: number } = {}): string {
  const tz = d.period.timeZone;
  const width = Math.max(opts.columns ?? 120, 40);
  const plain = (lines: string[]): Array<[string, string]> => lines.map((l) => ['', l]);
  const blocks: Array<[indent: string, text: string]> = [
    ...plain([
      d.title,
      `${periodText(d)}${opts.org ? ` · ${opts.org}` : ''} · ${computedText(d)}`,
      '',
      ...headline(d),
      '',
      'By lead source'
    ]),
    ...(d.bySource.length
      ? d.bySource.flatMap((r) => [['', ''] as [string, string], ...rowText(r, tz, true)])
      : plain(['', 'No MQLs and no feedback in this period.'])),
    ...plain(['', 'By campaign']),
    ...(d.byCampaign.length
      ? d.byCampaign.flatMap((r) => [['', ''] as [string, string], ...rowText(r, tz, false)])
      : plain(['', 'No feedback in this period.'])),
    ...plain(['', 'Lead quality rating, this period and the ones before (average of 1–5)', ...trendText(d.ratingTrend)]),
    ...plain(['', `Duplicates flagged: ${n(d.duplicates.flagged)}`]),
    ...examplesText(d.duplicates.examples, tz),
    ...plain(['', `Figures from the Closed Loop reports ${d.reports.join(', ')} for the same period.`])
  ];
  const out: string[] = [];
  for (const [indent, text] of blocks) {
    if (text === '' || /^https?:\/\//.test(text) || text.startsWith('  ')) {
      out.push(`${indent}${text}`);
      continue;
    }
    const [first, ...rest] = wrap(text, width - indent.length - 2);
    out.push(`${indent}${first}`, ...rest.map((l) => `${indent}  ${l}`));
  }
  return `${out.join('\n')}\n`;
}

const CSS = `
body { margin: 0; padding: 16px; background: #f3f3f3; font-family: -apple-system, "Segoe UI", Roboto, Helvetica, Arial, sans-serif; color: #181818; }
.card { max-width: 1100px; margin: 0 auto; background: #fff; border: 1px solid #c9c9c9; border-radius: 4px; padding: 16px 20px; }
h1 { font-size: 20px; margin: 0 0 4px; color: #032d60; }
h2 { font-size: 16px; margin: 24px 0 8px; color: #032d60; }
.meta, .note { color: #444; font-size: 13px; }
ul.headline { padding-left: 18px; font-size: 15px; }
table { border-collapse: collapse; font-size: 13px; width: 100%; }
caption { text-align: left; font-weight: 600; padding: 4px 0; }
th, td { border-bottom: 1px solid #e5e5e5; padding: 6px 8px; text-align: left; vertical-align: top; }
thead th { background: #f3f3f3; }
.num { text-align: right; white-space: nowrap; }
.bar { background: #0176d3; height: 10px; }
ul.examples { margin: 0; padding-left: 16px; }
a { color: #0b5cab; }
`;

function rowsTable(rows: DigestRow[], by: string, withMqls: boolean, tz: string): string {
  if (rows.length === 0) return `<p>No ${withMqls ? 'MQLs and no ' : ''}feedback in this period.</p>`;
  const head = [
    by,
    ...(withMqls ? ['MQLs'] : []),
    'Answered',
    'Accepted',
    'Recycled',
    'Rejected',
    'Rating',
    'Top reject reasons',
    'Top recycle reasons',
    'Example leads'
  ];
  const numeric = new Set(['MQLs', 'Answered', 'Accepted', 'Recycled', 'Rejected', 'Rating']);
  const body = rows
    .map((r) => {
      const change = r.previousRating !== undefined ? ratingChange(r.averageRating, r.previousRating) : '';
      const cells = [
        ...(withMqls ? [n(r.mqls ?? 0)] : []),
        n(r.feedback),
        `${n(r.accepted)} <span class="meta">${pct(r.accepted, r.feedback)}</span>`,
        `${n(r.recycled)} <span class="meta">${pct(r.recycled, r.feedback)}</span>`,
        `${n(r.rejected)} <span class="meta">${pct(r.rejected, r.feedback)}</span>`,
        `${rating(r.averageRating)}${change ? `<br><span class="meta">${esc(change.split(' vs ')[0])}</span>` : ''}`
      ].map((c) => `<td class="num">${c}</td>`);
      return `<tr><th scope="row">${esc(r.label)}</th>${cells.join('')}<td>${reasonsCell(r.topReject)}</td><td>${reasonsCell(
        r.topRecycle
      )}</td><td>${examplesHtml(r.examples, tz)}</td></tr>`;
    })
    .join('\n');
  return `<table><thead><tr>${head.map((h) => `<th scope="col"${numeric.has(h) ? ' class="num"' : ''}>${esc(h)}</th>`).join('')}</tr></thead><tbody>
${body}
</tbody></table>`;
}

/** One reason a line: `Bad timing 7 (50%)`. */
function reasonsCell(top: DispositionReasons['top']): string {
  return top.map((f) => esc(`${f.reason} ${n(f.count)}${f.share === null ? '' : ` (${percent(f.share)})`}`)).join('<br>');
}

function trendHtml(points: RatingPoint[]): string {
  const body = points
    .map((p, i) => {
      const width = p.averageRating === null ? 0 : Math.round((p.averageRating / 5) * 200);
      const label = `${p.from} to ${p.to}${i === points.length - 1 ? ' (this period)' : ''}`;
      return `<tr><th scope="row">${esc(label)}</th><td class="num">${rating(p.averageRating)}</td><td><div class="bar" style="width:${width}px" role="img" aria-label="${esc(`${rating(p.averageRating)} of 5`)}"></div></td><td class="num">${n(p.feedback)}</td></tr>`;
    })
    .join('\n');
  return `<table><caption>Average lead quality rating (1–5) per period</caption><thead><tr><th scope="col">Period</th><th scope="col" class="num">Rating</th><th scope="col">of 5</th><th scope="col" class="num">Feedback</th></tr></thead><tbody>
${body}
</tbody></table>`;
}

export function renderDigestHtml(d: Digest, opts: { org?: string } = {}): string {
  const tz = d.period.timeZone;
  const dup = d.duplicates;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(`${d.title} — ${d.period.from} to ${d.period.to}`)}</title>
<style>${CSS}</style>
</head>
<body>
<div class="card">
<h1>${esc(d.title)}</h1>
<p class="meta">${esc(periodText(d))}${opts.org ? ` · ${esc(opts.org)}` : ''} · ${esc(computedText(d))}</p>
<ul class="headline">${headline(d)
    .map((l) => `<li>${esc(l)}</li>`)
    .join('')}</ul>
<h2>By lead source</h2>
${rowsTable(d.bySource, 'Lead source', true, tz)}
<h2>By campaign</h2>
${rowsTable(d.byCampaign, 'Campaign', false, tz)}
<h2>Lead quality rating trend</h2>
${trendHtml(d.ratingTrend)}
<h2>Duplicates flagged</h2>
<p>${n(dup.flagged)} lead${dup.flagged === 1 ? '' : 's'} rejected as a duplicate or already in contact, marked for dedupe.</p>
${examplesHtml(dup.examples, tz)}
<p class="note">Figures from the Closed Loop reports ${esc(d.reports.join(', '))} for the same period; each lead links to its record.</p>
</div>
</body>
</html>
`;
}
