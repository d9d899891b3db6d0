import { SEED_OBJECTS, type SeedObject, type SeedPlan, type SeedRecord, type SeedValue } from './types';

/** Collects the plan's records by object and keeps their keys unique. */
export class RecordSet {
  readonly records = Object.fromEntries(SEED_OBJECTS.map((o) => [o, [] as SeedRecord[]])) as SeedPlan['records'];
  private readonly keys = new Set<string>();

  add(sobject: SeedObject, key: string, fields: Record<string, SeedValue>, refs: Record<string, string | undefined> = {}): SeedRecord {
    const full = `${sobject}:${key}`;
    if (this.keys.has(full)) throw new Error(`duplicate seed key ${full}`);
    this.keys.add(full);
    const cleanRefs: Record<string, string> = {};
    for (const [field, ref] of Object.entries(refs)) if (ref !== undefined) cleanRefs[field] = ref;
    const record: SeedRecord = { sobject, key: full, fields, refs: cleanRefs };
    this.records[sobject].push(record);
    return record;
  }
}
