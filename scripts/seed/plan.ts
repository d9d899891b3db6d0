import { BusinessCalendar } from '../calendar';
import { buildBusinessHours } from './businessHours';
import { buildCampaigns } from './campaigns';
import type { SeedContext } from './context';
import { buildLeads } from './leads';
import { buildPeople } from './people';
import { SeedRandom } from './random';
import { RecordSet } from './records';
import { iso } from './time';
import {
  DEFAULT_BATCH_LEADS,
  DEFAULT_DAYS,
  DEFAULT_LEADS,
  DEFAULT_SEED,
  SEED_OBJECTS,
  type SeedBatch,
  type SeedOptions,
  type SeedPlan,
  type SeedPlanStream
} from './types';

export class SeedOptionsError extends Error {
  override readonly name = 'SeedOptionsError';
}

/**
 * The demo data as plain records: a pure function of (seed, now, leads, days). It reads no clock and
 * no global state, so the same arguments give byte-identical plans (`JSON.stringify` included).
 * The whole plan at once: `streamSeedPlan` gives the same records a batch of leads at a time.
 */
export function buildSeedPlan(options: SeedOptions): SeedPlan {
  const stream = streamSeedPlan(options, Math.max(1, options.leads ?? DEFAULT_LEADS));
  const records = stream.shared;
  for (const batch of stream.batches) for (const sobject of SEED_OBJECTS) for (const r of batch.records[sobject]) records[sobject].push(r);
  return { seed: stream.seed, now: stream.now, leads: stream.leads, days: stream.days, records, calendar: stream.calendar };
}

/**
 * The same plan as `buildSeedPlan`, record for record, in bounded memory: the shared records (users, groups and
 * queues, business hours, holidays, campaigns) at once, then the leads and everything that hangs off them in
 * batches of `batchLeads` leads, generated as they are read.
 */
export function streamSeedPlan(options: SeedOptions, batchLeads = DEFAULT_BATCH_LEADS): SeedPlanStream {
  const seed = options.seed ?? DEFAULT_SEED;
  const leads = options.leads ?? DEFAULT_LEADS;
  const days = options.days ?? DEFAULT_DAYS;
  if (!Number.isSafeInteger(seed)) throw new SeedOptionsError(`seed must be a whole number, got ${String(seed)}`);
  if (!Number.isSafeInteger(leads) || leads < 0)
    throw new SeedOptionsError(`leads must be a whole number of at least 0, got ${String(leads)}`);
  if (!Number.isSafeInteger(days) || days < 1) throw new SeedOptionsError(`days must be a whole number of at least 1, got ${String(days)}`);
  if (!Number.isSafeInteger(batchLeads) || batchLeads < 1)
    throw new SeedOptionsError(`a batch must hold a whole number of at least 1 lead, got ${String(batchLeads)}`);
  const nowMs =
    typeof options.now === 'string' ? Date.parse(options.now) : typeof options.now === 'number' ? options.now : options.now?.getTime();
  if (nowMs === undefined || !Number.isFinite(nowMs)) throw new SeedOptionsError(`now must be an instant, got ${String(options.now)}`);

  const r = new SeedRandom(seed);
  const out = new RecordSet();
  const calendar = buildBusinessHours(out, nowMs);
  const cal = new BusinessCalendar(calendar);
  const people = buildPeople(r, out, nowMs);
  const campaigns = buildCampaigns(r, out, nowMs, people.mops);
  const shared = out.take();
  return {
    seed,
    now: iso(nowMs),
    leads,
    days,
    calendar,
    shared,
    ...oneReading(leadSteps({ r, out, cal, nowMs, people, campaigns }, leads, days, batchLeads))
  };
}

/** Lead stories told or leads written between two pauses of `pacedBatches`: about 30 ms of work. */
const PACE = 100;

/** The batches, with `undefined` every PACE steps (a point where a paced reader lets other work run). */
function* leadSteps(ctx: SeedContext, leads: number, days: number, size: number): Generator<SeedBatch | undefined, void, undefined> {
  let n = 0;
  let steps = 0;
  for (const written of buildLeads(ctx, leads, days)) {
    if (++steps % PACE === 0) yield undefined;
    if (!written || ++n < size) continue;
    yield { leads: n, records: ctx.out.take() };
    n = 0;
  }
  if (n > 0) yield { leads: n, records: ctx.out.take() };
}

/** One reading of the steps, either all at once (`batches`) or paced (`pacedBatches`). */
function oneReading(steps: Iterator<SeedBatch | undefined>): Pick<SeedPlanStream, 'batches' | 'pacedBatches'> {
  let read = false;
  const start = () => {
    if (read) throw new Error('the batches of a streamed seed plan are read once');
    read = true;
  };
  return {
    batches: {
      *[Symbol.iterator]() {
        start();
        for (let s = steps.next(); !s.done; s = steps.next()) if (s.value) yield s.value;
      }
    },
    pacedBatches: {
      async *[Symbol.asyncIterator]() {
        start();
        for (let s = steps.next(); !s.done; s = steps.next()) {
          if (s.value) yield s.value;
          else await new Promise<void>((resolve) => setImmediate(resolve));
        }
      }
    }
  };
}
