/**
 * The business calendar: the one implementation of business-time math for Closed Loop (design §4).
 * Pure TypeScript with no imports outside this folder, so the build can emit it unchanged as the LWC
 * service module `c/businessCalendar` for the components.
 */
export { BusinessCalendar } from './businessCalendar';
export { CalendarError } from './types';
export type { BusinessHoursRecord, HolidayRecord, CalendarDefinition } from './types';
