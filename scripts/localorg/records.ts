import { ApiError, notFound } from './errors';
import { localDate } from '../calendar';
import { restDateTime, toStoredDate, toStoredDateTime, toStoredTime } from './dates';
import { makeId, normalizeId } from './ids';
import type { FieldSchema, ObjectSchema, Schema } from './schema';
import { quote, SqlValue, Store } from './store';

/** Who is writing, and when: the running user of the request and the request's clock. */
export interface DmlContext {
  userId: string;
  now: Date;
}

/**
 * Local-org-only allowances (documented in the README): audit fields on insert, direct history
 * inserts, Lead conversion fields, BusinessHours inserts.
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

type Row = Record<string, SqlValue>;

const err = (code: string, message: string, fields: string[] = []) => new ApiError(400, code, message, fields);

/** Salesforce-style message label of a field ("Lead" for Lead__c). */
function fieldLabel(f: FieldSchema): string {
  return f.label;
}

/**
 * Records: validation from the schema, inserts/updates/deletes with system fields, derived
 * fields and history rows. Every method runs inside the caller's transaction.
 */
export class Records {
  constructor(
    private readonly store: Store,
    private schema: Schema,
    private readonly tz: () => string
  ) {}

  setSchema(schema: Schema): void {
    this.schema = schema;
  }

  object(type: string, forRest = true): ObjectSchema {
    const obj = this.schema.get(type);
    if (!obj) throw forRest ? notFound() : err('INVALID_TYPE', `sObject type '${type}' is not supported.`);
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

  /** GET /sobjects/X/id. */
  retrieve(type: string, rawId: string, version: string, fieldList?: string): Record<string, unknown> {
    const obj = this.object(type);
    const id = normalizeId(rawId);
    if (!id) {
      throw new ApiError(404, 'NOT_FOUND', `Provided external ID field does not exist or is not accessible: ${rawId}`);
    }
    const row = this.row(obj, id);
    if (!row) throw notFound();
    if (row.IsDeleted === 1) throw new ApiError(404, 'ENTITY_IS_DELETED', 'entity is deleted');
    let fields: FieldSchema[] | undefined;
    if (fieldList) {
      fields = fieldList
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean)
        .map((name) => {
          const f = obj.byName.get(name.toLowerCase());
          if (!f) throw err('INVALID_FIELD', `No such column '${name}' on sobject of type ${obj.name}`);
          return f;
        });
    }
    return this.toRecord(obj, row, version, fields);
  }

  // ---- writes --------------------------------------------------------------------------------

  insert(type: string, input: Record<string, unknown>, ctx: DmlContext, forRest = true): string {
    const obj = this.object(type, forRest);
    const isHistory = HISTORY_OBJECTS.has(obj.name.toLowerCase());
    if (!obj.createable && !isHistory) {
      throw err('INVALID_TYPE', `entity type cannot be inserted: ${obj.label}`);
    }
    const values = this.coerceInput(obj, input, 'insert');
    const now = ctx.now.toISOString();
    const row: Row = {};
    for (const f of obj.fields) row[f.name] = null;
    for (const [k, v] of values) row[k.name] = v;
    row.Id = this.newId(obj);
    if (obj.byName.has('isdeleted')) row.IsDeleted = 0;
    if (obj.byName.has('createddate')) row.CreatedDate ??= now;
    if (obj.byName.has('createdbyid')) row.CreatedById ??= ctx.userId;
    if (obj.byName.has('lastmodifieddate')) row.LastModifiedDate ??= row.CreatedDate ?? now;
    if (obj.byName.has('lastmodifiedbyid')) row.LastModifiedById ??= row.CreatedById ?? ctx.userId;
    if (obj.byName.has('systemmodstamp')) row.SystemModstamp = now;
    if (obj.hasOwner && row.OwnerId === null) row.OwnerId = ctx.userId;
    for (const f of obj.fields) {
      if (row[f.name] !== null || values.has(f)) continue;
      if (f.type === 'boolean') row[f.name] = f.defaultValue === true ? 1 : 0;
      else if (f.defaultValue !== undefined && typeof f.defaultValue !== 'boolean') row[f.name] = f.defaultValue;
      else if ((f.type === 'picklist' || f.type === 'combobox') && f.defaultedOnCreate) {
        const def = f.picklistValues.find((p) => p.default);
        if (def) row[f.name] = def.value;
      }
    }
    const nameField = obj.nameField;
    if (nameField?.autoNumber) row[nameField.name] = this.autoNumber(obj, nameField);
    this.derive(obj, row, undefined, ctx);
    this.validate(obj, row, undefined);
    const cols = Object.keys(row);
    this.store.run(
      `INSERT INTO ${quote(obj.name)} (${cols.map(quote).join(', ')}) VALUES (${cols.map(() => '?').join(', ')})`,
      cols.map((c) => row[c])
    );
    if (obj.history && obj.fields.some((f) => f.trackHistory)) {
      // the 'created' row carries the record's own creator and time (audit fields may be set on insert)
      this.writeHistory(
        obj,
        String(row.Id),
        'created',
        null,
        null,
        null,
        { ...ctx, userId: String(row.CreatedById ?? ctx.userId) },
        String(row.CreatedDate ?? now)
      );
    }
    return String(row.Id);
  }

  update(type: string, rawId: unknown, input: Record<string, unknown>, ctx: DmlContext, forRest = true): string {
    const obj = this.object(type, forRest);
    const id = normalizeId(rawId);
    if (!id || !this.schema.objectForId(id) || this.schema.objectForId(id)!.keyPrefix !== obj.keyPrefix) {
      throw err('MALFORMED_ID', `${obj.label} ID: id value of incorrect type: ${String(rawId)}`, ['Id']);
    }
    if (!obj.updateable) throw err('INVALID_TYPE', `entity type cannot be updated: ${obj.label}`);
    const old = this.row(obj, id);
    if (!old) throw err('INVALID_CROSS_REFERENCE_KEY', 'invalid cross reference id');
    if (old.IsDeleted === 1) throw err('ENTITY_IS_DELETED', 'entity is deleted');
    const values = this.coerceInput(obj, input, 'update');
    const row: Row = { ...old };
    for (const [k, v] of values) row[k.name] = v;
    const now = ctx.now.toISOString();
    if (obj.byName.has('lastmodifieddate')) row.LastModifiedDate = now;
    if (obj.byName.has('lastmodifiedbyid')) row.LastModifiedById = ctx.userId;
    if (obj.byName.has('systemmodstamp')) row.SystemModstamp = now;
    this.derive(obj, row, old, ctx);
    this.validate(obj, row, old);
    const changed = Object.keys(row).filter((c) => row[c] !== old[c]);
    if (changed.length > 0) {
      this.store.run(`UPDATE ${quote(obj.name)} SET ${changed.map((c) => `${quote(c)} = ?`).join(', ')} WHERE "Id" = ?`, [
        ...changed.map((c) => row[c]),
        id
      ]);
    }
    if (obj.history) {
      for (const f of obj.fields) {
        if (!f.trackHistory || row[f.name] === old[f.name]) continue;
        if (f.name === 'OwnerId') {
          this.writeHistory(obj, id, 'Owner', 'EntityId', old.OwnerId, row.OwnerId, ctx, now);
          this.writeHistory(obj, id, 'Owner', 'Text', this.nameOf(old.OwnerId), this.nameOf(row.OwnerId), ctx, now);
        } else {
          this.writeHistory(obj, id, f.name, historyDataType(f), fromStored(f, old[f.name]), fromStored(f, row[f.name]), ctx, now);
        }
      }
    }
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
    const obj = this.object(type, forRest);
    const f = obj.byName.get(extField.toLowerCase());
    if (!f || !(f.externalId || f.name === 'Id')) {
      throw new ApiError(404, 'NOT_FOUND', `Provided external ID field does not exist or is not accessible: ${extField}`);
    }
    const body = { ...input };
    for (const k of Object.keys(body)) if (k.toLowerCase() === f.name.toLowerCase()) delete body[k];
    if (f.name === 'Id') {
      if (extValue === undefined || extValue === null || extValue === '')
        return { id: this.insert(type, body, ctx, forRest), created: true };
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
    return { id: this.insert(type, { ...body, [f.name]: extValue }, ctx, forRest), created: true };
  }

  delete(type: string | undefined, rawId: unknown, ctx: DmlContext): string {
    const id = normalizeId(rawId);
    if (!id) throw err('MALFORMED_ID', `malformed id ${String(rawId)}`);
    const obj = type ? this.object(type) : this.schema.objectForId(id);
    if (!obj || obj.keyPrefix !== id.slice(0, 3)) {
      if (type) throw notFound();
      throw err('MALFORMED_ID', `malformed id ${id}`);
    }
    if (!obj.deletable) throw err('INVALID_TYPE', `entity type cannot be deleted: ${obj.label}`);
    const row = this.row(obj, id);
    if (!row) throw err('INVALID_CROSS_REFERENCE_KEY', 'invalid cross reference id');
    if (row.IsDeleted === 1) throw err('ENTITY_IS_DELETED', 'entity is deleted');
    this.deleteCascade(obj, id, ctx, 0);
    return id;
  }

  private deleteCascade(obj: ObjectSchema, id: string, ctx: DmlContext, depth: number): void {
    const now = ctx.now.toISOString();
    for (const rel of obj.children) {
      const child = this.schema.get(rel.childSObject)!;
      const live = child.byName.has('isdeleted') ? ' AND "IsDeleted" = 0' : '';
      const rows = this.store.all(`SELECT "Id" FROM ${quote(child.name)} WHERE ${quote(rel.field)} = ?${live}`, [id]);
      if (rows.length === 0) continue;
      if (rel.restrictedDelete) {
        throw err(
          'DELETE_FAILED',
          `Your attempt to delete ${obj.label} could not be completed because it is associated with the following ${child.labelPlural}.: ${rows
            .slice(0, 3)
            .map((r) => String(r.Id))
            .join(', ')}`
        );
      }
      if (rel.cascadeDelete) {
        for (const r of rows) this.deleteCascade(child, String(r.Id), ctx, depth + 1);
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
    if (obj.byName.has('isdeleted')) {
      const stamp = obj.byName.has('systemmodstamp') ? ', "SystemModstamp" = ?' : '';
      this.store.run(`UPDATE ${quote(obj.name)} SET "IsDeleted" = 1${stamp} WHERE "Id" = ?`, stamp ? [now, id] : [id]);
    } else {
      this.store.run(`DELETE FROM ${quote(obj.name)} WHERE "Id" = ?`, [id]);
    }
  }

  // ---- helpers -------------------------------------------------------------------------------

  private coerceInput(obj: ObjectSchema, input: Record<string, unknown>, op: 'insert' | 'update'): Map<FieldSchema, SqlValue> {
    if (typeof input !== 'object' || input === null || Array.isArray(input)) {
      throw err('JSON_PARSER_ERROR', 'The request body must be a JSON object');
    }
    const out = new Map<FieldSchema, SqlValue>();
    const isHistory = HISTORY_OBJECTS.has(obj.name.toLowerCase());
    for (const [key, value] of Object.entries(input)) {
      if (key === 'attributes') continue;
      const f = obj.byName.get(key.toLowerCase());
      if (!f) throw err('INVALID_FIELD', `No such column '${key}' on sobject of type ${obj.name}`, [key]);
      if (f.name === 'Id') {
        if (op === 'update') continue;
        throw err(
          'INVALID_FIELD_FOR_INSERT_UPDATE',
          'Unable to create/update fields: Id. Please check the security settings of this field and verify that it is read/write for your profile or permission set.',
          ['Id']
        );
      }
      const allowed = op === 'insert' ? f.createable || AUDIT_FIELDS.has(f.name.toLowerCase()) || isHistory : f.updateable;
      const conversion = obj.name === 'Lead' && LEAD_CONVERSION_FIELDS.has(f.name.toLowerCase());
      if (!allowed && !conversion) {
        throw err(
          'INVALID_FIELD_FOR_INSERT_UPDATE',
          `Unable to create/update fields: ${f.name}. Please check the security settings of this field and verify that it is read/write for your profile or permission set.`,
          [f.name]
        );
      }
      out.set(
        f,
        f.type === 'anyType' ? (value === null || value === undefined ? null : JSON.stringify(value)) : coerceValue(obj, f, value)
      );
    }
    return out;
  }

  private autoNumber(obj: ObjectSchema, f: FieldSchema): string {
    const n = this.store.nextSeq(`auto:${obj.name}`);
    const format = f.displayFormat ?? '{0}';
    return format.replace(/\{(0+)\}/, (_m, zeros: string) => String(n).padStart(zeros.length, '0'));
  }

  /** Platform-derived fields: compound names, Opportunity stage flags, Task/Event flags. */
  private derive(obj: ObjectSchema, row: Row, old: Row | undefined, ctx: DmlContext): void {
    const now = ctx.now.toISOString();
    switch (obj.name) {
      case 'Lead':
      case 'Contact':
      case 'User':
        row.Name = [row.FirstName, row.LastName].filter((v) => v !== null && v !== '').join(' ') || null;
        if (obj.name === 'User' && row.CommunityNickname === null && typeof row.Username === 'string') {
          row.CommunityNickname = row.Username.split('@')[0].slice(0, 40);
        }
        if (obj.name === 'User' && row.UserType === null) row.UserType = 'Standard';
        if (obj.name === 'Lead' && row.IsConverted === 1 && row.ConvertedDate === null) {
          row.ConvertedDate = localDate(ctx.now.getTime(), this.tz());
        }
        break;
      case 'Group':
        if (row.DeveloperName === null && typeof row.Name === 'string') row.DeveloperName = row.Name.replace(/[^A-Za-z0-9]+/g, '_');
        break;
      case 'Opportunity': {
        const f = obj.byName.get('stagename')!;
        const stage = f.picklistValues.find((p) => p.value === row.StageName);
        row.IsClosed = stage?.closed ? 1 : 0;
        row.IsWon = stage?.won ? 1 : 0;
        const cat = stage?.forecastCategory ?? (stage?.closed ? (stage.won ? 'Closed' : 'Omitted') : 'Pipeline');
        row.ForecastCategory = cat;
        if (!old || old.StageName !== row.StageName) {
          row.ForecastCategoryName = cat === 'BestCase' ? 'Best Case' : cat === 'Forecast' ? 'Commit' : cat;
          if (stage?.probability !== undefined && (!old || row.Probability === old.Probability)) row.Probability = stage.probability;
        }
        break;
      }
      case 'Task': {
        const f = obj.byName.get('status')!;
        const closed = f.picklistValues.find((p) => p.value === row.Status)?.closed === true || row.Status === 'Completed';
        row.IsClosed = closed ? 1 : 0;
        row.IsHighPriority = row.Priority === 'High' ? 1 : 0;
        // completion time: when it was closed (an insert as closed: its LastModifiedDate, which seeding may backdate)
        if (closed && row.CompletedDateTime === null) row.CompletedDateTime = old ? now : (row.LastModifiedDate ?? now);
        if (!closed) row.CompletedDateTime = null;
        if (row.TaskSubtype === null) row.TaskSubtype = 'Task';
        row.AccountId = this.accountOf(row.WhatId);
        break;
      }
      case 'Event': {
        if (row.StartDateTime === null && row.ActivityDateTime !== null) row.StartDateTime = row.ActivityDateTime;
        if (row.ActivityDateTime === null || (old && row.StartDateTime !== old.StartDateTime)) row.ActivityDateTime = row.StartDateTime;
        if (typeof row.StartDateTime === 'string') {
          const start = Date.parse(row.StartDateTime);
          if (
            row.EndDateTime !== null &&
            (!old || row.EndDateTime !== old.EndDateTime || row.DurationInMinutes === old.DurationInMinutes)
          ) {
            row.DurationInMinutes = Math.round((Date.parse(String(row.EndDateTime)) - start) / 60000);
          } else if (row.DurationInMinutes !== null) {
            row.EndDateTime = new Date(start + Number(row.DurationInMinutes) * 60000).toISOString();
          }
          row.ActivityDate = localDate(start, this.tz());
        }
        if (row.EventSubtype === null) row.EventSubtype = 'Event';
        if (row.ShowAs === null) row.ShowAs = 'Busy';
        row.AccountId = this.accountOf(row.WhatId);
        break;
      }
      case 'CampaignMember': {
        row.HasResponded = row.Status === 'Responded' ? 1 : 0;
        if (row.HasResponded === 1 && row.FirstRespondedDate === null) {
          // a member inserted with a back-dated CreatedDate responded on that day, not today
          const at = old || row.CreatedDate == null ? ctx.now.getTime() : Date.parse(String(row.CreatedDate));
          row.FirstRespondedDate = localDate(at, this.tz());
        }
        const who = (row.LeadId ?? row.ContactId) as string | null;
        if (who) row.Name = this.nameOf(who);
        break;
      }
    }
  }

  private accountOf(whatId: SqlValue): SqlValue {
    if (typeof whatId !== 'string') return null;
    if (whatId.startsWith('001')) return whatId;
    if (whatId.startsWith('006'))
      return (this.store.get('SELECT "AccountId" FROM "Opportunity" WHERE "Id" = ?', [whatId])?.AccountId ?? null) as SqlValue;
    return null;
  }

  /** The Name of any record by id (owner names in history, campaign member names). */
  nameOf(id: SqlValue): string | null {
    if (typeof id !== 'string') return null;
    const obj = this.schema.objectForId(id);
    if (!obj?.nameField) return null;
    const r = this.store.get(`SELECT ${quote(obj.nameField.name)} AS n FROM ${quote(obj.name)} WHERE "Id" = ?`, [id]);
    return r ? ((r.n as string | null) ?? null) : null;
  }

  private validate(obj: ObjectSchema, row: Row, old: Row | undefined): void {
    const missing: string[] = [];
    for (const f of obj.fields) {
      const v = row[f.name];
      if (v === null || v === '') {
        if (!f.nillable && !f.calculated && f.type !== 'boolean' && (f.createable || f.updateable) && f.name !== 'OwnerId') {
          if (v === '') row[f.name] = null;
          missing.push(f.name);
        } else if (v === '' && f.type !== 'string' && f.type !== 'textarea') {
          row[f.name] = null;
        }
        continue;
      }
      if (old && v === old[f.name]) continue;
      this.checkValue(obj, f, v);
    }
    if (obj.name === 'CampaignMember' && row.LeadId === null && row.ContactId === null) missing.push('LeadId');
    if (obj.name === 'Event' && row.StartDateTime === null) missing.push('ActivityDateTime');
    if (obj.name === 'Event' && row.DurationInMinutes === null && row.IsAllDayEvent !== 1) missing.push('DurationInMinutes');
    if (missing.length > 0) throw err('REQUIRED_FIELD_MISSING', `Required fields are missing: [${missing.join(', ')}]`, missing);
    for (const f of obj.fields) {
      if (!(f.unique || (f.externalId && f.unique)) || row[f.name] === null) continue;
      if (old && row[f.name] === old[f.name]) continue;
      const live = obj.byName.has('isdeleted') ? ' AND "IsDeleted" = 0' : '';
      const dup = this.store.get(`SELECT "Id" FROM ${quote(obj.name)} WHERE ${quote(f.name)} = ? AND "Id" != ?${live} LIMIT 1`, [
        row[f.name],
        String(row.Id)
      ]);
      if (dup) {
        if (obj.name === 'User' && f.name === 'Username') {
          throw err(
            'DUPLICATE_USERNAME',
            `Duplicate Username.<br>The username already exists in this or another Salesforce organization. Usernames must be unique across all Salesforce organizations. To resolve, use a different username (it doesn't need to match the user's email address). `,
            ['Username']
          );
        }
        throw err('DUPLICATE_VALUE', `duplicate value found: ${f.name} duplicates value on record with id: ${String(dup.Id)}`, []);
      }
    }
  }

  private checkValue(obj: ObjectSchema, f: FieldSchema, v: SqlValue): void {
    switch (f.type) {
      case 'string':
      case 'textarea':
      case 'email':
      case 'phone':
      case 'url':
      case 'combobox':
      case 'multipicklist':
        if (f.length !== undefined && String(v).length > f.length) {
          throw err('STRING_TOO_LONG', `${fieldLabel(f)}: data value too large: ${String(v).slice(0, 100)} (max length=${f.length})`, [
            f.name
          ]);
        }
        if (f.type === 'email' && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(String(v))) {
          throw err('INVALID_EMAIL_ADDRESS', `${fieldLabel(f)}: invalid email address: ${String(v)}`, [f.name]);
        }
        if (f.type === 'multipicklist' && f.restrictedPicklist) {
          for (const part of String(v).split(';')) {
            if (!f.picklistValues.some((p) => p.value === part)) {
              throw err('INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST', `${fieldLabel(f)}: bad value for restricted picklist field: ${part}`, [
                f.name
              ]);
            }
          }
        }
        break;
      case 'picklist':
        if (f.restrictedPicklist || f.name === 'StageName' || (f.name === 'Status' && (obj.name === 'Lead' || obj.name === 'Task'))) {
          if (!f.picklistValues.some((p) => p.value === v)) {
            throw err(
              'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST',
              `${fieldLabel(f)}: bad value for restricted picklist field: ${String(v)}`,
              [f.name]
            );
          }
        }
        if (String(v).length > 255)
          throw err('STRING_TOO_LONG', `${fieldLabel(f)}: data value too large: ${String(v).slice(0, 100)} (max length=255)`, [f.name]);
        break;
      case 'double':
      case 'currency':
      case 'percent':
      case 'int': {
        if (f.precision !== undefined) {
          const intDigits = f.precision - (f.scale ?? 0);
          if (Math.abs(Math.trunc(Number(v))) >= 10 ** intDigits) {
            throw err('NUMBER_OUTSIDE_VALID_RANGE', `${fieldLabel(f)}: value outside of valid range on numeric field: ${String(v)}`, [
              f.name
            ]);
          }
        }
        break;
      }
      case 'reference': {
        const id = String(v);
        const target = this.schema.objectForId(id);
        const to = f.referenceTo.map((t) => this.schema.get(t)).filter((o): o is ObjectSchema => o !== undefined);
        const targetObj = to.find((o) => o.keyPrefix === id.slice(0, 3));
        if (!target || !targetObj) {
          throw err('INVALID_CROSS_REFERENCE_KEY', `${fieldLabel(f)}: id value of incorrect type: ${id}`, [f.name]);
        }
        const live = targetObj.byName.has('isdeleted') ? ' AND "IsDeleted" = 0' : '';
        const exists = this.store.get(`SELECT 1 AS x FROM ${quote(targetObj.name)} WHERE "Id" = ?${live}`, [id]);
        if (!exists) throw err('INVALID_CROSS_REFERENCE_KEY', `invalid cross reference id`, [f.name]);
        break;
      }
    }
  }

  private writeHistory(
    obj: ObjectSchema,
    parentId: string,
    field: string,
    dataType: string | null,
    oldValue: unknown,
    newValue: unknown,
    ctx: DmlContext,
    createdDate: string
  ): void {
    const h = this.schema.get(obj.history!.object)!;
    const id = this.newId(h);
    this.store.run(
      `INSERT INTO ${quote(h.name)} ("Id", "IsDeleted", ${quote(obj.history!.parentField)}, "CreatedById", "CreatedDate", "Field", "DataType", "OldValue", "NewValue") VALUES (?, 0, ?, ?, ?, ?, ?, ?, ?)`,
      [
        id,
        parentId,
        ctx.userId,
        createdDate,
        field,
        dataType,
        oldValue === null || oldValue === undefined ? null : JSON.stringify(oldValue),
        newValue === null || newValue === undefined ? null : JSON.stringify(newValue)
      ]
    );
  }
}

function historyDataType(f: FieldSchema): string {
  switch (f.type) {
    case 'picklist':
      return 'Picklist';
    case 'datetime':
      return 'DateTime';
    case 'date':
      return 'Date';
    case 'boolean':
      return 'Boolean';
    case 'double':
    case 'int':
      return 'Double';
    case 'currency':
      return 'Currency';
    case 'percent':
      return 'Percent';
    case 'reference':
      return 'EntityId';
    default:
      return 'Text';
  }
}

export function recordUrl(version: string, type: string, id: string): string {
  return `/services/data/v${version}/sobjects/${type}/${id}`;
}

const jsonErr = (f: FieldSchema, kind: string, v: unknown) =>
  err(
    'JSON_PARSER_ERROR',
    `Cannot deserialize instance of ${kind} from ${typeof v === 'string' ? 'VALUE_STRING' : Array.isArray(v) ? 'START_ARRAY' : typeof v === 'object' ? 'START_OBJECT' : 'VALUE_' + typeof v} value ${JSON.stringify(v)} or request may be missing a required field`,
    [f.name]
  );
const typeErr = (f: FieldSchema, v: unknown) =>
  err('INVALID_TYPE_ON_FIELD_IN_RECORD', `${f.label}: value not of required type: ${typeof v === 'string' ? v : JSON.stringify(v)}`, [
    f.name
  ]);

/** A JSON value for a field → its stored form, or a JSON_PARSER_ERROR / INVALID_TYPE_ON_FIELD_IN_RECORD / MALFORMED_ID. */
export function coerceValue(obj: ObjectSchema, f: FieldSchema, v: unknown): SqlValue {
  if (v === null || v === undefined) return null;
  if (typeof v === 'object') throw jsonErr(f, f.type, v);
  switch (f.type) {
    case 'boolean':
      if (typeof v === 'boolean') return v ? 1 : 0;
      if (v === 'true' || v === 'false') return v === 'true' ? 1 : 0;
      if (typeof v === 'number') throw typeErr(f, v);
      throw jsonErr(f, 'boolean', v);
    case 'int':
    case 'double':
    case 'currency':
    case 'percent': {
      if (v === '') return null;
      const n = typeof v === 'number' ? v : typeof v === 'string' && /^\s*-?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?\s*$/.test(v) ? Number(v) : NaN;
      if (typeof v === 'boolean') throw typeErr(f, v);
      if (!Number.isFinite(n)) throw jsonErr(f, 'double', v);
      if (f.type === 'int') return Math.trunc(n);
      return f.scale !== undefined ? Number(n.toFixed(f.scale)) : n;
    }
    case 'date': {
      if (typeof v !== 'string') throw typeErr(f, v);
      if (v === '') return null;
      const d = toStoredDate(v);
      if (!d) throw typeErr(f, v);
      return d;
    }
    case 'datetime': {
      if (typeof v !== 'string') throw typeErr(f, v);
      if (v === '') return null;
      const d = toStoredDateTime(v);
      if (!d) throw typeErr(f, v);
      return d;
    }
    case 'time': {
      if (typeof v !== 'string') throw typeErr(f, v);
      if (v === '') return null;
      const t = toStoredTime(v);
      if (!t) throw typeErr(f, v);
      return t;
    }
    case 'reference':
    case 'id': {
      if (v === '') return null;
      if (typeof v !== 'string') throw typeErr(f, v);
      const id = normalizeId(v);
      if (!id) throw err('MALFORMED_ID', `${f.label}: id value of incorrect type: ${v}`, [f.name]);
      return id;
    }
    default:
      if (typeof v === 'boolean' || typeof v === 'number') return String(v);
      return v as string;
  }
}

/** Stored value → REST JSON value. */
export function fromStored(f: FieldSchema, v: SqlValue | undefined): unknown {
  if (v === null || v === undefined) return f.type === 'boolean' ? false : null;
  switch (f.type) {
    case 'boolean':
      return v === 1 || v === '1';
    case 'int':
    case 'double':
    case 'currency':
    case 'percent':
      return Number(v);
    case 'datetime':
      return restDateTime(String(v));
    case 'anyType':
      try {
        return JSON.parse(String(v));
      } catch {
        return String(v);
      }
    default:
      return typeof v === 'bigint' ? Number(v) : v;
  }
}
