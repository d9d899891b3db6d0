import type { BusinessCalendar } from '../calendar';

/**
 * Where a commitment stands in its period (docs/reports-and-scorecard.md#pacing): a period that has ended
 * gets its verdict (Met, Missed); a period in progress gets a pace — a volume commitment against its target
 * pro-rated by the business time elapsed ("behind pace: 201 of 240 expected by today"), a rate or an average
 * against its target as it stands so far; a period that has not started gets no verdict; a period whose
 * report has no records says "no data", never "0".
 */
export type Result = 'Met' | 'Missed' | 'On pace' | 'Off pace' | 'Not started' | 'No data';

export type PeriodStatus = 'ended' | 'in progress' | 'not started';

export interface Pace {
  status: PeriodStatus;
  result: Result;
  /** In progress: the share (0–1) of the period's business time that has passed. */
  elapsed?: number;
  /** In progress, a volume commitment: the target pro-rated to now. */
  expected?: number;
  /** What a person reads next to the figure: "behind pace: 201 of 240 expected by today", "on pace so far", "met". */
  note: string;
}

export interface PaceInput {
  actual: number | null;
  target: number | null;
  comparison: 'At Least' | 'At Most';
  /** Count commitments accumulate over the period (volume); Percent, Rating and Minutes do not (rates). */
  unit: string;
  /** The period as instants: [start, end). */
  start: number;
  end: number;
  now: number;
  /** The business calendar whose open time paces the period; wall-clock time without one. */
  calendar: BusinessCalendar | null;
  /** Writes a figure as the scorecard does (`78.4%`, `201`). */
  format: (v: number) => string;
}

export function pace(p: PaceInput): Pace {
  if (p.now < p.start) return { status: 'not started', result: 'Not started', note: 'not started' };
  if (p.now >= p.end) {
    const result = verdict(p.actual, p.target, p.comparison);
    return { status: 'ended', result, note: result === 'No data' ? 'no data' : result.toLowerCase() };
  }
  const elapsed = elapsedShare(p.calendar, p.start, p.end, p.now);
  if (p.actual === null) return { status: 'in progress', result: 'No data', elapsed, note: 'no data yet' };
  if (p.target === null) return { status: 'in progress', result: 'No data', elapsed, note: 'no target' };
  const atMost = p.comparison === 'At Most';
  if (p.unit === 'Count') {
    const expected = Math.round(p.target * elapsed * 100) / 100;
    const shown = p.format(Math.round(expected));
    const onPace = atMost ? p.actual <= expected : p.actual >= expected;
    const note = atMost
      ? onPace
        ? `on pace: at most ${shown} by today`
        : `over pace: ${p.format(p.actual)}, at most ${shown} by today`
      : onPace
        ? `on pace: ${shown} expected by today`
        : `behind pace: ${p.format(p.actual)} of ${shown} expected by today`;
    return { status: 'in progress', result: onPace ? 'On pace' : 'Off pace', elapsed, expected, note };
  }
  // a rate or an average does not build up: it is on pace when it meets the target as it stands
  const onPace = verdict(p.actual, p.target, p.comparison) === 'Met';
  const note = onPace ? 'on pace so far' : `${atMost ? 'over' : 'behind'} pace so far`;
  return { status: 'in progress', result: onPace ? 'On pace' : 'Off pace', elapsed, note };
}

/** Met, Missed, or No data when there is no actual or no target. */
export function verdict(actual: number | null, target: number | null, comparison: 'At Least' | 'At Most'): Result {
  if (actual === null || target === null) return 'No data';
  return comparison === 'At Most' ? (actual <= target ? 'Met' : 'Missed') : actual >= target ? 'Met' : 'Missed';
}

/** The share of [start, end) that has passed by `now`, counted in the calendar's business time (wall time without one or when the period has none). */
export function elapsedShare(calendar: BusinessCalendar | null, start: number, end: number, now: number): number {
  const t = Math.min(Math.max(now, start), end);
  if (calendar) {
    const total = calendar.diff(start, end);
    if (total > 0) return Math.min(1, calendar.diff(start, t) / total);
  }
  return end > start ? (t - start) / (end - start) : 1;
}
