import type { Connection } from 'jsforce';
import { runSeed, seedNow, type SeedRunOptions, type SeedSummary } from '../seed';

/**
 * `closed-loop org seed` loads the same demo data as `closed-loop seed --local`: the one generator in
 * scripts/seed, `runSeed(conn, options)` (buildSeedPlan → loadSeedPlan), in its `org` mode — no
 * audit fields or history rows; the history is replayed as real updates so the org records it
 * itself, and leads are converted with the SOAP API's convertLead. It writes nothing when the org
 * already has the demo leads.
 */

export type { SeedSummary };

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

export type RunSeed = (conn: Connection, options: SeedRunOptions) => Promise<SeedSummary>;

export function seedOrg(conn: Connection, options: OrgSeedOptions, run: RunSeed = runSeed): Promise<SeedSummary> {
  return run(conn, {
    mode: 'org',
    seed: options.seed,
    leads: options.leads,
    now: options.now ?? seedNow(),
    users: options.users,
    usernameSuffix: options.usernameSuffix,
    onProgress: options.onProgress
  });
}
