import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Connection } from 'jsforce';
import { PROJECT_ROOT } from '../../project';
import { jsonResult } from '../../testing/cli';
import { startTestOrg } from '../testing';

/** The server as a whole: auth, persistence across restarts, concurrency, the CLI command. */

test('a request without the bearer token gets 401 INVALID_SESSION_ID', async () => {
  const org = await startTestOrg();
  try {
    for (const headers of [{}, { Authorization: 'Bearer wrong' }, { Authorization: `Bearer ${org.accessToken}x` }] as Array<
      Record<string, string>
    >) {
      const res = await fetch(`${org.instanceUrl}/services/data/v64.0/sobjects`, { headers });
      expect(res.status).toBe(401);
      expect(await res.json()).toEqual([{ message: 'Session expired or invalid', errorCode: 'INVALID_SESSION_ID' }]);
    }
    const bad = new Connection({ instanceUrl: org.instanceUrl, accessToken: 'nope', version: '64.0' });
    await expect(bad.query('SELECT Id FROM Lead')).rejects.toThrow();
    const ok = await fetch(`${org.instanceUrl}/services/data/v64.0/limits`, { headers: { Authorization: `Bearer ${org.accessToken}` } });
    expect(ok.status).toBe(200);
    const info = JSON.parse(fs.readFileSync(org.connectionFile, 'utf8')) as Record<string, string>;
    expect(info).toEqual({ instanceUrl: org.instanceUrl, accessToken: org.accessToken, apiVersion: '64.0' });
    expect(fs.statSync(org.connectionFile).mode & 0o777).toBe(0o600);
  } finally {
    await org.close();
  }
});

test('data and schema survive a restart on the same file, with a new token', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'localorg-restart-'));
  const data = path.join(dir, 'org.db');
  try {
    const first = await startTestOrg({ data });
    const created = await first.conn.sobject('Lead').create({ LastName: 'Persistent', Company: 'Disk' });
    await first.conn.sobject('Lead').update({ Id: created.id!, Status: 'Marketing Qualified' });
    await first.close();
    const second = await startTestOrg({ data });
    try {
      expect(second.accessToken).not.toBe(first.accessToken);
      expect(second.userId).toBe(first.userId);
      const r = await second.conn.query<{ Name: string; Status: string }>(`SELECT Name, Status FROM Lead WHERE Id = '${created.id}'`);
      expect(r.records[0]).toMatchObject({ Name: 'Persistent', Status: 'Marketing Qualified' });
      expect(
        (await second.conn.query(`SELECT COUNT() FROM LeadHistory WHERE LeadId = '${created.id}' AND Field = 'Status'`)).totalSize
      ).toBe(1);
      const next = await second.conn.sobject('Lead').create({ LastName: 'After', Company: 'Restart' });
      expect(next.id).not.toBe(created.id);
      // the package's three policies and the demo's two Accept tiers (config/demo)
      expect((await second.conn.query('SELECT COUNT() FROM SLA_Policy__mdt')).totalSize).toBe(5);
    } finally {
      await second.close();
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('50 concurrent jsforce clients doing mixed reads and writes: no errors, no lost writes', async () => {
  const org = await startTestOrg();
  try {
    const counter = await org.conn.sobject('Lead').create({ LastName: 'Counter', Company: 'Shared' });
    const clients = Array.from(
      { length: 50 },
      () => new Connection({ instanceUrl: org.instanceUrl, accessToken: org.accessToken, version: '64.0' })
    );
    const perClient = 6;
    await Promise.all(
      clients.map(async (c, k) => {
        for (let i = 0; i < perClient; i++) {
          const r = await c.sobject('Lead').create({ LastName: `C${k}-${i}`, Company: `Client ${k}` });
          expect(r.success).toBe(true);
          await c.sobject('Lead').update({ Id: r.id!, Status: 'Marketing Qualified' });
          const mine = await c.query(`SELECT Id FROM Lead WHERE Company = 'Client ${k}'`);
          expect(mine.totalSize).toBe(i + 1);
          await c.sobject('SLA_Timer__c').upsert({ Timer_Key__c: `shared:${i}`, Status__c: 'Running' }, 'Timer_Key__c');
          await c.sobject('Lead').retrieve(counter.id!);
        }
      })
    );
    expect((await org.conn.query("SELECT COUNT() FROM Lead WHERE Company LIKE 'Client %'")).totalSize).toBe(50 * perClient);
    expect(
      (await org.conn.query("SELECT COUNT() FROM Lead WHERE Company LIKE 'Client %' AND Status = 'Marketing Qualified'")).totalSize
    ).toBe(50 * perClient);
    expect((await org.conn.query("SELECT COUNT() FROM LeadHistory WHERE Field = 'Status'")).totalSize).toBe(50 * perClient);
    expect((await org.conn.query("SELECT COUNT() FROM SLA_Timer__c WHERE Timer_Key__c LIKE 'shared:%'")).totalSize).toBe(perClient);
  } finally {
    await org.close();
  }
});

test('closed-loop localorg start --json prints the connection once serving and stops cleanly on SIGTERM', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'localorg-cli-'));
  const connectionFile = path.join(dir, 'conn.json');
  const child = spawn(
    process.execPath,
    [
      path.join(PROJECT_ROOT, 'dist/cli/index.js'),
      'localorg',
      'start',
      '--port',
      '0',
      '--data',
      path.join(dir, 'org.db'),
      '--connection-file',
      connectionFile,
      '--json'
    ],
    {
      stdio: ['ignore', 'pipe', 'pipe']
    }
  );
  try {
    const line = await new Promise<string>((resolve, reject) => {
      let out = '';
      child.stdout.on('data', (d: Buffer) => {
        out += d.toString();
        if (out.includes('\n')) resolve(out.split('\n')[0]);
      });
      child.on('exit', (code) => reject(new Error(`exited ${code}`)));
    });
    const info = jsonResult<{ instanceUrl: string; accessToken: string; apiVersion: string }>(line);
    expect(info.instanceUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(JSON.parse(fs.readFileSync(connectionFile, 'utf8'))).toEqual(info);
    const conn = new Connection({ instanceUrl: info.instanceUrl, accessToken: info.accessToken, version: info.apiVersion });
    expect((await conn.query('SELECT COUNT() FROM User')).totalSize).toBe(1);
    const code = await new Promise<number | null>((resolve) => {
      child.on('exit', (c) => resolve(c));
      child.kill('SIGTERM');
    });
    expect(code).toBe(0);
  } finally {
    if (child.exitCode === null) child.kill('SIGKILL');
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
