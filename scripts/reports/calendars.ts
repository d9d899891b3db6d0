import type { Connection } from 'jsforce';
import { BusinessCalendar, CalendarError } from '../calendar';
import { BusinessHoursNotFoundError, readCalendarDefinition } from '../org/businessHours';
import { OrgData } from '../org/data';
import { readSetup, SETUP_READS } from '../sla/syncSetup';
import type { GroupOut } from './engine';

/**
 * The business calendars the reports' business time was counted on, so it can be written in business days
 * of the right calendar ("4 d 2 h" where a day is 8 business hours) and the scorecard can pace a period by
 * its business days. Which policy uses which BusinessHours is the SLA sync's rule (scripts/sla/syncSetup.ts,
 * read here, not repeated): each clock's active policy; the Lead funnel minutes on the Accept policy's calendar.
 */
export interface ReportCalendar {
  /** BusinessHours.Name */
  name: string;
  calendar: BusinessCalendar;
}

export interface ReportCalendars {
  /** The funnel's calendar (the Accept policy's, else another Lead policy's), else the org's default BusinessHours; null when neither can be read. */
  main: ReportCalendar | null;
  /** Clock__c value → the calendar of that clock's active policy. */
  byClock: ReadonlyMap<string, ReportCalendar>;
}

/** How long a connection's calendars are reused (the reports server answers many requests; admins change hours rarely). */
const TTL_MS = 60_000;
const CACHE = new WeakMap<Connection, { at: number; value: Promise<ReportCalendars> }>();

export function reportCalendars(conn: Connection, now: number = Date.now()): Promise<ReportCalendars> {
  const hit = CACHE.get(conn);
  if (hit && now - hit.at < TTL_MS) return hit.value;
  const value = readCalendars(conn);
  CACHE.set(conn, { at: now, value });
  value.catch(() => CACHE.delete(conn));
  return value;
}

async function readCalendars(conn: Connection): Promise<ReportCalendars> {
  const byClock = new Map<string, ReportCalendar>();
  let main: ReportCalendar | null = null;
  try {
    const data = new OrgData(conn);
    await data.prefetch(SETUP_READS); // one composite request for the policies, statuses, stages, hours and holidays
    const setup = await readSetup(data);
    for (const policy of [...setup.policies.Lead, ...setup.policies.Opportunity]) {
      const cal = setup.calendarOf.get(policy.developerName);
      if (cal) byClock.set(policy.clock, { name: cal.name, calendar: cal.calendar });
    }
    const funnel = setup.funnel?.calendar;
    if (funnel)
      main = [...byClock.values()].find((c) => c.calendar === funnel) ?? { name: funnel.name ?? 'business hours', calendar: funnel };
  } catch (e) {
    // a policy the sync would refuse still leaves the org's default business hours to read the figures with
    if (!(e instanceof Error)) throw e;
  }
  if (!main) {
    try {
      const definition = await readCalendarDefinition(conn);
      main = { name: String(definition.Name ?? 'Default'), calendar: new BusinessCalendar(definition) };
    } catch (e) {
      if (!(e instanceof BusinessHoursNotFoundError) && !(e instanceof CalendarError)) throw e;
    }
  }
  return { main, byClock };
}

/** How long a business day is on the calendar a report's business minutes were counted on. */
export interface BusinessDayInfo {
  minutes: number;
  /** BusinessHours.Name */
  calendar: string;
}

/**
 * The business day(s) a report's business minutes are written in: each clock's policy calendar for a report
 * by clock (`perClock`: its level-1 groups are clocks), the single clock a report filters on, else the main
 * calendar. None when the report shows no business minutes.
 */
export async function businessDays(
  conn: Connection,
  report: { businessMinutes: boolean; clockFilter?: string; perClock: boolean; groups: GroupOut[] }
): Promise<{ businessDay: BusinessDayInfo | null; businessDayByClock?: Record<string, BusinessDayInfo> }> {
  if (!report.businessMinutes) return { businessDay: null };
  const calendars = await reportCalendars(conn);
  const info = (c: ReportCalendar | null | undefined): BusinessDayInfo | null =>
    c ? { minutes: c.calendar.dayMinutes, calendar: c.name } : null;
  const businessDay = info((report.clockFilter && calendars.byClock.get(report.clockFilter)) || calendars.main);
  if (!report.perClock) return { businessDay };
  const byClock: Record<string, BusinessDayInfo> = {};
  for (const g of report.groups) {
    const key = g.level === 1 ? g.path[0] : null;
    const day = key ? info(calendars.byClock.get(key)) : null;
    if (key && day) byClock[key] = day;
  }
  return { businessDay, businessDayByClock: byClock };
}
