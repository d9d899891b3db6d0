import type { Connection } from 'jsforce';

/**
 * `closed-loop org seed` loads the same demo data as `closed-loop seed --local`: the one generator in
 * scripts/seed (buildSeedPlan → loadSeedPlan), in its `org` mode — no audit fields or history rows,
 * the history replayed as real updates so the org records it itself, leads converted with
 * convertLead. This module only bridges to it.
 *
 * The generator is loaded at run time (require), so this command builds even in a copy where
 * scripts/seed is not there; the shapes below mirror scripts/seed/types.ts and loader.ts.
 */

export interface OrgSeedOptions {
  leads?: number;
  seed?: number;
  /** `create` the plan's users (needs free Salesforce licences) or map them onto the org's active users. */
  users: 'create' | 'existing';
  /** Appended to created usernames, which must be unique across all Salesforce orgs. */
  usernameSuffix?: string;
  onProgress?(p: { step: string; done: number; total: number }): void;
}

export interface SeedSummary {
  seed: number;
  leads: number;
  /** Why nothing was written (the org already has the demo data). */
  skipped?: string;
  created: Record<string, number>;
  updated: Record<string, number>;
  total: number;
  requests: number;
}

interface SeedPlanLike {
  seed: number;
  leads: number;
}
interface LoadResultLike {
  skipped?: string;
  created: Partial<Record<string, number>>;
  updated: Partial<Record<string, number>>;
  requests: number;
}
interface SeedModules {
  buildSeedPlan(options: { seed?: number; leads?: number; now: Date }): SeedPlanLike;
  loadSeedPlan(
    conn: Connection,
    plan: SeedPlanLike,
    options: { mode: 'org'; users: 'create' | 'existing'; usernameSuffix?: string; onProgress?: OrgSeedOptions['onProgress'] }
  ): Promise<LoadResultLike>;
}

export class SeedUnavailableError extends Error {
  override readonly name = 'SeedUnavailableError';
}

/** scripts/seed/plan.ts and loader.ts, compiled beside this module. */
export function loadSeedModules(load: (id: string) => unknown = require): SeedModules {
  try {
    const plan = load('../seed/plan') as Partial<SeedModules>;
    const loader = load('../seed/loader') as Partial<SeedModules>;
    if (typeof plan.buildSeedPlan === 'function' && typeof loader.loadSeedPlan === 'function') {
      return { buildSeedPlan: plan.buildSeedPlan, loadSeedPlan: loader.loadSeedPlan };
    }
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'MODULE_NOT_FOUND') throw err;
  }
  throw new SeedUnavailableError(
    'the demo-data generator (scripts/seed: buildSeedPlan, loadSeedPlan) is not in this build: run npm run build'
  );
}

function counts(r: Partial<Record<string, number>>): Record<string, number> {
  return Object.fromEntries(Object.entries(r).filter((e): e is [string, number] => typeof e[1] === 'number' && e[1] > 0));
}

export async function seedOrg(conn: Connection, options: OrgSeedOptions, modules: SeedModules = loadSeedModules()): Promise<SeedSummary> {
  const plan = modules.buildSeedPlan({ seed: options.seed, leads: options.leads, now: new Date() });
  const result = await modules.loadSeedPlan(conn, plan, {
    mode: 'org',
    users: options.users,
    usernameSuffix: options.usernameSuffix,
    onProgress: options.onProgress
  });
  const created = counts(result.created);
  const updated = counts(result.updated);
  return {
    seed: plan.seed,
    leads: plan.leads,
    skipped: result.skipped,
    created,
    updated,
    total: Object.values(created).reduce((a, b) => a + b, 0),
    requests: result.requests
  };
}
