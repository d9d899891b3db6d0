import * as fc from 'fast-check';
import { csvRecords, csvRowChunks, recordOf } from '../resultCsv';

/** The records of a CSV given as Buffers cut at `cuts` (byte offsets), `size` at a time. */
async function streamed(text: string, cuts: number[], size = Infinity): Promise<Array<Array<Record<string, string>>>> {
  const bytes = Buffer.from(text, 'utf8');
  const at = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
  const pieces: Buffer[] = [];
  let from = 0;
  for (const c of [...at, bytes.length]) {
    pieces.push(bytes.subarray(from, c));
    from = c;
  }
  const out: Array<Array<Record<string, string>>> = [];
  for await (const { header, rows } of csvRowChunks(pieces, size)) out.push(rows.map((row) => recordOf(header, row)));
  return out;
}

/** A value as a result file writes it: quoted always (a quote doubled), or bare when nothing needs quotes. */
function cell(v: string, quoted: boolean): string {
  return quoted || /[",\r\n]/.test(v) || v === '' ? `"${v.replace(/"/g, '""')}"` : v;
}

describe('result CSV', () => {
  const text = '"Id","Name","Note"\r\n"001","Zoë ☃ 𝄞","a ""b"",\r\nc"\r\n002,,#N/A\r\n';
  const expected = [
    { Id: '001', Name: 'Zoë ☃ 𝄞', Note: 'a "b",\r\nc' },
    { Id: '002', Name: '', Note: '#N/A' }
  ];

  it('reads quoted values, doubled quotes, line breaks inside quotes, empty values and #N/A as text', () => {
    expect(csvRecords(text)).toEqual(expected);
    expect(csvRecords(text.replace(/\r\n/g, '\n'))).toEqual(expected.map((r) => ({ ...r, Note: r.Note.replace('\r\n', '\n') })));
    expect(csvRecords('')).toEqual([]);
    expect(csvRecords('"Id"\n')).toEqual([]);
    expect(csvRecords(undefined)).toEqual([]);
  });

  it('reads a body cut at every byte as the whole text: inside quotes, between CR and LF, inside a character', async () => {
    const bytes = Buffer.byteLength(text, 'utf8');
    for (let cut = 0; cut <= bytes; cut++) {
      expect((await streamed(text, [cut])).flat()).toEqual(expected);
    }
    // one byte at a time: every character of several bytes split
    expect(
      (
        await streamed(
          text,
          Array.from({ length: bytes }, (_, i) => i)
        )
      ).flat()
    ).toEqual(expected);
  });

  it('hands records over `size` at a time', async () => {
    const rows = Array.from({ length: 7 }, (_, i) => `"${i}","x"`).join('\n');
    const chunks = await streamed(`"Id","V"\n${rows}\n`, [5, 17, 40], 3);
    expect(chunks.map((c) => c.length)).toEqual([3, 3, 1]);
    expect(chunks.flat().map((r) => r.Id)).toEqual(['0', '1', '2', '3', '4', '5', '6']);
  });

  it('fails as the whole text fails: a row of another width, a quote not closed', async () => {
    await expect(streamed('"A","B"\n"1"\n', [3])).rejects.toThrow('row 2 has 1 values, its header 2');
    await expect(streamed('"A"\n"1\n', [5])).rejects.toThrow('a quoted value is not closed');
    expect(() => csvRecords('"A"\n"1"x\n')).toThrow('unexpected character after a quoted value');
  });

  it('gives the same records however the body is cut (any text, line ends, quoting)', async () => {
    const value = fc.string({ unit: fc.constantFrom('a', 'é', '☃', '𝄞', '"', ',', '\r', '\n', ' ', '#', 'N/A'), maxLength: 12 });
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 4 }).chain((width) =>
          fc.record({
            rows: fc.array(fc.array(value, { minLength: width, maxLength: width }), { minLength: 1, maxLength: 6 }),
            quoted: fc.boolean(),
            eol: fc.constantFrom('\n', '\r\n'),
            lastEol: fc.boolean(),
            cuts: fc.array(fc.nat(), { maxLength: 8 }),
            size: fc.constantFrom(1, 2, Infinity)
          })
        ),
        async ({ rows, quoted, eol, lastEol, cuts, size }) => {
          const width = rows[0].length;
          const header = Array.from({ length: width }, (_, i) => `F${i}`);
          const csv = [header, ...rows].map((r) => r.map((v) => cell(v, quoted)).join(',')).join(eol) + (lastEol ? eol : '');
          const whole = csvRecords(csv);
          expect(whole).toEqual(rows.map((r) => Object.fromEntries(header.map((h, i) => [h, r[i]]))));
          expect((await streamed(csv, cuts, size)).flat()).toEqual(whole);
        }
      ),
      { numRuns: 300 }
    );
  });
});
