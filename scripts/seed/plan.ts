import { BusinessCalendar } from '../calendar';
import { buildBusinessHours } from './businessHours';
import { buildCampaigns } from './campaigns';
import { buildLeads } from './leads';
import { buildPeople } from './people';
import { SeedRandom } from './random';
import { RecordSet } from './records';
import { iso } from './time';
import { DEFAULT_DAYS, DEFAULT_LEADS, DEFAULT_SEED, type SeedOptions, type SeedPlan } from './types';

export class SeedOptionsError extends Error {
  override readonly name = 'SeedOptionsError';
}

/**
 * The demo data as plain records: a pure function of (seed, now, leads, days). It reads no clock and
 * no global state, so the same arguments give byte-identical plans (`JSON.stringify` included).
 */
export function buildSeedPlan(options: SeedOptions): SeedPlan {
  const seed = options.seed ?? DEFAULT_SEED;
  const leads = options.leads ?? DEFAULT_LEADS;
  const days = options.days ?? DEFAULT_DAYS;
  if (!Number.isSafeInteger(seed)) throw new SeedOptionsError(`seed must be a whole number, got ${String(seed)}`);
  if (!Number.isSafeInteger(leads) || leads < 0)
    throw new SeedOptionsError(`leads must be a whole number of at least 0, got ${String(leads)}`);
  if (!Number.isSafeInteger(days) || days < 1) throw new SeedOptionsError(`days must be a whole number of at least 1, got ${String(days)}`);
  const nowMs =
    typeof options.now === 'string' ? Date.parse(options.now) : typeof options.now === 'number' ? options.now : options.now?.getTime();
  if (nowMs === undefined || !Number.isFinite(nowMs)) throw new SeedOptionsError(`now must be an instant, got ${String(options.now)}`);

  const r = new SeedRandom(seed);
  const out = new RecordSet();
  const calendar = buildBusinessHours(out, nowMs);
  const cal = new BusinessCalendar(calendar);
  const people = buildPeople(r, out, nowMs);
  const campaigns = buildCampaigns(r, out, nowMs, people.mops);
  buildLeads({ r, out, cal, nowMs, people, campaigns }, leads, days);
  return { seed, now: iso(nowMs), leads, days, records: out.records, calendar };
}
