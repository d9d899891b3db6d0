import { DAY_MS, dayNumber } from './civil';
import { CalendarError } from './types';

/**
 * How Closed Loop writes time for people (see docs/business-calendar.md#reading-business-time): business time
 * as "1 h 25 min" or "4 d 2 h", where a day is a business day of the calendar the time was counted on
 * (`BusinessCalendar.dayMinutes`, e.g. 8 h), and instants as the wall clock of the reader's time zone. The
 * reports, the scorecard, the CLI and the components (through `c/businessCalendar`) all write time with these.
 */

export interface DurationFormat {
  /**
   * `auto` (the default): the two largest units, the last one rounded (`4 d 2 h`, `1 h 25 min`) — what a
   * report or a scorecard shows. `minute`: every unit down to whole minutes (`5 d 5 h 15 min`) — what a
   * countdown shows, where a dropped quarter hour would be a wrong answer.
   */
  precision?: 'auto' | 'minute';
}

/**
 * `minutes` of (business) time as "1 h 25 min", "4 d 2 h", "40 min", "< 1 min" or "0 min". A day is
 * `dayMinutes` long: a business day of the calendar (480 for 09:00–17:00), or 1440 for calendar days; pass
 * 0 to count in hours only. Negative time is written with a leading minus sign.
 */
export function formatDuration(minutes: number, dayMinutes: number, format: DurationFormat = {}): string {
  if (typeof minutes !== 'number' || !Number.isFinite(minutes)) {
    throw new CalendarError(`minutes must be a finite number, got ${String(minutes)}`, 'minutes');
  }
  if (typeof dayMinutes !== 'number' || !Number.isFinite(dayMinutes) || dayMinutes < 0) {
    throw new CalendarError(`dayMinutes must be 0 or more, got ${String(dayMinutes)}`, 'dayMinutes');
  }
  const sign = minutes < 0 ? '-' : '';
  const abs = Math.abs(minutes);
  if (abs === 0) return '0 min';
  if (abs < 0.5) return `${sign}< 1 min`;
  const exact = format.precision === 'minute';
  const total = Math.round(abs);
  let days = dayMinutes > 0 ? Math.floor(total / dayMinutes) : 0;
  let rest = total - days * dayMinutes;
  if (!exact && days > 0) {
    // with days shown, the hours are the last unit: round the rest of the day to whole hours
    let hours = Math.round(rest / 60);
    if (hours * 60 >= dayMinutes) {
      days += 1;
      hours = 0;
    }
    return sign + [`${days} d`, hours > 0 ? `${hours} h` : ''].filter(Boolean).join(' ');
  }
  const hours = Math.floor(rest / 60);
  rest -= hours * 60;
  const parts = [days > 0 ? `${days} d` : '', hours > 0 ? `${hours} h` : '', rest > 0 ? `${rest} min` : ''].filter(Boolean);
  return sign + (parts.length > 0 ? parts.join(' ') : '0 min');
}

/** How an instant is written for people (Intl.DateTimeFormat options; the time zone is the reader's). */
export const INSTANT_FORMAT: Readonly<Intl.DateTimeFormatOptions> = Object.freeze({
  year: 'numeric',
  month: 'short',
  day: 'numeric',
  hour: 'numeric',
  minute: '2-digit',
  timeZoneName: 'short'
});

/**
 * An instant as the wall clock of `timeZone` reads it, for people: "Dec 6, 2026, 12:45 PM EST" (en-US) —
 * the running user's time zone in the CLI, the browser's in an HTML page. Machines get ISO 8601 instead.
 */
export function formatInstant(instant: Date | number | string, timeZone: string, locale = 'en-US'): string {
  const t = instant instanceof Date ? instant.getTime() : typeof instant === 'string' ? Date.parse(instant) : instant;
  if (!Number.isFinite(t)) throw new CalendarError(`not an instant: ${String(instant)}`, 'instant');
  return new Intl.DateTimeFormat(locale, { ...INSTANT_FORMAT, timeZone }).format(t);
}

/** A local date (`YYYY-MM-DD`, no time zone) for people: "Dec 6, 2026" (en-US). */
export function formatLocalDate(date: string, locale = 'en-US'): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!m) throw new CalendarError(`not a date (YYYY-MM-DD): ${date}`, 'date');
  const t = dayNumber(Number(m[1]), Number(m[2]), Number(m[3])) * DAY_MS;
  return new Intl.DateTimeFormat(locale, { timeZone: 'UTC', year: 'numeric', month: 'short', day: 'numeric' }).format(t);
}
