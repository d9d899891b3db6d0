import * as fs from 'node:fs';
import { Connection } from 'jsforce';
import { API_VERSION, DEFAULT_CONNECTION_FILE } from '../project';
import { sfJson, SfRunner, spawnSf } from './sf';

/** Where a command's org is: the local org (through its connection file) or an sf CLI alias. */
export interface OrgTarget {
  local?: boolean;
  connectionFile?: string;
  targetOrg?: string;
}

/** The connection file the local org writes at start: everything jsforce needs, no login call. */
export interface LocalConnectionInfo {
  instanceUrl: string;
  accessToken: string;
  apiVersion: string;
}

export class OrgConnectionError extends Error {
  override readonly name = 'OrgConnectionError';
}

export function readConnectionFile(file = DEFAULT_CONNECTION_FILE): LocalConnectionInfo {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    throw new OrgConnectionError(
      `no local org connection file at ${file}: start the local org first (npm start, or npx closed-loop localorg start)`
    );
  }
  let info: Partial<LocalConnectionInfo>;
  try {
    info = JSON.parse(text) as Partial<LocalConnectionInfo>;
  } catch {
    throw new OrgConnectionError(`local org connection file ${file} is not valid JSON`);
  }
  if (!info.instanceUrl || !info.accessToken) {
    throw new OrgConnectionError(`local org connection file ${file} lacks instanceUrl or accessToken`);
  }
  return { instanceUrl: info.instanceUrl, accessToken: info.accessToken, apiVersion: info.apiVersion ?? API_VERSION };
}

interface SfOrgDisplay {
  accessToken: string;
  instanceUrl: string;
  apiVersion?: string;
  username?: string;
}

/**
 * A jsforce connection for the target: the same Connection type for the local org and a real
 * org, so every command runs the same code against both.
 */
export async function connect(target: OrgTarget, runner: SfRunner = spawnSf): Promise<Connection> {
  if (target.local && target.targetOrg) {
    throw new OrgConnectionError('use either --local or --target-org, not both');
  }
  if (target.targetOrg) {
    const org = await sfJson<SfOrgDisplay>(['org', 'display', '--target-org', target.targetOrg], runner);
    return new Connection({ instanceUrl: org.instanceUrl, accessToken: org.accessToken, version: org.apiVersion ?? API_VERSION });
  }
  const info = readConnectionFile(target.connectionFile ?? DEFAULT_CONNECTION_FILE);
  return new Connection({ instanceUrl: info.instanceUrl, accessToken: info.accessToken, version: info.apiVersion });
}
