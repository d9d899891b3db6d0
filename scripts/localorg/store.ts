import { DatabaseSync, StatementSync } from 'node:sqlite';
import { columnType, ObjectSchema, Schema } from './schema';

export type SqlValue = string | number | bigint | null | Uint8Array;

/** A request ran past its time budget (answered 400 QUERY_TIMEOUT). */
export class QueryTimeout extends Error {
  override readonly name = 'QueryTimeout';
  constructor() {
    super('Your query request was running for too long.');
  }
}

/**
 * The SQLite database behind the local org: one table per object (columns named after the API
 * fields), the deployed metadata files, and counters. Prepared statements are cached by SQL text.
 *
 * A request's time budget: node:sqlite (Node 24) has no progress handler and no interrupt, and a
 * statement runs to its end on the one thread that serves every client. So compiled queries carry
 * `budgetTerm()` in their WHERE clauses: every 1,024th row a query visits calls the SQL function
 * `_budget()`, which throws QueryTimeout once the request's deadline (`withDeadline`) has passed,
 * and SQLite abandons the statement.
 */
export class Store {
  readonly db: DatabaseSync;
  private readonly statements = new Map<string, StatementSync>();
  private depth = 0;
  /** When the running request must stop (performance.now() ms); Infinity outside a request. */
  private deadline = Infinity;
  /** Sequences taken in the current transaction: read once, counted here, written back at its COMMIT. */
  private readonly seqs = new Map<string, number>();
  /** Facts known true for the rest of the current transaction (see `knows`). */
  private readonly facts = new Set<string>();

  constructor(readonly file: string) {
    this.db = new DatabaseSync(file);
    this.db.function('_budget', { deterministic: false, directOnly: true }, () => {
      this.checkBudget();
      return 1;
    });
    if (file !== ':memory:') {
      this.db.exec('PRAGMA journal_mode = WAL');
      this.db.exec('PRAGMA synchronous = NORMAL');
    }
    this.db.exec('PRAGMA foreign_keys = OFF');
    this.db.exec('PRAGMA cache_size = -65536');
    // a database written before: its statistics brought up to date (see refreshStatistics)
    if (file !== ':memory:') this.refreshStatistics();
    this.db.exec(`
      CREATE TABLE IF NOT EXISTS _component (type TEXT NOT NULL, fullName TEXT NOT NULL, fileName TEXT NOT NULL,
        content BLOB, deployedAt TEXT, PRIMARY KEY (fileName));
      CREATE TABLE IF NOT EXISTS _prefix (object TEXT PRIMARY KEY, prefix TEXT NOT NULL UNIQUE);
      CREATE TABLE IF NOT EXISTS _seq (name TEXT PRIMARY KEY, n INTEGER NOT NULL);
      CREATE TABLE IF NOT EXISTS _deploy (id TEXT PRIMARY KEY, result TEXT NOT NULL);
      CREATE TABLE IF NOT EXISTS _kv (key TEXT PRIMARY KEY, value TEXT);
    `);
  }

  prepare(sql: string): StatementSync {
    let st = this.statements.get(sql);
    if (!st) {
      st = this.db.prepare(sql);
      this.statements.set(sql, st);
      if (this.statements.size > 2000) {
        const first = this.statements.keys().next().value as string;
        this.statements.delete(first);
      }
    }
    return st;
  }

  all(sql: string, params: SqlValue[] = []): Array<Record<string, SqlValue>> {
    return this.prepare(sql).all(...params) as Array<Record<string, SqlValue>>;
  }

  /**
   * The rows as arrays of values, with the result's column names: no object a row (node:sqlite's
   * `setReturnArrays`), which a large read spends half its time on otherwise.
   */
  allArrays(sql: string, params: SqlValue[] = []): { columns: string[]; rows: SqlValue[][] } {
    const st = this.prepare(sql);
    st.setReturnArrays(true);
    try {
      const rows = st.all(...params) as unknown as SqlValue[][];
      return { columns: st.columns().map((c) => c.name), rows };
    } finally {
      // the statement is cached: its other callers read objects
      st.setReturnArrays(false);
    }
  }

  get(sql: string, params: SqlValue[] = []): Record<string, SqlValue> | undefined {
    return this.prepare(sql).get(...params) as Record<string, SqlValue> | undefined;
  }

  /** Statements run through `run` so far: a caller can tell whether some code wrote anything. */
  writes = 0;

  run(sql: string, params: SqlValue[] = []): { changes: number | bigint } {
    this.writes++;
    return this.prepare(sql).run(...params);
  }

  /** `writes` when the planner's statistics were last brought up to date. */
  private writesAnalyzed = 0;

  /**
   * Brings SQLite's query planner statistics (sqlite_stat1) up to date, as SQLite advises a long-lived connection
   * to do (`PRAGMA optimize`, https://sqlite.org/pragma.html#pragma_optimize): ANALYZE runs only on the tables
   * never analysed or whose size changed about tenfold since, each on a sample (SQLite ≥ 3.46 limits it), and is
   * a no-op otherwise (0x10012: every table looked at, ANALYZE on a sample). Without statistics the planner takes any partial index a query's `"IsDeleted" = 0` term
   * matches — a unique External ID's, such as a timer's key — for a smaller table and walks the whole table in that
   * index's order, a row lookup per row, where a plain scan reads the rows in order (a report's aggregate query
   * over a date range: about a third slower); with them it scans, and still uses the index to find a key.
   * Run when the connection opens and after the write transactions of every STATISTICS_EVERY_WRITES statements.
   */
  private refreshStatistics(): void {
    this.writesAnalyzed = this.writes;
    this.db.exec('PRAGMA optimize=0x10012');
  }

  /** Runs `fn` in one transaction (nested calls join the outer one); rolls back when it throws. */
  transaction<T>(fn: () => T): T {
    if (this.depth > 0) {
      this.depth++;
      try {
        return fn();
      } finally {
        this.depth--;
      }
    }
    this.db.exec('BEGIN IMMEDIATE');
    this.depth = 1;
    let out: T;
    try {
      out = fn();
      for (const [name, n] of this.seqs) {
        this.run('INSERT INTO _seq (name, n) VALUES (?, ?) ON CONFLICT(name) DO UPDATE SET n = excluded.n', [name, n]);
      }
      this.db.exec('COMMIT');
    } catch (e) {
      this.db.exec('ROLLBACK');
      throw e;
    } finally {
      this.depth = 0;
      this.seqs.clear();
      this.facts.clear();
    }
    // committed: the statistics are looked at outside the transaction
    if (this.writes - this.writesAnalyzed >= STATISTICS_EVERY_WRITES) this.refreshStatistics();
    return out;
  }

  /**
   * Whether a fact was learnt in the current transaction (a record found to exist, so the next lookup
   * of it is spared); facts are forgotten when the transaction ends and by `forgetFacts` (a delete).
   */
  knows(fact: string): boolean {
    return this.facts.has(fact);
  }

  learn(fact: string): void {
    if (this.depth > 0) this.facts.add(fact);
  }

  forgetFacts(): void {
    this.facts.clear();
  }

  /** A savepoint inside the current transaction: undone when `fn` throws (per-record failures). */
  savepoint<T>(fn: () => T): T {
    this.db.exec('SAVEPOINT rec');
    try {
      const out = fn();
      this.db.exec('RELEASE rec');
      return out;
    } catch (e) {
      this.db.exec('ROLLBACK TO rec');
      this.db.exec('RELEASE rec');
      throw e;
    }
  }

  /** Runs `fn` (and every statement it runs synchronously) with a time budget of `ms`. */
  withDeadline<T>(ms: number, fn: () => T): T {
    const outer = this.deadline;
    this.deadline = Math.min(outer, performance.now() + ms);
    try {
      return fn();
    } finally {
      this.deadline = outer;
    }
  }

  /** Throws QueryTimeout when the running request is past its deadline. */
  checkBudget(): void {
    if (performance.now() > this.deadline) throw new QueryTimeout();
  }

  /**
   * A WHERE term that checks the time budget on every 1,024th row of the table `alias` a query
   * visits (the term references the table, so SQLite evaluates it in that table's loop; the rowid
   * test keeps the cost of the check to a few VM instructions per row).
   */
  budgetTerm(alias: string): string {
    return `(${alias}.rowid & 1023 != 0 OR _budget())`;
  }

  /** The next number of a named sequence (record ids, auto-numbers); inside a transaction, one read and one write per sequence. */
  nextSeq(name: string): number {
    if (this.depth === 0) {
      const row = this.get('INSERT INTO _seq (name, n) VALUES (?, 1) ON CONFLICT(name) DO UPDATE SET n = n + 1 RETURNING n', [name]);
      return Number(row!.n);
    }
    let n = this.seqs.get(name);
    if (n === undefined) n = Number(this.get('SELECT n FROM _seq WHERE name = ?', [name])?.n ?? 0);
    this.seqs.set(name, ++n);
    return n;
  }

  kvGet(key: string): string | undefined {
    const row = this.get('SELECT value FROM _kv WHERE key = ?', [key]);
    return row ? (row.value as string) : undefined;
  }

  kvSet(key: string, value: string): void {
    this.run('INSERT INTO _kv (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value', [key, value]);
  }

  /** Date and date/time columns with an index of their own, by table (what `span` answers for). */
  private readonly datedIndexes = new Map<string, Set<string>>();

  /**
   * Creates missing tables, columns and indexes for every object in the schema; `reportDates` are more date and
   * date/time fields to index, as `Object.Field` (reportIndexes.ts: the fields deployed reports filter their time frames on).
   */
  syncTables(schema: Schema, reportDates: ReadonlySet<string> = new Set()): void {
    this.datedIndexes.clear();
    for (const obj of schema.objects.values()) this.syncTable(obj, reportDates);
    this.statements.clear();
  }

  hasDatedIndex(table: string, column: string): boolean {
    return this.datedIndexes.get(table)?.has(column) ?? false;
  }

  /**
   * Whether more than `atMost` rows of a table have a value of an indexed date or date/time column within the
   * bounds (`>= ?`, `< ?` … against their values): counted through the column's index alone, and no further than
   * `atMost + 1`, so the answer costs at most that many index entries however wide the range.
   */
  rangeHoldsMore(table: string, column: string, bounds: ReadonlyArray<{ comparison: string; value: string }>, atMost: number): boolean {
    // the comparisons are the compiler's own (`>= ?` …): anything else is not counted here
    if (!bounds.every((b) => /^[<>]=? \?$/.test(b.comparison))) return false;
    const where = [`${quote(column)} IS NOT NULL`, ...bounds.map((b) => `${quote(column)} ${b.comparison}`)].join(' AND ');
    const n = this.get(`SELECT COUNT(*) AS n FROM (SELECT 1 FROM ${quote(table)} WHERE ${where} LIMIT ?)`, [
      ...bounds.map((b) => b.value),
      Math.floor(atMost) + 1
    ])?.n;
    return Number(n) > atMost;
  }

  /** About how many rows a table has (its highest rowid: one index seek), 0 when it is empty. */
  approximateRows(table: string): number {
    return Number(this.get(`SELECT MAX(rowid) AS n FROM ${quote(table)}`)?.n ?? 0);
  }

  private syncTable(obj: ObjectSchema, reportDates: ReadonlySet<string>): void {
    const table = quote(obj.name);
    const existing = this.all(`PRAGMA table_info(${table})`);
    if (existing.length === 0) {
      const cols = obj.fields.map((f) => `${quote(f.name)} ${columnType(f)}${f.name === 'Id' ? ' PRIMARY KEY' : ''}`);
      this.db.exec(`CREATE TABLE ${table} (${cols.join(', ')})`);
    } else {
      const have = new Set(existing.map((c) => String(c.name).toLowerCase()));
      for (const f of obj.fields) {
        if (!have.has(f.name.toLowerCase())) this.db.exec(`ALTER TABLE ${table} ADD COLUMN ${quote(f.name)} ${columnType(f)}`);
      }
    }
    const indexes = new Set(this.all(`PRAGMA index_list(${table})`).map((r) => String(r.name)));
    const ensure = (name: string, sql: string) => {
      if (!indexes.has(name)) this.db.exec(sql);
    };
    for (const f of obj.fields) {
      const idx = `ix_${obj.name}_${f.name}`;
      if ((f.externalId || f.unique) && f.type !== 'id') {
        const uniq = f.unique ? 'UNIQUE ' : '';
        ensure(
          idx,
          `CREATE ${uniq}INDEX ${quote(idx)} ON ${table} (${quote(f.name)})${obj.byName.has('isdeleted') && f.unique ? ' WHERE "IsDeleted" = 0' : ''}`
        );
      } else if (f.type === 'reference' && f.nillable) {
        // an optional lookup is often empty: index only the rows that have one (a lookup by value, `= ?` or
        // `IN (…)`, still uses it), so inserting rows without it costs nothing in this index
        ensure(idx, `CREATE INDEX ${quote(idx)} ON ${table} (${quote(f.name)}) WHERE ${quote(f.name)} IS NOT NULL`);
      } else if (f.type === 'reference' || ['SystemModstamp', 'CreatedDate', 'Name', 'DeveloperName'].includes(f.name)) {
        ensure(idx, `CREATE INDEX ${quote(idx)} ON ${table} (${quote(f.name)})`);
      } else if ((f.type === 'date' || f.type === 'datetime') && reportDates.has(`${obj.name}.${f.name}`)) {
        // a report's time frame: its range finds the rows without reading the table when it holds few of them.
        // Not a partial index (`WHERE … IS NOT NULL`): a range implies that condition, and SQLite would walk such an
        // index from end to end, a row lookup per row, where the compiler keeps a wide range from it (rangeHints.ts)
        ensure(idx, `CREATE INDEX ${quote(idx)} ON ${table} (${quote(f.name)})`);
      } else continue;
      if (f.type === 'date' || f.type === 'datetime') {
        const dated = this.datedIndexes.get(obj.name) ?? new Set<string>();
        dated.add(f.name);
        this.datedIndexes.set(obj.name, dated);
      }
    }
  }

  close(): void {
    this.statements.clear();
    if (this.db.isOpen) this.db.close();
  }
}

/** Written statements after which the planner's statistics are looked at again (Store.refreshStatistics). */
const STATISTICS_EVERY_WRITES = 20_000;

export function quote(identifier: string): string {
  return `"${identifier.replace(/"/g, '""')}"`;
}
