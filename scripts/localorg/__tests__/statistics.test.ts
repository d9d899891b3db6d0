import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { startTestOrg } from '../testing';

/**
 * The org keeps SQLite's query planner statistics (Store.refreshStatistics): a report's query over a range of a
 * field with no index reads the object's table in order, as it does without any External ID on the object, where
 * without statistics SQLite walked the whole table through the External ID's partial index (`IsDeleted = 0`), a
 * row lookup per row; finding a record by its External ID still uses that index. The same answers either way.
 */

const QUERY = `SELECT COUNT(*) AS n FROM "Scorecard_Snapshot__c" t1 WHERE t1."IsDeleted" = 0 AND t1."Period_Start__c" >= ?`;

test('an org on disk has planner statistics once it holds records: a range on a field without an index scans the table', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'closed-loop-statistics-'));
  const file = path.join(dir, 'org.db');
  let org = await startTestOrg({ data: file });
  try {
    const snapshots = Array.from({ length: 400 }, (_, i) => ({
      Name: `Commitment ${i}`,
      Commitment__c: `Commitment_${i}`,
      Period_Start__c: `2026-0${1 + (i % 9)}-01`
    }));
    for (let i = 0; i < snapshots.length; i += 200) {
      const saved = await org.conn.sobject('Scorecard_Snapshot__c').create(snapshots.slice(i, i + 200), { allOrNone: true });
      expect(saved.every((r) => r.success)).toBe(true);
    }
    // the next start of the org on that file brings the statistics up to date
    await org.close();
    org = await startTestOrg({ data: file });
    const observer = new DatabaseSync(file, { readOnly: true });
    try {
      const plan = (sql: string, ...params: string[]) =>
        (observer.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...params) as Array<{ detail: string }>).map((r) => r.detail);
      expect(plan(QUERY, '2026-05-01')).toEqual(['SCAN t1']);
      expect(
        plan(`SELECT "Id" FROM "Scorecard_Snapshot__c" t1 WHERE t1."IsDeleted" = 0 AND t1."Commitment__c" = ?`, 'Commitment_7')
      ).toEqual(['SEARCH t1 USING INDEX ix_Scorecard_Snapshot__c_Commitment__c (Commitment__c=?)']);
    } finally {
      observer.close();
    }
    const counted = await org.conn.query(`SELECT COUNT() FROM Scorecard_Snapshot__c WHERE Period_Start__c >= 2026-05-01`);
    expect(counted.totalSize).toBe(snapshots.filter((s) => s.Period_Start__c >= '2026-05-01').length);
    const one = await org.conn.query<{ Name: string }>(`SELECT Name FROM Scorecard_Snapshot__c WHERE Commitment__c = 'Commitment_7'`);
    expect(one.records.map((r) => r.Name)).toEqual(['Commitment 7']);
  } finally {
    await org.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}, 60_000);

/**
 * The fields deployed reports filter their time frames on are indexed (Lead.MQL_At__c: the funnel report's), and the
 * org reads a range on one through the index when it holds few rows and reads the table when it holds many
 * (soql/rangeHints.ts): the same answers either way, for ranges of every width, one-sided ones and date literals.
 */
test('a report date field is indexed, and ranges of every width on it give the same answers', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'closed-loop-ranges-'));
  const file = path.join(dir, 'org.db');
  const org = await startTestOrg({ data: file, now: () => new Date('2026-03-04T15:00:00.000Z') });
  try {
    const start = Date.parse('2025-11-25T00:00:00.000Z');
    const leads = Array.from({ length: 600 }, (_, i) => ({
      LastName: `Lead ${i}`,
      Company: 'Acme',
      // one in six without a value, the rest a few hours apart over about 100 days
      MQL_At__c: i % 6 === 0 ? null : new Date(start + i * 4 * 3_600_000).toISOString()
    }));
    for (let i = 0; i < leads.length; i += 200) {
      const saved = await org.conn.sobject('Lead').create(leads.slice(i, i + 200), { allOrNone: true });
      expect(saved.every((r) => r.success)).toBe(true);
    }
    const observer = new DatabaseSync(file, { readOnly: true });
    try {
      const index = observer.prepare(`SELECT sql FROM sqlite_master WHERE name = 'ix_Lead_MQL_At__c'`).get() as { sql: string };
      expect(index.sql).toBe('CREATE INDEX "ix_Lead_MQL_At__c" ON "Lead" ("MQL_At__c")');
      const plan = (column: string) =>
        (
          observer
            .prepare(`EXPLAIN QUERY PLAN SELECT COUNT(*) FROM "Lead" t WHERE t."IsDeleted" = 0 AND ${column} >= ? AND ${column} < ?`)
            .all('2026-01-01', '2026-01-08') as Array<{ detail: string }>
        ).map((r) => r.detail);
      // a narrow range is SQLite's to read through the index; `+column` (a wide one) reads the table
      expect(plan('t."MQL_At__c"')).toEqual(['SEARCH t USING INDEX ix_Lead_MQL_At__c (MQL_At__c>? AND MQL_At__c<?)']);
      expect(plan('+t."MQL_At__c"')).toEqual(['SCAN t']);
    } finally {
      observer.close();
    }
    const expected = (from: string | null, to: string | null) =>
      leads.filter((l) => l.MQL_At__c !== null && (from === null || l.MQL_At__c >= from) && (to === null || l.MQL_At__c < to)).length;
    const count = async (where: string) => (await org.conn.query(`SELECT COUNT() FROM Lead WHERE ${where}`)).totalSize;
    const iso = (d: string) => new Date(d).toISOString();
    for (const [from, to] of [
      ['2026-01-01T05:00:00Z', '2026-01-08T05:00:00Z'], // a week: through the index
      ['2025-12-01T05:00:00Z', '2026-03-01T05:00:00Z'], // most of the data: the table
      ['2025-04-01T04:00:00Z', '2025-07-01T04:00:00Z'], // before any value
      ['2026-03-01T05:00:00Z', '2026-04-01T04:00:00Z'] // past the last value
    ]) {
      expect(await count(`MQL_At__c >= ${from} AND MQL_At__c < ${to}`)).toBe(expected(iso(from), iso(to)));
      // and aggregated, as a report asks
      const agg = await org.conn.query<{ n: number }>(`SELECT COUNT(Id) n FROM Lead WHERE MQL_At__c >= ${from} AND MQL_At__c < ${to}`);
      expect(agg.records[0].n).toBe(expected(iso(from), iso(to)));
    }
    expect(await count(`MQL_At__c > 2026-02-20T00:00:00Z`)).toBe(expected(iso('2026-02-20T00:00:00.001Z'), null));
    expect(await count(`MQL_At__c < 2025-12-01T00:00:00Z`)).toBe(expected(null, iso('2025-12-01T00:00:00Z')));
    expect(await count(`MQL_At__c = LAST_N_DAYS:7 OR MQL_At__c = null`)).toBeGreaterThan(0);
  } finally {
    await org.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}, 60_000);
