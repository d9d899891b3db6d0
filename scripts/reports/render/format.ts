import { formatDuration, formatInstant, formatLocalDate } from '../../calendar';
import type { BooleanWords, ValueUnit } from '../display';
import type { ReportResult } from '../runner';

/**
 * Figures as people read them, in every human format (table, HTML, dashboard): business minutes as business
 * time in business days of the report's calendar ("4 d 2 h"), calendar days as time ("1 h 12 min"),
 * percentages with %, money with cents, yes/no values as words, instants in the reader's time zone.
 * CSV and JSON keep the numbers and ISO instants the org gives.
 */

export interface FigureFormat {
  type?: string;
  unit?: ValueUnit;
  words?: BooleanWords;
}

const CALENDAR_DAY = 1440;

/** A summary or detail value for a person; `dayMinutes` is the business day of the row's calendar (0: hours only). */
export function formatFigure(v: unknown, f: FigureFormat, dayMinutes: number, timeZone?: string): string {
  if (v === null || v === undefined || v === '') return '-';
  if (f.words && (v === true || v === false || v === 0 || v === 1)) return f.words[v === true || v === 1 ? 'true' : 'false'];
  if (typeof v === 'number') {
    if (f.unit === 'businessMinutes') return formatDuration(v, dayMinutes);
    if (f.unit === 'calendarDays') return formatDuration(v * CALENDAR_DAY, CALENDAR_DAY);
    const s = v.toLocaleString('en-US', { maximumFractionDigits: 2, minimumFractionDigits: f.type === 'currency' ? 2 : 0 });
    return f.type === 'percent' ? `${s}%` : s;
  }
  if (typeof v === 'string' && timeZone && f.type === 'datetime' && /^\d{4}-\d{2}-\d{2}T/.test(v)) return formatInstant(v, timeZone);
  if (typeof v === 'string' && f.type === 'date' && /^\d{4}-\d{2}-\d{2}$/.test(v)) return formatLocalDate(v);
  return String(v);
}

/** The business day (minutes) of a report row: its clock's calendar in a report by clock, else the report's. */
export function dayMinutesOf(r: ReportResult, path: Array<string | null> = []): number {
  const clock = r.perClock && path[0] ? r.businessDayByClock?.[path[0]] : undefined;
  return (clock ?? r.businessDay)?.minutes ?? 0;
}

/** One line on how business time (and calendar time) reads in this report, or null when it shows none. */
export function businessTimeNote(r: ReportResult): string | null {
  const units = new Set([...r.summaries.map((s) => s.unit), ...r.detailColumns.map((c) => c.unit)]);
  const calendarDays = units.has('calendarDays') ? ' Days columns count calendar days of 24 h.' : '';
  if (!units.has('businessMinutes')) return calendarDays ? calendarDays.trim() : null;
  const days = new Map<string, number>();
  for (const d of [r.businessDay, ...Object.values(r.businessDayByClock ?? {})]) if (d) days.set(d.calendar, d.minutes);
  if (days.size === 0) return `Business time in hours (no business calendar could be read).${calendarDays}`;
  const each = [...days].map(([calendar, minutes]) => `${formatDuration(minutes, 0)} (${calendar})`);
  return `Business time: 1 d = one business day of ${each.join(' or ')}.${calendarDays}`;
}
