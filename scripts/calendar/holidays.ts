import { DAY_MS, MONTHS, civilDate, dayNumber, daysInMonth, monthIndex, nthWeekdayOfMonth, parseDate, weekday } from './civil';
import { CalendarError } from './types';

/** Closed time within one local day, ms from local midnight: [start, end). */
export interface Closure {
  start: number;
  end: number;
}

const WHOLE_DAY: Closure = { start: 0, end: DAY_MS };

const RECURRENCE_TYPES = [
  'RecursYearly',
  'RecursYearlyNth',
  'RecursMonthly',
  'RecursMonthlyNth',
  'RecursWeekly',
  'RecursDaily',
  'RecursEveryWeekday'
] as const;
type RecurrenceType = (typeof RECURRENCE_TYPES)[number];

const INSTANCES = ['First', 'Second', 'Third', 'Fourth', 'Last'] as const;

/** A parsed Holiday record: which local days it closes, and which part of each (whole day unless a time window is set). */
export interface HolidayRule {
  readonly closure: Closure;
  /** Calls `visit` for every day number in [fromDay, toDay] that the holiday falls on. */
  forEachDay(fromDay: number, toDay: number, visit: (day: number) => void): void;
}

interface Recurrence {
  type: RecurrenceType;
  first: number;
  last: number;
  anchor: number | undefined;
  interval: number;
  month: number;
  dayOfMonth: number;
  mask: number;
  instance: number; // 0–3, or 4 = last
}

export function parseHolidays(value: unknown): HolidayRule[] {
  if (value == null) return [];
  if (!Array.isArray(value)) throw new CalendarError('holidays must be an array of Holiday records', 'holidays');
  return value.map((h, i) => parseHoliday(h, i));
}

function parseHoliday(value: unknown, index: number): HolidayRule {
  const at = `holidays[${index}]`;
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new CalendarError(`${at} must be a Holiday record (an object)`, at);
  }
  const h = value as Record<string, unknown>;
  const label = typeof h.Name === 'string' && h.Name !== '' ? ` ("${h.Name}")` : '';
  const fail = (field: string, problem: string): never => {
    throw new CalendarError(`${at}.${field}${label}: ${problem}`, `${at}.${field}`);
  };
  const date = (field: string, required: boolean): number | undefined => {
    const raw = h[field];
    if (raw == null) return required ? fail(field, 'is required') : undefined;
    const day = typeof raw === 'string' ? parseDate(raw) : undefined;
    return day ?? fail(field, `must be a date like "2026-12-25", got ${JSON.stringify(raw)}`);
  };
  const int = (field: string, min: number, max: number, fallback?: number): number => {
    const raw = h[field];
    if (raw == null) return fallback ?? fail(field, `is required for RecurrenceType ${String(h.RecurrenceType)}`);
    if (typeof raw !== 'number' || !Number.isInteger(raw) || raw < min || raw > max) {
      return fail(field, `must be a whole number from ${min} to ${max}, got ${JSON.stringify(raw)}`);
    }
    return raw;
  };
  const pick = <T extends string>(field: string, allowed: readonly T[]): number => {
    const raw = h[field];
    const i = allowed.indexOf(raw as T);
    if (raw == null)
      fail(
        field,
        field === 'RecurrenceType' ? 'is required for a recurring holiday' : `is required for RecurrenceType ${String(h.RecurrenceType)}`
      );
    return i >= 0 ? i : fail(field, `must be one of ${allowed.join(', ')}, got ${JSON.stringify(raw)}`);
  };

  let closure = WHOLE_DAY;
  if (h.IsAllDay === false && h.StartTimeInMinutes != null && h.EndTimeInMinutes != null) {
    const start = int('StartTimeInMinutes', 0, 1439);
    const end = int('EndTimeInMinutes', 1, 1440);
    if (end <= start) fail('EndTimeInMinutes', `(${end}) must be after StartTimeInMinutes (${start})`);
    closure = { start: start * 60_000, end: end * 60_000 };
  }

  const recurring = h.IsRecurrence === true || (h.IsRecurrence == null && h.RecurrenceType != null);
  if (!recurring) {
    const day = date('ActivityDate', true) as number;
    return {
      closure,
      forEachDay(fromDay, toDay, visit) {
        if (day >= fromDay && day <= toDay) visit(day);
      }
    };
  }

  const type = RECURRENCE_TYPES[pick('RecurrenceType', RECURRENCE_TYPES)];
  const first = date('RecurrenceStartDate', false);
  const last = date('RecurrenceEndDateOnly', false);
  if (first !== undefined && last !== undefined && last < first) {
    fail('RecurrenceEndDateOnly', 'must not be before RecurrenceStartDate');
  }
  const r: Recurrence = {
    type,
    first: first ?? -Infinity,
    last: last ?? Infinity,
    anchor: first ?? date('ActivityDate', false),
    interval: 1,
    month: 0,
    dayOfMonth: 0,
    mask: 0,
    instance: 0
  };
  if (type === 'RecursYearly' || type === 'RecursYearlyNth') r.month = pick('RecurrenceMonthOfYear', MONTHS) + 1;
  if (type === 'RecursYearly' || type === 'RecursMonthly') r.dayOfMonth = int('RecurrenceDayOfMonth', 1, 31);
  if (type === 'RecursYearly' && r.dayOfMonth > daysInMonth(2000, r.month)) {
    fail('RecurrenceDayOfMonth', `${MONTHS[r.month - 1]} has no day ${r.dayOfMonth}`);
  }
  if (type === 'RecursYearlyNth' || type === 'RecursMonthlyNth' || type === 'RecursWeekly') {
    r.mask = int('RecurrenceDayOfWeekMask', 1, 127);
  }
  if (type === 'RecursYearlyNth' || type === 'RecursMonthlyNth') r.instance = pick('RecurrenceInstance', INSTANCES);
  if (type === 'RecursDaily' || type === 'RecursWeekly' || type === 'RecursMonthly' || type === 'RecursMonthlyNth') {
    r.interval = int('RecurrenceInterval', 1, 1000, 1);
    if (r.interval > 1 && r.anchor === undefined) fail('RecurrenceStartDate', `is required when RecurrenceInterval is ${r.interval}`);
  }
  return { closure, forEachDay: (fromDay, toDay, visit) => recurrenceDays(r, fromDay, toDay, visit) };
}

function recurrenceDays(r: Recurrence, fromDay: number, toDay: number, visit: (day: number) => void): void {
  const lo = Math.max(fromDay, r.first);
  const hi = Math.min(toDay, r.last);
  if (lo > hi) return;
  const emit = (day: number | undefined) => {
    if (day !== undefined && day >= lo && day <= hi) visit(day);
  };
  const a = civilDate(lo);
  const b = civilDate(hi);
  switch (r.type) {
    case 'RecursYearly':
    case 'RecursYearlyNth':
      for (let y = a.year; y <= b.year; y++) {
        emit(r.type === 'RecursYearly' ? dateIfExists(y, r.month, r.dayOfMonth) : nthWeekdayOfMonth(y, r.month, r.mask, r.instance));
      }
      return;
    case 'RecursMonthly':
    case 'RecursMonthlyNth': {
      const anchorMonth = r.anchor === undefined ? 0 : monthIndex(r.anchor);
      for (let m = monthIndex(lo); m <= monthIndex(hi); m++) {
        if (r.interval > 1 && (m < anchorMonth || (m - anchorMonth) % r.interval !== 0)) continue;
        const y = Math.floor(m / 12);
        const month = (m % 12) + 1;
        emit(r.type === 'RecursMonthly' ? dateIfExists(y, month, r.dayOfMonth) : nthWeekdayOfMonth(y, month, r.mask, r.instance));
      }
      return;
    }
    case 'RecursWeekly': {
      const anchorWeek = r.anchor === undefined ? 0 : r.anchor - weekday(r.anchor);
      for (let d = lo; d <= hi; d++) {
        if (!(r.mask & (1 << weekday(d)))) continue;
        const week = d - weekday(d);
        if (r.interval > 1 && (week < anchorWeek || ((week - anchorWeek) / 7) % r.interval !== 0)) continue;
        visit(d);
      }
      return;
    }
    case 'RecursDaily':
      for (let d = lo; d <= hi; d++) {
        if (r.interval === 1 || (r.anchor !== undefined && d >= r.anchor && (d - r.anchor) % r.interval === 0)) visit(d);
      }
      return;
    case 'RecursEveryWeekday':
      for (let d = lo; d <= hi; d++) {
        const wd = weekday(d);
        if (wd >= 1 && wd <= 5) visit(d);
      }
      return;
  }
}

/** Recurring on the 31st (or 29 February) skips the months (years) that lack that day, as Salesforce does. */
function dateIfExists(year: number, month: number, day: number): number | undefined {
  return day <= daysInMonth(year, month) ? dayNumber(year, month, day) : undefined;
}

/** Closed windows per local day in [fromDay, toDay], from every holiday. */
export function closuresByDay(rules: readonly HolidayRule[], fromDay: number, toDay: number): Map<number, Closure[]> {
  const out = new Map<number, Closure[]>();
  for (const rule of rules) {
    rule.forEachDay(fromDay, toDay, (day) => {
      const list = out.get(day);
      if (list) list.push(rule.closure);
      else out.set(day, [rule.closure]);
    });
  }
  return out;
}
