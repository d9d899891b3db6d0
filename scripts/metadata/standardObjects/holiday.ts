import { f, str, req, pick, bool, system } from './fields';
import type { StandardObjectDef } from './describe';

export const HOLIDAY: StandardObjectDef = {
  name: 'Holiday',
  label: 'Holiday',
  labelPlural: 'Holidays',
  keyPrefix: '0C0',
  createable: true,
  updateable: true,
  deletable: true,
  fields: [
    ...system(),
    str('Name', 'Holiday Name', 80, { ...req, nameField: true }),
    str('Description', 'Description', 100),
    bool('IsAllDay', 'All Day'),
    f('ActivityDate', 'Holiday Date', 'date'),
    f('StartTimeInMinutes', 'Start Time In Minutes', 'int', { precision: 9, scale: 0 }),
    f('EndTimeInMinutes', 'End Time In Minutes', 'int', { precision: 9, scale: 0 }),
    bool('IsRecurrence', 'Recurring Holiday'),
    pick('RecurrenceType', 'Recurrence Type', [
      'RecursDaily',
      'RecursEveryWeekday',
      'RecursMonthly',
      'RecursMonthlyNth',
      'RecursWeekly',
      'RecursYearly',
      'RecursYearlyNth'
    ]),
    f('RecurrenceInterval', 'Recurrence Interval', 'int', { precision: 9, scale: 0 }),
    f('RecurrenceDayOfWeekMask', 'Recurrence Day of Week Mask', 'int', { precision: 9, scale: 0 }),
    f('RecurrenceDayOfMonth', 'Recurrence Day of Month', 'int', { precision: 9, scale: 0 }),
    pick('RecurrenceInstance', 'Recurrence Instance', ['First', 'Second', 'Third', 'Fourth', 'Last']),
    pick('RecurrenceMonthOfYear', 'Recurrence Month of Year', [
      'January',
      'February',
      'March',
      'April',
      'May',
      'June',
      'July',
      'August',
      'September',
      'October',
      'November',
      'December'
    ]),
    f('RecurrenceStartDate', 'Recurrence Start', 'date'),
    f('RecurrenceEndDateOnly', 'Recurrence End', 'date')
  ]
};
