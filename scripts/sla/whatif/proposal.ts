/**
 * What a what-if proposes: SLA_Policy__mdt records in the custom metadata type's own field names (a policy file,
 * or `--set <policy>.<Field>=<value>` overrides of the active ones), an optional business calendar (a
 * BusinessHours record and its holidays, the calendar JSON of docs/business-calendar.md), and a sweep of one
 * field over a range. Pure: the CLI reads the files and passes their text; every problem is a WhatIfInputError
 * (bad policy or calendar file: exit 1) or a WhatIfFlagError (a bad --set / --sweep / --period: exit 2), one
 * line naming the file, the record or the flag, and the field.
 */
import { BusinessCalendar, CalendarError } from '../../calendar';
import type { CalendarDefinition } from '../../calendar';
import { CLOCKS } from '../clock';
import type { SlaPolicyRecord } from '../clock';
import { POLICY_FIELDS } from '../syncSetup';

/** A proposed policy or calendar cannot be read (exit 1). */
export class WhatIfInputError extends Error {
  override readonly name = 'WhatIfInputError';
}

/** A --set, --sweep or --period value is malformed (a usage error: exit 2). */
export class WhatIfFlagError extends Error {
  override readonly name = 'WhatIfFlagError';
}

type FieldKind = 'number' | 'boolean' | 'text';

/**
 * The kind of each SLA_Policy__mdt field a proposal may set (DeveloperName names the record): Number fields are
 * numbers, Checkbox fields booleans, Text and Picklist fields text (a test holds this to the field metadata).
 */
export const POLICY_FIELD_KINDS: Readonly<Record<string, FieldKind>> = Object.fromEntries(
  POLICY_FIELDS.map((f) => [
    f,
    /_Minutes__c$|_Percent__c$|^Priority__c$/.test(f)
      ? 'number'
      : /^(Restart_On|Create_Task|Notify|Active|Catch_All)/.test(f)
        ? 'boolean'
        : 'text'
  ])
);

const FIELD_LIST = () => POLICY_FIELDS.filter((f) => f !== 'DeveloperName').join(', ');

/**
 * A policy file: one SLA_Policy__mdt record (an object), an array of them, or `{ "policies": [...] }`. Each
 * record names its DeveloperName; a record with the DeveloperName of an existing policy changes only the fields
 * it lists (the rest keep the org's values), a new DeveloperName is a new policy (its blank fields are blank).
 */
export function parsePolicyFile(text: string, file: string): Array<Partial<SlaPolicyRecord> & { DeveloperName: string }> {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new WhatIfInputError(`${file}: not JSON (${(err as Error).message})`);
  }
  const list = Array.isArray(json)
    ? json
    : json !== null && typeof json === 'object' && Array.isArray((json as { policies?: unknown }).policies)
      ? (json as { policies: unknown[] }).policies
      : [json];
  if (list.length === 0) throw new WhatIfInputError(`${file}: no SLA_Policy__mdt record in it`);
  return list.map((rec, i) => {
    const where = `${file}: record ${i + 1}`;
    if (rec === null || typeof rec !== 'object' || Array.isArray(rec)) throw new WhatIfInputError(`${where} is not an object`);
    const r = rec as Record<string, unknown>;
    const name = typeof r.DeveloperName === 'string' ? r.DeveloperName.trim() : '';
    if (name === '') throw new WhatIfInputError(`${where}: DeveloperName is missing (name the SLA_Policy__mdt record)`);
    const out: Record<string, unknown> = { DeveloperName: name };
    for (const [field, value] of Object.entries(r)) {
      if (field === 'DeveloperName' || field === 'attributes' || field === 'MasterLabel' || field === 'Label') continue;
      const kind = POLICY_FIELD_KINDS[field];
      if (!kind)
        throw new WhatIfInputError(`${file}: SLA_Policy__mdt ${name}: ${field} is not a field of SLA_Policy__mdt (${FIELD_LIST()})`);
      if (value !== null && kind !== 'text' && typeof value !== kind) {
        throw new WhatIfInputError(`${file}: SLA_Policy__mdt ${name}: ${field} must be a ${kind} or null, got ${JSON.stringify(value)}`);
      }
      if (value !== null && kind === 'text' && typeof value !== 'string') {
        throw new WhatIfInputError(`${file}: SLA_Policy__mdt ${name}: ${field} must be text or null, got ${JSON.stringify(value)}`);
      }
      out[field] = value;
    }
    return out as Partial<SlaPolicyRecord> & { DeveloperName: string };
  });
}

/** One `--set` (or the field a `--sweep` moves): which policy, which field, and the value. */
export interface PolicySet {
  /** a DeveloperName, or a clock name (Accept, First_Touch, Win_Loss_Review) meaning its active policy */
  policy: string;
  field: string;
  value: string | number | boolean | null;
}

const SET_SHAPE = /^([A-Za-z][A-Za-z0-9_/ ]*)\.([A-Za-z][A-Za-z0-9_]*__c)=(.*)$/s;

/** `Lead_Accept.Target_Minutes__c=90` → a PolicySet; WhatIfFlagError naming the flag and what is wrong. */
export function parseSet(text: string, flag = '--set'): PolicySet {
  const m = SET_SHAPE.exec(text.trim());
  if (!m)
    throw new WhatIfFlagError(
      `${flag} must be <policy>.<Field__c>=<value> (e.g. Lead_Accept.Target_Minutes__c=90), got ${JSON.stringify(text)}`
    );
  const [, policy, field, raw] = m;
  return { policy: policy.trim(), field, value: fieldValue(field, raw.trim(), flag) };
}

function fieldValue(field: string, raw: string, flag: string): PolicySet['value'] {
  const kind = POLICY_FIELD_KINDS[field];
  if (!kind || field === 'DeveloperName')
    throw new WhatIfFlagError(`${flag}: ${field} is not a field of SLA_Policy__mdt (${FIELD_LIST()})`);
  if (raw === '') return null;
  if (kind === 'number') {
    const n = Number(raw);
    if (!/^-?\d+(\.\d+)?$/.test(raw) || !Number.isFinite(n))
      throw new WhatIfFlagError(`${flag}: ${field} must be a number, got ${JSON.stringify(raw)}`);
    return n;
  }
  if (kind === 'boolean') {
    if (raw !== 'true' && raw !== 'false') throw new WhatIfFlagError(`${flag}: ${field} must be true or false, got ${JSON.stringify(raw)}`);
    return raw === 'true';
  }
  return raw;
}

/** A sweep: one number field of one policy over from..to by step. */
export interface Sweep {
  policy: string;
  field: string;
  values: number[];
}

/** At most this many values in a sweep (each is one replay of the period). */
export const MAX_SWEEP_VALUES = 50;

/** `Lead_Accept.Target_Minutes__c=30..240/30` → the values 30, 60, … 240. */
export function parseSweep(text: string): Sweep {
  const flag = '--sweep';
  const m = SET_SHAPE.exec(text.trim());
  const range = m ? /^(\d+)\.\.(\d+)\/(\d+)$/.exec(m[3].trim()) : null;
  if (!m || !range) {
    throw new WhatIfFlagError(
      `${flag} must be <policy>.<Field__c>=<from>..<to>/<step> (e.g. Lead_Accept.Target_Minutes__c=30..240/30), got ${JSON.stringify(text)}`
    );
  }
  const field = m[2];
  if (POLICY_FIELD_KINDS[field] !== 'number') {
    throw new WhatIfFlagError(
      `${flag}: ${field} is not a number field of SLA_Policy__mdt (Target_Minutes__c, Warning_Percent__c, Backdate_Grace_Minutes__c)`
    );
  }
  const [from, to, step] = [Number(range[1]), Number(range[2]), Number(range[3])];
  if (step < 1) throw new WhatIfFlagError(`${flag}: the step must be at least 1, got ${step}`);
  if (from > to) throw new WhatIfFlagError(`${flag}: ${from} is after ${to}`);
  const count = Math.floor((to - from) / step) + 1;
  if (count > MAX_SWEEP_VALUES) throw new WhatIfFlagError(`${flag}: ${count} values; at most ${MAX_SWEEP_VALUES} (use a larger step)`);
  return { policy: m[1].trim(), field, values: Array.from({ length: count }, (_, i) => from + i * step) };
}

/** Does `ref` (a DeveloperName or a clock name) name this policy record? */
function names(ref: string, rec: Partial<SlaPolicyRecord>): boolean {
  if (rec.DeveloperName === ref) return true;
  const clock = CLOCKS.find((c) => c.replace(/\W+/g, '_').toLowerCase() === ref.replace(/\W+/g, '_').toLowerCase());
  return clock !== undefined && rec.Clock__c === clock && rec.Active__c === true;
}

/**
 * The policy records of a scenario: the org's, with the file's records merged over them by DeveloperName, then
 * the --set values applied. A --set naming no policy is a WhatIfFlagError.
 */
export function proposedRecords<R extends Partial<SlaPolicyRecord> & { DeveloperName: string }>(
  current: readonly R[],
  file: ReadonlyArray<Partial<SlaPolicyRecord> & { DeveloperName: string }> = [],
  sets: readonly PolicySet[] = []
): R[] {
  const out = current.map((r) => ({ ...r }));
  for (const rec of file) {
    const i = out.findIndex((r) => r.DeveloperName === rec.DeveloperName);
    if (i >= 0) out[i] = { ...out[i], ...rec };
    else out.push({ Clock__c: null, Object__c: null, Target_Minutes__c: null, ...rec } as unknown as R);
  }
  for (const s of sets) {
    const hits = out.filter((r) => names(s.policy, r));
    if (hits.length === 0) {
      throw new WhatIfFlagError(
        `--set ${s.policy}.${s.field}: no SLA_Policy__mdt named ${JSON.stringify(s.policy)} (${out.map((r) => r.DeveloperName).join(', ') || 'the org has none'})`
      );
    }
    for (const r of hits) (r as Record<string, unknown>)[s.field] = s.value;
  }
  return out;
}

/** A proposed calendar file: the calendar JSON (BusinessHours fields + holidays), checked by the calendar itself. */
export function parseCalendarFile(text: string, file: string): { definition: CalendarDefinition; calendar: BusinessCalendar } {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new WhatIfInputError(`${file}: not JSON (${(err as Error).message})`);
  }
  try {
    const definition = json as CalendarDefinition;
    return { definition, calendar: new BusinessCalendar(definition) };
  } catch (err) {
    if (err instanceof CalendarError) throw new WhatIfInputError(`${file}: ${err.message}`);
    throw err;
  }
}
