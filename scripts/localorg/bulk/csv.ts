/**
 * CSV as Bulk API 2.0 reads and writes it: a header row of field names, then one row per record;
 * the job's column delimiter (BACKQUOTE, CARET, COMMA, PIPE, SEMICOLON, TAB) and line ending (LF,
 * CRLF); values in double quotes when they hold the delimiter, a quote or a line break, a quote
 * doubled inside them; nothing trimmed, and a space before or after a quote is an error (Bulk API
 * 2.0 Developer Guide, "Prepare CSV Files":
 * https://developer.salesforce.com/docs/atlas.en-us.api_asynch.meta/api_asynch/datafiles_prepare_csv.htm).
 *
 * The reader is incremental (text arrives in pieces, records leave one at a time) and takes a fast
 * path for rows without quotes (one `indexOf` for the line end, one `split`), since an ingest job's
 * throughput is bounded by it.
 */

export type ColumnDelimiter = 'BACKQUOTE' | 'CARET' | 'COMMA' | 'PIPE' | 'SEMICOLON' | 'TAB';
export type LineEnding = 'LF' | 'CRLF';

export const DELIMITER_CHARS: Readonly<Record<ColumnDelimiter, string>> = {
  BACKQUOTE: '`',
  CARET: '^',
  COMMA: ',',
  PIPE: '|',
  SEMICOLON: ';',
  TAB: '\t'
};

export const LINE_ENDING_CHARS: Readonly<Record<LineEnding, string>> = { LF: '\n', CRLF: '\r\n' };

/** A CSV that cannot be read: the job fails with it (`record` is 1 for the header row). */
export class CsvFormatError extends Error {
  override readonly name = 'CsvFormatError';
  constructor(
    message: string,
    readonly record: number
  ) {
    super(message);
  }
}

/**
 * Reads records (arrays of field values) from text pieces in order. Blank lines are skipped; a
 * byte-order mark before the header is dropped. Throws CsvFormatError on an unterminated quoted
 * field or a quote where none may be.
 */
export function* readCsv(pieces: Iterator<string>, delimiter: string, lineEnding: string): Generator<string[], void, undefined> {
  let buf = '';
  let pos = 0;
  let eof = false;
  let first = true;
  let record = 0;
  /** The next quote at or after `pos` in `buf` (-1: none), found once per piece rather than once per row. */
  let nextQuote = -1;
  const more = (): boolean => {
    if (eof) return false;
    const n = pieces.next();
    if (n.done) {
      eof = true;
      return false;
    }
    buf = pos < buf.length ? buf.slice(pos) + n.value : n.value;
    pos = 0;
    if (first && buf.charCodeAt(0) === 0xfeff) buf = buf.slice(1);
    first = buf.length === 0;
    nextQuote = buf.indexOf('"');
    return true;
  };
  const eolLen = lineEnding.length;
  for (;;) {
    if (pos >= buf.length && !more()) return;
    let end = buf.indexOf(lineEnding, pos);
    while (end < 0 && !eof) {
      if (!more()) break;
      end = buf.indexOf(lineEnding, pos);
    }
    const lineEnd = end < 0 ? buf.length : end;
    if (nextQuote >= 0 && nextQuote < pos) nextQuote = buf.indexOf('"', pos);
    record++;
    if (nextQuote < 0 || nextQuote >= lineEnd) {
      const line = buf.slice(pos, lineEnd);
      pos = end < 0 ? buf.length : end + eolLen;
      if (line.length > 0) yield line.split(delimiter);
      continue;
    }
    let parsed = parseQuoted(buf, pos, delimiter, lineEnding, eof, record);
    while (parsed === undefined) parsed = parseQuoted(buf, pos, delimiter, lineEnding, !more(), record);
    pos = parsed.next;
    nextQuote = buf.indexOf('"', pos);
    yield parsed.fields;
  }
}

/** One record that has a quote somewhere, from `start`; undefined when the text ends before the record does. */
function parseQuoted(
  buf: string,
  start: number,
  d: string,
  eol: string,
  atEof: boolean,
  record: number
): { fields: string[]; next: number } | undefined {
  const fields: string[] = [];
  let i = start;
  const eolAt = (k: number) => buf.startsWith(eol, k);
  for (;;) {
    // eslint-disable-next-line security/detect-object-injection -- a numeric index into a string
    if (buf[i] === '"') {
      let value = '';
      let j = i + 1;
      for (;;) {
        const q = buf.indexOf('"', j);
        if (q < 0) {
          if (atEof) throw new CsvFormatError(`unterminated quoted field in row ${record}`, record);
          return undefined;
        }
        value += buf.slice(j, q);
        if (q + 1 >= buf.length && !atEof) return undefined;
        if (buf[q + 1] === '"') {
          value += '"';
          j = q + 2;
          continue;
        }
        i = q + 1;
        break;
      }
      fields.push(value);
    } else {
      let k = i;
      for (; k < buf.length; k++) {
        // eslint-disable-next-line security/detect-object-injection -- a numeric index into a string
        const c = buf[k];
        if (c === d || (c === eol[0] && eolAt(k))) break;
        if (c === '"')
          throw new CsvFormatError(`a double quote inside an unquoted field in row ${record} (a space before or after a quote?)`, record);
      }
      if (k >= buf.length && !atEof) return undefined;
      fields.push(buf.slice(i, k));
      i = k;
    }
    if (i >= buf.length) return atEof ? { fields, next: i } : undefined;
    // eslint-disable-next-line security/detect-object-injection -- a numeric index into a string
    if (buf[i] === d) {
      i++;
      continue;
    }
    if (eolAt(i)) return { fields, next: i + eol.length };
    if (!atEof && i + eol.length > buf.length) return undefined;
    throw new CsvFormatError(`unexpected character after a closing quote in row ${record} (a space before or after a quote?)`, record);
  }
}

/** Text pieces of an iterable of UTF-8 buffers, decoded across piece boundaries. */
export function* decodeUtf8(buffers: Iterable<Uint8Array>): Generator<string, void, undefined> {
  const decoder = new TextDecoder('utf-8');
  for (const b of buffers) {
    const text = decoder.decode(b, { stream: true });
    if (text) yield text;
  }
  const rest = decoder.decode();
  if (rest) yield rest;
}

/** A value as Salesforce writes it in result CSV: always quoted, quotes doubled. */
export function csvValue(v: string): string {
  return v.includes('"') ? `"${v.replace(/"/g, '""')}"` : `"${v}"`;
}

/** One CSV row of values (quoted), ended by the line ending. */
export function csvRow(values: readonly string[], delimiter: string, lineEnding: string): string {
  let out = '';
  // eslint-disable-next-line security/detect-object-injection -- a numeric index into an array
  for (let i = 0; i < values.length; i++) out += (i === 0 ? '' : delimiter) + csvValue(values[i]);
  return out + lineEnding;
}
