import { isIdLookup } from '../describe';
import { ApiError, badRequest } from '../errors';
import { normalizeId } from '../ids';
import type { Access } from '../records/access';
import { coerceValue } from '../records/fieldValues';
import { coerceField, fieldForWrite } from '../records/writeInput';
import type { FieldSchema, ObjectSchema, Schema } from '../schema';
import { quote, SqlValue, Store } from '../store';
import type { IngestOperation } from './job';
import { MAX_FIELDS_PER_RECORD, MAX_HEADER_CHARS } from './limits';

/**
 * An ingest job's CSV header turned into what each column writes, and a CSV row turned into the
 * record input the DML layer takes (the same input a REST call gives it, so validation, permissions
 * and history are the REST API's).
 *
 * Values follow Bulk API 2.0's rules ("Prepare CSV Files"): an empty value leaves the field alone
 * (not set on insert, unchanged on update), `#N/A` sets it to null. A column `Relationship.Field`
 * (`Owner.Username`, `Calendar__r.Business_Hours_Id__c`, polymorphic `Lead:Who.Email`) sets the lookup
 * to the parent whose indexed field has that value ("Relationship Fields in a Header Row (2.0)":
 * https://developer.salesforce.com/docs/platform/api-asynch/guide/relationship-fields-in-a-header-row-2-0.html):
 * one level up only, matched on the Id, an External ID or another indexed field.
 */

/** The value that sets a field to null. */
export const NULL_VALUE = '#N/A';

/** A job that cannot go on: it fails with this message (Bulk API's `errorMessage`). */
export class JobFailure extends Error {
  override readonly name = 'JobFailure';
}

interface FieldColumn {
  kind: 'field';
  field: FieldSchema;
}
interface RelationshipColumn {
  kind: 'relationship';
  /** The lookup field the column sets. */
  field: FieldSchema;
  target: ObjectSchema;
  /** The parent's field the values match. */
  lookup: FieldSchema;
}
export type IngestColumn = FieldColumn | RelationshipColumn;

export interface IngestPlan {
  obj: ObjectSchema;
  header: string[];
  columns: IngestColumn[];
  /** The Id column, or -1. */
  idIndex: number;
  /** Upsert: the external ID column, or -1. */
  extIndex: number;
}

/** Resolves a header row for an object and operation; an unusable header fails the job as the API does. */
export function planIngest(
  schema: Schema,
  obj: ObjectSchema,
  header: string[],
  op: IngestOperation,
  externalIdFieldName: string | undefined
): IngestPlan {
  if (header.join(',').length > MAX_HEADER_CHARS) {
    throw new JobFailure(`InvalidBatch : The header row has more than ${MAX_HEADER_CHARS.toLocaleString('en-US')} characters`);
  }
  if (header.length > MAX_FIELDS_PER_RECORD) {
    throw new JobFailure(`InvalidBatch : Too many fields: ${header.length} (at most ${MAX_FIELDS_PER_RECORD.toLocaleString('en-US')})`);
  }
  const seen = new Set<string>();
  const columns = header.map((name): IngestColumn => {
    const key = name.trim().toLowerCase();
    if (seen.has(key)) throw new JobFailure(`InvalidBatch : Duplicate field name: ${name}`);
    seen.add(key);
    const field = obj.byName.get(key);
    if (field) return { kind: 'field', field };
    return relationshipColumn(schema, obj, name);
  });
  const idIndex = columns.findIndex((c) => c.kind === 'field' && c.field.name === 'Id');
  const ext = op === 'upsert' && externalIdFieldName ? externalIdFieldName.toLowerCase() : undefined;
  const extIndex = ext ? columns.findIndex((c) => c.kind === 'field' && c.field.name.toLowerCase() === ext) : -1;
  return { obj, header, columns, idIndex, extIndex };
}

function relationshipColumn(schema: Schema, obj: ObjectSchema, name: string): RelationshipColumn {
  const notFound = () => new JobFailure(`InvalidBatch : Field name not found : ${name}`);
  const m = /^(?:([A-Za-z0-9_]+):)?([A-Za-z0-9_]+)\.([A-Za-z0-9_]+)$/.exec(name.trim());
  if (!m) throw notFound();
  const [, typeName, relName, lookupName] = m;
  const field = obj.byRelationship.get(relName.toLowerCase());
  if (!field) throw notFound();
  const targets = field.referenceTo.map((t) => schema.get(t)).filter((t): t is ObjectSchema => t !== undefined);
  let target: ObjectSchema | undefined;
  if (typeName) target = targets.find((t) => t.name.toLowerCase() === typeName.toLowerCase());
  else if (targets.length === 1) target = targets[0];
  else {
    throw new JobFailure(
      `InvalidBatch : Field name not found : ${name} (${field.relationshipName} is polymorphic: name the parent's type, as in ${targets[0]?.name ?? 'Type'}:${name})`
    );
  }
  if (!target) throw notFound();
  const lookup = target.byName.get(lookupName.toLowerCase());
  if (!lookup) throw notFound();
  if (!isIdLookup(target, lookup)) {
    throw new JobFailure(
      `InvalidBatch : Field name provided, ${lookup.name} does not match an External ID, Salesforce Id, or indexed field for ${target.name}`
    );
  }
  return { kind: 'relationship', field, target, lookup };
}

/** Parent ids of a chunk's relationship values: column index → value → id (or the row's error). */
export type ResolvedParents = Map<number, Map<string, string | ApiError>>;

/** Looks up every relationship value of a chunk at once (500 values a statement). */
export function resolveParents(store: Store, plan: IngestPlan, rows: string[][]): ResolvedParents {
  const out: ResolvedParents = new Map();
  plan.columns.forEach((col, index) => {
    if (col.kind !== 'relationship') return;
    const values = new Set<string>();
    for (const r of rows) {
      // eslint-disable-next-line security/detect-object-injection -- a numeric index into a parsed CSV row (an array)
      const v = r[index];
      if (v !== undefined && v !== '' && v !== NULL_VALUE) values.add(v);
    }
    const found = new Map<string, string | ApiError>();
    const { target, lookup } = col;
    const stored = new Map<SqlValue, string[]>();
    for (const v of values) {
      let key: SqlValue;
      try {
        key = lookup.type === 'id' ? (normalizeId(v) ?? null) : coerceValue(target, lookup, v);
      } catch {
        key = null;
      }
      if (key === null) continue;
      const list = stored.get(key);
      if (list) list.push(v);
      else stored.set(key, [v]);
    }
    const keys = [...stored.keys()];
    const live = target.byName.has('isdeleted') ? ' AND "IsDeleted" = 0' : '';
    for (let i = 0; i < keys.length; i += 500) {
      const part = keys.slice(i, i + 500);
      const rowsFound = store.all(
        `SELECT "Id" AS id, ${quote(lookup.name)} AS v FROM ${quote(target.name)} WHERE ${quote(lookup.name)} IN (${part.map(() => '?').join(', ')})${live}`,
        part
      );
      for (const r of rowsFound) {
        for (const v of stored.get(r.v) ?? []) {
          found.set(
            v,
            found.has(v)
              ? badRequest(
                  'DUPLICATE_EXTERNAL_ID',
                  `Foreign key external ID: ${v} matches more than one record for field ${lookup.name} in entity ${target.name}`,
                  [col.field.name]
                )
              : String(r.id)
          );
        }
      }
    }
    for (const v of values) {
      if (!found.has(v)) {
        found.set(
          v,
          badRequest('INVALID_FIELD', `Foreign key external ID: ${v} not found for field ${lookup.name} in entity ${target.name}`, [
            col.field.name
          ])
        );
      }
    }
    out.set(index, found);
  });
  return out;
}

/** `true`/`false` (any case) and `1`/`0` are a checkbox's CSV values. */
function csvBoolean(v: string): unknown {
  const l = v.toLowerCase();
  if (l === 'true' || l === '1') return true;
  if (l === 'false' || l === '0') return false;
  return v;
}

/**
 * The DML input of one CSV row: field API name → value, leaving out empty values and the columns in
 * `skip` (the Id of an update, the key of an upsert).
 */
export function rowInput(plan: IngestPlan, row: string[], parents: ResolvedParents, skip = -1): Record<string, unknown> {
  const input: Record<string, unknown> = {};
  const { columns } = plan;
  for (let i = 0; i < columns.length; i++) {
    // eslint-disable-next-line security/detect-object-injection -- a numeric index into a parsed CSV row (an array)
    const v = row[i];
    if (i === skip || v === undefined || v === '') continue;
    // eslint-disable-next-line security/detect-object-injection -- a numeric index into the plan's column array
    const col = columns[i];
    if (v === NULL_VALUE) {
      input[col.field.name] = null;
      continue;
    }
    if (col.kind === 'relationship') {
      const parent = parents.get(i)?.get(v);
      if (parent instanceof ApiError) throw parent;
      input[col.field.name] = parent;
    } else {
      input[col.field.name] = col.field.type === 'boolean' ? csvBoolean(v) : v;
    }
  }
  return input;
}

/**
 * What each column of an insert job writes for its creator: the field, null (a column the write ignores) or the
 * error every value in it is refused with — coerceInput's answer for the column's key, worked out once a chunk
 * rather than once a row. Null when two columns set the same field (`OwnerId` and `Owner.Username`): the row's
 * input then keeps the last of them only, as rowInput makes it, so such a job's rows go through rowInput.
 */
export type InsertTargets = Array<FieldSchema | null | ApiError>;

export function insertTargets(plan: IngestPlan, access: Access): InsertTargets | null {
  const fields = new Set<FieldSchema>();
  const out: InsertTargets = [];
  for (const col of plan.columns) {
    if (fields.has(col.field)) return null;
    fields.add(col.field);
    try {
      out.push(fieldForWrite(plan.obj, col.field.name, 'insert', access));
    } catch (e) {
      if (!(e instanceof ApiError)) throw e;
      out.push(e);
    }
  }
  return out;
}

/** Throws the error of the row's first relationship value that names no single parent (as rowInput does). */
export function checkRowParents(plan: IngestPlan, row: string[], parents: ResolvedParents): void {
  const { columns } = plan;
  for (let i = 0; i < columns.length; i++) {
    // eslint-disable-next-line security/detect-object-injection -- a numeric index into the plan's column array
    if (columns[i].kind !== 'relationship') continue;
    // eslint-disable-next-line security/detect-object-injection -- a numeric index into a parsed CSV row (an array)
    const v = row[i];
    if (v === undefined || v === '' || v === NULL_VALUE) continue;
    const parent = parents.get(i)?.get(v);
    if (parent instanceof ApiError) throw parent;
  }
}

/**
 * The stored values an insert's row sets — rowInput's input coerced as coerceInput coerces it, in one pass and
 * without the input object (after checkRowParents: a relationship value here names its parent).
 */
export function insertValues(
  plan: IngestPlan,
  targets: InsertTargets,
  row: string[],
  parents: ResolvedParents
): Map<FieldSchema, SqlValue> {
  const { columns, obj } = plan;
  const out = new Map<FieldSchema, SqlValue>();
  for (let i = 0; i < columns.length; i++) {
    // eslint-disable-next-line security/detect-object-injection -- a numeric index into a parsed CSV row (an array)
    const v = row[i];
    if (v === undefined || v === '') continue;
    // eslint-disable-next-line security/detect-object-injection -- a numeric index into the column targets (an array)
    const target = targets[i];
    if (target instanceof ApiError) throw target;
    if (target === null) continue;
    // eslint-disable-next-line security/detect-object-injection -- a numeric index into the plan's column array
    const col = columns[i];
    const value =
      v === NULL_VALUE ? null : col.kind === 'relationship' ? parents.get(i)?.get(v) : col.field.type === 'boolean' ? csvBoolean(v) : v;
    out.set(target, coerceField(obj, target, value));
  }
  return out;
}
