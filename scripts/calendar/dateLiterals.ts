import { dayNumber } from './civil';
import { localDay } from './localTime';
import { CALENDAR_FISCAL_YEAR, type DayRange, type FiscalYear, type PeriodUnit, periodSpan } from './periods';
import { CalendarError } from './types';

/**
 * SOQL's relative date literals (TODAY, LAST_WEEK, THIS_QUARTER, LAST_N_DAYS:n, N_FISCAL_YEARS_AGO:n, …) as
 * the local dates they cover, as Salesforce defines them:
 * https://developer.salesforce.com/docs/atlas.en-us.soql_sosl.meta/soql_sosl/sforce_api_calls_soql_select_dateformats.htm
 * Each covers whole local days from 00:00 in the running user's time zone; weeks start on Sunday; LAST_N_DAYS:n
 * is today and the n days before it; NEXT_N_…:n starts with the next unit, LAST_N_…:n ends with the previous
 * one (except days, above); the FISCAL ones follow the standard fiscal year (the calendar year by default).
 */

/** A literal that is not SOQL's, or a bad `:n`. */
export class DateLiteralError extends CalendarError {
  override readonly name: string = 'DateLiteralError';
  constructor(message: string) {
    super(message, 'literal');
  }
}

/** Literals without `:n`: the unit and the offsets [from, to) of the units they cover, counted from the current one. */
const FIXED: Readonly<Record<string, readonly [PeriodUnit, number, number]>> = {
  YESTERDAY: ['day', -1, 0],
  TODAY: ['day', 0, 1],
  TOMORROW: ['day', 1, 2],
  LAST_WEEK: ['week', -1, 0],
  THIS_WEEK: ['week', 0, 1],
  NEXT_WEEK: ['week', 1, 2],
  LAST_MONTH: ['month', -1, 0],
  THIS_MONTH: ['month', 0, 1],
  NEXT_MONTH: ['month', 1, 2],
  LAST_90_DAYS: ['day', -90, 1],
  NEXT_90_DAYS: ['day', 1, 91],
  LAST_QUARTER: ['quarter', -1, 0],
  THIS_QUARTER: ['quarter', 0, 1],
  NEXT_QUARTER: ['quarter', 1, 2],
  LAST_FISCAL_QUARTER: ['fiscalQuarter', -1, 0],
  THIS_FISCAL_QUARTER: ['fiscalQuarter', 0, 1],
  NEXT_FISCAL_QUARTER: ['fiscalQuarter', 1, 2],
  LAST_YEAR: ['year', -1, 0],
  THIS_YEAR: ['year', 0, 1],
  NEXT_YEAR: ['year', 1, 2],
  LAST_FISCAL_YEAR: ['fiscalYear', -1, 0],
  THIS_FISCAL_YEAR: ['fiscalYear', 0, 1],
  NEXT_FISCAL_YEAR: ['fiscalYear', 1, 2]
};

type Direction = 'last' | 'next' | 'ago' | 'fromNow';

/** Literals with `:n`: the unit and which n units. */
const WITH_N: Readonly<Record<string, readonly [PeriodUnit, Direction]>> = {
  LAST_N_DAYS: ['day', 'last'],
  NEXT_N_DAYS: ['day', 'next'],
  N_DAYS_AGO: ['day', 'ago'],
  N_DAYS_FROM_NOW: ['day', 'fromNow'],
  LAST_N_WEEKS: ['week', 'last'],
  NEXT_N_WEEKS: ['week', 'next'],
  N_WEEKS_AGO: ['week', 'ago'],
  LAST_N_MONTHS: ['month', 'last'],
  NEXT_N_MONTHS: ['month', 'next'],
  N_MONTHS_AGO: ['month', 'ago'],
  LAST_N_QUARTERS: ['quarter', 'last'],
  NEXT_N_QUARTERS: ['quarter', 'next'],
  N_QUARTERS_AGO: ['quarter', 'ago'],
  LAST_N_YEARS: ['year', 'last'],
  NEXT_N_YEARS: ['year', 'next'],
  N_YEARS_AGO: ['year', 'ago'],
  LAST_N_FISCAL_QUARTERS: ['fiscalQuarter', 'last'],
  NEXT_N_FISCAL_QUARTERS: ['fiscalQuarter', 'next'],
  N_FISCAL_QUARTERS_AGO: ['fiscalQuarter', 'ago'],
  LAST_N_FISCAL_YEARS: ['fiscalYear', 'last'],
  NEXT_N_FISCAL_YEARS: ['fiscalYear', 'next'],
  N_FISCAL_YEARS_AGO: ['fiscalYear', 'ago']
};

/** Every literal name this module knows; those in WITH_N are written `NAME:n`. */
export const DATE_LITERALS: readonly string[] = [...Object.keys(FIXED), ...Object.keys(WITH_N)];

const FIRST_DAY = dayNumber(1, 1, 1);
const END_DAY = dayNumber(10_000, 1, 1);

/** The local dates `literal` (case-insensitive, `NAME` or `NAME:n`) covers when the local date is `today` (a day number). */
export function literalDays(literal: string, today: number, fiscal: FiscalYear = CALENDAR_FISCAL_YEAR): DayRange {
  const [rawName, rawN, ...rest] = String(literal).split(':');
  const name = rawName.trim().toUpperCase();
  const fixed = FIXED[name];
  const withN = WITH_N[name];
  if (!fixed && !withN) throw new DateLiteralError(`unsupported date literal ${literal}`);
  if (rest.length > 0 || (fixed && rawN !== undefined) || (withN && !/^\d+$/.test(rawN?.trim() ?? ''))) {
    throw new DateLiteralError(`invalid date literal ${literal}`);
  }
  let range: DayRange;
  if (fixed) range = periodSpan(fixed[0], today, fixed[1], fixed[2], fiscal);
  else {
    const n = Number(rawN);
    const [unit, direction] = withN;
    const [from, to] =
      direction === 'last'
        ? [-n, unit === 'day' ? 1 : 0]
        : direction === 'next'
          ? [1, 1 + n]
          : direction === 'ago'
            ? [-n, 1 - n]
            : [n, n + 1];
    range = periodSpan(unit, today, from, to, fiscal);
  }
  if (!(range.start >= FIRST_DAY && range.end <= END_DAY)) {
    throw new DateLiteralError(`date literal ${literal} reaches outside the dates 0001-01-01 to 9999-12-31`);
  }
  return range;
}

/** The local dates `literal` covers at `now` in `timeZone` (the running user's): what `Field = literal` matches. */
export function dateLiteralRange(
  literal: string,
  now: Date | number,
  timeZone: string,
  fiscal: FiscalYear = CALENDAR_FISCAL_YEAR
): DayRange {
  return literalDays(literal, localDay(now, timeZone), fiscal);
}
