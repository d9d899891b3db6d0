import fc from 'fast-check';
import { CalendarError, isTimeZone, localDate, startOfLocalDate, wallClock, type WallClock } from '..';

const at = (iso: string) => Date.parse(iso);
const utc = (t: number) => new Date(t).toISOString();
/** The wall clock written `YYYY-MM-DD HH:MM:SS`, weekday as 0–6 after it. */
const shown = (w: WallClock) =>
  `${String(w.year).padStart(4, '0')}-${pad(w.month)}-${pad(w.day)} ${pad(w.hour)}:${pad(w.minute)}:${pad(w.second)} ${w.weekday}`;
const pad = (n: number) => String(n).padStart(2, '0');
const HOUR = 3_600_000;

/** How long the local date lasts in real time, in hours. */
const hoursOf = (date: string, next: string, zone: string) => (startOfLocalDate(next, zone) - startOfLocalDate(date, zone)) / HOUR;

describe('wallClock and localDate', () => {
  it('New York: 02:00 does not happen on 8 March 2026, 01:00–02:00 happens twice on 1 November', () => {
    const ny = 'America/New_York';
    expect(shown(wallClock(at('2026-03-08T06:59:59Z'), ny))).toBe('2026-03-08 01:59:59 0');
    expect(shown(wallClock(at('2026-03-08T07:00:00Z'), ny))).toBe('2026-03-08 03:00:00 0');
    expect(shown(wallClock(at('2026-11-01T05:30:00Z'), ny))).toBe('2026-11-01 01:30:00 0');
    expect(shown(wallClock(at('2026-11-01T06:30:00Z'), ny))).toBe('2026-11-01 01:30:00 0');
    expect(shown(wallClock(new Date('2026-03-09T13:30:00.999Z'), ny))).toBe('2026-03-09 09:30:00 1');
  });

  it('Lord Howe Island moves its clocks by 30 minutes', () => {
    const lh = 'Australia/Lord_Howe';
    expect(shown(wallClock(at('2026-10-03T15:29:59Z'), lh))).toBe('2026-10-04 01:59:59 0');
    expect(shown(wallClock(at('2026-10-03T15:30:00Z'), lh))).toBe('2026-10-04 02:30:00 0');
    // back from +11:00 to +10:30 at 02:00: 01:45 happens twice, half an hour apart
    expect(shown(wallClock(at('2026-04-04T14:45:00Z'), lh))).toBe('2026-04-05 01:45:00 0');
    expect(shown(wallClock(at('2026-04-04T15:15:00Z'), lh))).toBe('2026-04-05 01:45:00 0');
  });

  it('Asia/Kolkata is UTC+05:30 all year, so its dates change at 18:30 UTC', () => {
    expect(localDate(at('2026-12-31T18:29:59.999Z'), 'Asia/Kolkata')).toBe('2026-12-31');
    expect(localDate(at('2026-12-31T18:30:00Z'), 'Asia/Kolkata')).toBe('2027-01-01');
    expect(shown(wallClock(at('2026-07-01T00:00:00Z'), 'Asia/Kolkata'))).toBe('2026-07-01 05:30:00 3');
  });

  it('gives each zone its own date around the turn of the year', () => {
    const newYear = at('2027-01-01T00:00:00Z');
    expect(localDate(newYear, 'UTC')).toBe('2027-01-01');
    expect(localDate(newYear, 'America/New_York')).toBe('2026-12-31');
    expect(localDate(newYear - 1, 'UTC')).toBe('2026-12-31');
    expect(localDate(at('2026-12-31T10:00:00Z'), 'Pacific/Kiritimati')).toBe('2027-01-01'); // UTC+14
    expect(localDate(at('2026-12-31T10:59:59Z'), 'Pacific/Auckland')).toBe('2026-12-31'); // summer time, UTC+13
    expect(localDate(at('2026-12-31T11:00:00Z'), 'Pacific/Auckland')).toBe('2027-01-01');
    expect(localDate(at('2029-01-01T04:59:59Z'), 'America/New_York')).toBe('2028-12-31');
    expect(localDate(at('2028-02-29T12:00:00Z'), 'America/Los_Angeles')).toBe('2028-02-29');
  });

  it('knows the dates a zone skipped: Samoa went from 29 to 31 December 2011', () => {
    expect(shown(wallClock(at('2011-12-30T09:59:59Z'), 'Pacific/Apia'))).toBe('2011-12-29 23:59:59 4');
    expect(shown(wallClock(at('2011-12-30T10:00:00Z'), 'Pacific/Apia'))).toBe('2011-12-31 00:00:00 6');
  });

  it('covers the years 0001 to 9999', () => {
    expect(localDate(at('9999-12-31T23:59:59Z'), 'UTC')).toBe('9999-12-31');
    expect(localDate(at('0001-01-01T12:00:00Z'), 'UTC')).toBe('0001-01-01');
    expect(localDate(at('0050-06-15T12:00:00Z'), 'Europe/Paris')).toBe('0050-06-15');
    expect(() => localDate(at('0001-01-01T00:00:00Z'), 'America/New_York')).toThrow(/outside the supported range/);
    expect(() => wallClock(at('9999-12-31T23:00:00Z'), 'Asia/Tokyo')).toThrow(CalendarError);
  });
});

describe('startOfLocalDate', () => {
  it('New York: local midnight, on DST days as on others; the days last 23 and 25 hours', () => {
    const ny = 'America/New_York';
    expect(utc(startOfLocalDate('2026-03-08', ny))).toBe('2026-03-08T05:00:00.000Z');
    expect(utc(startOfLocalDate('2026-03-09', ny))).toBe('2026-03-09T04:00:00.000Z');
    expect(utc(startOfLocalDate('2026-11-01', ny))).toBe('2026-11-01T04:00:00.000Z');
    expect(utc(startOfLocalDate('2026-11-02', ny))).toBe('2026-11-02T05:00:00.000Z');
    expect(hoursOf('2026-03-08', '2026-03-09', ny)).toBe(23);
    expect(hoursOf('2026-11-01', '2026-11-02', ny)).toBe(25);
  });

  it('São Paulo, 4 November 2018: midnight did not exist, so the day began at 01:00 (-02:00)', () => {
    const sp = 'America/Sao_Paulo';
    const start = startOfLocalDate('2018-11-04', sp);
    expect(utc(start)).toBe('2018-11-04T03:00:00.000Z');
    expect(shown(wallClock(start, sp))).toBe('2018-11-04 01:00:00 0');
    expect(localDate(start - 1, sp)).toBe('2018-11-03');
    expect(hoursOf('2018-11-04', '2018-11-05', sp)).toBe(23);
    // 16 February 2019 lasted 25 hours: at midnight the clocks went back to 23:00
    expect(utc(startOfLocalDate('2019-02-17', sp))).toBe('2019-02-17T03:00:00.000Z');
    expect(hoursOf('2019-02-16', '2019-02-17', sp)).toBe(25);
  });

  it('Lord Howe Island: days of 23½ and 24½ hours', () => {
    const lh = 'Australia/Lord_Howe';
    expect(utc(startOfLocalDate('2026-10-04', lh))).toBe('2026-10-03T13:30:00.000Z');
    expect(utc(startOfLocalDate('2026-10-05', lh))).toBe('2026-10-04T13:00:00.000Z');
    expect(hoursOf('2026-10-04', '2026-10-05', lh)).toBe(23.5);
    expect(hoursOf('2026-04-05', '2026-04-06', lh)).toBe(24.5);
  });

  it('Asia/Kolkata and the turn of the year', () => {
    expect(utc(startOfLocalDate('2027-01-01', 'Asia/Kolkata'))).toBe('2026-12-31T18:30:00.000Z');
    expect(utc(startOfLocalDate('2027-01-01', 'America/New_York'))).toBe('2027-01-01T05:00:00.000Z');
    expect(utc(startOfLocalDate('2027-01-01', 'Pacific/Kiritimati'))).toBe('2026-12-31T10:00:00.000Z');
    expect(utc(startOfLocalDate('2026-12-31', 'Pacific/Auckland'))).toBe('2026-12-30T11:00:00.000Z');
    expect(utc(startOfLocalDate('2028-02-29', 'UTC'))).toBe('2028-02-29T00:00:00.000Z');
  });

  it('a date Samoa skipped begins (and ends) where the next one begins', () => {
    expect(utc(startOfLocalDate('2011-12-30', 'Pacific/Apia'))).toBe('2011-12-30T10:00:00.000Z');
    expect(startOfLocalDate('2011-12-31', 'Pacific/Apia')).toBe(startOfLocalDate('2011-12-30', 'Pacific/Apia'));
  });

  it('rejects what is not a YYYY-MM-DD date with a CalendarError naming date', () => {
    for (const bad of ['2026-02-29', '2026-13-01', '2026-3-8', '2026-03-08T00:00:00Z', '0000-12-31', '']) {
      expect(() => startOfLocalDate(bad, 'UTC')).toThrow(expect.objectContaining({ name: 'CalendarError', field: 'date' }));
    }
    expect(() => startOfLocalDate('2026-02-29', 'UTC')).toThrow(
      'date must be a date from 0001-01-01 to 9999-12-31 written YYYY-MM-DD, got "2026-02-29"'
    );
  });
});

describe('time zones', () => {
  it('isTimeZone knows IANA ids and their aliases, and nothing else', () => {
    expect(isTimeZone('America/New_York')).toBe(true);
    expect(isTimeZone('UTC')).toBe(true);
    expect(isTimeZone('US/Eastern')).toBe(true);
    expect(isTimeZone('Atlantis/Capital')).toBe(false);
    expect(isTimeZone('')).toBe(false);
    expect(isTimeZone(undefined)).toBe(false);
  });

  it('unknown or missing zones are a CalendarError naming timeZone', () => {
    expect(() => localDate(0, 'Atlantis/Capital')).toThrow(new CalendarError('timeZone: unknown time zone "Atlantis/Capital"'));
    expect(() => wallClock(0, ' ')).toThrow(expect.objectContaining({ name: 'CalendarError', field: 'timeZone' }));
    expect(() => startOfLocalDate('2026-01-01', 'Mars/Olympus_Mons')).toThrow(CalendarError);
  });

  it('rejects instants that are not dates', () => {
    expect(() => wallClock(new Date('not a date'), 'UTC')).toThrow(expect.objectContaining({ name: 'CalendarError', field: 'instant' }));
    expect(() => localDate(Number.POSITIVE_INFINITY, 'UTC')).toThrow(CalendarError);
  });
});

// ---- against Intl itself ---------------------------------------------------------------------------

const ZONES = [
  'America/New_York',
  'America/Sao_Paulo',
  'Australia/Lord_Howe',
  'Asia/Kolkata',
  'Asia/Kathmandu',
  'Pacific/Apia',
  'Pacific/Chatham',
  'Europe/Dublin', // negative DST in the tz database
  'Europe/Moscow',
  'Africa/Casablanca', // DST suspended for Ramadan
  'Antarctica/Troll', // two-hour DST
  'America/St_Johns',
  'UTC'
];

const intlFormatters = new Map<string, Intl.DateTimeFormat>();
const WEEKDAY: Record<string, number> = { Sun: 0, Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6 };

/** The wall clock straight from Intl.DateTimeFormat, no caching of offsets. */
function intlWallClock(t: number, zone: string): WallClock {
  let f = intlFormatters.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      weekday: 'short',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric'
    });
    intlFormatters.set(zone, f);
  }
  const p = Object.fromEntries(f.formatToParts(t).map((x) => [x.type, x.value]));
  return { year: +p.year, month: +p.month, day: +p.day, hour: +p.hour, minute: +p.minute, second: +p.second, weekday: WEEKDAY[p.weekday] };
}
const intlDate = (t: number, zone: string) => shown(intlWallClock(t, zone)).slice(0, 10);

const zone = fc.constantFrom(...ZONES);
/** Instants in 1800–2100 (whole seconds or not), and instants close to the zone changes of 2011–2026. */
const instant = fc.oneof(
  fc.integer({ min: Date.UTC(1800, 0, 1), max: Date.UTC(2100, 0, 1) }),
  fc.integer({ min: Date.UTC(2011, 0, 1), max: Date.UTC(2027, 0, 1) })
);
const date = fc
  .date({ min: new Date(Date.UTC(1900, 0, 1)), max: new Date(Date.UTC(2060, 0, 1)), noInvalidDate: true })
  .map((d) => d.toISOString().slice(0, 10));
const RUNS = { numRuns: 150 };

describe('agrees with Intl.DateTimeFormat', () => {
  it('wallClock and localDate at any instant', () => {
    fc.assert(
      fc.property(zone, instant, (z, t) => {
        expect(wallClock(t, z)).toEqual(intlWallClock(t, z));
        expect(localDate(t, z)).toBe(intlDate(t, z));
      }),
      RUNS
    );
  });

  it('startOfLocalDate is the first instant Intl shows on that date or later', () => {
    fc.assert(
      fc.property(zone, date, (z, d) => {
        const start = startOfLocalDate(d, z);
        expect(intlDate(start, z) >= d).toBe(true);
        expect(intlDate(start - 1, z) < d).toBe(true);
      }),
      RUNS
    );
  });

  it('on the days the clocks change (2011–2026), the instants of each local date begin at its start', () => {
    const changes = fc.tuple(zone, fc.integer({ min: Date.UTC(2011, 0, 1), max: Date.UTC(2027, 0, 1) })).map(([z, t]) => {
      // the first offset change at or after t, found with Intl by walking 4 hours at a time
      const offset = (u: number) => {
        const w = intlWallClock(u, z);
        return Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second) - Math.floor(u / 1000) * 1000;
      };
      let u = Math.floor(t / HOUR) * HOUR;
      const first = offset(u);
      for (let i = 0; i < 6 * 200 && offset(u) === first; i++) u += 4 * HOUR;
      return { z, around: u };
    });
    fc.assert(
      fc.property(changes, ({ z, around }) => {
        const d = intlDate(around, z);
        const start = startOfLocalDate(d, z);
        expect(start).toBeLessThanOrEqual(around);
        expect(intlDate(start, z) >= d && intlDate(start - 1, z) < d).toBe(true);
      }),
      { numRuns: 40 }
    );
  });
});
