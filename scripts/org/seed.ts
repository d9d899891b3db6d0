import type { Connection } from 'jsforce';

/**
 * `closed-loop org seed` loads the same demo data as `closed-loop seed --local`: the one generator in
 * scripts/seed, `runSeed(conn, options)` (buildSeedPlan → loadSeedPlan), in its `org` mode — no
 * audit fields or history rows; the history is replayed as real updates so the org records it
 * itself, and leads are converted with convertLead. This module only bridges to it.
 *
 * The generator is loaded at run time, so this command builds even in a copy where scripts/seed is
 * missing; the shapes below mirror scripts/seed/run.ts.
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

/** What a seed run did (scripts/seed's SeedSummary). */
export interface SeedSummary {
  mode: 'local' | 'org';
  seed: number;
  now: string;
  leads: number;
  days: number;
  /** Why nothing was written (the org already has the demo data). */
  skipped?: string;
  planned: Record<string, number>;
  created: Record<string, number>;
  updated: Record<string, number>;
  deleted: Record<string, number>;
  requests: number;
  elapsedMs: number;
}

export type RunSeed = (
  conn: Connection,
  options: Omit<OrgSeedOptions, 'onProgress'> & { mode: 'org'; now: Date; onProgress?: OrgSeedOptions['onProgress'] }
) => Promise<SeedSummary>;

export class SeedUnavailableError extends Error {
  override readonly name = 'SeedUnavailableError';
}

/** scripts/seed's runSeed, compiled beside this module. */
export function loadRunSeed(load: (id: string) => unknown = require): RunSeed {
  let mod: { runSeed?: unknown };
  try {
    mod = load('../seed') as { runSeed?: unknown };
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'MODULE_NOT_FOUND') throw err;
    mod = {};
  }
  if (typeof mod.runSeed !== 'function') {
    throw new SeedUnavailableError('the demo-data generator (scripts/seed, runSeed) is not in this build: run npm run build');
  }
  return mod.runSeed as RunSeed;
}

/** Loads the demo data into a real org, stamped with the current time (a real org cannot be backdated). */
export function seedOrg(conn: Connection, options: OrgSeedOptions, runSeed: RunSeed = loadRunSeed()): Promise<SeedSummary> {
  return runSeed(conn, { ...options, mode: 'org', now: new Date() });
}
