import type { Connection } from 'jsforce';
import { loadSeedPlan, loadSeedStream, type LoadOptions, type LoadResult, type SeedMode } from './loader';
import { buildSeedPlan, streamSeedPlan } from './plan';
import { seedNow } from './time';
import { SEED_OBJECTS, type SeedBatch, type SeedOptions } from './types';

export interface SeedRunOptions extends SeedOptions, Omit<LoadOptions, 'mode'> {
  mode: SeedMode;
  /** local mode: leads generated and loaded at a time (default 20,000); the data is the same for any size */
  batchLeads?: number;
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

/**
 * Builds the plan and loads it: the whole of `closed-loop seed --local` (and of `npm start`'s first run). Local mode
 * streams it (shared records, then batches of leads), so memory follows a batch whatever the number of leads; org
 * mode replays the history of every lead in waves and takes the whole plan.
 */
export async function runSeed(conn: Connection, options: SeedRunOptions, clock: () => number = Date.now): Promise<SeedSummary> {
  const started = clock();
  const planned: Record<string, number> = {};
  const count = (records: SeedBatch['records']) => {
    for (const sobject of SEED_OBJECTS)
      if (records[sobject].length > 0) planned[sobject] = (planned[sobject] ?? 0) + records[sobject].length;
  };
  let plan: { seed: number; now: string; leads: number; days: number };
  let result: LoadResult;
  if (options.mode === 'local') {
    const stream = streamSeedPlan(options, options.batchLeads);
    count(stream.shared);
    plan = stream;
    result = await loadSeedStream(conn, { ...stream, pacedBatches: counted(stream.pacedBatches, count) }, options);
  } else {
    const whole = buildSeedPlan(options);
    count(whole.records);
    plan = whole;
    result = await loadSeedPlan(conn, whole, options);
  }
  return {
    mode: options.mode,
    seed: plan.seed,
    now: plan.now,
    leads: plan.leads,
    days: plan.days,
    ...(result.skipped ? { skipped: result.skipped } : {}),
    planned: Object.fromEntries(SEED_OBJECTS.filter((o) => planned[o]).map((o) => [o, planned[o]])),
    created: compact(result.created),
    updated: compact(result.updated),
    deleted: compact(result.deleted),
    requests: result.requests,
    elapsedMs: clock() - started
  };
}

async function* counted(
  batches: AsyncIterable<SeedBatch>,
  count: (records: SeedBatch['records']) => void
): AsyncGenerator<SeedBatch, void, undefined> {
  for await (const batch of batches) {
    count(batch.records);
    yield batch;
  }
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
