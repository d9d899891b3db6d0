import type { Connection } from 'jsforce';
import { SEED_OBJECTS } from '../types';

/** The field that names each record of these objects uniquely in seeded data: its external key in a dump. */
const NATURAL_KEY: Record<string, string> = {
  Profile: 'Name',
  PermissionSet: 'Name',
  User: 'Username',
  Group: 'DeveloperName',
  BusinessHours: 'Name',
  Holiday: 'Name',
  Campaign: 'Name',
  Account: 'Name',
  Contact: 'Email',
  Lead: 'Email',
  Opportunity: 'Name'
};
/** Set by the org's own clock at write time, never by the seed. */
const ORG_CLOCK_FIELDS = new Set(['SystemModstamp']);

async function all(conn: Connection, soql: string): Promise<Array<Record<string, unknown>>> {
  let res = await conn.query<Record<string, unknown>>(soql);
  const out = [...res.records];
  while (!res.done && res.nextRecordsUrl) {
    res = await conn.queryMore<Record<string, unknown>>(res.nextRecordsUrl);
    out.push(...res.records);
  }
  return out;
}

/**
 * Every record of the seeded objects, read back over the API: one JSON line per record with its Id left
 * out and every Id it holds (lookups, history Old/NewValue) replaced by the target's external key
 * (`Lead:ada.lovelace@acme.example`), sorted. Two orgs hold the same data exactly when their dumps are equal.
 * `autoNumbers: false` leaves auto-number names out (to compare an org with itself after seeding again).
 */
export async function dumpOrg(conn: Connection, opts: { autoNumbers?: boolean } = {}): Promise<Record<string, string[]>> {
  const rows = new Map<string, Array<Record<string, unknown>>>();
  const keyOf = new Map<string, string>();
  for (const sobject of ['Profile', 'PermissionSet', ...SEED_OBJECTS]) {
    const describe = await conn.describe(sobject);
    // auto-numbers (LQF-000001) keep counting in an org that is seeded again, as in a real org
    const fields = describe.fields
      .filter((f) => !ORG_CLOCK_FIELDS.has(f.name) && (opts.autoNumbers !== false || !f.autoNumber))
      .map((f) => f.name);
    const records = await all(conn, `SELECT ${fields.join(', ')} FROM ${sobject}`);
    rows.set(sobject, records);
    const natural = NATURAL_KEY[sobject];
    if (natural) for (const r of records) keyOf.set(String(r.Id), `${sobject}:${String(r[natural])}`);
  }
  const out: Record<string, string[]> = {};
  for (const [sobject, records] of rows) {
    out[sobject] = records
      .map((r) => {
        const clean: Record<string, unknown> = {};
        for (const [f, v] of Object.entries(r)) {
          if (f === 'attributes' || f === 'Id') continue;
          clean[f] = typeof v === 'string' && keyOf.has(v) ? keyOf.get(v) : v;
        }
        return JSON.stringify(clean);
      })
      .sort();
  }
  return out;
}
