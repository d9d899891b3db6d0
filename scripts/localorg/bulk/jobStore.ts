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

/** Uploads are kept in pieces of this size, so processing them reads a piece at a time. */
const UPLOAD_PIECE_BYTES = 1024 * 1024;

/**
 * Where jobs live: in the org's database, next to its records (for `:memory:` orgs, in memory),
 * until they are deleted — their state, their uploaded data and their results. A chunk's results
 * are written in the same transaction as its records, so a job's results always match the data.
 */
export class JobStore {
  constructor(private readonly store: Store) {
    store.db.exec(`
      CREATE TABLE IF NOT EXISTS _bulk_job (id TEXT PRIMARY KEY, kind TEXT NOT NULL, job TEXT NOT NULL);
      CREATE TABLE IF NOT EXISTS _bulk_upload (job TEXT NOT NULL, seq INTEGER NOT NULL, data BLOB NOT NULL, PRIMARY KEY (job, seq)) WITHOUT ROWID;
      CREATE TABLE IF NOT EXISTS _bulk_result (job TEXT NOT NULL, kind TEXT NOT NULL, seq INTEGER NOT NULL, first INTEGER NOT NULL,
        rows INTEGER NOT NULL, text TEXT NOT NULL, offsets BLOB, PRIMARY KEY (job, kind, seq)) WITHOUT ROWID;
    `);
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
    });
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
