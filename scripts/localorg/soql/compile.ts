import type { Query } from '@jetstreamapp/soql-parser-js';
import { MAX_CHILD_SUBQUERIES, MAX_PARENT_RELATIONSHIPS, MAX_QUERY_VALUES } from '../bounds';
import { ApiError, malformedQuery } from '../errors';
import type { ObjectSchema } from '../schema';
import { quote, SqlValue } from '../store';
import { compileGroupBy } from './groupBy';
import { checkGrouping } from './grouping';
import { compileOrderBy, keysetPredicate } from './orderBy';
import { objectOf, parseSoql, rejectUnsupported } from './parse';
import type { Compiled, QueryEnv } from './plan';
import { RangeHints } from './rangeHints';
import { Scope } from './relationships';
import { compileSelect } from './select';
import { compileWhere, queryTooComplicated } from './where';

/**
 * SOQL → parameterised SQLite. Supported: field lists, parent relationship paths (incl.
 * polymorphic Owner/Who/What on the last hop), child subqueries, WHERE with = != <> < <= > >=
 * LIKE IN NOT IN INCLUDES EXCLUDES, semi/anti-joins on Id fields, AND/OR/NOT, null, date/datetime
 * literals and relative date literals, date functions, ORDER BY (NULLS FIRST/LAST), LIMIT,
 * OFFSET, COUNT(), GROUP BY with COUNT/COUNT_DISTINCT/SUM/AVG/MIN/MAX and aliases, HAVING.
 * Everything else is a MALFORMED_QUERY naming the unsupported part.
 *
 * One module per phase: parse.ts (syntax, unsupported clauses), select.ts, where.ts (with
 * literals.ts), groupBy.ts, orderBy.ts (with keyset paging); relationships.ts turns field paths
 * into joins, functions.ts date and aggregate functions; results.ts turns rows into REST records
 * and queryEngine.ts runs compiled queries page by page.
 */

/** Compiles a SOQL string for the given environment. */
export function compileSoql(soql: string, env: QueryEnv): Compiled {
  const q = parseSoql(soql);
  return compileQuery(q, env, false);
}

function compileQuery(q: Query, env: QueryEnv, nested: boolean, childOf?: { obj: ObjectSchema; relName: string }): Compiled {
  rejectUnsupported(q, nested);
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
  // a date range is read through its index or not as its share of the rows says (resolved once ORDER BY is known)
  const hints = new RangeHints(env.store, obj.name);
  scope.hints = hints;
  const { columns, selects, subqueries, aggregate, countOnly } = compileSelect(q, scope, nested, (sub, relName) =>
    compileQuery(sub, env, true, { obj, relName })
  );
  // Id is always selected for records (attributes.url) and subquery parents
  if (!aggregate && !countOnly) {
    selects.push(`${scope.alias}."Id" AS _id`, `${scope.alias}.rowid AS _rowid`);
    if (parentField) selects.push(`${scope.alias}.${quote(parentField)} AS _parent`);
  }

  if (subqueries.length > MAX_CHILD_SUBQUERIES) {
    // "No more than 20 parent-to-child relationships can be specified in a query" (SOQL and SOSL
    // Reference, Understanding Relationship Query Limitations)
    throw malformedQuery(`A query can have at most ${MAX_CHILD_SUBQUERIES} parent-to-child subqueries (this one has ${subqueries.length})`);
  }

  const params: SqlValue[] = [];
  // the time budget's check comes first: SQLite evaluates WHERE terms in order, and a later term
  // that is false for every row would otherwise skip it
  const wheres: string[] = [env.store.budgetTerm(scope.alias)];
  const live = scope.liveFilter();
  if (live) wheres.push(live);
  const shared = scope.sharingFilter(params);
  if (shared) wheres.push(shared);
  const where = q.where ? compileWhere(scope, q.where, params, false) : undefined;

  const { groupBy, having, grouped } = compileGroupBy(q, scope, params);
  if (aggregate && !countOnly) checkGrouping(q, scope, grouped);
  const { orders, terms } = compileOrderBy(q, scope);
  if (where) wheres.push(hints.resolve(where, terms[0]?.expr));
  const keyset = !aggregate && !countOnly;
  if (keyset) {
    terms.forEach((t, i) => selects.push(`${t.expr} AS _k${i}`));
    orders.push(`${scope.alias}.rowid ASC`);
  }

  if (scope.relNodes.size > MAX_PARENT_RELATIONSHIPS) {
    // "No more than 55 child-to-parent relationships can be specified in a query" (same page)
    throw malformedQuery(
      `A query can follow at most ${MAX_PARENT_RELATIONSHIPS} child-to-parent relationships (this one follows ${scope.relNodes.size})`
    );
  }
  if (params.length > MAX_QUERY_VALUES)
    throw queryTooComplicated(`${params.length} values to compare; the local org takes ${MAX_QUERY_VALUES}`);

  const whereSql = ` WHERE ${wheres.join(' AND ')}`;
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
          const w = ` WHERE ${[wheres[0], inList, ...wheres.slice(1)].join(' AND ')}`;
          return `SELECT ${selects.join(', ')} ${scope.fromClause()}${w} ORDER BY ${orders.join(', ')}`;
        }
      : undefined
  };
}
