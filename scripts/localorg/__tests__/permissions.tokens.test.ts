import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Connection } from 'jsforce';
import { jsonResult, runCli } from '../../testing/cli';
import { startTestOrg, TestOrg, TestUser } from '../testing';

/** A token per user: minted by the admin (over HTTP and with the CLI), its identity, and where it ends. */
let org: TestOrg;
let rep: TestUser;
let dir: string;

beforeAll(async () => {
  org = await startTestOrg();
  rep = await org.createUser({ username: 'Rep.One@example.com', firstName: 'Rita', lastName: 'Rep', permissionSets: ['Closed_Loop_Rep'] });
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'localorg-tokens-'));
});
afterAll(async () => {
  await org.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

const mint = (conn: Connection, body: object) => conn.requestPost('/services/localorg/token', body);

test('the token’s user answers the OAuth-style identity (jsforce conn.identity()) and userinfo', async () => {
  const identity = await rep.conn.identity();
  expect(identity).toMatchObject({
    user_id: rep.userId,
    username: 'Rep.One@example.com',
    display_name: 'Rita Rep',
    active: true,
    organization_id: '00DLo0000000001AAA'
  });
  const info = await rep.conn.request<Record<string, unknown>>('/services/oauth2/userinfo');
  expect(info).toMatchObject({ user_id: rep.userId, preferred_username: 'Rep.One@example.com', name: 'Rita Rep' });
  expect((await org.conn.identity()).user_id).toBe(org.userId);
  // another user's identity URL is not this token's to read
  await expect(rep.conn.request(`${org.instanceUrl}/id/00DLo0000000001AAA/${org.userId}`)).rejects.toMatchObject({
    errorCode: 'FORBIDDEN'
  });
});

test('only the admin mints; bad requests get clear errors', async () => {
  await expect(mint(rep.conn, { username: 'Rep.One@example.com' })).rejects.toMatchObject({ errorCode: 'INSUFFICIENT_ACCESS' });
  await expect(mint(org.conn, { username: 'nobody@example.com' })).rejects.toMatchObject({ errorCode: 'NOT_FOUND' });
  await expect(mint(org.conn, {})).rejects.toMatchObject({ errorCode: 'MISSING_ARGUMENT' });
  // usernames match case-insensitively, as in an org; each mint is a new token
  const again = await mint(org.conn, { username: 'rep.one@example.com' });
  expect(again).toMatchObject({ userId: rep.userId, username: 'Rep.One@example.com', instanceUrl: org.instanceUrl, apiVersion: '64.0' });
  expect((again as { accessToken: string }).accessToken).not.toBe(rep.conn.accessToken);
  // a user with the System Administrator profile gets full access
  const admin2 = await org.createUser({ username: 'admin2@example.com', profile: 'System Administrator' });
  await admin2.conn.sobject('SLA_Timer__c').create({ Status__c: 'Running' });
  await mint(admin2.conn, { username: 'Rep.One@example.com' });
});

test('a non-admin cannot deploy, nor read another user’s query locator', async () => {
  await expect(
    rep.conn.request({
      method: 'POST',
      url: '/services/data/v64.0/metadata/deployRequest',
      body: '',
      headers: { 'content-type': 'multipart/form-data; boundary=x' }
    })
  ).rejects.toMatchObject({ errorCode: 'INSUFFICIENT_ACCESS' });
  await org.conn.sobject('Lead').create(
    Array.from({ length: 200 }, (_, i) => ({ LastName: `L${i}`, Company: 'Paged' })),
    { allOrNone: true }
  );
  for (let k = 0; k < 10; k++) {
    await org.conn.sobject('Lead').create(
      Array.from({ length: 200 }, (_, i) => ({ LastName: `M${k}-${i}`, Company: 'Paged' })),
      { allOrNone: true }
    );
  }
  const first = await rep.conn.query("SELECT Id FROM Lead WHERE Company = 'Paged'", { autoFetch: false });
  expect(first.done).toBe(false);
  const other = await org.createUser({ username: 'rep2@example.com', permissionSets: ['Closed_Loop_Rep'] });
  await expect(other.conn.queryMore(first.nextRecordsUrl!)).rejects.toMatchObject({ errorCode: 'INVALID_QUERY_LOCATOR' });
  expect((await rep.conn.queryMore(first.nextRecordsUrl!)).records.length).toBe(200);
});

test('deactivating a user ends their sessions; an inactive user gets no token', async () => {
  const leaving = await org.createUser({ username: 'leaving@example.com' });
  expect((await leaving.conn.query('SELECT COUNT() FROM Lead')).totalSize).toBeGreaterThanOrEqual(0);
  await org.conn.sobject('User').update({ Id: leaving.userId, IsActive: false });
  await expect(leaving.conn.query('SELECT COUNT() FROM Lead')).rejects.toMatchObject({ errorCode: 'INVALID_SESSION_ID' });
  await expect(mint(org.conn, { username: 'leaving@example.com' })).rejects.toMatchObject({ errorCode: 'INACTIVE_OWNER_OR_USER' });
});

describe('closed-loop localorg token', () => {
  test('--user --connection-file writes a connection file (mode 0600) that runs as that user', async () => {
    const file = path.join(dir, 'rep.json');
    const r = await runCli([
      'localorg',
      'token',
      '--user',
      'Rep.One@example.com',
      '--admin-connection-file',
      org.connectionFile,
      '--connection-file',
      file
    ]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`Connection file: ${file}`);
    const info = JSON.parse(fs.readFileSync(file, 'utf8')) as { instanceUrl: string; accessToken: string; apiVersion: string };
    // the user's name tells commands that this file is not the admin's (they run as that user, never mint with it)
    expect(info).toMatchObject({ username: 'Rep.One@example.com' });
    expect(Object.keys(info).sort()).toEqual(['accessToken', 'apiVersion', 'instanceUrl', 'username']);
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    const conn = new Connection({ instanceUrl: info.instanceUrl, accessToken: info.accessToken, version: info.apiVersion });
    expect((await conn.identity()).user_id).toBe(rep.userId);
    await expect(conn.query('SELECT Id FROM SLA_Sync_State__c')).rejects.toMatchObject({ errorCode: 'INVALID_TYPE' });
  });

  test('--json prints the connection and who it is for; failures are one line and exit 1', async () => {
    const r = await runCli(['localorg', 'token', '--user', 'rep.one@example.com', '--admin-connection-file', org.connectionFile, '--json']);
    expect(r.code).toBe(0);
    expect(jsonResult(r.stdout)).toMatchObject({ userId: rep.userId, username: 'Rep.One@example.com', instanceUrl: org.instanceUrl });
    const missing = await runCli(['localorg', 'token', '--user', 'ghost@example.com', '--admin-connection-file', org.connectionFile]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toBe(
      'closed-loop: no user with username ghost@example.com in the local org (SELECT Username FROM User lists them)\n'
    );
    const repFile = path.join(dir, 'not-admin.json');
    fs.writeFileSync(repFile, JSON.stringify({ instanceUrl: org.instanceUrl, accessToken: rep.conn.accessToken, apiVersion: '64.0' }));
    const notAdmin = await runCli(['localorg', 'token', '--user', 'rep.one@example.com', '--admin-connection-file', repFile]);
    expect(notAdmin.stderr).toMatch(/only the admin \(Modify All Data\) mints user tokens/);
    const noFlag = await runCli(['localorg', 'token']);
    expect(noFlag.code).toBe(2);
  });
});
