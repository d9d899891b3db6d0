import * as path from 'node:path';
import { DEMO_DIR } from '../project';
import { targetOrgArgs } from './connection';
import { soql } from './data';
import { componentProblems, deployArgs, deployFailureMessage, type SfDeployResult } from './deploy';
import { PERSONA_PERMISSION_SETS, PERSONAS, SYNC_PERMISSION_SET, type Persona } from './personas';
import { SfCommandError, sfJson, SfRunner, spawnSf } from './sf';

/**
 * `closed-loop org setup`: what an org needs besides the deployed package before the SLA clocks
 * can run — the persona permission sets assigned, Closed_Loop_Sync assigned to the user the SLA sync
 * runs as (see docs/admin-guide.md), field history on the fields the clocks read (LeadHistory
 * on Status and Owner, OpportunityFieldHistory on StageName) and a default business-hours record.
 * A package cannot carry history settings of standard objects (they live in config/demo, see
 * scripts/validate/checks/packaging.ts), so setup checks them and, where they are off, switches
 * them on by deploying exactly those settings from config/demo — never the rest of config/demo,
 * whose demo Lead statuses would replace the org's own.
 */

// which set belongs to which persona is said once, in personas.ts (the seed assigns the same sets)
export { PERSONA_PERMISSION_SETS, PERSONAS, SYNC_PERMISSION_SET, type Persona } from './personas';

/** The fields the SLA clocks read history for (see docs/sla-clocks.md and docs/admin-guide.md#3-turn-on-field-history-tracking). */
export const TRACKED_FIELDS: ReadonlyArray<{ object: string; field: string; also?: string }> = [
  { object: 'Lead', field: 'Status' },
  { object: 'Lead', field: 'OwnerId', also: 'Owner' },
  { object: 'Opportunity', field: 'StageName' }
];

/** Where the history settings of TRACKED_FIELDS live (not in the package: see above). */
export const HISTORY_SETTINGS_DIR = path.join(DEMO_DIR, 'main', 'default', 'objects');

/** The source files that switch history on for TRACKED_FIELDS: each object's enableHistory and each field's trackHistory. */
export function historySettingFiles(fields: ReadonlyArray<{ object: string; field: string }> = TRACKED_FIELDS): string[] {
  const files = new Set<string>();
  for (const t of fields) {
    files.add(path.join(HISTORY_SETTINGS_DIR, t.object, `${t.object}.object-meta.xml`));
    files.add(path.join(HISTORY_SETTINGS_DIR, t.object, 'fields', `${t.field}.field-meta.xml`));
  }
  return [...files];
}

/** Minutes sf waits for the history settings to deploy. */
const HISTORY_DEPLOY_WAIT_MINUTES = 10;

export interface SetupOptions {
  targetOrg?: string;
  /** Usernames (or aliases) to assign to; the org's own user (the one sf is logged in as) when empty. */
  users: string[];
  personas: Persona[];
  /** Switch history tracking on where it is off (default true); false only reports it. */
  enableHistory?: boolean;
  /**
   * The user the SLA sync runs as, who gets Closed_Loop_Sync. Default: the user sf is logged in as — but only
   * when `users` is empty (assigning persona sets to other people leaves the sync user as it is).
   */
  syncUser?: string;
}

export interface SetupCheck {
  name: string;
  ok: boolean;
  /** What was found, or what is missing and how to fix it. */
  detail: string;
}

export interface Assignment {
  user: string;
  permissionSet?: string;
  message?: string;
}

export interface SetupReport {
  targetOrg?: string;
  permissionSets: string[];
  /** History settings this run switched on (`Lead.Status`), by deploying them from config/demo. */
  historyEnabled: string[];
  assigned: Assignment[];
  /** Assignments that existed already (sf reports them as DUPLICATE_VALUE; running setup twice is fine). */
  alreadyAssigned: Assignment[];
  failed: Assignment[];
  checks: SetupCheck[];
  /** One line per thing that is missing, empty when the org is ready. */
  missing: string[];
}

interface SfAssignResult {
  successes: Array<{ name: string; value: string }>;
  failures: Array<{ name: string; message: string }>;
}

interface SfQueryResult<T> {
  records: T[];
  totalSize: number;
  done: boolean;
}

export function assignArgs(targetOrg: string | undefined, permissionSets: string[], users: string[]): string[] {
  return [
    'org',
    'assign',
    'permset',
    ...permissionSets.flatMap((p) => ['--name', p]),
    ...users.flatMap((u) => ['--on-behalf-of', u]),
    ...targetOrgArgs(targetOrg)
  ];
}

export function fieldHistoryQuery(object: string): string {
  return soql`SELECT DurableId, QualifiedApiName, IsFieldHistoryTracked FROM FieldDefinition WHERE EntityDefinition.QualifiedApiName = ${object}`
    .text;
}

export const DEFAULT_BUSINESS_HOURS_QUERY = 'SELECT Id, Name FROM BusinessHours WHERE IsDefault = true';

export function queryArgs(targetOrg: string | undefined, soql: string): string[] {
  return ['data', 'query', '--query', soql, ...targetOrgArgs(targetOrg)];
}

/**
 * Assigns the permission sets with `sf org assign permset`. sf answers with status 1 (all failed)
 * or 68 (some failed) and the per-assignment outcome in its result; an assignment that exists
 * already is not a failure here.
 */
export async function assignPermissionSets(
  targetOrg: string | undefined,
  permissionSets: string[],
  users: string[],
  runner: SfRunner = spawnSf
): Promise<Pick<SetupReport, 'assigned' | 'alreadyAssigned' | 'failed'>> {
  let result: SfAssignResult;
  try {
    result = await sfJson<SfAssignResult>(assignArgs(targetOrg, permissionSets, users), runner);
  } catch (err) {
    const partial = err instanceof SfCommandError ? (err.output.result as SfAssignResult | undefined) : undefined;
    if (!partial || !Array.isArray(partial.failures)) throw err;
    result = partial;
  }
  const assigned = result.successes.map((s) => ({ user: s.name, permissionSet: s.value }));
  const alreadyAssigned: Assignment[] = [];
  const failed: Assignment[] = [];
  for (const f of result.failures) {
    if (/^Duplicate PermissionSetAssignment/i.test(f.message)) alreadyAssigned.push({ user: f.name, message: f.message });
    else failed.push({ user: f.name, permissionSet: /Permission set "([^"]+)"/.exec(f.message)?.[1], message: f.message });
  }
  return { assigned, alreadyAssigned, failed };
}

/** Field history tracking on the fields the SLA clocks read, from FieldDefinition. */
export async function checkFieldHistory(
  targetOrg: string | undefined,
  runner: SfRunner = spawnSf,
  objects: string[] = [...new Set(TRACKED_FIELDS.map((t) => t.object))]
): Promise<SetupCheck[]> {
  const checks: SetupCheck[] = [];
  for (const object of objects) {
    const rows = await sfJson<SfQueryResult<{ QualifiedApiName: string; IsFieldHistoryTracked: boolean }>>(
      queryArgs(targetOrg, fieldHistoryQuery(object)),
      runner
    );
    for (const t of TRACKED_FIELDS.filter((x) => x.object === object)) {
      const row = rows.records.find((r) => r.QualifiedApiName === t.field || r.QualifiedApiName === t.also);
      const name = `history tracking on ${object}.${t.field}`;
      if (!row) {
        checks.push({ name, ok: false, detail: `${object}.${t.field} not found in FieldDefinition` });
      } else if (row.IsFieldHistoryTracked) {
        checks.push({ name, ok: true, detail: 'on' });
      } else {
        checks.push({
          name,
          ok: false,
          detail: `off: Setup > Object Manager > ${object} > Fields & Relationships > Set History Tracking, tick ${t.also ?? t.field}`
        });
      }
    }
  }
  return checks;
}

/** The org-wide default BusinessHours (every org has one unless it was unset). */
export async function checkDefaultBusinessHours(targetOrg: string | undefined, runner: SfRunner = spawnSf): Promise<SetupCheck> {
  const r = await sfJson<SfQueryResult<{ Id: string; Name: string }>>(queryArgs(targetOrg, DEFAULT_BUSINESS_HOURS_QUERY), runner);
  const bh = r.records[0];
  return bh
    ? { name: 'default business hours', ok: true, detail: `${bh.Name} (${bh.Id})` }
    : {
        name: 'default business hours',
        ok: false,
        detail: 'none: Setup > Business Hours, open one and tick "Use these business hours as the default"'
      };
}

export function permissionSetsFor(personas: readonly Persona[]): string[] {
  return [...new Set((personas.length ? personas : PERSONAS).map((p) => PERSONA_PERMISSION_SETS[p]))];
}

/** The check's field (`Lead.Status`) from its name. */
const checkedField = (c: SetupCheck) => c.name.replace(/^history tracking on /, '');

/**
 * Switches history on for the tracked fields that are off: deploys their settings (and their
 * objects' enableHistory) from config/demo with `sf project deploy start`, then reads
 * FieldDefinition again, so a check passes only when the org says the field is tracked.
 */
export async function enableFieldHistory(
  targetOrg: string | undefined,
  checks: SetupCheck[],
  runner: SfRunner = spawnSf
): Promise<{ checks: SetupCheck[]; enabled: string[] }> {
  const off = TRACKED_FIELDS.filter((t) =>
    checks.some((c) => !c.ok && c.detail.startsWith('off') && checkedField(c) === `${t.object}.${t.field}`)
  );
  if (off.length === 0) return { checks, enabled: [] };
  const files = historySettingFiles(off);
  try {
    await sfJson<SfDeployResult>(
      deployArgs({ targetOrg, dryRun: false, directories: files, waitMinutes: HISTORY_DEPLOY_WAIT_MINUTES }),
      runner
    );
  } catch (err) {
    if (!(err instanceof SfCommandError)) throw err;
    const failed = err.output.result as SfDeployResult | undefined;
    const why =
      failed && typeof failed === 'object' && 'status' in failed
        ? deployFailureMessage(componentProblems(failed), false, failed.errorMessage ?? failed.status)
        : err.message;
    return {
      checks: checks.map((c) =>
        off.some((t) => checkedField(c) === `${t.object}.${t.field}`) ? { ...c, detail: `${c.detail} (switching it on failed: ${why})` } : c
      ),
      enabled: []
    };
  }
  const again = new Map<string, SetupCheck>();
  for (const c of await checkFieldHistory(targetOrg, runner, [...new Set(off.map((t) => t.object))])) again.set(c.name, c);
  const enabled: string[] = [];
  const updated = checks.map((c) => {
    const now = again.get(c.name);
    if (!now) return c;
    if (now.ok && !c.ok) {
      enabled.push(checkedField(c));
      return { ...now, detail: 'on (switched on now: deployed its history settings from config/demo)' };
    }
    return now;
  });
  return { checks: updated, enabled };
}

export async function setupOrg(opts: SetupOptions, runner: SfRunner = spawnSf): Promise<SetupReport> {
  const personaSets = permissionSetsFor(opts.personas);
  const assignment = await assignPermissionSets(opts.targetOrg, personaSets, opts.users, runner);
  const permissionSets = [...personaSets];
  if (opts.syncUser !== undefined || opts.users.length === 0) {
    // the sync's identity gets its own call: the running user (no --on-behalf-of) or the named integration user
    const sync = await assignPermissionSets(opts.targetOrg, [SYNC_PERMISSION_SET], opts.syncUser ? [opts.syncUser] : [], runner);
    permissionSets.push(SYNC_PERMISSION_SET);
    assignment.assigned.push(...sync.assigned);
    assignment.alreadyAssigned.push(...sync.alreadyAssigned);
    assignment.failed.push(...sync.failed);
  }
  let history = await checkFieldHistory(opts.targetOrg, runner);
  let historyEnabled: string[] = [];
  if (opts.enableHistory !== false)
    ({ checks: history, enabled: historyEnabled } = await enableFieldHistory(opts.targetOrg, history, runner));
  const checks = [...history, await checkDefaultBusinessHours(opts.targetOrg, runner)];
  const missing = [
    ...assignment.failed.map((f) => `permission set assignment for ${f.user}: ${f.message ?? 'failed'}`),
    ...checks.filter((c) => !c.ok).map((c) => `${c.name}: ${c.detail}`)
  ];
  return { targetOrg: opts.targetOrg, permissionSets, historyEnabled, ...assignment, checks, missing };
}

/** Thrown by the CLI when setup finished but the org is not ready; the report was printed first. */
export class OrgNotReadyError extends Error {
  override readonly name = 'OrgNotReadyError';
}
