import { BusinessCalendar, CalendarError } from '../calendar';
import type { CalendarDefinition } from '../calendar';
import { soql } from '../org/data';
import type { OrgData } from '../org/data';
import { liveElapsedMinutes } from '../sla/clock';

/**
 * SLA timers' elapsed business minutes at the report's run time. The sync keeps Elapsed_Business_Minutes__c
 * only where a milestone fixes it — a stopped or paused timer (docs/sla-sync.md#what-it-writes) — so an
 * open timer's row has none: a report that shows or aggregates the column counts it here, for each open timer,
 * from its Due_At__c and target on its own calendar (SLA_Calendar__c, the one the sync computed it on), with the
 * clock rules' own function (liveElapsedMinutes). Such a report reads rows, not the org's aggregates.
 */

export const ELAPSED_FIELD = 'Elapsed_Business_Minutes__c';
const TIMER_OBJECT = 'SLA_Timer__c';

/** What a row needs for its live count, besides the elapsed field itself. */
export const LIVE_ELAPSED_FIELDS = ['Status__c', 'Stopped_At__c', 'Due_At__c', 'Target_Minutes__c', 'Calendar__c'];

/** Whether a report over `baseObject` that reads these value paths needs the live count. */
export function needsLiveElapsed(baseObject: string, valuePaths: Iterable<string>): boolean {
  return baseObject === TIMER_OBJECT && [...valuePaths].includes(ELAPSED_FIELD);
}

/**
 * Reads the timers' calendars (a few rows) and returns what sets a row's Elapsed_Business_Minutes__c to the
 * count at `now` (rows of stopped or paused timers keep theirs).
 */
export async function liveElapsed(data: OrgData, now: number): Promise<(row: Record<string, unknown>) => void> {
  const calendars = new Map<string, BusinessCalendar | null>();
  for (const c of await data.all<{ Id: string; Definition__c: string | null }>(soql`SELECT Id, Definition__c FROM SLA_Calendar__c`)) {
    let calendar: BusinessCalendar | null = null;
    try {
      calendar = c.Definition__c ? new BusinessCalendar(JSON.parse(c.Definition__c) as CalendarDefinition) : null;
    } catch (e) {
      // a mirror the sync will rewrite: its timers keep their stored value meanwhile
      if (!(e instanceof CalendarError) && !(e instanceof SyntaxError)) throw e;
    }
    calendars.set(c.Id.slice(0, 15), calendar);
  }
  return (row) => {
    const calendar = calendars.get(String(row.Calendar__c ?? '').slice(0, 15)) ?? null;
    row[ELAPSED_FIELD] = liveElapsedMinutes(row, calendar, now);
  };
}
