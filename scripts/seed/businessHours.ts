import { addDays, formatDate, nthWeekdayOfMonth, type BusinessHoursRecord, type CalendarDefinition, type HolidayRecord } from '../calendar';
import type { RecordSet } from './records';

export const DEMO_TIME_ZONE = 'America/New_York';
export const BUSINESS_HOURS_NAME = 'Default';

const OPEN = '09:00:00.000Z';
const CLOSE = '17:00:00.000Z';
const MONDAY = 1;
const THURSDAY = 4;
/** holidayOn's n for the last such weekday of the month. */
const LAST = 5;

/** US holidays that recur on a fixed date. */
const RECURRING: Array<{ name: string; month: string; day: number }> = [
  { name: "New Year's Day", month: 'January', day: 1 },
  { name: 'Independence Day', month: 'July', day: 4 },
  { name: 'Christmas Day', month: 'December', day: 25 }
];

/**
 * The org's default business hours as the demo uses them (Mon–Fri 09:00–17:00 New York) and its
 * holidays: fixed-date ones recurring every year, and Memorial Day, Labor Day and Thanksgiving (with the
 * day after) as one-off dates for the years around `now`, so the demo window and the open SLA
 * clocks' due dates cross real holidays.
 */
export function buildBusinessHours(out: RecordSet, nowMs: number): CalendarDefinition {
  const hours: BusinessHoursRecord = {
    Name: BUSINESS_HOURS_NAME,
    IsDefault: true,
    IsActive: true,
    TimeZoneSidKey: DEMO_TIME_ZONE,
    MondayStartTime: OPEN,
    MondayEndTime: CLOSE,
    TuesdayStartTime: OPEN,
    TuesdayEndTime: CLOSE,
    WednesdayStartTime: OPEN,
    WednesdayEndTime: CLOSE,
    ThursdayStartTime: OPEN,
    ThursdayEndTime: CLOSE,
    FridayStartTime: OPEN,
    FridayEndTime: CLOSE,
    SaturdayStartTime: null,
    SaturdayEndTime: null,
    SundayStartTime: null,
    SundayEndTime: null
  };
  out.add('BusinessHours', BUSINESS_HOURS_NAME, { ...hours });

  const holidays: HolidayRecord[] = [];
  const year = new Date(nowMs).getUTCFullYear();
  for (const h of RECURRING) {
    const rec: HolidayRecord = {
      Name: h.name,
      ActivityDate: null,
      IsAllDay: true,
      IsRecurrence: true,
      RecurrenceType: 'RecursYearly',
      RecurrenceMonthOfYear: h.month,
      RecurrenceDayOfMonth: h.day,
      RecurrenceStartDate: '2020-01-01'
    };
    holidays.push(rec);
  }
  for (let y = year - 1; y <= year + 1; y++) {
    const thanksgiving = holidayOn(y, 11, THURSDAY, 4);
    const oneOff: Array<[string, string]> = [
      [`Memorial Day ${y}`, holidayOn(y, 5, MONDAY, LAST)],
      [`Labor Day ${y}`, holidayOn(y, 9, MONDAY, 1)],
      [`Thanksgiving ${y}`, thanksgiving],
      [`Day after Thanksgiving ${y}`, addDays(thanksgiving, 1)]
    ];
    for (const [name, date] of oneOff) holidays.push({ Name: name, ActivityDate: date, IsAllDay: true, IsRecurrence: false });
  }
  for (const h of holidays) out.add('Holiday', h.Name!, { ...(h as unknown as Record<string, string | number | boolean | null>) });
  return { ...hours, holidays };
}

/** The n-th (1–4, or LAST) given weekday (0 = Sunday) of a month, as `YYYY-MM-DD`. */
function holidayOn(year: number, month: number, weekday: number, n: number): string {
  return formatDate(nthWeekdayOfMonth(year, month, 1 << weekday, n - 1)!);
}
