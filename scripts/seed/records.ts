import { SEED_OBJECTS, type SeedObject, type SeedPlan, type SeedRecord, type SeedValue } from './types';

/** Collects the plan's records by object and keeps their keys unique (within what it holds until `take`). */
export class RecordSet {
  private byObject = emptyRecords();
  private keys = new Set<string>();

  get records(): SeedPlan['records'] {
    return this.byObject;
  }

  /** Hands over the records collected so far and starts empty again (a plan built in batches of leads). */
  take(): SeedPlan['records'] {
    const out = this.byObject;
    this.byObject = emptyRecords();
    this.keys = new Set();
    return out;
  }

  add(sobject: SeedObject, key: string, fields: Record<string, SeedValue>, refs: Record<string, string | undefined> = {}): SeedRecord {
    const full = `${sobject}:${key}`;
    if (this.keys.has(full)) throw new Error(`duplicate seed key ${full}`);
    this.keys.add(full);
    const cleanRefs: Record<string, string> = {};
    for (const [field, ref] of Object.entries(refs)) if (ref !== undefined) cleanRefs[field] = ref;
    const record: SeedRecord = { sobject, key: full, fields, refs: cleanRefs };
    this.byObject[sobject].push(record);
    return record;
  }
}

/** No records yet, with every object's list in SEED_OBJECTS order. */
export function emptyRecords(): SeedPlan['records'] {
  return Object.fromEntries(SEED_OBJECTS.map((o) => [o, [] as SeedRecord[]])) as SeedPlan['records'];
}
