import type { Store } from '../store';

/**
 * Which way SQLite reads a range on an indexed date or date/time column: through the index, or the whole table.
 * node:sqlite has no STAT4 statistics, so SQLite cannot tell how many rows a range holds and takes any range on an
 * indexed column for a small one: it walks the index and looks each row up, which costs about as much as reading
 * the whole table once the range holds a third of its rows and twice as much at two thirds (a report over all its
 * data). The compiler knows the bounds, so it counts the range's rows through the index, up to INDEX_SHARE of the
 * table: a range that holds at most that many is left to SQLite (which reads it through the index), a wider one is kept from the index (`+column`, https://sqlite.org/optoverview.html#disqualifying_where_clause_terms_using_unary_)
 * and the table is read. Only the plan changes, never the answer: the values compared are text either way.
 */

/**
 * The share of rows up to which a range is read through its index (measured at 300,000 leads with the table in the
 * page cache: the index costs as much as the table at a third; a table larger than the cache pays a read per row).
 */
export const INDEX_SHARE = 0.1;

/** One bound of a range on an indexed column, written as a token until the query's WHERE is compiled. */
interface RangeBound {
  token: string;
  table: string;
  column: string;
  side: 'low' | 'high';
  value: string;
  /** The column's SQL expression (with its table's alias: the bounds of one range share it) and the comparison's rest (`>= ?`). */
  expr: string;
  comparison: string;
}

/** The bounds of a query's ranges on indexed date columns (of its object or a parent's), resolved once its WHERE is compiled. */
export class RangeHints {
  private readonly bounds: RangeBound[] = [];

  constructor(
    private readonly store: Store,
    /** The query's object. */
    private readonly table: string
  ) {}

  /** `<expr> <comparison>` (a bound of `table.column` against a parameter), as a token when the column has an index of its own. */
  term(table: string, column: string, side: 'low' | 'high', value: unknown, expr: string, comparison: string): string {
    if (typeof value !== 'string' || !this.store.hasDatedIndex(table, column)) return `${expr} ${comparison}`;
    const token = `__range${this.bounds.length}__`;
    this.bounds.push({ token, table, column, side, value, expr, comparison });
    return token;
  }

  /**
   * `sql` with every bound's token replaced by its comparison, on `+<column>` when the column's range is wide, but
   * for a column of the query's object its ORDER BY starts with (`ordered`): walking that index spares sorting the
   * rows, which a query read page by page (a sync's `ORDER BY SystemModstamp`) needs more than a cheaper range.
   */
  resolve(sql: string, ordered?: string): string {
    if (this.bounds.length === 0) return sql;
    const terms = new Map<string, string>();
    for (const expr of new Set(this.bounds.map((b) => b.expr))) {
      const bounds = this.bounds.filter((b) => b.expr === expr);
      const wide = !(expr === ordered && bounds[0].table === this.table) && this.wide(bounds);
      for (const b of bounds) terms.set(b.token, `${wide ? '+' : ''}${b.expr} ${b.comparison}`);
    }
    return sql.replace(/__range\d+__/g, (t) => terms.get(t) ?? t);
  }

  /**
   * Whether the range holds more than INDEX_SHARE of the table's rows, counted through the column's index (at most
   * that many entries). An estimate from the column's lowest and highest value was tried first, and a skewed column —
   * due dates most of which fall in a few weeks, some months ahead — made a range holding half the rows look like a
   * twentieth of them: a million-lead report then looked up every other row through the index.
   */
  private wide(bounds: RangeBound[]): boolean {
    const { table, column } = bounds[0];
    const rows = this.store.approximateRows(table);
    if (rows === 0) return false;
    return this.store.rangeHoldsMore(
      table,
      column,
      bounds.map((b) => ({ comparison: b.comparison, value: b.value })),
      INDEX_SHARE * rows
    );
  }
}
