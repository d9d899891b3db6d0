import type { FieldSchema, ObjectSchema, Schema } from '../schema';
import type { SqlValue, Store } from '../store';

/** What a SOQL query is compiled against: the org's schema and database, the API version, the clock and the running user's zone. */
export interface QueryEnv {
  schema: Schema;
  store: Store;
  version: string;
  now: Date;
  tz: string;
  includeDeleted: boolean;
}

/** A selected column and how it lands in the output record. */
export interface OutColumn {
  sqlAlias: string;
  /** Where the value goes: relationship names then the field name; aggregate: one key. */
  path: string[];
  field?: FieldSchema;
  kind: 'field' | 'agg' | 'relId' | 'relType';
  aggFn?: string;
  polymorphic?: boolean;
}

export interface SubqueryPlan {
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
