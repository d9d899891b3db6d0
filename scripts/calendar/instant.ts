import { DAY_MS, MAX_YEAR, MIN_YEAR, MINUTE_MS, civilDate, dayNumber, daysInMonth } from './civil';

/**
 * Instants written in ISO 8601 (the RFC 3339 profile Salesforce reads and writes): the one strict parser,
 * used by every CLI date-time flag and by the SLA sync for the org's own timestamps, and by the clock rules a record
 * page applies (c/slaClock imports it from c/businessCalendar). Not exported from the calendar's index.
 *
 *   YYYY-MM-DDThh:mm[:ss[.fraction]] followed by Z, ±hh:mm or ±hhmm (Salesforce writes `+0000`)
 *
 * The offset is required (a bare local time would be ambiguous). Every part must exist: no 2026-02-30, no
 * hour 24 (ISO 8601-1:2019 dropped 24:00), no minute or second 60 (JavaScript has no leap seconds), no offset
 * beyond ±23:59 (RFC 3339 time-numoffset), and the year within Salesforce's Datetime range (1700–4000). `T`
 * and `Z` may be lower case (RFC 3339, section 5.6). Fractions beyond milliseconds are truncated.
 */
export type InstantParse =
  | { ok: true; ms: number }
  /** `reason` says what does not exist when the text has the form but names no real instant (2026-02-30). */
  | { ok: false; reason?: string };

/** What readInstant reads, for messages: "--now must be <INSTANT_FORMAT>". */
export const INSTANT_FORMAT = 'an ISO 8601 date-time with Z or an offset, e.g. 2026-03-02T15:00:00Z or 2026-03-02T10:00:00-05:00';

const ISO_INSTANT = /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(?:([Zz])|([+-])(\d{2}):?(\d{2}))$/;

export function readInstant(text: string): InstantParse {
  const ms = canonicalInstant(text);
  if (ms !== undefined) return { ok: true, ms };
  const m = ISO_INSTANT.exec(text);
  if (!m) return { ok: false };
  const [, y, mo, d, h, mi, s, frac, zulu, sign, oh, om] = m;
  const year = Number(y);
  const month = Number(mo);
  const day = Number(d);
  if (year < MIN_YEAR || year > MAX_YEAR)
    return { ok: false, reason: `the year ${y} is outside Salesforce's date-time range (${MIN_YEAR}–${MAX_YEAR})` };
  if (month < 1 || month > 12) return { ok: false, reason: `there is no month ${mo}` };
  if (day < 1 || day > daysInMonth(year, month)) return { ok: false, reason: `there is no ${y}-${mo}-${d}` };
  if (Number(h) > 23) return { ok: false, reason: `the hour ${h} is not a time of day (00–23)` };
  if (Number(mi) > 59) return { ok: false, reason: `the minute ${mi} is not one (00–59)` };
  if (s !== undefined && Number(s) > 59) return { ok: false, reason: `the second ${s} is not one (00–59)` };
  let offset = 0;
  if (!zulu) {
    if (Number(oh) > 23 || Number(om) > 59) return { ok: false, reason: `the offset ${sign}${oh}:${om} is not one (±00:00 to ±23:59)` };
    offset = (sign === '-' ? -1 : 1) * (Number(oh) * 60 + Number(om)) * MINUTE_MS;
  }
  const millis = frac ? Number(frac.padEnd(3, '0').slice(0, 3)) : 0;
  const time = ((Number(h) * 60 + Number(mi)) * 60 + (s ? Number(s) : 0)) * 1000 + millis;
  return { ok: true, ms: dayNumber(year, month, day) * DAY_MS + time - offset };
}

/*
 * The forms the platform writes every timestamp in — `2026-03-02T15:00:00.000Z` (Bulk API, ISO) and
 * `2026-03-02T15:00:00.000+0000` (REST) — read digit by digit: a large org's sync and what-if read millions of
 * them, and the regular expression above costs ten times as much. Anything else, or a value that names no real
 * instant, is left to the regular expression's path (which says why).
 */
const DIGITS_CANONICAL = [0, 1, 2, 3, 5, 6, 8, 9, 11, 12, 14, 15, 17, 18, 20, 21, 22];
const ZERO = 48;

function canonicalInstant(t: string): number | undefined {
  const n = t.length;
  if (n !== 24 && n !== 28) return undefined;
  if (t.charCodeAt(4) !== 45 || t.charCodeAt(7) !== 45 || t.charCodeAt(10) !== 84 || t.charCodeAt(13) !== 58) return undefined;
  if (t.charCodeAt(16) !== 58 || t.charCodeAt(19) !== 46) return undefined;
  if (n === 24 ? t.charCodeAt(23) !== 90 : t.slice(23) !== '+0000') return undefined;
  for (const i of DIGITS_CANONICAL) {
    const c = t.charCodeAt(i);
    if (c < ZERO || c > ZERO + 9) return undefined;
  }
  const two = (i: number) => (t.charCodeAt(i) - ZERO) * 10 + t.charCodeAt(i + 1) - ZERO;
  const year = two(0) * 100 + two(2);
  const month = two(5);
  const day = two(8);
  const hour = two(11);
  const minute = two(14);
  const second = two(17);
  if (year < MIN_YEAR || year > MAX_YEAR || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return undefined;
  if (hour > 23 || minute > 59 || second > 59) return undefined;
  const millis = two(20) * 10 + t.charCodeAt(22) - ZERO;
  return dayNumber(year, month, day) * DAY_MS + ((hour * 60 + minute) * 60 + second) * 1000 + millis;
}

/**
 * An instant as the clock rules write every instant: UTC ISO 8601 with milliseconds (`2026-03-02T15:00:00.000Z`),
 * what `Date.prototype.toISOString` writes, for the years 0–9999 that form has.
 */
export function writeInstant(ms: number): string {
  if (!Number.isFinite(ms)) return new Date(ms).toISOString();
  const day = Math.floor(ms / DAY_MS);
  const { year, month, day: d } = civilDate(day);
  if (year < 0 || year > 9999) return new Date(ms).toISOString();
  let rest = ms - day * DAY_MS;
  const millis = rest % 1000;
  rest = (rest - millis) / 1000;
  const second = rest % 60;
  rest = (rest - second) / 60;
  const minute = rest % 60;
  const hour = (rest - minute) / 60;
  const p2 = (v: number) => (v < 10 ? `0${v}` : `${v}`);
  const y = year < 1000 ? String(year).padStart(4, '0') : String(year);
  return `${y}-${p2(month)}-${p2(d)}T${p2(hour)}:${p2(minute)}:${p2(second)}.${millis < 10 ? `00${millis}` : millis < 100 ? `0${millis}` : millis}Z`;
}
