import type { Connection } from 'jsforce';
import type { BusinessHoursRecord, CalendarDefinition, HolidayRecord } from '../calendar';

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
  const where = businessHoursName === undefined ? 'IsDefault = true' : `Name = '${soqlString(businessHoursName)}' AND IsActive = true`;
  const hours = await conn.query(`SELECT ${BUSINESS_HOURS_FIELDS.join(', ')} FROM BusinessHours WHERE ${where} LIMIT 2`);
  if (hours.records.length === 0) {
    throw new BusinessHoursNotFoundError(
      businessHoursName === undefined
        ? 'the org has no default BusinessHours'
        : `no active BusinessHours named "${businessHoursName}" in the org`
    );
  }
  if (hours.records.length > 1) {
    throw new BusinessHoursNotFoundError(
      businessHoursName === undefined
        ? 'the org has more than one default BusinessHours'
        : `more than one active BusinessHours is named "${businessHoursName}": rename one in Setup`
    );
  }
  const holidays = await conn.query(`SELECT ${HOLIDAY_FIELDS.join(', ')} FROM Holiday ORDER BY Name, Id`, {
    autoFetch: true,
    maxFetch: 100_000
  });
  return {
    ...(withoutAttributes(hours.records[0]) as unknown as BusinessHoursRecord),
    holidays: holidays.records.map((h) => withoutAttributes(h) as unknown as HolidayRecord)
  };
}

function withoutAttributes(record: { attributes?: unknown }): Record<string, unknown> {
  const { attributes: _attributes, ...rest } = record;
  return rest;
}

/** A SOQL string literal's content: backslashes and single quotes escaped. */
function soqlString(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/'/g, "\\'");
}
