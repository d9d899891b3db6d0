/**
 * The REST bodies a seed load sends (scripts/seed/loader.ts): a plan record's fields and its references turned into
 * the Ids the load has saved so far, less what an org does not take on that write (audit and conversion fields
 * outside the local org, a user's Username on update).
 */
import type { SaveResult } from '../org/data';
import { SeedLoadError, type SeedMode } from './loadOptions';
import { AUDIT_FIELDS, CONVERSION_FIELDS, type SeedRecord } from './types';

export class RecordBodies {
  constructor(
    /** plan keys to the Ids of the records saved */
    private readonly ids: Map<string, string>,
    private readonly mode: SeedMode
  ) {}

  /** The REST body of a plan record: its fields (org mode: minus audit and conversion fields) and its references as Ids. */
  body(r: SeedRecord, op: 'insert' | 'update', omit: string[] = [], ids = this.ids): Record<string, unknown> {
    const skip = this.skipped(op, r.sobject === 'User', omit);
    const out: Record<string, unknown> = {};
    for (const [f, v] of Object.entries(r.fields)) {
      if (skip.has(f) || (v === null && op === 'insert')) continue;
      out[f] = v;
    }
    for (const [f, key] of Object.entries(r.refs)) {
      if (skip.has(f)) continue;
      out[f] = this.ref(key, `${r.key}.${f}`, ids);
    }
    return out;
  }

  /** The fields body() leaves out, made once per kind of body (not once per record). */
  private readonly skips = new Map<string, ReadonlySet<string>>();
  private skipped(op: 'insert' | 'update', user: boolean, omit: string[]): ReadonlySet<string> {
    const key = `${op}|${user}|${omit.join(',')}`;
    let skip = this.skips.get(key);
    if (!skip) {
      const set = new Set(omit);
      if (op === 'update' || this.mode === 'org') for (const f of [...AUDIT_FIELDS, ...CONVERSION_FIELDS]) set.add(f);
      if (op === 'update' && user) set.add('Username');
      this.skips.set(key, (skip = set));
    }
    return skip;
  }

  /** Whether an update of `r` would send `field` (see body()). */
  updatable(r: SeedRecord, field: string, omit: string[]): boolean {
    const never = new Set<string>([...AUDIT_FIELDS, ...CONVERSION_FIELDS, ...omit]);
    if (r.sobject === 'User') never.add('Username');
    return !never.has(field);
  }

  pick(r: SeedRecord, fields: string[]): Record<string, unknown> {
    return Object.fromEntries(fields.map((f) => [f, r.fields[f] ?? null]));
  }

  ref(key: string, what: string, ids = this.ids): string {
    const id = ids.get(key);
    if (!id) throw new SeedLoadError(`${what}: no record for ${key}`);
    return id;
  }
}

/** Whether a record refers to one of `keys` (a record waiting in the same collection). */
export function refersTo(r: SeedRecord, keys: ReadonlySet<string>): boolean {
  for (const f in r.refs) if (keys.has(r.refs[f])) return true;
  return false;
}

export function errorText(r: SaveResult): string {
  return r.errors.map((e) => `${e.statusCode}: ${e.message}${e.fields.length ? ` (${e.fields.join(', ')})` : ''}`).join('; ');
}
