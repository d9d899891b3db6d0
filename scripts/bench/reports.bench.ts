import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { startTestOrg } from '../localorg/testing';
import { listReports } from '../reports/definitions';
import { runSeed, seedNow } from '../seed';
import { runSync } from '../sla/sync';
import { defineBench, formatCount } from './harness';

/*
 * Every shipped report and the scorecard on a seeded local org of SCALE_LEADS leads (default 100,000), after a
 * first SLA sync (so the org has its SLA timers): each in a process of its own (reportRun.ts), as a manager's
 * `closed-loop report` or `scorecard` runs, with its time and that process's peak RSS.
 *
 * Reports run over all time (every row of the org, the worst case), three ways: as `report <name>` runs by default
 * (figures in the org where the summaries allow, the first 2,000 detail rows streamed), figures only (`--rows 0`),
 * and the baseline measured in the same run: every row read and every detail row kept (what the runner did before
 * it aggregated in the org; left out above 200,000 leads, where it needs gigabytes). The scorecard runs as
 * `closed-loop scorecard` does: this period and three before for every commitment.
 *
 * Seeding is slow (minutes per 100,000 leads): SCALE_ORG=<file> keeps the seeded org in that SQLite file and a
 * later run with the same file and SCALE_LEADS reuses it.
 */

const run = promisify(execFile);
/** A Wednesday, 10:00 in New York: the seed's "now". */
const SEEDED_AT = '2026-03-04T15:00:00.000Z';
const HOUR = 3_600_000;
const BASELINE_MAX_LEADS = 200_000;

interface Measured {
  ms: number;
  maxRssMB: number;
  groups: number;
  mode: string;
  rows: number;
  figure: unknown;
}

export default defineBench({
  name: 'reports',
  description:
    'every shipped report and the scorecard on a seeded local org of SCALE_LEADS leads (default 100,000): time and peak RSS each',
  async run({ log }) {
    const leads = Number(process.env.SCALE_LEADS ?? 100_000);
    if (!Number.isSafeInteger(leads) || leads < 100)
      throw new Error(`SCALE_LEADS must be a whole number of at least 100, got ${process.env.SCALE_LEADS}`);
    const file = process.env.SCALE_ORG ? path.resolve(process.env.SCALE_ORG) : undefined;
    const marker = file ? `${file}.seeded` : undefined;
    const reuse = !!file && fs.existsSync(file) && fs.existsSync(marker!) && fs.readFileSync(marker!, 'utf8').trim() === String(leads);
    const seededAt = seedNow(SEEDED_AT);
    let clock = seededAt.getTime() + (reuse ? HOUR : 0);
    if (file && !reuse) {
      for (const f of [file, `${file}-wal`, `${file}-shm`, marker!]) fs.rmSync(f, { force: true });
    }
    const org = await startTestOrg({ ...(file ? { data: file } : {}), now: () => new Date(clock) });
    try {
      if (!reuse) {
        const t0 = performance.now();
        await runSeed(org.conn, { mode: 'local', seed: 42, leads, now: seededAt });
        const seedS = (performance.now() - t0) / 1000;
        clock += HOUR;
        const t1 = performance.now();
        const sync = await runSync(org.conn, { now: clock, clock: () => clock });
        log(
          `   seeded ${formatCount(leads)} leads in ${seedS.toFixed(0)} s; first sync ${((performance.now() - t1) / 1000).toFixed(0)} s, ${formatCount(sync.timers.created)} timers`
        );
        if (marker) fs.writeFileSync(marker, `${leads}\n`);
      } else log(`   reusing the org of ${formatCount(leads)} leads in ${file}`);
      const now = new Date(clock).toISOString();
      const child = path.join(__dirname, 'reportRun.js');
      const measure = async (name: string, way: string): Promise<Measured> => {
        const { stdout } = await run(process.execPath, [child, org.instanceUrl, org.accessToken, org.conn.version, now, name, way], {
          maxBuffer: 64 * 1024 * 1024
        });
        return JSON.parse(stdout.trim().split('\n').pop()!) as Measured;
      };
      const metrics: Record<string, number | string | boolean> = { leads };
      let ok = true;
      const fmt = (m: Measured) => `${(m.ms / 1000).toFixed(2).padStart(6)} s ${m.maxRssMB.toFixed(0).padStart(5)} MB`;
      log(`   ${'report'.padEnd(38)} ${'default (2,000 rows)'.padEnd(30)} ${'figures only (--rows 0)'.padEnd(30)} baseline: all rows kept`);
      for (const def of listReports()) {
        const name = def.developerName;
        const auto = await measure(name, 'auto');
        const figures = await measure(name, 'figures');
        const base = leads <= BASELINE_MAX_LEADS ? await measure(name, 'all-rows') : null;
        if (base && JSON.stringify(base.figure) !== JSON.stringify(auto.figure)) {
          ok = false;
          log(`   WRONG: ${name}: the grand totals differ from the baseline's`);
        }
        if (JSON.stringify(figures.figure) !== JSON.stringify(auto.figure)) {
          ok = false;
          log(`   WRONG: ${name}: figures only and the default run differ`);
        }
        log(
          `   ${name.padEnd(38)} ${fmt(auto)} ${auto.mode.padEnd(8)} ${fmt(figures)} ${figures.mode.padEnd(8)}  ` +
            (base
              ? `${fmt(base)} (${formatCount(base.rows)} rows) ×${(base.ms / auto.ms).toFixed(1)} time, ×${(base.maxRssMB / auto.maxRssMB).toFixed(1)} RSS`
              : '-')
        );
        metrics[`${name}.seconds`] = +(auto.ms / 1000).toFixed(2);
        metrics[`${name}.peakRssMB`] = Math.round(auto.maxRssMB);
        metrics[`${name}.figuresSeconds`] = +(figures.ms / 1000).toFixed(2);
        metrics[`${name}.figuresPeakRssMB`] = Math.round(figures.maxRssMB);
        if (base) {
          metrics[`${name}.baselineSeconds`] = +(base.ms / 1000).toFixed(2);
          metrics[`${name}.baselinePeakRssMB`] = Math.round(base.maxRssMB);
        }
      }
      const card = await measure('--scorecard', 'auto');
      log(`   ${'scorecard'.padEnd(38)} ${fmt(card)} (${card.groups} commitments, this period and 3 before)`);
      metrics['scorecard.seconds'] = +(card.ms / 1000).toFixed(2);
      metrics['scorecard.peakRssMB'] = Math.round(card.maxRssMB);
      return { ok, metrics };
    } finally {
      await org.close();
    }
  }
});
