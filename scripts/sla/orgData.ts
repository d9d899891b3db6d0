/**
 * The sync's data-access layer: every read and write the SLA sync makes goes through one `OrgData`,
 * over the REST API with jsforce, as against any org (the local org or a real one).
 *
 * - Reads are streamed: `pages(soql)` yields one page of records at a time (query, then queryMore on
 *   `nextRecordsUrl`), child-relationship results that the org paged are completed, and nothing holds
 *   a whole table. `queryAll` (deleted and archived rows too) is the default, because the SLA rules need
 *   deleted records and year-old activities.
 * - Writes go in sObject Collections of at most 200 records (`/composite/sobjects`, allOrNone false): one
 *   result per record, so one bad record never hides the others.
 * - Every HTTP request is counted (`requests`), and `beforeWrite` runs before each write request (tests
 *   interrupt a sync there, to prove a re-run converges).
 *
 * The clock rules never see this layer: they get plain rows. A Bulk API 2.0 implementation of the same
 * methods (`pages` over a query job's CSV results, writes as ingest jobs) can replace it for large volumes.
 */
import type { Connection } from 'jsforce';

/** A record as the REST API returns it. */
export interface OrgRecord {
  attributes?: { type: string; url?: string };
  Id?: string;
  [field: string]: unknown;
}

/** A child-relationship result inside a parent record. */
interface ChildResult {
  totalSize: number;
  done: boolean;
  nextRecordsUrl?: string;
  records: OrgRecord[];
}

interface QueryResponse<T> {
  totalSize: number;
  done: boolean;
  nextRecordsUrl?: string;
  records: T[];
}

/** One page of a query: its records and the query's total size. */
export interface Page<T> {
  records: T[];
  totalSize: number;
}

export interface SaveError {
  statusCode: string;
  message: string;
  fields: string[];
}

/** One record's outcome in a collection request, in input order. */
export interface SaveResult {
  id: string | null;
  success: boolean;
  created?: boolean;
  errors: SaveError[];
}

export type WriteOperation = 'insert' | 'update' | 'upsert';

/** What `beforeWrite` is told about the write request about to be sent. */
export interface WriteRequest {
  sobject: string;
  operation: WriteOperation;
  /** records in this request (1–200) */
  records: number;
  /** 1 for the first write request of this OrgData, 2 for the next, … */
  index: number;
}

export interface OrgDataOptions {
  /** Runs before every write request; throwing stops the caller there (tests simulate a crash with it). */
  beforeWrite?: (request: WriteRequest) => void | Promise<void>;
}

/** The most records one sObject Collections request takes. */
export const COLLECTION_SIZE = 200;

/** A describe's picklist entry. */
export interface PicklistEntry {
  value: string;
  label: string;
  active: boolean;
}

export class OrgData {
  /** HTTP requests made so far (reads and writes). */
  requests = 0;
  /** write requests made so far */
  writes = 0;

  constructor(
    readonly conn: Connection,
    private readonly options: OrgDataOptions = {}
  ) {}

  /** The org's base URL (for links in escalation tasks). */
  get instanceUrl(): string {
    return this.conn.instanceUrl;
  }

  private async request<T>(method: 'GET' | 'POST' | 'PATCH', url: string, body?: unknown): Promise<T> {
    this.requests++;
    return this.conn.request<T>({
      method,
      url,
      ...(body === undefined ? {} : { body: JSON.stringify(body), headers: { 'Content-Type': 'application/json' } })
    });
  }

  /**
   * The pages of a SOQL query, one at a time (2,000 records a page on most orgs; fewer with child
   * subqueries). Child-relationship results the org paged are fetched to the end before the page is
   * yielded. `includeDeleted` (default true) uses queryAll.
   */
  async *pages<T extends OrgRecord>(soql: string, opts: { includeDeleted?: boolean } = {}): AsyncGenerator<Page<T>> {
    const resource = opts.includeDeleted === false ? 'query' : 'queryAll';
    let res = await this.request<QueryResponse<T>>('GET', `/${resource}?q=${encodeURIComponent(soql)}`);
    for (;;) {
      await this.completeChildren(res.records);
      yield { records: res.records, totalSize: res.totalSize };
      if (res.done || !res.nextRecordsUrl) return;
      res = await this.request<QueryResponse<T>>('GET', res.nextRecordsUrl);
    }
  }

  /** Every record of a query that is known to be small (setup data); throws past `max` records. */
  async all<T extends OrgRecord>(soql: string, opts: { includeDeleted?: boolean; max?: number } = {}): Promise<T[]> {
    const max = opts.max ?? 10_000;
    const out: T[] = [];
    for await (const page of this.pages<T>(soql, { includeDeleted: opts.includeDeleted ?? false })) {
      out.push(...page.records);
      if (out.length > max) throw new Error(`more than ${max} rows from: ${soql.slice(0, 80)}…`);
    }
    return out;
  }

  private async completeChildren(records: OrgRecord[]): Promise<void> {
    for (const rec of records) {
      for (const value of Object.values(rec)) {
        if (!isChildResult(value) || value.done || !value.nextRecordsUrl) continue;
        let next: string | undefined = value.nextRecordsUrl;
        while (next) {
          const more: QueryResponse<OrgRecord> = await this.request<QueryResponse<OrgRecord>>('GET', next);
          value.records.push(...more.records);
          next = more.done ? undefined : more.nextRecordsUrl;
        }
        value.done = true;
        delete value.nextRecordsUrl;
      }
    }
  }

  /** The picklist values of a field, from the object's describe. */
  async picklist(sobject: string, field: string): Promise<PicklistEntry[]> {
    const d = await this.request<{ fields: Array<{ name: string; picklistValues?: PicklistEntry[] }> }>(
      'GET',
      `/sobjects/${sobject}/describe`
    );
    const f = d.fields.find((x) => x.name === field);
    if (!f) throw new Error(`${sobject}.${field} is not in the ${sobject} describe`);
    return f.picklistValues ?? [];
  }

  /** Inserts records (any number; sent 200 a request). */
  insert(sobject: string, records: readonly Record<string, unknown>[]): Promise<SaveResult[]> {
    return this.collections(sobject, 'insert', records, (chunk) =>
      this.request('POST', '/composite/sobjects', { allOrNone: false, records: chunk.map((r) => typed(sobject, r)) })
    );
  }

  /** Updates records by Id (any number; sent 200 a request). */
  update(sobject: string, records: readonly Record<string, unknown>[]): Promise<SaveResult[]> {
    return this.collections(sobject, 'update', records, (chunk) =>
      this.request('PATCH', '/composite/sobjects', { allOrNone: false, records: chunk.map((r) => typed(sobject, r)) })
    );
  }

  /** Upserts records on an external ID field (any number; sent 200 a request). */
  upsert(sobject: string, externalIdField: string, records: readonly Record<string, unknown>[]): Promise<SaveResult[]> {
    return this.collections(sobject, 'upsert', records, (chunk) =>
      this.request('PATCH', `/composite/sobjects/${sobject}/${externalIdField}`, {
        allOrNone: false,
        records: chunk.map((r) => typed(sobject, r))
      })
    );
  }

  private async collections(
    sobject: string,
    operation: WriteOperation,
    records: readonly Record<string, unknown>[],
    send: (chunk: readonly Record<string, unknown>[]) => Promise<unknown>
  ): Promise<SaveResult[]> {
    const out: SaveResult[] = [];
    for (let i = 0; i < records.length; i += COLLECTION_SIZE) {
      const chunk = records.slice(i, i + COLLECTION_SIZE);
      this.writes++;
      await this.options.beforeWrite?.({ sobject, operation, records: chunk.length, index: this.writes });
      const results = (await send(chunk)) as SaveResult[];
      out.push(...results.map(normalizeResult));
    }
    return out;
  }
}

function typed(sobject: string, record: Record<string, unknown>): Record<string, unknown> {
  return { attributes: { type: sobject }, ...record };
}

function isChildResult(v: unknown): v is ChildResult {
  return typeof v === 'object' && v !== null && Array.isArray((v as ChildResult).records) && typeof (v as ChildResult).done === 'boolean';
}

/** Collections answer errors as `{statusCode, message, fields}`; some orgs say `errorCode`. */
function normalizeResult(r: SaveResult): SaveResult {
  return {
    id: r.id ?? null,
    success: r.success === true,
    ...(r.created === undefined ? {} : { created: r.created }),
    errors: (r.errors ?? []).map((e) => {
      const x = e as Partial<SaveError> & { errorCode?: string };
      return { statusCode: x.statusCode ?? x.errorCode ?? 'UNKNOWN', message: x.message ?? '', fields: x.fields ?? [] };
    })
  };
}

/** Child-relationship records of a parent row (empty when the relationship has none: the API gives null). */
export function children<T = OrgRecord>(record: OrgRecord, relationship: string): T[] {
  const v = record[relationship];
  return isChildResult(v) ? (v.records as T[]) : [];
}

/** A SOQL string literal (quotes and backslashes escaped). */
export function soqlString(value: string): string {
  return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

/** `('a','b')` for an IN list. */
export function soqlList(values: readonly string[]): string {
  return `(${values.map(soqlString).join(',')})`;
}

/** Splits a list into runs of `size`. */
export function chunked<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
