import { ApiError, badRequest as err } from '../errors';
import type { FieldSchema, ObjectSchema } from '../schema';
import { quote } from '../store';
import type { Access } from './access';
import type { RecordsDb, Row } from './dmlContext';

/**
 * The running user's permissions on a write, as the real org answers them (the admin, with full
 * access, skips all of it):
 *
 * - object permission missing (Create, Edit, Delete), or no edit/delete access to the record by
 *   sharing → `INSUFFICIENT_ACCESS_OR_READONLY` "insufficient access rights on object id";
 * - a lookup to a record the user cannot see (or a master record they cannot edit) →
 *   `INSUFFICIENT_ACCESS_ON_CROSS_REFERENCE_ENTITY` "insufficient access rights on cross-reference id";
 * - updating a converted lead without View and Edit Converted Leads → `CANNOT_UPDATE_CONVERTED_LEAD`
 *   "cannot reference converted lead" (https://help.salesforce.com/s/articleView?id=000384333).
 *
 * Field-level security on the fields a write sets is checked while the input is read (writeInput.ts):
 * `INVALID_FIELD` for a field the user cannot see, `INVALID_FIELD_FOR_INSERT_UPDATE` for one they cannot edit.
 */

export const insufficientAccess = (fields: string[] = []) =>
  err('INSUFFICIENT_ACCESS_OR_READONLY', 'insufficient access rights on object id', fields);

/** Create: the object's Create permission. */
export function checkCreate(obj: ObjectSchema, access: Access): void {
  if (access.all) return;
  if (!access.mayObject(obj, 'create')) {
    throw err(
      'INSUFFICIENT_ACCESS_OR_READONLY',
      'You do not have the level of access necessary to perform the operation you requested. Please contact the owner of the record or your administrator if access is necessary.'
    );
  }
}

/** Before an update reads its input: a record the user cannot see is not theirs to update; a converted lead needs its permission. */
export function checkUpdateTarget(obj: ObjectSchema, old: Row, access: Access): void {
  if (access.all) return;
  if (!access.canRead(obj, old)) throw insufficientAccess();
  if (obj.name === 'Lead' && old.IsConverted === 1 && !access.editsConvertedLeads) {
    throw err('CANNOT_UPDATE_CONVERTED_LEAD', 'cannot reference converted lead');
  }
}

/** Update: the object's Edit permission and edit access to this record. */
export function checkEdit(obj: ObjectSchema, old: Row, access: Access): void {
  if (access.all) return;
  if (!access.mayObject(obj, 'edit') || !access.canEdit(obj, old)) throw insufficientAccess();
}

/** Delete: the object's Delete permission and full access to this record. */
export function checkDelete(obj: ObjectSchema, row: Row, access: Access): void {
  if (access.all) return;
  if (!access.canRead(obj, row) || !access.mayObject(obj, 'delete') || !access.canDelete(obj, row)) throw insufficientAccess();
}

/**
 * The lookups a write sets (or changes) point at records the user can see; a master-detail field at
 * a master the user can edit. Runs after validation, so every target exists.
 */
export function checkReferences(db: RecordsDb, obj: ObjectSchema, row: Row, old: Row | undefined, access: Access): void {
  if (access.all) return;
  for (const f of obj.fields) {
    if (f.type !== 'reference') continue;
    const id = row[f.name];
    if (typeof id !== 'string' || (old && old[f.name] === id)) continue;
    const target = db.schema.objectForId(id);
    const targetObj = f.referenceTo.map((t) => db.schema.get(t)).find((o) => o?.keyPrefix === target?.keyPrefix);
    if (!targetObj) continue;
    if (access.schema.get(targetObj.name) && access.seesAll(targetObj) && !f.masterDetail) continue;
    const targetRow = db.store.get(`SELECT * FROM ${quote(targetObj.name)} WHERE "Id" = ?`, [id]);
    const visible = targetRow !== undefined && access.schema.get(targetObj.name) !== undefined && access.canRead(targetObj, targetRow);
    if (!visible || (f.masterDetail && !access.canEdit(targetObj, targetRow!))) {
      throw new ApiError(400, 'INSUFFICIENT_ACCESS_ON_CROSS_REFERENCE_ENTITY', `insufficient access rights on cross-reference id: ${id}`, [
        f.name
      ]);
    }
  }
}

/** The fields a read returns for this user: the named ones (INVALID_FIELD for one the user cannot see), else every field the user can read. */
export function readableFields(obj: ObjectSchema, access: Access, names?: string[]): FieldSchema[] {
  if (!names) return access.all ? obj.fields : obj.fields.filter((f) => access.field(obj, f) !== undefined);
  return names.map((name) => {
    const f = obj.byName.get(name.toLowerCase());
    if (!f || access.field(obj, f) === undefined) throw err('INVALID_FIELD', `No such column '${name}' on sobject of type ${obj.name}`);
    return f;
  });
}
