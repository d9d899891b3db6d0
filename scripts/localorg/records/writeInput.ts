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
  const isHistory = isHistoryObject(obj) && access.all;
  for (const [key, value] of Object.entries(input)) {
    if (key === 'attributes') continue;
    const f = obj.byName.get(key.toLowerCase());
    const seen = f && access.field(obj, f);
    if (!f || !seen) throw err('INVALID_FIELD', `No such column '${key}' on sobject of type ${obj.name}`, [key]);
    if (f.name === 'Id') {
      if (op === 'update') continue;
      throw err(
        'INVALID_FIELD_FOR_INSERT_UPDATE',
        'Unable to create/update fields: Id. Please check the security settings of this field and verify that it is read/write for your profile or permission set.',
        ['Id']
      );
    }
    const allowed =
      op === 'insert' ? seen.createable || (access.all && AUDIT_FIELDS.has(f.name.toLowerCase())) || isHistory : seen.updateable;
    if (!allowed && !(access.all && obj.name === 'Lead' && LEAD_CONVERSION_FIELDS.has(f.name.toLowerCase()))) {
      throw err(
        'INVALID_FIELD_FOR_INSERT_UPDATE',
        `Unable to create/update fields: ${f.name}. Please check the security settings of this field and verify that it is read/write for your profile or permission set.`,
        [f.name]
      );
    }
    out.set(f, f.type === 'anyType' ? (value === null || value === undefined ? null : JSON.stringify(value)) : coerceValue(obj, f, value));
  }
  return out;
}
