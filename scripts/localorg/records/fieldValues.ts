import { toStoredDate, toStoredDateTime, toStoredTime, restDateTime } from '../dates';
import { badRequest as err } from '../errors';
import { normalizeId } from '../ids';
import type { FieldSchema, ObjectSchema } from '../schema';
import type { SqlValue } from '../store';

/**
 * Field values between their three forms: the JSON a client sends (checked and coerced to the stored
 * form), the stored SQLite value, and the JSON the REST API answers with.
 */

/** A record's REST URL (`attributes.url`). */
export function recordUrl(version: string, type: string, id: string): string {
  return `/services/data/v${version}/sobjects/${type}/${id}`;
}

/** The JSON token a value was read from, as Jackson (the parser of a real org) names it in its messages. */
function jsonToken(v: unknown): string {
  if (typeof v === 'string') return 'VALUE_STRING';
  if (typeof v === 'number') return Number.isInteger(v) ? 'VALUE_NUMBER_INT' : 'VALUE_NUMBER_FLOAT';
  if (typeof v === 'boolean') return v ? 'VALUE_TRUE' : 'VALUE_FALSE';
  return Array.isArray(v) ? 'START_ARRAY' : 'START_OBJECT';
}

const jsonErr = (f: FieldSchema, kind: string, v: unknown) =>
  err(
    'JSON_PARSER_ERROR',
    `Cannot deserialize instance of ${kind} from ${jsonToken(v)} value ${JSON.stringify(v)} or request may be missing a required field`,
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
      const n =
        typeof v === 'number' ? v : typeof v === 'string' && /^\s*-?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?\s*$/.test(v) ? Number(v) : NaN;
      if (typeof v === 'boolean') throw typeErr(f, v);
      if (!Number.isFinite(n)) throw jsonErr(f, 'double', v);
      // an int field holds "numbers with no fractional portion" (SOAP API Developer Guide, Field
      // Types: int): 1.5 is refused as the JSON parser refuses it, not stored as 1. Number fields
      // with decimal places (double, currency, percent) round to their scale, as the org rounds them.
      if (f.type === 'int') {
        if (!Number.isInteger(n)) throw jsonErr(f, 'int', v);
        return n;
      }
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
