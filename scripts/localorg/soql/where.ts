import type { Condition, Query, WhereClause } from '@jetstreamapp/soql-parser-js';
// the calendar is pure code, the one exception to "the local org imports nothing of ours but metadata reading"
import { dateLiteralRange, DateLiteralError } from '../../calendar';
import { rangeBounds } from '../dates';
import { MAX_WHERE_NESTING } from '../bounds';
import { ApiError, malformedQuery } from '../errors';
import type { FieldSchema } from '../schema';
import type { SqlValue } from '../store';
import { AGGREGATES, functionExpr } from './functions';
import { literal, literalValues } from './literals';
import { objectOf, rejectUnsupported } from './parse';
import { Scope } from './relationships';

/**
 * WHERE and HAVING → a SQL condition with `?` parameters (pushed onto `params` in order): the
 * parser's flat clause list is re-read with AND binding tighter than OR, then each condition
 * compiles by operator and field type (relative date literals become ranges in the running user's
 * zone; semi- and anti-joins become `IN (SELECT …)`).
 */

type Token = '(' | ')' | 'AND' | 'OR' | 'NOT' | Condition;

/** The parser's clause chain (`left`, `operator`, `right`) as a flat token list, walked in a loop (a chain can be thousands long). */
function tokenize(clause: WhereClause | undefined): Token[] {
  const out: Token[] = [];
  for (let w = clause as (WhereClause & { operator?: string; right?: WhereClause }) | undefined; w; w = w.right as typeof w) {
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
  }
  return out;
}

/**
 * `parts` joined by AND or OR as a balanced tree of parenthesised groups: SQLite parses `a OR b OR
 * c …` into a chain as deep as the list is long and refuses chains deeper than 1,000, while a
 * 5,000-way OR is a valid SOQL condition.
 */
export function joinBalanced(parts: string[], op: 'AND' | 'OR'): string {
  if (parts.length === 1) return parts[0];
  if (parts.length <= 16) return `(${parts.join(` ${op} `)})`;
  const half = Math.ceil(parts.length / 2);
  return `(${joinBalanced(parts.slice(0, half), op)} ${op} ${joinBalanced(parts.slice(half), op)})`;
}

/** QUERY_TOO_COMPLICATED, as a real org answers a statement its engine cannot run. */
export const queryTooComplicated = (why: string) =>
  new ApiError(
    400,
    'QUERY_TOO_COMPLICATED',
    `Query is either selecting too many fields or the filter conditions are too complicated. (${why})`
  );

export function compileWhere(scope: Scope, w: WhereClause, params: SqlValue[], having: boolean): string {
  const tokens = tokenize(w);
  let pos = 0;
  let depth = 0;
  const peek = () => tokens.at(pos);
  const deeper = () => {
    if (++depth > MAX_WHERE_NESTING) {
      throw queryTooComplicated(`conditions nested more than ${MAX_WHERE_NESTING} deep in parentheses or NOT`);
    }
  };
  const parseOr = (): string => {
    const parts = [parseAnd()];
    while (peek() === 'OR') {
      pos++;
      parts.push(parseAnd());
    }
    return joinBalanced(parts, 'OR');
  };
  const parseAnd = (): string => {
    const parts = [parseUnary()];
    while (peek() === 'AND') {
      pos++;
      parts.push(parseUnary());
    }
    return joinBalanced(parts, 'AND');
  };
  const parseUnary = (): string => {
    const t = peek();
    if (t === 'NOT') {
      pos++;
      deeper();
      const inner = parseUnary();
      depth--;
      return `(NOT COALESCE(${inner}, 0))`;
    }
    if (t === '(') {
      pos++;
      deeper();
      const inner = parseOr();
      depth--;
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
  /** A field of the query's object or of one parent object (not polymorphic): its ranges may be read through its index. */
  let own: { table: string; column: string } | undefined;
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
    const last = r.rels.at(-1);
    const table = last ? (last.targets.length === 1 ? last.targets[0].obj.name : undefined) : scope.obj.name;
    if (table && !having) own = { table, column: field.name };
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
    rejectUnsupported(sub, true);
    const subObj = objectOf(scope.env, sub.sObject);
    const subScope = new Scope(subObj, scope.env);
    const sf = sub.fields?.[0];
    if (!sf || sub.fields!.length !== 1 || (sf.type !== 'Field' && sf.type !== 'FieldRelationship')) {
      throw malformedQuery('a semi-join subquery must select exactly one Id or reference field');
    }
    const r = subScope.resolve(sf.type === 'Field' ? sf.field : (sf.rawValue ?? [...sf.relationships, sf.field].join('.')));
    const subParams: SqlValue[] = [];
    const subWheres: string[] = [scope.env.store.budgetTerm(subScope.alias), `${r.expr} IS NOT NULL`];
    const live = subScope.liveFilter();
    if (live) subWheres.push(live);
    const shared = subScope.sharingFilter(subParams);
    if (shared) subWheres.push(shared);
    if (sub.where) subWheres.push(compileWhere(subScope, sub.where, subParams, false));
    params.push(...subParams);
    const inner = `SELECT ${r.expr} ${subScope.fromClause()} WHERE ${subWheres.join(' AND ')}`;
    return op === 'IN' ? `${expr} IN (${inner})` : `(${expr} IS NULL OR ${expr} NOT IN (${inner}))`;
  }
  const lits = literalValues(c);
  const kind = field?.type ?? 'string';
  const isDateKind = kind === 'date' || kind === 'datetime';
  // a bound of a range on a date column of the object: SQLite is told the share of rows the range holds (rangeHints.ts)
  const bound = (side: 'low' | 'high', value: unknown, comparison: string) =>
    own && isDateKind && scope.hints ? scope.hints.term(own.table, own.column, side, value, expr, comparison) : `${expr} ${comparison}`;
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
    const low = (v: string) => bound('low', v, '>= ?');
    const high = (v: string) => bound('high', v, '< ?');
    switch (op) {
      case '=':
        params.push(bounds.start, bounds.end);
        return `(${low(bounds.start)} AND ${high(bounds.end)})`;
      case '!=':
      case '<>':
        params.push(bounds.start, bounds.end);
        return `(${expr} IS NULL OR ${expr} < ? OR ${expr} >= ?)`;
      case '<':
        params.push(bounds.start);
        return high(bounds.start);
      case '<=':
        params.push(bounds.end);
        return high(bounds.end);
      case '>':
        params.push(bounds.end);
        return low(bounds.end);
      case '>=':
        params.push(bounds.start);
        return low(bounds.start);
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
      return bound(op.startsWith('<') ? 'high' : 'low', values[0], `${op} ?`);
    case 'LIKE':
      if (typeof values[0] !== 'string') throw malformedQuery('LIKE requires a string value');
      params.push(values[0]);
      return `${expr} LIKE ? ESCAPE '\\'`;
    case 'IN':
    case 'NOT IN': {
      const nonNull = [...new Set(values.filter((v) => v !== null))];
      const hasNull = values.includes(null);
      params.push(...nonNull);
      const list = nonNull.length ? `${expr} IN (${nonNull.map(() => '?').join(', ')})` : '0';
      if (op === 'IN') return hasNull ? `(${list} OR ${expr} IS NULL)` : list;
      return hasNull ? `(${expr} IS NOT NULL AND NOT ${list})` : `(${expr} IS NULL OR NOT ${list})`;
    }
    case 'INCLUDES':
    case 'EXCLUDES': {
      if (kind !== 'multipicklist') throw malformedQuery(`${op} can only be used with multi-select picklist fields`);
      const alts = values.map((v) => {
        const parts = [
          ...new Set(
            String(v)
              .split(';')
              .map((p) => p.trim())
              .filter(Boolean)
          )
        ];
        if (parts.length === 0) return '0';
        return joinBalanced(
          parts.map((p) => {
            params.push(`%;${p.replace(/[\\%_]/g, (m) => '\\' + m)};%`);
            return `(';' || ${expr} || ';') LIKE ? ESCAPE '\\'`;
          }),
          'AND'
        );
      });
      const inc = joinBalanced(alts, 'OR');
      return op === 'INCLUDES' ? `COALESCE(${inc}, 0)` : `(${expr} IS NULL OR NOT ${inc})`;
    }
    default:
      throw malformedQuery(`operator ${op} is not supported by the local org`);
  }
}
