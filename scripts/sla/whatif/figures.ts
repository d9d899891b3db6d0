/**
 * The figures a what-if reports for a set of replayed runs, as the compliance reports count them
 * (docs/reports-and-scorecard.md): compliance = Met / (Met + Breached); Cancelled runs (not required) are left
 * out and counted as excluded; open runs (Running, At Risk, Paused) are not decided yet. Business time is the
 * run's elapsed business minutes (to its stop, else counted at the replay's `now`), Cancelled runs left out:
 * median (the middle value, or the mean of the two middle ones) and P90 (nearest rank, as the reports' P90).
 */
import type { ClockName, TimerStatus } from '../clock';
import { CLOCKS } from '../clock';
import type { History } from './history';
import type { CountedRun } from './replay';

export interface Figures {
  timers: number;
  met: number;
  breached: number;
  /** Cancelled: not required, left out of compliance */
  excluded: number;
  /** still Running, At Risk or Paused */
  open: number;
  /** Met / (Met + Breached) in %, 1 decimal; null when nothing is decided */
  compliance: number | null;
  /** breaches whose policy escalates (a task for the owner or the manager) */
  escalations: number;
  /** business minutes, 2 decimals; null without runs */
  medianMinutes: number | null;
  p90Minutes: number | null;
}

const round = (v: number, d: number) => Math.round(v * 10 ** d) / 10 ** d;

export function figuresOf(runs: Iterable<CountedRun>): Figures {
  const f: Figures = {
    timers: 0,
    met: 0,
    breached: 0,
    excluded: 0,
    open: 0,
    compliance: null,
    escalations: 0,
    medianMinutes: null,
    p90Minutes: null
  };
  const minutes: number[] = [];
  for (const { timer, policy } of runs) {
    f.timers++;
    const s: TimerStatus = timer.status;
    if (s === 'Met') f.met++;
    else if (s === 'Breached') {
      f.breached++;
      if (policy.createTaskOnBreach || policy.notifyManager) f.escalations++;
    } else if (s === 'Cancelled') f.excluded++;
    else f.open++;
    if (s !== 'Cancelled') minutes.push(timer.elapsedBusinessMinutes);
  }
  if (f.met + f.breached > 0) f.compliance = round((100 * f.met) / (f.met + f.breached), 1);
  if (minutes.length > 0) {
    const sorted = Float64Array.from(minutes).sort();
    const n = sorted.length;
    f.medianMinutes = round(n % 2 === 1 ? sorted[(n - 1) / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2, 2);
    f.p90Minutes = round(sorted[Math.max(Math.ceil(0.9 * n), 1) - 1], 2);
  }
  return f;
}

export type Dimension = 'rep' | 'team' | 'source';

export interface GroupFigures {
  clock: ClockName;
  /** the group's key (a user Id, a manager's Id, a lead source) and what to show */
  key: string;
  label: string;
  figures: Figures;
}

export interface ScenarioFigures {
  label: string;
  /** the target of each clock's active policy (null when the clock has no active policy) */
  targets: Partial<Record<ClockName, number>>;
  byClock: Array<{ clock: ClockName; figures: Figures }>;
  by: Record<Dimension, GroupFigures[]>;
}

const NONE = '(none)';

/** The figures of one scenario: per clock, and per clock × rep (accountable user), × team (the rep's manager), × lead source. */
export function scenarioFigures(
  label: string,
  runs: readonly CountedRun[],
  history: History,
  targets: ScenarioFigures['targets']
): ScenarioFigures {
  // clock → key → runs, per dimension (a run is grouped by its clock, then by rep, team or source)
  const byClock = new Map<ClockName, CountedRun[]>();
  const groups: Record<Dimension, Map<ClockName, Map<string, CountedRun[]>>> = { rep: new Map(), team: new Map(), source: new Map() };
  const push = <K>(m: Map<K, CountedRun[]>, k: K, r: CountedRun) => {
    const list = m.get(k);
    if (list) list.push(r);
    else m.set(k, [r]);
  };
  const of = (d: Dimension, clock: ClockName): Map<string, CountedRun[]> => {
    let m = groups[d].get(clock);
    if (!m) groups[d].set(clock, (m = new Map()));
    return m;
  };
  // the team of each rep, once
  const teams = new Map<string, string>();
  for (const r of runs) {
    const clock = r.timer.clock;
    push(byClock, clock, r);
    const user = r.timer.accountableUserId;
    const rep = user.length > 15 ? user.slice(0, 15) : user;
    let team = teams.get(rep);
    if (team === undefined) teams.set(rep, (team = history.users.get(rep)?.managerId ?? NONE));
    push(of('rep', clock), rep, r);
    push(of('team', clock), team, r);
    if (r.record.object === 'Lead') push(of('source', clock), r.record.leadSource ?? NONE, r);
  }
  const userName = (id: string) => (id === NONE ? '(no manager)' : (history.users.get(id)?.name ?? id));
  const grouped = (d: Dimension): GroupFigures[] =>
    [...groups[d].entries()]
      .flatMap(([clock, byKey]) =>
        [...byKey.entries()].map(([key, list]) => ({ clock, key, label: d === 'source' ? key : userName(key), figures: figuresOf(list) }))
      )
      .sort((a, b) => CLOCKS.indexOf(a.clock) - CLOCKS.indexOf(b.clock) || a.label.localeCompare(b.label) || a.key.localeCompare(b.key));
  return {
    label,
    targets,
    byClock: CLOCKS.filter((c) => byClock.has(c) || targets[c] !== undefined).map((clock) => ({
      clock,
      figures: figuresOf(byClock.get(clock) ?? [])
    })),
    by: { rep: grouped('rep'), team: grouped('team'), source: grouped('source') }
  };
}

/** A rep whose compliance moves between the scenarios. */
export interface RepChange {
  clock: ClockName;
  key: string;
  label: string;
  current: number | null;
  proposed: number | null;
  /** proposed − current, percentage points */
  change: number;
}

/** The reps whose compliance changes most (by absolute points, then name), at most `limit`. */
export function biggestChanges(current: ScenarioFigures, proposed: ScenarioFigures, limit = 5): RepChange[] {
  const before = new Map(current.by.rep.map((g) => [`${g.clock}\u0000${g.key}`, g]));
  const out: RepChange[] = [];
  for (const g of proposed.by.rep) {
    const c = before.get(`${g.clock}\u0000${g.key}`)?.figures.compliance ?? null;
    const p = g.figures.compliance;
    if (c === null || p === null || c === p) continue;
    out.push({ clock: g.clock, key: g.key, label: g.label, current: c, proposed: p, change: round(p - c, 1) });
  }
  return out.sort((a, b) => Math.abs(b.change) - Math.abs(a.change) || a.label.localeCompare(b.label)).slice(0, limit);
}
