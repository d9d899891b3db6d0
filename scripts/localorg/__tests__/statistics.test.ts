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
