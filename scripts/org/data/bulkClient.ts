/**
 * The data layer's Bulk API 2.0 (the `BulkClient` an OrgData takes) over our client in scripts/org/bulk2.ts:
 * the same records as the REST path gives and takes, so a caller cannot tell which path served it.
 *
 * - Reads: a query job's CSV values are strings (empty for null) and parent fields come as `Owner.Name`;
 *   here they are typed from the objects' describes as the REST API types them (booleans, numbers, datetimes
 *   as `…+0000`, a parent as a nested record or null) — one page of records at a time.
 * - Writes: one ingest (jobs of bounded size) per call, and its successful and failed results put back in the
 *   order of the input as `SaveResult`s. A caller that needs no Id (`ids: false`) costs one download fewer a job:
 *   only the failed rows are read, and a job that processed every record saved all the others (their result has
 *   the input's Id, if any, and no `created`); when the failed rows and the counts do not add up, the successful
 *   rows are read after all, so each record's outcome is the same either way. A job's result rows repeat the uploaded cells ("the row as
 *   uploaded", Bulk API 2.0 "Get Job Successful Record Results":
 *   https://developer.salesforce.com/docs/atlas.en-us.api_asynch.meta/api_asynch/get_job_successful_results.htm),
 *   so the cells tell which record a row is; `sf__Error` (`CODE:message:fields --`) becomes the
 *   `{statusCode, message, fields}` a collection answers.
 */
import type { Connection } from 'jsforce';
import type { Bulk2PollOptions } from '../bulk2';
import type { SaveError, SaveResult, WriteOperation } from './collections';
import type { BulkClient, BulkQueryOptions, StartedRead } from './bulkTypes';
import { compositeReads } from './composite';
import type { OrgRecord } from './paging';
import { RecordRows } from './recordRows';
import { recordTemplate } from './recordShape';
import type { Soql } from './soql';

export interface Bulk2ClientOptions extends Bulk2PollOptions {
  /** Records per query result page (default 50,000). */
  pageSize?: number;
  /**
   * Records per ingest job (default 500,000; a job also stays under 100 MB of CSV, scripts/org/bulk2.ts): a
   * job costs about six requests whatever its size, and one upload may take 150 MB
   * (https://developer.salesforce.com/docs/atlas.en-us.api_asynch.meta/api_asynch/bulk_common_limits.htm).
   */
  maxRecordsPerJob?: number;
  /**
   * The describes of several objects, read together (the data layer passes its own: those it read already are
   * not read again). By default the client reads those it lacks itself, several in one `/composite` request:
   * Composite counts "as a single call toward your API limits"
   * (https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/resources_composite_composite.htm),
   * where in a Composite Batch (`/composite/batch`) "each subrequest counts against rate limits"
   * (https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/resources_composite_batch.htm).
   */
  describes?: (sobjects: readonly string[]) => Promise<DescribeResult[]>;
}

/** The part of a describe this reads. */
export interface DescribeResult {
  fields: Array<{ name: string; type: string; relationshipName?: string | null; referenceTo?: string[] }>;
}
type FieldInfo = DescribeResult['fields'][number];

/** jsforce's bulk2 module loads only when a Bulk job is made (a CLI start-up does not pay for it). */
// eslint-disable-next-line @typescript-eslint/no-require-imports
const bulk2 = () => require('../bulk2') as typeof import('../bulk2');

/** A column of a query job's results: where its value goes in the record and how it is typed. */
interface Column {
  key: string;
  /** relationship names down to the field: `['ConvertedOpportunity']` for `ConvertedOpportunity.IsWon` */
  parents: string[];
  /** the sObject of each parent, for its `attributes` */
  parentTypes: string[];
  field: string;
  type: string;
}

const NUMBER_TYPES = new Set(['int', 'double', 'currency', 'percent', 'long']);

/** A CSV value typed as the REST API gives it. */
function typed(type: string, v: string): unknown {
  if (type === 'boolean') return v === 'true';
  if (v === '') return null;
  if (NUMBER_TYPES.has(type)) return Number(v);
  // the REST API writes datetimes with a numeric offset, query jobs in ISO 8601 UTC
  if (type === 'datetime' && v.endsWith('Z')) return `${v.slice(0, -1)}+0000`;
  return v;
}

/** `CODE:message:fields --` → a collection's error. */
export function parseSfError(text: string): SaveError {
  const i = text.indexOf(':');
  if (i < 0) return { statusCode: 'UNKNOWN', message: text, fields: [] };
  const rest = text.slice(i + 1).replace(/\s*--\s*$/, '');
  const j = rest.lastIndexOf(':');
  const fields =
    j < 0
      ? []
      : rest
          .slice(j + 1)
          .trim()
          .split(/\s+/)
          .filter(Boolean);
  return { statusCode: text.slice(0, i), message: (j < 0 ? rest : rest.slice(0, j)).trim(), fields };
}

export function bulk2Client(conn: Connection, options: Bulk2ClientOptions = {}): BulkClient {
  const cache = new Map<string, Promise<DescribeResult>>();
  // on its own, the client reads the describes it lacks together (composite.ts packs them)
  const describes =
    options.describes ??
    ((sobjects: readonly string[]): Promise<DescribeResult[]> => {
      const missing = [...new Set(sobjects)].filter((s) => !cache.has(s));
      const base = `/services/data/v${conn.version}`;
      if (missing.length === 1) cache.set(missing[0], conn.request<DescribeResult>(`${base}/sobjects/${missing[0]}/describe`));
      else if (missing.length > 1) {
        const answers = compositeReads(
          missing.map((describe) => ({ describe })),
          conn.version,
          (body) =>
            conn.request({
              method: 'POST',
              url: `${base}/composite`,
              body: JSON.stringify(body),
              headers: { 'Content-Type': 'application/json' }
            })
        );
        missing.forEach((s, i) =>
          cache.set(
            s,
            answers.then((all) => {
              const a = all[i];
              if (!a.ok) throw new Error(`${a.errorCode}: ${a.message}`);
              return a.body as DescribeResult;
            })
          )
        );
      }
      return Promise.all(sobjects.map((s) => cache.get(s) as Promise<DescribeResult>));
    });
  const poll: Bulk2PollOptions = {
    maxPollInterval: options.maxPollInterval,
    maxPacedWait: options.maxPacedWait,
    pollTimeout: options.pollTimeout
  };

  /**
   * The columns of each read, typed from the describes of its object and of the parents its columns name: the
   * describes one level down the relationships are read together, for all the reads at once.
   */
  async function columnsOf(reads: ReadonlyArray<{ object: string; keys: readonly string[] }>): Promise<Column[][]> {
    const walks = reads.map(({ object, keys }) =>
      keys.map((key) => ({
        key,
        parts: key.split('.'),
        sobject: object as string | undefined,
        parents: [] as string[],
        parentTypes: [] as string[],
        type: 'string'
      }))
    );
    const all = walks.flat();
    for (let level = 0; all.some((w) => w.parts.length > level); level++) {
      const at = all.filter((w) => w.parts.length > level && w.sobject !== undefined);
      const names = [...new Set(at.map((w) => w.sobject as string))];
      const described = new Map<string, DescribeResult>();
      (await describes(names)).forEach((d, i) => described.set(names[i], d));
      for (const w of at) {
        const fields = (described.get(w.sobject as string) as DescribeResult).fields;
        if (level === w.parts.length - 1) {
          w.type = fields.find((x) => x.name === w.parts[level])?.type ?? 'string';
          continue;
        }
        const rel = w.parts[level];
        const f: FieldInfo | undefined = fields.find((x) => x.relationshipName === rel);
        w.sobject = f?.referenceTo?.[0];
        // a polymorphic lookup's parent (Owner: User or queue) is typed `Name`, as the REST API answers
        w.parentTypes.push((f?.referenceTo?.length ?? 0) > 1 ? 'Name' : (w.sobject ?? rel));
        w.parents.push(rel);
      }
      // a walk whose relationship is unknown here keeps its parents as named, its field typed as text
      for (const w of all) {
        if (w.sobject === undefined && w.parts.length > level + 1 && w.parents.length === level) {
          w.parents.push(w.parts[level]);
          w.parentTypes.push(w.parts[level]);
        }
      }
    }
    return walks.map((list) =>
      list.map((w) => ({ key: w.key, parents: w.parents, parentTypes: w.parentTypes, field: w.parts[w.parts.length - 1], type: w.type }))
    );
  }

  async function columns(object: string, keys: string[]): Promise<Column[]> {
    return (await columnsOf([{ object, keys }]))[0];
  }

  function startQuery(soql: Soql, opts: BulkQueryOptions): StartedRead {
    const object = bulk2().fromObject(soql.text);
    const started = bulk2().startQuery(conn, soql.text, {
      ...poll,
      scanAll: opts.includeDeleted,
      pageSize: opts.pageSize ?? options.pageSize,
      chunkSize: opts.chunkSize,
      expectedRecords: opts.expected
    });
    return {
      // the job's status is checked from when it is wanted (scripts/org/bulk2.ts)
      get done() {
        return started.done;
      },
      cancel: () => started.cancel(),
      async *pages() {
        let cols: Column[] | undefined;
        let flat = false;
        let template: OrgRecord = {};
        // one `attributes` for every record of a read without parent fields (REST gives each its own, alike)
        const attributes = { type: object };
        // rows as arrays of values in the header's order: each typed into its record by the column's position
        for await (const { header, rows } of started.rowPages()) {
          if (!cols) {
            cols = await columns(object, [...header]);
            flat = cols.every((c) => c.parents.length === 0);
            template = recordTemplate(['attributes', ...cols.map((c) => c.field)]);
          }
          const c = cols;
          yield flat ? rows.map((row) => flatRecord(template, attributes, c, row)) : rows.map((row) => typedRecord(object, c, row));
        }
      }
    };
  }

  return {
    queryPages(soql: Soql, opts: BulkQueryOptions): AsyncIterable<OrgRecord[]> {
      return startQuery(soql, opts).pages();
    },

    startQuery,

    async prepare(queries: readonly Soql[]): Promise<void> {
      // a warm-up: a describe that fails is reported by the read that needs it
      await columnsOf(queries.map((q) => ({ object: bulk2().fromObject(q.text), keys: selectedFields(q.text) }))).catch(() => undefined);
    },

    async ingest(sobject, operation: WriteOperation, given, opts): Promise<SaveResult[]> {
      const { cellText, ingest } = bulk2();
      // kept records (RecordRows) are uploaded from their lines, each decoded only when its result must name it
      const rows = given instanceof RecordRows && operation !== 'delete' ? given : undefined;
      const array: readonly Record<string, unknown>[] = rows ? [] : given instanceof RecordRows ? given.slice(0, given.length) : given;
      const fields = operation === 'delete' ? ['Id'] : rows ? [...rows.fields] : uploadColumns(array);
      const keyOf = rows
        ? (i: number): string => rows.uploadTexts(i).join('\u0000')
        : (i: number): string => fields.map((f) => cellText(array[i][f])).join('\u0000');
      const idOf = rows ? (i: number): unknown => rows.value(i, 'Id') : (i: number): unknown => array[i].Id;
      const out: Array<SaveResult | undefined> = new Array<SaveResult | undefined>(rows ? rows.length : array.length);
      const withIds = opts.ids !== false;
      await ingest(conn, rows ?? array, {
        ...poll,
        object: sobject,
        operation,
        fields,
        ...(opts.externalIdField ? { externalIdFieldName: opts.externalIdField } : {}),
        maxRecordsPerJob: options.maxRecordsPerJob ?? 500_000,
        successfulResults: withIds,
        onResults: async (r) => {
          // each record of this job by its cells, to find its result rows by: made when a row is to be placed (a job
          // whose records all saved, read without Ids, places none)
          let waiting: Map<string, number[]> | undefined;
          const index = (): Map<string, number[]> => {
            if (waiting) return waiting;
            waiting = new Map<string, number[]>();
            for (let i = r.first; i < r.first + r.records; i++) {
              const key = keyOf(i);
              const list = waiting.get(key);
              if (list) list.push(i);
              else waiting.set(key, [i]);
            }
            return waiting;
          };
          const place = (row: Record<string, string>, result: SaveResult): boolean => {
            const i = index()
              .get(fields.map((f) => row[f] ?? '').join('\u0000'))
              ?.shift();
            if (i === undefined) return false;
            out[i] = result;
            return true;
          };
          const failure = (row: Record<string, string>): SaveResult => ({
            id: row.sf__Id || null,
            success: false,
            errors: [parseSfError(row.sf__Error ?? '')]
          });
          if (r.successful === null) {
            // no Id needed: the failed rows, and every other record of a job that processed them all, saved
            const accounted = r.failed.every((row) => place(row, failure(row))) && r.processed === r.records;
            if (accounted) {
              for (let i = r.first; i < r.first + r.records; i++) {
                const id = idOf(i);
                out[i] ??= { id: typeof id === 'string' && id !== '' ? id : null, success: true, errors: [] };
              }
              return;
            }
            // the counts do not add up: read the saved rows too, as a caller needing Ids would
            return placeAll(await r.loadSuccessful(), r.failed, r.first, r.records);
          }
          placeAll(r.successful, r.failed, r.first, r.records);

          function placeAll(successful: Array<Record<string, string>>, failed: Array<Record<string, string>>, first: number, n: number) {
            out.fill(undefined, first, first + n);
            waiting = undefined;
            for (const row of successful) {
              place(row, {
                id: row.sf__Id || null,
                success: true,
                // collections say `created` for upserts only
                ...(operation === 'upsert' ? { created: row.sf__Created === 'true' } : {}),
                errors: []
              });
            }
            for (const row of failed) place(row, failure(row));
          }
        }
      });
      return [...out].map(
        (r) =>
          r ?? {
            id: null,
            success: false,
            errors: [{ statusCode: 'UNPROCESSED', message: 'the Bulk API job gave no result for this record', fields: [] }]
          }
      );
    }
  };
}

/** The fields of the records, in the order they first appear (without `attributes`): an upload's columns. */
function uploadColumns(records: readonly Record<string, unknown>[]): string[] {
  const out = new Set<string>();
  for (const r of records) for (const k in r) if (k !== 'attributes' && Object.hasOwn(r, k)) out.add(k);
  return [...out];
}

/**
 * A result row of a read without parent fields, typed as the REST API gives it (typedRecord without parents),
 * copied from the read's template (recordShape.ts).
 */
function flatRecord(template: OrgRecord, attributes: { type: string }, cols: readonly Column[], row: readonly string[]): OrgRecord {
  const out: OrgRecord = { ...template };
  out.attributes = attributes;
  for (let i = 0; i < cols.length; i++) out[cols[i].field] = typed(cols[i].type, row[i] ?? '');
  return out;
}

/** A result row typed as the REST API gives it, parents nested (see the module's comment). */
function typedRecord(object: string, cols: readonly Column[], row: readonly string[]): OrgRecord {
  const out: OrgRecord = { attributes: { type: object } };
  // a parent whose every value is empty is a lookup that is not set: null, as the REST API gives it
  const setParents = new Set<OrgRecord>();
  for (let n = 0; n < cols.length; n++) {
    const c = cols[n];
    let target = out;
    for (let i = 0; i < c.parents.length; i++) {
      const rel = c.parents[i];
      if (target[rel] === undefined || target[rel] === null) target[rel] = { attributes: { type: c.parentTypes[i] } };
      target = target[rel] as OrgRecord;
    }
    const raw = row[n] ?? '';
    target[c.field] = typed(c.type, raw);
    // a checkbox of a missing parent still reads `false`: only a value or a `true` shows the parent is there
    if (raw !== '' && (c.type !== 'boolean' || raw === 'true') && c.parents.length > 0) setParents.add(target);
  }
  for (const c of cols) {
    if (c.parents.length !== 1) continue;
    const parent = out[c.parents[0]] as OrgRecord | null;
    if (parent && !setParents.has(parent) && !hasSetChild(parent, setParents)) out[c.parents[0]] = null;
  }
  return out;
}

function hasSetChild(record: OrgRecord, set: Set<OrgRecord>): boolean {
  return Object.values(record).some(
    (v) => typeof v === 'object' && v !== null && (set.has(v as OrgRecord) || hasSetChild(v as OrgRecord, set))
  );
}

/** The fields a query without subqueries selects, as its result columns name them. */
function selectedFields(text: string): string[] {
  const from = /\sFROM\s/i.exec(text);
  const head = from ? text.slice(0, from.index).trim() : '';
  if (!/^SELECT\s/i.test(head)) return [];
  return head
    .slice('SELECT'.length)
    .split(',')
    .map((f) => f.trim())
    .filter((f) => /^[A-Za-z][A-Za-z0-9_.]*$/.test(f));
}
