import { localDate } from '../../calendar';
import type { DispositionReasons, ExampleLead, QualityReasons } from '../qualityReasons';
import { esc } from './page';
import { wrap } from './text';

/**
 * The top recycle and reject reasons per lead source or campaign, with example leads (../qualityReasons),
 * as text (under the report's table in the terminal, and in the digest) and as an HTML fragment (in the
 * report's section of the HTML page, and in the digest).
 */

const n = (v: number) => v.toLocaleString('en-US');
const pct = (v: number | null) => (v === null ? '' : ` (${v.toLocaleString('en-US', { maximumFractionDigits: 1 })}%)`);

/** "Bad timing 7 (50%) · Not decision maker 4 (28.6%)", or "none". */
export function reasonsLine(d: DispositionReasons): string {
  return d.top.length === 0 ? 'none' : d.top.map((f) => `${f.reason} ${n(f.count)}${pct(f.share)}`).join(' · ');
}

/** The example's date in the report's time zone. */
function day(e: ExampleLead, timeZone: string): string {
  return e.submittedAt ? localDate(Date.parse(e.submittedAt), timeZone) : '';
}

function who(e: ExampleLead): string {
  return e.company ? `${e.lead} (${e.company})` : e.lead;
}

/** One line: `Darian Bogan (Fadel and Sons) — rejected: Duplicate, rating 2, 2026-11-20  <url>`. */
export function exampleLine(e: ExampleLead, timeZone: string): string {
  const verdict = e.disposition === 'Reject' ? 'rejected' : e.disposition === 'Recycle' ? 'recycled' : e.disposition.toLowerCase();
  const facts = [`${verdict}: ${e.reason}`, e.rating === null ? '' : `rating ${e.rating}`, day(e, timeZone)].filter(Boolean).join(', ');
  return `${who(e)} — ${facts}${e.url ? `  ${e.url}` : ''}`;
}

function quote(comment: string, max = 100): string {
  const one = comment.replace(/\s+/g, ' ').trim();
  return `“${one.length > max ? `${one.slice(0, max - 1)}…` : one}”`;
}

/**
 * As text, each line wrapped to `columns` (default 120) with its continuation indented, a lead's link on a
 * line of its own (a URL is never broken).
 */
export function renderReasonsText(q: QualityReasons, opts: { columns?: number } = {}): string {
  const tz = q.period.timeZone;
  const width = Math.max(opts.columns ?? 120, 40);
  const lines: string[] = [];
  const add = (indent: string, text: string, hanging = '  ') => {
    const [first, ...rest] = wrap(text, width - indent.length - hanging.length);
    lines.push(`${indent}${first}`, ...rest.map((l) => `${indent}${hanging}${l}`));
  };
  add('', `Top recycle and reject reasons by ${q.by.label.toLowerCase()} (report ${q.report}), with example leads`);
  for (const g of q.groups) {
    lines.push('');
    add('', `${g.label} — ${n(g.reject.count)} rejected, ${n(g.recycle.count)} recycled`);
    add('  ', `Rejected: ${reasonsLine(g.reject)}`, '          ');
    add('  ', `Recycled: ${reasonsLine(g.recycle)}`, '          ');
    for (const e of g.examples) {
      add('  ', `• ${exampleLine({ ...e, url: null }, tz)}`);
      if (e.url) lines.push(`    ${e.url}`);
      if (e.comment) add('    ', quote(e.comment), ' ');
    }
  }
  if (q.groups.length === 0) lines.push('', 'No lead was recycled or rejected in this period.');
  return `${lines.join('\n')}\n`;
}

/** The same as an HTML fragment: a table of the top reasons per group and a list of linked example leads. */
export function renderReasonsHtml(q: QualityReasons, opts: { headingLevel?: 2 | 3 } = {}): string {
  const h = `h${opts.headingLevel ?? 3}`;
  const tz = q.period.timeZone;
  if (q.groups.length === 0) {
    return `<${h}>Top recycle and reject reasons by ${esc(q.by.label.toLowerCase())}</${h}><p>No lead was recycled or rejected in this period.</p>`;
  }
  const rows = q.groups
    .map(
      (g) =>
        `<tr><th scope="row">${esc(g.label)}</th><td class="num">${n(g.reject.count)}</td><td>${esc(reasonsLine(g.reject))}</td>` +
        `<td class="num">${n(g.recycle.count)}</td><td>${esc(reasonsLine(g.recycle))}</td><td>${examplesHtml(g.examples, tz)}</td></tr>`
    )
    .join('\n');
  return `<${h}>Top recycle and reject reasons by ${esc(q.by.label.toLowerCase())}</${h}>
<div class="scroll"><table class="reasons"><caption>Why sales recycled or rejected the leads of each ${esc(q.by.label.toLowerCase())} (report ${esc(q.report)})</caption>
<thead><tr><th scope="col">${esc(q.by.label)}</th><th scope="col" class="num">Rejected</th><th scope="col">Top reject reasons</th><th scope="col" class="num">Recycled</th><th scope="col">Top recycle reasons</th><th scope="col">Example leads</th></tr></thead>
<tbody>
${rows}
</tbody></table></div>`;
}

export function examplesHtml(examples: ExampleLead[], timeZone: string): string {
  if (examples.length === 0) return '';
  const item = (e: ExampleLead) => {
    const name = e.url ? `<a href="${esc(e.url)}">${esc(who(e))}</a>` : esc(who(e));
    const verdict = e.disposition === 'Reject' ? 'rejected' : 'recycled';
    const facts = [`${verdict}: ${e.reason}`, e.rating === null ? '' : `rating ${e.rating}`, day(e, timeZone)].filter(Boolean).join(', ');
    return `<li>${name} — ${esc(facts)}${e.comment ? `<br><q>${esc(e.comment)}</q>` : ''}</li>`;
  };
  return `<ul class="examples">${examples.map(item).join('')}</ul>`;
}
