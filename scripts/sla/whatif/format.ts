/**
 * `--format table`: the what-if as aligned text — the proposal, per clock the current and proposed figures side by
 * side, the reps whose compliance changes most, then per rep, team and lead source; or a sweep's curve.
 */
import { formatDuration } from '../../calendar';
import type { Figures, GroupFigures } from './figures';
import type { WhatIfResult } from './index';

const n = (v: number) => v.toLocaleString('en-US');
const pct = (v: number | null) => (v === null ? '—' : `${v.toFixed(1)} %`);
/** business time as the reports show it: hours and minutes (a business day is not 24 h, so no days) */
const dur = (v: number | null) => (v === null ? '—' : formatDuration(v, 0));

function table(head: string[], rows: string[][]): string {
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (r: string[]) =>
    r
      .map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i])))
      .join('  ')
      .trimEnd();
  return [line(head), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

const FIGURE_HEAD = ['compliance', 'met', 'breached', 'excluded', 'open', 'escalations', 'median', 'P90'];
const figureCells = (f: Figures) => [
  pct(f.compliance),
  n(f.met),
  n(f.breached),
  n(f.excluded),
  n(f.open),
  n(f.escalations),
  dur(f.medianMinutes),
  dur(f.p90Minutes)
];

function sideBySide(title: string, current: readonly GroupFigures[], proposed: readonly GroupFigures[] | null): string {
  const after = new Map((proposed ?? []).map((g) => [`${g.clock}\u0000${g.key}`, g.figures]));
  const rows = current.map((g) => {
    const p = after.get(`${g.clock}\u0000${g.key}`);
    return [
      `${g.clock} · ${g.label}`,
      pct(g.figures.compliance),
      p ? pct(p.compliance) : '—',
      n(g.figures.breached),
      p ? n(p.breached) : '—',
      dur(g.figures.medianMinutes),
      p ? dur(p.medianMinutes) : '—',
      dur(g.figures.p90Minutes),
      p ? dur(p.p90Minutes) : '—'
    ];
  });
  return `${title}\n${table([title.replace(/^Per /, ''), 'compliance now', 'proposed', 'breaches now', 'proposed', 'median now', 'proposed', 'P90 now', 'proposed'], rows)}`;
}

export function formatWhatIf(r: WhatIfResult): string {
  const out: string[] = [];
  out.push(
    `SLA what-if for ${r.period.label} (${r.period.from} to ${r.period.to}, ${r.period.timeZone}), clocks evaluated at ${r.now}: ` +
      `${n(r.records.leads)} leads and ${n(r.records.opportunities)} opportunities replayed; nothing was written`
  );
  if (r.changes.length > 0) out.push(`Proposed: ${r.changes.join('; ')}`);
  if (r.proposed) {
    const after = new Map(r.proposed.byClock.map((c) => [c.clock, c.figures]));
    const rows: string[][] = [];
    for (const { clock, figures } of r.current.byClock) {
      rows.push([`${clock} · current (${r.current.targets[clock] ?? '—'} min)`, ...figureCells(figures)]);
      const p = after.get(clock);
      if (p) rows.push([`${clock} · proposed (${r.proposed.targets[clock] ?? '—'} min)`, ...figureCells(p)]);
    }
    for (const { clock, figures } of r.proposed.byClock) {
      if (!r.current.byClock.some((c) => c.clock === clock))
        rows.push([`${clock} · proposed (${r.proposed.targets[clock] ?? '—'} min)`, ...figureCells(figures)]);
    }
    out.push('', table(['Per clock (target)', ...FIGURE_HEAD], rows));
    if (r.reps.length > 0) {
      out.push(
        '',
        table(
          ['Reps whose compliance changes most', 'now', 'proposed', 'change'],
          r.reps.map((c) => [
            `${c.clock} · ${c.label}`,
            pct(c.current),
            pct(c.proposed),
            `${c.change > 0 ? '+' : ''}${c.change.toFixed(1)} pts`
          ])
        )
      );
    }
    out.push('', sideBySide('Per rep', r.current.by.rep, r.proposed.by.rep));
    out.push('', sideBySide('Per team (manager)', r.current.by.team, r.proposed.by.team));
    out.push('', sideBySide('Per lead source', r.current.by.source, r.proposed.by.source));
  }
  if (r.sweep) {
    const s = r.sweep;
    out.push('', `Sweep of ${s.policy}.${s.field} (${s.clock}): current ${pct(s.current.compliance)}, P90 ${dur(s.current.p90Minutes)}`);
    out.push(
      table(
        [s.field, ...FIGURE_HEAD],
        s.points.map((p) => [String(p.value), ...figureCells(p.figures)])
      )
    );
    if (s.current.p90Minutes !== null) {
      out.push(
        `90 % of the ${s.clock} runs of ${r.period.label} took at most ${dur(s.current.p90Minutes)} of business time (median ${dur(s.current.medianMinutes)}).`
      );
    }
  }
  return out.join('\n');
}
