import type { Connection } from 'jsforce';
import { startTestOrg } from '../localorg/testing';
import type { TestOrg } from '../localorg/testing';
import { LOCAL_SYNC_USER } from '../org/personas';
import { compileAll, runReport } from '../reports/runner';
import { computeScorecard } from '../reports/scorecard';
import { runSeed, seedNow } from '../seed';
import { runSync } from '../sla/sync';
import type { SyncSummary } from '../sla/sync';
import { defineBench, formatCount } from './harness';

/*
 * The product at scale: SCALE_LEADS leads (default 100,000) seeded into two local orgs alike, one loaded and
 * synced on the data layer's default path (Bulk API 2.0 jobs above its thresholds), the other on REST only
 * (`bulk: false`: collections of 200, query pages of 2,000), in the same process, so their ratio is measured
 * under the same load. Then, on the Bulk org: an incremental sync after 100 leads changed, one an hour later,
 * each shipped report and the scorecard.
 *
 * Peak RSS is the highest resident set size sampled every 20 ms while a step runs: the process holds the local
 * org (its SQLite pages and HTTP server) as well as the client, so it is an upper bound of the client's own.
 * API calls are the HTTP requests the sync's data layer counted on the connection (its summary's apiCalls).
 */

const LEADS = Number(process.env.SCALE_LEADS ?? 100_000);
/** A Wednesday, 10:00 in New York (the demo's business hours). */
const SEEDED_AT = '2026-03-04T15:00:00.000Z';
const CHANGED = 100;
const HOUR = 3_600_000;

interface Measured<T> {
  value: T;
  seconds: number;
  peakRssMb: number;
}

/** Runs `fn`, timing it and sampling the process's RSS. */
async function measured<T>(fn: () => Promise<T>): Promise<Measured<T>> {
  let peak = process.memoryUsage.rss();
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage.rss());
  }, 20);
  const t0 = performance.now();
  try {
    const value = await fn();
    peak = Math.max(peak, process.memoryUsage.rss());
    return { value, seconds: (performance.now() - t0) / 1000, peakRssMb: Math.round(peak / 2 ** 20) };
  } finally {
    clearInterval(timer);
  }
}

export default defineBench({
  name: 'scale',
  description: `seed, sync (Bulk vs REST-only), incremental syncs, reports and scorecard at SCALE_LEADS (now ${formatCount(LEADS)}) leads`,
  async run({ log }) {
    const seededAt = seedNow(SEEDED_AT);
    let clock = seededAt.getTime();
    const orgs: TestOrg[] = [];
    const metrics: Record<string, number | string | boolean> = { leads: LEADS };
    try {
      const bulkOrg = await startTestOrg({ now: () => new Date(clock) });
      orgs.push(bulkOrg);
      const restOrg = await startTestOrg({ now: () => new Date(clock) });
      orgs.push(restOrg);

      const seedBulk = await measured(() => runSeed(bulkOrg.conn, { mode: 'local', seed: 42, leads: LEADS, now: seededAt }));
      const seedRest = await measured(() => runSeed(restOrg.conn, { mode: 'local', seed: 42, leads: LEADS, now: seededAt, bulk: false }));
      const records = Object.values(seedBulk.value.created).reduce((s, n) => s + n, 0);
      log(
        `   seed ${formatCount(LEADS)} leads (${formatCount(records)} records): Bulk path ${seedBulk.seconds.toFixed(1)} s, ` +
          `${formatCount(seedBulk.value.requests)} requests, peak RSS ${seedBulk.peakRssMb} MB | REST only ${seedRest.seconds.toFixed(1)} s, ` +
          `${formatCount(seedRest.value.requests)} requests | ${(seedRest.seconds / seedBulk.seconds).toFixed(2)}× faster`
      );
      Object.assign(metrics, {
        records,
        seedBulkSeconds: seedBulk.seconds,
        seedBulkRequests: seedBulk.value.requests,
        seedRestSeconds: seedRest.seconds,
        seedRestRequests: seedRest.value.requests
      });

      const bulkUser = await bulkOrg.connectionAs(LOCAL_SYNC_USER.Username);
      const restUser = await restOrg.connectionAs(LOCAL_SYNC_USER.Username);
      const sync = async (conn: Connection, label: string, rest = false): Promise<Measured<SyncSummary>> => {
        const m = await measured(() => runSync(conn, { now: clock, clock: () => clock, ...(rest ? { bulk: false as const } : {}) }));
        const s = m.value;
        log(
          `   ${label.padEnd(34)} ${s.mode.padEnd(11)} ${formatCount(s.records.leads).padStart(7)} leads ${m.seconds.toFixed(1).padStart(6)} s ` +
            `${formatCount(s.apiCalls).padStart(6)} API calls ${formatCount(s.writes.requests).padStart(5)} write requests ` +
            `${formatCount(s.writes.records).padStart(7)} records written | peak RSS ${m.peakRssMb} MB`
        );
        return m;
      };

      clock += HOUR;
      const fullBulk = await sync(bulkUser, 'full sync, Bulk path');
      const fullRest = await sync(restUser, 'full sync, REST only', true);
      log(
        `   full sync REST/Bulk: time ${(fullRest.seconds / fullBulk.seconds).toFixed(2)}×, API calls ` +
          `${(fullRest.value.apiCalls / fullBulk.value.apiCalls).toFixed(2)}×, peak RSS ${(fullRest.peakRssMb / fullBulk.peakRssMb).toFixed(2)}×`
      );

      clock += 60_000;
      const waiting = await bulkOrg.conn.query<{ Id: string }>(
        `SELECT Id FROM Lead WHERE Status = 'Marketing Qualified' AND IsConverted = false LIMIT ${CHANGED}`
      );
      await bulkOrg.conn.sobject('Lead').update(
        waiting.records.map((r) => ({ Id: r.Id, Status: 'Sales Accepted' })),
        { allOrNone: true }
      );
      clock += 60_000;
      const changed = await sync(bulkUser, `after ${waiting.records.length} changed leads`);
      clock += HOUR;
      const hour = await sync(bulkUser, 'an hour later, nothing changed');
      Object.assign(metrics, {
        fullBulkSeconds: fullBulk.seconds,
        fullBulkApiCalls: fullBulk.value.apiCalls,
        fullBulkPeakRssMb: fullBulk.peakRssMb,
        fullRestSeconds: fullRest.seconds,
        fullRestApiCalls: fullRest.value.apiCalls,
        fullRestPeakRssMb: fullRest.peakRssMb,
        changedSeconds: changed.seconds,
        changedApiCalls: changed.value.apiCalls,
        changedRecordsWritten: changed.value.writes.records,
        hourApiCalls: hour.value.apiCalls,
        hourWriteRequests: hour.value.writes.requests,
        hourRecordsWritten: hour.value.writes.records,
        hourQuiet: hour.value.quiet
      });

      const now = new Date(clock);
      for (const report of compileAll()) {
        const name = report.def.developerName;
        const m = await measured(() => runReport(bulkOrg.conn, report.def, { now }));
        log(`   report ${name.padEnd(40)} ${m.seconds.toFixed(2).padStart(6)} s | peak RSS ${m.peakRssMb} MB`);
        metrics[`report_${name}_seconds`] = m.seconds;
        metrics[`report_${name}_peakRssMb`] = m.peakRssMb;
      }
      const card = await measured(() => computeScorecard(bulkOrg.conn, { now }));
      log(
        `   scorecard (${card.value.lines.length} commitments)${''.padEnd(20)} ${card.seconds.toFixed(2).padStart(6)} s | peak RSS ${card.peakRssMb} MB`
      );
      Object.assign(metrics, { scorecardSeconds: card.seconds, scorecardPeakRssMb: card.peakRssMb });

      const ok =
        fullBulk.value.errors.length === 0 &&
        fullBulk.value.records.leads === LEADS &&
        fullRest.value.records.leads === LEADS &&
        fullBulk.value.timers.created === fullRest.value.timers.created &&
        changed.value.records.leads >= waiting.records.length;
      if (!ok)
        log('   WRONG: a full sync did not read every lead, the two paths made different timers, or the changed leads were not read');
      return { ok, metrics };
    } finally {
      for (const org of orgs) await org.close();
    }
  }
});
