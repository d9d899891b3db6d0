import {
  CalendarError,
  MONTHS,
  civilDate,
  formatDate,
  isDate,
  isTimeZone,
  literalDays,
  localDate,
  periodRange,
  requireDate,
  startOfLocalDate,
  type DayRange
} from '../calendar';
import { ReportMetadataError, ReportPeriodError } from './errors';

/**
 * The period a report covers: its standard date filter (timeFrameFilter), or what `--period`
 * puts in its place. Relative periods go to the org as SOQL date literals, so the org resolves
 * them in the running user's time zone exactly as the Reports tab does; explicit date ranges are
 * turned into instants in that same time zone.
 */
export type RelativeName =
  | 'this-month'
  | 'last-month'
  | 'this-quarter'
  | 'last-quarter'
  | 'this-year'
  | 'last-year'
  | 'today'
  | 'yesterday'
  | 'this-week'
  | 'last-week';

export type Period =
  { kind: 'relative'; name: RelativeName; literal: string } | { kind: 'range'; from?: string; to?: string } | { kind: 'all' };

const RELATIVE: Record<RelativeName, string> = {
  'this-month': 'THIS_MONTH',
  'last-month': 'LAST_MONTH',
  'this-quarter': 'THIS_QUARTER',
  'last-quarter': 'LAST_QUARTER',
  'this-year': 'THIS_YEAR',
  'last-year': 'LAST_YEAR',
  today: 'TODAY',
  yesterday: 'YESTERDAY',
  'this-week': 'THIS_WEEK',
  'last-week': 'LAST_WEEK'
};

/** Report intervals (UserDateInterval) the runner maps to a period. */
const INTERVALS: Record<string, RelativeName> = {
  INTERVAL_THISMONTH: 'this-month',
  INTERVAL_LASTMONTH: 'last-month',
  INTERVAL_CURRENTQ: 'this-quarter',
  INTERVAL_PREVQ: 'last-quarter',
  INTERVAL_CURY: 'this-year',
  INTERVAL_PREVY: 'last-year',
  INTERVAL_TODAY: 'today',
  INTERVAL_YESTERDAY: 'yesterday',
  INTERVAL_THISWEEK: 'this-week',
  INTERVAL_LASTWEEK: 'last-week'
};

export const PERIOD_CHOICES = 'this-month, last-month, this-quarter, last-quarter or <from>..<to> (YYYY-MM-DD)';

/** Parses `--period`; throws ReportPeriodError with a one-line cause. */
export function parsePeriod(value: string): Period {
  const v = value.trim();
  if (v === 'this-month' || v === 'last-month' || v === 'this-quarter' || v === 'last-quarter') {
    return { kind: 'relative', name: v, literal: RELATIVE[v] };
  }
  // split at the first `..` (indexOf: a pattern whose two `.*` compete for the dots is quadratic on a long value)
  const dots = v.indexOf('..');
  if (dots < 0) throw new ReportPeriodError(`--period must be ${PERIOD_CHOICES}, got "${value}"`);
  const from = v.slice(0, dots).trim();
  const to = v.slice(dots + 2).trim();
  for (const d of [from, to]) {
    if (!isDate(d)) throw new ReportPeriodError(`--period ${value}: "${d}" is not a date (YYYY-MM-DD)`);
  }
  if (from > to) throw new ReportPeriodError(`--period ${value}: ${from} is after ${to}`);
  return { kind: 'range', from, to };
}

/** A relative period by name (`last-week`): the SOQL date literal the org resolves in the running user's time zone. */
export function relativePeriod(name: RelativeName): Period {
  return { kind: 'relative', name, literal: RELATIVE[name] };
}

/** Whether `value` names a relative period (`last-week`, `this-month`, …). */
export function isRelativeName(value: string): value is RelativeName {
  return Object.prototype.hasOwnProperty.call(RELATIVE, value);
}

/** The report's own standard date filter as a period; intervals the runner cannot map are errors. */
export function periodOfTimeFrame(interval: string, startDate: string | undefined, endDate: string | undefined, where: string): Period {
  if (interval === 'INTERVAL_CUSTOM') {
    const from = startDate?.slice(0, 10);
    const to = endDate?.slice(0, 10);
    if (!from && !to) return { kind: 'all' };
    return { kind: 'range', from, to };
  }
  const name = INTERVALS[interval];
  if (!name) throw new ReportMetadataError(`${where}: date filter interval ${interval} is not supported by the report runner`);
  return { kind: 'relative', name, literal: RELATIVE[name] };
}

export function describePeriod(p: Period): string {
  if (p.kind === 'relative') return p.name;
  if (p.kind === 'all') return 'all time';
  return `${p.from ?? '…'}..${p.to ?? '…'}`;
}

// ---- time zones (the calendar's local-time functions, with the report errors) --------------------------

/** The UTC instant at which local date `date` (YYYY-MM-DD) begins in `tz`: local midnight, or the first instant after a skipped one. */
export function reportDayStart(date: string, tz: string): number {
  return inZone(tz, () => startOfLocalDate(date, tz));
}

/** Today's date (YYYY-MM-DD) in `tz`. */
export function reportLocalDate(ms: number, tz: string): string {
  return inZone(tz, () => localDate(ms, tz));
}

export function checkTimeZone(tz: string): void {
  if (!isTimeZone(tz)) throw new ReportPeriodError(`unknown time zone ${tz}`);
}

/** Runs calendar local-time math, turning its CalendarError into a ReportPeriodError. */
function inZone<T>(tz: string, f: () => T): T {
  try {
    return f();
  } catch (err) {
    if (!(err instanceof CalendarError)) throw err;
    throw new ReportPeriodError(err.field === 'timeZone' ? `unknown time zone ${tz}` : err.message);
  }
}

// ---- calendar periods (the scorecard's months and quarters) ---------------------------------------

export interface CalendarPeriod {
  /** `2026-03` or `2026-Q1` */
  key: string;
  /** `March 2026` or `Q1 2026` */
  label: string;
  from: string;
  to: string;
}

/** The month or calendar quarter containing `today` (offset 0), or `offset` periods before (-1, -2 ...). */
export function calendarPeriod(unit: 'Month' | 'Quarter', today: string, offset: number): CalendarPeriod {
  const range = periodRange(unit === 'Month' ? 'month' : 'quarter', requireDate(today, 'today'), offset);
  const { year, month } = civilDate(range.start);
  const { from, to } = inclusive(range);
  if (unit === 'Month') return { key: `${year}-${String(month).padStart(2, '0')}`, label: `${MONTHS[month - 1]} ${year}`, from, to };
  const quarter = (month - 1) / 3 + 1;
  return { key: `${year}-Q${quarter}`, label: `Q${quarter} ${year}`, from, to };
}

/** The local dates a relative period covers on `today`: those of its SOQL date literal (weeks start on Sunday, calendar quarters). */
export function relativeBounds(name: RelativeName, today: string): { from: string; to: string } {
  return inclusive(literalDays(RELATIVE[name], requireDate(today, 'today')));
}

/** First and last date of a range, as a report shows a period. */
function inclusive(range: DayRange): { from: string; to: string } {
  return { from: formatDate(range.start), to: formatDate(range.end - 1) };
}
