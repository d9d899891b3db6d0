import fc from 'fast-check';
import { BusinessCalendar, type CalendarDefinition, type HolidayRecord } from '..';

/*
 * add/diff/isOpen/nextOpen against a deliberately simple reference that walks minute by minute and asks,
 * for every minute, "is this instant's local wall-clock time inside that weekday's hours, and is its local
 * date not a holiday?" — the definition of open time, with nothing precomputed but the UTC offset.
 */

const MIN = 60_000;
const DAY = 86_400_000;
const WEEKDAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

const ZONES = [
  'America/New_York',
  'Europe/London',
  'Europe/Berlin',
  'Asia/Kolkata',
  'Australia/Sydney',
  'America/Sao_Paulo', // DST until 2019, switched at local midnight
  'Pacific/Auckland',
  'America/Los_Angeles',
  'Asia/Kathmandu', // +05:45
  'Australia/Lord_Howe', // 30-minute DST
  'UTC'
];

/** Dates around DST changes (north and south), the year boundary, and Brazil's midnight changes of 2018/19. */
const ANCHORS = [
  '2026-03-08',
  '2026-03-29',
  '2026-04-05',
  '2026-09-27',
  '2026-10-04',
  '2026-10-25',
  '2026-11-01',
  '2026-12-31',
  '2026-06-15',
  '2018-11-04',
  '2019-02-16'
].map((d) => Date.parse(`${d}T00:00:00Z`));

// ---- the reference -------------------------------------------------------------------------------

const formatters = new Map<string, Intl.DateTimeFormat>();
const offsetMemo = new Map<string, Map<number, number>>();

/** UTC offset (ms) at `utc`, from Intl. Memoized per 15 UTC minutes: every zone here changes offset on a quarter hour. */
function offsetAt(zone: string, utc: number): number {
  let memo = offsetMemo.get(zone);
  if (!memo) offsetMemo.set(zone, (memo = new Map()));
  const key = Math.floor(utc / (15 * MIN));
  let offset = memo.get(key);
  if (offset === undefined) {
    let f = formatters.get(zone);
    if (!f) {
      f = new Intl.DateTimeFormat('en-US', {
        timeZone: zone,
        hourCycle: 'h23',
        year: 'numeric',
        month: 'numeric',
        day: 'numeric',
        hour: 'numeric',
        minute: 'numeric'
      });
      formatters.set(zone, f);
    }
    const at = key * 15 * MIN;
    const p = Object.fromEntries(f.formatToParts(at).map((x) => [x.type, x.value]));
    offset = Date.UTC(+p.year, +p.month - 1, +p.day, +p.hour, +p.minute) - at;
    memo.set(key, offset);
  }
  return offset;
}

interface RefCalendar {
  zone: string;
  /** per weekday [startMinute, endMinute) of the local day, or null */
  week: Array<[number, number] | null>;
  holidays: Array<{ matches(y: number, m: number, d: number, wd: number): boolean; from: number; to: number }>;
}

function refFromDefinition(def: CalendarDefinition): RefCalendar {
  const minutes = (t: string | null) => (t === null ? null : Number(t.slice(0, 2)) * 60 + Number(t.slice(3, 5)));
  const week = WEEKDAYS.map((day): [number, number] | null => {
    const rec = def as unknown as Record<string, string | null>;
    const s = minutes(rec[`${day}StartTime`]);
    const e = minutes(rec[`${day}EndTime`]);
    if (s === null || e === null) return null;
    return [s, e === 0 ? 1440 : e];
  });
  const holidays = def.holidays.map((h) => {
    const from = h.IsAllDay === false ? (h.StartTimeInMinutes ?? 0) : 0;
    const to = h.IsAllDay === false ? (h.EndTimeInMinutes ?? 1440) : 1440;
    const ymd = (s: string) => s.split('-').map(Number);
    if (!h.IsRecurrence) {
      const [yy, mm, dd] = ymd(h.ActivityDate!);
      return { from, to, matches: (y: number, m: number, d: number) => y === yy && m === mm && d === dd };
    }
    const month = MONTHS.indexOf(h.RecurrenceMonthOfYear!) + 1;
    const within = (y: number, m: number, d: number) => {
      const iso = `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
      return (!h.RecurrenceStartDate || iso >= h.RecurrenceStartDate) && (!h.RecurrenceEndDateOnly || iso <= h.RecurrenceEndDateOnly);
    };
    if (h.RecurrenceType === 'RecursYearly') {
      return { from, to, matches: (y: number, m: number, d: number) => m === month && d === h.RecurrenceDayOfMonth && within(y, m, d) };
    }
    // RecursYearlyNth with one weekday: the n-th such weekday of the month (n = 1..4), or the last
    const nth = ['First', 'Second', 'Third', 'Fourth', 'Last'].indexOf(h.RecurrenceInstance!);
    const wanted = Math.log2(h.RecurrenceDayOfWeekMask!);
    return {
      from,
      to,
      matches: (y: number, m: number, d: number, wd: number) => {
        if (m !== month || wd !== wanted || !within(y, m, d)) return false;
        const daysInMonth = new Date(Date.UTC(y, m, 0)).getUTCDate();
        return nth === 4 ? d + 7 > daysInMonth : Math.floor((d - 1) / 7) === nth;
      }
    };
  });
  return { zone: def.TimeZoneSidKey, week, holidays };
}

function refOpen(cal: RefCalendar, utc: number): boolean {
  const wall = utc + offsetAt(cal.zone, utc);
  const date = new Date(wall);
  const minuteOfDay = date.getUTCHours() * 60 + date.getUTCMinutes();
  const wd = date.getUTCDay();
  const hours = cal.week[wd];
  if (!hours || minuteOfDay < hours[0] || minuteOfDay >= hours[1]) return false;
  const y = date.getUTCFullYear();
  const m = date.getUTCMonth() + 1;
  const d = date.getUTCDate();
  return !cal.holidays.some((h) => h.matches(y, m, d, wd) && minuteOfDay >= h.from && minuteOfDay < h.to);
}

function refAdd(cal: RefCalendar, start: number, minutes: number): number {
  let t = start;
  if (minutes === 0) {
    while (!refOpen(cal, t)) t += MIN;
    return t;
  }
  for (let counted = 0; counted < minutes; t += MIN) if (refOpen(cal, t)) counted++;
  return t;
}

function refDiff(cal: RefCalendar, from: number, to: number): number {
  let n = 0;
  for (let t = from; t < to; t += MIN) if (refOpen(cal, t)) n++;
  return n;
}

// ---- random calendars ----------------------------------------------------------------------------

const hhmm = (minute: number) => `${String(Math.floor(minute / 60) % 24).padStart(2, '0')}:${String(minute % 60).padStart(2, '0')}:00.000Z`;

/** A minute of the day, biased to the hours clocks change at (00:00–03:00) and office hours. */
const minuteOfDay = fc.oneof(
  fc.constantFrom(0, 30, 60, 90, 120, 150, 180, 540, 1020),
  fc.integer({ min: 0, max: 1439 }),
  fc.integer({ min: 0, max: 23 }).map((h) => h * 60)
);

type DayKind = null | 'all' | [number, number];
const dayHours: fc.Arbitrary<DayKind> = fc.oneof(
  { weight: 2, arbitrary: fc.constant(null) },
  { weight: 1, arbitrary: fc.constant('all' as const) },
  { weight: 1, arbitrary: fc.constant([540, 1020] as [number, number]) },
  {
    weight: 3,
    arbitrary: fc
      .tuple(minuteOfDay, minuteOfDay)
      .filter(([a, b]) => a !== b)
      .map(([a, b]) => [Math.min(a, b), Math.max(a, b)] as [number, number])
  },
  { weight: 1, arbitrary: minuteOfDay.filter((a) => a > 0).map((a) => [a, 1440] as [number, number]) } // open until midnight
);

function holidayArb(anchor: number): fc.Arbitrary<HolidayRecord> {
  const nearDate = fc.integer({ min: -10, max: 25 }).map((d) => new Date(anchor + d * DAY));
  const partial = fc.option(
    fc
      .tuple(fc.integer({ min: 0, max: 1439 }), fc.integer({ min: 1, max: 1440 }))
      .filter(([a, b]) => a < b)
      .map(([a, b]) => ({ IsAllDay: false, StartTimeInMinutes: a, EndTimeInMinutes: b })),
    { freq: 4 }
  );
  const once = fc
    .tuple(nearDate, partial)
    .map(([d, p]) => ({ Name: 'One-off', ActivityDate: d.toISOString().slice(0, 10), IsAllDay: true, ...p }));
  const yearly = fc.tuple(nearDate, partial, fc.boolean()).map(([d, p, bounded]) => ({
    Name: 'Yearly',
    ActivityDate: null,
    IsAllDay: true,
    IsRecurrence: true,
    RecurrenceType: 'RecursYearly',
    RecurrenceMonthOfYear: MONTHS[d.getUTCMonth()],
    RecurrenceDayOfMonth: d.getUTCDate(),
    RecurrenceStartDate: bounded ? `${d.getUTCFullYear()}-01-01` : null,
    RecurrenceEndDateOnly: bounded ? `${d.getUTCFullYear()}-12-31` : null,
    ...p
  }));
  const nth = fc.tuple(nearDate, fc.constantFrom('First', 'Second', 'Third', 'Fourth', 'Last')).map(([d, instance]) => ({
    Name: 'Nth weekday',
    ActivityDate: null,
    IsAllDay: true,
    IsRecurrence: true,
    RecurrenceType: 'RecursYearlyNth',
    RecurrenceMonthOfYear: MONTHS[d.getUTCMonth()],
    RecurrenceDayOfWeekMask: 1 << d.getUTCDay(),
    RecurrenceInstance: instance
  }));
  return fc.oneof(once, yearly, nth);
}

interface Case {
  def: CalendarDefinition;
  anchor: number;
}

const calendarCase: fc.Arbitrary<Case> = fc
  .record({
    zone: fc.constantFrom(...ZONES),
    anchor: fc.constantFrom(...ANCHORS),
    days: fc.array(dayHours, { minLength: 7, maxLength: 7 }).filter((days) => days.some((d) => d !== null))
  })
  .chain(({ zone, anchor, days }) =>
    fc.array(holidayArb(anchor), { maxLength: 4 }).map((holidays): Case => {
      const def: Record<string, unknown> = { Name: 'Random', TimeZoneSidKey: zone, holidays };
      WEEKDAYS.forEach((day, i) => {
        const d = days[i];
        def[`${day}StartTime`] = d === null ? null : d === 'all' ? '00:00:00.000Z' : hhmm(d[0]);
        def[`${day}EndTime`] = d === null ? null : d === 'all' ? '00:00:00.000Z' : hhmm(d[1]);
      });
      return { def: def as unknown as CalendarDefinition, anchor };
    })
  );

/** A minute-aligned instant within a week either side of the anchor. */
const instantNear = (anchor: number) => fc.integer({ min: -7 * 1440, max: 7 * 1440 }).map((m) => anchor + m * MIN);

const RUNS = { numRuns: 120 };

/** Business minutes of a week of the calendar (the reference's budget for random spans). */
function weeklyMinutes(ref: RefCalendar): number {
  return ref.week.reduce((sum, d) => sum + (d ? d[1] - d[0] : 0), 0);
}

describe('business calendar against a minute-walking reference', () => {
  it('add(start, minutes) lands where walking the open minutes lands', () => {
    fc.assert(
      fc.property(
        calendarCase.chain((c) => fc.tuple(fc.constant(c), instantNear(c.anchor), fc.double({ min: 0, max: 1.5, noNaN: true }))),
        ([c, start, share]) => {
          const ref = refFromDefinition(c.def);
          const minutes = Math.round(share * Math.min(weeklyMinutes(ref), 3000));
          const cal = new BusinessCalendar(c.def);
          expect(new Date(cal.add(start, minutes)).toISOString()).toBe(new Date(refAdd(ref, start, minutes)).toISOString());
        }
      ),
      RUNS
    );
  });

  it('add stops at the closing time when the minutes run out exactly there', () => {
    // minutes = the open minutes up to a random instant, which is often in closed time: the answer is then a closing time
    fc.assert(
      fc.property(
        calendarCase.chain((c) => fc.tuple(fc.constant(c), instantNear(c.anchor), fc.integer({ min: 1, max: 5 * 1440 }))),
        ([c, start, span]) => {
          const ref = refFromDefinition(c.def);
          const minutes = refDiff(ref, start, start + span * MIN);
          const cal = new BusinessCalendar(c.def);
          expect(new Date(cal.add(start, minutes)).toISOString()).toBe(new Date(refAdd(ref, start, minutes)).toISOString());
        }
      ),
      RUNS
    );
  });

  it('diff(from, to) counts the open minutes in [from, to)', () => {
    fc.assert(
      fc.property(
        calendarCase.chain((c) => fc.tuple(fc.constant(c), instantNear(c.anchor), fc.integer({ min: 0, max: 12 * 1440 }))),
        ([c, from, span]) => {
          const ref = refFromDefinition(c.def);
          const cal = new BusinessCalendar(c.def);
          expect(cal.diff(from, from + span * MIN)).toBe(refDiff(ref, from, from + span * MIN));
        }
      ),
      RUNS
    );
  });

  it('isOpen and nextOpen agree with the reference minute by minute', () => {
    fc.assert(
      fc.property(
        calendarCase.chain((c) => fc.tuple(fc.constant(c), instantNear(c.anchor))),
        ([c, t]) => {
          const ref = refFromDefinition(c.def);
          const cal = new BusinessCalendar(c.def);
          expect(cal.isOpen(t)).toBe(refOpen(ref, t));
          expect(cal.nextOpen(t).getTime()).toBe(refAdd(ref, t, 0));
        }
      ),
      RUNS
    );
  });

  it('at millisecond precision, diff is additive and inverts add', () => {
    fc.assert(
      fc.property(
        calendarCase.chain((c) =>
          fc.tuple(
            fc.constant(c),
            fc.integer({ min: -7 * DAY, max: 7 * DAY }).map((ms) => c.anchor + ms),
            fc.integer({ min: 0, max: 3 * DAY }),
            fc.integer({ min: 0, max: 3 * DAY }),
            fc.integer({ min: 1, max: 5000 * MIN })
          )
        ),
        ([c, a, d1, d2, ms]) => {
          const cal = new BusinessCalendar(c.def);
          const b = a + d1;
          const z = b + d2;
          expect(cal.diffMillis(a, b) + cal.diffMillis(b, z)).toBe(cal.diffMillis(a, z));
          const due = cal.addMillis(a, ms);
          expect(cal.diffMillis(a, due)).toBe(ms);
          // the result is the end of a counted millisecond: open just before it
          expect(cal.isOpen(due - 1)).toBe(true);
          // fractional minutes: add() rounds to the millisecond
          expect(cal.add(a, ms / MIN).getTime()).toBe(due);
        }
      ),
      RUNS
    );
  });
});
