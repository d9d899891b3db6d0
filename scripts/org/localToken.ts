import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Connection } from 'jsforce';
import { DEFAULT_CONNECTION_FILE } from '../project';
import { connect, LocalConnectionInfo, OrgConnectionError, OrgTarget, readConnectionFile } from './connection';
import { findUser, PersonaError, type OrgUser } from './personas';

/**
 * A token for one user of the local org, minted over HTTP by the admin (the connection file the
 * local org writes at start): `POST /services/localorg/token {"username"}`. Requests made with it
 * run as that user, with their profile's and permission sets' access, so the CLI, the preview or the
 * sync can act as a persona exactly as in an org (docs/local-org.md). Code outside the local org
 * mints through here, never by importing it.
 */
export interface LocalUserConnection extends LocalConnectionInfo {
  userId: string;
  username: string;
}

/** Mints a token for `username` with the admin connection in `admin` (a connection file, or what it holds). */
export async function mintLocalUserToken(
  username: string,
  admin: string | LocalConnectionInfo = DEFAULT_CONNECTION_FILE
): Promise<LocalUserConnection> {
  const info = typeof admin === 'string' ? readConnectionFile(admin) : admin;
  return mintWith(jsforceConnection(info), username, typeof admin === 'string' ? admin : 'the admin connection');
}

async function mintWith(conn: Connection, username: string, source: string): Promise<LocalUserConnection> {
  let minted: LocalUserConnection;
  try {
    minted = await conn.requestPost<LocalUserConnection>('/services/localorg/token', { username });
  } catch (e) {
    throw mintError(e, username, conn.instanceUrl, source);
  }
  return {
    instanceUrl: minted.instanceUrl,
    accessToken: minted.accessToken,
    apiVersion: minted.apiVersion,
    userId: minted.userId,
    username: minted.username
  };
}

/** A user's session on the local org: its connection, what a connection file holds, and who it is. */
export interface LocalSession {
  conn: Connection;
  info: LocalConnectionInfo;
  user: OrgUser;
  /** What it was asked for: a username, a persona (`rep`), `sync` or `admin`. */
  choice: string;
}

/**
 * A session as `choice` — a username, a persona (`rep`, `marketing`, `manager`: the first active user with
 * its permission set), `sync` (the integration user, created when missing) or `admin` (the admin's own
 * connection) — minted with the admin connection `admin`. See scripts/org/personas.ts for the choices.
 */
export async function localSession(admin: LocalConnectionInfo, choice: string, source = 'the admin connection'): Promise<LocalSession> {
  const adminConn = jsforceConnection(admin);
  if (choice === 'admin') {
    let me: { user_id: string; preferred_username?: string; name?: string };
    try {
      me = await adminConn.requestGet<typeof me>('/services/oauth2/userinfo');
    } catch (e) {
      throw mintError(e, 'admin', admin.instanceUrl, source);
    }
    return {
      conn: adminConn,
      info: admin,
      user: { userId: me.user_id, username: me.preferred_username ?? '', name: me.name ?? '' },
      choice
    };
  }
  let user: OrgUser;
  try {
    user = await findUser(adminConn, choice);
  } catch (e) {
    if (e instanceof PersonaError) throw new OrgConnectionError(e.message);
    throw mintError(e, choice, admin.instanceUrl, source);
  }
  const minted = await mintWith(adminConn, user.username, source);
  return { conn: jsforceConnection(minted), info: minted, user, choice };
}

/**
 * The connection of a command that can run as another user of the local org (`--as`): `target.as`, else
 * `defaultAs` (`sync` for the SLA sync) when the connection file is the admin's. A connection file that is
 * a user's own (`localorg token --connection-file`) runs as that user. A real org runs as the user sf is
 * logged in as: `as` must not be given for one (the CLI refuses the flags together).
 */
export async function connectAs(target: OrgTarget, defaultAs?: string): Promise<Connection> {
  if (target.targetOrg || target.local === false) return connect(target);
  const file = target.connectionFile ?? DEFAULT_CONNECTION_FILE;
  const info = readConnectionFile(file);
  if (info.username) {
    if (target.as === undefined) return jsforceConnection(info);
    throw new OrgConnectionError(
      `--as needs the admin's connection file (.localorg/connection.json), and ${file} is ${info.username}'s: ` +
        'only the admin mints tokens for other users'
    );
  }
  const as = target.as ?? defaultAs;
  if (as === undefined || as === 'admin') return jsforceConnection(info);
  return (await localSession(info, as, file)).conn;
}

function jsforceConnection(info: LocalConnectionInfo): Connection {
  // jsforce is loaded here, not at the top: it takes a good part of a second (see connection.ts)
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { Connection } = require('jsforce') as typeof import('jsforce');
  return new Connection({ instanceUrl: info.instanceUrl, accessToken: info.accessToken, version: info.apiVersion });
}

function mintError(e: unknown, username: string, instanceUrl: string, file: string): Error {
  const code = (e as { errorCode?: string }).errorCode;
  const message = e instanceof Error ? e.message : String(e);
  const network = (e as { cause?: { code?: string } }).cause?.code ?? (e as { code?: string }).code;
  if (network === 'ECONNREFUSED' || /fetch failed|ECONNREFUSED/.test(message)) {
    return new OrgConnectionError(
      `the local org at ${instanceUrl} is not running: start it first (npm start, or npx closed-loop localorg start)`
    );
  }
  switch (code) {
    case 'INVALID_SESSION_ID':
      return new OrgConnectionError(
        `the local org refused the token in ${file}: it is from an earlier start; use the connection file of the running org`
      );
    case 'INSUFFICIENT_ACCESS':
      return new OrgConnectionError(`the token in ${file} is not the admin's: only the admin (Modify All Data) mints user tokens`);
    case 'NOT_FOUND':
      return new OrgConnectionError(`no user with username ${username} in the local org (SELECT Username FROM User lists them)`);
    case 'INACTIVE_OWNER_OR_USER':
      return new OrgConnectionError(`user ${username} is inactive in the local org: activate them (User.IsActive) first`);
    default:
      return new OrgConnectionError(`the local org did not mint a token for ${username}: ${code ? `${code}: ` : ''}${message}`);
  }
}

/**
 * Writes a connection file (`{instanceUrl, accessToken, apiVersion}`, mode 0600), as the local org does at
 * start; a user's file also names the user (`username`), so commands know it is not the admin's.
 */
export function writeConnectionFile(file: string, info: LocalConnectionInfo): void {
  fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  const { instanceUrl, accessToken, apiVersion, username } = info;
  fs.writeFileSync(file, `${JSON.stringify({ instanceUrl, accessToken, apiVersion, ...(username ? { username } : {}) }, null, 2)}\n`, {
    mode: 0o600
  });
  fs.chmodSync(file, 0o600);
}
