import { BusinessCalendar, CalendarError, localDate, startOfLocalDate, wallClock } from 'c/businessCalendar';

// The emitted service module, as components import it: one add and one diff on a New York calendar.
const officeHours = {
  Name: 'New York office',
  TimeZoneSidKey: 'America/New_York',
  MondayStartTime: '09:00:00.000Z',
  MondayEndTime: '17:00:00.000Z',
  TuesdayStartTime: '09:00:00.000Z',
  TuesdayEndTime: '17:00:00.000Z',
  WednesdayStartTime: '09:00:00.000Z',
  WednesdayEndTime: '17:00:00.000Z',
  ThursdayStartTime: '09:00:00.000Z',
  ThursdayEndTime: '17:00:00.000Z',
  FridayStartTime: '09:00:00.000Z',
  FridayEndTime: '17:00:00.000Z',
  SaturdayStartTime: null,
  SaturdayEndTime: null,
  SundayStartTime: null,
  SundayEndTime: null,
  holidays: [{ Name: 'Labor Day', ActivityDate: '2026-09-07', IsAllDay: true }]
};

describe('c/businessCalendar', () => {
  it('adds and counts business minutes the way the CLI and the sync do', () => {
    const calendar = new BusinessCalendar(officeHours);
    // Friday 16:30 + 60 business minutes, over the Labor Day weekend = Tuesday 09:30 EDT
    expect(calendar.add(new Date('2026-09-04T16:30:00-04:00'), 60).toISOString()).toBe('2026-09-08T13:30:00.000Z');
    expect(calendar.diff(new Date('2026-09-04T16:30:00-04:00'), new Date('2026-09-08T09:30:00-04:00'))).toBe(60);
  });

  it('rejects a calendar without a time zone with a CalendarError', () => {
    expect(() => new BusinessCalendar({ ...officeHours, TimeZoneSidKey: 'Nowhere/Special' })).toThrow(CalendarError);
  });

  it('tells the local date and time in a time zone, as the CLI and the reports do', () => {
    expect(localDate(new Date('2027-01-01T03:00:00Z'), 'America/New_York')).toBe('2026-12-31');
    expect(wallClock(new Date('2026-03-08T07:00:00Z'), 'America/New_York')).toEqual({
      year: 2026,
      month: 3,
      day: 8,
      hour: 3,
      minute: 0,
      second: 0,
      weekday: 0
    });
    expect(new Date(startOfLocalDate('2018-11-04', 'America/Sao_Paulo')).toISOString()).toBe('2018-11-04T03:00:00.000Z');
  });
});
