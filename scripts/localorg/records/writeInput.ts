import { badRequest as err } from '../errors';
import type { FieldSchema, ObjectSchema } from '../schema';
import type { SqlValue } from '../store';
import type { Access } from './access';
import { coerceValue } from './fieldValues';

/**
 * Local-org-only allowances (documented in docs/local-org.md), for users with full access (the
 * admin, who seeds): audit fields on insert, direct history inserts, Lead conversion fields,
 * BusinessHours inserts.
 */
const AUDIT_FIELDS = new Set(['createddate', 'createdbyid', 'lastmodifieddate', 'lastmodifiedbyid']);
const LEAD_CONVERSION_FIELDS = new Set([
  'isconverted',
  'converteddate',
  'convertedaccountid',
  'convertedcontactid',
  'convertedopportunityid'
]);
const HISTORY_OBJECTS = new Set(['leadhistory', 'opportunityfieldhistory']);

/** LeadHistory and OpportunityFieldHistory take direct inserts in the local org (to seed past events). */
export function isHistoryObject(obj: ObjectSchema): boolean {
  return HISTORY_OBJECTS.has(obj.name.toLowerCase());
}

/**
 * The fields a write sets and their stored values: unknown fields, the Id and fields the operation
 * may not set are refused with the errors a real org gives, values are coerced by field type. For a
 * user without full access, field-level security decides: a field they cannot read does not exist
 * for them (INVALID_FIELD), one they cannot edit — or on an object they may not create/edit — is
 * INVALID_FIELD_FOR_INSERT_UPDATE.
 */
export function coerceInput(
  obj: ObjectSchema,
  input: Record<string, unknown>,
  op: 'insert' | 'update',
  access: Access
): Map<FieldSchema, SqlValue> {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    throw err('JSON_PARSER_ERROR', 'The request body must be a JSON object');
  }
  const out = new Map<FieldSchema, SqlValue>();
  for (const [key, value] of Object.entries(input)) {
    if (key === 'attributes') continue;
    const f = fieldForWrite(obj, key, op, access);
    if (f === null) continue;
    out.set(f, coerceField(obj, f, value));
  }
  return out;
}

/** The field a write's key sets (null: a key the write ignores), or the error the key is refused with: see coerceInput. */
export function fieldForWrite(obj: ObjectSchema, key: string, op: 'insert' | 'update', access: Access): FieldSchema | null {
  return access.all ? fullAccessField(obj, key, op, access) : writableField(obj, key, op, access);
}

/** A value a write gives a field, in its stored form (coerceValue; an anyType field keeps the JSON of its value). */
export function coerceField(obj: ObjectSchema, f: FieldSchema, value: unknown): SqlValue {
  return f.type === 'anyType' ? (value === null || value === undefined ? null : JSON.stringify(value)) : coerceValue(obj, f, value);
}

/** The field a write's key sets (null: a key the write ignores, the Id of an update), or the error the key is refused with. */
function writableField(obj: ObjectSchema, key: string, op: 'insert' | 'update', access: Access): FieldSchema | null {
  const f = obj.byName.get(key.toLowerCase());
  const seen = f && access.field(obj, f);
  if (!f || !seen) throw err('INVALID_FIELD', `No such column '${key}' on sobject of type ${obj.name}`, [key]);
  if (f.name === 'Id') {
    if (op === 'update') return null;
    throw err(
      'INVALID_FIELD_FOR_INSERT_UPDATE',
      'Unable to create/update fields: Id. Please check the security settings of this field and verify that it is read/write for your profile or permission set.',
      ['Id']
    );
  }
  const isHistory = isHistoryObject(obj) && access.all;
  const allowed =
    op === 'insert' ? seen.createable || (access.all && AUDIT_FIELDS.has(f.name.toLowerCase())) || isHistory : seen.updateable;
  const conversion = access.all && obj.name === 'Lead' && LEAD_CONVERSION_FIELDS.has(f.name.toLowerCase());
  if (!allowed && !conversion) {
    throw err(
      'INVALID_FIELD_FOR_INSERT_UPDATE',
      `Unable to create/update fields: ${f.name}. Please check the security settings of this field and verify that it is read/write for your profile or permission set.`,
      [f.name]
    );
  }
  return seen;
}

/**
 * writableField for full access (FullAccess: every field as the schema has it), which depends on the object,
 * the key and the operation only: answered once
 * per key (a Bulk job's column, a REST body's field) rather than once per record. A refused key is not kept
 * (its error is made again, as a new error, each time), nor are keys past MAX_KEPT_KEYS per object.
 */
const MAX_KEPT_KEYS = 2000;
const FULL_ACCESS_FIELDS = new WeakMap<ObjectSchema, Record<'insert' | 'update', Map<string, FieldSchema | null>>>();
function fullAccessField(obj: ObjectSchema, key: string, op: 'insert' | 'update', access: Access): FieldSchema | null {
  let kept = FULL_ACCESS_FIELDS.get(obj);
  if (!kept) FULL_ACCESS_FIELDS.set(obj, (kept = { insert: new Map(), update: new Map() }));
  const byKey = op === 'insert' ? kept.insert : kept.update;
  const known = byKey.get(key);
  if (known !== undefined) return known;
  const f = writableField(obj, key, op, access);
  if (byKey.size < MAX_KEPT_KEYS) byKey.set(key, f);
  return f;
}
