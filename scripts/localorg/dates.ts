/**
 * Date and datetime values as the local org stores them: UTC ISO with milliseconds for datetimes,
 * `YYYY-MM-DD` for dates, `HH:MM:SS.mmmZ` for times, and the REST output form of a datetime
 * (`2024-05-01T13:00:00.000+0000`). Only the storage formats live here: the date arithmetic (valid dates,
 * day numbers, SOQL date literals, local midnight in the user's time zone) is the calendar's, the one
 * implementation shared with reports, seed data and the components. The local org imports nothing of ours
 * but metadata reading and `calendar/`, which is pure code.
 */
import { DAY_MS, dateDay, dayNumber, daysInMonth, formatDate, instantRange, type DayRange } from '../calendar';

const DATETIME_RE = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?\s*(Z|[+-]\d{2}:?\d{2})?$/;
const TIME_RE = /^(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3}))?)?Z?$/;

/** Parses a datetime (ISO 8601, with or without offset; no offset = UTC; a bare date = its UTC midnight) to the stored UTC form. */
export function toStoredDateTime(v: string): string | undefined {
  // already the stored form (what clients that format with toISOString send): the same string, without the parse below
  if (v.length === 24 && v.charCodeAt(23) === 90 /* Z */ && v.charCodeAt(10) === 84 /* T */) {
    if (isStoredDateTime(v)) return v;
    const ms = Date.parse(v);
    if (!Number.isNaN(ms) && new Date(ms).toISOString() === v) return v;
  }
  const t = v.trim();
  const m = DATETIME_RE.exec(t);
  if (!m) return dateDay(t) === undefined ? undefined : `${t}T00:00:00.000Z`;
  const [, y, mo, d, h, mi, s = '0', frac = '0', zone = 'Z'] = m;
  if (+mo < 1 || +mo > 12 || +d < 1 || +d > daysInMonth(+y, +mo) || +h > 23 || +mi > 59 || +s > 59) return undefined;
  let offsetMin = 0;
  if (zone !== 'Z') {
    const z = zone.replace(':', '');
    offsetMin = (z[0] === '-' ? -1 : 1) * (Number(z.slice(1, 3)) * 60 + Number(z.slice(3, 5)));
  }
  const ms = dayNumber(+y, +mo, +d) * DAY_MS + ((+h * 60 + +mi - offsetMin) * 60 + +s) * 1000 + Number(frac.padEnd(3, '0').slice(0, 3));
  const stored = new Date(ms);
  return Number.isNaN(stored.getTime()) ? undefined : stored.toISOString();
}

/** The digits of `v` from `at` (`n` of them) as a number, or -1 when one is not a digit. */
function digits(v: string, at: number, n: number): number {
  let out = 0;
  for (let i = at; i < at + n; i++) {
    const c = v.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return -1;
    out = out * 10 + c;
  }
  return out;
}

/**
 * Whether `v` is a datetime in the stored form, `YYYY-MM-DDTHH:MM:SS.mmmZ` with a real date and time (what
 * `toISOString` gives for a year of four digits): read by character codes, as a bulk load has millions of them.
 */
function isStoredDateTime(v: string): boolean {
  const y = digits(v, 0, 4);
  const mo = digits(v, 5, 2);
  const d = digits(v, 8, 2);
  return (
    v.charCodeAt(4) === 45 /* - */ &&
    v.charCodeAt(7) === 45 &&
    v.charCodeAt(13) === 58 /* : */ &&
    v.charCodeAt(16) === 58 &&
    v.charCodeAt(19) === 46 /* . */ &&
    y >= 0 &&
    mo >= 1 &&
    mo <= 12 &&
    d >= 1 &&
    d <= daysInMonth(y, mo) &&
    digits(v, 11, 2) >= 0 &&
    digits(v, 11, 2) <= 23 &&
    digits(v, 14, 2) >= 0 &&
    digits(v, 14, 2) <= 59 &&
    digits(v, 17, 2) >= 0 &&
    digits(v, 17, 2) <= 59 &&
    digits(v, 20, 3) >= 0
  );
}

/** A date (or the date part of a datetime) as stored, `YYYY-MM-DD`; undefined unless the date exists. */
export function toStoredDate(v: string): string | undefined {
  const t = v.trim();
  const day = dateDay(t) ?? dateDay(t.slice(0, 10));
  return day === undefined ? undefined : formatDate(day);
}

export function toStoredTime(v: string): string | undefined {
  const m = TIME_RE.exec(v.trim());
  if (!m || +m[1] > 23 || +m[2] > 59) return undefined;
  return `${m[1]}:${m[2]}:${m[3] ?? '00'}.${(m[4] ?? '000').padEnd(3, '0')}Z`;
}

/** Stored UTC ISO → REST output `2024-05-01T13:00:00.000+0000`. */
export function restDateTime(stored: string): string {
  return stored.endsWith('Z') ? `${stored.slice(0, -1)}+0000` : stored;
}

/** Bounds of a range of local dates as stored values: dates for `date` fields, UTC instants of local midnight in `tz` for `datetime` fields. */
export function rangeBounds(range: DayRange, kind: 'date' | 'datetime', tz: string): { start: string; end: string } {
  if (kind === 'date') return { start: formatDate(range.start), end: formatDate(range.end) };
  const instants = instantRange(range, tz);
  return { start: new Date(instants.start).toISOString(), end: new Date(instants.end).toISOString() };
}
