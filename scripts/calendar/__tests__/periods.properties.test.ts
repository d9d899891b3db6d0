import fc from 'fast-check';
import {
  addDays,
  civilDate,
  dateDay,
  dateLiteralRange,
  dayNumber,
  daysBetween,
  daysInMonth,
  formatDate,
  localPeriod,
  nthWeekdayOfMonth,
  periodRange,
  weekday,
  type PeriodUnit
} from '..';

/*
 * The date core against references that share nothing with it: JavaScript's own Date for civil dates, and
 * Intl.DateTimeFormat (the platform's tz database) for what a clock on the wall shows in a time zone. A
 * period's instants are right when the local date, as Intl shows it, changes exactly at their bounds:
 * Intl shows the period's first date (or a later one, where the zone skipped the date's midnight) at
 * `start` and an earlier date one millisecond before it; likewise at `end`.
 */

const DAY = 86_400_000;
const HOUR = 3_600_000;

const ZONES = [
  'America/New_York',
  'America/Los_Angeles',
  'Europe/London',
  'Europe/Berlin',
  'Asia/Kolkata', // +05:30
  'Asia/Kathmandu', // +05:45, and skipped 1986-01-01 00:00–00:15
  'Australia/Sydney',
  'Australia/Lord_Howe', // 30-minute DST
  'Pacific/Auckland',
  'America/Sao_Paulo', // DST began at local midnight until 2019
  'Pacific/Apia', // skipped 2011-12-30 entirely
  'UTC'
];

/** DST changes north and south, midnight changes, a skipped date, year and quarter ends. */
const DST_DAYS = [
  '2026-03-08',
  '2026-03-29',
  '2026-04-05',
  '2026-09-27',
  '2026-10-04',
  '2026-10-25',
  '2026-11-01',
  '2018-11-04',
  '2019-02-16',
  '2011-12-30',
  '1985-12-31',
  '2026-12-31',
  '2026-06-30',
  '2024-02-29'
].map((d) => Date.parse(`${d}T00:00:00Z`));

const formatters = new Map<string, Intl.DateTimeFormat>();

/** The local date Intl shows at `t` in `zone`, as `YYYY-MM-DD`. */
function intlDate(t: number, zone: string): string {
  let f = formatters.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit' });
    formatters.set(zone, f);
  }
  const p: Record<string, string> = {};
  for (const part of f.formatToParts(t)) p[part.type] = part.value;
  return `${p.year}-${p.month}-${p.day}`;
}

/** Reference date arithmetic on JavaScript Dates (years 1900–2100 here, so Date.UTC reads them right). */
const ymd = (date: string) => date.split('-').map(Number);
const utc = (y: number, m: number, d: number) => new Date(Date.UTC(y, m - 1, d)).toISOString().slice(0, 10);

/** The first date of the `unit` containing `today`, moved by `offset` units: plain Date arithmetic. */
function referenceStart(unit: PeriodUnit, today: string, offset: number, fiscalStart: number): string {
  const [y, m, d] = ymd(today);
  switch (unit) {
    case 'day':
      return utc(y, m, d + offset);
    case 'week':
      return utc(y, m, d - new Date(Date.UTC(y, m - 1, d)).getUTCDay() + 7 * offset);
    case 'month':
      return utc(y, m + offset, 1);
    case 'quarter':
      return utc(y, Math.floor((m - 1) / 3) * 3 + 1 + 3 * offset, 1);
    case 'year':
      return utc(y + offset, 1, 1);
    case 'fiscalQuarter': {
      const sinceStart = (m - fiscalStart + 12) % 12;
      return utc(y, m - (sinceStart % 3) + 3 * offset, 1);
    }
    case 'fiscalYear':
      return utc(m >= fiscalStart ? y + offset : y - 1 + offset, fiscalStart, 1);
  }
}

const UNITS: PeriodUnit[] = ['day', 'week', 'month', 'quarter', 'year', 'fiscalQuarter', 'fiscalYear'];

/** Instants near a DST day (±3 days) or anywhere from 1990 to 2040. */
const instantArb = fc.oneof(
  fc
    .tuple(fc.constantFrom(...DST_DAYS), fc.integer({ min: -3 * 24, max: 3 * 24 }), fc.integer({ min: 0, max: HOUR - 1 }))
    .map(([day, hours, ms]) => day + hours * HOUR + ms),
  fc.integer({ min: Date.UTC(1990, 0, 1), max: Date.UTC(2040, 0, 1) })
);

/** The local date changes to (at least) `date` exactly at `t`. */
function dateBeginsAt(t: number, date: string, zone: string): boolean {
  return intlDate(t - 1, zone) < date && intlDate(t, zone) >= date;
}

describe('periods in a time zone, against Intl', () => {
  it('localPeriod spans exactly the local dates of the unit, DST days included', () => {
    fc.assert(
      fc.property(
        instantArb,
        fc.constantFrom(...ZONES),
        fc.constantFrom(...UNITS),
        fc.integer({ min: -5, max: 5 }),
        fc.integer({ min: 1, max: 12 }),
        (t, zone, unit, offset, startMonth) => {
          const today = intlDate(t, zone);
          const fiscal = { startMonth };
          const { start, end } = localPeriod(unit, t, zone, offset, fiscal);
          const first = referenceStart(unit, today, offset, startMonth);
          const next = referenceStart(unit, today, offset + 1, startMonth);
          expect(dateBeginsAt(start, first, zone)).toBe(true);
          expect(dateBeginsAt(end, next, zone)).toBe(true);
          if (offset === 0) {
            expect(start).toBeLessThanOrEqual(t);
            expect(end).toBeGreaterThan(t);
          }
        }
      ),
      { numRuns: 400 }
    );
  });

  it('a local day lasts 23, 24 or 25 hours (Lord Howe 23.5 or 24.5, Kathmandu 1986-01-01 23.75) and the days of a month add up', () => {
    fc.assert(
      fc.property(instantArb, fc.constantFrom(...ZONES), (t, zone) => {
        const day = localPeriod('day', t, zone);
        expect([23, 23.5, 23.75, 24, 24.5, 25]).toContain((day.end - day.start) / HOUR);
        const month = localPeriod('month', t, zone);
        let n = 0;
        for (let s = month.start; s < month.end; s = localPeriod('day', s, zone).end) n++;
        const [y, m] = ymd(intlDate(t, zone));
        const skipped = zone === 'Pacific/Apia' && y === 2011 && m === 12 ? 1 : 0; // 30 December 2011 never happened there
        expect(n).toBe(new Date(Date.UTC(y, m, 0)).getUTCDate() - skipped);
      }),
      { numRuns: 60 }
    );
  });

  it('Kathmandu skipped 1986-01-01 00:00–00:15, so that date begins at 00:15 (+05:45) and lasts 23.75 hours', () => {
    const kathmandu = 'Asia/Kathmandu';
    const day = localPeriod('day', Date.parse('1986-01-01T12:00:00Z'), kathmandu);
    expect(new Date(day.start).toISOString()).toBe('1985-12-31T18:30:00.000Z');
    expect((day.end - day.start) / HOUR).toBe(23.75);
    expect(dateLiteralRange('YESTERDAY', Date.parse('1986-01-02T12:00:00Z'), kathmandu)).toEqual(periodRange('day', dayNumber(1986, 1, 1)));
  });

  it('Pacific/Apia skipped 30 December 2011: that day is empty and the week still ends on a Saturday', () => {
    const skipped = dayNumber(2011, 12, 30);
    const apia = 'Pacific/Apia';
    const thursday = localPeriod('day', Date.parse('2011-12-29T12:00:00Z'), apia);
    expect(localPeriod('day', thursday.end, apia).start).toBe(thursday.end); // the next instant is already the 31st
    expect(intlDate(thursday.end, apia)).toBe('2011-12-31');
    const week = periodRange('week', skipped);
    expect(formatDate(week.start)).toBe('2011-12-25');
    expect(formatDate(week.end - 1)).toBe('2011-12-31');
  });
});

describe('SOQL date literals, against Intl', () => {
  /** Which units each literal covers, relative to the current one: [unit, first offset, end offset]. */
  const references: Array<[string, PeriodUnit, (n: number) => [number, number]]> = [
    ['TODAY', 'day', () => [0, 1]],
    ['LAST_90_DAYS', 'day', () => [-90, 1]],
    ['NEXT_90_DAYS', 'day', () => [1, 91]],
    ['THIS_WEEK', 'week', () => [0, 1]],
    ['LAST_MONTH', 'month', () => [-1, 0]],
    ['NEXT_QUARTER', 'quarter', () => [1, 2]],
    ['LAST_YEAR', 'year', () => [-1, 0]],
    ['THIS_FISCAL_QUARTER', 'fiscalQuarter', () => [0, 1]],
    ['LAST_N_DAYS', 'day', (n) => [-n, 1]],
    ['NEXT_N_DAYS', 'day', (n) => [1, n + 1]],
    ['N_DAYS_AGO', 'day', (n) => [-n, 1 - n]],
    ['LAST_N_WEEKS', 'week', (n) => [-n, 0]],
    ['N_WEEKS_AGO', 'week', (n) => [-n, 1 - n]],
    ['NEXT_N_MONTHS', 'month', (n) => [1, n + 1]],
    ['LAST_N_QUARTERS', 'quarter', (n) => [-n, 0]],
    ['N_QUARTERS_AGO', 'quarter', (n) => [-n, 1 - n]],
    ['N_YEARS_AGO', 'year', (n) => [-n, 1 - n]],
    ['LAST_N_FISCAL_YEARS', 'fiscalYear', (n) => [-n, 0]]
  ];

  it('cover the local dates Salesforce documents, in the running user time zone', () => {
    fc.assert(
      fc.property(
        instantArb,
        fc.constantFrom(...ZONES),
        fc.constantFrom(...references),
        fc.integer({ min: 0, max: 30 }),
        (t, zone, [name, unit, offsets], n) => {
          const literal = name.includes('_N_') || name.startsWith('N_') ? `${name}:${n}` : name;
          const today = intlDate(t, zone);
          const [from, to] = offsets(n);
          const range = dateLiteralRange(literal, t, zone);
          expect(formatDate(range.start)).toBe(referenceStart(unit, today, from, 1));
          expect(formatDate(range.end)).toBe(referenceStart(unit, today, to, 1));
        }
      ),
      { numRuns: 400 }
    );
  });
});

describe('civil dates, against JavaScript Date', () => {
  const dayArb = fc.integer({ min: dayNumber(1, 1, 1), max: dayNumber(9999, 12, 31) });
  /** The proleptic Gregorian date of a day number, by Date (setUTCFullYear reads every year as written). */
  const viaDate = (day: number) => {
    const d = new Date(day * DAY);
    return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate(), weekday: d.getUTCDay() };
  };

  it('dayNumber and civilDate are inverse and agree with Date over the years 0001–9999', () => {
    fc.assert(
      fc.property(dayArb, (day) => {
        const expected = viaDate(day);
        expect(civilDate(day)).toEqual({ year: expected.year, month: expected.month, day: expected.day });
        expect(dayNumber(expected.year, expected.month, expected.day)).toBe(day);
        expect(weekday(day)).toBe(expected.weekday);
        // the Gregorian calendar repeats every 400 years, so 2000 + year % 400 has the same month lengths
        expect(daysInMonth(expected.year, expected.month)).toBe(
          new Date(Date.UTC(2000 + (expected.year % 400), expected.month, 0)).getUTCDate()
        );
        expect(dateDay(formatDate(day))).toBe(day);
      }),
      { numRuns: 2000 }
    );
  });

  it('addDays and daysBetween agree with Date, and months and days past the end roll over like Date.UTC', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: dayNumber(1900, 1, 1), max: dayNumber(2100, 12, 31) }),
        fc.integer({ min: -5000, max: 5000 }),
        fc.integer({ min: -30, max: 30 }),
        fc.integer({ min: -40, max: 40 }),
        (day, days, months, dayOfMonth) => {
          const date = formatDate(day);
          expect(addDays(date, days)).toBe(new Date((day + days) * DAY).toISOString().slice(0, 10));
          expect(daysBetween(date, addDays(date, days))).toBe(days);
          const { year, month } = civilDate(day);
          expect(dayNumber(year, month + months, dayOfMonth)).toBe(Date.UTC(year, month - 1 + months, dayOfMonth) / DAY);
        }
      ),
      { numRuns: 1000 }
    );
  });

  it('nthWeekdayOfMonth finds US holidays, and rejects dates that do not exist', () => {
    expect(formatDate(nthWeekdayOfMonth(2026, 11, 1 << 4, 3)!)).toBe('2026-11-26'); // Thanksgiving
    expect(formatDate(nthWeekdayOfMonth(2026, 5, 1 << 1, 4)!)).toBe('2026-05-25'); // Memorial Day (last Monday)
    expect(formatDate(nthWeekdayOfMonth(2026, 9, 1 << 1, 0)!)).toBe('2026-09-07'); // Labor Day
    for (const bad of ['2026-02-29', '2026-13-01', '2026-04-31', '2026-1-01', '2026-01-01T00:00:00Z', '', null]) {
      expect(dateDay(bad)).toBeUndefined();
    }
    expect(dateDay('2028-02-29')).toBe(dayNumber(2028, 2, 29));
    expect(() => addDays('2026-02-30', 1)).toThrow('date must be a date written YYYY-MM-DD, got "2026-02-30"');
  });
});
