import { BusinessCalendar } from '../../calendar';
import { startTestOrg, type TestOrg } from '../../localorg/testing';
import { readCalendarDefinition } from '../../org/businessHours';
import { jsonResult, runCli } from '../../testing/cli';

// `closed-loop calendar --business-hours <Name>` against the local org, reached over HTTP like a real org.

const OPEN = '09:00:00.000Z';
const CLOSE = '17:00:00.000Z';
const week = (start: string | null, end: string | null) =>
  Object.fromEntries(
    ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'].flatMap((d) => {
      const weekend = d === 'Saturday' || d === 'Sunday';
      return [
        [`${d}StartTime`, weekend ? null : start],
        [`${d}EndTime`, weekend ? null : end]
      ];
    })
  );

let org: TestOrg;

beforeAll(async () => {
  org = await startTestOrg();
  await org.conn.sobject('BusinessHours').create([
    { Name: "Fran's New York office", IsActive: true, IsDefault: false, TimeZoneSidKey: 'America/New_York', ...week(OPEN, CLOSE) },
    { Name: 'London office', IsActive: true, IsDefault: false, TimeZoneSidKey: 'Europe/London', ...week('08:30:00.000Z', '17:30:00.000Z') },
    { Name: 'Retired hours', IsActive: false, IsDefault: false, TimeZoneSidKey: 'America/New_York', ...week(OPEN, CLOSE) }
  ]);
  await org.conn.sobject('Holiday').create([
    { Name: 'Labor Day 2026', ActivityDate: '2026-09-07', IsAllDay: true, IsRecurrence: false },
    {
      Name: 'Thanksgiving',
      IsAllDay: true,
      IsRecurrence: true,
      RecurrenceType: 'RecursYearlyNth',
      RecurrenceMonthOfYear: 'November',
      RecurrenceDayOfWeekMask: 16,
      RecurrenceInstance: 'Fourth',
      RecurrenceStartDate: '2020-01-01'
    }
  ]);
});

afterAll(async () => {
  await org?.close();
});

describe('calendar from the org (BusinessHours + Holiday over the REST API)', () => {
  it('reads the BusinessHours by Name with the org holidays, as the REST API returns them', async () => {
    const def = await readCalendarDefinition(org.conn, "Fran's New York office");
    expect(def).toMatchObject({
      Name: "Fran's New York office",
      TimeZoneSidKey: 'America/New_York',
      MondayStartTime: OPEN,
      SaturdayStartTime: null
    });
    expect(def).not.toHaveProperty('attributes');
    expect(def.holidays.map((h) => h.Name)).toEqual(['Labor Day 2026', 'Thanksgiving']);
    const cal = new BusinessCalendar(def);
    expect(cal.isOpen(new Date('2026-11-26T12:00:00-05:00'))).toBe(false); // Thanksgiving 2026
    // like a real org, the local org comes with a default BusinessHours open 24 hours a day
    const byDefault = await readCalendarDefinition(org.conn);
    expect(byDefault).toMatchObject({ Name: 'Default', IsDefault: true, MondayStartTime: '00:00:00.000Z', MondayEndTime: '00:00:00.000Z' });
  });

  it('closed-loop calendar add|diff --business-hours <Name> --connection-file', async () => {
    const orgFlags = ['--business-hours', "Fran's New York office", '--connection-file', org.connectionFile, '--json'];
    const [add, diff, missing, inactive] = await Promise.all([
      runCli(['calendar', 'add', ...orgFlags, '--from', '2026-09-04T16:30:00-04:00', '--minutes', '60']),
      runCli(['calendar', 'diff', ...orgFlags, '--from', '2026-11-25T16:00:00-05:00', '--to', '2026-11-27T10:00:00-05:00']),
      runCli([
        'calendar',
        'add',
        '--business-hours',
        'Paris office',
        '--connection-file',
        org.connectionFile,
        '--from',
        '2026-09-04T16:30:00Z',
        '--minutes',
        '1'
      ]),
      runCli([
        'calendar',
        'add',
        '--business-hours',
        'Retired hours',
        '--connection-file',
        org.connectionFile,
        '--from',
        '2026-09-04T16:30:00Z',
        '--minutes',
        '1'
      ])
    ]);
    expect(add.code).toBe(0);
    expect(jsonResult(add.stdout)).toEqual({ due: '2026-09-08T13:30:00.000Z' }); // over Labor Day to Tuesday 09:30
    expect(diff.code).toBe(0);
    expect(jsonResult(diff.stdout)).toEqual({ minutes: 120 }); // Wednesday 16–17, Thanksgiving closed, Friday 09–10
    expect(missing.code).toBe(1);
    expect(missing.stderr).toBe('closed-loop: no active BusinessHours named "Paris office" in the org\n');
    expect(inactive.stderr).toBe('closed-loop: no active BusinessHours named "Retired hours" in the org\n');
  });
});
