import { DAY_MS, WEEKDAYS } from './civil';
import { CalendarError } from './types';

/** One weekday's opening hours as milliseconds from local midnight, [start, end); end may be DAY_MS (midnight). */
export interface DayHours {
  start: number;
  end: number;
}

/** Open hours per weekday, index 0 = Sunday … 6 = Saturday; null = closed. */
export type WeekSchedule = ReadonlyArray<DayHours | null>;

const TIME = /^(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3}))?)?Z?$/;

/** Parses `"HH:MM:SS.sssZ"` (also `"HH:MM"`, `"HH:MM:SS"`) to milliseconds from midnight. */
export function parseTimeOfDay(value: unknown, field: string): number {
  const m = typeof value === 'string' ? TIME.exec(value) : null;
  const h = m ? Number(m[1]) : NaN;
  const min = m ? Number(m[2]) : NaN;
  const s = m?.[3] ? Number(m[3]) : 0;
  if (!m || h > 23 || min > 59 || s > 59) {
    throw new CalendarError(`${field} must be a time of day like "09:00:00.000Z", got ${JSON.stringify(value)}`, field);
  }
  const ms = m[4] ? Number(m[4].padEnd(3, '0')) : 0;
  return ((h * 60 + min) * 60 + s) * 1000 + ms;
}

/** Reads the 14 `<Weekday>StartTime`/`<Weekday>EndTime` fields of a BusinessHours record. */
export function parseWeek(record: Record<string, unknown>): WeekSchedule {
  const week = WEEKDAYS.map((day): DayHours | null => {
    const startField = `${day}StartTime`;
    const endField = `${day}EndTime`;
    const rawStart = record[startField];
    const rawEnd = record[endField];
    if (rawStart == null && rawEnd == null) return null;
    if (rawStart == null || rawEnd == null) {
      const [missing, present] = rawStart == null ? [startField, endField] : [endField, startField];
      throw new CalendarError(`${missing} is empty but ${present} is set: give both (open) or neither (closed)`, missing);
    }
    const start = parseTimeOfDay(rawStart, startField);
    let end = parseTimeOfDay(rawEnd, endField);
    if (end === 0) end = DAY_MS; // 00:00 closes at midnight; 00:00–00:00 is open 24 hours
    if (end <= start) {
      throw new CalendarError(`${endField} (${String(rawEnd)}) must be after ${startField} (${String(rawStart)})`, endField);
    }
    return { start, end };
  });
  if (week.every((d) => d === null)) {
    throw new CalendarError('the calendar has no open time: every <Weekday>StartTime and <Weekday>EndTime is empty', 'MondayStartTime');
  }
  return week;
}
