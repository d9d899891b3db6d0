import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Connection } from 'jsforce';
import { CLI_ENTRY, jsonResult, runCli } from '../../testing/cli';
import { PROJECT_ROOT } from '../../project';

interface Running {
  /** stdout up to (and including) the first line matching `until` */
  ready: Promise<string>;
  /** sends Ctrl-C and resolves with the exit code and everything printed */
  stop(): Promise<{ code: number | null; stdout: string; stderr: string }>;
}

/** `closed-loop start …` as a user runs it: a process that serves until Ctrl-C (SIGINT). */
function start(args: string[], until: RegExp): Running {
  const child = spawn(process.execPath, [CLI_ENTRY, 'start', ...args], { cwd: PROJECT_ROOT, env: { ...process.env, FORCE_COLOR: '0' } });
  let stdout = '';
  let stderr = '';
  const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  const ready = new Promise<string>((resolve, reject) => {
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
      if (until.test(stdout)) resolve(stdout);
    });
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    void exited.then((code) => reject(new Error(`start exited (${String(code)}) before it was ready: ${stderr}`)));
  });
  return {
    ready,
    async stop() {
      child.kill('SIGINT');
      const code = await exited;
      return { code, stdout, stderr };
    }
  };
}

interface Ready {
  instanceUrl: string;
  accessToken: string;
  apiVersion: string;
  connectionFile: string;
  data: string;
  seed: { seed: number; leads: number; seededNow: boolean };
}

describe('closed-loop start (npm start)', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'closed-loop-start-'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('seeds a new database on the first run only, serves it until Ctrl-C, and keeps the data for the next run', async () => {
    const args = ['--data', path.join(dir, 'org.db'), '--connection-file', path.join(dir, 'connection.json'), '--leads', '120', '--json'];
    const first = start(args, /\n/);
    const ready = jsonResult<Ready>(await first.ready);
    expect(ready).toMatchObject({ apiVersion: '64.0', seed: { seed: 42, leads: 120, seededNow: true } });
    expect(JSON.parse(fs.readFileSync(path.join(dir, 'connection.json'), 'utf8'))).toMatchObject({ instanceUrl: ready.instanceUrl });
    const conn = new Connection({ instanceUrl: ready.instanceUrl, accessToken: ready.accessToken, version: ready.apiVersion });
    const leads = await conn.query<{ Id: string }>('SELECT Id FROM Lead ORDER BY Id');
    expect(leads.totalSize).toBe(120);
    // the SLA sync ran as the org's integration user (Closed_Loop_Sync), not as the admin
    const timers = await conn.query<{ CreatedBy: { Username: string } }>('SELECT CreatedBy.Username FROM SLA_Timer__c');
    expect(timers.totalSize).toBeGreaterThan(0);
    expect(new Set(timers.records.map((t) => t.CreatedBy.Username))).toEqual(new Set(['sync@closed-loop.local']));
    const stopped = await first.stop();
    expect(stopped.code).toBe(0);
    // stopped: nothing listens any more (plain fetch: jsforce would retry a refused connection for seconds)
    await expect(fetch(`${ready.instanceUrl}/services/data/v64.0/limits`)).rejects.toThrow();

    const second = start(args, /\n/);
    const again = jsonResult<Ready>(await second.ready);
    expect(again.seed).toMatchObject({ seed: 42, leads: 120, seededNow: false });
    const conn2 = new Connection({ instanceUrl: again.instanceUrl, accessToken: again.accessToken, version: again.apiVersion });
    expect((await conn2.query<{ Id: string }>('SELECT Id FROM Lead ORDER BY Id')).records).toEqual(leads.records);
    expect((await second.stop()).code).toBe(0);
    // two full starts (deploy, seed or reopen, sync, scorecard) take longer than one test's default on a busy machine
  }, 120_000);

  it('reports the leads the org holds: leads added since still count as the seeding, closed-loop seed --local is said to have replaced it', async () => {
    const connectionFile = path.join(dir, 'reseeded.json');
    const args = ['--data', path.join(dir, 'reseeded.db'), '--connection-file', connectionFile, '--leads', '40'];
    const first = start(args, /Press Ctrl-C to stop\./);
    expect(await first.ready).toMatch(/^Demo data\s+seeded just now \(seed 42, 40 leads/m);
    const info = JSON.parse(fs.readFileSync(connectionFile, 'utf8')) as { instanceUrl: string; accessToken: string; apiVersion: string };
    const conn = new Connection({ instanceUrl: info.instanceUrl, accessToken: info.accessToken, version: info.apiVersion });
    expect((await conn.sobject('Lead').create({ LastName: 'Walk-in', Company: 'Acme' })).success).toBe(true);
    expect((await first.stop()).code).toBe(0);

    // a lead someone added is part of the org, not a new seeding
    const second = start([...args, '--json'], /\n/);
    expect(jsonResult<Ready & { seed: { replacedSince?: string } }>(await second.ready).seed).toEqual(
      expect.objectContaining({ seed: 42, leads: 41, seededNow: false })
    );
    const reseed = await runCli(['seed', '--local', '--connection-file', connectionFile, '--leads', '25', '--seed', '3']);
    expect(reseed.code).toBe(0);
    expect((await second.stop()).code).toBe(0);

    const third = start(args, /Press Ctrl-C to stop\./);
    const banner = await third.ready;
    expect(banner).toMatch(/^Demo data\s+25 leads, not the 40 npm start seeded on \S+: replaced since \(npx closed-loop seed --local\)/m);
    expect(banner).toMatch(/^SLA sync\s+25 leads, /m);
    expect((await third.stop()).code).toBe(0);
  }, 120_000);

  it('prints the URL, the token and how to point jsforce, curl and the CLI at the org', async () => {
    const run = start(
      ['--data', ':memory:', '--connection-file', path.join(dir, 'memory.json'), '--leads', '10'],
      /Press Ctrl-C to stop\./
    );
    const text = await run.ready;
    const url = /^Local org\s+(http:\/\/127\.0\.0\.1:\d+)/m.exec(text)?.[1];
    const token = /^Token\s+(\S+)/m.exec(text)?.[1];
    expect(url).toBeDefined();
    expect(token).toMatch(/^00D/);
    expect(text).toMatch(/^Demo data\s+seeded just now \(seed 42, 10 leads/m);
    expect(text).toContain(`new jsforce.Connection({ instanceUrl: '${url}', accessToken: '<token>', version: '64.0' })`);
    expect(text).toContain(`curl -H "Authorization: Bearer <token>" '${url}/services/data/v64.0/query?q=SELECT+COUNT()+FROM+Lead'`);
    expect(text).toMatch(/npx closed-loop <command> --local --connection-file \S*memory\.json/);
    const res = await fetch(`${url}/services/data/v64.0/query?q=SELECT+COUNT()+FROM+Lead`, {
      headers: { Authorization: `Bearer ${token}` }
    });
    expect(((await res.json()) as { totalSize: number }).totalSize).toBe(10);

    // the printed Reports and Preview URLs open in a browser: the token they carry becomes one cookie for both
    const reportsUrl = /^Reports\s+(\S+)/m.exec(text)?.[1] ?? '';
    const previewUrl = /^Preview\s+(\S+)/m.exec(text)?.[1] ?? '';
    expect(reportsUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/reports\?token=[\w-]{32}$/);
    expect(new URL(previewUrl).searchParams.get('token')).toBe(new URL(reportsUrl).searchParams.get('token'));
    const signIn = await fetch(reportsUrl, { redirect: 'manual' });
    expect([signIn.status, signIn.headers.get('location')]).toEqual([303, '/reports']);
    const cookie = (signIn.headers.get('set-cookie') ?? '').split(';')[0];
    const reports = new URL(reportsUrl).origin;
    expect((await fetch(`${reports}/scorecard.json`, { headers: { cookie } })).status).toBe(200);
    expect((await fetch(`${new URL(previewUrl).origin}/`, { headers: { cookie } })).status).toBe(200);
    // without it (another local process, a DNS-rebinding page) nothing
    expect((await fetch(`${reports}/scorecard.json`)).status).toBe(403);
    const stopped = await run.stop();
    expect(stopped.code).toBe(0);
    expect(stopped.stderr).toMatch(/Stopped\.\n$/);
  });

  it('keeps the SLA timers in step while it runs: a lead accepted over the API is Met in the org at the next sync', async () => {
    const run = start(
      ['--data', ':memory:', '--connection-file', path.join(dir, 'sync.json'), '--leads', '10', '--sync-interval', '5', '--json'],
      /\n/
    );
    const ready = jsonResult<Ready & { slaSyncIntervalSeconds: number }>(await run.ready);
    expect(ready.slaSyncIntervalSeconds).toBe(5);
    const conn = new Connection({ instanceUrl: ready.instanceUrl, accessToken: ready.accessToken, version: ready.apiVersion });
    const user = (await conn.query<{ Id: string }>('SELECT Id FROM User WHERE IsActive = true ORDER BY CreatedDate LIMIT 1')).records[0].Id;
    const created = await conn.sobject('Lead').create({ LastName: 'Watched', Company: 'Watched Inc', Status: 'New', OwnerId: user });
    const lead = { id: created.id as string };
    await conn.sobject('Lead').update({ Id: lead.id, Status: 'Marketing Qualified' });
    const acceptTimer = async () =>
      (await conn.query<{ Status__c: string }>(`SELECT Status__c FROM SLA_Timer__c WHERE Lead__c = '${lead.id}' AND Clock__c = 'Accept'`))
        .records;
    const until = async (ok: () => Promise<boolean>) => {
      for (let i = 0; i < 60 && !(await ok()); i++) await new Promise((r) => setTimeout(r, 500));
    };
    await until(async () => (await acceptTimer()).length === 1);
    expect((await acceptTimer()).map((t) => t.Status__c)).toEqual(['Running']);
    await conn.sobject('Lead_Quality_Feedback__c').create({ Lead__c: lead.id, Disposition__c: 'Accept', Rating__c: 4 });
    await until(async () => (await acceptTimer())[0]?.Status__c === 'Met');
    expect((await acceptTimer()).map((t) => t.Status__c)).toEqual(['Met']);
    const stopped = await run.stop();
    expect(stopped.code).toBe(0);
  }, 60_000);

  it('refuses a --sync-interval it cannot keep, before starting anything', async () => {
    const child = spawn(process.execPath, [CLI_ENTRY, 'start', '--data', ':memory:', '--sync-interval', '2'], { cwd: PROJECT_ROOT });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(code).toBe(2);
    expect(stderr).toContain('--sync-interval must be 0 or a whole number of seconds from 5 to 86400, got "2"');
  });
});
