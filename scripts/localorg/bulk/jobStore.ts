import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Store } from '../store';
import type { Job } from './job';

/** Which results a stored piece belongs to. */
export type ResultKind = 'success' | 'failure' | 'query';

/** A stored piece of results: CSV rows (no header), the index of its first record, and where each row starts. */
export interface ResultPiece {
  first: number;
  rows: number;
  text: string;
  /** Start offset of each row in `text` (query results, which are served in any slice). */
  offsets?: Uint32Array;
}

/** A stored piece of a query job's results, read a run of its rows at a time as the bytes to send. */
export interface QueryResultPiece {
  first: number;
  rows: number;
  /** the UTF-8 of rows `from` (inclusive) to `to` (exclusive) of the piece */
  bytes(from: number, to: number): Buffer;
}

/** Job Ids are the org's own (750…): the only names a results file gets. */
const JOB_ID = /^750[A-Za-z0-9]{12}(?:[A-Za-z0-9]{3})?$/;

/** Uploads are kept in pieces of this size, so processing them reads a piece at a time. */
const UPLOAD_PIECE_BYTES = 1024 * 1024;

/**
 * Where jobs live: in the org's database, next to its records (for `:memory:` orgs, in memory),
 * until they are deleted — their state, their uploaded data and their results. A chunk's results
 * are written in the same transaction as its records, so a job's results always match the data.
 *
 * A query job's results are a copy of what it read, not part of the data: their text goes to a file of the job's
 * own in a folder beside the database (`<database>-bulk/`, a temporary folder for a `:memory:` org), and only
 * where each piece lies is written in the database. Written into the database, a 100,000-lead read's results
 * (1.1 million rows) cost the org more than the queries that made them: about two thirds of its CPU went to
 * inserting, committing, reading back and decoding their text, where a file is appended and served as bytes.
 */
export class JobStore {
  /** the folder of the query results files (made when the first is written) */
  private readonly dir: string;
  /** per job whose query results are being written: the size of its file and the next piece's number */
  private readonly writing = new Map<string, { size: number; seq: number }>();

  constructor(private readonly store: Store) {
    store.db.exec(`
      CREATE TABLE IF NOT EXISTS _bulk_job (id TEXT PRIMARY KEY, kind TEXT NOT NULL, job TEXT NOT NULL);
      CREATE TABLE IF NOT EXISTS _bulk_upload (job TEXT NOT NULL, seq INTEGER NOT NULL, data BLOB NOT NULL, PRIMARY KEY (job, seq)) WITHOUT ROWID;
      CREATE TABLE IF NOT EXISTS _bulk_result (job TEXT NOT NULL, kind TEXT NOT NULL, seq INTEGER NOT NULL, first INTEGER NOT NULL,
        rows INTEGER NOT NULL, text TEXT NOT NULL, offsets BLOB, PRIMARY KEY (job, kind, seq)) WITHOUT ROWID;
      CREATE TABLE IF NOT EXISTS _bulk_query_piece (job TEXT NOT NULL, seq INTEGER NOT NULL, first INTEGER NOT NULL,
        rows INTEGER NOT NULL, pos INTEGER NOT NULL, bytes INTEGER NOT NULL, offsets BLOB NOT NULL, PRIMARY KEY (job, seq)) WITHOUT ROWID;
    `);
    this.dir = store.file === ':memory:' ? fs.mkdtempSync(path.join(os.tmpdir(), 'closed-loop-bulk-')) : `${store.file}-bulk`;
    this.dropStrayFiles();
  }

  /** Deletes the query results files (a `:memory:` org's folder with them): the org is closing. */
  close(): void {
    if (this.store.file === ':memory:') fs.rmSync(this.dir, { recursive: true, force: true });
  }

  /** The file of a job's query results. */
  private fileOf(id: string): string {
    if (!JOB_ID.test(id)) throw new Error(`not a job Id: ${id}`);
    return path.join(this.dir, `${id}.csv`);
  }

  /** Files of jobs the database no longer has (deleted while the org was not running, or a copied database). */
  private dropStrayFiles(): void {
    // eslint-disable-next-line security/detect-non-literal-fs-filename -- the org's own folder beside its database
    if (!fs.existsSync(this.dir)) return;
    const known = new Set(this.store.all('SELECT id FROM _bulk_job').map((r) => String(r.id)));
    // eslint-disable-next-line security/detect-non-literal-fs-filename -- the org's own folder beside its database
    for (const name of fs.readdirSync(this.dir)) {
      const id = name.replace(/\.csv$/, '');
      if (!known.has(id)) fs.rmSync(path.join(this.dir, name), { force: true });
    }
  }

  private dropFile(id: string): void {
    this.writing.delete(id);
    fs.rmSync(this.fileOf(id), { force: true });
  }

  loadAll(): Job[] {
    return this.store.all('SELECT job FROM _bulk_job ORDER BY rowid').map((r) => JSON.parse(String(r.job)) as Job);
  }

  save(job: Job): void {
    this.store.run('INSERT INTO _bulk_job (id, kind, job) VALUES (?, ?, ?) ON CONFLICT(id) DO UPDATE SET job = excluded.job', [
      job.id,
      job.kind,
      JSON.stringify(job)
    ]);
  }

  remove(id: string): void {
    this.store.transaction(() => {
      this.store.run('DELETE FROM _bulk_job WHERE id = ?', [id]);
      this.store.run('DELETE FROM _bulk_upload WHERE job = ?', [id]);
      this.store.run('DELETE FROM _bulk_result WHERE job = ?', [id]);
      this.store.run('DELETE FROM _bulk_query_piece WHERE job = ?', [id]);
    });
    this.dropFile(id);
  }

  putUpload(id: string, data: Buffer): void {
    this.store.run('DELETE FROM _bulk_upload WHERE job = ?', [id]);
    for (let i = 0, seq = 0; i < data.length; i += UPLOAD_PIECE_BYTES, seq++) {
      this.store.run('INSERT INTO _bulk_upload (job, seq, data) VALUES (?, ?, ?)', [id, seq, data.subarray(i, i + UPLOAD_PIECE_BYTES)]);
    }
  }

  /** The uploaded data, a piece at a time (each read is its own statement: nothing stays open between pieces). */
  *uploadPieces(id: string): Generator<Uint8Array, void, undefined> {
    for (let seq = 0; ; seq++) {
      const row = this.store.get('SELECT data FROM _bulk_upload WHERE job = ? AND seq = ?', [id, seq]);
      if (!row) return;
      yield row.data as Uint8Array;
    }
  }

  appendResult(id: string, kind: ResultKind, piece: ResultPiece): void {
    if (piece.rows === 0) return;
    if (kind === 'query') return this.appendQueryResult(id, piece);
    const last = this.store.get('SELECT MAX(seq) AS s FROM _bulk_result WHERE job = ? AND kind = ?', [id, kind]);
    const seq = last?.s === null || last?.s === undefined ? 0 : Number(last.s) + 1;
    const offsets = piece.offsets ? Buffer.from(piece.offsets.buffer, piece.offsets.byteOffset, piece.offsets.byteLength) : null;
    this.store.run('INSERT INTO _bulk_result (job, kind, seq, first, rows, text, offsets) VALUES (?, ?, ?, ?, ?, ?, ?)', [
      id,
      kind,
      seq,
      piece.first,
      piece.rows,
      piece.text,
      offsets
    ]);
  }

  clearResults(id: string): void {
    this.store.run('DELETE FROM _bulk_result WHERE job = ?', [id]);
    this.store.run('DELETE FROM _bulk_query_piece WHERE job = ?', [id]);
    this.dropFile(id);
  }

  /**
   * Appends a piece of query results to the job's file and records where it lies (in the caller's transaction: a
   * piece whose transaction rolled back leaves bytes no piece points to, and the next is written after them).
   */
  private appendQueryResult(id: string, piece: ResultPiece): void {
    const file = this.fileOf(id);
    let at = this.writing.get(id);
    if (!at) {
      const last = this.store.get('SELECT MAX(seq) AS s, MAX(pos + bytes) AS size FROM _bulk_query_piece WHERE job = ?', [id]);
      at = { seq: last?.s === null || last?.s === undefined ? 0 : Number(last.s) + 1, size: 0 };
      // eslint-disable-next-line security/detect-non-literal-fs-filename -- fileOf: the org's folder and a job Id
      if (fs.existsSync(file)) at.size = fs.statSync(file).size;
      this.writing.set(id, at);
    }
    const data = Buffer.from(piece.text, 'utf8');
    const offsets = data.length === piece.text.length || !piece.offsets ? piece.offsets : byteOffsets(piece.text, piece.offsets);
    // eslint-disable-next-line security/detect-non-literal-fs-filename -- the org's own folder beside its database
    fs.mkdirSync(this.dir, { recursive: true });
    // eslint-disable-next-line security/detect-non-literal-fs-filename -- fileOf: the org's folder and a job Id
    fs.appendFileSync(file, data);
    const pos = at.size;
    at.size += data.length;
    const seq = at.seq++;
    const index = offsets ? Buffer.from(offsets.buffer, offsets.byteOffset, offsets.byteLength) : Buffer.alloc(0);
    this.store.run('INSERT INTO _bulk_query_piece (job, seq, first, rows, pos, bytes, offsets) VALUES (?, ?, ?, ?, ?, ?, ?)', [
      id,
      seq,
      piece.first,
      piece.rows,
      pos,
      data.length,
      index
    ]);
  }

  /** The pieces of a query job's results in order, from the piece holding record `from`. */
  *queryResults(id: string, from = 0): Generator<QueryResultPiece, void, undefined> {
    const file = this.fileOf(id);
    const start = this.store.get('SELECT MAX(seq) AS s FROM _bulk_query_piece WHERE job = ? AND first <= ?', [id, from]);
    for (let seq = start?.s === null || start?.s === undefined ? 0 : Number(start.s); ; seq++) {
      const row = this.store.get('SELECT first, rows, pos, bytes, offsets FROM _bulk_query_piece WHERE job = ? AND seq = ?', [id, seq]);
      if (!row) return;
      const raw = row.offsets as Uint8Array;
      const offsets = new Uint32Array(raw.buffer.slice(raw.byteOffset, raw.byteOffset + raw.byteLength));
      const rows = Number(row.rows);
      const pos = Number(row.pos);
      const size = Number(row.bytes);
      yield {
        first: Number(row.first),
        rows,
        bytes(a: number, b: number): Buffer {
          // eslint-disable-next-line security/detect-object-injection -- numeric indexes into the piece's row offsets
          const begin = offsets[a];
          // eslint-disable-next-line security/detect-object-injection -- numeric indexes into the piece's row offsets
          const end = b < rows ? offsets[b] : size;
          const out = Buffer.allocUnsafe(end - begin);
          // eslint-disable-next-line security/detect-non-literal-fs-filename -- fileOf: the org's folder and a job Id
          const fd = fs.openSync(file, 'r');
          try {
            let read = 0;
            while (read < out.length) {
              const n = fs.readSync(fd, out, read, out.length - read, pos + begin + read);
              if (n === 0) throw new Error(`the results file of job ${id} is shorter than its pieces say`);
              read += n;
            }
          } finally {
            fs.closeSync(fd);
          }
          return out;
        }
      };
    }
  }

  /** The stored pieces of a job's results in order, from the piece holding record `from` (one statement per piece). */
  *results(id: string, kind: ResultKind, from = 0): Generator<ResultPiece, void, undefined> {
    const start = this.store.get('SELECT MAX(seq) AS s FROM _bulk_result WHERE job = ? AND kind = ? AND first <= ?', [id, kind, from]);
    for (let seq = start?.s === null || start?.s === undefined ? 0 : Number(start.s); ; seq++) {
      const row = this.store.get('SELECT first, rows, text, offsets FROM _bulk_result WHERE job = ? AND kind = ? AND seq = ?', [
        id,
        kind,
        seq
      ]);
      if (!row) return;
      const raw = row.offsets as Uint8Array | null;
      yield {
        first: Number(row.first),
        rows: Number(row.rows),
        text: String(row.text),
        offsets: raw ? new Uint32Array(raw.buffer.slice(raw.byteOffset, raw.byteOffset + raw.byteLength)) : undefined
      };
    }
  }
}

/** Row offsets in a piece's text (UTF-16 positions) as offsets in its UTF-8 bytes. */
function byteOffsets(text: string, offsets: Uint32Array): Uint32Array {
  const out = new Uint32Array(offsets.length);
  let bytes = 0;
  for (let r = 0; r < offsets.length; r++) {
    // eslint-disable-next-line security/detect-object-injection -- numeric indexes into typed arrays of offsets
    out[r] = bytes;
    // eslint-disable-next-line security/detect-object-injection -- numeric indexes into typed arrays of offsets
    bytes += Buffer.byteLength(text.slice(offsets[r], r + 1 < offsets.length ? offsets[r + 1] : text.length), 'utf8');
  }
  return out;
}
