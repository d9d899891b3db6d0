/**
 * Records kept compactly until they are written: each record one line of its values, tagged by type, in the
 * order of the fields the records have had so far (`fields`). A large write waiting for its batch (the sync keeps
 * up to 200,000 records' timers and updates for one Bulk ingest job an object) holds a line of text a record, about
 * the size of its upload row, instead of an object a record holding a string a value (several times that, and a
 * heap several times larger still by the time it is collected). The data layer writes RecordRows as it writes an
 * array of records (`OrgData.insert`, `update`, `upsert`): a Bulk ingest job's upload is made from the lines, cell
 * by cell, with no record built; collections of 200 and a result that must name its record decode the lines they
 * need (`at`), which give back the values as they were added: text, numbers, booleans and null (a field left
 * undefined is no field, as in JSON).
 */
import { cellText } from '../bulk2Ingest';

/** Separates the cells of a line (and of a spilled join entry: bulkJoin.ts). */
export const SEP = '\u0001';

/**
 * A value as a tagged cell: `s` text, `n` number, `t`/`f` boolean, `_` null (or undefined, or a number JSON has no
 * text for), `j` JSON (an object, or text holding a separator or a line break).
 */
export function cellOf(v: unknown): string {
  if (v === null || v === undefined) return '_';
  switch (typeof v) {
    case 'string':
      return v.includes(SEP) || v.includes('\n') ? `j${JSON.stringify(v)}` : `s${v}`;
    case 'number':
      return Number.isFinite(v) ? `n${v}` : '_';
    case 'boolean':
      return v ? 't' : 'f';
    default:
      return `j${JSON.stringify(v)}`;
  }
}

/** The value of a tagged cell (cellOf). */
export function valueOf(cell: string): unknown {
  switch (cell.charCodeAt(0)) {
    case 115: // s
      return cell.slice(1);
    case 110: // n
      return Number(cell.slice(1));
    case 116: // t
      return true;
    case 102: // f
      return false;
    case 95: // _
      return null;
    default:
      return JSON.parse(cell.slice(1)) as unknown;
  }
}

/**
 * The text a tagged cell has in a Bulk API 2.0 upload (before CSV quoting): its value's `cellText` (null `#N/A`,
 * which sets null), '' for no value (leaves the field alone); a text or number cell is its own text already.
 */
function uploadText(cell: string | undefined): string {
  if (cell === undefined || cell === '') return '';
  const tag = cell.charCodeAt(0);
  return tag === 115 /* s */ || tag === 110 /* n */ ? cell.slice(1) : cellText(valueOf(cell));
}

export class RecordRows {
  /** the fields of the records, in the order they first appeared (without `attributes`) */
  readonly fields: string[] = [];
  private readonly position = new Map<string, number>();
  private readonly lines: string[] = [];

  constructor(records: Iterable<Record<string, unknown>> = []) {
    for (const r of records) this.add(r);
  }

  get length(): number {
    return this.lines.length;
  }

  /** Keeps a record (its own fields, not `attributes`; a field left undefined is none). */
  add(record: Readonly<Record<string, unknown>>): void {
    const cells: string[] = [];
    for (const k in record) {
      if (k === 'attributes' || !Object.hasOwn(record, k)) continue;
      const v = record[k];
      if (v === undefined) continue;
      let i = this.position.get(k);
      if (i === undefined) {
        i = this.fields.length;
        this.fields.push(k);
        this.position.set(k, i);
      }
      while (cells.length < i) cells.push('');
      cells[i] = cellOf(v);
    }
    // one flat string of its own (join copies the cells' characters): nothing the record was made from stays alive
    this.lines.push(cells.join(SEP));
  }

  /** The record at `i`, decoded (a new object each call). */
  at(i: number): Record<string, unknown> {
    const cells = this.lines[i].split(SEP);
    const out: Record<string, unknown> = {};
    for (let c = 0; c < cells.length; c++) if (cells[c] !== '') out[this.fields[c]] = valueOf(cells[c]);
    return out;
  }

  /** One field's value of the record at `i` (undefined: the record has none). */
  value(i: number, field: string): unknown {
    const c = this.position.get(field);
    if (c === undefined) return undefined;
    const cell = this.lines[i].split(SEP, c + 1)[c];
    return cell === undefined || cell === '' ? undefined : valueOf(cell);
  }

  /** The texts of the record's upload cells, one a field of `fields` (before CSV quoting). */
  uploadTexts(i: number): string[] {
    const cells = this.lines[i].split(SEP);
    const out = new Array<string>(this.fields.length);
    for (let c = 0; c < out.length; c++) out[c] = uploadText(cells[c]);
    return out;
  }

  /** The records from `start` to `end` (not included), decoded. */
  slice(start: number, end: number): Array<Record<string, unknown>> {
    const out: Array<Record<string, unknown>> = [];
    for (let i = start; i < Math.min(end, this.lines.length); i++) out.push(this.at(i));
    return out;
  }
}

/** Records as an array or as RecordRows: what the data layer writes. */
export type RecordsToWrite = readonly Record<string, unknown>[] | RecordRows;
