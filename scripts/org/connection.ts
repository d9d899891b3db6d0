import * as fs from 'node:fs';
import type { Connection } from 'jsforce';
import { API_VERSION, DEFAULT_CONNECTION_FILE, OLDEST_API_VERSION } from '../project';
import { sfJson, SfRunner, spawnSf } from './sf';

/** Where a command's org is: the local org (through its connection file) or an sf CLI alias. */
export interface OrgTarget {
  local?: boolean;
  connectionFile?: string;
  targetOrg?: string;
  /** Local org only: run as this user (a username or persona); see connectAs in localToken.ts. connect() ignores it. */
  as?: string;
}

/** The connection file the local org writes at start: everything jsforce needs, no login call. */
export interface LocalConnectionInfo {
  instanceUrl: string;
  accessToken: string;
  apiVersion: string;
  /** Set in a user's connection file (`localorg token --connection-file`); the admin's names no user. */
  username?: string;
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
  if (info === null || typeof info !== 'object' || !info.instanceUrl || !info.accessToken) {
    throw new OrgConnectionError(`local org connection file ${file} lacks instanceUrl or accessToken`);
  }
  if (typeof info.instanceUrl !== 'string' || !/^https?:\/\/[^/?#\s]+\/?$/.test(info.instanceUrl) || typeof info.accessToken !== 'string') {
    throw new OrgConnectionError(`local org connection file ${file}: instanceUrl must be an http(s) URL and accessToken a string`);
  }
  const apiVersion = info.apiVersion ?? API_VERSION;
  const problem = apiVersionProblem(apiVersion);
  if (problem) throw new OrgConnectionError(`local org connection file ${file}: apiVersion ${JSON.stringify(apiVersion)} ${problem}`);
  const username = typeof info.username === 'string' && info.username ? { username: info.username } : {};
  return { instanceUrl: info.instanceUrl, accessToken: info.accessToken, apiVersion, ...username };
}

/**
 * Why `version` is not an API version this project can speak, or undefined when it is: written `NN.0` as
 * Salesforce numbers them, from OLDEST_API_VERSION (older ones are retired) to API_VERSION (the newest our
 * metadata and the local org know).
 */
export function apiVersionProblem(version: unknown): string | undefined {
  if (typeof version !== 'string' || !/^\d{2,3}\.0$/.test(version)) return 'is not an API version (written like 64.0)';
  const n = Number(version);
  if (n < Number(OLDEST_API_VERSION)) return `is retired (the oldest supported is ${OLDEST_API_VERSION})`;
  if (n > Number(API_VERSION)) return `is newer than this project's API version ${API_VERSION}`;
  return undefined;
}

/**
 * What `sf org display --json` returns (sf 2.150). Since sf 2.1xx the access token is redacted
 * ("[REDACTED] Use 'sf org auth show-access-token' to view"), so connect() asks for it separately.
 * Scratch orgs carry devHubId/expirationDate/status; other orgs carry connectedStatus instead.
 */
export interface SfOrgDisplay {
  id?: string;
  username: string;
  instanceUrl: string;
  apiVersion?: string;
  accessToken?: string;
  alias?: string;
  devHubId?: string;
  expirationDate?: string;
  status?: string;
  orgName?: string;
  edition?: string;
  connectedStatus?: string;
}

/** `sf org display` for an alias/username, or for sf's default org when targetOrg is undefined. */
export function displayOrg(targetOrg: string | undefined, runner: SfRunner = spawnSf): Promise<SfOrgDisplay> {
  return sfJson<SfOrgDisplay>(['org', 'display', ...targetOrgArgs(targetOrg)], runner);
}

/** A scratch org is one sf created from a Dev Hub: its display names the Dev Hub. */
export function isScratchOrg(org: SfOrgDisplay): boolean {
  return Boolean(org.devHubId);
}

/** `--target-org <A>` when given; nothing otherwise, so sf falls back to its configured default org. */
export function targetOrgArgs(targetOrg: string | undefined): string[] {
  return targetOrg ? ['--target-org', targetOrg] : [];
}

async function accessTokenFor(org: SfOrgDisplay, targetOrg: string | undefined, runner: SfRunner): Promise<string> {
  if (org.accessToken && !org.accessToken.startsWith('[REDACTED]')) return org.accessToken;
  const token = await sfJson<{ accessToken: string }>(
    ['org', 'auth', 'show-access-token', ...targetOrgArgs(targetOrg ?? org.username)],
    runner
  );
  return token.accessToken;
}

/**
 * A jsforce connection for the target: the same Connection type for the local org and a real
 * org, so every command runs the same code against both. `{ local: false }` without targetOrg
 * means sf's default org (`sf config get target-org`).
 */
export async function connect(target: OrgTarget, runner: SfRunner = spawnSf): Promise<Connection> {
  if (target.local && target.targetOrg) {
    throw new OrgConnectionError('use either --local or --target-org, not both');
  }
  // jsforce is loaded here, not at the top: it takes a good part of a second, and every CLI command
  // imports this module (for its types and errors) whether or not it reaches an org.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { Connection } = require('jsforce') as typeof import('jsforce');
  // A real org: the alias given, or sf's default org when the caller asked for a real org without naming one.
  if (target.targetOrg || target.local === false) {
    const org = await displayOrg(target.targetOrg, runner);
    const accessToken = await accessTokenFor(org, target.targetOrg, runner);
    return new Connection({ instanceUrl: org.instanceUrl, accessToken, version: org.apiVersion ?? API_VERSION });
  }
  const info = readConnectionFile(target.connectionFile ?? DEFAULT_CONNECTION_FILE);
  return new Connection({ instanceUrl: info.instanceUrl, accessToken: info.accessToken, version: info.apiVersion });
}
