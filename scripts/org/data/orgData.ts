/**
 * The org data layer: every read and write of org records that the sync, the reports, the scorecard, the
 * seed and the preview make goes through an `OrgData`, over HTTP with jsforce as against any org (the local
 * org or a real one).
 *
 * - Reads take `Soql` (scripts/org/data/soql.ts: values escaped by type) and stream: `pages()` yields one
 *   page at a time and completes child-relationship results the org paged (scripts/org/data/paging.ts, the
 *   one paging loop); `all()` collects a result known to be small; `count()` answers a COUNT(). A read that is
 *   expected to be large (its first page's totalSize, or the size the caller knows, above `bulkQueryThreshold`)
 *   goes to a Bulk API 2.0 query job when a bulk client is attached (`OrgDataOptions.bulk`), page by page as well.
 * - Independent reads can be sent together: `prefetch()` packs queries and describes into `/composite`
 *   requests (one API call each, scripts/org/data/composite.ts); the reads that follow are answered from them.
 * - Writes go in sObject Collections of at most 200 records (scripts/org/data/collections.ts), or to a Bulk
 *   API 2.0 ingest job above `bulkIngestThreshold` records when a bulk client is attached and the write need
 *   not be all-or-none.
 * - Every HTTP request is counted (`requests`, at the connection's transport: Bulk and composite requests
 *   too), and `beforeWrite` runs before each write request (tests interrupt a sync there).
 */
import type { Connection } from 'jsforce';
import { COLLECTION_SIZE, collectionRequest, normalizeResult } from './collections';
import type { SaveResult, WriteOperation } from './collections';
import { bulk2Client } from './bulkClient';
import type { BulkClient } from './bulkTypes';
import { joinedPages } from './bulkJoin';
import type { JoinSpec } from './bulkJoin';
import { asQueryResponse, compositeReads } from './composite';
import type { Read, ReadAnswer, SendComposite } from './composite';
import { completeChildren, followPages } from './paging';
import type { RecordsToWrite } from './recordRows';
import type { OrgRecord, Page, QueryResponse } from './paging';
import { requestCounter } from './requestCounter';
import type { RequestCount } from './requestCounter';
import type { Soql } from './soql';

/** What `beforeWrite` is told about the write request about to be sent. */
export interface WriteRequest {
  sobject: string;
  operation: WriteOperation;
  /** records in this request (1–200 for a collection) */
  records: number;
  /** 1 for the first write request of this OrgData, 2 for the next, … */
  index: number;
}

export type { BulkClient } from './bulkTypes';

export interface OrgDataOptions {
  /** Runs before every write request; throwing stops the caller there (tests simulate a crash with it). */
  beforeWrite?: (request: WriteRequest) => void | Promise<void>;
  /**
   * Bulk API 2.0 for large reads and writes: by default our Bulk 2.0 client (bulkClient.ts over
   * scripts/org/bulk2.ts); `false` keeps everything on REST.
   */
  bulk?: BulkClient | false;
  /**
   * A query whose first page says more records than this is read with a Bulk query job (default 20,000, or
   * the environment's CLOSED_LOOP_BULK_QUERY_THRESHOLD): ten REST pages, below which a job's create, poll and
   * delete calls do not pay off.
   */
  bulkQueryThreshold?: number;
  /**
   * A write of more records than this goes to a Bulk ingest job (default 2,000, or the environment's
   * CLOSED_LOOP_BULK_INGEST_THRESHOLD): ten collection requests against a job's five or six calls. Salesforce's
   * advice is the same line: "Any data operation that includes more than 2,000 records is a good candidate for
   * Bulk API 2.0" (https://developer.salesforce.com/docs/platform/api-asynch/guide/asynch-api-intro.html).
   */
  bulkIngestThreshold?: number;
}

/** A describe's picklist entry. */
export interface PicklistEntry {
  value: string;
  label: string;
  active: boolean;
}

/** The part of an sObject describe the data layer's users read. */
export interface DescribeResult {
  name: string;
  fields: Array<{
    name: string;
    type: string;
    label: string;
    relationshipName?: string | null;
    referenceTo?: string[];
    picklistValues?: PicklistEntry[];
  }>;
}

/** An error the org answered (its errorCode and message), as jsforce reports them. */
export class OrgRequestError extends Error {
  constructor(
    readonly errorCode: string,
    message: string
  ) {
    super(message);
    this.name = errorCode;
  }
}

export interface WriteOptions {
  /** all or none (collections; a Bulk job never is, so an all-or-none write stays on collections) */
  allOrNone?: boolean;
  /** false: the caller reads only success and errors of each record, no Id or `created` (default true) */
  ids?: boolean;
}

/**
 * Records in a REST query page at most (the default and largest batch size, "Query Options Header":
 * https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/headers_queryoptions.htm): a read
 * known to fit in one is answered by its first page, done.
 */
const REST_QUERY_PAGE = 2_000;

export interface ReadOptions {
  /** queryAll: deleted and archived records too (default: false) */
  includeDeleted?: boolean;
  /**
   * How many records the query answers, when the caller already knows (an aggregate query counted them): a read
   * of more than `bulkQueryThreshold` that a REST page would not hold is then a Bulk API 2.0 query job from the
   * start, without the REST first page whose totalSize costs the org a count of its own. Its pages carry this
   * number as their totalSize.
   */
  expected?: number;
}

export class OrgData {
  /** write requests made so far */
  writes = 0;
  /** records sent in write requests so far */
  recordsWritten = 0;
  private readonly counter: RequestCount;
  private readonly startedAt: number;
  private readonly startedByKind: ReadonlyMap<string, number>;
  private readonly prefetched = new Map<string, ReadAnswer>();
  private readonly describes = new Map<string, Promise<DescribeResult>>();
  private readonly bulk: BulkClient | undefined;
  private readonly bulkQueryThreshold: number;
  private readonly bulkIngestThreshold: number;

  constructor(
    readonly conn: Connection,
    private readonly options: OrgDataOptions = {}
  ) {
    this.counter = requestCounter(conn);
    this.startedAt = this.counter.requests;
    this.startedByKind = new Map(this.counter.byKind);
    // the Bulk client types query results from describes read here: kept with this OrgData's, several in one request
    this.bulk = options.bulk === false ? undefined : (options.bulk ?? bulk2Client(conn, { describes: (names) => this.describeAll(names) }));
    this.bulkQueryThreshold = options.bulkQueryThreshold ?? threshold('CLOSED_LOOP_BULK_QUERY_THRESHOLD', 20_000);
    this.bulkIngestThreshold = options.bulkIngestThreshold ?? threshold('CLOSED_LOOP_BULK_INGEST_THRESHOLD', 2_000);
  }

  /** HTTP requests this OrgData's connection made since it was created (reads, writes, Bulk, composite). */
  get requests(): number {
    return this.counter.requests - this.startedAt;
  }

  /** `requests` by kind (`query`, `composite`, `collections`, `bulk ingest: status`, `actions`, …; requestCounter.ts). */
  get requestsByKind(): Record<string, number> {
    const out: Record<string, number> = {};
    for (const [kind, n] of [...this.counter.byKind].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))) {
      const since = n - (this.startedByKind.get(kind) ?? 0);
      if (since > 0) out[kind] = since;
    }
    return out;
  }

  /** The org's base URL (for links). */
  get instanceUrl(): string {
    return this.conn.instanceUrl;
  }

  private request<T>(method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, body?: unknown): Promise<T> {
    return this.conn.request<T>({
      method,
      url,
      ...(body === undefined ? {} : { body: JSON.stringify(body), headers: { 'Content-Type': 'application/json' } })
    });
  }

  private readonly nextPage = <T>(url: string): Promise<QueryResponse<T>> => this.request<QueryResponse<T>>('GET', url);

  private key(soql: Soql, includeDeleted: boolean): string {
    return `${includeDeleted ? 'queryAll' : 'query'} ${soql.text}`;
  }

  /**
   * Sends these reads together (composite requests of up to 5 queries and 25 subrequests, one API call each);
   * the next `pages`/`all`/`count` of the same query, or `describe` of the same object, is answered from them
   * (once). An error of one read is thrown by the read that uses it.
   */
  async prefetch(reads: ReadonlyArray<{ soql: Soql; includeDeleted?: boolean } | { describe: string }>): Promise<void> {
    const wanted = reads.filter((r) =>
      'soql' in r ? !this.prefetched.has(this.key(r.soql, r.includeDeleted === true)) : !this.describes.has(r.describe)
    );
    if (wanted.length === 0) return;
    const send: SendComposite = (body) => this.request('POST', '/composite', body);
    const answers = await compositeReads(wanted as Read[], this.conn.version, send);
    wanted.forEach((r, i) => {
      const a = answers[i];
      if ('soql' in r) this.prefetched.set(this.key(r.soql, r.includeDeleted === true), a);
      else {
        const p = a.ok ? Promise.resolve(a.body as DescribeResult) : Promise.reject(new OrgRequestError(a.errorCode, a.message));
        p.catch(() => undefined);
        this.describes.set(r.describe, p);
      }
    });
  }

  private async firstPage<T>(soql: Soql, includeDeleted: boolean): Promise<QueryResponse<T>> {
    const key = this.key(soql, includeDeleted);
    const ready = this.prefetched.get(key);
    if (ready) {
      this.prefetched.delete(key);
      if (!ready.ok) throw new OrgRequestError(ready.errorCode, ready.message);
      return asQueryResponse<T>(ready);
    }
    return this.request<QueryResponse<T>>('GET', `/${includeDeleted ? 'queryAll' : 'query'}?q=${encodeURIComponent(soql.text)}`);
  }

  /**
   * The pages of a query, one at a time (child-relationship results completed). A query without child
   * subqueries whose first page says it is large continues as a Bulk API 2.0 query job when a bulk client is
   * attached.
   */
  async *pages<T extends OrgRecord = OrgRecord>(soql: Soql, opts: ReadOptions = {}): AsyncGenerator<Page<T>> {
    const includeDeleted = opts.includeDeleted === true;
    const bulk = this.bulk;
    if (
      bulk &&
      opts.expected !== undefined &&
      opts.expected > Math.max(this.bulkQueryThreshold, REST_QUERY_PAGE) &&
      !hasSubquery(soql) &&
      !this.prefetched.has(this.key(soql, includeDeleted))
    ) {
      for await (const records of bulk.queryPages(soql, { includeDeleted, expected: opts.expected }))
        yield { records: records as T[], totalSize: opts.expected };
      return;
    }
    const first = await this.firstPage<T>(soql, includeDeleted);
    if (bulk && !first.done && first.totalSize > this.bulkQueryThreshold && !hasSubquery(soql)) {
      for await (const records of bulk.queryPages(soql, { includeDeleted, expected: first.totalSize })) {
        yield { records: records as T[], totalSize: first.totalSize };
      }
      return;
    }
    for await (const page of followPages<T>(first, this.nextPage)) {
      await completeChildren(page.records, this.nextPage);
      yield { records: page.records, totalSize: page.totalSize };
    }
  }

  /** Whether a Bulk API 2.0 client is attached (large reads and writes can go to jobs). */
  get bulkAttached(): boolean {
    return this.bulk !== undefined;
  }

  /**
   * Whether a read of this many records goes to Bulk API 2.0 query jobs (a bulk client is attached and the
   * count is above `bulkQueryThreshold`): callers that would read it with child subqueries read it with
   * `joined` instead.
   */
  readsInBulk(records: number): boolean {
    return this.bulk !== undefined && records > this.bulkQueryThreshold;
  }

  /**
   * Parents and their children read with one Bulk API 2.0 query job per object and joined here (bulkJoin.ts),
   * one partition of parents at a time: what a query with child subqueries gives, for reads too large for
   * REST pages. Needs a bulk client (see `readsInBulk`).
   */
  async *joined(spec: JoinSpec): AsyncGenerator<OrgRecord[]> {
    const bulk = this.bulk;
    if (!bulk) throw new Error('a joined read needs Bulk API 2.0 (this OrgData reads over REST only)');
    await bulk.prepare?.([spec.parent, ...spec.children.map((c) => c.soql)]);
    yield* joinedPages(
      (q, includeDeleted, expected) =>
        bulk.startQuery(q, { includeDeleted, pageSize: JOIN_PAGE_SIZE, chunkSize: JOIN_CHUNK_SIZE, expected }),
      spec
    );
  }

  /** Every record of a query that is known to be small (setup data); throws past `max` records (default 10,000). */
  async all<T extends OrgRecord = OrgRecord>(soql: Soql, opts: ReadOptions & { max?: number } = {}): Promise<T[]> {
    const max = opts.max ?? 10_000;
    const out: T[] = [];
    for await (const page of this.pages<T>(soql, opts)) {
      out.push(...page.records);
      if (out.length > max) throw new Error(`more than ${max} rows from: ${soql.text.slice(0, 80)}…`);
    }
    return out;
  }

  /** The number of records a `SELECT COUNT() FROM …` query counts (its totalSize; one request). */
  async count(soql: Soql, opts: ReadOptions = {}): Promise<number> {
    return (await this.firstPage<OrgRecord>(soql, opts.includeDeleted === true)).totalSize;
  }

  /** An object's describe (read once per OrgData). */
  describe(sobject: string): Promise<DescribeResult> {
    let p = this.describes.get(sobject);
    if (!p) {
      if (!/^[A-Za-z][A-Za-z0-9_]*$/.test(sobject)) throw new TypeError(`not an sObject name: ${sobject}`);
      p = this.request<DescribeResult>('GET', `/sobjects/${sobject}/describe`);
      p.catch(() => this.describes.delete(sobject));
      this.describes.set(sobject, p);
    }
    return p;
  }

  /**
   * The describes of several objects: those not read yet in one `/composite` request (a single one as a plain
   * request), each object read once per OrgData.
   */
  async describeAll(sobjects: readonly string[]): Promise<DescribeResult[]> {
    const missing = [...new Set(sobjects)].filter((s) => !this.describes.has(s));
    if (missing.length > 1) await this.prefetch(missing.map((describe) => ({ describe })));
    return Promise.all(sobjects.map((s) => this.describe(s)));
  }

  /** The picklist values of a field, from the object's describe. */
  async picklist(sobject: string, field: string): Promise<PicklistEntry[]> {
    const d = await this.describe(sobject);
    const f = d.fields.find((x) => x.name === field);
    if (!f) throw new Error(`${sobject}.${field} is not in the ${sobject} describe`);
    return f.picklistValues ?? [];
  }

  /**
   * Inserts records (any number; collections of 200, or a Bulk ingest job when large). `ids: false` for a caller
   * that needs only each record's success or errors: a Bulk job then skips downloading its successful rows
   * (their results carry the input's Id, if any, and no `created`; see bulkClient.ts). Records kept as RecordRows
   * (recordRows.ts) are written alike, from their lines (so are updates and upserts).
   */
  insert(sobject: string, records: RecordsToWrite, opts: WriteOptions = {}): Promise<SaveResult[]> {
    return this.write('insert', sobject, records, opts);
  }

  /** Updates records by Id. */
  update(sobject: string, records: RecordsToWrite, opts: WriteOptions = {}): Promise<SaveResult[]> {
    return this.write('update', sobject, records, opts);
  }

  /** Upserts records on an external ID field. */
  upsert(sobject: string, externalIdField: string, records: RecordsToWrite, opts: WriteOptions = {}): Promise<SaveResult[]> {
    return this.write('upsert', sobject, records, { ...opts, externalIdField });
  }

  /** Deletes records by Id (`sobject` names them for beforeWrite and Bulk). */
  delete(sobject: string, ids: readonly string[], opts: WriteOptions = {}): Promise<SaveResult[]> {
    return this.write(
      'delete',
      sobject,
      ids.map((Id) => ({ Id })),
      opts
    );
  }

  private async write(
    operation: WriteOperation,
    sobject: string,
    records: RecordsToWrite,
    opts: WriteOptions & { externalIdField?: string }
  ): Promise<SaveResult[]> {
    if (records.length === 0) return [];
    const allOrNone = opts.allOrNone === true;
    const bulk = this.bulk;
    if (bulk && !allOrNone && records.length > this.bulkIngestThreshold) {
      this.writes++;
      this.recordsWritten += records.length;
      await this.options.beforeWrite?.({ sobject, operation, records: records.length, index: this.writes });
      return bulk.ingest(sobject, operation, records, { externalIdField: opts.externalIdField, ids: opts.ids });
    }
    const out: SaveResult[] = [];
    for (let i = 0; i < records.length; i += COLLECTION_SIZE) {
      // (kept records are decoded a collection at a time)
      const chunk = records.slice(i, i + COLLECTION_SIZE);
      this.writes++;
      await this.options.beforeWrite?.({ sobject, operation, records: chunk.length, index: this.writes });
      const req = collectionRequest(operation, sobject, chunk, { allOrNone, externalIdField: opts.externalIdField });
      this.recordsWritten += chunk.length;
      const results = await this.request<Array<Partial<SaveResult>>>(req.method, req.url, req.body);
      out.push(...results.map(normalizeResult));
    }
    return out;
  }
}

/**
 * Records per Bulk query result page in a joined read: each page is one request, and a joined read of a large
 * org reads millions of child rows (the org decides a page's size when none is given; a client may ask for
 * fewer, `maxRecords`: https://developer.salesforce.com/docs/atlas.en-us.api_asynch.meta/api_asynch/query_get_job_results.htm).
 */
const JOIN_PAGE_SIZE = 250_000;

/**
 * Records of a joined read's result page typed and routed at a time: a page of 250,000 rows is parsed as it is
 * routed, so its text is held whole but not all its records at once (twice over: as read and as typed).
 */
const JOIN_CHUNK_SIZE = 10_000;

/** A child-relationship subquery in the select list (Bulk API 2.0 query jobs do not take them). */
function hasSubquery(soql: Soql): boolean {
  return /\(\s*SELECT\b/i.test(soql.text);
}

/** A threshold from the environment (a whole number ≥ 0), or the default. */
function threshold(name: string, fallback: number): number {
  const v = process.env[name];
  if (v === undefined || v === '') return fallback;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0) throw new Error(`${name} must be a whole number of records, not "${v}"`);
  return n;
}
