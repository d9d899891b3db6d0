import { DAY_MS, civilDate, dateDay, dayNumber, formatDate, weekday } from './civil';
import { CalendarError } from './types';
import { type Zone, zoneFor } from './zone';

/**
 * Local time in an IANA time zone: the wall clock at an instant, and the instant a local date begins.
 * The one implementation of time-zone wall-clock math for Closed Loop (reports, seed data, SLA escalations,
 * the CLI and the components all use it). Built on the business calendar's cached UTC offsets (`Zone`),
 * so after the first call for a zone and year no call touches Intl.
 *
 * Dates are proleptic Gregorian, local dates from 0001-01-01 to 9999-12-31 (what `YYYY-MM-DD` can write);
 * outside that range, and for unknown zones, the functions throw a CalendarError naming the argument.
 */

/** A local wall-clock time. */
export interface WallClock {
  year: number;
  /** 1 = January … 12 = December */
  month: number;
  day: number;
  /** 0–23 */
  hour: number;
  minute: number;
  second: number;
  /** 0 = Sunday … 6 = Saturday */
  weekday: number;
}

const MIN_DAY = dayNumber(1, 1, 1);
const MAX_DAY = dayNumber(9999, 12, 31);
/** More than any UTC offset there has been (|offset| < 1 day), so a local day's instants lie within ±MARGIN of its wall-clock image. */
const MARGIN = 2 * DAY_MS;
const HOUR_MS = 3_600_000;

/** The wall clock in `timeZone` at `instant`: what a clock on the wall there shows (seconds truncated, as clocks do). */
export function wallClock(instant: Date | number, timeZone: string): WallClock {
  const wall = wallMillis(instant, timeZone);
  const dayNum = Math.floor(wall / DAY_MS);
  const { year, month, day } = civilDate(dayNum);
  const ms = wall - dayNum * DAY_MS;
  return {
    year,
    month,
    day,
    hour: Math.floor(ms / HOUR_MS),
    minute: Math.floor(ms / 60_000) % 60,
    second: Math.floor(ms / 1000) % 60,
    weekday: weekday(dayNum)
  };
}

/** The local date (`YYYY-MM-DD`) in `timeZone` at `instant`: what a Salesforce Date field shows there. */
export function localDate(instant: Date | number, timeZone: string): string {
  return formatDate(localDay(instant, timeZone));
}

/** The local date in `timeZone` at `instant`, as a day number (days since 1970-01-01). */
export function localDay(instant: Date | number, timeZone: string): number {
  return Math.floor(wallMillis(instant, timeZone) / DAY_MS);
}

/**
 * The UTC instant (ms) at which the local date `date` (`YYYY-MM-DD`) begins in `timeZone`: local midnight, or,
 * where the clocks skip midnight (America/Sao_Paulo on 2018-11-04 went from 23:59:59 to 01:00), the first
 * instant that shows the date (01:00). When the clocks go back over midnight and the date begins twice, the
 * first time. A date a zone skipped entirely (Pacific/Apia, 2011-12-30) begins where the next date does, so
 * [startOfLocalDate(d), startOfLocalDate(d + 1 day)) is always exactly the instants whose local date is d.
 */
export function startOfLocalDate(date: string, timeZone: string): number {
  return startOfLocalDay(parseLocalDate(date), timeZone);
}

/** startOfLocalDate for a day number (days since 1970-01-01). */
export function startOfLocalDay(dayNum: number, timeZone: string): number {
  const zone = zoneOf(timeZone);
  if (!Number.isInteger(dayNum) || dayNum < MIN_DAY || dayNum > MAX_DAY + 1) {
    throw new CalendarError(`day must be a day number of a date from 0001-01-01 to 9999-12-31, got ${dayNum}`, 'date');
  }
  const midnight = dayNum * DAY_MS;
  // the first instant t whose wall clock t + offset(t) is at or after local midnight
  let last = 0;
  for (const s of zone.segments(midnight - MARGIN, midnight + MARGIN)) {
    const t = Math.max(s.from, midnight - s.offset);
    if (t < s.to) return t;
    last = s.offset;
  }
  return midnight - last; // not reached: some offset segment after midnight - MARGIN shows midnight
}

/** Whether the platform knows `id` as an IANA time zone (e.g. "America/New_York", "UTC"; also its aliases such as "US/Eastern"). */
export function isTimeZone(id: unknown): boolean {
  if (typeof id !== 'string' || id.trim() === '') return false;
  try {
    zoneFor(id);
    return true;
  } catch {
    return false;
  }
}

/** Local wall-clock time at `instant` as ms since 1970-01-01T00:00 on that wall clock. */
function wallMillis(instant: Date | number, timeZone: string): number {
  const zone = zoneOf(timeZone);
  const t = instant instanceof Date ? instant.getTime() : instant;
  if (typeof t !== 'number' || !Number.isFinite(t)) {
    throw new CalendarError(`instant is not a valid date: ${String(instant)}`, 'instant');
  }
  // checked on the UTC date first, so that no zone is asked about years Intl cannot name
  if (t < (MIN_DAY - 1) * DAY_MS || t >= (MAX_DAY + 2) * DAY_MS) throw outOfRange(t);
  const wall = t + zone.offset(t);
  const dayNum = Math.floor(wall / DAY_MS);
  if (dayNum < MIN_DAY || dayNum > MAX_DAY) throw outOfRange(t);
  return wall;
}

function zoneOf(timeZone: string): Zone {
  if (typeof timeZone !== 'string' || timeZone.trim() === '') {
    throw new CalendarError(
      `timeZone is required: an IANA time zone such as "America/New_York", got ${JSON.stringify(timeZone)}`,
      'timeZone'
    );
  }
  return zoneFor(timeZone, 'timeZone');
}

/** Day number of a `YYYY-MM-DD` local date. */
function parseLocalDate(date: string): number {
  const day = dateDay(date);
  if (day === undefined || day < MIN_DAY) {
    throw new CalendarError(`date must be a date from 0001-01-01 to 9999-12-31 written YYYY-MM-DD, got ${JSON.stringify(date)}`, 'date');
  }
  return day;
}

function outOfRange(t: number): CalendarError {
  const d = new Date(t);
  return new CalendarError(
    `instant ${Number.isNaN(d.getTime()) ? String(t) : d.toISOString()} is outside the supported range: local dates 0001-01-01 to 9999-12-31`,
    'instant'
  );
}
