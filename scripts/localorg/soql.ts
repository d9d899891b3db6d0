import { parseQuery } from '@jetstreamapp/soql-parser-js';
import type {
  Query,
  WhereClause,
  Condition,
  FieldType as SoqlField,
  OrderByClause,
  GroupByClause,
  HavingClause
} from '@jetstreamapp/soql-parser-js';
import { ApiError, invalidType, malformedQuery } from './errors';
// the calendar is pure code, the one exception to "the local org imports nothing of ours but metadata reading"
import { dateLiteralRange, DateLiteralError } from '../calendar';
import { rangeBounds, toStoredDate, toStoredDateTime } from './dates';
import { normalizeId } from './ids';
import { fromStored, recordUrl } from './records/fieldValues';
import type { FieldSchema, ObjectSchema, Schema } from './schema';
import { quote, SqlValue, Store } from './store';

/**
 * SOQL → parameterised SQLite. Supported: field lists, parent relationship paths (incl.
 * polymorphic Owner/Who/What on the last hop), child subqueries, WHERE with = != <> < <= > >=
 * LIKE IN NOT IN INCLUDES EXCLUDES, semi/anti-joins on Id fields, AND/OR/NOT, null, date/datetime
 * literals and relative date literals, date functions, ORDER BY (NULLS FIRST/LAST), LIMIT,
 * OFFSET, COUNT(), GROUP BY with COUNT/COUNT_DISTINCT/SUM/AVG/MIN/MAX and aliases, HAVING.
 * Everything else is a MALFORMED_QUERY naming the unsupported part.
 */
export interface QueryEnv {
  schema: Schema;
  store: Store;
  version: string;
  now: Date;
  tz: string;
  includeDeleted: boolean;
}

const DATE_FUNCTIONS: Record<string, (e: string) => string> = {
  CALENDAR_YEAR: (e) => `CAST(strftime('%Y', ${e}) AS INTEGER)`,
  CALENDAR_MONTH: (e) => `CAST(strftime('%m', ${e}) AS INTEGER)`,
  CALENDAR_QUARTER: (e) => `((CAST(strftime('%m', ${e}) AS INTEGER) + 2) / 3)`,
  FISCAL_YEAR: (e) => `CAST(strftime('%Y', ${e}) AS INTEGER)`,
  FISCAL_QUARTER: (e) => `((CAST(strftime('%m', ${e}) AS INTEGER) + 2) / 3)`,
  FISCAL_MONTH: (e) => `CAST(strftime('%m', ${e}) AS INTEGER)`,
  DAY_IN_MONTH: (e) => `CAST(strftime('%d', ${e}) AS INTEGER)`,
  DAY_IN_WEEK: (e) => `(CAST(strftime('%w', ${e}) AS INTEGER) + 1)`,
  DAY_IN_YEAR: (e) => `CAST(strftime('%j', ${e}) AS INTEGER)`,
  DAY_ONLY: (e) => `substr(${e}, 1, 10)`,
  HOUR_IN_DAY: (e) => `CAST(strftime('%H', ${e}) AS INTEGER)`,
  WEEK_IN_YEAR: (e) => `((CAST(strftime('%j', ${e}) AS INTEGER) + 6) / 7)`,
  WEEK_IN_MONTH: (e) => `((CAST(strftime('%d', ${e}) AS INTEGER) + 6) / 7)`
};
const AGGREGATES = new Set(['COUNT', 'COUNT_DISTINCT', 'SUM', 'AVG', 'MIN', 'MAX']);

interface RelNode {
  /** Path key, lower-case `owner` / `lead__r.owner`. */
  key: string;
  /** Canonical relationship name. */
  name: string;
  targets: Array<{ obj: ObjectSchema; alias: string }>;
  /** SQL expression of the related record's Id (null when no parent). */
  idExpr: string;
  typeExpr: string;
  polymorphic: boolean;
  parent?: RelNode;
}

interface Resolved {
  expr: string;
  field: FieldSchema;
  /** Relationship hops (canonical names) and their nodes. */
  rels: RelNode[];
  fieldName: string;
}

type Token = '(' | ')' | 'AND' | 'OR' | 'NOT' | Condition;

let aliasCounter = 0;

class Scope {
  readonly joins: string[] = [];
  readonly relNodes = new Map<string, RelNode>();
  readonly alias: string;

  constructor(
    readonly obj: ObjectSchema,
    readonly env: QueryEnv,
    readonly objectAlias?: string
  ) {
    this.alias = `t${aliasCounter++ % 100000}`;
  }

  resolve(path: string): Resolved {
    let parts = path.split('.');
    if (parts.length > 1 && (parts[0].toLowerCase() === this.obj.name.toLowerCase() || parts[0] === this.objectAlias)) {
      parts = parts.slice(1);
    }
    const rels: RelNode[] = [];
    let current: { obj: ObjectSchema; alias: string }[] = [{ obj: this.obj, alias: this.alias }];
    let parent: RelNode | undefined;
    for (let i = 0; i < parts.length - 1; i++) {
      if (current.length > 1) {
        throw new ApiError(
          400,
          'INVALID_FIELD',
          `Didn't understand relationship '${parts[i]}' in field path: polymorphic relationships can only be followed one level (the local org does not support TYPEOF).`
        );
      }
      const from = current[0];
      const ref = from.obj.byRelationship.get(parts[i].toLowerCase());
      if (!ref) {
        throw new ApiError(
          400,
          'INVALID_FIELD',
          `Didn't understand relationship '${parts[i]}' in field path. If you are attempting to use a custom relationship, be sure to append the '__r' after the custom relationship name. Please reference your WSDL or the describe call for the appropriate names.`
        );
      }
      const key = (parent ? `${parent.key}.` : '') + ref.relationshipName!.toLowerCase();
      let node = this.relNodes.get(key);
      if (!node) {
        const targets = ref.referenceTo
          .map((t) => this.env.schema.get(t))
          .filter((o): o is ObjectSchema => o !== undefined)
          .map((obj) => {
            const alias = `t${aliasCounter++ % 100000}`;
            this.joins.push(`LEFT JOIN ${quote(obj.name)} ${alias} ON ${alias}."Id" = ${from.alias}.${quote(ref.name)}`);
            return { obj, alias };
          });
        const idExpr = targets.length === 1 ? `${targets[0].alias}."Id"` : `COALESCE(${targets.map((t) => `${t.alias}."Id"`).join(', ')})`;
        const typeExpr =
          targets.length === 1
            ? `'${targets[0].obj.name}'`
            : `CASE ${targets.map((t) => `WHEN ${t.alias}."Id" IS NOT NULL THEN '${t.obj.name}'`).join(' ')} END`;
        node = { key, name: ref.relationshipName!, targets, idExpr, typeExpr, polymorphic: ref.referenceTo.length > 1, parent };
        this.relNodes.set(key, node);
      }
      rels.push(node);
      parent = node;
      current = node.targets;
    }
    const fieldName = parts[parts.length - 1];
    const lower = fieldName.toLowerCase();
    const withField = current.filter((t) => t.obj.byName.has(lower));
    if (parent?.polymorphic && lower === 'type') {
      const f: FieldSchema = { ...current[0].obj.byName.get('id')!, name: 'Type', type: 'string' };
      return { expr: parent.typeExpr, field: f, rels, fieldName: 'Type' };
    }
    if (withField.length === 0) {
      const entity = current.length === 1 ? current[0].obj.name : 'Name';
      throw new ApiError(
        400,
        'INVALID_FIELD',
        `No such column '${fieldName}' on entity '${entity}'. If you are attempting to use a custom field, be sure to append the '__c' after the custom field name. Please reference your WSDL or the describe call for the appropriate names.`
      );
    }
    const field = withField[0].obj.byName.get(lower)!;
    const expr =
      withField.length === 1
        ? `${withField[0].alias}.${quote(field.name)}`
        : `COALESCE(${withField.map((t) => `${t.alias}.${quote(field.name)}`).join(', ')})`;
    return { expr, field, rels, fieldName: field.name };
  }

  fromClause(): string {
    return `FROM ${quote(this.obj.name)} ${this.alias}${this.joins.length ? ' ' + this.joins.join(' ') : ''}`;
  }

  liveFilter(): string | undefined {
    if (this.env.includeDeleted || !this.obj.byName.has('isdeleted')) return undefined;
    return `${this.alias}."IsDeleted" = 0`;
  }
}

/** A selected column and how it lands in the output record. */
interface OutColumn {
  sqlAlias: string;
  /** Where the value goes: relationship names then the field name; aggregate: one key. */
  path: string[];
  rels: RelNode[];
  field?: FieldSchema;
  kind: 'field' | 'agg' | 'relId' | 'relType';
  aggFn?: string;
  polymorphic?: boolean;
}

interface SubqueryPlan {
  relationshipName: string;
  compiled: Compiled;
  parentField: string;
  limit?: number;
}

export interface Compiled {
  obj: ObjectSchema;
  sql: string;
  params: SqlValue[];
  countSql: string;
  countParams: SqlValue[];
  columns: OutColumn[];
  aggregate: boolean;
  countOnly: boolean;
  limit?: number;
  offset: number;
  subqueries: SubqueryPlan[];
  version: string;
  /**
   * Keyset paging (non-aggregate queries): the SQL of the rows after a given row in the query's order,
   * from that row's sort keys (`_k0`, `_k1`, … columns) and rowid; its params follow `params`.
   */
  after?: (last: SqlValue[]) => { sql: string; params: SqlValue[] };
  /** How many `_kN` sort-key columns each row carries (the ORDER BY terms). */
  sortKeys: number;
  /** For child subqueries: the SQL with `parent IN (?,...)` first in WHERE (its params go first). */
  childSql?: (n: number) => string;
}

function unquote(raw: string): string {
  const s = raw.startsWith("'") && raw.endsWith("'") ? raw.slice(1, -1) : raw;
  return s.replace(/\\(.)/g, (_m, c: string) => ({ n: '\n', t: '\t', r: '\r', b: '\b', f: '\f' })[c] ?? c);
}

function describeUnsupported(q: Query, nested = false): void {
  const any = q as Query & Record<string, unknown>;
  if (any.for) throw malformedQuery(`FOR ${String(any.for)} is not supported by the local org`);
  if (any.withSecurityEnforced) throw malformedQuery('WITH SECURITY_ENFORCED is not supported by the local org');
  if (any.withAccessLevel) throw malformedQuery('WITH USER_MODE/SYSTEM_MODE is not supported by the local org');
  if (any.withDataCategory) throw malformedQuery('WITH DATA CATEGORY is not supported by the local org');
  if (any.usingScope) throw malformedQuery('USING SCOPE is not supported by the local org');
  if (any.update) throw malformedQuery('UPDATE TRACKING/VIEWSTAT is not supported by the local org');
  if (nested && any.offset !== undefined) throw malformedQuery('OFFSET in a subquery is not supported by the local org');
}

export function parseSoql(soql: string): Query {
  try {
    return parseQuery(soql);
  } catch (e) {
    const msg = e instanceof Error ? e.message.split('\n')[0] : String(e);
    throw malformedQuery(`${soql.length > 200 ? soql.slice(0, 200) + '...' : soql}\nunexpected token: ${msg}`);
  }
}

/** Compiles a SOQL string for the given environment. */
export function compileSoql(soql: string, env: QueryEnv): Compiled {
  const q = parseSoql(soql);
  return compileQuery(q, env, false);
}

function objectOf(env: QueryEnv, name: string | undefined): ObjectSchema {
  if (!name) throw malformedQuery('missing FROM object');
  const obj = env.schema.get(name);
  if (!obj) throw invalidType(name);
  return obj;
}

function compileQuery(q: Query, env: QueryEnv, nested: boolean, childOf?: { obj: ObjectSchema; relName: string }): Compiled {
  describeUnsupported(q, nested);
  let obj: ObjectSchema;
  let parentField: string | undefined;
  if (childOf) {
    const relName = (q as Query & { relationshipName?: string }).relationshipName ?? '';
    const rel = childOf.obj.childByName.get(relName.toLowerCase());
    if (!rel) {
      throw new ApiError(
        400,
        'INVALID_TYPE',
        `Didn't understand relationship '${relName}' in FROM part of query call. If you are attempting to use a custom relationship, be sure to append the '__r' after the custom relationship name. Please reference your WSDL or the describe call for the appropriate names.`
      );
    }
    obj = env.schema.get(rel.childSObject)!;
    parentField = rel.field;
  } else {
    obj = objectOf(env, q.sObject);
  }
  const scope = new Scope(obj, env, q.sObjectAlias);
  const columns: OutColumn[] = [];
  const selects: string[] = [];
  const subqueries: SubqueryPlan[] = [];
  let colN = 0;
  const addCol = (expr: string, col: Omit<OutColumn, 'sqlAlias'>) => {
    const sqlAlias = `c${colN++}`;
    selects.push(`${expr} AS ${sqlAlias}`);
    columns.push({ ...col, sqlAlias });
  };
  const seenRel = new Set<string>();
  const addRelCols = (rels: RelNode[]) => {
    for (const r of rels) {
      if (seenRel.has(r.key)) continue;
      seenRel.add(r.key);
      const relPath = pathOf(r);
      addCol(r.idExpr, { path: relPath, rels: [], kind: 'relId', polymorphic: r.polymorphic });
      addCol(r.typeExpr, { path: relPath, rels: [], kind: 'relType', polymorphic: r.polymorphic });
    }
  };

  const fields = q.fields ?? [];
  const isAggFn = (fld: SoqlField) => fld.type === 'FieldFunctionExpression' && AGGREGATES.has(fld.functionName.toUpperCase());
  const aggregate = fields.some(isAggFn) || (q.groupBy !== undefined && (!Array.isArray(q.groupBy) || q.groupBy.length > 0));
  const countOnly =
    fields.length === 1 &&
    fields[0].type === 'FieldFunctionExpression' &&
    fields[0].functionName.toUpperCase() === 'COUNT' &&
    (fields[0].parameters ?? []).length === 0;
  if (countOnly && q.groupBy) throw malformedQuery('COUNT() cannot be used with GROUP BY');
  let exprN = 0;
  for (const fld of fields) {
    switch (fld.type) {
      case 'Field': {
        const r = scope.resolve(fld.field);
        if (aggregate) {
          addCol(r.expr, { path: [fld.alias ?? r.fieldName], rels: [], field: r.field, kind: 'field' });
        } else {
          addRelCols(r.rels);
          addCol(r.expr, { path: [r.fieldName], rels: [], field: r.field, kind: 'field' });
        }
        break;
      }
      case 'FieldRelationship': {
        const r = scope.resolve(fld.rawValue ?? [...fld.relationships, fld.field].join('.'));
        if (aggregate) {
          addCol(r.expr, { path: [(fld as { alias?: string }).alias ?? r.fieldName], rels: [], field: r.field, kind: 'field' });
        } else {
          addRelCols(r.rels);
          addCol(r.expr, { path: [...r.rels.map((n) => n.name), r.fieldName], rels: r.rels, field: r.field, kind: 'field' });
        }
        break;
      }
      case 'FieldFunctionExpression': {
        if (countOnly) break;
        const name = fld.functionName.toUpperCase();
        const { expr, field } = functionExpr(scope, fld.functionName, fld.parameters ?? [], fld.rawValue);
        if (!aggregate && !DATE_FUNCTIONS[name]) throw malformedQuery(`${fld.rawValue ?? name}: function not supported by the local org`);
        if (!aggregate) throw malformedQuery(`${fld.rawValue}: date functions in a non-aggregate SELECT are not supported`);
        const key = fld.alias ?? `expr${exprN++}`;
        addCol(expr, { path: [key], rels: [], field, kind: 'agg', aggFn: name });
        break;
      }
      case 'FieldSubquery': {
        if (nested) throw malformedQuery('nested subqueries are not supported');
        if (aggregate) throw malformedQuery('subqueries cannot be used in an aggregate query');
        const sub = fld.subquery;
        const compiled = compileQuery(sub as Query, env, true, { obj, relName: sub.relationshipName });
        const rel = obj.childByName.get(sub.relationshipName.toLowerCase())!;
        subqueries.push({
          relationshipName: rel.relationshipName,
          compiled,
          parentField: compiled.obj.byName.get(rel.field.toLowerCase())!.name,
          limit: sub.limit
        });
        break;
      }
      case 'FieldTypeof':
        throw malformedQuery('TYPEOF is not supported by the local org');
      default:
        throw malformedQuery(`unsupported field expression in SELECT`);
    }
  }
  if (selects.length === 0 && !countOnly && subqueries.length === 0) throw malformedQuery('SELECT list is empty');
  // Id is always selected for records (attributes.url) and subquery parents
  if (!aggregate && !countOnly) {
    selects.push(`${scope.alias}."Id" AS _id`, `${scope.alias}.rowid AS _rowid`);
    if (parentField) selects.push(`${scope.alias}.${quote(parentField)} AS _parent`);
  }

  const params: SqlValue[] = [];
  const wheres: string[] = [];
  const live = scope.liveFilter();
  if (live) wheres.push(live);
  if (q.where) wheres.push(compileWhere(scope, q.where, params, false));

  let groupBy = '';
  const groupExprs: string[] = [];
  if (q.groupBy) {
    const gbs = (Array.isArray(q.groupBy) ? q.groupBy : [q.groupBy]) as GroupByClause[];
    for (const gb of gbs) {
      if ('fn' in gb && gb.fn) {
        const fnName = (gb.fn.functionName ?? '').toUpperCase();
        if (fnName === 'ROLLUP' || fnName === 'CUBE') throw malformedQuery(`GROUP BY ${fnName} is not supported by the local org`);
        groupExprs.push(functionExpr(scope, fnName, gb.fn.parameters ?? [], gb.fn.rawValue).expr);
      } else if ('field' in gb && gb.field) {
        const r = scope.resolve(gb.field);
        if (r.field.filterable === false) throw malformedQuery(`field '${r.field.name}' can not be grouped in a query call`);
        groupExprs.push(r.expr);
      }
    }
    groupBy = ` GROUP BY ${groupExprs.join(', ')}`;
  }
  let having = '';
  if (q.having) {
    if (!q.groupBy) throw malformedQuery('HAVING requires GROUP BY');
    having = ` HAVING ${compileWhere(scope, q.having as HavingClause as WhereClause, params, true)}`;
  }
  const orders: string[] = [];
  const terms: SortTerm[] = [];
  for (const ob of (q.orderBy ? (Array.isArray(q.orderBy) ? q.orderBy : [q.orderBy]) : []) as OrderByClause[]) {
    let expr: string;
    let notNull = false;
    if ('fn' in ob && ob.fn) expr = functionExpr(scope, ob.fn.functionName ?? '', ob.fn.parameters ?? [], ob.fn.rawValue).expr;
    else if ('field' in ob && ob.field) {
      const r = scope.resolve(ob.field);
      if (r.field.filterable === false) throw malformedQuery(`field '${r.field.name}' can not be sorted in a query call`);
      expr = r.expr;
      // a required field of the queried object itself is never null (a missing parent makes a path null)
      notNull = r.rels.length === 0 && r.field.nillable === false && r.field.type !== 'boolean';
    } else throw malformedQuery('unsupported ORDER BY');
    const dir = (ob.order ?? 'ASC').toUpperCase() === 'DESC' ? 'DESC' : 'ASC';
    const nulls = ob.nulls ? ob.nulls.toUpperCase() : dir === 'ASC' ? 'FIRST' : 'LAST';
    orders.push(`${expr} ${dir} NULLS ${nulls}`);
    terms.push({ expr, desc: dir === 'DESC', nullsFirst: nulls === 'FIRST', notNull });
  }
  const keyset = !aggregate && !countOnly;
  if (keyset) {
    terms.forEach((t, i) => selects.push(`${t.expr} AS _k${i}`));
    orders.push(`${scope.alias}.rowid ASC`);
  }

  const whereSql = wheres.length ? ` WHERE ${wheres.join(' AND ')}` : '';
  const base = `${scope.fromClause()}${whereSql}${groupBy}${having}`;
  const sql = `SELECT ${selects.join(', ') || '1'} ${base}${orders.length ? ` ORDER BY ${orders.join(', ')}` : ''}`;
  const countSql = aggregate ? `SELECT COUNT(*) AS n FROM (SELECT 1 ${base})` : `SELECT COUNT(*) AS n ${base}`;
  return {
    obj,
    sql,
    params,
    countSql,
    countParams: [...params],
    columns,
    aggregate: aggregate && !countOnly,
    countOnly,
    limit: q.limit,
    offset: q.offset ?? 0,
    subqueries,
    version: env.version,
    after: keyset
      ? (last: SqlValue[]) => {
          const k = keysetPredicate(terms, `${scope.alias}.rowid`, last);
          return {
            sql: `SELECT ${selects.join(', ')} ${scope.fromClause()} WHERE ${[...wheres, k.sql].join(' AND ')} ORDER BY ${orders.join(', ')}`,
            params: k.params
          };
        }
      : undefined,
    sortKeys: keyset ? terms.length : 0,
    childSql: parentField
      ? (n: number) => {
          const inList = `${scope.alias}.${quote(parentField!)} IN (${new Array(n).fill('?').join(', ')})`;
          const w = ` WHERE ${[inList, ...wheres].join(' AND ')}`;
          return `SELECT ${selects.join(', ')} ${scope.fromClause()}${w} ORDER BY ${orders.join(', ')}`;
        }
      : undefined
  };
}

/** One ORDER BY term, for keyset paging. */
interface SortTerm {
  expr: string;
  desc: boolean;
  nullsFirst: boolean;
  /** The expression can never be null (a required field of the queried object). */
  notNull: boolean;
}

/**
 * The rows strictly after `last` (the sort keys of a row, then its rowid) in the order
 * `terms..., rowid ASC`: for some i, the keys before i equal the row's and key i comes after it
 * (nulls placed as NULLS FIRST/LAST say), or all keys equal and the rowid is greater. Comparisons
 * use the same expressions (so the same collations) as the ORDER BY. When the first key's value is
 * known, a range bound on it lets SQLite start an index scan at the cursor instead of at the top.
 */
function keysetPredicate(terms: SortTerm[], rowid: string, last: SqlValue[]): { sql: string; params: SqlValue[] } {
  const params: SqlValue[] = [];
  const alternatives: string[] = [];
  const equal: string[] = [];
  const equalParams: SqlValue[] = [];
  const and = (parts: string[]) => (parts.length === 1 ? parts[0] : `(${parts.join(' AND ')})`);
  terms.forEach((t, i) => {
    const v = last[i];
    const op = t.desc ? '<' : '>';
    let after: string | undefined;
    if (v === null) after = t.nullsFirst && !t.notNull ? `${t.expr} IS NOT NULL` : undefined;
    else after = t.nullsFirst || t.notNull ? `${t.expr} ${op} ?` : `(${t.expr} ${op} ? OR ${t.expr} IS NULL)`;
    if (after) {
      alternatives.push(and([...equal, after]));
      params.push(...equalParams);
      if (v !== null) params.push(v);
    }
    if (v === null) equal.push(`${t.expr} IS NULL`);
    else {
      equal.push(`${t.expr} = ?`);
      equalParams.push(v);
    }
  });
  alternatives.push(and([...equal, `${rowid} > ?`]));
  params.push(...equalParams, last[terms.length]);
  let sql = alternatives.length === 1 ? alternatives[0] : `(${alternatives.join(' OR ')})`;
  const first = terms[0];
  if (first && last[0] !== null && (first.nullsFirst || first.notNull)) {
    sql = `${first.expr} ${first.desc ? '<=' : '>='} ? AND ${sql}`;
    params.unshift(last[0]);
  }
  return { sql, params };
}

function pathOf(node: RelNode): string[] {
  const out: string[] = [];
  for (let n: RelNode | undefined = node; n; n = n.parent) out.unshift(n.name);
  return out;
}

function functionExpr(scope: Scope, fnName: string, parameters: unknown[], raw?: string): { expr: string; field?: FieldSchema } {
  const name = fnName.toUpperCase();
  const param = parameters[0];
  if (name === 'COUNT' && parameters.length === 0) return { expr: 'COUNT(*)' };
  if (typeof param !== 'string') {
    if (param && typeof param === 'object' && 'functionName' in param) {
      const inner = param as { functionName: string; parameters?: unknown[]; rawValue?: string };
      if (inner.functionName.toLowerCase() === 'converttimezone') {
        throw malformedQuery(`${raw ?? name}: convertTimezone() is not supported by the local org (date functions use UTC)`);
      }
      const innerExpr = functionExpr(scope, inner.functionName, inner.parameters ?? [], inner.rawValue);
      if (AGGREGATES.has(name)) return { expr: `${name === 'COUNT_DISTINCT' ? 'COUNT(DISTINCT' : name + '('} ${innerExpr.expr})` };
    }
    throw malformedQuery(`${raw ?? name}: unsupported function argument`);
  }
  const r = scope.resolve(param);
  if (DATE_FUNCTIONS[name]) {
    if (r.field.type !== 'date' && r.field.type !== 'datetime') {
      throw malformedQuery(`${raw ?? name}: date function requires a date or datetime field`);
    }
    const f: FieldSchema = { ...r.field, type: name === 'DAY_ONLY' ? 'date' : 'int' };
    return { expr: DATE_FUNCTIONS[name](r.expr), field: f };
  }
  switch (name) {
    case 'COUNT':
      return { expr: `COUNT(${r.expr})`, field: { ...r.field, type: 'int' } };
    case 'COUNT_DISTINCT':
      return { expr: `COUNT(DISTINCT ${r.expr})`, field: { ...r.field, type: 'int' } };
    case 'SUM':
    case 'AVG':
      if (!['double', 'currency', 'percent', 'int'].includes(r.field.type)) {
        throw malformedQuery(`${raw ?? name}: field ${r.field.name} does not support aggregate operator ${name}`);
      }
      return { expr: `${name}(${r.expr})`, field: { ...r.field, type: 'double' } };
    case 'MIN':
    case 'MAX':
      return { expr: `${name}(${r.expr})`, field: r.field };
    default:
      throw malformedQuery(`${raw ?? name}: function ${fnName} is not supported by the local org`);
  }
}

// ---- WHERE -----------------------------------------------------------------------------------

function tokenize(clause: WhereClause | undefined, out: Token[] = []): Token[] {
  if (!clause) return out;
  const w = clause as WhereClause & { operator?: string; right?: WhereClause };
  const left = w.left as (Condition & { openParen?: number; closeParen?: number }) | null;
  if (left) {
    for (let i = 0; i < (left.openParen ?? 0); i++) out.push('(');
    // `(NOT …)` parses as a left that only opens a parenthesis, with no condition of its own
    if ('field' in left || 'fn' in left) out.push(left);
    for (let i = 0; i < (left.closeParen ?? 0); i++) out.push(')');
  }
  if (w.operator) {
    const op = w.operator.toUpperCase();
    if (op !== 'AND' && op !== 'OR' && op !== 'NOT') throw malformedQuery(`unsupported operator ${op}`);
    out.push(op as Token);
  }
  if (w.right) tokenize(w.right as WhereClause, out);
  return out;
}

function compileWhere(scope: Scope, w: WhereClause, params: SqlValue[], having: boolean): string {
  const tokens = tokenize(w);
  let pos = 0;
  const peek = () => tokens[pos];
  const parseOr = (): string => {
    const parts = [parseAnd()];
    while (peek() === 'OR') {
      pos++;
      parts.push(parseAnd());
    }
    return parts.length === 1 ? parts[0] : `(${parts.join(' OR ')})`;
  };
  const parseAnd = (): string => {
    const parts = [parseUnary()];
    while (peek() === 'AND') {
      pos++;
      parts.push(parseUnary());
    }
    return parts.length === 1 ? parts[0] : `(${parts.join(' AND ')})`;
  };
  const parseUnary = (): string => {
    const t = peek();
    if (t === 'NOT') {
      pos++;
      return `(NOT COALESCE(${parseUnary()}, 0))`;
    }
    if (t === '(') {
      pos++;
      const inner = parseOr();
      if (peek() !== ')') throw malformedQuery('unbalanced parentheses in WHERE');
      pos++;
      return inner;
    }
    if (t === undefined || typeof t === 'string') throw malformedQuery(`unexpected ${String(t ?? 'end')} in WHERE`);
    pos++;
    return compileCondition(scope, t, params, having);
  };
  const out = parseOr();
  if (pos !== tokens.length) throw malformedQuery('unexpected tokens at the end of WHERE');
  return out;
}

function literalValues(c: Condition): { type: string; raw: string }[] {
  const any = c as Condition & { value?: string | string[]; literalType?: string | string[] };
  const values = Array.isArray(any.value) ? any.value : any.value === undefined ? [] : [any.value];
  const types = Array.isArray(any.literalType) ? any.literalType : values.map(() => any.literalType as string);
  return values.map((raw, i) => ({ raw, type: (types[i] ?? types[0] ?? 'STRING').toUpperCase() }));
}

function compileCondition(scope: Scope, c: Condition, params: SqlValue[], having: boolean): string {
  const any = c as Condition & {
    field?: string;
    fn?: { functionName: string; parameters?: unknown[]; rawValue?: string };
    operator: string;
    literalType?: string | string[];
    valueQuery?: Query;
  };
  let expr: string;
  let field: FieldSchema | undefined;
  if (any.fn) {
    const name = any.fn.functionName.toUpperCase();
    if (AGGREGATES.has(name) && !having) throw malformedQuery(`aggregate function ${name} cannot be used in WHERE (use HAVING)`);
    const fe = functionExpr(scope, any.fn.functionName, any.fn.parameters ?? [], any.fn.rawValue);
    expr = fe.expr;
    field = fe.field;
  } else if (any.field) {
    const r = scope.resolve(any.field);
    expr = r.expr;
    field = r.field;
    if (field.filterable === false) {
      throw new ApiError(400, 'INVALID_FIELD', `field '${field.name}' can not be filtered in a query call`);
    }
  } else {
    throw malformedQuery('unsupported condition');
  }
  const op = any.operator.toUpperCase();
  if (any.literalType === 'SUBQUERY' || any.valueQuery) {
    if (op !== 'IN' && op !== 'NOT IN') throw malformedQuery(`${op} with a subquery is not supported`);
    if (field?.type !== 'id' && field?.type !== 'reference')
      throw malformedQuery('semi-join subqueries are supported only on Id and reference fields');
    const sub = any.valueQuery!;
    describeUnsupported(sub, true);
    const subObj = objectOf(scope.env, sub.sObject);
    const subScope = new Scope(subObj, scope.env);
    const sf = sub.fields?.[0];
    if (!sf || sub.fields!.length !== 1 || (sf.type !== 'Field' && sf.type !== 'FieldRelationship')) {
      throw malformedQuery('a semi-join subquery must select exactly one Id or reference field');
    }
    const r = subScope.resolve(sf.type === 'Field' ? sf.field : (sf.rawValue ?? [...sf.relationships, sf.field].join('.')));
    const subParams: SqlValue[] = [];
    const subWheres: string[] = [`${r.expr} IS NOT NULL`];
    const live = subScope.liveFilter();
    if (live) subWheres.push(live);
    if (sub.where) subWheres.push(compileWhere(subScope, sub.where, subParams, false));
    params.push(...subParams);
    const inner = `SELECT ${r.expr} ${subScope.fromClause()} WHERE ${subWheres.join(' AND ')}`;
    return op === 'IN' ? `${expr} IN (${inner})` : `(${expr} IS NULL OR ${expr} NOT IN (${inner}))`;
  }
  const lits = literalValues(c);
  const kind = field?.type ?? 'string';
  const isDateKind = kind === 'date' || kind === 'datetime';
  // relative date literals
  if (lits.length === 1 && (lits[0].type === 'DATE_LITERAL' || lits[0].type === 'DATE_N_LITERAL')) {
    if (!isDateKind) throw malformedQuery(`date literal ${lits[0].raw} used with non-date field ${field?.name ?? ''}`);
    let bounds: { start: string; end: string };
    try {
      bounds = rangeBounds(dateLiteralRange(lits[0].raw, scope.env.now.getTime(), scope.env.tz), kind as 'date' | 'datetime', scope.env.tz);
    } catch (e) {
      if (e instanceof DateLiteralError) throw malformedQuery(e.message);
      throw e;
    }
    switch (op) {
      case '=':
        params.push(bounds.start, bounds.end);
        return `(${expr} >= ? AND ${expr} < ?)`;
      case '!=':
      case '<>':
        params.push(bounds.start, bounds.end);
        return `(${expr} IS NULL OR ${expr} < ? OR ${expr} >= ?)`;
      case '<':
        params.push(bounds.start);
        return `${expr} < ?`;
      case '<=':
        params.push(bounds.end);
        return `${expr} < ?`;
      case '>':
        params.push(bounds.end);
        return `${expr} >= ?`;
      case '>=':
        params.push(bounds.start);
        return `${expr} >= ?`;
      default:
        throw malformedQuery(`operator ${op} with a date literal is not supported`);
    }
  }
  if (lits.some((l) => l.type === 'DATE_LITERAL' || l.type === 'DATE_N_LITERAL')) {
    throw malformedQuery('relative date literals inside IN lists are not supported by the local org');
  }
  if (lits.some((l) => l.type === 'APEX_BIND_VARIABLE')) throw malformedQuery('bind variables are not supported');
  const values = lits.map((l) => literal(l, field, kind));
  switch (op) {
    case '=':
      if (values[0] === null) return `${expr} IS NULL`;
      params.push(values[0]);
      return `${expr} = ?`;
    case '!=':
    case '<>':
      if (values[0] === null) return `${expr} IS NOT NULL`;
      params.push(values[0]);
      return `${expr} IS NOT ?`;
    case '<':
    case '<=':
    case '>':
    case '>=':
      if (values[0] === null) return '0';
      params.push(values[0]);
      return `${expr} ${op} ?`;
    case 'LIKE':
      if (typeof values[0] !== 'string') throw malformedQuery('LIKE requires a string value');
      params.push(values[0]);
      return `${expr} LIKE ? ESCAPE '\\'`;
    case 'IN':
    case 'NOT IN': {
      const nonNull = values.filter((v) => v !== null);
      const hasNull = nonNull.length !== values.length;
      params.push(...nonNull);
      const list = nonNull.length ? `${expr} IN (${nonNull.map(() => '?').join(', ')})` : '0';
      if (op === 'IN') return hasNull ? `(${list} OR ${expr} IS NULL)` : list;
      return hasNull ? `(${expr} IS NOT NULL AND NOT ${list})` : `(${expr} IS NULL OR NOT ${list})`;
    }
    case 'INCLUDES':
    case 'EXCLUDES': {
      if (kind !== 'multipicklist') throw malformedQuery(`${op} can only be used with multi-select picklist fields`);
      const alts = values.map((v) => {
        const parts = String(v)
          .split(';')
          .map((p) => p.trim())
          .filter(Boolean);
        return `(${parts
          .map((p) => {
            params.push(`%;${p.replace(/[\\%_]/g, (m) => '\\' + m)};%`);
            return `(';' || ${expr} || ';') LIKE ? ESCAPE '\\'`;
          })
          .join(' AND ')})`;
      });
      const inc = `(${alts.join(' OR ')})`;
      return op === 'INCLUDES' ? `COALESCE(${inc}, 0)` : `(${expr} IS NULL OR NOT ${inc})`;
    }
    default:
      throw malformedQuery(`operator ${op} is not supported by the local org`);
  }
}

function literal(l: { type: string; raw: string }, field: FieldSchema | undefined, kind: string): SqlValue {
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

// ---- execution -------------------------------------------------------------------------------

type Row = Record<string, SqlValue>;

/** Output records of a page of rows (subqueries filled in separately). */
export function buildRecords(c: Compiled, rows: Row[]): Array<Record<string, unknown>> {
  if (c.aggregate) {
    return rows.map((row) => {
      const rec: Record<string, unknown> = { attributes: { type: 'AggregateResult' } };
      for (const col of c.columns) {
        const v = row[col.sqlAlias];
        if (col.aggFn === 'COUNT' || col.aggFn === 'COUNT_DISTINCT') rec[col.path[0]] = v === null ? 0 : Number(v);
        else if (col.aggFn === 'AVG' || col.aggFn === 'SUM') rec[col.path[0]] = v === null ? null : Number(v);
        else rec[col.path[0]] = col.field ? fromStored(col.field, v) : v;
      }
      return rec;
    });
  }
  return rows.map((row) => {
    const rec: Record<string, unknown> = {
      attributes: { type: c.obj.name, url: recordUrl(c.version, c.obj.name, String(row._id)) }
    };
    const relObjects = new Map<string, Record<string, unknown> | null>();
    for (const col of c.columns) {
      if (col.kind === 'relId') {
        const id = row[col.sqlAlias];
        const key = col.path.join('.');
        const parentKey = col.path.slice(0, -1).join('.');
        const container = parentKey ? relObjects.get(parentKey) : rec;
        if (container === null || container === undefined) {
          relObjects.set(key, null);
          continue;
        }
        if (id === null) {
          container[col.path[col.path.length - 1]] = null;
          relObjects.set(key, null);
        } else {
          const obj: Record<string, unknown> = { attributes: { type: '', url: '' } };
          container[col.path[col.path.length - 1]] = obj;
          relObjects.set(key, obj);
        }
      } else if (col.kind === 'relType') {
        const obj = relObjects.get(col.path.join('.'));
        if (obj) {
          const type = String(row[col.sqlAlias]);
          const idCol = c.columns.find((x) => x.kind === 'relId' && x.path.join('.') === col.path.join('.'))!;
          obj.attributes = {
            type: col.polymorphic ? 'Name' : type,
            url: recordUrl(c.version, type, String(row[idCol.sqlAlias]))
          };
        }
      } else {
        const container = col.path.length === 1 ? rec : relObjects.get(col.path.slice(0, -1).join('.'));
        if (container) container[col.path[col.path.length - 1]] = fromStored(col.field!, row[col.sqlAlias]);
      }
    }
    return rec;
  });
}

/** Runs child subqueries for a page of parent records and attaches `{totalSize, done, records}` or null. */
export function attachSubqueries(c: Compiled, store: Store, parents: Array<Record<string, unknown>>, parentIds: string[]): void {
  for (const sq of c.subqueries) {
    const byParent = new Map<string, Array<Record<string, unknown>>>();
    for (let i = 0; i < parentIds.length; i += 500) {
      const chunk = parentIds.slice(i, i + 500);
      const sql = sq.compiled.childSql!(chunk.length);
      const rows = store.all(sql, [...chunk, ...sq.compiled.params]);
      const records = buildRecords(sq.compiled, rows);
      rows.forEach((row, k) => {
        const p = String(row._parent);
        let list = byParent.get(p);
        if (!list) byParent.set(p, (list = []));
        list.push(records[k]);
      });
    }
    const off = sq.compiled.offset;
    parents.forEach((rec, k) => {
      let list = byParent.get(parentIds[k]) ?? [];
      if (off) list = list.slice(off);
      if (sq.limit !== undefined) list = list.slice(0, sq.limit);
      rec[sq.relationshipName] = list.length ? { totalSize: list.length, done: true, records: list } : null;
    });
  }
}
