import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { Connection } from 'jsforce';
import type { BulkOptions } from './bulk/bulkJobs';
import type { AnsweredRequest } from './http/handler';
import { startLocalOrg } from './server';

export type { AnsweredRequest };

export interface TestOrg {
  conn: Connection;
  instanceUrl: string;
  accessToken: string;
  /** A connection file (in a temporary folder) for CLI tests: `--connection-file <it>`. */
  connectionFile: string;
  /** The running user's Id ("Local Admin"). */
  userId: string;
  /**
   * A jsforce connection as an active user of the org: a token the admin mints over HTTP
   * (`POST /services/localorg/token`, what `closed-loop localorg token --user` calls); requests made
   * with it get that user's profile and permission sets.
   */
  connectionAs(username: string): Promise<Connection>;
  /** Creates a user through the API as the admin (Standard User unless told), assigns permission sets by Name, and connects as them. */
  createUser(opts: TestUserOptions): Promise<TestUser>;
  /** Every request the org answered, in order: method, path, status and the server's time in ms. */
  answered: AnsweredRequest[];
  /** What the org wrote to its server log (the causes of 500 answers, under their error ids). */
  serverLog: string[];
  /**
   * SQLite's `PRAGMA data_version` as a second connection to the org's database file sees it: it
   * changes exactly when the org commits a write (only for an org started with `onDisk: true`).
   */
  dataVersion(): number;
  close(): Promise<void>;
}

export interface TestUserOptions {
  username: string;
  lastName?: string;
  firstName?: string;
  /** `Standard User` (default) or `System Administrator`. */
  profile?: string;
  /** Names of deployed permission sets to assign (PermissionSetAssignment rows). */
  permissionSets?: string[];
}

export interface TestUser {
  userId: string;
  username: string;
  /** jsforce as this user. */
  conn: Connection;
}

/**
 * An in-process local org for tests: port 0, `:memory:` unless `data` is given (or `onDisk`, a
 * file in a temporary folder), schema = the package (force-app + config/demo) deployed into it, or
 * `sourceDirs` (`[]`: an empty org). Reach it only through `conn` (jsforce), HTTP or the connection
 * file, as a real org; `answered`, `serverLog` and `dataVersion` observe it from outside. `bulk` sets
 * the Bulk API's chunk and result page sizes, so a test sees several chunks or pages with few records.
 */
export async function startTestOrg(
  opts: {
    data?: string;
    onDisk?: boolean;
    now?: () => Date;
    offsetPaging?: boolean;
    sourceDirs?: string[];
    queryTimeoutMs?: number;
    bulk?: BulkOptions;
    dailyApiRequests?: number;
  } = {}
): Promise<TestOrg> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'closed-loop-org-'));
  const connectionFile = path.join(dir, 'connection.json');
  const data = opts.data ?? (opts.onDisk ? path.join(dir, 'org.db') : ':memory:');
  const answered: AnsweredRequest[] = [];
  const serverLog: string[] = [];
  const org = await startLocalOrg({
    data,
    connectionFile,
    now: opts.now,
    offsetPaging: opts.offsetPaging,
    sourceDirs: opts.sourceDirs,
    queryTimeoutMs: opts.queryTimeoutMs,
    dailyApiRequests: opts.dailyApiRequests,
    log: (line) => serverLog.push(line),
    onRequest: (info) => answered.push(info),
    bulk: opts.bulk
  });
  const observer = data === ':memory:' ? undefined : new DatabaseSync(data, { readOnly: true });
  const conn = new Connection({ instanceUrl: org.instanceUrl, accessToken: org.accessToken, version: org.apiVersion });
  const connectionAs = async (username: string) => {
    const minted = await conn.requestPost<{ instanceUrl: string; accessToken: string; apiVersion: string }>('/services/localorg/token', {
      username
    });
    return new Connection({ instanceUrl: minted.instanceUrl, accessToken: minted.accessToken, version: minted.apiVersion });
  };
  return {
    conn,
    instanceUrl: org.instanceUrl,
    accessToken: org.accessToken,
    connectionFile,
    userId: org.userId,
    connectionAs,
    async createUser(opts) {
      const profile = await conn.query<{ Id: string }>(
        `SELECT Id FROM Profile WHERE Name = '${(opts.profile ?? 'Standard User').replace(/[\\']/g, '\\$&')}'`
      );
      if (profile.records.length !== 1) throw new Error(`no profile named ${opts.profile}`);
      const lastName = opts.lastName ?? opts.username.split('@')[0];
      const created = await conn.sobject('User').create({
        Username: opts.username,
        LastName: lastName,
        FirstName: opts.firstName,
        Email: opts.username,
        Alias: lastName.slice(0, 8),
        TimeZoneSidKey: 'America/New_York',
        LocaleSidKey: 'en_US',
        EmailEncodingKey: 'UTF-8',
        LanguageLocaleKey: 'en_US',
        ProfileId: profile.records[0].Id
      });
      if (!created.success) throw new Error(`user ${opts.username} not created`);
      for (const name of opts.permissionSets ?? []) {
        const ps = await conn.query<{ Id: string }>(`SELECT Id FROM PermissionSet WHERE Name = '${name.replace(/[\\']/g, '\\$&')}'`);
        if (ps.records.length !== 1) throw new Error(`no permission set named ${name}`);
        await conn.sobject('PermissionSetAssignment').create({ AssigneeId: created.id, PermissionSetId: ps.records[0].Id });
      }
      return { userId: created.id, username: opts.username, conn: await connectionAs(opts.username) };
    },
    answered,
    serverLog,
    dataVersion() {
      if (!observer) throw new Error('dataVersion() needs an org on disk: startTestOrg({ onDisk: true })');
      return Number((observer.prepare('PRAGMA data_version').get() as { data_version: number }).data_version);
    },
    async close() {
      observer?.close();
      await org.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  };
}
