import { ApiError, badRequest as err, notFound } from '../errors';
import { makeId, normalizeId } from '../ids';
import type { FieldSchema, ObjectSchema, Schema } from '../schema';
import { quote, SqlValue, Store } from '../store';
import type { Access } from './access';
import {
  checkCreate,
  checkDelete,
  checkEdit,
  checkReferences,
  checkUpdateTarget,
  insufficientAccess,
  readableFields
} from './accessChecks';
import { deriveFields } from './derivedFields';
import { DmlContext, nowIso, RecordsDb, Row } from './dmlContext';
import { coerceValue, fromStored, recordUrl } from './fieldValues';
import { writeChangeHistory, writeCreatedHistory } from './history';
import { validateRow } from './validation';
import { coerceInput, isHistoryObject } from './writeInput';
import { ownValue } from '../ownValue';

/** The objects a user's permissions are read from: a write to one of them invalidates cached permissions. */
const SECURITY_OBJECTS = new Set(['User', 'Profile', 'PermissionSet', 'PermissionSetAssignment']);

/**
 * What inserting into an object starts from, worked out once per schema object (a deploy makes new
 * ones): its INSERT statement (every field, in the schema's order) and a new row of nulls and field
 * defaults (checkboxes unchecked or checked, default values, picklists' default value).
 */
interface InsertPlan {
  names: string[];
  template: Row;
  /** which of the system fields a new row sets the object has */
  audit: Record<'isDeleted' | 'createdDate' | 'createdById' | 'lastModifiedDate' | 'lastModifiedById' | 'systemModstamp', boolean>;
  /** INSERT statements by the set of columns a row sets (see `insertRow`). */
  statements: Map<string, string>;
}
/** Column sets an object keeps an INSERT for; rows of any further set name every column. */
const MAX_COLUMN_SETS = 64;
const INSERT_PLANS = new WeakMap<ObjectSchema, InsertPlan>();
function insertPlan(obj: ObjectSchema): InsertPlan {
  let plan = INSERT_PLANS.get(obj);
  if (!plan) {
    const defaultOf = (f: FieldSchema): Row[string] => {
      if (f.type === 'boolean') return f.defaultValue === true ? 1 : 0;
      if (f.defaultValue !== undefined && typeof f.defaultValue !== 'boolean') return f.defaultValue;
      if ((f.type === 'picklist' || f.type === 'combobox') && f.defaultedOnCreate)
        return f.picklistValues.find((p) => p.default)?.value ?? null;
      return null;
    };
    // made in one go (not a property at a time, which leaves V8 a slow dictionary object): copying it is
    // then a fast clone, and the rows stay fast objects
    const template: Row = Object.fromEntries(obj.fields.map((f) => [f.name, defaultOf(f)]));
    const names = obj.fields.map((f) => f.name);
    const present = new Set(names.map((n) => n.toLowerCase()));
    const audit = {
      isDeleted: present.has('isdeleted'),
      createdDate: present.has('createddate'),
      createdById: present.has('createdbyid'),
      lastModifiedDate: present.has('lastmodifieddate'),
      lastModifiedById: present.has('lastmodifiedbyid'),
      systemModstamp: present.has('systemmodstamp')
    };
    plan = { names, template, audit, statements: new Map() };
    INSERT_PLANS.set(obj, plan);
  }
  return plan;
}

/**
 * The INSERT of a new row names only the columns it sets: a column left out is NULL (the tables have no
 * column defaults: store.ts), so the stored row is the same, and a record that sets a dozen of its
 * object's hundred fields binds a dozen values rather than a hundred (binding the nulls cost as much as
 * SQLite's own insert). One statement per set of columns, keyed by a bit mask of them; past
 * MAX_COLUMN_SETS sets an object's rows bind every column.
 */
function insertRow(store: Store, obj: ObjectSchema, plan: InsertPlan, row: Row): void {
  const { names } = plan;
  const values: SqlValue[] = [];
  let key = '';
  let bits = 0;
  for (let i = 0; i < names.length; i++) {
    // eslint-disable-next-line security/detect-object-injection -- the row is read by the insert plan's column names, which come from the schema, never from a request
    const v = row[names[i]];
    if (v !== null) {
      values.push(v);
      bits |= 1 << (i & 15);
    }
    if ((i & 15) === 15 || i === names.length - 1) {
      key += String.fromCharCode(bits);
      bits = 0;
    }
  }
  let sql = plan.statements.get(key);
  if (sql === undefined) {
    const full = plan.statements.size >= MAX_COLUMN_SETS;
    const set = full ? names : names.filter((_n, i) => (key.charCodeAt(i >> 4) & (1 << (i & 15))) !== 0);
    sql = `INSERT INTO ${quote(obj.name)} (${set.map(quote).join(', ')}) VALUES (${set.map(() => '?').join(', ')})`;
    if (full) {
      const all = names.map(
        // eslint-disable-next-line security/detect-object-injection -- the row is read by the insert plan's column names, which come from the schema, never from a request
        (n) => row[n]
      );
      store.run(sql, all);
      return;
    }
    plan.statements.set(key, sql);
  }
  store.run(sql, values);
}

/**
 * Records: reads by id, and inserts/updates/upserts/deletes with system fields, defaults, derived
 * fields (derivedFields.ts), validation from the schema (validation.ts), history rows (history.ts)
 * and the running user's permissions (accessChecks.ts: object permissions, field-level security,
 * sharing). Every method runs inside the caller's transaction.
 */
export class Records implements RecordsDb {
  /** Bumped by every write to User, Profile, PermissionSet or PermissionSetAssignment (the permission cache's key). */
  securityEpoch = 0;

  constructor(
    readonly store: Store,
    private currentSchema: Schema
  ) {}

  get schema(): Schema {
    return this.currentSchema;
  }

  setSchema(schema: Schema): void {
    this.currentSchema = schema;
  }

  /** An object of the org's schema by name; one the user cannot read does not exist for them (404 NOT_FOUND, or INVALID_TYPE outside a REST URL). */
  object(type: string, forRest = true, access?: Access): ObjectSchema {
    const obj = this.schema.get(type);
    if (!obj || (access && !access.all && !access.schema.get(obj.name))) {
      throw forRest ? notFound() : err('INVALID_TYPE', `sObject type '${type}' is not supported.`);
    }
    return obj;
  }

  newId(obj: ObjectSchema): string {
    return makeId(obj.keyPrefix, this.store.nextSeq(`id:${obj.keyPrefix}`));
  }

  // ---- reads ---------------------------------------------------------------------------------

  /** The stored row of a record (deleted ones too), or undefined. */
  row(obj: ObjectSchema, id: string): Row | undefined {
    return this.store.get(`SELECT * FROM ${quote(obj.name)} WHERE "Id" = ?`, [id]);
  }

  /** REST record JSON (`attributes` + fields) from a stored row. */
  toRecord(obj: ObjectSchema, row: Row, version: string, fields?: FieldSchema[]): Record<string, unknown> {
    const out: Record<string, unknown> = { attributes: { type: obj.name, url: recordUrl(version, obj.name, String(row.Id)) } };
    for (const f of fields ?? obj.fields) out[f.name] = fromStored(f, row[f.name]);
    return out;
  }

  /**
   * GET /sobjects/X/id, as `access`'s user reads it: the fields they can see (a named field they
   * cannot see is INVALID_FIELD), and a record hidden from them by sharing is not found.
   */
  retrieve(type: string, rawId: string, version: string, fieldList: string | undefined, access: Access): Record<string, unknown> {
    const obj = this.object(type, true, access);
    const id = normalizeId(rawId);
    if (!id) {
      throw new ApiError(404, 'NOT_FOUND', `Provided external ID field does not exist or is not accessible: ${rawId}`);
    }
    const row = this.row(obj, id);
    if (!row || !access.canRead(obj, row)) throw notFound();
    if (row.IsDeleted === 1) throw new ApiError(404, 'ENTITY_IS_DELETED', 'entity is deleted');
    const names = fieldList
      ? fieldList
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean)
      : undefined;
    return this.toRecord(obj, row, version, access.all && !names ? undefined : readableFields(obj, access, names));
  }

  // ---- writes --------------------------------------------------------------------------------

  insert(type: string, input: Record<string, unknown>, ctx: DmlContext, forRest = true): string {
    const obj = this.insertable(type, ctx, forRest);
    return this.insertValues(obj, coerceInput(obj, input, 'insert', ctx.access), ctx);
  }

  /** The object `type` names, when the user may insert into it (the errors of `insert` otherwise). */
  insertable(type: string, ctx: DmlContext, forRest = true): ObjectSchema {
    const obj = this.object(type, forRest, ctx.access);
    const isHistory = isHistoryObject(obj) && ctx.access.all;
    if (!obj.createable && !isHistory) {
      throw err('INVALID_TYPE', `entity type cannot be inserted: ${obj.label}`);
    }
    return obj;
  }

  /**
   * The rest of `insert`, from the values its input gave in their stored form (coerceInput's, or a Bulk job's
   * columns coerced as coerceInput does: insertValues in scripts/localorg/bulk/ingestColumns.ts).
   */
  insertValues(obj: ObjectSchema, values: ReadonlyMap<FieldSchema, SqlValue>, ctx: DmlContext): string {
    checkCreate(obj, ctx.access);
    const now = nowIso(ctx);
    const plan = insertPlan(obj);
    // every field null or its default, then the values given (an explicit null stays null)
    const row: Row = { ...plan.template };
    for (const [k, v] of values) row[k.name] = v;
    row.Id = this.newId(obj);
    const { audit } = plan;
    if (audit.isDeleted) row.IsDeleted = 0;
    if (audit.createdDate) row.CreatedDate ??= now;
    if (audit.createdById) row.CreatedById ??= ctx.userId;
    if (audit.lastModifiedDate) row.LastModifiedDate ??= row.CreatedDate ?? now;
    if (audit.lastModifiedById) row.LastModifiedById ??= row.CreatedById ?? ctx.userId;
    if (audit.systemModstamp) row.SystemModstamp = now;
    if (obj.hasOwner && row.OwnerId === null) row.OwnerId = ctx.userId;
    const nameField = obj.nameField;
    if (nameField?.autoNumber) row[nameField.name] = this.autoNumber(obj, nameField);
    deriveFields(this, obj, row, undefined, ctx);
    validateRow(this, obj, row, undefined);
    checkReferences(this, obj, row, undefined, ctx.access);
    insertRow(this.store, obj, plan, row);
    writeCreatedHistory(this, obj, row, ctx, now);
    if (SECURITY_OBJECTS.has(obj.name)) this.securityEpoch++;
    return String(row.Id);
  }

  update(type: string, rawId: unknown, input: Record<string, unknown>, ctx: DmlContext, forRest = true): string {
    const obj = this.object(type, forRest, ctx.access);
    const id = normalizeId(rawId);
    if (!id || !this.schema.objectForId(id) || this.schema.objectForId(id)!.keyPrefix !== obj.keyPrefix) {
      throw err('MALFORMED_ID', `${obj.label} ID: id value of incorrect type: ${String(rawId)}`, ['Id']);
    }
    if (!obj.updateable) throw err('INVALID_TYPE', `entity type cannot be updated: ${obj.label}`);
    const old = this.row(obj, id);
    if (!old) throw err('INVALID_CROSS_REFERENCE_KEY', 'invalid cross reference id');
    if (old.IsDeleted === 1) throw err('ENTITY_IS_DELETED', 'entity is deleted');
    checkUpdateTarget(obj, old, ctx.access);
    const values = coerceInput(obj, input, 'update', ctx.access);
    checkEdit(obj, old, ctx.access);
    const row: Row = { ...old };
    for (const [k, v] of values) row[k.name] = v;
    const now = nowIso(ctx);
    if (obj.byName.has('lastmodifieddate')) row.LastModifiedDate = now;
    if (obj.byName.has('lastmodifiedbyid')) row.LastModifiedById = ctx.userId;
    if (obj.byName.has('systemmodstamp')) row.SystemModstamp = now;
    deriveFields(this, obj, row, old, ctx);
    validateRow(this, obj, row, old);
    checkReferences(this, obj, row, old, ctx.access);
    // the columns whose value changed, compared in place: a Lead has about a hundred columns, and a map and two
    // lists of them per record were most of an update's own time in a large ingest job
    const changed: string[] = [];
    for (const c in row) if (Object.hasOwn(row, c) && ownValue(row, c) !== ownValue(old, c)) changed.push(c);
    if (changed.length > 0) {
      this.store.run(`UPDATE ${quote(obj.name)} SET ${changed.map((c) => `${quote(c)} = ?`).join(', ')} WHERE "Id" = ?`, [
        ...changed.map((c) => ownValue(row, c) ?? null),
        id
      ]);
    }
    writeChangeHistory(this, obj, id, old, row, ctx, now);
    if (SECURITY_OBJECTS.has(obj.name)) this.securityEpoch++;
    return id;
  }

  /** Upsert by external ID (or Id): returns the id and whether it was created. */
  upsert(
    type: string,
    extField: string,
    extValue: unknown,
    input: Record<string, unknown>,
    ctx: DmlContext,
    forRest = true
  ): { id: string; created: boolean } {
    const obj = this.object(type, forRest, ctx.access);
    const f = obj.byName.get(extField.toLowerCase());
    if (!f || !(f.externalId || f.name === 'Id') || !ctx.access.field(obj, f)) {
      throw new ApiError(404, 'NOT_FOUND', `Provided external ID field does not exist or is not accessible: ${extField}`);
    }
    const body = Object.fromEntries(Object.entries(input).filter(([k]) => k.toLowerCase() !== f.name.toLowerCase()));
    if (f.name === 'Id') {
      if (extValue === undefined || extValue === null || extValue === '')
        return { id: creating(() => this.insert(type, body, ctx, forRest)), created: true };
      return { id: this.update(type, extValue, body, ctx, forRest), created: false };
    }
    if (extValue === undefined || extValue === null || extValue === '') {
      throw err('MISSING_ARGUMENT', `${f.name} not specified`);
    }
    const stored = coerceValue(obj, f, extValue);
    const matches = this.store.all(
      `SELECT "Id" FROM ${quote(obj.name)} WHERE ${quote(f.name)} = ?${obj.byName.has('isdeleted') ? ' AND "IsDeleted" = 0' : ''} LIMIT 2`,
      [stored]
    );
    if (matches.length > 1) {
      throw new ApiError(300, 'MULTIPLE_CHOICES', `More than one record found for external id field ${f.name}`);
    }
    if (matches.length === 1) {
      return { id: this.update(type, matches[0].Id, body, ctx, forRest), created: false };
    }
    return { id: creating(() => this.insert(type, { ...body, [f.name]: extValue }, ctx, forRest)), created: true };
  }

  /**
   * Deletes a record and its cascade: soft (IsDeleted, visible to queryAll), or with `hard` (the Bulk
   * API's hardDelete) removed for good with its cascade-deleted children and its field history.
   */
  delete(type: string | undefined, rawId: unknown, ctx: DmlContext, opts: { hard?: boolean } = {}): string {
    const id = normalizeId(rawId);
    if (!id) throw err('MALFORMED_ID', `malformed id ${String(rawId)}`);
    const obj = type ? this.object(type, true, ctx.access) : this.schema.objectForId(id);
    if (!obj || obj.keyPrefix !== id.slice(0, 3)) {
      if (type) throw notFound();
      throw err('MALFORMED_ID', `malformed id ${id}`);
    }
    if (!obj.deletable) throw err('INVALID_TYPE', `entity type cannot be deleted: ${obj.label}`);
    const row = this.row(obj, id);
    if (!row) throw err('INVALID_CROSS_REFERENCE_KEY', 'invalid cross reference id');
    if (row.IsDeleted === 1) throw err('ENTITY_IS_DELETED', 'entity is deleted');
    if (!ctx.access.all && !ctx.access.schema.get(obj.name)) throw insufficientAccess();
    checkDelete(obj, row, ctx.access);
    this.store.forgetFacts();
    this.deleteCascade(obj, id, ctx, 0, opts.hard === true);
    if (SECURITY_OBJECTS.has(obj.name)) this.securityEpoch++;
    return id;
  }

  private deleteCascade(obj: ObjectSchema, id: string, ctx: DmlContext, depth: number, hard: boolean): void {
    const now = nowIso(ctx);
    for (const rel of obj.children) {
      const child = this.schema.get(rel.childSObject)!;
      const soft = child.byName.has('isdeleted');
      const live = soft && !hard ? ' AND "IsDeleted" = 0' : '';
      const rows = this.store.all(
        `SELECT "Id"${soft ? ', "IsDeleted"' : ''} FROM ${quote(child.name)} WHERE ${quote(rel.field)} = ?${live}`,
        [id]
      );
      if (rows.length === 0) continue;
      if (rel.restrictedDelete && (!hard || rows.some((r) => r.IsDeleted !== 1))) {
        throw err(
          'DELETE_FAILED',
          `Your attempt to delete ${obj.label} could not be completed because it is associated with the following ${child.labelPlural}.: ${rows
            .slice(0, 3)
            .map((r) => String(r.Id))
            .join(', ')}`
        );
      }
      if (rel.cascadeDelete) {
        for (const r of rows) {
          if (hard || r.IsDeleted !== 1) this.deleteCascade(child, String(r.Id), ctx, depth + 1, hard);
        }
      } else {
        const f = child.byName.get(rel.field.toLowerCase())!;
        if (f.nillable) {
          const stamp = child.byName.has('systemmodstamp') ? ', "SystemModstamp" = ?' : '';
          this.store.run(
            `UPDATE ${quote(child.name)} SET ${quote(rel.field)} = NULL${stamp} WHERE ${quote(rel.field)} = ?`,
            stamp ? [now, id] : [id]
          );
        }
      }
    }
    if (hard) {
      this.store.run(`DELETE FROM ${quote(obj.name)} WHERE "Id" = ?`, [id]);
      if (obj.history) {
        const h = this.schema.get(obj.history.object);
        if (h) this.store.run(`DELETE FROM ${quote(h.name)} WHERE ${quote(obj.history.parentField)} = ?`, [id]);
      }
    } else if (obj.byName.has('isdeleted')) {
      const stamp = obj.byName.has('systemmodstamp') ? ', "SystemModstamp" = ?' : '';
      this.store.run(`UPDATE ${quote(obj.name)} SET "IsDeleted" = 1${stamp} WHERE "Id" = ?`, stamp ? [now, id] : [id]);
    } else {
      this.store.run(`DELETE FROM ${quote(obj.name)} WHERE "Id" = ?`, [id]);
    }
  }

  private autoNumber(obj: ObjectSchema, f: FieldSchema): string {
    const n = this.store.nextSeq(`auto:${obj.name}`);
    const format = f.displayFormat ?? '{0}';
    return format.replace(/\{(0+)\}/, (_m, zeros: string) => String(n).padStart(zeros.length, '0'));
  }
}

/** The insert of an upsert: an error it throws says the record was being created. */
function creating(insert: () => string): string {
  try {
    return insert();
  } catch (e) {
    if (e instanceof ApiError) e.upsertCreating = true;
    throw e;
  }
}
