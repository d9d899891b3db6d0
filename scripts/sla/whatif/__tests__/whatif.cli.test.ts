/**
 * `closed-loop sla whatif` as a user runs it (the built CLI against a local org over HTTP): the side-by-side
 * table and JSON, a sweep, and bad input — a bad policy file or calendar (exit 1), a malformed --set, --sweep or
 * --period (exit 2) — each refused with one line naming the field; nothing is ever written.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runCli } from '../../../testing/cli';
import type { WhatIfResult } from '..';
import { completedTask, count, lead, startSyncOrg } from '../../__tests__/syncFixtures';
import type { SyncOrg } from '../../__tests__/syncFixtures';

let o: SyncOrg;
let dir: string;
const NOW = '2026-03-06T21:00:00Z';

beforeAll(async () => {
  o = await startSyncOrg();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'whatif-'));
  // Monday: MQL at 09:30 New York, accepted at 10:45 (75 business minutes: breached at 60, met at 90)
  await lead(o, {
    createdAt: '2026-03-02T14:00:00Z',
    status: 'New',
    owner: o.rep1,
    steps: [
      { at: '2026-03-02T14:30:00Z', status: 'Marketing Qualified' },
      { at: '2026-03-02T15:45:00Z', status: 'Sales Accepted' }
    ]
  });
  // Tuesday: MQL at 09:00, accepted at 09:20 (met either way), first touch at 09:10
  const second = await lead(o, {
    createdAt: '2026-03-03T13:30:00Z',
    status: 'New',
    owner: o.rep2,
    steps: [
      { at: '2026-03-03T14:00:00Z', status: 'Marketing Qualified' },
      { at: '2026-03-03T14:20:00Z', status: 'Sales Accepted' }
    ]
  });
  await completedTask(o, second, o.rep2, '2026-03-03T14:10:00Z');
  o.at(NOW);
}, 120_000);
afterAll(async () => {
  await o?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

const whatif = (...args: string[]) =>
  runCli([
    'sla',
    'whatif',
    '--local',
    '--connection-file',
    o.org.connectionFile,
    '--now',
    NOW,
    '--period',
    '2026-03-01..2026-03-31',
    ...args
  ]);
const file = (name: string, content: unknown) => {
  const p = path.join(dir, name);
  fs.writeFileSync(p, typeof content === 'string' ? content : JSON.stringify(content));
  return p;
};

async function nothingWritten(): Promise<void> {
  expect(await count(o, 'SELECT Id FROM SLA_Timer__c')).toBe(0);
  expect(await count(o, 'SELECT Id FROM SLA_Calendar__c')).toBe(0);
  expect(await count(o, 'SELECT Id FROM SLA_Sync_State__c')).toBe(0);
  expect(await count(o, "SELECT Id FROM Task WHERE Subject LIKE 'SLA%'")).toBe(0);
}

it('prints current and proposed side by side; --format json gives the same figures', async () => {
  const table = await whatif('--set', 'Lead_Accept.Target_Minutes__c=90');
  expect(table.stderr).toBe('');
  expect(table.code).toBe(0);
  expect(table.stdout).toMatch(
    /^SLA what-if for 2026-03-01\.\.2026-03-31 \(2026-03-01 to 2026-03-31, America\/New_York\).*2 leads and 0 opportunities replayed; nothing was written$/m
  );
  expect(table.stdout).toMatch(/^Proposed: Lead_Accept\.Target_Minutes__c: 60 → 90$/m);
  expect(table.stdout).toMatch(/^Accept · current \(60 min\)\s+50\.0 %\s+1\s+1\s/m);
  expect(table.stdout).toMatch(/^Accept · proposed \(90 min\)\s+100\.0 %\s+2\s+0\s/m);
  expect(table.stdout).toMatch(/^Accept · Test Rep One\s+0\.0 %\s+100\.0 %/m);

  const json = await whatif('--set', 'Accept.Target_Minutes__c=90', '--format', 'json');
  expect(json.code).toBe(0);
  const r = JSON.parse(json.stdout) as WhatIfResult;
  const accept = r.proposed!.byClock.find((c) => c.clock === 'Accept')!.figures;
  expect(accept).toMatchObject({ timers: 2, met: 2, breached: 0, compliance: 100, medianMinutes: 47.5, p90Minutes: 75 });
  expect(r.current.byClock.find((c) => c.clock === 'Accept')!.figures).toMatchObject({
    met: 1,
    breached: 1,
    compliance: 50,
    escalations: 1
  });
  expect(r.reps).toEqual([expect.objectContaining({ clock: 'Accept', current: 0, proposed: 100, change: 100 })]);
  await nothingWritten();
}, 60_000);

it('a proposed tier: a new Accept policy for some leads (criteria and a priority) is replayed beside the catch-all', async () => {
  // both leads are from Acme (no lead source, so the demo's Inbound and Events tiers, priorities 1 and 2, pass them
  // by): a priority-3 tier for Company = Acme with 90 minutes meets the 75-minute accept
  const tier = file('tier.json', {
    DeveloperName: 'Lead_Accept_Acme',
    Object__c: 'Lead',
    Clock__c: 'Accept',
    Active__c: true,
    Criteria_Field__c: 'Company',
    Criteria_Values__c: 'Acme',
    Priority__c: 3,
    Target_Minutes__c: 90,
    Warning_Percent__c: 75,
    Start_Statuses__c: 'Marketing Qualified',
    Stop_Statuses__c: 'Sales Accepted;Sales Qualified;Recycled;Rejected',
    Backdate_Grace_Minutes__c: 60,
    Create_Task_On_Breach__c: true,
    Restart_On_Reassign__c: true
  });
  const r = await whatif('--policy', tier, '--format', 'json');
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  const result = JSON.parse(r.stdout) as WhatIfResult;
  expect(result.current.byClock.find((c) => c.clock === 'Accept')!.figures).toMatchObject({ met: 1, breached: 1 });
  expect(result.proposed!.byClock.find((c) => c.clock === 'Accept')!.figures).toMatchObject({ met: 2, breached: 0, compliance: 100 });
  // a second tier of the same priority that overlaps it is refused as the sync refuses it
  const overlap = file('overlap.json', [
    { ...JSON.parse(fs.readFileSync(tier, 'utf8')) },
    { ...JSON.parse(fs.readFileSync(tier, 'utf8')), DeveloperName: 'Lead_Accept_Acme_Too' }
  ]);
  const refused = await whatif('--policy', overlap);
  expect(refused.code).toBe(1);
  expect(refused.stderr.trimEnd().split('\n')).toHaveLength(1);
  await nothingWritten();
}, 60_000);

it('sweeps a target: one row per value', async () => {
  const r = await whatif('--sweep', 'Lead_Accept.Target_Minutes__c=30..90/15');
  expect(r.code).toBe(0);
  expect(r.stdout).toMatch(/^Sweep of Lead_Accept\.Target_Minutes__c \(Accept\): current 50\.0 %/m);
  const rows = r.stdout.split('\n').filter((l) => /^(30|45|60|75|90)\s+\d/.test(l));
  expect(rows.map((l) => l.split(/\s+/)[1])).toEqual(['50.0', '50.0', '50.0', '100.0', '100.0']);
  await nothingWritten();
}, 60_000);

it('a proposed calendar: longer hours change nothing in this week, a holiday on Monday moves the first lead to Tuesday', async () => {
  const bh = (
    await o.conn.query<Record<string, unknown>>(
      'SELECT Name, TimeZoneSidKey, MondayStartTime, MondayEndTime FROM BusinessHours WHERE IsDefault = true'
    )
  ).records[0];
  const week = Object.fromEntries(
    ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday'].flatMap((d) => [
      [`${d}StartTime`, '09:00:00.000Z'],
      [`${d}EndTime`, '17:00:00.000Z']
    ])
  );
  const cal = file('holiday.json', {
    Name: 'New York with a holiday',
    TimeZoneSidKey: bh.TimeZoneSidKey,
    ...week,
    holidays: [{ Name: 'Company day', ActivityDate: '2026-03-02', IsAllDay: true }]
  });
  const r = await whatif('--calendar', cal, '--format', 'json');
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  const result = JSON.parse(r.stdout) as WhatIfResult;
  expect(result.changes).toEqual(['calendar: every policy on "New York with a holiday" (America/New_York, 1 holidays)']);
  // the Monday lead's clock counts from Tuesday 09:00: accepted before any business minute passed
  expect(result.proposed!.byClock.find((c) => c.clock === 'Accept')!.figures).toMatchObject({ met: 2, breached: 0 });
}, 60_000);

describe('bad input: one line, nothing written', () => {
  const refused = async (args: string[], code: number, message: RegExp) => {
    const r = await whatif(...args);
    expect({ code: r.code, stdout: r.stdout }).toEqual({ code, stdout: '' });
    expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(r.stderr.trimEnd()).toMatch(message);
  };

  it.each([
    [['--set', 'Lead_Accept=90'], /^closed-loop: --set must be <policy>\.<Field__c>=<value>/],
    [['--set', 'Lead_Accept.Target_Minutes=90'], /^closed-loop: --set must be <policy>\.<Field__c>=<value>/],
    [['--set', 'Lead_Accept.Target_Hours__c=2'], /^closed-loop: --set: Target_Hours__c is not a field of SLA_Policy__mdt/],
    [['--set', 'Lead_Accept.Target_Minutes__c=ninety'], /^closed-loop: --set: Target_Minutes__c must be a number, got "ninety"/],
    [['--set', 'Lead_Accept.Active__c=yes'], /^closed-loop: --set: Active__c must be true or false/],
    [
      ['--set', 'Lead_Acept.Target_Minutes__c=90'],
      /^closed-loop: --set Lead_Acept\.Target_Minutes__c: no SLA_Policy__mdt named "Lead_Acept"/
    ],
    [['--sweep', 'Lead_Accept.Target_Minutes__c=240..30/30'], /^closed-loop: --sweep: 240 is after 30$/],
    [['--sweep', 'Lead_Accept.Target_Minutes__c=30..240/0'], /^closed-loop: --sweep: the step must be at least 1/],
    [['--sweep', 'Lead_Accept.Target_Minutes__c=1..1000/1'], /^closed-loop: --sweep: 1000 values; at most 50/],
    [['--sweep', 'Lead_Accept.Start_Statuses__c=1..3/1'], /^closed-loop: --sweep: Start_Statuses__c is not a number field/],
    [
      ['--set', 'Lead_Accept.Target_Minutes__c=90', '--period', '2026-02-30..2026-03-31'],
      /^closed-loop: --period 2026-02-30\.\.2026-03-31: "2026-02-30" is not a date/
    ],
    [
      ['--set', 'Lead_Accept.Target_Minutes__c=90', '--period', '2026-03-31..2026-03-01'],
      /^closed-loop: --period 2026-03-31\.\.2026-03-01: 2026-03-31 is after 2026-03-01/
    ],
    [['--set', 'Lead_Accept.Target_Minutes__c=90', '--period', 'next-year'], /^closed-loop: --period must be/],
    [
      ['--set', 'Lead_Accept.Target_Minutes__c=90', '--period', '2027-01-01..2027-03-31'],
      /^closed-loop: --period 2027-01-01\.\.2027-03-31 starts after/
    ],
    [[], /^closed-loop: nothing proposed: give --policy/],
    [['--set', 'Lead_Accept.Target_Minutes__c=90', '--now', '2026-03-06'], /^closed-loop: --now must be/]
  ])(
    'flags %j: exit 2',
    async (args, message) => {
      await refused(args, 2, message);
    },
    60_000
  );

  it.each([
    ['not JSON', '{"DeveloperName": "Lead_Accept", ', /^closed-loop: .*bad\.json: not JSON/],
    ['no DeveloperName', [{ Target_Minutes__c: 90 }], /record 1: DeveloperName is missing/],
    [
      'an unknown field',
      { DeveloperName: 'Lead_Accept', Target_Hours__c: 2 },
      /SLA_Policy__mdt Lead_Accept: Target_Hours__c is not a field of SLA_Policy__mdt/
    ],
    [
      'a target as text',
      { DeveloperName: 'Lead_Accept', Target_Minutes__c: '90' },
      /SLA_Policy__mdt Lead_Accept: Target_Minutes__c must be a number or null, got "90"/
    ],
    [
      'a fractional target',
      { DeveloperName: 'Lead_Accept', Target_Minutes__c: 90.5 },
      /^closed-loop: SLA_Policy__mdt Lead_Accept: Target_Minutes__c must be a whole number of business minutes/
    ],
    [
      'an unknown status',
      { DeveloperName: 'Lead_Accept', Stop_Statuses__c: 'Sales Acepted' },
      /^closed-loop: SLA_Policy__mdt Lead_Accept: Stop_Statuses__c names an unknown Lead Status "Sales Acepted"/
    ],
    [
      'unknown business hours',
      { DeveloperName: 'Lead_Accept', Business_Hours_Name__c: 'Mars' },
      /^closed-loop: SLA_Policy__mdt Lead_Accept: Business_Hours_Name__c names no active BusinessHours "Mars"/
    ],
    [
      'two active Accept policies',
      [
        {
          DeveloperName: 'Lead_Accept_Fast',
          Clock__c: 'Accept',
          Object__c: 'Lead',
          Target_Minutes__c: 30,
          Start_Statuses__c: 'Marketing Qualified',
          Active__c: true
        }
      ],
      /^closed-loop: SLA_Policy__mdt Lead_Accept_Fast: Active__c conflicts with Lead_Accept: only one (catch-all|active) policy per clock \(Accept\)/
    ]
  ])(
    'policy file with %s: exit 1',
    async (_what, content, message) => {
      await refused(['--policy', file('bad.json', content)], 1, message);
    },
    60_000
  );

  it('a missing policy file, a zero --set target and a calendar without a time zone: exit 1', async () => {
    await refused(['--policy', path.join(dir, 'missing.json')], 1, /^closed-loop: --policy .*missing\.json: no such file$/);
    await refused(
      ['--set', 'Lead_Accept.Target_Minutes__c=0'],
      1,
      /^closed-loop: SLA_Policy__mdt Lead_Accept: Target_Minutes__c must be a whole number/
    );
    await refused(['--calendar', file('cal.json', { Name: 'x', holidays: [] })], 1, /^closed-loop: .*cal\.json: .*TimeZoneSidKey/);
    await nothingWritten();
  }, 60_000);
});
