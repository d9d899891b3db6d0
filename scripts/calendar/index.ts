/**
 * The business calendar: the one implementation of business-time math for Closed Loop (see docs/business-calendar.md), and of
 * local time in a time zone (wall clock, local dates). Pure TypeScript with no imports outside this folder,
 * so the build can emit it unchanged as the LWC service module `c/businessCalendar` for the components.
 */
export { BusinessCalendar } from './businessCalendar';
export { CalendarError } from './types';
export type { BusinessHoursRecord, HolidayRecord, CalendarDefinition } from './types';
export { isTimeZone, localDate, startOfLocalDate, wallClock } from './localTime';
export type { WallClock } from './localTime';
export { MONTHS, WEEKDAYS } from './civil';
