import type { Store } from '../store';
import type { Job } from './job';
import { FilePart, JobFiles } from './jobFiles';

/** Which results a stored piece belongs to. */
export type ResultKind = 'success' | 'failure' | 'query';

/** A piece of results to store: CSV rows (no header), the index of its first record, and where each row starts. */
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

/** Uploads are read in pieces of this size, so processing them holds a piece at a time. */
const UPLOAD_PIECE_BYTES = 1024 * 1024;

const RESULT_PARTS: readonly FilePart[] = ['success', 'failure', 'query'];
const ALL_PARTS: readonly FilePart[] = ['upload', ...RESULT_PARTS];

/**
 * Where jobs live: their state in the org's database, next to its records (for `:memory:` orgs, in memory),
 * until they are deleted; their uploaded data and their results in files of their own beside it (jobFiles.ts),
 * with only where each piece lies in the database (`_bulk_piece`). A chunk's results are appended to their file
 * first and their piece is recorded in the same transaction as the chunk's records, so the results a job has
 * always match the data: a chunk that rolled back leaves only bytes no piece points to.
 *
 * Written into the database, this data cost the org more than the work that made it: a 100,000-lead read's
 * query results (1.1 million rows) spent about two thirds of its CPU inserting, committing, reading back and
 * decoding their text, where a file is appended and served as bytes; ingest uploads and results likewise.
 */
export class JobStore {
  private readonly files: JobFiles;

  constructor(private readonly store: Store) {
    store.db.exec(`
      CREATE TABLE IF NOT EXISTS _bulk_job (id TEXT PRIMARY KEY, kind TEXT NOT NULL, job TEXT NOT NULL);
      CREATE TABLE IF NOT EXISTS _bulk_piece (job TEXT NOT NULL, kind TEXT NOT NULL, seq INTEGER NOT NULL, first INTEGER NOT NULL,
        rows INTEGER NOT NULL, pos INTEGER NOT NULL, bytes INTEGER NOT NULL, offsets BLOB, PRIMARY KEY (job, kind, seq)) WITHOUT ROWID;
    `);
    this.files = new JobFiles(store.file);
    moveStoredData(store, this);
    this.files.dropStray(new Set(store.all('SELECT id FROM _bulk_job').map((r) => String(r.id))));
  }

  /** Deletes a `:memory:` org's files: the org is closing. */
  close(): void {
    this.files.close();
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

  /** Deletes a job with its data. */
  remove(id: string): void {
    this.store.transaction(() => {
      this.store.run('DELETE FROM _bulk_job WHERE id = ?', [id]);
      this.store.run('DELETE FROM _bulk_piece WHERE job = ?', [id]);
    });
    this.files.drop(id, ALL_PARTS);
  }

  /** Keeps a job's uploaded data (in the caller's transaction, which records it). */
  putUpload(id: string, data: Uint8Array): void {
    this.files.write(id, 'upload', data);
    this.store.run("DELETE FROM _bulk_piece WHERE job = ? AND kind = 'upload'", [id]);
    this.record(id, 'upload', 0, 0, { pos: 0, bytes: data.length });
  }

  /** Deletes a job's uploaded data once nothing reads it again (its records are all processed). */
  dropUpload(id: string): void {
    this.store.run("DELETE FROM _bulk_piece WHERE job = ? AND kind = 'upload'", [id]);
    this.files.drop(id, ['upload']);
  }

  /** The uploaded data, a piece at a time. */
  *uploadPieces(id: string): Generator<Uint8Array, void, undefined> {
    const row = this.store.get("SELECT pos, bytes FROM _bulk_piece WHERE job = ? AND kind = 'upload' AND seq = 0", [id]);
    if (!row) return;
    const pos = Number(row.pos);
    const end = pos + Number(row.bytes);
    for (let at = pos; at < end; at += UPLOAD_PIECE_BYTES) {
      yield this.files.read(id, 'upload', at, Math.min(UPLOAD_PIECE_BYTES, end - at));
    }
  }

  /** Appends a piece of results to the job's file and records where it lies, in the caller's transaction. */
  appendResult(id: string, kind: ResultKind, piece: ResultPiece): void {
    if (piece.rows === 0) return;
    const data = Buffer.from(piece.text, 'utf8');
    const offsets = data.length === piece.text.length || !piece.offsets ? piece.offsets : byteOffsets(piece.text, piece.offsets);
    const at = this.files.append(id, kind, data);
    this.record(id, kind, piece.first, piece.rows, at, offsets);
  }

  private record(id: string, kind: FilePart, first: number, rows: number, at: { pos: number; bytes: number }, offsets?: Uint32Array): void {
    // the next number is read in the transaction that writes it: a piece that rolled back leaves no gap
    const last = this.store.get('SELECT MAX(seq) AS s FROM _bulk_piece WHERE job = ? AND kind = ?', [id, kind]);
    const seq = last?.s === null || last?.s === undefined ? 0 : Number(last.s) + 1;
    const index = offsets ? Buffer.from(offsets.buffer, offsets.byteOffset, offsets.byteLength) : null;
    this.store.run('INSERT INTO _bulk_piece (job, kind, seq, first, rows, pos, bytes, offsets) VALUES (?, ?, ?, ?, ?, ?, ?, ?)', [
      id,
      kind,
      seq,
      first,
      rows,
      at.pos,
      at.bytes,
      index
    ]);
  }

  /** Deletes a job's results (a query job starting over). */
  clearResults(id: string): void {
    this.store.run("DELETE FROM _bulk_piece WHERE job = ? AND kind <> 'upload'", [id]);
    this.files.drop(id, RESULT_PARTS);
  }

  /** The successful or failed results of an ingest job, a piece at a time as the bytes to send. */
  *ingestResults(id: string, kind: 'success' | 'failure'): Generator<Buffer, void, undefined> {
    for (let seq = 0; ; seq++) {
      const row = this.store.get('SELECT pos, bytes FROM _bulk_piece WHERE job = ? AND kind = ? AND seq = ?', [id, kind, seq]);
      if (!row) return;
      yield this.files.read(id, kind, Number(row.pos), Number(row.bytes));
    }
  }

  /** The pieces of a query job's results in order, from the piece holding record `from`. */
  *queryResults(id: string, from = 0): Generator<QueryResultPiece, void, undefined> {
    const files = this.files;
    const start = this.store.get("SELECT MAX(seq) AS s FROM _bulk_piece WHERE job = ? AND kind = 'query' AND first <= ?", [id, from]);
    for (let seq = start?.s === null || start?.s === undefined ? 0 : Number(start.s); ; seq++) {
      const row = this.store.get("SELECT first, rows, pos, bytes, offsets FROM _bulk_piece WHERE job = ? AND kind = 'query' AND seq = ?", [
        id,
        seq
      ]);
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
          return files.read(id, 'query', pos + begin, end - begin);
        }
      };
    }
  }
}

/**
 * Moves what an older database kept of jobs in its own tables into files: query pieces (`_bulk_query_piece`)
 * become `_bulk_piece` rows, uploads (`_bulk_upload`) and ingest results (`_bulk_result`) are written out.
 * A completed job's upload is not: nothing reads it again.
 */
function moveStoredData(store: Store, jobs: JobStore): void {
  const has = (table: string) => store.get("SELECT 1 AS x FROM sqlite_master WHERE type = 'table' AND name = ?", [table]) !== undefined;
  if (!has('_bulk_query_piece') && !has('_bulk_upload') && !has('_bulk_result')) return;
  store.transaction(() => {
    if (has('_bulk_query_piece')) {
      store.run(`INSERT INTO _bulk_piece (job, kind, seq, first, rows, pos, bytes, offsets)
        SELECT job, 'query', seq, first, rows, pos, bytes, offsets FROM _bulk_query_piece`);
      store.run('DROP TABLE _bulk_query_piece');
    }
    if (has('_bulk_upload')) {
      const done = new Set(
        jobs
          .loadAll()
          .filter((j) => j.state === 'JobComplete')
          .map((j) => j.id)
      );
      for (const r of store.all('SELECT DISTINCT job FROM _bulk_upload')) {
        const id = String(r.job);
        if (done.has(id)) continue;
        const pieces = store.all('SELECT data FROM _bulk_upload WHERE job = ? ORDER BY seq', [id]).map((p) => p.data as Uint8Array);
        jobs.putUpload(id, Buffer.concat(pieces));
      }
      store.run('DROP TABLE _bulk_upload');
    }
    if (has('_bulk_result')) {
      for (const r of store.prepare('SELECT job, kind, first, rows, text, offsets FROM _bulk_result ORDER BY job, kind, seq').iterate()) {
        const raw = r.offsets as Uint8Array | null;
        jobs.appendResult(String(r.job), r.kind as ResultKind, {
          first: Number(r.first),
          rows: Number(r.rows),
          text: String(r.text),
          offsets: raw ? new Uint32Array(raw.buffer.slice(raw.byteOffset, raw.byteOffset + raw.byteLength)) : undefined
        });
      }
      store.run('DROP TABLE _bulk_result');
    }
  });
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
