import { makeId } from '../ids';
import type { FieldSchema, ObjectSchema } from '../schema';
import { quote } from '../store';
import { nameOf } from './derivedFields';
import type { DmlContext, RecordsDb, Row } from './dmlContext';
import { fromStored } from './fieldValues';

/**
 * Field history (LeadHistory, OpportunityFieldHistory): a 'created' row when a record of an object
 * with tracked fields is inserted, and one row per tracked field an update changes (an owner change
 * writes two: the ids and the names), as the platform writes them.
 */

/** The 'created' row of a new record: it carries the record's own creator and time (audit fields may be set on insert). */
export function writeCreatedHistory(db: RecordsDb, obj: ObjectSchema, row: Row, ctx: DmlContext, now: string): void {
  if (!obj.history || !tracksFields(obj)) return;
  writeHistory(db, obj, String(row.Id), 'created', null, null, null, String(row.CreatedById ?? ctx.userId), String(row.CreatedDate ?? now));
}

/** One row per tracked field whose value an update changed. */
export function writeChangeHistory(db: RecordsDb, obj: ObjectSchema, id: string, old: Row, row: Row, ctx: DmlContext, now: string): void {
  if (!obj.history) return;
  for (const f of obj.fields) {
    if (!f.trackHistory || row[f.name] === old[f.name]) continue;
    if (f.name === 'OwnerId') {
      writeHistory(db, obj, id, 'Owner', 'EntityId', old.OwnerId, row.OwnerId, ctx.userId, now);
      writeHistory(db, obj, id, 'Owner', 'Text', nameOf(db, old.OwnerId), nameOf(db, row.OwnerId), ctx.userId, now);
    } else {
      writeHistory(db, obj, id, f.name, historyDataType(f), fromStored(f, old[f.name]), fromStored(f, row[f.name]), ctx.userId, now);
    }
  }
}

function writeHistory(
  db: RecordsDb,
  obj: ObjectSchema,
  parentId: string,
  field: string,
  dataType: string | null,
  oldValue: unknown,
  newValue: unknown,
  userId: string,
  createdDate: string
): void {
  const h = db.schema.get(obj.history!.object)!;
  const id = makeId(h.keyPrefix, db.store.nextSeq(`id:${h.keyPrefix}`));
  db.store.run(historyInsert(obj, h), [
    id,
    parentId,
    userId,
    createdDate,
    field,
    dataType,
    oldValue === null || oldValue === undefined ? null : JSON.stringify(oldValue),
    newValue === null || newValue === undefined ? null : JSON.stringify(newValue)
  ]);
}

/** Whether an object has a tracked field, and the INSERT of its history rows: worked out once per schema object. */
const TRACKS = new WeakMap<ObjectSchema, boolean>();
function tracksFields(obj: ObjectSchema): boolean {
  let t = TRACKS.get(obj);
  if (t === undefined) {
    t = obj.fields.some((f) => f.trackHistory);
    TRACKS.set(obj, t);
  }
  return t;
}
const HISTORY_INSERTS = new WeakMap<ObjectSchema, { history: ObjectSchema; sql: string }>();
function historyInsert(obj: ObjectSchema, h: ObjectSchema): string {
  let e = HISTORY_INSERTS.get(obj);
  if (e === undefined || e.history !== h) {
    e = {
      history: h,
      sql: `INSERT INTO ${quote(h.name)} ("Id", "IsDeleted", ${quote(obj.history!.parentField)}, "CreatedById", "CreatedDate", "Field", "DataType", "OldValue", "NewValue") VALUES (?, 0, ?, ?, ?, ?, ?, ?, ?)`
    };
    HISTORY_INSERTS.set(obj, e);
  }
  return e.sql;
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
