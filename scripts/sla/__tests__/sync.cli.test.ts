/**
 * `closed-loop sla sync` as a user runs it (the built CLI against a local org over HTTP): the summary,
 * --json, --dry-run, running twice, --watch until Ctrl-C, and bad input — an invalid policy or flag ends
 * with one line and a non-zero exit, and nothing is written.
 */
import { spawn } from 'node:child_process';
import { CLI_ENTRY, jsonResult, runCli } from '../../testing/cli';
import { PROJECT_ROOT } from '../../project';
import type { SyncSummary } from '../sync';
import { count, deployPolicy, escalationTasks, fieldOf, lead, startSyncOrg } from './syncFixtures';
import type { SyncOrg } from './syncFixtures';

let o: SyncOrg;
let leadId: string;
beforeEach(async () => {
  o = await startSyncOrg();
  // an Accept breached at 10:30 New York and still open at 11:00
  leadId = await lead(o, {
    createdAt: '2026-03-02T13:00:00Z',
    status: 'New',
    owner: o.rep1,
    steps: [{ at: '2026-03-02T14:30:00Z', status: 'Marketing Qualified' }]
  });
});
afterEach(() => o.close());

const NOW = '2026-03-02T16:00:00Z';
const sla = (...args: string[]) => runCli(['sla', 'sync', '--local', '--connection-file', o.org.connectionFile, ...args]);

async function nothingWritten(): Promise<void> {
  expect(await count(o, 'SELECT Id FROM SLA_Timer__c')).toBe(0);
  expect(await count(o, 'SELECT Id FROM SLA_Calendar__c')).toBe(0);
  expect(await count(o, 'SELECT Id FROM SLA_Sync_State__c')).toBe(0);
  expect(await count(o, 'SELECT Id FROM Task')).toBe(0);
  expect(await fieldOf(o, 'Lead', leadId, 'SLA_Status__c')).toBeNull();
}

it('syncs and prints a summary; a second run creates nothing new', async () => {
  const first = await sla('--now', NOW);
  expect(first.stderr).toBe('');
  expect(first.code).toBe(0);
  expect(first.stdout).toMatch(
    /^SLA sync \(full: first sync \(no watermark in the org\); evaluated at 2026-03-02T16:00:00.000Z\): 1 leads and 0 opportunities read$/m
  );
  expect(first.stdout).toMatch(/^Timers: 2 created, 0 updated, 0 cancelled, 0 unchanged \| 0 met, 1 breached, 1 running/m);
  expect(first.stdout).toMatch(/escalations: 1 breaches, 1 tasks for owners, 1 for managers/);
  expect(first.stdout).toMatch(/API calls: \d+, records written: \d+ \| [\d.]+ s \| watermark \d{4}-\d\d-\d\dT/);

  // everything re-evaluated: nothing to create, change or escalate again
  const second = await sla('--now', NOW, '--full', '--json');
  expect(second.code).toBe(0);
  const summary = jsonResult<SyncSummary>(second.stdout);
  expect(summary).toMatchObject({
    mode: 'full',
    dryRun: false,
    records: { leads: 1, opportunities: 0 },
    timers: { created: 0, updated: 0, cancelled: 0, unchanged: 2 },
    met: 0,
    breached: 1,
    recordsUpdated: { leads: 0, opportunities: 0 },
    escalations: { timers: 0, userTasks: 0, managerTasks: 0 },
    calendars: { mirrored: 0, unchanged: 1 }
  });
  expect(summary.apiCalls).toBeGreaterThan(0);
  expect(await count(o, 'SELECT Id FROM SLA_Timer__c')).toBe(2);
  expect(await escalationTasks(o, leadId)).toHaveLength(2);
  const state = await o.conn.query<Record<string, unknown>>(
    'SELECT Key__c, Watermark__c, Evaluated_At__c, Last_Summary__c FROM SLA_Sync_State__c'
  );
  expect(state.records).toHaveLength(1);
  expect(state.records[0]).toMatchObject({ Key__c: 'sla-sync', Evaluated_At__c: '2026-03-02T16:00:00.000+0000' });

  // nothing new since: the change probes only, and the summary says so
  const third = await sla('--now', NOW);
  expect(third.code).toBe(0);
  expect(third.stdout).toMatch(/^SLA sync \(incremental: the watermark of the last sync, .*\): 0 leads and 0 opportunities read$/m);
  expect(third.stdout).toMatch(/API calls: [123], records written: 0 \| [\d.]+ s \| nothing changed: the sync state is as it was/);
});

it('runs as the local org’s integration user (Closed_Loop_Sync); --as names another user, who meets their own permissions', async () => {
  const first = await sla('--now', NOW, '--json');
  expect(first.code).toBe(0);
  const writers = await o.conn.query<{ CreatedBy: { Username: string } }>('SELECT CreatedBy.Username FROM SLA_Timer__c');
  expect(new Set(writers.records.map((r) => r.CreatedBy.Username))).toEqual(new Set(['sync@closed-loop.local']));
  const stamped = await o.conn.query<{ LastModifiedBy: { Username: string } }>(
    `SELECT LastModifiedBy.Username FROM Lead WHERE Id = '${leadId}'`
  );
  expect(stamped.records[0].LastModifiedBy.Username).toBe('sync@closed-loop.local');

  // a rep cannot write what the SLA measures: the run fails in one line and the timers stay as the sync left them
  await o.org.createUser({ username: 'rep.cli@closed-loop.test', permissionSets: ['Closed_Loop_Rep'] });
  const asRep = await sla('--now', NOW, '--full', '--as', 'rep.cli@closed-loop.test');
  expect(asRep.code).toBe(1);
  expect(asRep.stderr).toMatch(
    /^closed-loop: sObject type 'SLA_Sync_State__c' is not supported\..* \(the user the sync runs as needs the Closed_Loop_Sync permission set: see docs\/admin-guide.md, step 7\)$/m
  );
  expect(asRep.stderr.trim().split('\n')).toHaveLength(1);

  // the admin may, when asked for by name
  const asAdmin = await sla('--now', NOW, '--full', '--as', 'admin', '--json');
  expect(asAdmin.code).toBe(0);

  const real = await runCli(['sla', 'sync', '--target-org', 'prod', '--as', 'sync']);
  expect(real.code).toBe(2);
  expect(real.stderr).toMatch(/^closed-loop: --as works on the local org only: on prod, commands run as the user sf is logged in as/);
});

it('--dry-run reports what would change and writes nothing', async () => {
  const r = await sla('--now', NOW, '--dry-run', '--json');
  expect(r.code).toBe(0);
  expect(jsonResult(r.stdout)).toMatchObject({
    dryRun: true,
    watermark: null,
    timers: { created: 2 },
    breached: 1,
    recordsUpdated: { leads: 1 },
    // the tasks it would create: the rep's and the manager's
    escalations: { timers: 1, userTasks: 1, managerTasks: 1 },
    calendars: { mirrored: 1 }
  });
  await nothingWritten();
});

describe('an invalid policy stops the sync before anything is written', () => {
  it.each([
    [
      'a negative target',
      { Target_Minutes__c: -5 },
      'SLA_Policy__mdt Lead_Accept: Target_Minutes__c must be a whole number of business minutes from 1 to 999999999 (got -5)'
    ],
    [
      'an unknown status',
      { Start_Statuses__c: 'Marketing Qualifed' },
      'SLA_Policy__mdt Lead_Accept: Start_Statuses__c names an unknown Lead Status "Marketing Qualifed"'
    ],
    [
      'an unknown business hours name',
      { Business_Hours_Name__c: 'London' },
      'SLA_Policy__mdt Lead_Accept: Business_Hours_Name__c names no active BusinessHours "London"'
    ],
    [
      'a nurture queue the org does not have',
      { Recycle_Queue__c: 'Nurture' },
      'SLA_Policy__mdt Lead_Accept: Recycle_Queue__c names no queue "Nurture" (Setup > Queues)'
    ],
    [
      'a nurture queue that does not take leads',
      { Recycle_Queue__c: 'Win Room' },
      'SLA_Policy__mdt Lead_Accept: Recycle_Queue__c: queue "Win Room" does not take leads (Setup > Queues: add Lead to its supported objects)'
    ]
  ])('%s', async (_what, values, message) => {
    await o.conn.sobject('Group').create({ Name: 'Win Room', DeveloperName: 'Win_Room', Type: 'Queue' });
    await deployPolicy(o.conn, 'Lead_Accept', values);
    const r = await sla('--now', NOW);
    expect(r).toEqual({ code: 1, stdout: '', stderr: `closed-loop: ${message}\n` });
    await nothingWritten();
  });

  it('with --json, as the error object', async () => {
    await deployPolicy(o.conn, 'Opportunity_Win_Loss_Review', { Stop_Statuses__c: 'Closed Won' });
    const r = await sla('--now', NOW, '--json');
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout)).toEqual({
      status: 1,
      name: 'SlaPolicyError',
      message: 'SLA_Policy__mdt Opportunity_Win_Loss_Review: Stop_Statuses__c repeats "Closed Won", which is already in Start_Statuses__c',
      exitCode: 1,
      warnings: []
    });
    await nothingWritten();
  });
});

it.each([
  [['--since', 'yesterday'], /--since must be an ISO 8601 date-time with Z or an offset/],
  [['--interval', '60'], /--interval applies only with --watch/],
  [['--watch', '--interval', '2'], /--interval must be a whole number of seconds from 5 to 86400, got "2"/],
  [['--watch', '--now', NOW], /--now cannot be combined with --watch/]
])('bad flags %j: one line, exit 2, nothing written', async (args, message) => {
  const r = await sla(...args);
  expect(r.code).toBe(2);
  expect(r.stdout).toBe('');
  expect(r.stderr).toMatch(message);
  expect(r.stderr.trim().split('\n')).toHaveLength(1);
  await nothingWritten();
});

it('--watch syncs again every --interval seconds until Ctrl-C', async () => {
  const child = spawn(
    process.execPath,
    [CLI_ENTRY, 'sla', 'sync', '--local', '--connection-file', o.org.connectionFile, '--watch', '--interval', '5', '--json'],
    { cwd: PROJECT_ROOT, env: { ...process.env, FORCE_COLOR: '0' } }
  );
  let stdout = '';
  const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  await new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
      if (stdout.includes('\n')) resolve();
    });
    void exited.then(() => reject(new Error(`exited early: ${stdout}`)));
  });
  child.kill('SIGINT');
  expect(await exited).toBe(0);
  const runs = stdout
    .trim()
    .split('\n')
    .map((l) => jsonResult<SyncSummary>(l));
  expect(runs[0]).toMatchObject({ mode: 'full', records: { leads: 1 } });
  expect(await count(o, 'SELECT Id FROM SLA_Timer__c')).toBe(2);
});
