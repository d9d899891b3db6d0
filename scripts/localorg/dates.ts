/**
 * Date and datetime handling: storage form (UTC ISO with milliseconds, `YYYY-MM-DD` for dates),
 * the REST output form (`2024-05-01T13:00:00.000+0000`), and SOQL date literals evaluated in
 * the running user's time zone.
 */

export class DateValueError extends Error {
  override readonly name = 'DateValueError';
}

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DATETIME_RE = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?\s*(Z|[+-]\d{2}:?\d{2})?$/;
const TIME_RE = /^(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3}))?)?Z?$/;

/** Parses a datetime (ISO 8601, with or without offset; no offset = UTC) to the stored UTC form. */
export function toStoredDateTime(v: string): string | undefined {
  const m = DATETIME_RE.exec(v.trim());
  if (!m) {
    const d = DATE_RE.exec(v.trim());
    if (d) return `${v.trim()}T00:00:00.000Z`;
    return undefined;
  }
  const [, y, mo, d, h, mi, s = '0', frac = '0', zone = 'Z'] = m;
  let offsetMin = 0;
  if (zone !== 'Z') {
    const z = zone.replace(':', '');
    offsetMin = (z[0] === '-' ? -1 : 1) * (Number(z.slice(1, 3)) * 60 + Number(z.slice(3, 5)));
  }
  const ms = Date.UTC(+y, +mo - 1, +d, +h, +mi, +s, Number(frac.padEnd(3, '0').slice(0, 3))) - offsetMin * 60000;
  if (!Number.isFinite(ms) || +mo < 1 || +mo > 12 || +d < 1 || +d > 31 || +h > 23 || +mi > 59 || +s > 59) return undefined;
  return new Date(ms).toISOString();
}

export function toStoredDate(v: string): string | undefined {
  const t = v.trim();
  const m = DATE_RE.exec(t) ?? DATE_RE.exec(t.slice(0, 10));
  if (!m) return undefined;
  const dt = new Date(Date.UTC(+m[1], +m[2] - 1, +m[3]));
  if (dt.getUTCDate() !== +m[3] || dt.getUTCMonth() !== +m[2] - 1) return undefined;
  return `${m[1]}-${m[2]}-${m[3]}`;
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

// ---- time zones -----------------------------------------------------------------------------

const partsFormatters = new Map<string, Intl.DateTimeFormat>();

function zoneParts(ms: number, tz: string): { y: number; m: number; d: number; h: number; mi: number; s: number; wd: number } {
  let fmt = partsFormatters.get(tz);
  if (!fmt) {
    fmt = new Intl.DateTimeFormat('en-US', {
      timeZone: tz,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      weekday: 'short'
    });
    partsFormatters.set(tz, fmt);
  }
  const p: Record<string, string> = {};
  for (const part of fmt.formatToParts(new Date(ms))) p[part.type] = part.value;
  const wd = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'].indexOf(p.weekday);
  return { y: +p.year, m: +p.month, d: +p.day, h: +p.hour, mi: +p.minute, s: +p.second, wd };
}

/** The UTC instant of local midnight of the given calendar day in `tz`. */
export function zonedMidnight(y: number, m: number, d: number, tz: string): number {
  const guess = Date.UTC(y, m - 1, d);
  let t = guess;
  for (let i = 0; i < 3; i++) {
    const p = zoneParts(t, tz);
    const asUtc = Date.UTC(p.y, p.m - 1, p.d, p.h, p.mi, p.s);
    const offset = asUtc - t;
    const next = guess - offset;
    if (next === t) break;
    t = next;
  }
  return t;
}

/** A half-open range of local calendar days [start, end), as day numbers (days since epoch). */
export interface DayRange {
  start: number;
  end: number;
}

const DAY = 86400000;

function dayNumber(y: number, m: number, d: number): number {
  return Math.round(Date.UTC(y, m - 1, d) / DAY);
}

export function dayToDate(day: number): string {
  return new Date(day * DAY).toISOString().slice(0, 10);
}

function dayToInstant(day: number, tz: string): number {
  const dt = new Date(day * DAY);
  return zonedMidnight(dt.getUTCFullYear(), dt.getUTCMonth() + 1, dt.getUTCDate(), tz);
}

export class DateLiteralError extends Error {
  override readonly name = 'DateLiteralError';
}

/** The days a SOQL date literal covers, for `now` in `tz` (weeks start on Sunday, calendar quarters/years). */
export function dateLiteralRange(literal: string, nowMs: number, tz: string): DayRange {
  const [nameRaw, nRaw] = literal.split(':');
  const name = nameRaw.toUpperCase();
  const n = nRaw === undefined ? NaN : Number(nRaw);
  const p = zoneParts(nowMs, tz);
  const today = dayNumber(p.y, p.m, p.d);
  const weekStart = today - p.wd;
  const monthStart = (offset: number) => {
    const total = p.y * 12 + (p.m - 1) + offset;
    return dayNumber(Math.floor(total / 12), (total % 12) + 1, 1);
  };
  const q = Math.floor((p.m - 1) / 3);
  const quarterStart = (offset: number) => monthStart(q * 3 - (p.m - 1) + offset * 3);
  const yearStart = (offset: number) => dayNumber(p.y + offset, 1, 1);
  const needN = () => {
    if (!Number.isInteger(n) || n < 0) throw new DateLiteralError(`invalid date literal ${literal}`);
    return n;
  };
  switch (name) {
    case 'TODAY':
      return { start: today, end: today + 1 };
    case 'YESTERDAY':
      return { start: today - 1, end: today };
    case 'TOMORROW':
      return { start: today + 1, end: today + 2 };
    case 'THIS_WEEK':
      return { start: weekStart, end: weekStart + 7 };
    case 'LAST_WEEK':
      return { start: weekStart - 7, end: weekStart };
    case 'NEXT_WEEK':
      return { start: weekStart + 7, end: weekStart + 14 };
    case 'THIS_MONTH':
      return { start: monthStart(0), end: monthStart(1) };
    case 'LAST_MONTH':
      return { start: monthStart(-1), end: monthStart(0) };
    case 'NEXT_MONTH':
      return { start: monthStart(1), end: monthStart(2) };
    case 'LAST_90_DAYS':
      return { start: today - 90, end: today + 1 };
    case 'NEXT_90_DAYS':
      return { start: today + 1, end: today + 91 };
    case 'THIS_QUARTER':
      return { start: quarterStart(0), end: quarterStart(1) };
    case 'LAST_QUARTER':
      return { start: quarterStart(-1), end: quarterStart(0) };
    case 'NEXT_QUARTER':
      return { start: quarterStart(1), end: quarterStart(2) };
    case 'THIS_YEAR':
      return { start: yearStart(0), end: yearStart(1) };
    case 'LAST_YEAR':
      return { start: yearStart(-1), end: yearStart(0) };
    case 'NEXT_YEAR':
      return { start: yearStart(1), end: yearStart(2) };
    case 'LAST_N_DAYS':
      return { start: today - needN(), end: today + 1 };
    case 'NEXT_N_DAYS':
      return { start: today + 1, end: today + 1 + needN() };
    case 'N_DAYS_AGO':
      return { start: today - needN(), end: today - needN() + 1 };
    case 'N_DAYS_FROM_NOW':
      return { start: today + needN(), end: today + needN() + 1 };
    case 'LAST_N_WEEKS':
      return { start: weekStart - 7 * needN(), end: weekStart };
    case 'NEXT_N_WEEKS':
      return { start: weekStart + 7, end: weekStart + 7 + 7 * needN() };
    case 'N_WEEKS_AGO':
      return { start: weekStart - 7 * needN(), end: weekStart - 7 * needN() + 7 };
    case 'LAST_N_MONTHS':
      return { start: monthStart(-needN()), end: monthStart(0) };
    case 'NEXT_N_MONTHS':
      return { start: monthStart(1), end: monthStart(1 + needN()) };
    case 'N_MONTHS_AGO':
      return { start: monthStart(-needN()), end: monthStart(-needN() + 1) };
    case 'LAST_N_QUARTERS':
      return { start: quarterStart(-needN()), end: quarterStart(0) };
    case 'NEXT_N_QUARTERS':
      return { start: quarterStart(1), end: quarterStart(1 + needN()) };
    case 'N_QUARTERS_AGO':
      return { start: quarterStart(-needN()), end: quarterStart(-needN() + 1) };
    case 'LAST_N_YEARS':
      return { start: yearStart(-needN()), end: yearStart(0) };
    case 'NEXT_N_YEARS':
      return { start: yearStart(1), end: yearStart(1 + needN()) };
    case 'N_YEARS_AGO':
      return { start: yearStart(-needN()), end: yearStart(-needN() + 1) };
    default:
      throw new DateLiteralError(`unsupported date literal ${literal}`);
  }
}

/** Bounds of a day range as stored values: dates for `date` fields, UTC instants for `datetime` fields. */
export function rangeBounds(range: DayRange, kind: 'date' | 'datetime', tz: string): { start: string; end: string } {
  if (kind === 'date') return { start: dayToDate(range.start), end: dayToDate(range.end) };
  return {
    start: new Date(dayToInstant(range.start, tz)).toISOString(),
    end: new Date(dayToInstant(range.end, tz)).toISOString()
  };
}

/** Today's date in `tz`. */
export function localToday(nowMs: number, tz: string): string {
  const p = zoneParts(nowMs, tz);
  return dayToDate(dayNumber(p.y, p.m, p.d));
}
