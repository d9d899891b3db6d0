/**
 * SOQL text with its values escaped by type: the one place a value becomes a SOQL literal.
 *
 *   soql`SELECT Id FROM Lead WHERE Email = ${email} AND CreatedDate > ${since} AND Id IN ${ids}`
 *
 * A value interpolated into the `soql` tag becomes a literal of its type — a string quoted with its
 * backslashes, quotes and control characters escaped; a number as written (finite only); a boolean TRUE /
 * FALSE; null as null; a `Date` a UTC date-time (whole seconds, rounded down; `soqlDateTime` rounds up on
 * request); `soqlDate('2026-03-04')` a date; an array an IN list `('a','b')` — and a `Soql` value (another
 * tagged template, `soqlName`, `soqlFields`, `soqlLike`, `soqlDateLiteral`) is inserted as it is, already
 * safe. Reads of the data layer take only `Soql`, so a query can only be built through here
 * (https://developer.salesforce.com/docs/atlas.en-us.soql_sosl.meta/soql_sosl/sforce_api_calls_soql_select_quotedstringescapes.htm
 * lists the escape sequences; date formats:
 * https://developer.salesforce.com/docs/atlas.en-us.soql_sosl.meta/soql_sosl/sforce_api_calls_soql_select_dateformats.htm).
 */

const BRAND = Symbol('soql');

/** SOQL text that is safe to send: built by the `soql` tag or one of the helpers of this module. */
export class Soql {
  readonly [BRAND] = true;
  /** @internal use the `soql` tag or a helper */
  constructor(readonly text: string) {}
  toString(): string {
    return this.text;
  }
}

/** A date literal (`2026-03-04`, no quotes), compared with Date fields. */
export class SoqlDate {
  readonly [BRAND] = true;
  /** @internal use soqlDate() */
  constructor(readonly text: string) {}
  toString(): string {
    return this.text;
  }
}

/** A value the `soql` tag turns into a literal. */
export type SoqlValue = string | number | boolean | null | undefined | Date | SoqlDate | Soql | readonly SoqlScalar[];
type SoqlScalar = string | number | boolean | null | Date | SoqlDate;

/** A value of an unsupported type, a non-finite number, an empty IN list, a malformed name or date. */
export class SoqlValueError extends TypeError {
  override readonly name = 'SoqlValueError';
}

const ESCAPES: Readonly<Record<string, string>> = {
  '\\': '\\\\',
  "'": "\\'",
  '"': '\\"',
  '\n': '\\n',
  '\r': '\\r',
  '\t': '\\t',
  '\b': '\\b',
  '\f': '\\f'
};

/** The characters of a string literal's content that need a backslash. */
function escapeString(value: string): string {
  return value.replace(/[\\'"\n\r\t\b\f]/g, (c) => ESCAPES[c] ?? c);
}

/** A number as SOQL reads it: no exponent, no NaN or Infinity. */
function numberLiteral(n: number): string {
  if (!Number.isFinite(n)) throw new SoqlValueError(`not a finite number for SOQL: ${n}`);
  const s = String(n);
  if (!s.includes('e')) return s;
  if (Number.isInteger(n)) return BigInt(n).toString(); // 1e21 → 1000000000000000000000
  let fixed = n.toFixed(20); // 1e-7 → 0.00000010000000000000
  while (fixed.endsWith('0')) fixed = fixed.slice(0, -1);
  return fixed.endsWith('.') ? fixed.slice(0, -1) : fixed;
}

/** The literal of one value, by its type. */
export function soqlLiteral(value: SoqlValue): string {
  if (value === null || value === undefined) return 'null';
  if (value instanceof Soql || value instanceof SoqlDate) return value.text;
  if (typeof value === 'string') return `'${escapeString(value)}'`;
  if (typeof value === 'number') return numberLiteral(value);
  if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE';
  if (value instanceof Date) return soqlDateTime(value.getTime()).text;
  if (Array.isArray(value)) {
    if (value.length === 0) throw new SoqlValueError('an empty IN list is not SOQL: skip the query or the condition');
    return `(${(value as readonly SoqlScalar[]).map((v) => soqlLiteral(v)).join(', ')})`;
  }
  throw new SoqlValueError(`cannot write a ${typeof value} as a SOQL literal`);
}

/** SOQL with every interpolated value written as a literal of its type (see the module comment). */
export function soql(strings: TemplateStringsArray, ...values: SoqlValue[]): Soql {
  let text = strings[0];
  for (let i = 0; i < values.length; i++) text += soqlLiteral(values[i]) + strings[i + 1];
  return new Soql(text);
}

/** Joins SOQL pieces (e.g. conditions) with a separator (`' AND '`, `', '`). */
export function soqlJoin(parts: readonly Soql[], separator: string): Soql {
  if (/'/.test(separator)) throw new SoqlValueError('a separator is SOQL keywords or punctuation, never a value');
  return new Soql(parts.map((p) => p.text).join(separator));
}

const NAME = /^[A-Za-z][A-Za-z0-9_]*(?:\.[A-Za-z][A-Za-z0-9_]*)*$/;

/** An object, field or relationship path name (`Lead`, `SLA_Timer__c`, `Lead__r.OwnerId`), checked. */
export function soqlName(name: string): Soql {
  if (!NAME.test(name)) throw new SoqlValueError(`not a SOQL name: ${JSON.stringify(name)}`);
  return new Soql(name);
}

/** A comma-separated field list, each name checked. */
export function soqlFields(names: readonly string[]): Soql {
  if (names.length === 0) throw new SoqlValueError('a SELECT needs at least one field');
  return new Soql([...new Set(names)].map((n) => soqlName(n).text).join(', '));
}

/**
 * SOQL the caller assembled from names and keywords of its own metadata only (a report's aggregate select
 * list, a relationship subquery): no value from input may be part of it — values go through `soql`.
 */
export function soqlTrusted(text: string): Soql {
  if (/'/.test(text)) throw new SoqlValueError('trusted SOQL has no string literals: write values with the soql tag');
  return new Soql(text);
}

/** A string literal for LIKE, `%` and `_` in the value matched literally: contains, starts with, ends with or equals it. */
export function soqlLike(value: string, match: 'contains' | 'startsWith' | 'endsWith' | 'exactly' = 'contains'): Soql {
  const escaped = escapeString(value).replace(/[%_]/g, (c) => `\\${c}`);
  const before = match === 'contains' || match === 'endsWith' ? '%' : '';
  const after = match === 'contains' || match === 'startsWith' ? '%' : '';
  return new Soql(`'${before}${escaped}${after}'`);
}

/** A date-time literal (UTC, whole seconds), rounded down (default) or up to the second. */
export function soqlDateTime(ms: number, round: 'down' | 'up' = 'down'): Soql {
  if (!Number.isFinite(ms)) throw new SoqlValueError(`not an instant: ${ms}`);
  const s = round === 'down' ? Math.floor(ms / 1000) : Math.ceil(ms / 1000);
  return new Soql(new Date(s * 1000).toISOString().replace('.000Z', 'Z'));
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** A date literal from `YYYY-MM-DD` (checked), for Date fields. */
export function soqlDate(value: string): SoqlDate {
  if (!DATE.test(value) || Number.isNaN(Date.parse(`${value}T00:00:00Z`))) throw new SoqlValueError(`not a date (YYYY-MM-DD): ${value}`);
  return new SoqlDate(value);
}

const RELATIVE = /^(?:[A-Z_]+|(?:LAST|NEXT)_N_[A-Z_]+:\d+|N_[A-Z_]+_AGO:\d+)$/;

/** Whether a text is a relative date literal (`THIS_MONTH`, `LAST_N_DAYS:30`, `N_WEEKS_AGO:2`). */
export function isRelativeDateLiteral(value: string): boolean {
  return RELATIVE.test(value.toUpperCase());
}

/** A relative date literal (`THIS_MONTH`, `LAST_N_DAYS:30`), checked. */
export function soqlDateLiteral(value: string): Soql {
  if (!isRelativeDateLiteral(value)) throw new SoqlValueError(`not a relative date literal: ${value}`);
  return new Soql(value.toUpperCase());
}
