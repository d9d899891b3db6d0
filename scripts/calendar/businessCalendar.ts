import { DAY_MS, MAX_YEAR, MINUTE_MS, MIN_YEAR, weekday } from './civil';
import { type Closure, type HolidayRule, closuresByDay, parseHolidays } from './holidays';
import { type DayHours, type WeekSchedule, parseWeek } from './schedule';
import { type CalendarDefinition, CalendarError } from './types';
import { type Zone, zoneFor } from './zone';

/**
 * The open time of one UTC year as sorted, disjoint UTC intervals [starts[i], ends[i]) with running
 * totals, so that "how much open time before t" and "where does the n-th open millisecond end" are
 * binary searches. Built once per calendar and year, on first use.
 */
interface YearBlock {
  readonly year: number;
  readonly from: number;
  readonly to: number;
  readonly starts: Float64Array;
  readonly ends: Float64Array;
  /** Open ms in the block before interval i. */
  readonly before: Float64Array;
  /** Open ms in the block up to the end of interval i. */
  readonly through: Float64Array;
  readonly total: number;
}

const MIN_INSTANT = Date.UTC(MIN_YEAR, 0, 1);
const MAX_INSTANT = Date.UTC(MAX_YEAR + 1, 0, 1);
/** More than any UTC offset (|offset| < 1 day), so a local day's UTC image always lies within ±MARGIN. */
const MARGIN = 2 * DAY_MS;

/**
 * Business-time arithmetic on a Salesforce BusinessHours calendar with its holidays, following
 * `BusinessHours.add` / `BusinessHours.diff`: only open time counts, an interval that starts outside
 * business hours counts from the next opening, and the schedule is wall-clock time in the calendar's
 * time zone (a daylight-saving day is an hour shorter or longer in real time when its open hours span the change).
 *
 * An instant is open when its local wall-clock time falls within that weekday's hours [start, end) and its
 * local date is not a holiday (or not within a partial holiday's window). Millisecond precision throughout.
 */
export class BusinessCalendar {
  /** The IANA time zone (TimeZoneSidKey). */
  readonly timeZone: string;
  readonly id: string | undefined;
  readonly name: string | undefined;
  /** Open minutes in a week without holidays, by the wall clock. */
  readonly weeklyMinutes: number;
  /**
   * How long a business day is, in minutes: the open time most of its open weekdays have (the longer one on
   * a tie), e.g. 480 for 09:00–17:00 on weekdays with a short Friday, 1440 for a 24-hour calendar. The "d"
   * of business time written for people ("4 d 2 h", see ./display).
   */
  readonly dayMinutes: number;

  private readonly zone: Zone;
  private readonly week: WeekSchedule;
  private readonly holidays: HolidayRule[];
  private readonly blocks = new Map<number, YearBlock>();
  private recent: YearBlock | undefined;

  constructor(definition: CalendarDefinition) {
    if (definition === null || typeof definition !== 'object' || Array.isArray(definition)) {
      throw new CalendarError('a calendar must be a BusinessHours record (an object) with a holidays array', 'calendar');
    }
    const record = definition as unknown as Record<string, unknown>;
    this.zone = zoneFor(record.TimeZoneSidKey);
    this.timeZone = this.zone.id;
    this.week = parseWeek(record);
    this.holidays = parseHolidays(record.holidays);
    this.id = typeof record.Id === 'string' ? record.Id : undefined;
    this.name = typeof record.Name === 'string' ? record.Name : undefined;
    this.weeklyMinutes = this.week.reduce((sum, d) => sum + (d ? (d.end - d.start) / MINUTE_MS : 0), 0);
    this.dayMinutes = typicalDay(this.week);
  }

  /**
   * The instant `minutes` business minutes after `start`: the end of the last counted minute. Counting
   * starts at `start` if open, else at the next opening; a result that lands on a closing time is that
   * closing time (16:00 + 60 min with a 17:00 close = 17:00 the same day). Adding 0 minutes returns
   * nextOpen(start). Fractional minutes are counted to the millisecond.
   */
  add(start: Date | number, minutes: number): Date {
    if (typeof minutes !== 'number' || !Number.isFinite(minutes) || minutes < 0) {
      throw new CalendarError(`minutes must be a number of at least 0, got ${String(minutes)}`, 'minutes');
    }
    return new Date(this.addMillis(start, Math.round(minutes * MINUTE_MS)));
  }

  /** add() in milliseconds: the UTC instant (ms) `ms` business milliseconds after `start`. */
  addMillis(start: Date | number, ms: number): number {
    const t = instant(start, 'start');
    if (typeof ms !== 'number' || !Number.isFinite(ms) || ms < 0) {
      throw new CalendarError(`the interval must be a number of at least 0 ms, got ${String(ms)}`, 'minutes');
    }
    if (ms === 0) return this.nextOpenMillis(t);
    let block = this.blockAt(t);
    let target = openBefore(block, t) + ms;
    while (target > block.total) {
      target -= block.total;
      block = this.following(block, 'minutes', () => `the result is after ${MAX_YEAR}-12-31, the end of the supported range`);
    }
    const i = firstAtLeast(block.through, target);
    return block.starts[i] + (target - block.before[i]);
  }

  /** Business minutes in [from, to) (fractional when the ends are not whole minutes). */
  diff(from: Date | number, to: Date | number): number {
    return this.diffMillis(from, to) / MINUTE_MS;
  }

  /** diff() in milliseconds. */
  diffMillis(from: Date | number, to: Date | number): number {
    const a = instant(from, 'from');
    const b = instant(to, 'to');
    if (b < a) {
      throw new CalendarError(`to (${iso(b)}) is before from (${iso(a)})`, 'to');
    }
    const first = this.blockAt(a);
    if (b < first.to) return openBefore(first, b) - openBefore(first, a);
    let sum = first.total - openBefore(first, a);
    const lastYear = new Date(b).getUTCFullYear();
    for (let y = first.year + 1; y < lastYear; y++) sum += this.block(y).total;
    return sum + openBefore(this.block(lastYear), b);
  }

  /** Whether business hours are open at `t` (opening time included, closing time excluded). */
  isOpen(t: Date | number): boolean {
    const at = instant(t, 'time');
    const block = this.blockAt(at);
    const i = firstAbove(block.ends, at);
    return i < block.ends.length && block.starts[i] <= at;
  }

  /** `t` itself when open, else the next opening (like BusinessHours.nextStartDate). */
  nextOpen(t: Date | number): Date {
    return new Date(this.nextOpenMillis(instant(t, 'time')));
  }

  private nextOpenMillis(t: number): number {
    let block = this.blockAt(t);
    const i = firstAbove(block.ends, t);
    if (i < block.ends.length) return Math.max(t, block.starts[i]);
    for (;;) {
      block = this.following(
        block,
        'holidays',
        () => `no open time between ${iso(t)} and ${MAX_YEAR}-12-31: holidays close every open day`
      );
      if (block.ends.length > 0) return block.starts[0];
    }
  }

  private blockAt(t: number): YearBlock {
    const recent = this.recent;
    if (recent !== undefined && t >= recent.from && t < recent.to) return recent;
    return (this.recent = this.block(new Date(t).getUTCFullYear()));
  }

  private following(block: YearBlock, field: string, message: () => string): YearBlock {
    if (block.year >= MAX_YEAR) throw new CalendarError(message(), field);
    return this.block(block.year + 1);
  }

  private block(year: number): YearBlock {
    let block = this.blocks.get(year);
    if (block === undefined) {
      block = this.buildBlock(year);
      this.blocks.set(year, block);
    }
    return block;
  }

  /** Maps each local day's open hours (minus holidays) to UTC through the zone's offset segments. */
  private buildBlock(year: number): YearBlock {
    const from = Date.UTC(year, 0, 1);
    const to = Date.UTC(year + 1, 0, 1);
    const segments = this.zone.segments(from - MARGIN, to + MARGIN);
    const firstDay = Math.floor((from - MARGIN) / DAY_MS);
    const lastDay = Math.floor((to + MARGIN) / DAY_MS);
    const closures = this.holidays.length > 0 ? closuresByDay(this.holidays, firstDay, lastDay) : undefined;
    const starts: number[] = [];
    const ends: number[] = [];
    let ordered = true;
    let p = 0;
    for (let day = firstDay; day <= lastDay; day++) {
      const hours = this.week[weekday(day)];
      if (!hours) continue;
      for (const [open, close] of openParts(hours, closures?.get(day))) {
        const wallStart = day * DAY_MS + open;
        const wallEnd = day * DAY_MS + close;
        while (p < segments.length && segments[p].to <= wallStart - MARGIN) p++;
        // the instants whose wall-clock time is in [wallStart, wallEnd), one offset segment at a time
        for (let k = p; k < segments.length && segments[k].from < wallEnd + MARGIN; k++) {
          const seg = segments[k];
          const lo = Math.max(seg.from, wallStart - seg.offset, from);
          const hi = Math.min(seg.to, wallEnd - seg.offset, to);
          if (lo >= hi) continue;
          const n = starts.length;
          if (n > 0 && lo < starts[n - 1]) ordered = false;
          if (ordered && n > 0 && lo <= ends[n - 1]) ends[n - 1] = Math.max(ends[n - 1], hi);
          else {
            starts.push(lo);
            ends.push(hi);
          }
        }
      }
    }
    // clocks set back across midnight can map a later local day before an earlier one's tail: sort and merge
    const [s, e] = ordered ? [starts, ends] : mergeIntervals(starts, ends);
    const n = s.length;
    const before = new Float64Array(n);
    const through = new Float64Array(n);
    let total = 0;
    for (let i = 0; i < n; i++) {
      before[i] = total;
      total += e[i] - s[i];
      through[i] = total;
    }
    return { year, from, to, starts: Float64Array.from(s), ends: Float64Array.from(e), before, through, total };
  }
}

/** A day's open hours minus its holiday windows, as [start, end) pairs in ms from local midnight. */
function openParts(hours: DayHours, closures: Closure[] | undefined): Array<[number, number]> {
  let parts: Array<[number, number]> = [[hours.start, hours.end]];
  if (closures) {
    for (const c of closures) {
      const next: Array<[number, number]> = [];
      for (const [a, b] of parts) {
        if (c.end <= a || c.start >= b) next.push([a, b]);
        else {
          if (c.start > a) next.push([a, c.start]);
          if (c.end < b) next.push([c.end, b]);
        }
      }
      parts = next;
    }
  }
  return parts;
}

function mergeIntervals(starts: number[], ends: number[]): [number[], number[]] {
  const order = starts.map((_, i) => i).sort((x, y) => starts[x] - starts[y]);
  const s: number[] = [];
  const e: number[] = [];
  for (const i of order) {
    const n = s.length;
    if (n > 0 && starts[i] <= e[n - 1]) e[n - 1] = Math.max(e[n - 1], ends[i]);
    else {
      s.push(starts[i]);
      e.push(ends[i]);
    }
  }
  return [s, e];
}

/** Open ms in the block before instant t (t within the block). */
function openBefore(block: YearBlock, t: number): number {
  const i = firstAbove(block.ends, t);
  if (i === block.ends.length) return block.total;
  const start = block.starts[i];
  return t > start ? block.before[i] + (t - start) : block.before[i];
}

/** First index whose value is > t (or the length). */
function firstAbove(values: Float64Array, t: number): number {
  let lo = 0;
  let hi = values.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (values[mid] > t) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/** First index whose value is >= t (or the length). */
function firstAtLeast(values: Float64Array, t: number): number {
  let lo = 0;
  let hi = values.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (values[mid] >= t) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

function instant(value: Date | number, field: string): number {
  const t = value instanceof Date ? value.getTime() : value;
  if (typeof t !== 'number' || !Number.isFinite(t)) {
    throw new CalendarError(`${field} is not a valid date: ${String(value)}`, field);
  }
  if (t < MIN_INSTANT || t >= MAX_INSTANT) {
    throw new CalendarError(`${field} (${iso(t)}) is outside the supported range ${MIN_YEAR}-01-01 to ${MAX_YEAR}-12-31`, field);
  }
  return t;
}

function iso(t: number): string {
  const d = new Date(t);
  return Number.isNaN(d.getTime()) ? String(t) : d.toISOString();
}

/** The open minutes most open weekdays have; on a tie, the longest of those. */
function typicalDay(week: WeekSchedule): number {
  const counts = new Map<number, number>();
  for (const d of week) if (d) counts.set((d.end - d.start) / MINUTE_MS, (counts.get((d.end - d.start) / MINUTE_MS) ?? 0) + 1);
  let best = 0;
  let bestCount = 0;
  for (const [minutes, count] of counts) {
    if (count > bestCount || (count === bestCount && minutes > best)) {
      best = minutes;
      bestCount = count;
    }
  }
  return best;
}
