/**
 * The business calendar and the date core (see docs/business-calendar.md): the one implementation of
 * business-time math, of local time in a time zone (wall clock, local dates) and of date arithmetic for
 * Closed Loop: civil dates, periods (weeks, months, quarters, fiscal quarters and years) and SOQL's relative
 * date literals. Everything outside this folder that counts days or months calls these functions (a test
 * checks that none defines its own).
 *
 * Pure TypeScript with no imports outside this folder, so it runs unchanged in Node and in the browser: the
 * build emits the part the components use (./lwc) as the LWC service module `c/businessCalendar`.
 */
export { BusinessCalendar } from './businessCalendar';
export { CalendarError } from './types';
export { INSTANT_FORMAT, formatDuration, formatInstant, formatLocalDate } from './display';
export type { DurationFormat } from './display';
export type { BusinessHoursRecord, HolidayRecord, CalendarDefinition } from './types';
export { isTimeZone, localDate, localDay, startOfLocalDate, startOfLocalDay, wallClock } from './localTime';
export type { WallClock } from './localTime';
export {
  DAY_MS,
  MONTHS,
  WEEKDAYS,
  addDays,
  civilDate,
  dateDay,
  dayNumber,
  daysBetween,
  daysInMonth,
  formatDate,
  isDate,
  monthIndex,
  nthWeekdayOfMonth,
  requireDate,
  weekday
} from './civil';
export type { CivilDate } from './civil';
export { CALENDAR_FISCAL_YEAR, fiscalYear, instantRange, localPeriod, periodRange, periodSpan } from './periods';
export type { DayRange, FiscalYear, InstantRange, PeriodUnit } from './periods';
export { DATE_LITERALS, DateLiteralError, dateLiteralRange, literalDays } from './dateLiterals';
