import { monthIndex, monthStart, weekday } from './civil';
import { localDay, startOfLocalDay } from './localTime';
import { CalendarError } from './types';

/**
 * Periods of local dates: days, weeks, months, quarters, years and fiscal quarters and years, and the
 * instants they span in a time zone. Weeks start on Sunday, as SOQL's date literals and the Reports tab's
 * do in the default (en_US) locale. The fiscal year is the calendar year unless a start month is configured
 * (Salesforce's standard fiscal year: Organization.FiscalYearStartMonth; fiscal quarters are three months
 * counted from it). Custom fiscal years (irregular periods defined per year) are not modelled.
 */

/** Local dates [start, end) as day numbers (days since 1970-01-01): end is the first day after the range. */
export interface DayRange {
  start: number;
  end: number;
}

/** UTC instants (ms) [start, end): from the first instant of the first date to the first instant after the last date. */
export interface InstantRange {
  start: number;
  end: number;
}

export type PeriodUnit = 'day' | 'week' | 'month' | 'quarter' | 'year' | 'fiscalQuarter' | 'fiscalYear';

/** A standard fiscal year: the month it starts in (1 = January, the default: fiscal = calendar). */
export interface FiscalYear {
  startMonth: number;
}

export const CALENDAR_FISCAL_YEAR: FiscalYear = Object.freeze({ startMonth: 1 });

/** Length in months and first month (0 = January) of each month-based unit. */
function monthUnit(unit: PeriodUnit, fiscal: FiscalYear): { months: number; anchor: number } | undefined {
  switch (unit) {
    case 'month':
      return { months: 1, anchor: 0 };
    case 'quarter':
      return { months: 3, anchor: 0 };
    case 'year':
      return { months: 12, anchor: 0 };
    case 'fiscalQuarter':
      return { months: 3, anchor: fiscalStart(fiscal) };
    case 'fiscalYear':
      return { months: 12, anchor: fiscalStart(fiscal) };
    default:
      return undefined;
  }
}

/**
 * The `unit` containing the local date `day` (offset 0), or `offset` units after it (negative: before), as
 * day numbers: periodRange('quarter', 2026-05-14, -1) is 2026-01-01 … 2026-03-31 (end 2026-04-01).
 */
export function periodRange(unit: PeriodUnit, day: number, offset = 0, fiscal: FiscalYear = CALENDAR_FISCAL_YEAR): DayRange {
  if (!Number.isInteger(offset)) throw new CalendarError(`offset must be a whole number, got ${offset}`, 'offset');
  if (unit === 'day') return { start: day + offset, end: day + offset + 1 };
  if (unit === 'week') {
    const start = day - weekday(day) + 7 * offset;
    return { start, end: start + 7 };
  }
  const m = monthUnit(unit, fiscal);
  if (!m)
    throw new CalendarError(`unit must be one of day, week, month, quarter, year, fiscalQuarter, fiscalYear, got ${String(unit)}`, 'unit');
  const first = Math.floor((monthIndex(day) - m.anchor) / m.months) * m.months + m.anchor + offset * m.months;
  return { start: monthStart(first), end: monthStart(first + m.months) };
}

/** Several consecutive units: from `from` units after the one containing `day` up to (not including) `to`. */
export function periodSpan(unit: PeriodUnit, day: number, from: number, to: number, fiscal: FiscalYear = CALENDAR_FISCAL_YEAR): DayRange {
  return { start: periodRange(unit, day, from, fiscal).start, end: periodRange(unit, day, to, fiscal).start };
}

/** The instants a range of local dates spans in `timeZone` (DST-exact: a local day may last 23 or 25 hours). */
export function instantRange(range: DayRange, timeZone: string): InstantRange {
  return { start: startOfLocalDay(range.start, timeZone), end: startOfLocalDay(range.end, timeZone) };
}

/** The `unit` containing `instant`'s local date in `timeZone` (or `offset` units away), as instants. */
export function localPeriod(
  unit: PeriodUnit,
  instant: Date | number,
  timeZone: string,
  offset = 0,
  fiscal: FiscalYear = CALENDAR_FISCAL_YEAR
): InstantRange {
  return instantRange(periodRange(unit, localDay(instant, timeZone), offset, fiscal), timeZone);
}

/** A fiscal-year setting checked: CalendarError unless startMonth is 1–12. */
export function fiscalYear(startMonth: unknown): FiscalYear {
  if (typeof startMonth !== 'number' || !Number.isInteger(startMonth) || startMonth < 1 || startMonth > 12) {
    throw new CalendarError(
      `FiscalYearStartMonth must be a month from 1 (January) to 12, got ${JSON.stringify(startMonth)}`,
      'FiscalYearStartMonth'
    );
  }
  return { startMonth };
}

function fiscalStart(fiscal: FiscalYear): number {
  return fiscalYear(fiscal.startMonth).startMonth - 1;
}
