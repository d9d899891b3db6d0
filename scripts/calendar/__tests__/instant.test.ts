import fc from 'fast-check';
import { readInstant, writeInstant } from '../instant';

/** The one strict ISO 8601 instant parser (CLI date-time flags, the SLA sync's timestamps). */
const ms = (text: string) => {
  const r = readInstant(text);
  return r.ok ? r.ms : r;
};

describe('readInstant', () => {
  it('reads Z, ±hh:mm and Salesforce’s ±hhmm offsets, with or without seconds and fractions', () => {
    expect(ms('2026-03-02T15:00:00Z')).toBe(Date.UTC(2026, 2, 2, 15));
    expect(ms('2026-03-02T15:00Z')).toBe(Date.UTC(2026, 2, 2, 15));
    expect(ms('2026-03-02T10:00:00-05:00')).toBe(Date.UTC(2026, 2, 2, 15));
    expect(ms('2026-03-02T20:30:00.000+0530')).toBe(Date.UTC(2026, 2, 2, 15));
    expect(ms('2026-03-02T15:00:00.123456789Z')).toBe(Date.UTC(2026, 2, 2, 15, 0, 0, 123));
    expect(ms('2026-03-02t15:00:00z')).toBe(Date.UTC(2026, 2, 2, 15));
    expect(ms('2028-02-29T00:00:00Z')).toBe(Date.UTC(2028, 1, 29));
  });

  it.each([
    ['2026-02-30T00:00:00Z', 'there is no 2026-02-30'],
    ['2026-02-29T00:00:00Z', 'there is no 2026-02-29'],
    ['2026-04-31T00:00:00Z', 'there is no 2026-04-31'],
    ['2026-13-01T00:00:00Z', 'there is no month 13'],
    ['2026-00-10T00:00:00Z', 'there is no month 00'],
    ['2026-01-00T00:00:00Z', 'there is no 2026-01-00'],
    ['2026-02-28T24:00:00Z', 'the hour 24 is not a time of day (00–23)'],
    ['2026-02-28T23:60:00Z', 'the minute 60 is not one (00–59)'],
    ['2026-12-31T23:59:60Z', 'the second 60 is not one (00–59)'],
    ['2026-02-28T12:00:00+24:00', 'the offset +24:00 is not one (±00:00 to ±23:59)'],
    ['2026-02-28T12:00:00-05:60', 'the offset -05:60 is not one (±00:00 to ±23:59)'],
    ['9999-01-01T00:00:00Z', "the year 9999 is outside Salesforce's date-time range (1700–4000)"],
    ['1600-01-01T00:00:00Z', "the year 1600 is outside Salesforce's date-time range (1700–4000)"]
  ])('refuses %s: %s', (text, reason) => {
    expect(readInstant(text)).toEqual({ ok: false, reason });
  });

  it.each([
    'tomorrow',
    '2026-03-02',
    '2026-03-02T15:00:00',
    '2026-03-02 15:00:00Z',
    '2026-3-2T15:00:00Z',
    ' 2026-03-02T15:00:00Z',
    '2026-03-02T15:00:00.Z',
    '+2026-03-02T15:00:00Z',
    ''
  ])('refuses %j as not the form', (text) => {
    expect(readInstant(text)).toEqual({ ok: false });
  });

  it('reads back every instant JavaScript writes in the range, and refuses every day past a month’s end', () => {
    const min = Date.UTC(1700, 0, 1);
    const max = Date.UTC(4000, 11, 31, 23, 59, 59, 999);
    fc.assert(
      fc.property(fc.integer({ min, max }), (t) => {
        expect(ms(new Date(t).toISOString())).toBe(t);
      })
    );
    fc.assert(
      fc.property(fc.integer({ min: 1700, max: 4000 }), fc.integer({ min: 1, max: 12 }), fc.integer({ min: 29, max: 31 }), (y, m, d) => {
        const real = new Date(Date.UTC(y, m - 1, d)).getUTCMonth() === m - 1;
        const text = `${y}-${String(m).padStart(2, '0')}-${d}T00:00:00Z`;
        expect(readInstant(text).ok).toBe(real);
      })
    );
  });

  it('reads the platform’s own forms (`…000Z`, `…000+0000`) as every other form, and refuses what names no instant', () => {
    const min = Date.UTC(1700, 0, 1);
    const max = Date.UTC(4000, 11, 31, 23, 59, 59, 999);
    fc.assert(
      fc.property(fc.integer({ min, max }), (t) => {
        const iso = new Date(t).toISOString();
        expect(ms(iso.replace('Z', '+0000'))).toBe(t);
        expect(ms(iso.replace('Z', '+00:00'))).toBe(t);
      })
    );
    expect(readInstant('2026-02-30T00:00:00.000Z')).toEqual({ ok: false, reason: 'there is no 2026-02-30' });
    expect(readInstant('2026-02-28T24:00:00.000+0000')).toEqual({ ok: false, reason: 'the hour 24 is not a time of day (00–23)' });
    expect(readInstant('1699-12-31T23:59:59.999Z').ok).toBe(false);
    expect(readInstant('2026-02-28T23:00:00.000+0100').ok && ms('2026-02-28T23:00:00.000+0100')).toBe(Date.UTC(2026, 1, 28, 22));
    expect(readInstant('2026-02-2aT23:00:00.000Z')).toEqual({ ok: false });
    expect(readInstant('2026-02-28 23:00:00.000Z')).toEqual({ ok: false });
  });
});

describe('writeInstant', () => {
  it('writes what toISOString writes, for every instant of the years 0–9999', () => {
    fc.assert(
      fc.property(fc.integer({ min: Date.UTC(0, 0, 1) - 1900 * 365 * 86_400_000, max: Date.UTC(9999, 11, 31, 23, 59, 59, 999) }), (t) => {
        expect(writeInstant(t)).toBe(new Date(t).toISOString());
      }),
      { numRuns: 2000 }
    );
    for (const t of [
      0,
      -1,
      Date.UTC(1970, 0, 1, 0, 0, 0, 5),
      Date.UTC(2028, 1, 29, 23, 59, 59, 999),
      Date.UTC(10000, 0, 1),
      Date.UTC(-1, 0, 1)
    ])
      expect(writeInstant(t)).toBe(new Date(t).toISOString());
  });
});
