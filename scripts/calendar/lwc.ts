/**
 * What the components import as `c/businessCalendar`: the business calendar and local time in a time zone.
 * `npm run build` bundles everything reachable from this file into one ES module, so it exports only what
 * components use (the SOQL date literals and period arithmetic stay on the Node side, in ./index).
 */
export { BusinessCalendar } from './businessCalendar';
export { CalendarError } from './types';
export { formatDuration } from './display';
export { isTimeZone, localDate, startOfLocalDate, wallClock } from './localTime';
export { MONTHS, WEEKDAYS } from './civil';
// the strict ISO 8601 instant parser and its writer, for the SLA clock rules emitted as c/slaClock (scripts/build/slaClockLwc.ts)
export { readInstant, writeInstant } from './instant';
