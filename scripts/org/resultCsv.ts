import { StringDecoder } from 'node:string_decoder';

/**
 * The records of a Bulk API 2.0 result CSV with a header row, as jsforce's parser gives them (`columns: true`: one
 * object per row, keyed by the header's names, values as strings): comma-separated, LF or CRLF lines (the jobs made
 * here ask for both), values in double quotes where they must be (a quote doubled inside), nothing trimmed, an
 * empty last line no row. Result files quote every value, so the quoted case is the fast one: one `indexOf` per
 * value. A result page is read as its response arrives (`csvRowChunks` over the body's pieces), so a page of
 * hundreds of megabytes never exists as one text; an ingest job's results come whole (`csvRecords`).
 */

/** The records of a whole result CSV text (anything else: none). */
export function csvRecords(text: unknown): Array<Record<string, string>> {
  if (typeof text !== 'string') return [];
  const reader = new CsvTableReader();
  reader.add(text);
  const rows: string[][] = [];
  reader.take(rows, Infinity, true);
  const header = reader.columns();
  return rows.map((row) => recordOf(header, row));
}

/** Rows of a result CSV, each an array of its values in the order of the header's names. */
export interface CsvRows {
  header: readonly string[];
  rows: string[][];
}

/**
 * The rows of a result CSV arriving in pieces (a response body's Buffers, UTF-8, a character possibly split between
 * two; or strings), `size` at a time (Infinity: all at the end), each piece parsed as it comes: memory holds a piece,
 * the row it ends inside, and the rows of the chunk being filled. Each row is an array of its values beside the
 * header (`recordOf` makes it jsforce's object): a reader that types the values by column (the data layer) makes one
 * object a row rather than two.
 */
export async function* csvRowChunks(
  pieces: AsyncIterable<Buffer | string> | Iterable<Buffer | string>,
  size: number
): AsyncGenerator<CsvRows, void, undefined> {
  const reader = new CsvTableReader();
  // as Buffer#toString('utf8'), which jsforce decoded whole bodies with: a BOM kept, a bad sequence as U+FFFD
  const decoder = new StringDecoder('utf8');
  let chunk: string[][] = [];
  for await (const piece of pieces) {
    reader.add(typeof piece === 'string' ? piece : decoder.write(piece));
    for (;;) {
      reader.take(chunk, size, false);
      if (chunk.length < size) break;
      yield { header: reader.columns(), rows: chunk };
      chunk = [];
    }
  }
  reader.add(decoder.end());
  for (;;) {
    reader.take(chunk, size, true);
    if (chunk.length < size) break;
    yield { header: reader.columns(), rows: chunk };
    chunk = [];
  }
  if (chunk.length > 0) yield { header: reader.columns(), rows: chunk };
}

/** A row as jsforce's parser gives it: an object keyed by the header's names. */
export function recordOf(header: readonly string[], row: readonly string[]): Record<string, string> {
  const record: Record<string, string> = {};
  for (let i = 0; i < header.length; i++) {
    record[header[i]] = row[i];
  }
  return record;
}

/** Rows after the header: every row must have as many values as the header has names. */
class CsvTableReader {
  private readonly rows = new CsvRowReader();
  private header: string[] | null = null;
  private n = 0;

  add(text: string): void {
    this.rows.add(text);
  }

  /** The header's names (none before the header was read). */
  columns(): readonly string[] {
    return this.header ?? [];
  }

  /** Moves the complete rows read so far to `out` until it holds `size`; `end`: the text is all there. */
  take(out: string[][], size: number, end: boolean): void {
    while (out.length < size) {
      const row = this.rows.next(end);
      if (row === null) return;
      this.n++;
      const header = this.header;
      if (header === null) {
        this.header = row;
        continue;
      }
      if (row.length !== header.length) {
        throw new Error(`result CSV row ${this.n} has ${row.length} values, its header ${header.length}`);
      }
      out.push(row);
    }
  }
}

/**
 * Reads the rows of a CSV text given in pieces (comma, LF, CRLF or CR line ends). A row is read once the text
 * shows where it ends: one whose end is not there yet (inside a quoted value, or where the next character could
 * still change it: a closing quote that may be the first of two, a CR that may precede an LF) is read again when
 * more text came, so rows split between pieces read as if the text were whole.
 */
export class CsvRowReader {
  private text = '';
  private i = 0;
  /** the unread text's length at which a row not complete is tried again (doubling: a huge value costs linear time) */
  private retryAt = 0;

  add(piece: string): void {
    if (piece === '') return;
    this.text = this.i < this.text.length ? this.text.slice(this.i) + piece : piece;
    this.i = 0;
  }

  /** The next row, or null: no complete row in the text so far (`end`: the text is all there, and no more rows). */
  next(end: boolean): string[] | null {
    const text = this.text;
    const n = text.length;
    let i = this.i;
    if (i >= n) return null;
    if (!end && n - i < this.retryAt) return null;
    const incomplete = (): null => {
      this.retryAt = 2 * (n - this.i);
      return null;
    };
    const row: string[] = [];
    for (;;) {
      let value: string;
      if (text.charCodeAt(i) === 34 /* " */) {
        let j = i + 1;
        value = '';
        for (;;) {
          const q = text.indexOf('"', j);
          if (q < 0) {
            if (!end) return incomplete();
            throw new Error('result CSV: a quoted value is not closed');
          }
          if (q + 1 >= n && !end) return incomplete();
          if (text.charCodeAt(q + 1) === 34) {
            value += text.slice(j, q + 1);
            j = q + 2;
            continue;
          }
          value += text.slice(j, q);
          i = q + 1;
          break;
        }
      } else {
        let k = i;
        while (k < n) {
          const c = text.charCodeAt(k);
          if (c === 44 /* , */ || c === 10 /* \n */ || c === 13 /* \r */) break;
          k++;
        }
        if (k >= n && !end) return incomplete();
        value = text.slice(i, k);
        i = k;
      }
      row.push(value);
      const c = text.charCodeAt(i);
      if (c === 44) {
        i++;
        if (i < n) continue;
        if (!end) return incomplete();
        row.push('');
      } else if (c === 13) {
        if (i + 1 >= n && !end) return incomplete();
        i += text.charCodeAt(i + 1) === 10 ? 2 : 1;
      } else if (c === 10) i++;
      else if (i < n) throw new Error(`result CSV: unexpected character after a quoted value: ${JSON.stringify(text.slice(i, i + 20))}`);
      this.i = i;
      this.retryAt = 0;
      return row;
    }
  }
}
