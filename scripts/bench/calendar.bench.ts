import { BusinessCalendar, type CalendarDefinition, type HolidayRecord } from '../calendar';
import { defineBench, formatCount, measure, random, sink } from './harness';

/*
 * The business calendar against a minute-walking baseline, on the same seeded random cases in this
 * process: ops/s of each, the ratio, and whether every answer agrees. The baseline is the obvious
 * implementation (step one minute at a time, ask "is this minute open?"), given a fair chance: its UTC
 * offsets are memoized per quarter hour, so it pays for walking, not for Intl.
 */

const MIN = 60_000;
const DAY = 86_400_000;
const WEEKDAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
const ZONES = [
  'America/New_York',
  'America/Los_Angeles',
  'America/Sao_Paulo',
  'Europe/London',
  'Europe/Berlin',
  'Asia/Kolkata',
  'Asia/Tokyo',
  'Australia/Sydney',
  'Pacific/Auckland'
];
const CALENDARS = 24;
const CASES = 1000;

type Op = { kind: 'add'; cal: number; from: number; minutes: number } | { kind: 'diff'; cal: number; from: number; to: number };

// ---- the baseline ----------------------------------------------------------------------------------

class MinuteWalker {
  private readonly offsets = new Map<number, number>();
  private readonly format: Intl.DateTimeFormat;
  private readonly week: Array<[number, number] | null>;
  private readonly holidays: Array<(y: number, m: number, d: number, wd: number) => boolean>;

  constructor(def: CalendarDefinition) {
    this.format = new Intl.DateTimeFormat('en-US', {
      timeZone: def.TimeZoneSidKey,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric'
    });
    const rec = def as unknown as Record<string, string | null>;
    const minutes = (t: string) => Number(t.slice(0, 2)) * 60 + Number(t.slice(3, 5));
    this.week = WEEKDAYS.map((d) => {
      const s = rec[`${d}StartTime`];
      const e = rec[`${d}EndTime`];
      return s === null || e === null ? null : [minutes(s), minutes(e) === 0 ? 1440 : minutes(e)];
    });
    this.holidays = def.holidays.map((h) => {
      if (!h.IsRecurrence) {
        const [yy, mm, dd] = h.ActivityDate!.split('-').map(Number);
        return (y, m, d) => y === yy && m === mm && d === dd;
      }
      const month = MONTHS.indexOf(h.RecurrenceMonthOfYear!) + 1;
      if (h.RecurrenceType === 'RecursYearly') return (_y, m, d) => m === month && d === h.RecurrenceDayOfMonth;
      const wanted = Math.log2(h.RecurrenceDayOfWeekMask!);
      const nth = ['First', 'Second', 'Third', 'Fourth', 'Last'].indexOf(h.RecurrenceInstance!);
      return (y, m, d, wd) =>
        m === month && wd === wanted && (nth === 4 ? d + 7 > new Date(Date.UTC(y, m, 0)).getUTCDate() : Math.floor((d - 1) / 7) === nth);
    });
  }

  private offset(utc: number): number {
    const key = Math.floor(utc / (15 * MIN));
    let o = this.offsets.get(key);
    if (o === undefined) {
      const at = key * 15 * MIN;
      const p = Object.fromEntries(this.format.formatToParts(at).map((x) => [x.type, x.value]));
      o = Date.UTC(+p.year, +p.month - 1, +p.day, +p.hour, +p.minute) - at;
      this.offsets.set(key, o);
    }
    return o;
  }

  isOpen(utc: number): boolean {
    const wall = new Date(utc + this.offset(utc));
    const minute = wall.getUTCHours() * 60 + wall.getUTCMinutes();
    const wd = wall.getUTCDay();
    const hours = this.week[wd];
    if (!hours || minute < hours[0] || minute >= hours[1]) return false;
    const y = wall.getUTCFullYear();
    const m = wall.getUTCMonth() + 1;
    const d = wall.getUTCDate();
    return !this.holidays.some((h) => h(y, m, d, wd));
  }

  add(from: number, minutes: number): number {
    let t = from;
    if (minutes === 0) {
      while (!this.isOpen(t)) t += MIN;
      return t;
    }
    for (let n = 0; n < minutes; t += MIN) if (this.isOpen(t)) n++;
    return t;
  }

  diff(from: number, to: number): number {
    let n = 0;
    for (let t = from; t < to; t += MIN) if (this.isOpen(t)) n++;
    return n;
  }
}

// ---- random cases ----------------------------------------------------------------------------------

const hhmm = (m: number) => `${String(Math.floor(m / 60) % 24).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}:00.000Z`;

function randomCalendar(rnd: () => number, zone: string): CalendarDefinition {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)];
  const shape = pick(['office', 'office', 'office', 'long', 'around the clock', 'weekend shifts']);
  const def: Record<string, unknown> = { Name: `${shape} ${zone}`, TimeZoneSidKey: zone };
  WEEKDAYS.forEach((d, wd) => {
    const weekday = wd >= 1 && wd <= 5;
    let hours: [number, number] | 'all' | null = null;
    if (shape === 'office' && weekday) hours = [pick([480, 510, 540]), pick([1020, 1050, 1080])];
    if (shape === 'long' && weekday) hours = [pick([0, 60, 120, 360]), pick([1200, 1440])];
    if (shape === 'around the clock') hours = weekday || rnd() < 0.5 ? 'all' : null;
    if (shape === 'weekend shifts') hours = weekday ? [540, 1020] : [pick([0, 90, 600]), pick([720, 1440])];
    def[`${d}StartTime`] = hours === null ? null : hours === 'all' ? '00:00:00.000Z' : hhmm(hours[0]);
    def[`${d}EndTime`] = hours === null ? null : hours === 'all' ? '00:00:00.000Z' : hhmm(hours[1]);
  });
  const holidays: HolidayRecord[] = [
    {
      Name: "New Year's Day",
      ActivityDate: null,
      IsRecurrence: true,
      RecurrenceType: 'RecursYearly',
      RecurrenceMonthOfYear: 'January',
      RecurrenceDayOfMonth: 1
    },
    {
      Name: 'Christmas',
      ActivityDate: null,
      IsRecurrence: true,
      RecurrenceType: 'RecursYearly',
      RecurrenceMonthOfYear: 'December',
      RecurrenceDayOfMonth: 25
    },
    {
      Name: 'Thanksgiving',
      ActivityDate: null,
      IsRecurrence: true,
      RecurrenceType: 'RecursYearlyNth',
      RecurrenceMonthOfYear: 'November',
      RecurrenceDayOfWeekMask: 16,
      RecurrenceInstance: 'Fourth'
    }
  ];
  for (let i = 0; i < 6; i++) {
    holidays.push({
      Name: `Company day ${i}`,
      ActivityDate: new Date(Date.UTC(2025, 0, 1) + Math.floor(rnd() * 3 * 365) * DAY).toISOString().slice(0, 10)
    });
  }
  def.holidays = holidays;
  return def as unknown as CalendarDefinition;
}

function randomCases(rnd: () => number): { defs: CalendarDefinition[]; ops: Op[] } {
  const defs = Array.from({ length: CALENDARS }, (_, i) => randomCalendar(rnd, ZONES[i % ZONES.length]));
  // starts over three years, half of them within a week of a DST change somewhere
  const dst = ['2025-03-09', '2025-03-30', '2025-10-26', '2025-11-02', '2026-04-05', '2026-09-27', '2026-03-08', '2026-11-01'].map((d) =>
    Date.parse(d)
  );
  const ops: Op[] = [];
  for (let i = 0; i < CASES; i++) {
    const cal = Math.floor(rnd() * CALENDARS);
    const from =
      rnd() < 0.5
        ? dst[Math.floor(rnd() * dst.length)] + Math.floor((rnd() - 0.5) * 14 * 1440) * MIN
        : Date.UTC(2025, 0, 1) + Math.floor(rnd() * 3 * 365 * 1440) * MIN;
    if (rnd() < 0.5) ops.push({ kind: 'add', cal, from, minutes: rnd() < 0.05 ? 0 : 1 + Math.floor(rnd() * 2400) });
    else ops.push({ kind: 'diff', cal, from, to: from + Math.floor(rnd() * 10 * 1440) * MIN });
  }
  return { defs, ops };
}

// ---- the bench -------------------------------------------------------------------------------------

export default defineBench({
  name: 'calendar',
  description: 'business calendar add/diff vs. a minute-walking baseline on the same random cases',
  run(ctx) {
    const { defs, ops } = randomCases(random(20260311));
    const calendars = defs.map((d) => new BusinessCalendar(d));
    const walkers = defs.map((d) => new MinuteWalker(d));
    const fromDates = ops.map((op) => new Date(op.from));
    const toDates = ops.map((op) => (op.kind === 'diff' ? new Date(op.to) : new Date(0)));

    const viaCalendar = (i: number): number => {
      const op = ops[i];
      const cal = calendars[op.cal];
      return op.kind === 'add' ? cal.add(fromDates[i], op.minutes).getTime() : cal.diff(fromDates[i], toDates[i]);
    };
    const viaWalker = (i: number): number => {
      const op = ops[i];
      const w = walkers[op.cal];
      return op.kind === 'add' ? w.add(op.from, op.minutes) : w.diff(op.from, op.to);
    };

    // first pass: the answers (this also warms both sides' caches: calendar year tables, walker offsets)
    let agree = 0;
    const disagreements: string[] = [];
    for (let i = 0; i < ops.length; i++) {
      const a = viaCalendar(i);
      const b = viaWalker(i);
      if (a === b) agree++;
      else if (disagreements.length < 5)
        disagreements.push(`case ${i} (${defs[ops[i].cal].Name}, ${ops[i].kind} from ${fromDates[i].toISOString()}): ${a} vs ${b}`);
    }

    const fast = measure((i) => (sink.value = viaCalendar(i % ops.length)), { minMs: 1500 });
    const slow = measure((i) => (sink.value = viaWalker(i % ops.length)), { minMs: 1500, maxIterations: ops.length });
    const ratio = fast.perSecond / slow.perSecond;

    // cold: a fresh calendar for every question (no year table built yet; zone offsets stay cached per process)
    const cold = measure(
      (i) => {
        const op = ops[i % ops.length];
        const cal = new BusinessCalendar(defs[op.cal]);
        sink.value =
          op.kind === 'add' ? cal.add(fromDates[i % ops.length], op.minutes) : cal.diff(fromDates[i % ops.length], toDates[i % ops.length]);
      },
      { minMs: 1000 }
    );

    // a very long span: 1,000,000 business minutes (about 8 years of office hours)
    const office = defs.findIndex((d) => d.Name?.startsWith('office'));
    const longStart = Date.UTC(2026, 0, 5, 14);
    const t0 = performance.now();
    const longDue = new BusinessCalendar(defs[office]).add(longStart, 1_000_000).getTime();
    const longColdMs = performance.now() - t0;
    const warm = calendars[office];
    const longWarm = measure(() => (sink.value = warm.add(longStart, 1_000_000)), { minMs: 300 });
    const t1 = performance.now();
    const longWalked = walkers[office].add(longStart, 1_000_000);
    const longWalkMs = performance.now() - t1;
    const longAgrees = longDue === longWalked;

    const adds = ops.filter((o) => o.kind === 'add').length;
    ctx.log(
      `   ${formatCount(ops.length)} random cases (${adds} add, ${ops.length - adds} diff) on ${CALENDARS} calendars in ${ZONES.length} time zones`
    );
    ctx.log(
      `   business calendar      ${formatCount(fast.perSecond).padStart(12)} ops/s   (${formatCount(fast.iterations)} ops in ${fast.ms.toFixed(0)} ms)`
    );
    ctx.log(
      `   minute-walking         ${formatCount(slow.perSecond).padStart(12)} ops/s   (${formatCount(slow.iterations)} ops in ${slow.ms.toFixed(0)} ms)`
    );
    ctx.log(`   ratio                  ${formatCount(ratio).padStart(12)} ×`);
    ctx.log(`   cold (new calendar per op) ${formatCount(cold.perSecond).padStart(8)} ops/s`);
    ctx.log(`   answers agree          ${agree} of ${ops.length}${agree === ops.length ? '' : '  ← MISMATCH'}`);
    for (const d of disagreements) ctx.log(`     ${d}`);
    ctx.log(
      `   add 1,000,000 minutes  ${longColdMs.toFixed(1)} ms cold, ${(1000 / longWarm.perSecond).toFixed(4)} ms warm; ` +
        `minute-walking ${longWalkMs.toFixed(0)} ms; ${longAgrees ? 'same answer' : 'DIFFERENT ANSWERS'} (${new Date(longDue).toISOString()})`
    );
    ctx.log(
      `   targets                ≥ 1,000,000 ops/s: ${fast.perSecond >= 1e6 ? 'met' : 'NOT met'}; ≥ 100× baseline: ${ratio >= 100 ? 'met' : 'NOT met'}`
    );

    return {
      ok: agree === ops.length && longAgrees,
      metrics: {
        cases: ops.length,
        calendarOpsPerSecond: Math.round(fast.perSecond),
        baselineOpsPerSecond: Math.round(slow.perSecond),
        ratio: Math.round(ratio),
        coldOpsPerSecond: Math.round(cold.perSecond),
        agree,
        longSpanColdMs: Number(longColdMs.toFixed(2)),
        longSpanWalkMs: Math.round(longWalkMs),
        longSpanAgrees: longAgrees
      }
    };
  }
});
