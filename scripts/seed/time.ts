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

export interface WallClock {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  /** 0 = Sunday … 6 = Saturday */
  weekday: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();
const WEEKDAYS: Record<string, number> = { Sun: 0, Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6 };

/** The wall clock in `timeZone` at a UTC instant. */
export function wallClock(ms: number, timeZone: string): WallClock {
  let fmt = formatters.get(timeZone);
  if (!fmt) {
    fmt = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      weekday: 'short',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric'
    });
    formatters.set(timeZone, fmt);
  }
  const p: Record<string, string> = {};
  for (const part of fmt.formatToParts(ms)) p[part.type] = part.value;
  return {
    year: Number(p.year),
    month: Number(p.month),
    day: Number(p.day),
    hour: Number(p.hour),
    minute: Number(p.minute),
    weekday: WEEKDAYS[p.weekday]
  };
}

/** The local date (`YYYY-MM-DD`) in `timeZone` at a UTC instant: what a Date field shows there. */
export function localDate(ms: number, timeZone: string): string {
  const w = wallClock(ms, timeZone);
  return `${w.year}-${pad(w.month)}-${pad(w.day)}`;
}

/** The UTC instant of a local wall-clock time in `timeZone` (the earlier one in a DST overlap). */
export function zonedInstant(year: number, month: number, day: number, hour: number, minute: number, timeZone: string): number {
  const guess = Date.UTC(year, month - 1, day, hour, minute);
  let t = guess;
  for (let i = 0; i < 3; i++) {
    const w = wallClock(t, timeZone);
    const shown = Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute);
    const delta = shown - guess;
    if (delta === 0) return t;
    t -= delta;
  }
  return t;
}

/** `YYYY-MM-DD` plus `days` calendar days. */
export function addDays(date: string, days: number): string {
  const [y, m, d] = date.split('-').map(Number);
  return new Date(Date.UTC(y, m - 1, d + days)).toISOString().slice(0, 10);
}

export function pad(n: number): string {
  return String(n).padStart(2, '0');
}

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
