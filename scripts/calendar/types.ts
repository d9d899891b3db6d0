/**
 * The calendar's input shapes: exactly the BusinessHours and Holiday records the REST API returns
 * (extra fields such as `attributes` are ignored), so a calendar can be fed straight from a SOQL query
 * or from the JSON the sync keeps in SLA_Calendar__c.Definition__c.
 */

/**
 * A standard BusinessHours record. Times are wall-clock times of day in TimeZoneSidKey, written as the
 * API writes them (`"09:00:00.000Z"`; the `Z` does not mean UTC). Both null = closed that day; both
 * `"00:00:00.000Z"` = open 24 hours; an end of `"00:00:00.000Z"` after a later start = open until midnight.
 */
export interface BusinessHoursRecord {
  Id?: string;
  Name?: string;
  IsDefault?: boolean;
  IsActive?: boolean;
  TimeZoneSidKey: string;
  MondayStartTime: string | null;
  MondayEndTime: string | null;
  TuesdayStartTime: string | null;
  TuesdayEndTime: string | null;
  WednesdayStartTime: string | null;
  WednesdayEndTime: string | null;
  ThursdayStartTime: string | null;
  ThursdayEndTime: string | null;
  FridayStartTime: string | null;
  FridayEndTime: string | null;
  SaturdayStartTime: string | null;
  SaturdayEndTime: string | null;
  SundayStartTime: string | null;
  SundayEndTime: string | null;
}

/**
 * A standard Holiday record. Holidays are local dates in the calendar's time zone (a holiday takes the
 * time zone of the business hours it belongs to). One-off: ActivityDate. Recurring (IsRecurrence):
 * RecurrenceType and the fields that type needs, bounded by RecurrenceStartDate / RecurrenceEndDateOnly
 * when present. All day unless IsAllDay is false and StartTimeInMinutes/EndTimeInMinutes are given.
 */
export interface HolidayRecord {
  Id?: string;
  Name?: string;
  /** `YYYY-MM-DD` (a timestamp such as `2026-12-25T00:00:00.000Z` is read as its date part). */
  ActivityDate: string | null;
  IsAllDay?: boolean;
  /** Minutes from local midnight; used only when IsAllDay is false. */
  StartTimeInMinutes?: number | null;
  EndTimeInMinutes?: number | null;
  IsRecurrence?: boolean;
  /** RecursYearly, RecursYearlyNth, RecursMonthly, RecursMonthlyNth, RecursWeekly, RecursDaily, RecursEveryWeekday. */
  RecurrenceType?: string | null;
  /** Every N days/weeks/months (RecursDaily, RecursWeekly, RecursMonthly, RecursMonthlyNth); default 1. */
  RecurrenceInterval?: number | null;
  /** January … December. */
  RecurrenceMonthOfYear?: string | null;
  RecurrenceDayOfMonth?: number | null;
  /** Sunday = 1, Monday = 2, Tuesday = 4, Wednesday = 8, Thursday = 16, Friday = 32, Saturday = 64. */
  RecurrenceDayOfWeekMask?: number | null;
  /** First, Second, Third, Fourth, Last (the …Nth types). */
  RecurrenceInstance?: string | null;
  RecurrenceStartDate?: string | null;
  RecurrenceEndDateOnly?: string | null;
}

/** A calendar: a BusinessHours record plus the holidays that apply to it (= SLA_Calendar__c.Definition__c JSON). */
export interface CalendarDefinition extends BusinessHoursRecord {
  holidays: HolidayRecord[];
}

/** Thrown for every calendar problem; the message names the field or argument at fault. */
export class CalendarError extends Error {
  override readonly name: string = 'CalendarError';
  constructor(
    message: string,
    /** The field or argument at fault, e.g. `MondayEndTime`, `holidays[2].ActivityDate`, `minutes`. */
    readonly field?: string
  ) {
    super(message);
  }
}
