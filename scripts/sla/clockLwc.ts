/**
 * What the components import as `c/slaClock`: the clock rules a record page applies between two syncs. `npm run
 * build` bundles everything reachable from this file into one ES module; what it takes from scripts/calendar it
 * imports from `c/businessCalendar` (one copy of the calendar in the org). See scripts/build/slaClockLwc.ts.
 */
export { isOpen, liveStatus, projectStop, stoppingSubmission } from './clockProjection';
export { latestPerClock } from './clockStatus';
export { STOPPING_SUBMISSION } from './clockTypes';
