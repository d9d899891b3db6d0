import type { FieldType as SoqlField, Query } from '@jetstreamapp/soql-parser-js';
import { malformedQuery } from '../errors';
import { AGGREGATES, DATE_FUNCTIONS, functionExpr } from './functions';
import type { Compiled, OutColumn, SubqueryPlan } from './plan';
import { pathOf, RelNode, Scope } from './relationships';
import { ownValue } from '../ownValue';

/** The SELECT list compiled: SQL select expressions and, for each, where its value lands in the output. */
export interface SelectList {
  columns: OutColumn[];
  /** `expr AS cN`, in column order. */
  selects: string[];
  subqueries: SubqueryPlan[];
  /** An aggregate query (aggregate functions or GROUP BY): AggregateResult rows. */
  aggregate: boolean;
  /** `SELECT COUNT() …`: only the number of rows. */
  countOnly: boolean;
}

/**
 * The SELECT list: fields and parent paths (each relationship on the path adds its Id and type
 * columns, so the nested parent objects can be rebuilt), aggregate and date functions with their
 * aliases, and child subqueries (compiled by `compileChild`, the query compiler itself).
 */
export function compileSelect(
  q: Query,
  scope: Scope,
  nested: boolean,
  compileChild: (sub: Query, relationshipName: string) => Compiled
): SelectList {
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
      addCol(r.idExpr, { path: relPath, kind: 'relId', polymorphic: r.polymorphic });
      addCol(r.typeExpr, { path: relPath, kind: 'relType', polymorphic: r.polymorphic });
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
          addCol(r.expr, { path: [fld.alias ?? r.fieldName], field: r.field, kind: 'field' });
        } else {
          addRelCols(r.rels);
          addCol(r.expr, { path: [r.fieldName], field: r.field, kind: 'field' });
        }
        break;
      }
      case 'FieldRelationship': {
        const r = scope.resolve(fld.rawValue ?? [...fld.relationships, fld.field].join('.'));
        if (aggregate) {
          addCol(r.expr, { path: [(fld as { alias?: string }).alias ?? r.fieldName], field: r.field, kind: 'field' });
        } else {
          addRelCols(r.rels);
          addCol(r.expr, { path: [...r.rels.map((n) => n.name), r.fieldName], field: r.field, kind: 'field' });
        }
        break;
      }
      case 'FieldFunctionExpression': {
        if (countOnly) break;
        const name = fld.functionName.toUpperCase();
        const { expr, field } = functionExpr(scope, fld.functionName, fld.parameters ?? [], fld.rawValue);
        if (!aggregate && !ownValue(DATE_FUNCTIONS, name))
          throw malformedQuery(`${fld.rawValue ?? name}: function not supported by the local org`);
        if (!aggregate) throw malformedQuery(`${fld.rawValue}: date functions in a non-aggregate SELECT are not supported`);
        const key = fld.alias ?? `expr${exprN++}`;
        addCol(expr, { path: [key], field, kind: 'agg', aggFn: name });
        break;
      }
      case 'FieldSubquery': {
        if (nested) throw malformedQuery('nested subqueries are not supported');
        if (aggregate) throw malformedQuery('subqueries cannot be used in an aggregate query');
        const sub = fld.subquery;
        const compiled = compileChild(sub as Query, sub.relationshipName);
        const rel = scope.obj.childByName.get(sub.relationshipName.toLowerCase())!;
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
  return { columns, selects, subqueries, aggregate, countOnly };
}
