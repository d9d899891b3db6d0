import { badRequest as err } from '../errors';
import type { FieldSchema, ObjectSchema } from '../schema';
import { quote, SqlValue } from '../store';
import type { RecordsDb, Row } from './dmlContext';

/** Salesforce-style message label of a field ("Lead" for Lead__c). */
function fieldLabel(f: FieldSchema): string {
  return f.label;
}

/**
 * Checks a row about to be saved against its object's rules: required fields, lengths, email
 * format, restricted picklists, number ranges, lookups to live records of the right type, unique
 * values. Blank values of non-text fields become null. `old` is the stored row of an update (values
 * it already had are not checked again).
 */
export function validateRow(db: RecordsDb, obj: ObjectSchema, row: Row, old: Row | undefined): void {
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
    checkValue(db, obj, f, v);
  }
  if (obj.name === 'CampaignMember' && row.LeadId === null && row.ContactId === null) missing.push('LeadId');
  if (obj.name === 'Event' && row.StartDateTime === null) missing.push('ActivityDateTime');
  if (obj.name === 'Event' && row.DurationInMinutes === null && row.IsAllDayEvent !== 1) missing.push('DurationInMinutes');
  if (missing.length > 0) throw err('REQUIRED_FIELD_MISSING', `Required fields are missing: [${missing.join(', ')}]`, missing);
  if (obj.name === 'PermissionSetAssignment' && !old) {
    const dup = db.store.get('SELECT "Id" FROM "PermissionSetAssignment" WHERE "AssigneeId" = ? AND "PermissionSetId" = ? LIMIT 1', [
      row.AssigneeId,
      row.PermissionSetId
    ]);
    if (dup) {
      // the message `sf org assign permset` reports, and scripts match, for an assignment that exists
      throw err(
        'DUPLICATE_VALUE',
        `Duplicate PermissionSetAssignment. Assignee: ${String(row.AssigneeId)}, PermissionSet: ${String(row.PermissionSetId)}`,
        []
      );
    }
  }
  for (const f of obj.fields) {
    if (!(f.unique || (f.externalId && f.unique)) || row[f.name] === null) continue;
    if (old && row[f.name] === old[f.name]) continue;
    const live = obj.byName.has('isdeleted') ? ' AND "IsDeleted" = 0' : '';
    const dup = db.store.get(`SELECT "Id" FROM ${quote(obj.name)} WHERE ${quote(f.name)} = ? AND "Id" != ?${live} LIMIT 1`, [
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

function checkValue(db: RecordsDb, obj: ObjectSchema, f: FieldSchema, v: SqlValue): void {
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
      // the domain as dot-separated labels: a pattern in which two quantifiers compete for the same dots took
      // seconds on a long hostile value (quadratic backtracking)
      if (f.type === 'email' && !/^[^\s@]+@[^\s@.]+(?:\.[^\s@.]+)+$/.test(String(v))) {
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
          throw err('INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST', `${fieldLabel(f)}: bad value for restricted picklist field: ${String(v)}`, [
            f.name
          ]);
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
      const target = db.schema.objectForId(id);
      const to = f.referenceTo.map((t) => db.schema.get(t)).filter((o): o is ObjectSchema => o !== undefined);
      const targetObj = to.find((o) => o.keyPrefix === id.slice(0, 3));
      if (!target || !targetObj) {
        throw err('INVALID_CROSS_REFERENCE_KEY', `${fieldLabel(f)}: id value of incorrect type: ${id}`, [f.name]);
      }
      // a live record stays live for the rest of the transaction unless something is deleted (which forgets it)
      if (db.store.knows(id)) break;
      const live = targetObj.byName.has('isdeleted') ? ' AND "IsDeleted" = 0' : '';
      const exists = db.store.get(`SELECT 1 AS x FROM ${quote(targetObj.name)} WHERE "Id" = ?${live}`, [id]);
      if (!exists) throw err('INVALID_CROSS_REFERENCE_KEY', `invalid cross reference id`, [f.name]);
      db.store.learn(id);
      break;
    }
  }
}
