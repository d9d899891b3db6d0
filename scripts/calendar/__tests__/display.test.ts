import { BusinessCalendar, CalendarError, formatDuration, formatInstant, formatLocalDate, type CalendarDefinition } from '..';

/** Monday–Friday `start`–`end` in New York, with Friday overridden when given. */
function office(start: string, end: string, friday?: [string, string] | null): CalendarDefinition {
  const def: Record<string, unknown> = { Name: 'Office', TimeZoneSidKey: 'America/New_York', holidays: [] };
  for (const d of ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday']) {
    def[`${d}StartTime`] = start;
    def[`${d}EndTime`] = end;
  }
  for (const d of ['Saturday', 'Sunday']) def[`${d}StartTime`] = def[`${d}EndTime`] = null;
  if (friday !== undefined) {
    def.FridayStartTime = friday?.[0] ?? null;
    def.FridayEndTime = friday?.[1] ?? null;
  }
  return def as unknown as CalendarDefinition;
}

describe('business time for people: formatDuration', () => {
  const DAY = 480; // 09:00–17:00

  it.each([
    [0, '0 min'],
    [0.3, '< 1 min'],
    [0.6, '1 min'],
    [25.34, '25 min'],
    [85, '1 h 25 min'],
    [60, '1 h'],
    [479.6, '1 d'],
    [4 * DAY + 120, '4 d 2 h'],
    // with days shown, the hours are rounded and the minutes dropped
    [4 * DAY + 150, '4 d 3 h'],
    [2 * DAY + 7 * 60 + 40, '3 d'],
    [6213, '13 d'],
    [6000, '12 d 4 h']
  ])('%d business minutes on an 8-hour day read "%s"', (minutes, text) => {
    expect(formatDuration(minutes, DAY)).toBe(text);
  });

  it('keeps every unit down to the minute for a countdown', () => {
    expect(formatDuration(2 * DAY + 210, DAY, { precision: 'minute' })).toBe('2 d 3 h 30 min');
    expect(formatDuration(45 * 60 + 15, DAY, { precision: 'minute' })).toBe('5 d 5 h 15 min');
    expect(formatDuration(45 * 60, DAY, { precision: 'minute' })).toBe('5 d 5 h');
  });

  it('counts calendar days with a 24-hour day, hours only with 0, and writes a minus sign', () => {
    expect(formatDuration(0.05 * 1440, 1440)).toBe('1 h 12 min');
    expect(formatDuration(2.03 * 1440, 1440)).toBe('2 d 1 h');
    expect(formatDuration(45 * 60 + 15, 0)).toBe('45 h 15 min');
    expect(formatDuration(-90, DAY)).toBe('-1 h 30 min');
  });

  it('refuses what is not time', () => {
    expect(() => formatDuration(Number.NaN, DAY)).toThrow(CalendarError);
    expect(() => formatDuration(10, -1)).toThrow(/dayMinutes/);
  });
});

describe('BusinessCalendar.dayMinutes: how long the calendar’s business day is', () => {
  it('is the open time of most weekdays, the longer one on a tie, 24 h for a round-the-clock calendar', () => {
    expect(new BusinessCalendar(office('09:00:00.000Z', '17:00:00.000Z')).dayMinutes).toBe(480);
    expect(new BusinessCalendar(office('09:00:00.000Z', '17:30:00.000Z', ['09:00:00.000Z', '13:00:00.000Z'])).dayMinutes).toBe(510);
    expect(new BusinessCalendar(office('00:00:00.000Z', '00:00:00.000Z')).dayMinutes).toBe(1440);
  });

  it('writes a timer’s business time in the days of its own calendar', () => {
    const short = new BusinessCalendar(office('10:00:00.000Z', '16:00:00.000Z'));
    expect(formatDuration(2 * 360 + 60, short.dayMinutes)).toBe('2 d 1 h');
  });
});

describe('instants and dates for people', () => {
  it('reads an instant on the wall clock of the reader’s time zone', () => {
    expect(formatInstant('2026-12-06T17:45:32.553Z', 'America/New_York')).toBe('Dec 6, 2026, 12:45 PM EST');
    expect(formatInstant(Date.parse('2026-07-01T08:00:00Z'), 'Europe/Berlin')).toBe('Jul 1, 2026, 10:00 AM GMT+2');
  });

  it('writes a date (no time zone) as the date it is', () => {
    expect(formatLocalDate('2026-12-01')).toBe('Dec 1, 2026');
    expect(() => formatLocalDate('12/01/2026')).toThrow(CalendarError);
  });
});
