import { DAY_MS } from './civil';
import { CalendarError } from './types';

/** A stretch of UTC time [from, to) over which a zone's offset is constant: wall clock = UTC + offset. */
export interface OffsetSegment {
  from: number;
  to: number;
  offset: number;
}

/**
 * A time zone's UTC offsets, from the platform's own tz database through Intl.DateTimeFormat (the only
 * time-zone source available both in Node and in the browser). Offsets are found once per UTC year by
 * sampling every day and bisecting each change to the second, then cached: later lookups never touch Intl.
 */
export class Zone {
  private readonly parts: Intl.DateTimeFormat;
  private readonly years = new Map<number, OffsetSegment[]>();
  private recent: OffsetSegment | undefined;

  constructor(readonly id: string) {
    this.parts = new Intl.DateTimeFormat('en-US', {
      timeZone: id,
      hourCycle: 'h23',
      era: 'short',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric'
    });
  }

  /** The offset (ms) at a UTC instant, straight from Intl (slow; the segments cache it). */
  offsetAt(utc: number): number {
    const seconds = Math.floor(utc / 1000) * 1000;
    const f: Record<string, string> = {};
    for (const p of this.parts.formatToParts(seconds)) f[p.type] = p.value;
    const wall = new Date(0);
    // Intl writes 1 BC as year 1 with era BC; astronomical year numbering has it as year 0
    const year = f.era === 'BC' ? 1 - Number(f.year) : Number(f.year);
    wall.setUTCFullYear(year, Number(f.month) - 1, Number(f.day));
    wall.setUTCHours(Number(f.hour), Number(f.minute), Number(f.second), 0);
    return wall.getTime() - seconds;
  }

  /** The offset (ms) at a UTC instant, from the cached segments (Intl is read only the first time a UTC year is asked about). */
  offset(utc: number): number {
    const recent = this.recent;
    if (recent !== undefined && utc >= recent.from && utc < recent.to) return recent.offset;
    const segs = this.yearSegments(new Date(utc).getUTCFullYear());
    let lo = 0;
    let hi = segs.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >>> 1;
      if (segs[mid].from <= utc) lo = mid;
      else hi = mid - 1;
    }
    this.recent = segs[lo];
    return segs[lo].offset;
  }

  /** Offset segments covering the UTC year `year` exactly. */
  yearSegments(year: number): OffsetSegment[] {
    let segs = this.years.get(year);
    if (!segs) {
      segs = this.scanYear(year);
      this.years.set(year, segs);
    }
    return segs;
  }

  /** Offset segments covering [from, to), merged where the offset does not change. */
  segments(from: number, to: number): OffsetSegment[] {
    const out: OffsetSegment[] = [];
    const firstYear = new Date(from).getUTCFullYear();
    const lastYear = new Date(to - 1).getUTCFullYear();
    for (let y = firstYear; y <= lastYear; y++) {
      for (const s of this.yearSegments(y)) {
        const a = Math.max(s.from, from);
        const b = Math.min(s.to, to);
        if (a >= b) continue;
        const last = out[out.length - 1];
        if (last && last.offset === s.offset && last.to === a) last.to = b;
        else out.push({ from: a, to: b, offset: s.offset });
      }
    }
    return out;
  }

  private scanYear(year: number): OffsetSegment[] {
    const start = yearStart(year);
    const end = yearStart(year + 1);
    const segs: OffsetSegment[] = [];
    let segStart = start;
    let offset = this.offsetAt(start);
    let lo = start;
    while (lo < end) {
      const hi = Math.min(lo + DAY_MS, end);
      let next = this.offsetAt(hi);
      // one or more changes in (lo, hi]: bisect each to the second
      while (next !== offset) {
        let a = lo / 1000;
        let b = hi / 1000;
        while (b - a > 1) {
          const mid = Math.floor((a + b) / 2);
          if (this.offsetAt(mid * 1000) === offset) a = mid;
          else b = mid;
        }
        const change = b * 1000;
        if (change >= end) break; // the change belongs to the next year
        if (change > segStart) segs.push({ from: segStart, to: change, offset });
        segStart = change;
        offset = this.offsetAt(change);
        lo = change;
        next = this.offsetAt(hi);
      }
      lo = hi;
    }
    segs.push({ from: segStart, to: end, offset });
    return segs;
  }
}

/** 1 January 00:00 UTC of `year` (Date.UTC would read the years 0–99 as 1900–1999). */
function yearStart(year: number): number {
  const d = new Date(0);
  d.setUTCFullYear(year, 0, 1);
  return d.getTime();
}

const zones = new Map<string, Zone>();

/** The shared Zone for an IANA id (as in BusinessHours.TimeZoneSidKey); CalendarError when the platform does not know it. */
export function zoneFor(id: unknown, field = 'TimeZoneSidKey'): Zone {
  if (typeof id !== 'string' || id.trim() === '') {
    throw new CalendarError(`${field} is required: the IANA time zone of the business hours, e.g. "America/New_York"`, field);
  }
  let zone = zones.get(id);
  if (!zone) {
    try {
      zone = new Zone(id);
    } catch {
      throw new CalendarError(`${field}: unknown time zone "${id}"`, field);
    }
    zones.set(id, zone);
  }
  return zone;
}
