import type { GroupByClause, HavingClause, Query, WhereClause } from '@jetstreamapp/soql-parser-js';
import { malformedQuery } from '../errors';
import type { SqlValue } from '../store';
import { functionExpr } from './functions';
import type { Scope } from './relationships';
import { compileWhere } from './where';

/**
 * GROUP BY (fields and date functions; not ROLLUP/CUBE) and HAVING (a WHERE over aggregates) as
 * SQL clauses, each with its leading space, or '' when the query has none, and the GROUP BY terms'
 * SQL expressions. HAVING's parameters are pushed onto `params` (after WHERE's).
 */
export function compileGroupBy(q: Query, scope: Scope, params: SqlValue[]): { groupBy: string; having: string; grouped: string[] } {
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
  return { groupBy, having, grouped: groupExprs };
}
