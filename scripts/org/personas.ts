import type { Connection } from 'jsforce';
import { describeSaveError, OrgData, soql } from './data';
import type { OrgRecord, SaveResult, Soql } from './data';

/**
 * Who uses Closed Loop, and the permission set each one gets (docs/admin-guide.md, step 6): the three
 * personas and the integration user the SLA sync runs as. This is the one place that says which set
 * belongs to whom; `org setup` (through sf) and the seed (through the API, below) both read it.
 */
export type Persona = 'rep' | 'marketing' | 'manager';
export const PERSONAS: readonly Persona[] = ['rep', 'marketing', 'manager'];
export const PERSONA_PERMISSION_SETS: Record<Persona, string> = {
  rep: 'Closed_Loop_Rep',
  marketing: 'Closed_Loop_Marketing',
  manager: 'Closed_Loop_Manager'
};
/** The integration user's permission set: the only one that writes what the SLA measures. */
export const SYNC_PERMISSION_SET = 'Closed_Loop_Sync';

/**
 * The local org's integration user, the identity the SLA sync runs as there: Standard User plus
 * Closed_Loop_Sync and nothing else, as the admin guide asks of a real org's integration user.
 */
export const LOCAL_SYNC_USER = {
  Username: 'sync@closed-loop.local',
  FirstName: 'Closed Loop',
  LastName: 'Sync',
  Alias: 'clsync',
  Email: 'sync@closed-loop.local',
  TimeZoneSidKey: 'America/New_York',
  LocaleSidKey: 'en_US',
  LanguageLocaleKey: 'en_US',
  EmailEncodingKey: 'UTF-8'
} as const;
/** The profile the local integration user gets: its access comes from Closed_Loop_Sync. */
export const LOCAL_SYNC_PROFILE = 'Standard User';

export class PersonaError extends Error {
  override readonly name = 'PersonaError';
}

/** One permission set for one user, by the set's Name. */
export interface PermissionSetGrant {
  userId: string;
  permissionSet: string;
}

/** Assignments made now, those the org had already, and the API requests it took. */
export interface GrantResult {
  assigned: number;
  existing: number;
  requests: number;
}

/** At most this many ids in one IN list, and records in one collection request. */
const CHUNK = 200;

/**
 * Assigns permission sets through the API, as an admin does in an org: a PermissionSetAssignment row per
 * user and set, inserted in collections of 200 (all or none). An assignment the org already has is left as
 * it is, so running this again changes nothing. A set the org does not have (the package is not deployed)
 * is a PersonaError before anything is written.
 */
export async function assignPermissionSets(conn: Connection, grants: readonly PermissionSetGrant[]): Promise<GrantResult> {
  if (grants.length === 0) return { assigned: 0, existing: 0, requests: 0 };
  const data = new OrgData(conn);
  const names = [...new Set(grants.map((g) => g.permissionSet))];
  const sets = await all<{ Id: string; Name: string }>(data, soql`SELECT Id, Name FROM PermissionSet WHERE Name IN ${names}`);
  const setId = new Map(sets.map((s) => [s.Name, s.Id]));
  const missing = names.filter((n) => !setId.has(n));
  if (missing.length > 0)
    throw new PersonaError(
      `the org has no permission set ${missing.join(', ')}: deploy the package first (npx closed-loop org deploy, or --local)`
    );
  const users = [...new Set(grants.map((g) => g.userId))];
  const have = new Set<string>();
  for (let i = 0; i < users.length; i += CHUNK) {
    const rows = await all<{ AssigneeId: string; PermissionSetId: string }>(
      data,
      soql`SELECT AssigneeId, PermissionSetId FROM PermissionSetAssignment WHERE AssigneeId IN ${users.slice(i, i + CHUNK)} AND PermissionSetId IN ${[...setId.values()]}`
    );
    for (const r of rows) have.add(`${r.AssigneeId.slice(0, 15)}:${r.PermissionSetId.slice(0, 15)}`);
  }
  const wanted = new Map<string, { AssigneeId: string; PermissionSetId: string }>();
  for (const g of grants) {
    const PermissionSetId = setId.get(g.permissionSet) as string;
    const key = `${g.userId.slice(0, 15)}:${PermissionSetId.slice(0, 15)}`;
    if (!have.has(key)) wanted.set(key, { AssigneeId: g.userId, PermissionSetId });
  }
  const rows = [...wanted.values()];
  // collections of 200, each all or none
  const failed = (await data.insert('PermissionSetAssignment', rows, { allOrNone: true })).find((r) => !r.success);
  if (failed) throw new PersonaError(`assigning permission sets failed: ${errorText(failed)}`);
  return { assigned: rows.length, existing: grants.length - rows.length, requests: data.requests };
}

export interface LocalSyncUser {
  userId: string;
  username: string;
  /** Created by this call (it did not exist). */
  created: boolean;
  /** Closed_Loop_Sync assigned by this call. */
  assigned: boolean;
  requests: number;
}

/**
 * The local org's integration user (LOCAL_SYNC_USER) with Closed_Loop_Sync, created by the admin when it
 * is missing; the set assigned again if someone took it away. Harmless to call on every start.
 */
export async function ensureLocalSyncUser(conn: Connection): Promise<LocalSyncUser> {
  const username = LOCAL_SYNC_USER.Username;
  const data = new OrgData(conn);
  const found = await all<{ Id: string }>(data, soql`SELECT Id FROM User WHERE Username = ${username}`);
  let userId = found[0]?.Id;
  const created = !userId;
  if (!userId) {
    const profile = await all<{ Id: string }>(data, soql`SELECT Id FROM Profile WHERE Name = ${LOCAL_SYNC_PROFILE}`);
    if (!profile[0]) throw new PersonaError(`the org has no profile named "${LOCAL_SYNC_PROFILE}" for its integration user`);
    const [res] = await data.insert('User', [{ ...LOCAL_SYNC_USER, ProfileId: profile[0].Id }], { allOrNone: true });
    if (!res.success || !res.id) throw new PersonaError(`creating the integration user ${username} failed: ${errorText(res)}`);
    userId = res.id;
  }
  const grant = await assignPermissionSets(conn, [{ userId, permissionSet: SYNC_PERMISSION_SET }]);
  return { userId, username, created, assigned: grant.assigned > 0, requests: data.requests };
}

/** Who a command or the preview may run as on the local org: a persona, the integration user, or the admin. */
export type UserChoice = Persona | 'sync' | 'admin';
export const USER_CHOICES: readonly UserChoice[] = ['rep', 'marketing', 'manager', 'sync', 'admin'];

/** A user of the org, as `--as` names them. */
export interface OrgUser {
  userId: string;
  username: string;
  name: string;
}

/**
 * The user `choice` names: a username as it is; a persona the first active user (by username) holding its
 * permission set (`rep` → a user with Closed_Loop_Rep); `sync` the integration user (created when missing).
 * `admin` is not looked up: it is the admin's own connection. A PersonaError says what is missing.
 */
export async function findUser(conn: Connection, choice: string): Promise<OrgUser> {
  if (choice === 'sync') {
    const sync = await ensureLocalSyncUser(conn);
    return { userId: sync.userId, username: sync.username, name: `${LOCAL_SYNC_USER.FirstName} ${LOCAL_SYNC_USER.LastName}` };
  }
  const persona = PERSONAS.find((p) => p === choice);
  if (persona) {
    const set = PERSONA_PERMISSION_SETS[persona];
    const rows = await all<{ Assignee: { Id: string; Username: string; Name: string } }>(
      new OrgData(conn),
      soql`SELECT Assignee.Id, Assignee.Username, Assignee.Name FROM PermissionSetAssignment WHERE PermissionSet.Name = ${set} AND Assignee.IsActive = true ORDER BY Assignee.Username LIMIT 1`
    );
    const a = rows[0]?.Assignee;
    if (!a)
      throw new PersonaError(
        `no active user has ${set} (the ${persona} persona): seed the demo data (npx closed-loop seed --local) or assign it`
      );
    return { userId: a.Id, username: a.Username, name: a.Name };
  }
  if (!choice.includes('@')) throw new PersonaError(`--as takes a username or one of ${USER_CHOICES.join(', ')}; got "${choice}"`);
  const rows = await all<{ Id: string; Username: string; Name: string }>(
    new OrgData(conn),
    soql`SELECT Id, Username, Name FROM User WHERE Username = ${choice}`
  );
  if (!rows[0]) throw new PersonaError(`no user with username ${choice} in the org (SELECT Username FROM User lists them)`);
  return { userId: rows[0].Id, username: rows[0].Username, name: rows[0].Name };
}

/** The records of a small setup query, through the org data layer (its one paging loop and escaper). */
function all<T extends Record<string, unknown>>(data: OrgData, query: Soql): Promise<T[]> {
  return data.all<T & OrgRecord>(query);
}

function errorText(result: SaveResult): string {
  return result.errors.length > 0 ? result.errors.map((e) => `${e.statusCode}: ${e.message}`).join('; ') : describeSaveError(result);
}
