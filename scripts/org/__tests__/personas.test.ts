import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { startTestOrg, type TestOrg } from '../../localorg/testing';
import { connectAs, localSession, mintLocalUserToken, writeConnectionFile } from '../localToken';
import { assignPermissionSets, ensureLocalSyncUser, findUser, LOCAL_SYNC_USER, PersonaError } from '../personas';

/**
 * Who the product runs as on the local org: permission sets assigned through the API (what the seed uses),
 * the integration user the SLA sync runs as, and the users `--as` and the preview pick by persona.
 */
let org: TestOrg;
let dir: string;
beforeAll(async () => {
  org = await startTestOrg();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'personas-'));
});
afterAll(async () => {
  await org?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

const assignments = async (userId: string) =>
  (
    await org.conn.query<{ PermissionSet: { Name: string } }>(
      `SELECT PermissionSet.Name FROM PermissionSetAssignment WHERE AssigneeId = '${userId}' ORDER BY PermissionSet.Name`
    )
  ).records.map((r) => r.PermissionSet.Name);

describe('assignPermissionSets', () => {
  it('inserts each assignment once and keeps the ones the org has', async () => {
    const a = await org.createUser({ username: 'assign.a@example.com' });
    const b = await org.createUser({ username: 'assign.b@example.com', permissionSets: ['Closed_Loop_Rep'] });
    const first = await assignPermissionSets(org.conn, [
      { userId: a.userId, permissionSet: 'Closed_Loop_Rep' },
      { userId: a.userId, permissionSet: 'Closed_Loop_Rep' },
      { userId: b.userId, permissionSet: 'Closed_Loop_Rep' },
      { userId: b.userId, permissionSet: 'Closed_Loop_Marketing' }
    ]);
    expect(first).toMatchObject({ assigned: 2, existing: 2 });
    expect(await assignments(a.userId)).toEqual(['Closed_Loop_Rep']);
    expect(await assignments(b.userId)).toEqual(['Closed_Loop_Marketing', 'Closed_Loop_Rep']);
    const again = await assignPermissionSets(org.conn, [{ userId: b.userId, permissionSet: 'Closed_Loop_Marketing' }]);
    expect(again).toMatchObject({ assigned: 0, existing: 1 });
  });

  it('names a permission set the org lacks, and writes nothing', async () => {
    const c = await org.createUser({ username: 'assign.c@example.com' });
    await expect(
      assignPermissionSets(org.conn, [
        { userId: c.userId, permissionSet: 'Closed_Loop_Rep' },
        { userId: c.userId, permissionSet: 'Closed_Loop_Auditor' }
      ])
    ).rejects.toThrow(
      new PersonaError(
        'the org has no permission set Closed_Loop_Auditor: deploy the package first (npx closed-loop org deploy, or --local)'
      )
    );
    expect(await assignments(c.userId)).toEqual([]);
  });
});

describe('the local integration user', () => {
  it('is created once, with Standard User and Closed_Loop_Sync only, and given the set again if it lost it', async () => {
    const first = await ensureLocalSyncUser(org.conn);
    expect(first).toMatchObject({ username: LOCAL_SYNC_USER.Username, created: true, assigned: true });
    expect(await assignments(first.userId)).toEqual(['Closed_Loop_Sync']);
    const user = await org.conn.query<{ Name: string; Profile: { Name: string } }>(
      `SELECT Name, Profile.Name FROM User WHERE Id = '${first.userId}'`
    );
    expect(user.records[0]).toMatchObject({ Name: 'Closed Loop Sync', Profile: { Name: 'Standard User' } });

    expect(await ensureLocalSyncUser(org.conn)).toMatchObject({ userId: first.userId, created: false, assigned: false });
    const psa = await org.conn.query<{ Id: string }>(`SELECT Id FROM PermissionSetAssignment WHERE AssigneeId = '${first.userId}'`);
    await org.conn.sobject('PermissionSetAssignment').destroy(psa.records[0].Id);
    expect(await ensureLocalSyncUser(org.conn)).toMatchObject({ created: false, assigned: true });
    expect(await assignments(first.userId)).toEqual(['Closed_Loop_Sync']);
  });
});

describe('findUser and connectAs (--as)', () => {
  it('picks the first active user of a persona by username, a user by username, and says what is missing', async () => {
    await org.createUser({ username: 'zed.manager@example.com', lastName: 'Zed', permissionSets: ['Closed_Loop_Manager'] });
    await org.createUser({ username: 'amy.manager@example.com', lastName: 'Amy', permissionSets: ['Closed_Loop_Manager'] });
    expect(await findUser(org.conn, 'manager')).toMatchObject({ username: 'amy.manager@example.com', name: 'Amy' });
    expect(await findUser(org.conn, 'zed.manager@example.com')).toMatchObject({ name: 'Zed' });
    expect(await findUser(org.conn, 'sync')).toMatchObject({ username: LOCAL_SYNC_USER.Username, name: 'Closed Loop Sync' });
    expect(await findUser(org.conn, 'marketing')).toMatchObject({ username: 'assign.b@example.com' });
    // only active users count
    const b = await findUser(org.conn, 'assign.b@example.com');
    await org.conn.sobject('User').update({ Id: b.userId, IsActive: false });
    await expect(findUser(org.conn, 'marketing')).rejects.toThrow(/^no active user has Closed_Loop_Marketing \(the marketing persona\)/);
    await expect(findUser(org.conn, 'auditor')).rejects.toThrow(
      '--as takes a username or one of rep, marketing, manager, sync, admin; got "auditor"'
    );
    await expect(findUser(org.conn, 'ghost@example.com')).rejects.toThrow(/^no user with username ghost@example.com/);
  });

  it('runs as the admin, the default user asked for, or --as; a user’s own connection file runs as that user', async () => {
    const who = async (conn: Awaited<ReturnType<typeof connectAs>>) => (await conn.identity()).username;
    const target = { local: true, connectionFile: org.connectionFile };
    expect(await who(await connectAs(target))).toBe('admin@closed-loop.local');
    expect(await who(await connectAs(target, 'sync'))).toBe(LOCAL_SYNC_USER.Username);
    expect(await who(await connectAs({ ...target, as: 'manager' }, 'sync'))).toBe('amy.manager@example.com');
    expect(await who(await connectAs({ ...target, as: 'admin' }, 'sync'))).toBe('admin@closed-loop.local');

    const userFile = path.join(dir, 'amy.json');
    writeConnectionFile(userFile, await mintLocalUserToken('amy.manager@example.com', org.connectionFile));
    expect(await who(await connectAs({ local: true, connectionFile: userFile }, 'sync'))).toBe('amy.manager@example.com');
    await expect(connectAs({ local: true, connectionFile: userFile, as: 'sync' })).rejects.toThrow(
      /^--as needs the admin's connection file \(\.localorg\/connection\.json\), and .*amy\.json is amy\.manager@example\.com's/
    );
  });

  it('a session says who it is for', async () => {
    const admin = { instanceUrl: org.instanceUrl, accessToken: org.accessToken, apiVersion: '64.0' };
    const manager = await localSession(admin, 'manager');
    expect(manager).toMatchObject({
      choice: 'manager',
      user: { username: 'amy.manager@example.com' },
      info: { username: 'amy.manager@example.com' }
    });
    expect(manager.info.accessToken).not.toBe(org.accessToken);
    const self = await localSession(admin, 'admin');
    expect(self).toMatchObject({ user: { userId: org.userId, username: 'admin@closed-loop.local', name: 'Local Admin' } });
    expect(self.info.accessToken).toBe(org.accessToken);
  });
});
