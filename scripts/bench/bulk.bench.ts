import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import type { Connection } from 'jsforce';
import { startTestOrg } from '../localorg/testing';
import { runSeed, seedNow } from '../seed';
import { defineBench, formatCount } from './harness';

/*
 * Plain inserts into the local org through a Bulk API 2.0 ingest job (CSV upload, parse, validation,
 * insert, results), against the REST API's sObject collections (200 records a call, 4 calls in
 * flight) in the same process: rows/s of each, the ratio, and rows per CPU-second (client and server
 * share this process, so CPU time says what the machine's load average hides).
 *
 * BULK_BENCH_ROWS rows of Lead (200,000 by default; the collections baseline gets a fifth of them, it
 * is the slow one), and the same number of SLA_Timer__c, an object with no field history. The org is a
 * file database, as `npm start` runs it.
 *
 * Then `seed --local` as the CLI runs it (plan built, loaded through Bulk ingest jobs above the loader's
 * threshold) for BULK_BENCH_SEED_LEADS leads (20,000 by default, about 220,000 records) into a fresh org:
 * records/s and records per CPU-second of the whole seed, plan included.
 *
 * The ceiling: the same number of Lead rows written straight into SQLite — the org's own Lead table
 * and indexes in a scratch database with the org's pragmas, one prepared INSERT a row, 10,000 rows a
 * transaction, none of the API's parsing, validation, field history or results. No ingest can be
 * faster than that on this machine.
 */

const ROWS = Number(process.env.BULK_BENCH_ROWS ?? 200_000);
/** Leads of the seed measured last (0: none); the demo data has about 11 records a lead. */
const SEED_LEADS = Number(process.env.BULK_BENCH_SEED_LEADS ?? 20_000);
const BASELINE_ROWS = Math.max(1000, Math.round(ROWS / 5));

interface Run {
  rows: number;
  seconds: number;
  perSecond: number;
  perCpuSecond: number;
}

const STATUSES = ['New', 'Marketing Qualified', 'Sales Accepted', 'Recycled'];
const SOURCES = ['Web', 'Phone Inquiry', 'Partner Referral', 'Purchased List', 'Other'];

function leadRow(i: number, tag: string): string[] {
  return [
    `First${i % 997}`,
    `Last ${i}`,
    `${tag} Company ${i % 5003}`,
    `lead${i}.${tag}@example.com`,
    STATUSES[i % 4],
    SOURCES[i % 5],
    String((i % 50) * 100000),
    i % 3 === 0 ? 'true' : 'false'
  ];
}
const LEAD_COLUMNS = ['FirstName', 'LastName', 'Company', 'Email', 'Status', 'LeadSource', 'AnnualRevenue', 'Needs_Dedupe__c'];
const TIMER_COLUMNS = ['Timer_Key__c', 'Status__c', 'Clock__c', 'Target_Minutes__c', 'Started_At__c', 'Policy__c'];
function timerRow(i: number, tag: string): string[] {
  return [
    `${tag}:${i}`,
    i % 2 ? 'Met' : 'Running',
    'Accept',
    String(i % 480),
    new Date(Date.UTC(2026, 0, 1) + i * 60000).toISOString(),
    'Default'
  ];
}

async function measure(fn: () => Promise<number>): Promise<Run> {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const rows = await fn();
  const seconds = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(c0);
  return { rows, seconds, perSecond: rows / seconds, perCpuSecond: rows / ((cpu.user + cpu.system) / 1e6) };
}

/** One ingest job: upload the CSV, close, wait for JobComplete; checks that every row was saved. */
async function ingestJob(conn: Connection, object: string, columns: string[], row: (i: number) => string[], n: number): Promise<number> {
  const base = `/services/data/v${conn.version}/jobs/ingest`;
  const csv = `${columns.join(',')}\n${Array.from({ length: n }, (_, i) => row(i).join(',')).join('\n')}\n`;
  const job = (await conn.request({
    method: 'POST',
    url: base,
    body: JSON.stringify({ object, operation: 'insert' }),
    headers: { 'content-type': 'application/json' }
  })) as { id: string };
  await conn.request({ method: 'PUT', url: `${base}/${job.id}/batches`, body: csv, headers: { 'content-type': 'text/csv' } });
  await conn.request({
    method: 'PATCH',
    url: `${base}/${job.id}`,
    body: JSON.stringify({ state: 'UploadComplete' }),
    headers: { 'content-type': 'application/json' }
  });
  for (;;) {
    const info = (await conn.request(`${base}/${job.id}`)) as {
      state: string;
      numberRecordsProcessed: number;
      numberRecordsFailed: number;
      errorMessage?: string;
    };
    if (info.state === 'JobComplete') {
      if (info.numberRecordsFailed > 0 || info.numberRecordsProcessed !== n) throw new Error(`ingest: ${JSON.stringify(info)}`);
      return n;
    }
    if (info.state === 'Failed' || info.state === 'Aborted') throw new Error(`ingest job ${info.state}: ${info.errorMessage ?? ''}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/**
 * Lead rows straight into SQLite: the org's Lead table and indexes (from its sqlite_master) in a
 * scratch file with the store's pragmas, rows copied from one the ingest saved with their Id, names
 * and email varied, inserted by one prepared statement, 10,000 a transaction.
 */
function rawSqliteInserts(orgFile: string, scratchFile: string, n: number): number {
  const source = new DatabaseSync(orgFile, { readOnly: true });
  const ddl = source
    .prepare(`SELECT sql FROM sqlite_master WHERE tbl_name = 'Lead' AND sql IS NOT NULL ORDER BY type = 'table' DESC`)
    .all() as Array<{
    sql: string;
  }>;
  const template = source.prepare('SELECT * FROM "Lead" LIMIT 1').get() as Record<string, string | number | null>;
  source.close();
  const db = new DatabaseSync(scratchFile);
  try {
    db.exec('PRAGMA journal_mode = WAL');
    db.exec('PRAGMA synchronous = NORMAL');
    db.exec('PRAGMA cache_size = -65536');
    for (const { sql } of ddl) db.exec(sql);
    const columns = Object.keys(template);
    const at = (c: string) => columns.indexOf(c);
    const [id, first, last, company, email] = ['Id', 'FirstName', 'LastName', 'Company', 'Email'].map(at);
    const insert = db.prepare(
      `INSERT INTO "Lead" (${columns.map((c) => `"${c}"`).join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`
    );
    for (let start = 0; start < n; start += 10_000) {
      db.exec('BEGIN IMMEDIATE');
      for (let i = start; i < Math.min(n, start + 10_000); i++) {
        const values = columns.map((c) => template[c]);
        const row = leadRow(i, 'raw');
        values[id] = `00Q9${i.toString(36).padStart(11, '0')}AAA`;
        values[first] = row[0];
        values[last] = row[1];
        values[company] = row[2];
        values[email] = row[3];
        insert.run(...values);
      }
      db.exec('COMMIT');
    }
    return n;
  } finally {
    db.close();
  }
}

/** The same records through sObject collections, 200 a call, 4 calls in flight. */
async function collections(conn: Connection, object: string, columns: string[], row: (i: number) => string[], n: number): Promise<number> {
  const url = `/services/data/v${conn.version}/composite/sobjects`;
  for (let i = 0; i < n; i += 800) {
    const calls: Array<Promise<Array<{ success: boolean }>>> = [];
    for (let j = i; j < Math.min(n, i + 800); j += 200) {
      const records = Array.from({ length: Math.min(200, n - j) }, (_, k) => {
        const values = row(j + k);
        const rec: Record<string, unknown> = { attributes: { type: object } };
        columns.forEach((c, x) => (rec[c] = c === 'Needs_Dedupe__c' ? values[x] === 'true' : values[x]));
        return rec;
      });
      calls.push(
        conn.request({
          method: 'POST',
          url,
          body: JSON.stringify({ allOrNone: true, records }),
          headers: { 'content-type': 'application/json' }
        })
      );
    }
    for (const results of await Promise.all(calls)) if (results.some((r) => !r.success)) throw new Error('collections: a record failed');
  }
  return n;
}

export default defineBench({
  name: 'bulk',
  description: `local org: ${formatCount(ROWS)} plain inserts through a Bulk API 2.0 ingest job vs sObject collections (rows/s, rows per CPU-second), and seed --local of ${formatCount(SEED_LEADS)} leads`,
  async run({ log }) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'closed-loop-bench-'));
    const line = (label: string, r: Run) =>
      log(
        `   ${label.padEnd(38)} ${formatCount(r.rows).padStart(9)} rows ${r.seconds.toFixed(2).padStart(7)} s ${formatCount(r.perSecond).padStart(9)} rows/s ${formatCount(r.perCpuSecond).padStart(9)} rows/CPU-s`
      );
    try {
      const org = await startTestOrg({ data: path.join(dir, 'bench.db') });
      const metrics: Record<string, number | string> = { rows: ROWS, baselineRows: BASELINE_ROWS };
      try {
        log(
          `   load average ${os
            .loadavg()
            .map((l) => l.toFixed(2))
            .join(' ')} on ${os.cpus().length} cores`
        );
        const leadRest = await measure(() => collections(org.conn, 'Lead', LEAD_COLUMNS, (i) => leadRow(i, 'rest'), BASELINE_ROWS));
        line('Lead, sObject collections (baseline)', leadRest);
        const leadBulk = await measure(() => ingestJob(org.conn, 'Lead', LEAD_COLUMNS, (i) => leadRow(i, 'bulk'), ROWS));
        line('Lead, Bulk API 2.0 ingest job', leadBulk);
        const timerBulk = await measure(() => ingestJob(org.conn, 'SLA_Timer__c', TIMER_COLUMNS, (i) => timerRow(i, 'bulk'), ROWS));
        line('SLA_Timer__c, Bulk API 2.0 ingest job', timerBulk);
        const raw = await measure(() => Promise.resolve(rawSqliteInserts(path.join(dir, 'bench.db'), path.join(dir, 'raw.db'), ROWS)));
        line('Lead, raw SQLite INSERT (the ceiling)', raw);
        if (SEED_LEADS > 0) {
          const seedOrg = await startTestOrg({ data: path.join(dir, 'seed.db') });
          try {
            const seeded = await measure(async () => {
              const summary = await runSeed(seedOrg.conn, {
                mode: 'local',
                seed: 42,
                leads: SEED_LEADS,
                now: seedNow('2026-03-04T15:00:00.000Z')
              });
              return Object.values(summary.created).reduce((sum, n) => sum + n, 0);
            });
            line(`seed --local, ${formatCount(SEED_LEADS)} leads (records)`, seeded);
            Object.assign(metrics, {
              seedLeads: SEED_LEADS,
              seedRecords: seeded.rows,
              seedSeconds: Number(seeded.seconds.toFixed(2)),
              seedRecordsPerSecond: Math.round(seeded.perSecond),
              seedRecordsPerCpuSecond: Math.round(seeded.perCpuSecond)
            });
          } finally {
            await seedOrg.close();
          }
        }
        log(`   ingest vs raw SQLite (Lead, rows/CPU-s): ${(leadBulk.perCpuSecond / raw.perCpuSecond).toFixed(2)}`);
        log(`   ingest vs collections (Lead): ${(leadBulk.perSecond / leadRest.perSecond).toFixed(1)}x`);
        log(
          `   load average ${os
            .loadavg()
            .map((l) => l.toFixed(2))
            .join(' ')}`
        );
        Object.assign(metrics, {
          leadCollectionsRowsPerSecond: Math.round(leadRest.perSecond),
          leadIngestRowsPerSecond: Math.round(leadBulk.perSecond),
          leadIngestRowsPerCpuSecond: Math.round(leadBulk.perCpuSecond),
          timerIngestRowsPerSecond: Math.round(timerBulk.perSecond),
          timerIngestRowsPerCpuSecond: Math.round(timerBulk.perCpuSecond),
          ingestVsCollections: Number((leadBulk.perSecond / leadRest.perSecond).toFixed(2)),
          rawSqliteRowsPerSecond: Math.round(raw.perSecond),
          rawSqliteRowsPerCpuSecond: Math.round(raw.perCpuSecond),
          ingestVsRawSqliteCpu: Number((leadBulk.perCpuSecond / raw.perCpuSecond).toFixed(2)),
          loadAverage: os.loadavg()[0].toFixed(2)
        });
      } finally {
        await org.close();
      }
      return { ok: true, metrics };
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }
});
