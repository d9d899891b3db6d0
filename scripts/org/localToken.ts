import * as fs from 'node:fs';
import * as path from 'node:path';
import { DEFAULT_CONNECTION_FILE } from '../project';
import { LocalConnectionInfo, OrgConnectionError, readConnectionFile } from './connection';

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

/** Mints a token for `username` with the admin connection in `adminConnectionFile`. */
export async function mintLocalUserToken(username: string, adminConnectionFile = DEFAULT_CONNECTION_FILE): Promise<LocalUserConnection> {
  const admin = readConnectionFile(adminConnectionFile);
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { Connection } = require('jsforce') as typeof import('jsforce');
  const conn = new Connection({ instanceUrl: admin.instanceUrl, accessToken: admin.accessToken, version: admin.apiVersion });
  let minted: LocalUserConnection;
  try {
    minted = await conn.requestPost<LocalUserConnection>('/services/localorg/token', { username });
  } catch (e) {
    throw mintError(e, username, admin.instanceUrl, adminConnectionFile);
  }
  return {
    instanceUrl: minted.instanceUrl,
    accessToken: minted.accessToken,
    apiVersion: minted.apiVersion,
    userId: minted.userId,
    username: minted.username
  };
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

/** Writes a connection file (`{instanceUrl, accessToken, apiVersion}`, mode 0600), as the local org does at start. */
export function writeConnectionFile(file: string, info: LocalConnectionInfo): void {
  fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  const { instanceUrl, accessToken, apiVersion } = info;
  fs.writeFileSync(file, `${JSON.stringify({ instanceUrl, accessToken, apiVersion }, null, 2)}\n`, { mode: 0o600 });
  fs.chmodSync(file, 0o600);
}
