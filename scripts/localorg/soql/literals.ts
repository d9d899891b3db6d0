import { MAX_SOQL_STRING_LENGTH } from '../bounds';
import { malformedQuery } from '../errors';
import { toStoredDate, toStoredDateTime } from '../dates';
import { normalizeId } from '../ids';
import type { Condition } from '@jetstreamapp/soql-parser-js';
import type { FieldSchema } from '../schema';
import type { SqlValue } from '../store';
import { ownValue } from '../ownValue';

/** The literals of a WHERE condition (one, or an IN list) with their literal types. */
export function literalValues(c: Condition): { type: string; raw: string }[] {
  const any = c as Condition & { value?: string | string[]; literalType?: string | string[] };
  const values = Array.isArray(any.value) ? any.value : any.value === undefined ? [] : [any.value];
  const types = Array.isArray(any.literalType) ? any.literalType : values.map(() => any.literalType as string);
  return values.map((raw, i) => ({ raw, type: (types.at(i) ?? types[0] ?? 'STRING').toUpperCase() }));
}

/** The escape sequences of a SOQL string literal that stand for a control character. */
const ESCAPES: Readonly<Record<string, string>> = { n: '\n', t: '\t', r: '\r', b: '\b', f: '\f' };

function unquote(raw: string): string {
  const s = raw.startsWith("'") && raw.endsWith("'") ? raw.slice(1, -1) : raw;
  return s.replace(/\\(.)/g, (_m, c: string) => ownValue(ESCAPES, c) ?? c);
}

/** A SOQL literal compared with a field of type `kind` → the stored value to bind, or MALFORMED_QUERY when the types do not match. */
export function literal(l: { type: string; raw: string }, field: FieldSchema | undefined, kind: string): SqlValue {
  switch (l.type) {
    case 'NULL':
      return null;
    case 'BOOLEAN':
      if (kind !== 'boolean') throw malformedQuery(`boolean value ${l.raw} used with non-boolean field ${field?.name ?? ''}`);
      return l.raw.toUpperCase() === 'TRUE' ? 1 : 0;
    case 'INTEGER':
    case 'DECIMAL':
    case 'INTEGER_WITH_CURRENCY_PREFIX':
    case 'DECIMAL_WITH_CURRENCY_PREFIX': {
      const n = Number(l.raw.replace(/^[A-Z]{3}/, ''));
      if (['string', 'picklist', 'textarea', 'email', 'phone', 'url', 'id', 'reference', 'combobox'].includes(kind)) return l.raw;
      return n;
    }
    case 'DATE': {
      const d = toStoredDate(l.raw);
      if (!d) throw malformedQuery(`invalid date ${l.raw}`);
      if (kind === 'datetime')
        throw malformedQuery(
          `value of filter criterion for field '${field?.name}' must be of type dateTime and should not be enclosed in quotes`
        );
      return d;
    }
    case 'DATETIME': {
      const d = toStoredDateTime(l.raw);
      if (!d) throw malformedQuery(`invalid datetime ${l.raw}`);
      if (kind === 'date')
        throw malformedQuery(
          `value of filter criterion for field '${field?.name}' must be of type date and should not be enclosed in quotes`
        );
      return d;
    }
    case 'STRING': {
      const s = unquote(l.raw);
      // "Strings in WHERE clauses can't exceed 4,000 characters" (SOQL and SOSL Reference, WHERE)
      if (s.length > MAX_SOQL_STRING_LENGTH) {
        throw malformedQuery(
          `String literals in a WHERE clause can't exceed ${MAX_SOQL_STRING_LENGTH} characters (this one has ${s.length})`
        );
      }
      if (kind === 'id' || kind === 'reference') return normalizeId(s) ?? s;
      if (
        kind === 'boolean' ||
        kind === 'double' ||
        kind === 'int' ||
        kind === 'currency' ||
        kind === 'percent' ||
        kind === 'date' ||
        kind === 'datetime'
      ) {
        throw malformedQuery(
          `value of filter criterion for field '${field?.name}' must be of type ${kind} and should not be enclosed in quotes`
        );
      }
      return s;
    }
    default:
      throw malformedQuery(`unsupported literal ${l.raw}`);
  }
}
