import type { Connection } from 'jsforce';
import type { BusinessHoursRecord, CalendarDefinition, HolidayRecord } from '../calendar';
import { OrgData, soql, soqlFields } from './data';
import type { OrgRecord } from './data';

/** The BusinessHours fields the calendar reads (REST API names). */
export const BUSINESS_HOURS_FIELDS = [
  'Id',
  'Name',
  'IsActive',
  'IsDefault',
  'TimeZoneSidKey',
  ...['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'].flatMap((d) => [`${d}StartTime`, `${d}EndTime`])
];

/** The Holiday fields the calendar reads. */
export const HOLIDAY_FIELDS = [
  'Id',
  'Name',
  'ActivityDate',
  'IsAllDay',
  'StartTimeInMinutes',
  'EndTimeInMinutes',
  'IsRecurrence',
  'RecurrenceType',
  'RecurrenceInterval',
  'RecurrenceDayOfMonth',
  'RecurrenceDayOfWeekMask',
  'RecurrenceInstance',
  'RecurrenceMonthOfYear',
  'RecurrenceStartDate',
  'RecurrenceEndDateOnly'
];

export class BusinessHoursNotFoundError extends Error {
  override readonly name = 'BusinessHoursNotFoundError';
}

/**
 * Reads one active BusinessHours record (by Name, or the org default when no name is given) and the
 * org's Holiday records, as a calendar definition for `new BusinessCalendar(...)`.
 *
 * The API does not say which business hours a holiday is attached to (that link exists only in Setup),
 * so every Holiday in the org applies.
 */
export async function readCalendarDefinition(conn: Connection, businessHoursName?: string): Promise<CalendarDefinition> {
  const data = new OrgData(conn);
  const where = businessHoursName === undefined ? soql`IsDefault = true` : soql`Name = ${businessHoursName} AND IsActive = true`;
  const hours = await data.all(soql`SELECT ${soqlFields(BUSINESS_HOURS_FIELDS)} FROM BusinessHours WHERE ${where} LIMIT 2`);
  if (hours.length === 0) {
    throw new BusinessHoursNotFoundError(
      businessHoursName === undefined
        ? 'the org has no default BusinessHours'
        : `no active BusinessHours named "${businessHoursName}" in the org`
    );
  }
  if (hours.length > 1) {
    throw new BusinessHoursNotFoundError(
      businessHoursName === undefined
        ? 'the org has more than one default BusinessHours'
        : `more than one active BusinessHours is named "${businessHoursName}": rename one in Setup`
    );
  }
  const holidays = await data.all(soql`SELECT ${soqlFields(HOLIDAY_FIELDS)} FROM Holiday ORDER BY Name, Id`, { max: 100_000 });
  return {
    ...(withoutAttributes(hours[0]) as unknown as BusinessHoursRecord),
    holidays: holidays.map((h) => withoutAttributes(h) as unknown as HolidayRecord)
  };
}

function withoutAttributes(record: OrgRecord): Record<string, unknown> {
  const { attributes: _attributes, ...rest } = record;
  return rest;
}
