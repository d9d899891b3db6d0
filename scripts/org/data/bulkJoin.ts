/**
 * Parents with their children, read as one Bulk API 2.0 query job per object instead of one REST query with
 * child subqueries per page: Bulk query jobs do not take parent-to-child subqueries ("Parent-to-child
 * relationship queries" are not supported, https://developer.salesforce.com/docs/atlas.en-us.api_asynch.meta/api_asynch/queries.htm),
 * and ORDER BY, which a streaming merge of sorted results would need, turns off the chunking that lets a
 * large job finish (same page), so the results come in the org's own order.
 *
 * The join is a partitioned hash join with bounded memory: every row (a parent, or a child routed to the
 * parent keys it belongs to) goes to one of `buckets` partitions by a hash of its parent key — kept in
 * memory when there is one partition, spilled to a temporary file per partition otherwise — and then each
 * partition is read back on its own, its children attached to their parents as the REST API attaches a
 * subquery's results (`{ totalSize, done, records }`), so `children(row, 'Histories')` reads either path alike.
 * Memory follows the size of one partition, not the org.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { OrgRecord } from './paging';
import type { Soql } from './soql';
import type { StartedRead } from './bulkTypes';
import { cellOf, SEP, valueOf } from './recordRows';
import { recordTemplate } from './recordShape';

/** One object read for the join: its rows go to the parent keys `route` names, under a relationship name. */
export interface JoinChildren {
  soql: Soql;
  includeDeleted?: boolean;
  /**
   * The parents a row belongs to: pairs of a parent key (15-character Id) and the relationship name it is
   * attached under. A key that names no parent of the join drops the row.
   */
  route(row: OrgRecord): ReadonlyArray<readonly [key: string, relationship: string]>;
  /** Fields read only to route the row, cleared (left undefined) before it is attached. */
  routingOnly?: readonly string[];
  /** Checked just before the read (after the parents and the children listed before it): false skips it. */
  when?(): boolean;
}

export interface JoinSpec {
  parent: Soql;
  includeDeleted?: boolean;
  /** The parents the read gives, when counted before: paces the status checks of the parents' job. */
  expected?: number;
  /** Runs on each parent as it is read, before any child is (the routes may need what the parents say). */
  onParent?(row: OrgRecord): void;
  /**
   * Runs once every row has been read and routed, before the first partition is given: what was kept only to route
   * rows (keys of the parents a child may belong to) can be let go, as the partitions are read and used.
   */
  onRead?(): void;
  children: readonly JoinChildren[];
  /** Partitions (≥ 1): one keeps everything in memory, more spill to temporary files. */
  buckets: number;
  /** Every relationship name a parent gets (empty when it has no such child), as REST answers a subquery. */
  relationships: readonly string[];
}

/** Starts one query's job (the data layer's Bulk query path); its typed records are read with `pages()`. */
export type StartRead = (soql: Soql, includeDeleted: boolean, expected?: number) => StartedRead;

/** The 15-character form of an Id (or of a key's leading Id), or '' for none. */
export function id15(v: unknown): string {
  return typeof v === 'string' && v.length >= 15 ? v.slice(0, 15) : '';
}

/**
 * The string with characters of its own. A value cut from a larger text (a page of query results, a line) by
 * `slice` or `split` shares that text's characters in V8 and keeps all of it alive while the value lives: a key
 * kept for a whole run (an Id in a set of every record read) is copied first, so it holds its few characters only.
 */
export function ownCopy(s: string): string {
  return Buffer.from(s, 'utf8').toString('utf8');
}

function bucketOf(key: string, buckets: number): number {
  if (buckets === 1) return 0;
  let h = 5381;
  for (let i = 0; i < key.length; i++) h = ((h << 5) + h + key.charCodeAt(i)) | 0;
  return (h >>> 0) % buckets;
}

/** A row in a partition: a parent (relationship null) or a child attached under a relationship. */
type Entry = [key: string, relationship: string | null, record: OrgRecord];

interface Partitions {
  /** `omit`: fields of the record left out (read only to route it) */
  add(bucket: number, entry: Entry, omit?: readonly string[]): void;
  /** The entries of one partition (and forgets them). */
  take(bucket: number): Entry[];
  close(): void;
}

/*
 * A spilled entry is one line: its key, its relationship ('' for a parent), the number of its record's shape (the
 * object and its field names, in order, kept in memory once) and each value, separated by U+0001 and tagged by
 * its first character (recordRows.ts `cellOf`) — `s` text, `n` number, `t`/`f` boolean, `_` null, `j` JSON (a parent
 * record, or text holding a separator or a line break). Reading such a line back is a split and a record built in its shape:
 * a third of the cost of JSON lines of the records, which were most of a large joined read's time.
 */
/** Bytes read from a partition's file at a time. */
const READ_CHUNK = 8 << 20;

interface Shape {
  type: string;
  fields: string[];
  /** what its records are copied from (recordShape.ts): as a parent (with its relationships) and as a child */
  parent?: OrgRecord;
  child?: OrgRecord;
}

function sameFields(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Lines of entries and the shapes they name (see above); a parent read back has its `relationships`, null. */
function entryCodec(relationships: readonly string[]): { line(e: Entry, omit?: readonly string[]): string; entry(line: string): Entry } {
  const shapes: Shape[] = [];
  const known = new Map<string, number>();
  // rows of one query come with the same fields in the same order: the last shape of each object is tried first
  const last = new Map<string, number>();
  const shapeOf = (record: OrgRecord, omit: readonly string[] | undefined): number => {
    const attributes = record.attributes as { type?: unknown } | undefined;
    const type = attributes?.type;
    // a record with other attributes (or none) travels whole, as JSON
    if (typeof type !== 'string' || Object.keys(attributes as object).length !== 1) return -1;
    const keys = Object.keys(record);
    if (keys[0] !== 'attributes') return -1;
    // a field cleared (undefined) is no field, as JSON has it
    const fields = keys.slice(1).filter((k) => record[k] !== undefined && !omit?.includes(k));
    const tried = last.get(type);
    if (tried !== undefined && sameFields(shapes[tried].fields, fields)) return tried;
    const signature = `${type}\u0000${fields.join('\u0000')}`;
    let n = known.get(signature);
    if (n === undefined) {
      n = shapes.length;
      shapes.push({ type, fields });
      known.set(signature, n);
    }
    last.set(type, n);
    return n;
  };
  return {
    line([key, relationship, record], omit) {
      const n = shapeOf(record, omit);
      if (n < 0) {
        for (const f of omit ?? []) delete record[f];
        return `${key}${SEP}${relationship ?? ''}${SEP}-1${SEP}${JSON.stringify(record)}\n`;
      }
      const cells = [key, relationship ?? '', String(n)];
      for (const f of shapes[n].fields) cells.push(cellOf(record[f]));
      return `${cells.join(SEP)}\n`;
    },
    entry(line) {
      const cells = line.split(SEP);
      const relationship = cells[1] === '' ? null : cells[1];
      const n = Number(cells[2]);
      if (n < 0) return [cells[0], relationship, JSON.parse(cells.slice(3).join(SEP)) as OrgRecord];
      const shape = shapes[n];
      const template =
        relationship === null
          ? (shape.parent ??= recordTemplate(['attributes', ...shape.fields, ...relationships]))
          : (shape.child ??= recordTemplate(['attributes', ...shape.fields]));
      const record: OrgRecord = { ...template };
      record.attributes = { type: shape.type };
      for (let i = 0; i < shape.fields.length; i++) record[shape.fields[i]] = valueOf(cells[i + 3]);
      return [cells[0], relationship, record];
    }
  };
}

/**
 * Characters buffered per partition before they are appended to its file: the buffers of every partition are in
 * memory at once, so they stay small (a large org has hundreds of partitions).
 */
const SPILL_BUFFER = 64 << 10;

/**
 * Partitions in files of lines (above), written through a buffer per partition. A file is opened for each
 * append, not held open, so the number of partitions is not bounded by the process's open files.
 */
function onDisk(buckets: number, relationships: readonly string[]): Partitions {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'closed-loop-join-'));
  const files = Array.from({ length: buckets }, (_, b) => path.join(dir, `${b}.lines`));
  const pending: string[][] = Array.from({ length: buckets }, () => []);
  const sizes = new Array<number>(buckets).fill(0);
  const codec = entryCodec(relationships);
  const write = (b: number) => {
    if (pending[b].length === 0) return;
    fs.appendFileSync(files[b], pending[b].join(''));
    pending[b] = [];
    sizes[b] = 0;
  };
  return {
    add(b, e, omit) {
      const line = codec.line(e, omit);
      pending[b].push(line);
      sizes[b] += line.length;
      if (sizes[b] > SPILL_BUFFER) write(b);
    },
    take(b) {
      write(b);
      if (!fs.existsSync(files[b])) return [];
      const out: Entry[] = [];
      // read in slices so one partition's text never has to be one string, each line decoded on its own: a value
      // cut from a larger text keeps that whole text alive as long as it lives (V8 strings made by split or slice
      // share their parent's characters), and a value taken from a record (an Id in a write waiting for its batch,
      // a key kept for the run) must hold its line at most, not a slice of megabytes
      const fd = fs.openSync(files[b], 'r');
      let chunk = Buffer.alloc(READ_CHUNK);
      /** bytes at the start of `chunk`: the end of the last slice, a line not finished in it */
      let kept = 0;
      try {
        for (;;) {
          if (kept === chunk.length) chunk = Buffer.concat([chunk, Buffer.alloc(chunk.length)]);
          const n = fs.readSync(fd, chunk, kept, chunk.length - kept, null);
          if (n === 0) break;
          const filled = chunk.subarray(0, kept + n);
          let start = 0;
          // a line break byte is never part of a character of several bytes in UTF-8
          for (let end = filled.indexOf(10, start); end >= 0; end = filled.indexOf(10, start)) {
            if (end > start) out.push(codec.entry(filled.toString('utf8', start, end)));
            start = end + 1;
          }
          filled.copy(chunk, 0, start);
          kept = filled.length - start;
        }
        if (kept > 0) out.push(codec.entry(chunk.toString('utf8', 0, kept)));
      } finally {
        fs.closeSync(fd);
        fs.rmSync(files[b], { force: true });
      }
      return out;
    },
    close() {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  };
}

/**
 * The parents of `spec.parent` with their children attached, one partition (a page) at a time. Parents come
 * in the org's order within a partition; each parent once.
 *
 * The reads run one after the other, but each job is created as the one before it finishes, so the org runs
 * the next query while this process reads the results before it (a child with `when` is started in its turn,
 * once what it depends on has been read). A job started and not read (an error, or a reader that stopped) is
 * cancelled.
 */
export async function* joinedPages(start: StartRead, spec: JoinSpec): AsyncGenerator<OrgRecord[]> {
  const buckets = Math.max(1, Math.floor(spec.buckets));
  if (buckets === 1) {
    yield* joinedInMemory(start, spec);
    return;
  }
  const parts = onDisk(buckets, spec.relationships);
  try {
    for await (const { child, rows } of jobPages(start, spec)) {
      for (const row of rows) {
        if (child === null) {
          spec.onParent?.(row);
          const key = id15(row.Id);
          parts.add(bucketOf(key, buckets), [key, null, row]);
          continue;
        }
        const routes = child.route(row);
        if (routes.length === 0) continue;
        for (const [key, relationship] of routes) parts.add(bucketOf(key, buckets), [key, relationship, row], child.routingOnly);
      }
    }
    spec.onRead?.();
    for (let b = 0; b < buckets; b++) {
      const entries = parts.take(b);
      const parents = new Map<string, OrgRecord>();
      for (const [key, relationship, record] of entries) {
        if (relationship !== null) continue;
        for (const rel of spec.relationships) record[rel] = null;
        parents.set(key, record);
      }
      for (const [key, relationship, record] of entries) {
        if (relationship === null) continue;
        const parent = parents.get(key);
        if (parent) attach(parent, relationship, record);
      }
      if (parents.size > 0) yield [...parents.values()];
    }
  } finally {
    parts.close();
  }
}

/**
 * One partition, in memory: the parents are read first, so each child is attached to its parent as it is read
 * (no entry kept per row, no second pass) — the same records, in the same order, as a partition taken whole.
 */
async function* joinedInMemory(start: StartRead, spec: JoinSpec): AsyncGenerator<OrgRecord[]> {
  const parents = new Map<string, OrgRecord>();
  for await (const { child, rows } of jobPages(start, spec)) {
    for (const row of rows) {
      if (child === null) {
        spec.onParent?.(row);
        for (const rel of spec.relationships) row[rel] = null;
        parents.set(id15(row.Id), row);
        continue;
      }
      const routes = child.route(row);
      if (routes.length === 0) continue;
      // cleared, not deleted: a deleted property turns a record into a slow dictionary twice its size, which a join
      // holding a million children pays for in memory and collection time (what reads the record sees the same)
      for (const f of child.routingOnly ?? []) row[f] = undefined;
      for (const [key, relationship] of routes) {
        const parent = parents.get(key);
        if (parent) attach(parent, relationship, row);
      }
    }
  }
  spec.onRead?.();
  if (parents.size > 0) yield [...parents.values()];
}

/** A child under its parent's relationship, as the REST API answers a subquery. */
function attach(parent: OrgRecord, relationship: string, record: OrgRecord): void {
  const list = parent[relationship] as { totalSize: number; done: true; records: OrgRecord[] } | null;
  if (list) {
    list.records.push(record);
    list.totalSize++;
  } else parent[relationship] = { totalSize: 1, done: true, records: [record] };
}

/**
 * The pages of the parent's job, then of each child's (a child with `when` read only if it says so), each job
 * created as the one before it finishes; a job started and not read is cancelled.
 */
async function* jobPages(start: StartRead, spec: JoinSpec): AsyncGenerator<{ child: JoinChildren | null; rows: OrgRecord[] }> {
  const reads: Array<{ soql: Soql; includeDeleted: boolean; expected?: number; child: JoinChildren | null }> = [
    { soql: spec.parent, includeDeleted: spec.includeDeleted === true, expected: spec.expected, child: null },
    ...spec.children.map((child) => ({ soql: child.soql, includeDeleted: child.includeDeleted === true, child }))
  ];
  const started = new Map<number, StartedRead>();
  const read = new Set<number>();
  const begin = (i: number): StartedRead => {
    let r = started.get(i);
    if (!r) {
      r = start(reads[i].soql, reads[i].includeDeleted, reads[i].expected);
      started.set(i, r);
    }
    return r;
  };
  try {
    for (let i = 0; i < reads.length; i++) {
      const { child } = reads[i];
      if (child?.when && !child.when()) continue;
      const current = begin(i);
      read.add(i);
      await current.done.catch(() => undefined);
      const ahead = reads.findIndex((r, j) => j > i && !r.child?.when);
      if (ahead > 0) begin(ahead);
      for await (const rows of current.pages()) yield { child, rows };
    }
  } finally {
    for (const [i, r] of started) if (!read.has(i)) await r.cancel();
  }
}
