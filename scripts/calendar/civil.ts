import { CalendarError } from './types';

/**
 * Civil (calendar) dates, time-zone free: the one implementation of date arithmetic for Closed Loop.
 * A date is handled as its day number (days since 1970-01-01, proleptic Gregorian) and written `YYYY-MM-DD`
 * at the edges, as Salesforce writes Date fields.
 */

export const MINUTE_MS = 60_000;
export const DAY_MS = 86_400_000;

/** Salesforce's Datetime range: 1700-01-01 … 4000-12-31. */
export const MIN_YEAR = 1700;
export const MAX_YEAR = 4000;

export const WEEKDAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'] as const;
export const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December'
] as const;

export interface CivilDate {
  year: number;
  /** 1 = January … 12 = December */
  month: number;
  day: number;
}

/**
 * Day number of a proleptic Gregorian date (month 1–12), for every year (Date.UTC would read 0–99 as
 * 1900–1999). Months and days past the end roll over as Date.UTC's do: (2026, 13, 1) is 2027-01-01 and
 * (2026, 3, 0) is 2026-02-28.
 */
export function dayNumber(year: number, month: number, day: number): number {
  const months = year * 12 + month - 1;
  return daysFromCivil(Math.floor(months / 12), (((months % 12) + 12) % 12) + 1) + day - 1;
}

/** The date of a day number. */
export function civilDate(dayNum: number): CivilDate {
  // days to civil, after H. Hinnant, "chrono-compatible low-level date algorithms" (eras of 400 years)
  const z = dayNum + 719_468;
  const era = Math.floor(z / 146_097);
  const doe = z - era * 146_097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36_524) - Math.floor(doe / 146_096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const month = mp < 10 ? mp + 3 : mp - 9;
  return { year: yoe + era * 400 + (month <= 2 ? 1 : 0), month, day: doy - Math.floor((153 * mp + 2) / 5) + 1 };
}

/** 0 = Sunday … 6 = Saturday. */
export function weekday(dayNum: number): number {
  return (((dayNum + 4) % 7) + 7) % 7;
}

export function daysInMonth(year: number, month: number): number {
  return dayNumber(year, month + 1, 1) - dayNumber(year, month, 1);
}

/** Months since year 0 (January of year 0 = 0): the axis month, quarter and fiscal-year arithmetic runs on. */
export function monthIndex(dayNum: number): number {
  const { year, month } = civilDate(dayNum);
  return year * 12 + month - 1;
}

/** Day number of the first day of a month index. */
export function monthStart(index: number): number {
  return dayNumber(Math.floor(index / 12), (((index % 12) + 12) % 12) + 1, 1);
}

/** Writes a day number as `YYYY-MM-DD` (the year padded to four digits). */
export function formatDate(dayNum: number): string {
  const { year, month, day } = civilDate(dayNum);
  return `${String(year).padStart(4, '0')}-${pad2(month)}-${pad2(day)}`;
}

/** Day number of a strict `YYYY-MM-DD` date, or undefined when `text` is not one (2026-02-30 is not). */
export function dateDay(text: unknown): number | undefined {
  const m = typeof text === 'string' ? /^(\d{4})-(\d{2})-(\d{2})$/.exec(text) : null;
  return m ? validDay(Number(m[1]), Number(m[2]), Number(m[3])) : undefined;
}

/** Whether `text` is a date written `YYYY-MM-DD` that exists. */
export function isDate(text: unknown): text is string {
  return dateDay(text) !== undefined;
}

/** Parses `YYYY-MM-DD` (optionally followed by a time part, which is ignored) to a day number, or undefined. */
export function parseDate(text: string): number | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:T[\d:.]+(?:Z|[+-]\d{2}:?\d{2})?)?$/.exec(text);
  return m ? validDay(Number(m[1]), Number(m[2]), Number(m[3])) : undefined;
}

/** Day number of a `YYYY-MM-DD` date; CalendarError naming `field` when it is not one. */
export function requireDate(text: unknown, field = 'date'): number {
  const day = dateDay(text);
  if (day === undefined) throw new CalendarError(`${field} must be a date written YYYY-MM-DD, got ${JSON.stringify(text)}`, field);
  return day;
}

/** `YYYY-MM-DD` plus `days` calendar days (negative: before). */
export function addDays(date: string, days: number): string {
  if (!Number.isInteger(days)) throw new CalendarError(`days must be a whole number, got ${days}`, 'days');
  return formatDate(requireDate(date) + days);
}

/** Calendar days from `from` to `to` (`YYYY-MM-DD`): 0 for the same date, negative when `to` is earlier. */
export function daysBetween(from: string, to: string): number {
  return requireDate(to, 'to') - requireDate(from, 'from');
}

/** The `instance`-th (0–3; 4 = last) day of a month whose weekday is in `mask` (bit 0 = Sunday … bit 6 = Saturday). */
export function nthWeekdayOfMonth(year: number, month: number, mask: number, instance: number): number | undefined {
  const firstDay = dayNumber(year, month, 1);
  const days: number[] = [];
  for (let d = firstDay, n = daysInMonth(year, month); d < firstDay + n; d++) {
    if (mask & (1 << weekday(d))) days.push(d);
  }
  return instance === 4 ? days[days.length - 1] : days[instance];
}

function validDay(year: number, month: number, day: number): number | undefined {
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return undefined;
  return dayNumber(year, month, day);
}

/** Day number of the 1st of a month, month 1–12 (civil to days, after H. Hinnant). */
function daysFromCivil(year: number, month: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (month > 2 ? month - 3 : month + 9) + 2) / 5);
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146_097 + doe - 719_468;
}

function pad2(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}
