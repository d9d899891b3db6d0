import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Connection } from 'jsforce';
import { startTestOrg } from '../localorg/testing';
import { defineBench, formatCount } from './harness';

/*
 * Reading a large table from the local org page by page (query + queryMore over HTTP with jsforce, 2,000
 * records a page), with and without ORDER BY: rows/s of an unordered read, of `ORDER BY SystemModstamp`
 * (the SLA sync's incremental read) with keyset paging, and of the same ordered read paged with
 * LIMIT/OFFSET as the local org did before (the same database file reopened with `offsetPaging`). The
 * ordered read is also made as a rep (a user token with the Closed_Loop_Rep permission set: field-level
 * security and sharing checked), against the admin's full-access read in the same run.
 *
 * 200,000 rows by default; LOCALORG_BENCH_ROWS=1000000 for the million-row variant (the OFFSET baseline
 * then takes minutes on its own: it is quadratic).
 */

const ROWS = Number(process.env.LOCALORG_BENCH_ROWS ?? 200_000);

interface Read {
  rows: number;
  seconds: number;
  perSecond: number;
  ok: boolean;
}

async function insert(conn: Connection, n: number): Promise<void> {
  const statuses = ['Running', 'At Risk', 'Met', 'Breached'];
  const batch = 200;
  const inflight = 4;
  for (let i = 0; i < n; i += batch * inflight) {
    const requests: Array<Promise<Array<{ success: boolean }>>> = [];
    for (let j = i; j < Math.min(n, i + batch * inflight); j += batch) {
      const records = Array.from({ length: Math.min(batch, n - j) }, (_, k) => ({
        attributes: { type: 'SLA_Timer__c' },
        Timer_Key__c: `bench:${j + k}`,
        Status__c: statuses[(j + k) % 4],
        Target_Minutes__c: (j + k) % 97
      }));
      requests.push(
        conn.request({
          method: 'POST',
          url: '/services/data/v64.0/composite/sobjects',
          body: JSON.stringify({ allOrNone: true, records }),
          headers: { 'content-type': 'application/json' }
        })
      );
    }
    for (const results of await Promise.all(requests)) {
      if (results.some((r) => !r.success)) throw new Error(`insert failed: ${JSON.stringify(results.find((r) => !r.success))}`);
    }
  }
}

/** Reads every page of `soql`; checks the row count, that no Id repeats and (when ordered) the order. */
async function read(conn: Connection, soql: string, ordered: boolean): Promise<Read> {
  const t0 = performance.now();
  const seen = new Set<string>();
  let last = '';
  let inOrder = true;
  let page = await conn.query<{ Id: string; SystemModstamp: string }>(soql);
  for (;;) {
    for (const r of page.records) {
      seen.add(r.Id);
      if (ordered) {
        if (r.SystemModstamp < last) inOrder = false;
        last = r.SystemModstamp;
      }
    }
    if (page.done) break;
    page = await conn.queryMore<{ Id: string; SystemModstamp: string }>(page.nextRecordsUrl!);
  }
  const seconds = (performance.now() - t0) / 1000;
  return { rows: seen.size, seconds, perSecond: seen.size / seconds, ok: seen.size === ROWS && inOrder };
}

export default defineBench({
  name: 'localorg',
  description: `local org: query + queryMore over ${formatCount(ROWS)} rows, unordered / ORDER BY SystemModstamp (keyset) / ORDER BY with OFFSET paging`,
  async run({ log }) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'closed-loop-bench-'));
    const data = path.join(dir, 'bench.db');
    const unordered = 'SELECT Id, Status__c, SystemModstamp FROM SLA_Timer__c';
    const ordered = 'SELECT Id, Status__c, SystemModstamp FROM SLA_Timer__c ORDER BY SystemModstamp';
    const line = (label: string, r: Read) =>
      log(
        `   ${label.padEnd(34)} ${formatCount(r.rows).padStart(9)} rows ${r.seconds.toFixed(2).padStart(7)} s ${formatCount(r.perSecond).padStart(8)} rows/s${r.ok ? '' : '  WRONG'}`
      );
    try {
      let org = await startTestOrg({ data });
      let plain: Read;
      let keyset: Read;
      let asRep: Read;
      try {
        const t0 = performance.now();
        await insert(org.conn, ROWS);
        const s = (performance.now() - t0) / 1000;
        log(`   inserted ${formatCount(ROWS)} SLA_Timer__c in ${s.toFixed(1)} s (${formatCount(ROWS / s)} rows/s, collections of 200)`);
        plain = await read(org.conn, unordered, false);
        line('no ORDER BY (rowid keyset)', plain);
        keyset = await read(org.conn, ordered, true);
        line('ORDER BY SystemModstamp (keyset)', keyset);
        const rep = await org.createUser({ username: 'bench.rep@example.com', permissionSets: ['Closed_Loop_Rep'] });
        asRep = await read(rep.conn, ordered, true);
        line('ORDER BY SystemModstamp (as a rep)', asRep);
      } finally {
        await org.close();
      }
      org = await startTestOrg({ data, offsetPaging: true });
      let offset: Read;
      try {
        offset = await read(org.conn, ordered, true);
        line('ORDER BY SystemModstamp (OFFSET)', offset);
      } finally {
        await org.close();
      }
      const speedup = keyset.perSecond / offset.perSecond;
      log(
        `   keyset vs OFFSET: ${speedup.toFixed(1)}x; ordered keyset read at ${((keyset.perSecond / plain.perSecond) * 100).toFixed(0)}% of the unordered rate`
      );
      log(`   a rep's ordered read at ${((asRep.perSecond / keyset.perSecond) * 100).toFixed(0)}% of the admin's`);
      return {
        ok: plain.ok && keyset.ok && offset.ok && asRep.ok,
        metrics: {
          rows: ROWS,
          unorderedRowsPerSecond: Math.round(plain.perSecond),
          orderedKeysetRowsPerSecond: Math.round(keyset.perSecond),
          orderedOffsetRowsPerSecond: Math.round(offset.perSecond),
          keysetVsOffset: Number(speedup.toFixed(2)),
          keysetVsUnordered: Number((keyset.perSecond / plain.perSecond).toFixed(2)),
          repRowsPerSecond: Math.round(asRep.perSecond),
          repVsAdmin: Number((asRep.perSecond / keyset.perSecond).toFixed(2))
        }
      };
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }
});
