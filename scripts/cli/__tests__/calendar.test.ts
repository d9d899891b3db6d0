import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { jsonResult, runCli } from '../../testing/cli';

// Runs the built CLI (npm run build first), as an admin would.

const OPEN = '09:00:00.000Z';
const CLOSE = '17:00:00.000Z';
const newYork = {
  Name: 'New York office',
  TimeZoneSidKey: 'America/New_York',
  MondayStartTime: OPEN,
  MondayEndTime: CLOSE,
  TuesdayStartTime: OPEN,
  TuesdayEndTime: CLOSE,
  WednesdayStartTime: OPEN,
  WednesdayEndTime: CLOSE,
  ThursdayStartTime: OPEN,
  ThursdayEndTime: CLOSE,
  FridayStartTime: OPEN,
  FridayEndTime: CLOSE,
  SaturdayStartTime: null,
  SaturdayEndTime: null,
  SundayStartTime: null,
  SundayEndTime: null,
  holidays: [{ Name: 'Labor Day', ActivityDate: '2026-09-07', IsAllDay: true }]
};
const london = { ...newYork, Name: 'London office', TimeZoneSidKey: 'Europe/London', holidays: [] };
const closed = Object.fromEntries(Object.entries(newYork).map(([k, v]) => [k, k.endsWith('Time') ? null : v]));

let dir: string;
let nyFile: string;
const file = (name: string, content: string) => {
  const p = path.join(dir, name);
  fs.writeFileSync(p, content);
  return p;
};

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'closed-loop-calendar-'));
  nyFile = file('ny.json', JSON.stringify(newYork, null, 2));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** One line on stderr, naming what is wrong. */
function expectOneLineError(r: { code: number; stdout: string; stderr: string }, code: number, pattern: RegExp): void {
  expect(r.code).toBe(code);
  expect(r.stdout).toBe('');
  expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
  expect(r.stderr).toMatch(/^closed-loop: /);
  expect(r.stderr).toMatch(pattern);
}

describe('closed-loop calendar add|diff', () => {
  it('add: Friday 16:30 New York + 60 business minutes is Monday 09:30, in UTC with milliseconds', async () => {
    const add = ['calendar', 'add', '--calendar', nyFile, '--minutes', '60'];
    const [human, json] = await Promise.all([
      runCli([...add, '--from', '2026-03-06T16:30:00-05:00']),
      runCli([...add, '--from', '2026-03-06T21:30:00Z', '--json'])
    ]);
    expect(human.code).toBe(0);
    expect(human.stdout).toBe('2026-03-09T13:30:00.000Z  (Mon 2026-03-09 09:30 America/New_York)\n');
    expect(json.code).toBe(0);
    expect(jsonResult(json.stdout)).toEqual({ due: '2026-03-09T13:30:00.000Z' });
  });

  it('add --minutes 0 from a closed time prints the next opening; a holiday Monday is skipped', async () => {
    const r = await runCli(['calendar', 'add', '--calendar', nyFile, '--from', '2026-09-05T12:00:00Z', '--minutes', '0', '--json']);
    expect(jsonResult(r.stdout)).toEqual({ due: '2026-09-08T13:00:00.000Z' });
  });

  it('diff: business minutes between two instants, fractions included', async () => {
    const diff = ['calendar', 'diff', '--calendar', nyFile, '--from', '2026-03-06T16:30:00-05:00'];
    const [json, human] = await Promise.all([
      runCli([...diff, '--to', '2026-03-09T09:30:30-04:00', '--json']),
      runCli([...diff, '--to', '2026-03-09T09:30:00-04:00'])
    ]);
    expect(json.code).toBe(0);
    expect(jsonResult(json.stdout)).toEqual({ minutes: 60.5 });
    expect(human.stdout).toBe('60 business minutes\n');
  });

  it('--help explains the calendar file and shows examples', async () => {
    const [r, add] = await Promise.all([runCli(['calendar', '--help']), runCli(['calendar', 'add', '--help'])]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/add \[options\]/);
    expect(r.stdout).toMatch(/diff \[options\]/);
    expect(r.stdout).toMatch(/batch \[options\]/);
    expect(r.stdout).toMatch(/Examples:/);
    expect(r.stdout).toMatch(/TimeZoneSidKey/);
    expect(add.stdout).toMatch(/--minutes <N>/);
    expect(add.stdout).toMatch(/--business-hours <Name>/);
    expect(add.stdout).toMatch(/--target-org <alias>/);
  });

  it('rejects bad flags with one line naming the flag (exit 2)', async () => {
    const base = ['calendar', 'add', '--calendar', nyFile, '--from', '2026-03-06T21:30:00Z'];
    const [negative, noFrom, localTime, backwards, noCalendar, twoCalendars] = await Promise.all([
      runCli([...base, '--minutes', '-5']),
      runCli(['calendar', 'add', '--calendar', nyFile, '--minutes', '5']),
      runCli(['calendar', 'add', '--calendar', nyFile, '--from', '2026-03-06 16:30', '--minutes', '5']),
      runCli(['calendar', 'diff', '--calendar', nyFile, '--from', '2026-03-06T21:30:00Z', '--to', '2026-03-01T00:00:00Z']),
      runCli(['calendar', 'add', '--from', '2026-03-06T21:30:00Z', '--minutes', '5']),
      runCli([...base, '--minutes', '5', '--business-hours', 'Default'])
    ]);
    expectOneLineError(negative, 2, /--minutes must be a number of minutes, at least 0, got "-5"/);
    expectOneLineError(noFrom, 2, /required option '--from <ISO>'/);
    expectOneLineError(localTime, 2, /--from must be an ISO 8601 date-time with Z or an offset, .*got "2026-03-06 16:30"/);
    expectOneLineError(backwards, 2, /--to \(2026-03-01T00:00:00Z\) is before --from/);
    expectOneLineError(noCalendar, 2, /--calendar <file.json> or --business-hours <Name>/);
    expectOneLineError(twoCalendars, 2, /either --calendar .* or --business-hours/);
  });

  it('rejects a bad calendar file with one line naming the file and the field (exit 1)', async () => {
    const add = (f: string, ...more: string[]) =>
      runCli(['calendar', 'add', '--calendar', f, '--from', '2026-03-06T21:30:00Z', '--minutes', '5', ...more]);
    const zoneFile = file('zone.json', JSON.stringify({ ...newYork, TimeZoneSidKey: 'Atlantis/Capital' }));
    const [missing, broken, zone, zoneJson] = await Promise.all([
      add(path.join(dir, 'missing.json')),
      add(file('broken.json', '{"TimeZoneSidKey": ')),
      add(zoneFile),
      add(zoneFile, '--json')
    ]);
    expectOneLineError(missing, 1, /--calendar .*missing\.json: no such file/);
    expectOneLineError(broken, 1, /broken\.json: not valid JSON/);
    expectOneLineError(zone, 1, /zone\.json: TimeZoneSidKey: unknown time zone "Atlantis\/Capital"/);
    expect(zoneJson.code).toBe(1);
    expect(JSON.parse(zoneJson.stdout)).toMatchObject({
      status: 1,
      name: 'CalendarError',
      message: expect.stringMatching(/TimeZoneSidKey/)
    });
  });

  it('--business-hours reads the org: without a running local org it says so in one line', async () => {
    const r = await runCli([
      'calendar',
      'add',
      '--business-hours',
      'Default',
      '--connection-file',
      path.join(dir, 'no-connection.json'),
      '--from',
      '2026-03-06T21:30:00Z',
      '--minutes',
      '5'
    ]);
    expectOneLineError(r, 1, /no local org connection file at .*no-connection\.json/);
  });
});

describe('closed-loop calendar batch', () => {
  it('answers one JSON line per input line, echoing ids, each with its own calendar', async () => {
    const input = [
      { id: 'a', op: 'add', calendar: newYork, from: '2026-03-06T21:30:00.000Z', minutes: 60 },
      { id: 2, op: 'diff', calendar: london, from: '2026-03-27T16:00:00Z', to: '2026-03-30T10:00:00+01:00' },
      { op: 'add', calendar: newYork, from: '2026-11-25T22:00:00Z', minutes: 0 }
    ]
      .map((l) => JSON.stringify(l))
      .join('\n');
    const r = await runCli(['calendar', 'batch'], { input: `${input}\n` });
    expect(r.code).toBe(0);
    expect(
      r.stdout
        .trimEnd()
        .split('\n')
        .map((l) => JSON.parse(l))
    ).toEqual([
      { id: 'a', due: '2026-03-09T13:30:00.000Z' },
      { id: 2, minutes: 120 }, // Friday 16:00–17:00 GMT, Monday 09:00–10:00 BST
      { due: '2026-11-26T14:00:00.000Z' }
    ]);
  });

  it('a bad line gets an error line (with its id) and exit 1; the good lines are still answered', async () => {
    const from = '2026-03-06T21:30:00Z';
    const lines = [
      JSON.stringify({ id: 1, op: 'add', from, minutes: 60 }),
      'this is not json',
      JSON.stringify({ id: 3, op: 'subtract', from, minutes: 60 }),
      '',
      JSON.stringify({ id: 5, op: 'add', calendar: { ...newYork, MondayEndTime: '08:00:00.000Z' }, from, minutes: 1 }),
      JSON.stringify({ id: 6, op: 'diff', from: '2026-03-09T21:30:00Z', to: from }),
      JSON.stringify({ id: 7, op: 'add', from: 'yesterday', minutes: 1 }),
      JSON.stringify({ id: 8, op: 'diff', from, to: '2026-03-09T14:00:00Z' }),
      JSON.stringify({ id: 9, op: 'add', from: '2026-02-30T10:00:00Z', minutes: 1 }),
      JSON.stringify({ id: 10, op: 'add', calendar: { ...newYork, WednesdayEndTime: '5pm' }, from, minutes: 1 }),
      JSON.stringify({
        id: 11,
        op: 'add',
        calendar: { ...newYork, holidays: [{ Name: 'Xmas', ActivityDate: '25/12/2026' }] },
        from,
        minutes: 1
      }),
      JSON.stringify({ id: 12, op: 'add', calendar: closed, from, minutes: 1 }),
      JSON.stringify({ id: 13, op: 'add', from, minutes: -1 })
    ];
    const r = await runCli(['calendar', 'batch', '--calendar', nyFile], { input: lines.join('\n') });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^closed-loop: 10 of the input lines could not be answered/);
    const out = r.stdout
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(out).toHaveLength(12); // the blank line is skipped
    expect(out[0]).toEqual({ id: 1, due: '2026-03-09T13:30:00.000Z' });
    expect(out[1]).toMatchObject({ line: 2, error: expect.stringMatching(/not valid JSON/) });
    expect(out[2]).toEqual({ id: 3, line: 3, error: 'op must be "add" or "diff", got "subtract"' });
    expect(out[3]).toMatchObject({
      id: 5,
      line: 5,
      error: expect.stringMatching(/calendar: MondayEndTime .* must be after MondayStartTime/)
    });
    expect(out[4]).toMatchObject({ id: 6, line: 6, error: expect.stringMatching(/to .* is before from/) });
    expect(out[5]).toMatchObject({ id: 7, line: 7, error: expect.stringMatching(/from must be an ISO 8601 date-time/) });
    expect(out[6]).toEqual({ id: 8, minutes: 90 });
    expect(out[7]).toMatchObject({
      id: 9,
      error: expect.stringMatching(/from must be an ISO 8601 date-time .* got "2026-02-30T10:00:00Z"/)
    });
    expect(out[8]).toMatchObject({ id: 10, error: expect.stringMatching(/calendar: WednesdayEndTime must be a time of day .* got "5pm"/) });
    expect(out[9]).toMatchObject({
      id: 11,
      error: expect.stringMatching(/calendar: holidays\[0\]\.ActivityDate \("Xmas"\): must be a date/)
    });
    expect(out[10]).toMatchObject({ id: 12, error: expect.stringMatching(/calendar: .*no open time/) });
    expect(out[11]).toEqual({ id: 13, line: 13, error: 'minutes must be a number of at least 0, got -1' });
  });

  it('a line without a calendar, and no --calendar, is an error for that line', async () => {
    const r = await runCli(['calendar', 'batch'], {
      input: JSON.stringify({ id: 'x', op: 'add', from: '2026-03-06T21:30:00Z', minutes: 1 })
    });
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout)).toEqual({
      id: 'x',
      line: 1,
      error: 'calendar is required (or give --calendar <file.json> or --business-hours <Name>)'
    });
  });
});
