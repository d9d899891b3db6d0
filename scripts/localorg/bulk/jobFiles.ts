import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/** What a job keeps in files: its uploaded data, its successful and failed results, a query's results. */
export type FilePart = 'upload' | 'success' | 'failure' | 'query';

/** Job Ids are the org's own (750…): the only names a job's file gets. */
const JOB_ID = /^750[A-Za-z0-9]{12}(?:[A-Za-z0-9]{3})?$/;

/** A job's file of each part: `<jobId>.csv` for a query's results, `<jobId>.<part>.csv` for an ingest job's. */
const SUFFIX: Record<FilePart, string> = { query: '.csv', upload: '.upload.csv', success: '.success.csv', failure: '.failure.csv' };

/**
 * The files of jobs' data, in a folder beside the org's database (`<database>-bulk/`, a temporary folder for a
 * `:memory:` org). Data is appended (or, for an upload, written) to a file before the database records where
 * it lies, in the caller's transaction: bytes whose transaction rolled back are left where no piece points to
 * them, and the next piece is written after them. The files of a job are deleted with it.
 */
export class JobFiles {
  private readonly dir: string;
  /** the size of each file appended to since the org opened, by `<jobId><suffix>` */
  private readonly sizes = new Map<string, number>();

  constructor(private readonly database: string) {
    this.dir = database === ':memory:' ? fs.mkdtempSync(path.join(os.tmpdir(), 'closed-loop-bulk-')) : `${database}-bulk`;
  }

  /** Deletes a `:memory:` org's folder with its files: the org is closing. */
  close(): void {
    if (this.database === ':memory:') fs.rmSync(this.dir, { recursive: true, force: true });
  }

  private fileOf(id: string, part: FilePart): string {
    if (!JOB_ID.test(id)) throw new Error(`not a job Id: ${id}`);
    // eslint-disable-next-line security/detect-object-injection -- part is one of the FilePart constants
    return path.join(this.dir, `${id}${SUFFIX[part]}`);
  }

  /** Appends data to a job's file; returns where it starts and its length in bytes. */
  append(id: string, part: FilePart, data: Buffer): { pos: number; bytes: number } {
    const file = this.fileOf(id, part);
    let size = this.sizes.get(file);
    if (size === undefined) {
      // eslint-disable-next-line security/detect-non-literal-fs-filename -- fileOf: the org's folder and a job Id
      size = fs.existsSync(file) ? fs.statSync(file).size : 0;
      // eslint-disable-next-line security/detect-non-literal-fs-filename -- the org's own folder beside its database
      fs.mkdirSync(this.dir, { recursive: true });
    }
    // eslint-disable-next-line security/detect-non-literal-fs-filename -- fileOf: the org's folder and a job Id
    fs.appendFileSync(file, data);
    this.sizes.set(file, size + data.length);
    return { pos: size, bytes: data.length };
  }

  /** Writes a job's file anew with data (an upload, written once). */
  write(id: string, part: FilePart, data: Uint8Array): void {
    const file = this.fileOf(id, part);
    // eslint-disable-next-line security/detect-non-literal-fs-filename -- the org's own folder beside its database
    fs.mkdirSync(this.dir, { recursive: true });
    // eslint-disable-next-line security/detect-non-literal-fs-filename -- fileOf: the org's folder and a job Id
    fs.writeFileSync(file, data);
    this.sizes.set(file, data.length);
  }

  /** `length` bytes of a job's file from `pos` (opened for this read only: nothing stays open between reads). */
  read(id: string, part: FilePart, pos: number, length: number): Buffer {
    const out = Buffer.allocUnsafe(length);
    // eslint-disable-next-line security/detect-non-literal-fs-filename -- fileOf: the org's folder and a job Id
    const fd = fs.openSync(this.fileOf(id, part), 'r');
    try {
      let read = 0;
      while (read < length) {
        const n = fs.readSync(fd, out, read, length - read, pos + read);
        if (n === 0) throw new Error(`the ${part} file of job ${id} is shorter than its pieces say`);
        read += n;
      }
    } finally {
      fs.closeSync(fd);
    }
    return out;
  }

  /** Deletes a job's files of these parts. */
  drop(id: string, parts: readonly FilePart[]): void {
    for (const part of parts) {
      const file = this.fileOf(id, part);
      this.sizes.delete(file);
      fs.rmSync(file, { force: true });
    }
  }

  /** Deletes the files of jobs not in `known` (deleted while the org was not running, or a copied database). */
  dropStray(known: Set<string>): void {
    // eslint-disable-next-line security/detect-non-literal-fs-filename -- the org's own folder beside its database
    if (!fs.existsSync(this.dir)) return;
    // eslint-disable-next-line security/detect-non-literal-fs-filename -- the org's own folder beside its database
    for (const name of fs.readdirSync(this.dir)) {
      if (!known.has(name.split('.')[0])) fs.rmSync(path.join(this.dir, name), { force: true });
    }
  }
}
