import type { BusinessCalendar } from '../calendar';

export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;

/** Whole seconds, as Salesforce keeps datetimes. */
export function toSecond(ms: number): number {
  return Math.floor(ms / 1000) * 1000;
}

/** `2026-03-11T14:05:00.000Z`: how the plan writes every datetime. */
export function iso(ms: number): string {
  return new Date(ms).toISOString();
}

/** `now` for a seed run: the given instant (default: the wall clock) rounded down to the minute. */
export function seedNow(at: Date | number | string = Date.now()): Date {
  const ms = typeof at === 'string' ? Date.parse(at) : typeof at === 'number' ? at : at.getTime();
  if (!Number.isFinite(ms)) throw new RangeError(`not an instant: ${String(at)}`);
  return new Date(Math.floor(ms / MINUTE) * MINUTE);
}

/**
 * The wall clock and the local date in a time zone at a UTC instant (what a Date field shows there): the
 * calendar's local-time functions, the one implementation of time-zone math. Calendar dates (adding days,
 * the n-th weekday of a month) are the calendar's too; DAY and HOUR here are durations added to instants.
 */
export { localDate, wallClock, type WallClock } from '../calendar';

/**
 * The latest instant `t` (to the minute) with `minutes` business minutes in [t, end): business time
 * counted backwards. Binary search on the calendar's own diff, so it agrees with the SLA clocks.
 */
export function businessMinutesBefore(calendar: BusinessCalendar, end: number, minutes: number): number {
  let lo = end - 120 * DAY;
  let hi = end;
  if (calendar.diff(lo, end) < minutes) return lo;
  while (hi - lo > MINUTE) {
    const mid = lo + Math.floor((hi - lo) / 2 / MINUTE) * MINUTE;
    if (calendar.diff(mid, end) >= minutes) lo = mid;
    else hi = mid;
  }
  return lo;
}
