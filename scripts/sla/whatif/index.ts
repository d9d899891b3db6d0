/**
 * `closed-loop sla whatif`: replay the org's history under proposed SLA policies (and business hours) and
 * report, side by side with the current policies, what the figures would have been — compliance, breaches,
 * escalations, median and P90 business time, per clock, rep, team and lead source — or sweep one field over a
 * range. The history is read once (history.ts), each scenario is one pass of the clock rules over it
 * (replay.ts); nothing is written. See docs/sla-whatif.md.
 */
import type { Connection } from 'jsforce';
import type { BusinessCalendar, CalendarDefinition } from '../../calendar';
import { formatDate, requireDate } from '../../calendar';
import { relativeBounds, reportDayStart, reportLocalDate } from '../../reports/period';
import type { Period } from '../../reports/period';
import type { ClockName, SlaPolicy, SlaPolicyRecord } from '../clock';
import { SlaPolicyError } from '../clock';
import type { PolicyRecord, SyncSetup } from '../syncSetup';
import { biggestChanges, figuresOf, scenarioFigures } from './figures';
import type { Figures, RepChange, ScenarioFigures } from './figures';
import { readHistory } from './history';
import type { History } from './history';
import { proposedRecords, WhatIfFlagError } from './proposal';
import type { PolicySet, Sweep } from './proposal';
import { changedClocks, currentScenario, periodTimeZone, proposedScenario, replayCounted } from './replay';
import type { ReplayWindow, Scenario } from './replay';

export { WhatIfFlagError, WhatIfInputError, parseCalendarFile, parsePolicyFile, parseSet, parseSweep, proposedRecords } from './proposal';
export type { PolicySet, Sweep } from './proposal';
export { readHistory, WhatIfWriteError } from './history';
export type { History, ReplayRecord } from './history';
export { currentScenario, proposedScenario, replay } from './replay';
export type { CountedRun, ReplayedTimer, ReplayWindow, Scenario } from './replay';
export { biggestChanges, figuresOf, scenarioFigures } from './figures';
export type { Figures, GroupFigures, RepChange, ScenarioFigures } from './figures';

export interface WhatIfOptions {
  /** the period whose clock runs are replayed (by start): a relative period or a range of local dates */
  period: Period;
  /** evaluate the clocks at this instant (default: the system clock) */
  now?: number;
  /** records of a policy file (parsePolicyFile) */
  policies?: ReadonlyArray<Partial<SlaPolicyRecord> & { DeveloperName: string }>;
  sets?: readonly PolicySet[];
  /** a proposed calendar for every policy (parseCalendarFile) */
  calendar?: { definition: CalendarDefinition; calendar: BusinessCalendar } | null;
  sweep?: Sweep | null;
  /** replay the proposal beside the current policies even when it changes nothing (with a sweep, it is skipped then) */
  compare?: boolean;
  onProgress?: (done: number, total: number) => void;
  /** the history already read (a server answering several what-ifs reads it once) */
  history?: History;
}

export interface SweepPoint {
  value: number;
  figures: Figures;
}

export interface WhatIfResult {
  period: { label: string; from: string; to: string; timeZone: string };
  now: string;
  records: { leads: number; opportunities: number };
  current: ScenarioFigures;
  /** null for a sweep alone */
  proposed: ScenarioFigures | null;
  /** what the proposal changes, field by field: `Lead_Accept.Target_Minutes__c: 60 → 90`, `calendar: …` */
  changes: string[];
  /** the reps whose compliance changes most */
  reps: RepChange[];
  sweep: { policy: string; field: string; clock: ClockName; points: SweepPoint[]; current: Figures } | null;
  apiCalls: number;
  elapsedMs: number;
}

export async function runWhatIf(conn: Connection, options: WhatIfOptions): Promise<WhatIfResult> {
  const started = Date.now();
  const now = options.now ?? Date.now();
  const history = options.history ?? (await readHistory(conn, { onProgress: options.onProgress, proposals: options.policies }));
  const requestsBefore = options.history ? history.data.requests : 0;
  const window = periodWindow(options.period, history.current, now);
  const current = currentScenario(history);
  const currentRuns = replayCounted(history, current, window.window);
  const currentFigures = scenarioFigures('current', currentRuns, history, targetsOf(current.setup));

  const base = proposedRecords(history.policyRecords, options.policies ?? [], options.sets ?? []);
  const calendar = options.calendar?.calendar ?? null;
  const proposing = (options.policies?.length ?? 0) > 0 || (options.sets?.length ?? 0) > 0 || calendar !== null;
  let proposed: ScenarioFigures | null = null;
  let reps: RepChange[] = [];
  if (proposing || !options.sweep || options.compare) {
    const scenario = await proposedScenario(history, base, calendar);
    // the clocks the proposal leaves as they are replay as the current policies do: their runs are reused
    const changed = changedClocks(current, scenario);
    const runs = [...currentRuns.filter((r) => !changed.has(r.timer.clock)), ...replayCounted(history, scenario, window.window, changed)];
    proposed = scenarioFigures('proposed', runs, history, targetsOf(scenario.setup));
    reps = biggestChanges(currentFigures, proposed);
  }

  let sweep: WhatIfResult['sweep'] = null;
  if (options.sweep) {
    const s = options.sweep;
    const points: SweepPoint[] = [];
    let clock: ClockName | null = null;
    for (const value of s.values) {
      const records = proposedRecords(base, [], [{ policy: s.policy, field: s.field, value }]);
      const scenario: Scenario = await proposedScenario(history, records, calendar, `${s.field}=${value}`);
      const policy = sweptPolicy(scenario.setup, s.policy);
      clock = policy.clock;
      const runs = replayCounted(history, scenario, window.window, policy.clock);
      points.push({ value, figures: figuresOf(runs) });
    }
    const c = clock as ClockName;
    sweep = { policy: s.policy, field: s.field, clock: c, points, current: figuresOf(currentRuns.filter((r) => r.timer.clock === c)) };
  }

  return {
    period: window.period,
    now: new Date(now).toISOString(),
    records: {
      leads: history.records.filter((r) => r.object === 'Lead').length,
      opportunities: history.records.filter((r) => r.object === 'Opportunity').length
    },
    current: currentFigures,
    proposed,
    changes: changesOf(history.policyRecords, base, options.calendar?.definition ?? null),
    reps,
    sweep,
    apiCalls: history.data.requests - requestsBefore,
    elapsedMs: Date.now() - started
  };
}

/** The swept policy in a scenario: by DeveloperName or clock name, and active (a sweep of an inactive one says so). */
function sweptPolicy(setup: SyncSetup, ref: string): SlaPolicy {
  const all = [...setup.policies.Lead, ...setup.policies.Opportunity];
  const norm = (s: string) => s.replace(/\W+/g, '_').toLowerCase();
  const p = all.find((x) => x.developerName === ref) ?? all.find((x) => norm(x.clock) === norm(ref));
  if (!p) throw new SlaPolicyError(`SLA_Policy__mdt ${ref}: Active__c is not true: a sweep replays an active policy`);
  return p;
}

function targetsOf(setup: SyncSetup): ScenarioFigures['targets'] {
  return Object.fromEntries([...setup.policies.Lead, ...setup.policies.Opportunity].map((p) => [p.clock, p.targetMinutes]));
}

/** `Lead_Accept.Target_Minutes__c: 60 → 90` for each field the proposal changes. */
function changesOf(before: readonly PolicyRecord[], after: readonly PolicyRecord[], calendar: CalendarDefinition | null): string[] {
  const out: string[] = [];
  const old = new Map(before.map((r) => [r.DeveloperName, r as Record<string, unknown>]));
  for (const r of after) {
    const o = old.get(r.DeveloperName);
    for (const [k, v] of Object.entries(r)) {
      if (k === 'attributes' || k === 'DeveloperName') continue;
      const was = o?.[k] ?? null;
      if ((v ?? null) !== was) out.push(`${r.DeveloperName}.${k}: ${JSON.stringify(was)} → ${JSON.stringify(v ?? null)}`);
    }
  }
  if (calendar) {
    const name = typeof calendar.Name === 'string' ? calendar.Name : 'proposed';
    out.push(`calendar: every policy on "${name}" (${String(calendar.TimeZoneSidKey)}, ${calendar.holidays?.length ?? 0} holidays)`);
  }
  return out;
}

/**
 * The period as instants, its dates read in the Accept policy's business-hours time zone: runs that started from
 * the first date's midnight to the midnight after the last date. A period that ends after `now` is cut at `now`.
 */
function periodWindow(period: Period, setup: SyncSetup, now: number): { window: ReplayWindow; period: WhatIfResult['period'] } {
  const timeZone = periodTimeZone(setup);
  let from: string;
  let to: string;
  let label: string;
  if (period.kind === 'relative') {
    ({ from, to } = relativeBounds(period.name, reportLocalDate(now, timeZone)));
    label = period.name;
  } else if (period.kind === 'range' && period.from && period.to) {
    ({ from, to } = period as { from: string; to: string });
    label = `${from}..${to}`;
  } else {
    throw new WhatIfFlagError('--period needs a start and an end');
  }
  const start = reportDayStart(from, timeZone);
  const end = Math.min(reportDayStart(formatDate(requireDate(to, 'to') + 1), timeZone), now + 1);
  if (start > now)
    throw new WhatIfFlagError(`--period ${label} starts after ${new Date(now).toISOString()}: nothing has happened in it yet`);
  return { window: { from: start, to: end, now }, period: { label, from, to, timeZone } };
}
