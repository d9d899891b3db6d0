import { DAY_MS, MAX_YEAR, MIN_YEAR, MINUTE_MS, dayNumber, daysInMonth } from './civil';

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
  const ms = frac ? Number(frac.padEnd(3, '0').slice(0, 3)) : 0;
  const time = ((Number(h) * 60 + Number(mi)) * 60 + (s ? Number(s) : 0)) * 1000 + ms;
  return { ok: true, ms: dayNumber(year, month, day) * DAY_MS + time - offset };
}
