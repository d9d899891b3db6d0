import type { OrderByClause, Query } from '@jetstreamapp/soql-parser-js';
import { malformedQuery } from '../errors';
import type { SqlValue } from '../store';
import { functionExpr } from './functions';
import type { Scope } from './relationships';

/**
 * ORDER BY as SQL terms (NULLS FIRST for ascending and NULLS LAST for descending unless said), and
 * the same terms as sort keys for keyset paging.
 */
export function compileOrderBy(q: Query, scope: Scope): { orders: string[]; terms: SortTerm[] } {
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
  return { orders, terms };
}

/** One ORDER BY term, for keyset paging. */
export interface SortTerm {
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
export function keysetPredicate(terms: SortTerm[], rowid: string, last: SqlValue[]): { sql: string; params: SqlValue[] } {
  const params: SqlValue[] = [];
  const alternatives: string[] = [];
  const equal: string[] = [];
  const equalParams: SqlValue[] = [];
  const and = (parts: string[]) => (parts.length === 1 ? parts[0] : `(${parts.join(' AND ')})`);
  terms.forEach((t, i) => {
    const v = last.at(i) ?? null; // one sort value per term
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
