import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Connection } from 'jsforce';
import type { TestOrg } from '../../localorg/testing';
import { jsonResult, runCli } from '../../testing/cli';
import type { Digest, DigestRow } from '../digest';
import { parseSince, periodDates, periodsBefore } from '../digest';
import { startReportOrg } from './fixture';

/**
 * `closed-loop digest` on the seeded local org (seed 7, 300 leads up to 2026-03-18): every figure against
 * the same figure computed here from the raw records with this test's own SOQL, dates and arithmetic.
 */

type Row = Record<string, unknown>;
const WEEK = { from: '2026-03-08', to: '2026-03-14' }; // Sunday to Saturday
const PREVIEW = 'http://127.0.0.1:5180';

/** The instant local midnight of `date` falls on in `tz`, found with Intl alone (whole-hour offsets). */
function localMidnight(date: string, tz: string): string {
  const f = new Intl.DateTimeFormat('en-CA', {
    timeZone: tz,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    hourCycle: 'h23'
  });
  const [y, m, d] = date.split('-').map(Number);
  for (let h = -14; h <= 14; h++) {
    const t = Date.UTC(y, m - 1, d) - h * 3_600_000;
    const p = Object.fromEntries(f.formatToParts(t).map((x) => [x.type, x.value]));
    if (`${p.year}-${p.month}-${p.day}` === date && p.hour === '00') return new Date(t).toISOString().replace('.000Z', 'Z');
  }
  throw new Error(`no midnight for ${date} in ${tz}`);
}

const nextDay = (date: string) => new Date(Date.parse(`${date}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
const round = (x: number, d: number) => Math.round(x * 10 ** d) / 10 ** d;
const avg = (rows: Row[]) => {
  const v = rows.map((r) => r.Rating__c).filter((x): x is number => typeof x === 'number');
  return v.length ? round(v.reduce((a, b) => a + b, 0) / v.length, 2) : null;
};

async function all(conn: Connection, soql: string): Promise<Row[]> {
  return (await conn.query<Row>(soql, { autoFetch: true, maxFetch: 100_000 })).records;
}

describe('closed-loop digest on a seeded org: every figure matches the raw records', () => {
  let org: TestOrg;
  let digest: Digest;
  let tz: string;
  const between = async (from: string, to: string) => {
    const where = `Submitted_At__c >= ${localMidnight(from, tz)} AND Submitted_At__c < ${localMidnight(nextDay(to), tz)}`;
    return all(
      org.conn,
      `SELECT Id, Lead__c, Lead_Source__c, Campaign__c, Campaign__r.Name, Disposition__c, Reason__c, Rating__c, Submitted_At__c FROM Lead_Quality_Feedback__c WHERE ${where}`
    );
  };
  let feedback: Row[];

  beforeAll(async () => {
    org = await startReportOrg();
    const id = await org.conn.identity();
    tz = (await all(org.conn, `SELECT TimeZoneSidKey FROM User WHERE Id = '${id.user_id}'`))[0].TimeZoneSidKey as string;
    const run = await runCli([
      'digest',
      '--since',
      `${WEEK.from}..${WEEK.to}`,
      '--trend',
      '3',
      '--json',
      '--connection-file',
      org.connectionFile
    ]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    digest = jsonResult<Digest>(run.stdout);
    feedback = await between(WEEK.from, WEEK.to);
  }, 120_000);
  afterAll(async () => {
    await org?.close();
  });

  test('the fixture has feedback of every disposition and duplicates in the week', () => {
    expect(new Set(feedback.map((r) => r.Disposition__c))).toEqual(new Set(['Accept', 'Recycle', 'Reject']));
    expect(digest.period).toEqual({ name: `${WEEK.from}..${WEEK.to}`, ...WEEK, timeZone: tz });
  });

  test('MQLs handed over, in total and per lead source, and the share sales accepted', async () => {
    const where = `MQL_At__c >= ${localMidnight(WEEK.from, tz)} AND MQL_At__c < ${localMidnight(nextDay(WEEK.to), tz)}`;
    const leads = await all(org.conn, `SELECT Id, LeadSource, Reached_SAL__c FROM Lead WHERE ${where}`);
    expect(leads.length).toBeGreaterThan(0);
    expect(digest.mqls).toBe(leads.length);
    const sal = leads.reduce((n, r) => n + Number(r.Reached_SAL__c ?? 0), 0);
    expect(digest.mqlToSal).toBe(round((sal / leads.length) * 100, 1));
    const bySource = new Map<string | null, number>();
    for (const l of leads)
      bySource.set((l.LeadSource as string | null) ?? null, (bySource.get((l.LeadSource as string | null) ?? null) ?? 0) + 1);
    for (const [source, n] of bySource) expect([source, digest.bySource.find((r) => r.key === source)?.mqls]).toEqual([source, n]);
    expect(digest.bySource.reduce((n, r) => n + (r.mqls ?? 0), 0)).toBe(leads.length);
  });

  const expectRows = (rows: DigestRow[], key: (r: Row) => string | null) => {
    const groups = new Map<string | null, Row[]>();
    for (const r of feedback) groups.set(key(r), [...(groups.get(key(r)) ?? []), r]);
    for (const [k, mine] of groups) {
      const row = rows.find((r) => r.key === k)!;
      const of = (d: string) => mine.filter((r) => r.Disposition__c === d);
      expect([k, row.feedback, row.accepted, row.recycled, row.rejected, row.averageRating]).toEqual([
        k,
        mine.length,
        of('Accept').length,
        of('Recycle').length,
        of('Reject').length,
        avg(mine)
      ]);
      for (const [d, top] of [
        ['Reject', row.topReject],
        ['Recycle', row.topRecycle]
      ] as const) {
        const counts = new Map<string, number>();
        for (const r of of(d)) counts.set(String(r.Reason__c), (counts.get(String(r.Reason__c)) ?? 0) + 1);
        expect(top.map((f) => f.count)).toEqual([...counts.values()].sort((a, b) => b - a).slice(0, 3));
        for (const f of top) expect([f.reason, f.count]).toEqual([f.reason, counts.get(f.reason)]);
      }
      for (const e of row.examples) {
        const fb = mine.find((r) => r.Id === e.feedbackId)!;
        expect([e.disposition, e.reason, e.leadId, e.url]).toEqual([
          fb.Disposition__c,
          fb.Reason__c,
          fb.Lead__c,
          `${PREVIEW}/lead/${String(fb.Lead__c)}`
        ]);
      }
    }
    expect(
      rows
        .filter((r) => r.feedback > 0)
        .map((r) => r.key)
        .sort()
    ).toEqual([...groups.keys()].sort());
  };

  test('accepted, recycled and rejected, average rating, top reasons and example leads per lead source', () => {
    expectRows(digest.bySource, (r) => (r.Lead_Source__c as string | null) ?? null);
    const f = digest.feedback;
    expect([f.total, f.accepted + f.recycled + f.rejected, f.averageRating]).toEqual([feedback.length, feedback.length, avg(feedback)]);
  });

  test('the same per campaign', () => {
    expectRows(digest.byCampaign, (r) => (r.Campaign__c as string | null) ?? null);
  });

  test('the rating trend: this week and the two before, each as its own records say', async () => {
    const weeks = [{ from: '2026-02-22', to: '2026-02-28' }, { from: '2026-03-01', to: '2026-03-07' }, WEEK];
    const expected = [];
    for (const w of weeks) {
      const rows = await between(w.from, w.to);
      expected.push({ ...w, feedback: rows.length, averageRating: avg(rows) });
    }
    expect(digest.ratingTrend).toEqual(expected);
    // each source's rating the week before
    const before = await between('2026-03-01', '2026-03-07');
    for (const row of digest.bySource.filter((r) => r.feedback > 0)) {
      expect([row.label, row.previousRating]).toEqual([
        row.label,
        avg(before.filter((r) => ((r.Lead_Source__c as string | null) ?? null) === row.key))
      ]);
    }
  });

  test('duplicates flagged: leads rejected as a duplicate or already in contact, newest first, linked', () => {
    const dups = feedback.filter((r) => r.Disposition__c === 'Reject' && ['Duplicate', 'Already in contact'].includes(String(r.Reason__c)));
    expect(dups.length).toBeGreaterThan(0);
    expect(digest.duplicates.flagged).toBe(dups.length);
    const newest = [...dups].sort((a, b) => String(b.Submitted_At__c).localeCompare(String(a.Submitted_At__c))).slice(0, 3);
    expect(digest.duplicates.examples.map((e) => [e.feedbackId, e.url])).toEqual(
      newest.map((r) => [r.Id, `${PREVIEW}/lead/${String(r.Lead__c)}`])
    );
  });

  test('--format html: one page to forward — no script, no external resource, the figures, every example lead linked', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'digest-'));
    const file = path.join(dir, 'digest.html');
    const run = await runCli([
      'digest',
      '--since',
      `${WEEK.from}..${WEEK.to}`,
      '--format',
      'html',
      '--out',
      file,
      '--connection-file',
      org.connectionFile
    ]);
    expect([run.code, run.stderr]).toEqual([0, `Wrote ${file}\n`]);
    const html = fs.readFileSync(file, 'utf8');
    fs.rmSync(dir, { recursive: true, force: true });
    expect(html).not.toMatch(/<script|<link|src=|@import|url\(/i);
    expect(html).toContain(`MQLs handed over: ${digest.mqls}`);
    for (const e of digest.bySource.flatMap((r) => r.examples)) expect(html).toContain(`<a href="${e.url!}">`);
    expect(html).toMatch(new RegExp(`${digest.duplicates.flagged} leads? rejected as a duplicate or already in contact`));
  });

  test('text: the headline figures, a section per source and campaign, the trend', async () => {
    const run = await runCli(['digest', '--since', `${WEEK.from}..${WEEK.to}`, '--connection-file', org.connectionFile]);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(new RegExp(`^MQLs handed over: ${digest.mqls} `, 'm'));
    expect(run.stdout).toMatch(/^By lead source$/m);
    expect(run.stdout).toMatch(/^By campaign$/m);
    expect(run.stdout).toMatch(/^ {2}2026-03-08 to 2026-03-14 .*← this period$/m);
    expect(run.stdout.split('\n').filter((l) => l.length > 120)).toEqual([]);
    expect(run.stdout).toMatch(/^ {4}http:\/\/127\.0\.0\.1:5180\/lead\/00Q\w{15}$/m);
  });

  test('--as marketing: run as marketing ops (as closed-loop report --as), the same figures as the admin', async () => {
    const run = await runCli([
      'digest',
      '--since',
      `${WEEK.from}..${WEEK.to}`,
      '--trend',
      '3',
      '--json',
      '--connection-file',
      org.connectionFile,
      '--as',
      'marketing'
    ]);
    expect([run.code, run.stderr]).toEqual([0, '']);
    const mine = jsonResult<Digest>(run.stdout);
    expect(mine.period.timeZone).toBe(digest.period.timeZone);
    expect({ ...mine, computedAt: null }).toEqual({ ...digest, computedAt: null });
  });

  test('bad --since: one line, exit 2, before the org is touched', async () => {
    const run = await runCli(['digest', '--since', 'yesterday-ish', '--connection-file', path.join(os.tmpdir(), 'no-such-org.json')]);
    expect([run.code, run.stderr]).toEqual([2, expect.stringMatching(/^closed-loop: --since must be last-week, .*got "yesterday-ish"\n$/)]);
  });
});

describe('digest periods', () => {
  const now = new Date('2026-03-18T16:00:00Z'); // a Wednesday
  it.each([
    ['last-week', { from: '2026-03-08', to: '2026-03-14' }, [{ from: '2026-03-01', to: '2026-03-07' }]],
    ['this-week', { from: '2026-03-15', to: '2026-03-21' }, [{ from: '2026-03-08', to: '2026-03-14' }]],
    ['last-month', { from: '2026-02-01', to: '2026-02-28' }, [{ from: '2026-01-01', to: '2026-01-31' }]],
    ['2026-03-10', { from: '2026-03-10', to: '2026-03-18' }, [{ from: '2026-03-01', to: '2026-03-09' }]],
    ['2026-02-01..2026-02-10', { from: '2026-02-01', to: '2026-02-10' }, [{ from: '2026-01-22', to: '2026-01-31' }]]
  ])('--since %s covers %j, and the period before is %j', (since, dates, before) => {
    const p = parseSince(since);
    expect(periodDates(p, 'America/New_York', now)).toEqual(dates);
    expect(periodsBefore(p, dates, 1)).toEqual(before);
  });

  it('refuses what is not a period', () => {
    expect(() => parseSince('today')).toThrow(/--since must be/);
    expect(() => parseSince('2026-03-10..2026-03-01')).toThrow(/is after/);
  });
});
