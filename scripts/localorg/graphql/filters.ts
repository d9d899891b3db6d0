import type { FieldNode } from 'graphql';
import { MAX_SOQL_LENGTH } from '../bounds';
import { toStoredDate, toStoredDateTime } from '../dates';
import type { FieldSchema, ObjectSchema, Schema } from '../schema';
import { Invalid } from './errors';
import { ownValue } from '../ownValue';

/**
 * The `where` and `orderBy` arguments of an object query → SOQL text (a condition, ORDER BY terms).
 * Every value becomes a typed SOQL literal (strings escaped), checked against the field's type.
 */

const DATE_LITERALS = new Set([
  'YESTERDAY',
  'TODAY',
  'TOMORROW',
  'LAST_WEEK',
  'THIS_WEEK',
  'NEXT_WEEK',
  'LAST_MONTH',
  'THIS_MONTH',
  'NEXT_MONTH',
  'LAST_90_DAYS',
  'NEXT_90_DAYS',
  'LAST_QUARTER',
  'THIS_QUARTER',
  'NEXT_QUARTER',
  'LAST_YEAR',
  'THIS_YEAR',
  'NEXT_YEAR'
]);

const STRING_TYPES = new Set(['string', 'textarea', 'email', 'phone', 'url', 'picklist', 'multipicklist', 'combobox', 'id', 'reference']);
const NUMBER_TYPES = new Set(['int', 'double', 'currency', 'percent']);
const OPERATORS: Record<string, string> = { eq: '=', ne: '!=', lt: '<', gt: '>', lte: '<=', gte: '>=', like: 'LIKE' };

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** A SOQL string literal (quotes, backslashes and control characters escaped). */
function soqlString(s: string): string {
  return `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'").replace(/\n/g, '\\n').replace(/\r/g, '\\r').replace(/\t/g, '\\t')}'`;
}

/**
 * A condition being built: a SOQL condition, or conditions joined by one operator. Nested `and`s
 * (and nested `or`s) flatten into one list, so a deeply nested filter becomes a flat SOQL condition
 * instead of parentheses as deep as the filter.
 */
type Cond = string | { op: 'AND' | 'OR'; parts: Cond[] };

function combine(op: 'AND' | 'OR', items: Cond[]): Cond | undefined {
  const parts: Cond[] = [];
  for (const c of items) {
    if (typeof c !== 'string' && c.op === op) parts.push(...c.parts);
    else parts.push(c);
  }
  if (parts.length === 0) return undefined;
  return parts.length === 1 ? parts[0] : { op, parts };
}

function render(c: Cond): string {
  return typeof c === 'string' ? c : `(${c.parts.map(render).join(` ${c.op} `)})`;
}

/** A filter (`Lead_Filter`) → a SOQL condition; `prefix` is the relationship path from the queried object. */
export function filterSoql(
  obj: ObjectSchema,
  filter: unknown,
  prefix: string,
  schema: Schema,
  typeName: string,
  node: FieldNode
): string | undefined {
  const c = filterCond(obj, filter, prefix, schema, typeName, node);
  return c === undefined ? undefined : render(c);
}

function filterCond(
  obj: ObjectSchema,
  filter: unknown,
  prefix: string,
  schema: Schema,
  typeName: string,
  node: FieldNode
): Cond | undefined {
  if (!isObject(filter))
    throw new Invalid(`Validation error (WrongType) : argument 'where' must be an input object of type '${typeName}'`, node);
  const parts: Cond[] = [];
  for (const [key, value] of Object.entries(filter)) {
    if (key === 'and' || key === 'or') {
      const list = (Array.isArray(value) ? value : [value])
        .map((v) => filterCond(obj, v, prefix, schema, typeName, node))
        .filter((s): s is Cond => s !== undefined);
      const joined = combine(key === 'and' ? 'AND' : 'OR', list);
      if (joined !== undefined) parts.push(joined);
      continue;
    }
    if (key === 'not') {
      const inner = filterCond(obj, value, prefix, schema, typeName, node);
      if (inner !== undefined) parts.push(`(NOT ${typeof inner === 'string' ? `(${inner})` : render(inner)})`);
      continue;
    }
    const field = obj.fields.find((f) => f.name === key);
    if (field) {
      parts.push(...fieldConditions(field, `${prefix}${field.name}`, value, node));
      continue;
    }
    const ref = obj.fields.find((f) => f.relationshipName === key);
    if (ref) {
      if (ref.referenceTo.length !== 1) {
        throw new Invalid(
          `Filtering on the polymorphic relationship ${obj.name}.${key} is not supported by the local org's GraphQL endpoint`,
          node
        );
      }
      const target = schema.get(ref.referenceTo[0])!;
      const inner = filterCond(target, value, `${prefix}${key}.`, schema, `${target.name}_Filter`, node);
      if (inner !== undefined) parts.push(inner);
      continue;
    }
    throw new Invalid(`Validation error (WrongType) : argument 'where' contains a field not in '${typeName}': '${key}'`, node);
  }
  return combine('AND', parts);
}

function fieldConditions(field: FieldSchema, path: string, ops: unknown, node: FieldNode): string[] {
  if (!isObject(ops))
    throw new Invalid(`Validation error (WrongType) : filter on ${field.name} must be an object of operators (eq, ne, lt, …)`, node);
  if (field.filterable === false) throw new Invalid(`Validation error (WrongType) : field ${field.name} can not be filtered`, node);
  const out: string[] = [];
  for (const [op, value] of Object.entries(ops)) {
    if (op === 'in' || op === 'nin') {
      if (!Array.isArray(value)) throw new Invalid(`Validation error (WrongType) : ${field.name}.${op} needs a list`, node);
      // each value takes at least two characters of the SOQL the filter becomes, which is bounded
      if (value.length > MAX_SOQL_LENGTH / 2) {
        throw new Invalid(
          `Validation error (MALFORMED_QUERY) : ${field.name}.${op} has ${value.length} values; the SOQL query it becomes cannot be longer than ${MAX_SOQL_LENGTH} characters`,
          node
        );
      }
      out.push(
        value.length === 0
          ? op === 'in'
            ? `Id = null`
            : `Id != null`
          : `${path} ${op === 'in' ? 'IN' : 'NOT IN'} (${value.map((v) => literal(field, v, node)).join(', ')})`
      );
    } else if (op === 'includes' || op === 'excludes') {
      if (field.type !== 'multipicklist')
        throw new Invalid(`Validation error (WrongType) : ${op} applies to multi-select picklists only, not ${field.name}`, node);
      if (!Array.isArray(value) || value.some((v) => typeof v !== 'string'))
        throw new Invalid(`Validation error (WrongType) : ${field.name}.${op} needs a list of strings`, node);
      out.push(`${path} ${op.toUpperCase()} (${value.map((v) => soqlString(v as string)).join(', ')})`);
    } else if (ownValue(OPERATORS, op)) {
      if (value === null && op !== 'eq' && op !== 'ne')
        throw new Invalid(`Validation error (WrongType) : ${field.name}.${op} cannot be null`, node);
      if (op === 'like' && (!STRING_TYPES.has(field.type) || typeof value !== 'string')) {
        throw new Invalid(`Validation error (WrongType) : ${field.name}.like needs a string on a text field`, node);
      }
      out.push(`${path} ${ownValue(OPERATORS, op)} ${literal(field, value, node)}`);
    } else {
      throw new Invalid(
        `Operator '${op}' on ${field.name} is not supported by the local org's GraphQL endpoint (eq, ne, lt, gt, lte, gte, in, nin, like, includes, excludes)`,
        node
      );
    }
  }
  return out;
}

function literal(field: FieldSchema, value: unknown, node: FieldNode): string {
  if (value === null) return 'null';
  const wrong = (expected: string) =>
    new Invalid(`Validation error (WrongType) : value ${JSON.stringify(value)} for ${field.name} must be ${expected}`, node);
  if (STRING_TYPES.has(field.type)) {
    if (typeof value !== 'string') throw wrong('a string');
    return soqlString(value);
  }
  if (NUMBER_TYPES.has(field.type)) {
    if (typeof value !== 'number' || !Number.isFinite(value)) throw wrong('a number');
    return String(value);
  }
  if (field.type === 'boolean') {
    if (typeof value !== 'boolean') throw wrong('true or false');
    return value ? 'TRUE' : 'FALSE';
  }
  if (field.type === 'date' || field.type === 'datetime') {
    // Date and DateTime operators take {value: "…"} or {literal: TODAY | LAST_WEEK | …}
    if (!isObject(value)) throw wrong('an object {value} or {literal}');
    if (typeof value.literal === 'string') {
      if (!DATE_LITERALS.has(value.literal)) throw wrong(`a date literal (${[...DATE_LITERALS].join(', ')})`);
      return value.literal;
    }
    if (value.range !== undefined)
      throw new Invalid(`Date ranges (range: {…}) are not supported by the local org's GraphQL endpoint`, node);
    if (typeof value.value !== 'string') throw wrong('an object {value} or {literal}');
    if (field.type === 'date') {
      const d = toStoredDate(value.value);
      if (!d) throw wrong('a date YYYY-MM-DD');
      return d;
    }
    const dt = toStoredDateTime(value.value);
    if (!dt) throw wrong('an ISO 8601 date-time');
    return dt.replace(/\.000Z$/, 'Z');
  }
  throw new Invalid(`Filtering on ${field.type} field ${field.name} is not supported by the local org's GraphQL endpoint`, node);
}

/** An orderBy (`{Field: {order: ASC|DESC, nulls: FIRST|LAST}, Parent: {Field: {...}}}`) → SOQL ORDER BY terms. */
export function orderTerms(
  obj: ObjectSchema,
  orderBy: unknown,
  prefix: string,
  schema: Schema,
  typeName: string,
  node: FieldNode
): string[] {
  if (!isObject(orderBy))
    throw new Invalid(`Validation error (WrongType) : argument 'orderBy' must be an input object of type '${typeName}'`, node);
  const out: string[] = [];
  for (const [key, value] of Object.entries(orderBy)) {
    const field = obj.fields.find((f) => f.name === key);
    if (field) {
      if (!isObject(value)) throw new Invalid(`Validation error (WrongType) : orderBy.${key} must be {order, nulls}`, node);
      for (const k of Object.keys(value)) {
        if (k !== 'order' && k !== 'nulls')
          throw new Invalid(`Validation error (WrongType) : orderBy.${key} has an unknown field '${k}' (order, nulls)`, node);
      }
      const order = value.order ?? 'ASC';
      const nulls = value.nulls;
      if (order !== 'ASC' && order !== 'DESC')
        throw new Invalid(`Validation error (WrongType) : orderBy.${key}.order must be ASC or DESC`, node);
      if (nulls !== undefined && nulls !== 'FIRST' && nulls !== 'LAST')
        throw new Invalid(`Validation error (WrongType) : orderBy.${key}.nulls must be FIRST or LAST`, node);
      if (field.filterable === false) throw new Invalid(`Validation error (WrongType) : field ${field.name} can not be sorted`, node);
      out.push(`${prefix}${field.name} ${order}${nulls ? ` NULLS ${nulls}` : ''}`);
      continue;
    }
    const ref = obj.fields.find((f) => f.relationshipName === key);
    if (ref && ref.referenceTo.length === 1) {
      const target = schema.get(ref.referenceTo[0])!;
      out.push(...orderTerms(target, value, `${prefix}${key}.`, schema, `${target.name}_OrderBy`, node));
      continue;
    }
    throw new Invalid(`Validation error (WrongType) : argument 'orderBy' contains a field not in '${typeName}': '${key}'`, node);
  }
  return out;
}
