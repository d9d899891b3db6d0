import type { Connection } from 'jsforce';
import { loadSeedPlan, type LoadOptions, type SeedMode } from './loader';
import { buildSeedPlan } from './plan';
import { seedNow } from './time';
import type { SeedOptions, SeedPlan } from './types';

export interface SeedRunOptions extends SeedOptions, Omit<LoadOptions, 'mode'> {
  mode: SeedMode;
}

/** What a seed run did, for the CLI's summary (and `--json`). */
export interface SeedSummary {
  mode: SeedMode;
  seed: number;
  now: string;
  leads: number;
  days: number;
  /** why nothing was written (org mode, demo data already there) */
  skipped?: string;
  /** records in the plan, by object */
  planned: Record<string, number>;
  created: Record<string, number>;
  updated: Record<string, number>;
  deleted: Record<string, number>;
  requests: number;
  /** building the plan and loading it */
  elapsedMs: number;
}

/** Builds the plan and loads it: the whole of `closed-loop seed --local` (and of `npm start`'s first run). */
export async function runSeed(conn: Connection, options: SeedRunOptions, clock: () => number = Date.now): Promise<SeedSummary> {
  const started = clock();
  const plan: SeedPlan = buildSeedPlan(options);
  const result = await loadSeedPlan(conn, plan, options);
  const planned: Record<string, number> = {};
  for (const [sobject, records] of Object.entries(plan.records)) if (records.length > 0) planned[sobject] = records.length;
  return {
    mode: options.mode,
    seed: plan.seed,
    now: plan.now,
    leads: plan.leads,
    days: plan.days,
    ...(result.skipped ? { skipped: result.skipped } : {}),
    planned,
    created: compact(result.created),
    updated: compact(result.updated),
    deleted: compact(result.deleted),
    requests: result.requests,
    elapsedMs: clock() - started
  };
}

export interface OrgSeedOptions {
  leads?: number;
  seed?: number;
  /** `create` the plan's users (needs free Salesforce licences) or map them onto the org's active users. */
  users: 'create' | 'existing';
  /** Appended to created usernames, which must be unique across all Salesforce orgs. */
  usernameSuffix?: string;
  onProgress?: SeedRunOptions['onProgress'];
  /** The instant the data ends at; default now (a real org stamps the load's own time anyway). */
  now?: Date;
}

/**
 * `closed-loop org seed`: the same demo data as `closed-loop seed --local`, loaded in the `org` mode —
 * no audit fields or history rows; the history is replayed as real updates so the org records it
 * itself, and leads are converted with the SOAP API's convertLead. It writes nothing when the org
 * already has the demo leads.
 */
export function seedOrg(conn: Connection, options: OrgSeedOptions): Promise<SeedSummary> {
  return runSeed(conn, {
    mode: 'org',
    seed: options.seed,
    leads: options.leads,
    now: options.now ?? seedNow(),
    users: options.users,
    usernameSuffix: options.usernameSuffix,
    onProgress: options.onProgress
  });
}

function compact(counts: Partial<Record<string, number>>): Record<string, number> {
  return Object.fromEntries(Object.entries(counts).filter((e): e is [string, number] => (e[1] ?? 0) > 0));
}
