import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { startTestOrg, type TestOrg } from '../../localorg/testing';
import { runCli, type CliRun } from '../../testing/cli';

/**
 * Every date flag of the CLI goes through one strict ISO 8601 parser (scripts/calendar/instant.ts): an
 * impossible date or time is refused with one line and exit 2 before anything reaches the org, whichever
 * command it is given to; `--since` cannot lie in the future; a connection file must name an API version
 * this project speaks. Runs the built CLI (npm run build) against a local org, as a user would.
 */
let org: TestOrg;
let dir: string;
let calendarFile: string;

beforeAll(async () => {
  org = await startTestOrg();
  const lead = await org.conn.sobject('Lead').create({ LastName: 'Still Here', Company: 'Kept Data', Status: 'New' });
  if (!lead.success) throw new Error('lead not created');
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'closed-loop-dates-'));
  calendarFile = path.join(dir, 'calendar.json');
  fs.writeFileSync(
    calendarFile,
    JSON.stringify({
      Name: 'Office',
      TimeZoneSidKey: 'UTC',
      MondayStartTime: '09:00:00.000Z',
      MondayEndTime: '17:00:00.000Z',
      holidays: []
    })
  );
}, 60_000);

afterAll(async () => {
  await org?.close();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

/** Arguments against the test org (its connection file is known once it runs: `<org>` stands for it). */
const onOrg = (...args: string[]) => [...args, '--local', '--connection-file', '<org>'];
const cli = (args: string[], input?: string) =>
  runCli(
    args.map((a) => (a === '<org>' ? org.connectionFile : a === '<cal>' ? calendarFile : a)),
    { input }
  );

function refused(run: CliRun, message: RegExp): void {
  expect({ code: run.code, stdout: run.stdout }).toEqual({ code: 2, stdout: '' });
  expect(run.stderr).toMatch(message);
  expect(run.stderr.trim().split('\n')).toHaveLength(1);
}

async function dataUntouched(): Promise<void> {
  const leads = await org.conn.query<{ LastName: string }>('SELECT LastName FROM Lead');
  expect(leads.records.map((r) => r.LastName)).toEqual(['Still Here']);
  expect((await org.conn.query('SELECT Id FROM SLA_Sync_State__c')).totalSize).toBe(0);
}

describe('date flags: one strict ISO 8601 parser', () => {
  it.each([
    [
      'seed --now 2026-02-30',
      onOrg('seed', '--now', '2026-02-30T00:00:00Z'),
      /^closed-loop: --now must be an ISO 8601 date-time .*, got "2026-02-30T00:00:00Z" \(there is no 2026-02-30\)\n$/
    ],
    ['seed --now 24:00', onOrg('seed', '--now', '2026-02-28T24:00:00Z'), /--now .* \(the hour 24 is not a time of day \(00–23\)\)\n$/],
    [
      'seed --now without an offset',
      onOrg('seed', '--now', '2026-02-28T12:00:00'),
      /--now must be an ISO 8601 date-time with Z or an offset/
    ],
    ['sla sync --since 2026-02-30', onOrg('sla', 'sync', '--since', '2026-02-30T00:00:00Z'), /--since .* \(there is no 2026-02-30\)\n$/],
    [
      'sla sync --since 9999-…',
      onOrg('sla', 'sync', '--since', '9999-12-31T00:00:00Z'),
      /--since .* \(the year 9999 is outside Salesforce's date-time range \(1700–4000\)\)\n$/
    ],
    ['sla sync --now 23:60', onOrg('sla', 'sync', '--now', '2026-03-02T23:60:00Z'), /--now .* \(the minute 60 is not one \(00–59\)\)\n$/],
    [
      'calendar add --from 2026-02-29',
      ['calendar', 'add', '--calendar', '<cal>', '--from', '2026-02-29T10:00:00Z', '--minutes', '5'],
      /--from .* \(there is no 2026-02-29\)\n$/
    ],
    [
      'calendar diff --to +25:00',
      ['calendar', 'diff', '--calendar', '<cal>', '--from', '2026-03-02T10:00:00Z', '--to', '2026-03-03T10:00:00+25:00'],
      /--to .* \(the offset \+25:00 is not one/
    ],
    [
      'report --period 2026-02-30..',
      onOrg('report', 'SLA_Compliance_By_Rep', '--period', '2026-02-30..2026-03-01'),
      /"2026-02-30" is not a date/
    ],
    ['scorecard --period ..2026-04-31', onOrg('scorecard', '--period', '2026-04-01..2026-04-31'), /"2026-04-31" is not a date/]
  ])('%s: one line, exit 2, the org untouched', async (_name, args, message) => {
    const run = await cli(args);
    refused(run, message);
    await dataUntouched();
  });

  it('--json gives the same refusal as JSON', async () => {
    const run = await cli([...onOrg('seed', '--now', '2026-02-30T00:00:00Z'), '--json']);
    expect(run.code).toBe(2);
    expect(JSON.parse(run.stdout)).toMatchObject({
      status: 2,
      name: 'InvalidFlagError',
      message: expect.stringContaining('there is no 2026-02-30')
    });
    await dataUntouched();
  });

  it('calendar batch answers a line with an impossible instant with its error, and the others', async () => {
    const lines = [
      { id: 1, op: 'add', from: '2026-03-02T09:00:00Z', minutes: 60 },
      { id: 2, op: 'add', from: '2026-02-30T09:00:00Z', minutes: 60 },
      { id: 3, op: 'diff', from: '2026-03-02T09:00:00Z', to: '2026-03-02T24:00:00Z' }
    ];
    const run = await runCli(['calendar', 'batch', '--calendar', calendarFile], { input: lines.map((l) => JSON.stringify(l)).join('\n') });
    expect(run.code).not.toBe(0);
    const out = run.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(out[0]).toEqual({ id: 1, due: '2026-03-02T10:00:00.000Z' });
    expect(out[1]).toMatchObject({ id: 2, line: 2, error: expect.stringContaining('there is no 2026-02-30') });
    expect(out[2]).toMatchObject({ id: 3, line: 3, error: expect.stringContaining('the hour 24') });
  });

  it('sla sync --since in the future is refused, and after --now too; nothing is written', async () => {
    refused(
      await runCli(onOrg('sla', 'sync', '--since', '2999-01-01T00:00:00Z')),
      /^closed-loop: --since 2999-01-01T00:00:00\.000Z is in the future \(now is \d{4}-/
    );
    refused(
      await cli(onOrg('sla', 'sync', '--since', '2026-03-02T12:00:00Z', '--now', '2026-03-02T11:00:00Z')),
      /^closed-loop: --since 2026-03-02T12:00:00\.000Z is in the future \(--now is 2026-03-02T11:00:00\.000Z\)\n$/
    );
    await dataUntouched();
  });
});

describe('connection file', () => {
  const withApiVersion = (name: string, apiVersion: unknown) => {
    const file = path.join(dir, `${name}.json`);
    const info = JSON.parse(fs.readFileSync(org.connectionFile, 'utf8')) as Record<string, unknown>;
    fs.writeFileSync(file, JSON.stringify({ ...info, apiVersion }));
    return file;
  };

  it.each([
    ['999.0', /apiVersion "999\.0" is newer than this project's API version 64\.0\n$/],
    ['30.0', /apiVersion "30\.0" is retired \(the oldest supported is 31\.0\)\n$/],
    ['v64', /apiVersion "v64" is not an API version \(written like 64\.0\)\n$/],
    [64, /apiVersion 64 is not an API version \(written like 64\.0\)\n$/]
  ])('apiVersion %j is refused with a clear message before any request', async (apiVersion, message) => {
    const file = withApiVersion(String(apiVersion).replace(/\W/g, '_'), apiVersion);
    const run = await cli(['seed', '--local', '--connection-file', file, '--leads', '1']);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(message);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    await dataUntouched();
  });

  it('an API version between 31.0 and 64.0 works', async () => {
    const run = await runCli([
      'report',
      'SLA_Compliance_By_Rep',
      '--format',
      'json',
      '--local',
      '--connection-file',
      withApiVersion('v60', '60.0')
    ]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
  });
});
