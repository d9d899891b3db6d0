import { ownValue } from '../ownValue';
import { randomBytes } from 'node:crypto';
import { ApiError, malformedQuery } from '../errors';
import type { Schema } from '../schema';
import { compileSoql } from './compile';
import type { Compiled } from './plan';
import { attachSubqueries, buildRecords } from './results';
import type { SqlValue, Store } from '../store';

export const PAGE_SIZE = 2000;
const MAX_CURSORS = 500;
const CURSOR_TTL_MS = 15 * 60 * 1000;

interface Cursor {
  compiled: Compiled;
  /** Whose query it is: the user of a view of the schema, '' for system mode (a locator is good for its own user only). */
  owner: string;
  /** Rows of the result already returned (relative to the query's OFFSET). */
  position: number;
  total: number;
  expires: number;
  /** Sort keys and rowid of the last row returned (keyset paging). */
  last?: SqlValue[];
}

export interface QueryResponse {
  totalSize: number;
  done: boolean;
  nextRecordsUrl?: string;
  records: Array<Record<string, unknown>>;
}

/**
 * Runs SOQL with Salesforce paging: 2,000 records a page, the rest behind
 * `nextRecordsUrl` = `/services/data/vXX.X/query/<cursor>-<position>`. Cursors re-run the SQL
 * (ordered with a rowid tie-break, so pages are stable), never holding a table in memory: the next
 * page continues after the last row's sort keys and rowid (keyset paging, so reading a large table
 * page by page stays linear, with or without ORDER BY); a locator for any other position (a page
 * fetched again) falls back to LIMIT/OFFSET.
 */
export class QueryEngine {
  private readonly cursors = new Map<string, Cursor>();

  /** `offsetPaging`: page with LIMIT/OFFSET only, as before keyset paging (a bench baseline). */
  constructor(
    private readonly store: Store,
    private readonly opts: { offsetPaging?: boolean } = {}
  ) {}

  run(soql: string, opts: { schema: Schema; version: string; now: Date; tz: string; includeDeleted: boolean }): QueryResponse {
    const compiled = compileSoql(soql, { ...opts, store: this.store });
    if (compiled.countOnly) {
      const n = Number(this.store.get(compiled.countSql, compiled.countParams)!.n);
      const total = Math.max(0, Math.min(n - compiled.offset, compiled.limit ?? Infinity));
      return { totalSize: total, done: true, records: [] };
    }
    const limit = compiled.limit ?? Infinity;
    if (compiled.offset > 2000) throw malformedQuery('Maximum SOQL offset allowed is 2000');
    const first = Math.min(PAGE_SIZE, limit);
    const rows = this.store.all(`${compiled.sql} LIMIT ? OFFSET ?`, [...compiled.params, first + 1, compiled.offset]);
    if (rows.length <= first || first === limit) {
      const page = rows.slice(0, first);
      return { totalSize: page.length, done: true, records: this.materialize(compiled, page) };
    }
    const n = Number(this.store.get(compiled.countSql, compiled.countParams)!.n);
    const total = Math.min(n - compiled.offset, limit);
    const page = rows.slice(0, first);
    const response: QueryResponse = { totalSize: total, done: false, records: this.materialize(compiled, page) };
    response.nextRecordsUrl = this.openCursor(compiled, ownerOf(opts.schema), first, total, lastKeys(compiled, page[page.length - 1]));
    return response;
  }

  /** Compiles SOQL for this org (the GraphQL endpoint builds SOQL and runs it here). */
  compile(soql: string, opts: { schema: Schema; version: string; now: Date; tz: string; includeDeleted: boolean }): Compiled {
    return compileSoql(soql, { ...opts, store: this.store });
  }

  /** Records `offset`… of a compiled query in its order, at most `limit` (GraphQL connections page this way). */
  window(compiled: Compiled, offset: number, limit: number): Array<Record<string, unknown>> {
    const rows = this.store.all(`${compiled.sql} LIMIT ? OFFSET ?`, [...compiled.params, limit, offset]);
    return this.materialize(compiled, rows);
  }

  /**
   * Every row of a compiled (non-aggregate) query in its order, `size` rows at a time, at most its
   * LIMIT: keyset paging after the first page, each page a statement of its own, so nothing stays
   * open between pages (Bulk API query jobs read their results this way between other requests).
   */
  *scan(compiled: Compiled, size: number): Generator<ScannedRows, void, undefined> {
    let left = compiled.limit ?? Infinity;
    let offset = compiled.offset;
    let last: SqlValue[] | undefined;
    while (left > 0) {
      const n = Math.min(size, left);
      let page: { columns: string[]; rows: SqlValue[][] };
      if (last && compiled.after) {
        const after = compiled.after(last);
        page = this.store.allArrays(`${after.sql} LIMIT ?`, [...compiled.params, ...after.params, n]);
      } else {
        page = this.store.allArrays(`${compiled.sql} LIMIT ? OFFSET ?`, [...compiled.params, n, offset]);
      }
      const { rows } = page;
      if (rows.length === 0) return;
      const index = new Map(page.columns.map((c, i) => [c, i]));
      yield { index, rows };
      left -= rows.length;
      if (rows.length < n) return;
      offset += rows.length;
      if (compiled.after && !this.opts.offsetPaging) {
        const row = rows[rows.length - 1];
        const at = (alias: string): SqlValue => {
          const i = index.get(alias);
          // eslint-disable-next-line security/detect-object-injection -- a numeric index into the row (an array)
          return i === undefined ? null : (row[i] ?? null);
        };
        last = keysOf(compiled, at);
      }
    }
  }

  /** How many rows a compiled query matches. */
  count(compiled: Compiled): number {
    return Number(this.store.get(compiled.countSql, compiled.countParams)!.n);
  }

  /** The page behind a `nextRecordsUrl` locator (`<cursor>-<position>`), for the user whose query it is (`schema`: the user's view). */
  more(locator: string, schema: Schema): QueryResponse {
    const m = /^([A-Za-z0-9]+)-(\d+)$/.exec(locator);
    const cursor = m ? this.cursors.get(m[1]) : undefined;
    if (!m || !cursor || cursor.expires < Date.now() || cursor.owner !== ownerOf(schema)) {
      throw new ApiError(400, 'INVALID_QUERY_LOCATOR', 'invalid query locator');
    }
    const position = Number(m[2]);
    const c = cursor.compiled;
    const count = Math.min(PAGE_SIZE, cursor.total - position);
    let rows: Array<Record<string, SqlValue>> = [];
    if (count > 0) {
      if (c.after && cursor.last && position === cursor.position && !this.opts.offsetPaging) {
        const after = c.after(cursor.last);
        rows = this.store.all(`${after.sql} LIMIT ?`, [...c.params, ...after.params, count]);
      } else {
        rows = this.store.all(`${c.sql} LIMIT ? OFFSET ?`, [...c.params, count, c.offset + position]);
      }
    }
    const next = position + rows.length;
    const response: QueryResponse = {
      totalSize: cursor.total,
      done: next >= cursor.total || rows.length === 0,
      records: this.materialize(c, rows)
    };
    if (!response.done) {
      cursor.position = next;
      cursor.last = lastKeys(c, rows[rows.length - 1]);
      cursor.expires = Date.now() + CURSOR_TTL_MS;
      response.nextRecordsUrl = `/services/data/v${c.version}/query/${m[1]}-${next}`;
    } else {
      this.cursors.delete(m[1]);
    }
    return response;
  }

  private openCursor(compiled: Compiled, owner: string, position: number, total: number, last: SqlValue[]): string {
    if (this.cursors.size >= MAX_CURSORS) {
      const now = Date.now();
      for (const [k, v] of this.cursors) if (v.expires < now) this.cursors.delete(k);
      while (this.cursors.size >= MAX_CURSORS) this.cursors.delete(this.cursors.keys().next().value as string);
    }
    const id = `01g${randomBytes(9)
      .toString('base64')
      .replace(/[^A-Za-z0-9]/g, '')
      .slice(0, 12)
      .padEnd(12, '0')}`;
    this.cursors.set(id, { compiled, owner, position, total, last, expires: Date.now() + CURSOR_TTL_MS });
    return `/services/data/v${compiled.version}/query/${id}-${position}`;
  }

  private materialize(c: Compiled, rows: Array<Record<string, SqlValue>>): Array<Record<string, unknown>> {
    const records = buildRecords(c, rows);
    if (c.subqueries.length > 0 && rows.length > 0) {
      attachSubqueries(
        c,
        this.store,
        records,
        rows.map((r) => String(r._id))
      );
    }
    return records;
  }
}

function ownerOf(schema: Schema): string {
  return schema.visibility?.userId ?? '';
}

/** A row's sort keys (`_k0`, `_k1`, …) and rowid: where the next page starts. */
function lastKeys(c: Compiled, row: Record<string, SqlValue>): SqlValue[] {
  return keysOf(c, (alias) => ownValue(row, alias) ?? null);
}

/** The sort keys and rowid of a row (read by alias), which keyset paging continues after. */
function keysOf(c: Compiled, at: (alias: string) => SqlValue): SqlValue[] {
  const out: SqlValue[] = [];
  for (let i = 0; i < c.sortKeys; i++) out.push(at(`_k${i}`));
  out.push(Number(at('_rowid')));
  return out;
}

/** A page of a scan: rows as arrays of values, and each SQL alias's position in them. */
export interface ScannedRows {
  index: ReadonlyMap<string, number>;
  rows: SqlValue[][];
}
