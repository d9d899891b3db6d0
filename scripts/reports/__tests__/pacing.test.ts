import { BusinessCalendar, type CalendarDefinition } from '../../calendar';
import { elapsedShare, pace, type PaceInput } from '../pacing';

/** New York office hours, Monday–Friday 09:00–17:00: 23 business days (184 h) in December 2026. */
function office(): BusinessCalendar {
  const def: Record<string, unknown> = { Name: 'Office', TimeZoneSidKey: 'America/New_York', holidays: [] };
  for (const d of ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday']) {
    def[`${d}StartTime`] = '09:00:00.000Z';
    def[`${d}EndTime`] = '17:00:00.000Z';
  }
  for (const d of ['Saturday', 'Sunday']) def[`${d}StartTime`] = def[`${d}EndTime`] = null;
  return new BusinessCalendar(def as unknown as CalendarDefinition);
}

const DECEMBER = { start: Date.parse('2026-12-01T05:00:00Z'), end: Date.parse('2027-01-01T05:00:00Z') };
const mqlVolume = (actual: number | null, now: string): PaceInput => ({
  actual,
  target: 300,
  comparison: 'At Least',
  unit: 'Count',
  ...DECEMBER,
  now: Date.parse(now),
  calendar: office(),
  format: (v) => v.toLocaleString('en-US')
});

describe('the scorecard knows where the period is', () => {
  it('paces a volume mid-month by the business days elapsed: on pace', () => {
    // Tue 8 Dec 10:00 EST: Dec 1–4 (32 h) + Mon 7 (8 h) + 1 h = 41 of 184 business hours
    const p = pace(mqlVolume(201, '2026-12-08T15:00:00Z'));
    expect(p.status).toBe('in progress');
    expect(p.elapsed).toBeCloseTo(41 / 184, 10);
    expect(p.expected).toBeCloseTo(300 * (41 / 184), 2);
    expect([p.result, p.note]).toEqual(['On pace', 'on pace: 67 expected by today']);
  });

  it('… and behind pace, saying how far: "201 of 235 expected by today"', () => {
    // Thu 24 Dec 17:00 EST: 18 business days (144 h) of 23 have passed; 300 × 144/184 = 234.8
    const p = pace(mqlVolume(201, '2026-12-24T22:00:00Z'));
    expect([p.result, p.note]).toEqual(['Off pace', 'behind pace: 201 of 235 expected by today']);
  });

  it('counts no time over a weekend: Saturday stands where Friday closed', () => {
    const cal = office();
    const friday = elapsedShare(cal, DECEMBER.start, DECEMBER.end, Date.parse('2026-12-04T22:00:00Z'));
    const saturday = elapsedShare(cal, DECEMBER.start, DECEMBER.end, Date.parse('2026-12-05T18:00:00Z'));
    expect(saturday).toBe(friday);
    expect(friday).toBeCloseTo(32 / 184, 10);
  });

  it('paces a rate by where it stands so far, not pro-rated', () => {
    const rate = (actual: number): PaceInput => ({ ...mqlVolume(actual, '2026-12-08T15:00:00Z'), target: 90, unit: 'Percent' });
    expect(pace(rate(78.4))).toMatchObject({ result: 'Off pace', note: 'behind pace so far' });
    expect(pace(rate(92))).toMatchObject({ result: 'On pace', note: 'on pace so far' });
    expect(pace(rate(92)).expected).toBeUndefined();
  });

  it('paces an at-most volume against the limit to date', () => {
    const limit = (actual: number): PaceInput => ({ ...mqlVolume(actual, '2026-12-24T22:00:00Z'), target: 10, comparison: 'At Most' });
    expect(pace(limit(5))).toMatchObject({ result: 'On pace', note: 'on pace: at most 8 by today' });
    expect(pace(limit(9))).toMatchObject({ result: 'Off pace', note: 'over pace: 9, at most 8 by today' });
  });

  it('gives the final verdict only once the period has ended', () => {
    expect(pace(mqlVolume(201, '2027-01-02T15:00:00Z'))).toMatchObject({ status: 'ended', result: 'Missed', note: 'missed' });
    expect(pace(mqlVolume(301, '2027-01-02T15:00:00Z'))).toMatchObject({ status: 'ended', result: 'Met', note: 'met' });
  });

  it('gives a period that has not started no verdict', () => {
    expect(pace(mqlVolume(null, '2026-11-20T15:00:00Z'))).toEqual({ status: 'not started', result: 'Not started', note: 'not started' });
  });

  it('says "no data" for a period without records, ended or running', () => {
    expect(pace(mqlVolume(null, '2027-02-01T15:00:00Z'))).toMatchObject({ result: 'No data', note: 'no data' });
    expect(pace(mqlVolume(null, '2026-12-08T15:00:00Z'))).toMatchObject({ result: 'No data', note: 'no data yet' });
  });
});
