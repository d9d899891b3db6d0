import type { FieldType as SoqlField, OrderByClause, Query } from '@jetstreamapp/soql-parser-js';
import { malformedQuery } from '../errors';
import { AGGREGATES, functionExpr } from './functions';
import type { Scope } from './relationships';

/**
 * An aggregate query (GROUP BY, or aggregate functions) answers one row per group, so its SELECT
 * list and ORDER BY may name only what is grouped or aggregated; a real org refuses anything else
 * with MALFORMED_QUERY "Field must be grouped or aggregated: Company" ("Ordered field must be
 * grouped or aggregated: …" in ORDER BY), as SQL would refuse it — SQLite would instead answer an
 * arbitrary row's value. `grouped` holds the SQL expressions of the GROUP BY terms.
 */
export function checkGrouping(q: Query, scope: Scope, grouped: string[]): void {
  const isGrouped = (expr: string) => grouped.includes(expr);
  for (const fld of (q.fields ?? []) as SoqlField[]) {
    const named = nonAggregate(scope, fld);
    if (named && !isGrouped(named.expr)) throw malformedQuery(`Field must be grouped or aggregated: ${named.name}`);
  }
  for (const ob of (q.orderBy ? (Array.isArray(q.orderBy) ? q.orderBy : [q.orderBy]) : []) as OrderByClause[]) {
    let named: { name: string; expr: string } | undefined;
    if ('fn' in ob && ob.fn) {
      const fnName = (ob.fn.functionName ?? '').toUpperCase();
      if (!AGGREGATES.has(fnName)) {
        named = { name: ob.fn.rawValue ?? fnName, expr: functionExpr(scope, fnName, ob.fn.parameters ?? [], ob.fn.rawValue).expr };
      }
    } else if ('field' in ob && ob.field) {
      named = { name: ob.field, expr: scope.resolve(ob.field).expr };
    }
    if (named && !isGrouped(named.expr)) throw malformedQuery(`Ordered field must be grouped or aggregated: ${named.name}`);
  }
}

/** A SELECT item that is not an aggregate function: its name as written and its SQL expression. */
function nonAggregate(scope: Scope, fld: SoqlField): { name: string; expr: string } | undefined {
  switch (fld.type) {
    case 'Field':
      return { name: fld.field, expr: scope.resolve(fld.field).expr };
    case 'FieldRelationship': {
      const name = fld.rawValue ?? [...fld.relationships, fld.field].join('.');
      return { name, expr: scope.resolve(name).expr };
    }
    case 'FieldFunctionExpression': {
      const fnName = fld.functionName.toUpperCase();
      if (AGGREGATES.has(fnName)) return undefined;
      return { name: fld.rawValue ?? fnName, expr: functionExpr(scope, fnName, fld.parameters ?? [], fld.rawValue).expr };
    }
    default:
      return undefined;
  }
}
