import { BusinessCalendar, CalendarError, type CalendarDefinition, type HolidayRecord } from '..';

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;

const OPEN_24H = '00:00:00.000Z';

/** Monday–Friday 09:00–17:00 in `zone`, weekends closed, plus any overrides. */
function weekdays(zone: string, overrides: Partial<CalendarDefinition> = {}): CalendarDefinition {
  const day = (start: string | null, end: string | null) => [start, end] as const;
  const [s, e] = day('09:00:00.000Z', '17:00:00.000Z');
  return {
    Name: 'Office hours',
    TimeZoneSidKey: zone,
    MondayStartTime: s,
    MondayEndTime: e,
    TuesdayStartTime: s,
    TuesdayEndTime: e,
    WednesdayStartTime: s,
    WednesdayEndTime: e,
    ThursdayStartTime: s,
    ThursdayEndTime: e,
    FridayStartTime: s,
    FridayEndTime: e,
    SaturdayStartTime: null,
    SaturdayEndTime: null,
    SundayStartTime: null,
    SundayEndTime: null,
    holidays: [],
    ...overrides
  };
}

function allWeek(zone: string, start: string, end: string, holidays: HolidayRecord[] = []): CalendarDefinition {
  const def = weekdays(zone, { holidays }) as unknown as Record<string, unknown>;
  for (const d of ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday']) {
    def[`${d}StartTime`] = start;
    def[`${d}EndTime`] = end;
  }
  return def as unknown as CalendarDefinition;
}

const at = (iso: string) => new Date(iso);
const iso = (d: Date) => d.toISOString();

describe('BusinessCalendar: named cases', () => {
  const ny = new BusinessCalendar(weekdays('America/New_York'));

  it('Friday 16:30 New York + 60 minutes = Monday 09:30', () => {
    expect(iso(ny.add(at('2026-01-09T16:30:00-05:00'), 60))).toBe('2026-01-12T14:30:00.000Z');
    // the same over the March DST weekend: Monday 09:30 is now EDT
    expect(iso(ny.add(at('2026-03-06T16:30:00-05:00'), 60))).toBe('2026-03-09T13:30:00.000Z');
  });

  it('stops at the closing time when the minutes run out there (16:00 + 60 with a 17:00 close = 17:00 the same day)', () => {
    expect(iso(ny.add(at('2026-01-08T16:00:00-05:00'), 60))).toBe('2026-01-08T22:00:00.000Z');
    expect(iso(ny.add(at('2026-01-08T16:00:00-05:00'), 61))).toBe('2026-01-09T14:01:00.000Z');
  });

  it('counts from the next opening when the start is outside business hours', () => {
    expect(iso(ny.add(at('2026-01-08T20:00:00-05:00'), 30))).toBe('2026-01-09T14:30:00.000Z');
    expect(iso(ny.add(at('2026-01-10T12:00:00-05:00'), 30))).toBe('2026-01-12T14:30:00.000Z'); // Saturday
    expect(ny.diff(at('2026-01-08T20:00:00-05:00'), at('2026-01-09T10:00:00-05:00'))).toBe(60);
  });

  it('adding 0 minutes returns the start when open and the next opening when closed', () => {
    expect(iso(ny.add(at('2026-01-08T10:15:00-05:00'), 0))).toBe('2026-01-08T15:15:00.000Z');
    expect(iso(ny.add(at('2026-01-08T17:00:00-05:00'), 0))).toBe('2026-01-09T14:00:00.000Z'); // 17:00 is closed
    expect(iso(ny.add(at('2026-01-10T12:00:00-05:00'), 0))).toBe('2026-01-12T14:00:00.000Z');
    expect(iso(ny.nextOpen(at('2026-01-10T12:00:00-05:00')))).toBe('2026-01-12T14:00:00.000Z');
  });

  it('diff counts open time in [from, to), fractions of a minute included', () => {
    expect(ny.diff(at('2026-01-09T16:30:00-05:00'), at('2026-01-12T09:30:00-05:00'))).toBe(60);
    expect(ny.diff(at('2026-01-12T09:00:00-05:00'), at('2026-01-17T00:00:00-05:00'))).toBe(5 * 8 * 60);
    expect(ny.diff(at('2026-01-12T09:00:00-05:00'), at('2026-01-12T09:00:30-05:00'))).toBe(0.5);
    expect(ny.diff(at('2026-01-12T12:00:00-05:00'), at('2026-01-12T12:00:00-05:00'))).toBe(0);
    expect(iso(ny.add(at('2026-01-12T09:00:00-05:00'), 1.5))).toBe('2026-01-12T14:01:30.000Z');
  });

  it('isOpen includes the opening and excludes the closing time', () => {
    expect(ny.isOpen(at('2026-01-12T09:00:00-05:00'))).toBe(true);
    expect(ny.isOpen(at('2026-01-12T16:59:59.999-05:00'))).toBe(true);
    expect(ny.isOpen(at('2026-01-12T17:00:00-05:00'))).toBe(false);
    expect(ny.isOpen(at('2026-01-11T12:00:00-05:00'))).toBe(false);
  });

  describe('US daylight-saving weekends of 2026 (wall-clock schedule)', () => {
    const night = new BusinessCalendar(allWeek('America/New_York', '00:00:00.000Z', '04:00:00.000Z'));
    const always = new BusinessCalendar(allWeek('America/New_York', OPEN_24H, OPEN_24H));

    it('8 March: 00:00–04:00 holds 3 real hours, the 24 h day 23', () => {
      expect(night.diff(at('2026-03-08T00:00:00-05:00'), at('2026-03-08T12:00:00-04:00'))).toBe(180);
      expect(always.diff(at('2026-03-08T00:00:00-05:00'), at('2026-03-09T00:00:00-04:00'))).toBe(23 * 60);
      // 01:30 EST + 30 minutes: 02:00 does not exist, the clock reads 03:00 EDT
      expect(iso(night.add(at('2026-03-08T01:30:00-05:00'), 30))).toBe('2026-03-08T07:00:00.000Z');
      expect(iso(night.add(at('2026-03-08T01:30:00-05:00'), 31))).toBe('2026-03-08T07:01:00.000Z');
    });

    it('1 November: 00:00–04:00 holds 5 real hours, the 24 h day 25', () => {
      expect(night.diff(at('2026-11-01T00:00:00-04:00'), at('2026-11-01T12:00:00-05:00'))).toBe(300);
      expect(always.diff(at('2026-11-01T00:00:00-04:00'), at('2026-11-02T00:00:00-05:00'))).toBe(25 * 60);
      // 01:30 EDT + 60 minutes = 01:30 EST, the second time the clock shows 01:30
      expect(iso(night.add(at('2026-11-01T01:30:00-04:00'), 60))).toBe('2026-11-01T06:30:00.000Z');
    });

    it('office hours on a DST weekend still count 8 hours a day', () => {
      expect(ny.diff(at('2026-03-06T09:00:00-05:00'), at('2026-03-10T09:00:00-04:00'))).toBe(16 * 60);
      expect(ny.diff(at('2026-10-30T09:00:00-04:00'), at('2026-11-03T09:00:00-05:00'))).toBe(16 * 60);
      expect(iso(ny.add(at('2026-10-30T16:30:00-04:00'), 60))).toBe('2026-11-02T14:30:00.000Z'); // Monday 09:30 EST
    });
  });

  it('a one-off holiday Monday is skipped', () => {
    const laborDay: HolidayRecord = { Name: 'Labor Day 2026', ActivityDate: '2026-09-07', IsAllDay: true };
    const cal = new BusinessCalendar(weekdays('America/New_York', { holidays: [laborDay] }));
    expect(iso(cal.add(at('2026-09-04T16:30:00-04:00'), 60))).toBe('2026-09-08T13:30:00.000Z'); // Tuesday 09:30
    expect(cal.diff(at('2026-09-04T09:00:00-04:00'), at('2026-09-09T09:00:00-04:00'))).toBe(2 * 8 * 60);
    expect(cal.isOpen(at('2026-09-07T12:00:00-04:00'))).toBe(false);
  });

  it('recurring holidays: every year on a date, and the n-th weekday of a month, within their recurrence dates', () => {
    const christmas: HolidayRecord = {
      Name: 'Christmas',
      ActivityDate: null,
      IsAllDay: true,
      IsRecurrence: true,
      RecurrenceType: 'RecursYearly',
      RecurrenceMonthOfYear: 'December',
      RecurrenceDayOfMonth: 25,
      RecurrenceStartDate: '2020-01-01',
      RecurrenceEndDateOnly: '2027-12-31'
    };
    const thanksgiving: HolidayRecord = {
      Name: 'Thanksgiving',
      ActivityDate: null,
      IsRecurrence: true,
      RecurrenceType: 'RecursYearlyNth',
      RecurrenceMonthOfYear: 'November',
      RecurrenceDayOfWeekMask: 16, // Thursday
      RecurrenceInstance: 'Fourth'
    };
    const cal = new BusinessCalendar(weekdays('America/New_York', { holidays: [christmas, thanksgiving] }));
    expect(cal.isOpen(at('2026-12-25T12:00:00-05:00'))).toBe(false); // Friday
    expect(cal.isOpen(at('2028-12-25T12:00:00-05:00'))).toBe(true); // after RecurrenceEndDateOnly
    expect(cal.isOpen(at('2019-12-25T12:00:00-05:00'))).toBe(true); // before RecurrenceStartDate
    expect(cal.isOpen(at('2026-11-26T12:00:00-05:00'))).toBe(false);
    expect(cal.isOpen(at('2027-11-25T12:00:00-05:00'))).toBe(false);
    expect(cal.isOpen(at('2026-11-19T12:00:00-05:00'))).toBe(true);
    expect(iso(cal.add(at('2026-12-24T16:00:00-05:00'), 120))).toBe('2026-12-28T15:00:00.000Z');
  });

  it('the other Salesforce recurrence types: monthly, monthly n-th, weekly, daily and every weekday, with intervals', () => {
    const closedOn = (h: Omit<HolidayRecord, 'ActivityDate'>, days: string[]) => {
      const cal = new BusinessCalendar(
        allWeek('UTC', '09:00:00.000Z', '17:00:00.000Z', [{ ActivityDate: null, IsRecurrence: true, ...h }])
      );
      return days.filter((d) => !cal.isOpen(at(`${d}T12:00:00Z`)));
    };
    const june = Array.from({ length: 30 }, (_, i) => `2026-06-${String(i + 1).padStart(2, '0')}`);
    // the 31st of every month: months without one are skipped
    expect(closedOn({ RecurrenceType: 'RecursMonthly', RecurrenceDayOfMonth: 31 }, ['2026-05-31', '2026-06-30', '2026-07-31'])).toEqual([
      '2026-05-31',
      '2026-07-31'
    ]);
    // every other month on the 15th, counted from the start date
    expect(
      closedOn({ RecurrenceType: 'RecursMonthly', RecurrenceDayOfMonth: 15, RecurrenceInterval: 2, RecurrenceStartDate: '2026-01-01' }, [
        '2026-01-15',
        '2026-02-15',
        '2026-03-15'
      ])
    ).toEqual(['2026-01-15', '2026-03-15']);
    // the last Friday of each month
    expect(closedOn({ RecurrenceType: 'RecursMonthlyNth', RecurrenceDayOfWeekMask: 32, RecurrenceInstance: 'Last' }, june)).toEqual([
      '2026-06-26'
    ]);
    // Mondays and Wednesdays of every second week from Monday 1 June
    expect(
      closedOn(
        { RecurrenceType: 'RecursWeekly', RecurrenceDayOfWeekMask: 2 | 8, RecurrenceInterval: 2, RecurrenceStartDate: '2026-06-01' },
        june
      )
    ).toEqual(['2026-06-01', '2026-06-03', '2026-06-15', '2026-06-17', '2026-06-29']);
    // every third day from 10 June to 20 June
    expect(
      closedOn(
        { RecurrenceType: 'RecursDaily', RecurrenceInterval: 3, RecurrenceStartDate: '2026-06-10', RecurrenceEndDateOnly: '2026-06-20' },
        june
      )
    ).toEqual(['2026-06-10', '2026-06-13', '2026-06-16', '2026-06-19']);
    expect(closedOn({ RecurrenceType: 'RecursEveryWeekday', RecurrenceStartDate: '2026-06-25' }, june)).toEqual([
      '2026-06-25',
      '2026-06-26',
      '2026-06-29',
      '2026-06-30'
    ]);
  });

  it('a partial-day holiday closes only its window (Christmas Eve from noon)', () => {
    const eve: HolidayRecord = {
      Name: 'Christmas Eve',
      ActivityDate: '2026-12-24',
      IsAllDay: false,
      StartTimeInMinutes: 720,
      EndTimeInMinutes: 1440
    };
    const cal = new BusinessCalendar(weekdays('Europe/London', { holidays: [eve] }));
    expect(cal.diff(at('2026-12-24T00:00:00Z'), at('2026-12-25T00:00:00Z'))).toBe(180);
    expect(iso(cal.add(at('2026-12-24T11:00:00Z'), 90))).toBe('2026-12-25T09:30:00.000Z');
  });

  it('a 24-hour calendar counts real time, across DST changes too', () => {
    const cal = new BusinessCalendar(allWeek('Europe/Berlin', OPEN_24H, OPEN_24H));
    const start = at('2026-03-28T12:00:00Z');
    expect(cal.add(start, 1440).getTime()).toBe(start.getTime() + DAY);
    expect(cal.diff(start, at('2026-04-04T12:00:00Z'))).toBe(7 * 1440);
    expect(cal.weeklyMinutes).toBe(7 * 1440);
  });

  it('clocks changing at local midnight (São Paulo 2018/19): the days are 23 and 25 hours long', () => {
    const cal = new BusinessCalendar(allWeek('America/Sao_Paulo', OPEN_24H, OPEN_24H));
    const weekend = new BusinessCalendar({ ...weekdays('America/Sao_Paulo'), SaturdayStartTime: OPEN_24H, SaturdayEndTime: OPEN_24H });
    // 4 Nov 2018 00:00 -03 became 01:00 -02; 17 Feb 2019 00:00 -02 became 16 Feb 23:00 -03
    expect(cal.diff(at('2018-11-04T00:00:00-03:00'), at('2018-11-05T00:00:00-02:00'))).toBe(23 * 60);
    expect(weekend.diff(at('2019-02-16T00:00:00-02:00'), at('2019-02-17T00:00:00-03:00'))).toBe(25 * 60);
    expect(iso(weekend.add(at('2019-02-15T16:30:00-02:00'), 60 + 25 * 60))).toBe('2019-02-18T12:30:00.000Z');
  });

  it('half-hour zones and the far side of the date line', () => {
    const kolkata = new BusinessCalendar(weekdays('Asia/Kolkata'));
    expect(iso(kolkata.add(at('2026-01-09T16:30:00+05:30'), 60))).toBe('2026-01-12T04:00:00.000Z');
    const auckland = new BusinessCalendar(weekdays('Pacific/Auckland'));
    // NZ DST starts Sunday 27 September 2026; Friday 16:30 NZST + 60 = Monday 09:30 NZDT
    expect(iso(auckland.add(at('2026-09-25T16:30:00+12:00'), 60))).toBe('2026-09-27T20:30:00.000Z');
  });

  it('handles very long spans: 1,000,000 minutes is 2,083 business days and 160 minutes', () => {
    const utc = new BusinessCalendar(weekdays('UTC'));
    const start = at('2026-01-05T09:00:00Z'); // a Monday
    const due = utc.add(start, 1_000_000);
    // 2,083 business days = 416 weeks + 3 days → a Thursday, then 160 minutes into it
    expect(due.getTime()).toBe(start.getTime() + 416 * 7 * DAY + 3 * DAY + 160 * MIN);
    expect(due.getUTCDay()).toBe(4);
    expect(utc.diff(start, due)).toBe(1_000_000);
    let weekdaysIn100Years = 0;
    for (let t = Date.UTC(2026, 0, 1); t < Date.UTC(2126, 0, 1); t += DAY) if (new Date(t).getUTCDay() % 6 !== 0) weekdaysIn100Years++;
    expect(utc.diff(at('2026-01-01T00:00:00Z'), at('2126-01-01T00:00:00Z'))).toBe(weekdaysIn100Years * 8 * 60);
  });

  it('accepts records straight from the REST API (attributes, IsActive, Id) and numbers as instants', () => {
    const rec = { attributes: { type: 'BusinessHours' }, Id: '01m000000000001AAA', IsActive: true, ...weekdays('America/Chicago') };
    const cal = new BusinessCalendar(rec);
    expect(cal.id).toBe('01m000000000001AAA');
    expect(cal.timeZone).toBe('America/Chicago');
    expect(cal.addMillis(Date.parse('2026-01-12T09:00:00-06:00'), HOUR)).toBe(Date.parse('2026-01-12T10:00:00-06:00'));
    expect(cal.diffMillis(Date.parse('2026-01-12T09:00:00-06:00'), Date.parse('2026-01-12T10:00:00-06:00'))).toBe(HOUR);
  });
});

describe('BusinessCalendar: bad input is rejected with the field named', () => {
  const expectError = (f: () => unknown, field: string, message: RegExp) => {
    let error: unknown;
    try {
      f();
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(CalendarError);
    expect((error as CalendarError).field).toBe(field);
    expect((error as CalendarError).message).toMatch(message);
  };
  const cal = new BusinessCalendar(weekdays('America/New_York'));

  it('a calendar with no open time at all', () => {
    const closed = weekdays('UTC') as unknown as Record<string, unknown>;
    for (const d of ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday']) closed[`${d}StartTime`] = closed[`${d}EndTime`] = null;
    expectError(() => new BusinessCalendar(closed as unknown as CalendarDefinition), 'MondayStartTime', /no open time/);
  });

  it('holidays that close every open day', () => {
    const everyDay: HolidayRecord = { Name: 'Forever', ActivityDate: null, IsRecurrence: true, RecurrenceType: 'RecursDaily' };
    const c = new BusinessCalendar(weekdays('UTC', { holidays: [everyDay] }));
    expectError(() => c.nextOpen(at('3990-01-01T00:00:00Z')), 'holidays', /no open time .* holidays close every open day/);
  });

  it('an unknown or missing time zone', () => {
    expectError(() => new BusinessCalendar(weekdays('Mars/Olympus_Mons')), 'TimeZoneSidKey', /unknown time zone "Mars\/Olympus_Mons"/);
    expectError(() => new BusinessCalendar(weekdays('')), 'TimeZoneSidKey', /TimeZoneSidKey is required/);
  });

  it('malformed and inconsistent times', () => {
    expectError(
      () => new BusinessCalendar(weekdays('UTC', { TuesdayStartTime: '9am' })),
      'TuesdayStartTime',
      /time of day like "09:00:00.000Z", got "9am"/
    );
    expectError(() => new BusinessCalendar(weekdays('UTC', { FridayEndTime: '24:30:00.000Z' })), 'FridayEndTime', /got "24:30:00.000Z"/);
    expectError(
      () => new BusinessCalendar(weekdays('UTC', { MondayEndTime: '08:00:00.000Z' })),
      'MondayEndTime',
      /must be after MondayStartTime/
    );
    expectError(
      () => new BusinessCalendar(weekdays('UTC', { SundayStartTime: '10:00:00.000Z' })),
      'SundayEndTime',
      /give both .* or neither/
    );
  });

  it('malformed holidays', () => {
    const bad = (h: Partial<HolidayRecord>) => () =>
      new BusinessCalendar(weekdays('UTC', { holidays: [{ ActivityDate: '2026-01-01' }, { Name: 'X', ActivityDate: null, ...h }] }));
    expectError(bad({ ActivityDate: '12/25/2026' }), 'holidays[1].ActivityDate', /\("X"\): must be a date like "2026-12-25"/);
    expectError(bad({}), 'holidays[1].ActivityDate', /is required/);
    expectError(
      bad({ IsRecurrence: true, RecurrenceType: 'RecursYearly', RecurrenceMonthOfYear: 'Janvier', RecurrenceDayOfMonth: 1 }),
      'holidays[1].RecurrenceMonthOfYear',
      /must be one of January, .*got "Janvier"/
    );
    expectError(
      bad({ IsRecurrence: true, RecurrenceType: 'RecursYearly', RecurrenceMonthOfYear: 'February', RecurrenceDayOfMonth: 30 }),
      'holidays[1].RecurrenceDayOfMonth',
      /February has no day 30/
    );
    expectError(
      bad({ IsRecurrence: true, RecurrenceType: 'RecursFortnightly' }),
      'holidays[1].RecurrenceType',
      /must be one of RecursYearly/
    );
  });

  it('an end before its start, negative minutes, invalid and out-of-range instants', () => {
    expectError(
      () => cal.diff(at('2026-01-02T00:00:00Z'), at('2026-01-01T00:00:00Z')),
      'to',
      /to \(2026-01-01T00:00:00.000Z\) is before from/
    );
    expectError(() => cal.add(at('2026-01-02T00:00:00Z'), -5), 'minutes', /at least 0, got -5/);
    expectError(() => cal.add(at('2026-01-02T00:00:00Z'), Number.NaN), 'minutes', /got NaN/);
    expectError(() => cal.add(new Date('not a date'), 5), 'start', /start is not a valid date/);
    expectError(() => cal.isOpen(at('1600-01-01T00:00:00Z')), 'time', /outside the supported range 1700-01-01 to 4000-12-31/);
    expectError(() => cal.add(at('3999-06-01T00:00:00Z'), 10_000_000), 'minutes', /after 4000-12-31/);
  });
});
