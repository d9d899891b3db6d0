import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Connection } from 'jsforce';
import { LOCAL_SYNC_USER } from '../org/personas';
import { seedNow } from '../seed';
import { readHistory, runWhatIf } from '../sla/whatif';
import type { WhatIfOptions, WhatIfResult } from '../sla/whatif';
import { defineBench, formatCount } from './harness';
import type { SeedOutcome, SyncOutcome } from './scale/clientProcess';
import { OrgProcess, runClientStep } from './scale/processes';

/*
 * `closed-loop sla whatif` on a seeded local org of SCALE_LEADS leads (default 100,000) created over one quarter
 * (92 days before a Wednesday morning in New York) and synced once, as an org that runs Closed Loop is (the seed and
 * the sync each in a process of its own, as a user runs them), over HTTP with jsforce as the integration user, as the CLI runs
 * it — the org in a process of its own, as `npm start` runs it (scripts/bench/scale/processes.ts): the history read once (the sync's RecordReader: leads and opportunities with their history, activities, SLA timers,
 * feedback and reviews), then the clock rules under the current and the proposed policies.
 *
 * Timed in this process, one after the other on the same org:
 *  - read: reading the history alone (the baseline every replay starts with);
 *  - one replay: read + current + proposed (Lead_Accept.Target_Minutes__c=90), end to end, as one CLI run;
 *  - a sweep of 8 targets (Lead_Accept.Target_Minutes__c=30..240/30), end to end: read once, 8 evaluations;
 *  - the evaluation alone of the replay and of the sweep on the history already read.
 * Printed: the times, the sweep / one replay ratio (target ≤ 2: the events are read once) and the load average.
 * ok is false when a figure is wrong (the sweep's compliance falls as the target grows, or its point at the current
 * target differs from the current figures), never for being slow.
 */

const LEADS = Number(process.env.SCALE_LEADS ?? 100_000);
const SEEDED_AT = '2026-03-04T15:00:00.000Z';
const DAYS = 92;
const PERIOD: WhatIfOptions['period'] = { kind: 'range', from: '2025-12-02', to: '2026-03-04' };
const SWEEP = { policy: 'Lead_Accept', field: 'Target_Minutes__c', values: [30, 60, 90, 120, 150, 180, 210, 240] };

const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

async function timed<T>(f: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const t = performance.now();
  const value = await f();
  return { value, ms: performance.now() - t };
}

export default defineBench({
  name: 'whatif',
  description: `closed-loop sla whatif on a seeded local org of ${formatCount(LEADS)} leads over a quarter: one replay, a sweep of 8 targets (SCALE_LEADS=n)`,
  async run({ log }) {
    const seededAt = seedNow(SEEDED_AT);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'closed-loop-whatif-bench-'));
    const org = await OrgProcess.start(path.join(dir, 'org.db'), seededAt.getTime());
    try {
      // seeded and synced as a user does, each in a process of its own (scale/clientProcess.ts), so this process
      // times the what-if as one CLI run of it: its heap holds nothing of the seed's or the sync's
      const seed = await runClientStep<SeedOutcome>({
        kind: 'seed',
        org: org.address,
        leads: LEADS,
        seed: 42,
        now: SEEDED_AT,
        bulk: true,
        days: DAYS
      });
      log(
        `   seeded ${formatCount(LEADS)} leads over ${DAYS} days (${formatCount(seed.value.records)} records) in ${seconds(seed.seconds * 1000)}`
      );
      const user = await org.tokenFor(LOCAL_SYNC_USER.Username);
      const conn = new Connection({ instanceUrl: user.instanceUrl, accessToken: user.accessToken, version: user.apiVersion });
      const now = seededAt.getTime();
      // a what-if runs on a synced org (its SLA timers say which tier each run follows, and are read with it)
      const synced = await runClientStep<SyncOutcome>({ kind: 'sync', org: user, now, bulk: true });
      log(`   synced: ${formatCount(synced.value.timers.created)} timers written in ${seconds(synced.seconds * 1000)}`);

      const read = await timed(() => readHistory(conn));
      const history = read.value;
      log(
        `   read (baseline):         ${seconds(read.ms)}  ${formatCount(history.records.length)} records, ${formatCount(history.requests)} API calls`
      );

      const one = await timed(() =>
        runWhatIf(conn, { period: PERIOD, now, sets: [{ policy: 'Lead_Accept', field: 'Target_Minutes__c', value: 90 }] })
      );
      const sweep = await timed(() => runWhatIf(conn, { period: PERIOD, now, sweep: SWEEP }));
      const evalOne = await timed(() =>
        runWhatIf(conn, { period: PERIOD, now, sets: [{ policy: 'Lead_Accept', field: 'Target_Minutes__c', value: 90 }], history })
      );
      const evalSweep = await timed(() => runWhatIf(conn, { period: PERIOD, now, sweep: SWEEP, history }));
      const ratio = sweep.ms / one.ms;
      const accept = (r: WhatIfResult) => r.current.byClock.find((c) => c.clock === 'Accept')?.figures;
      const runs = one.value.current.byClock.reduce((s, c) => s + c.figures.timers, 0);
      log(
        `   one replay, end to end:  ${seconds(one.ms)}  (${formatCount(runs)} clock runs in the period; Accept ${accept(one.value)?.compliance} % → ${one.value.proposed?.byClock.find((c) => c.clock === 'Accept')?.figures.compliance} %)`
      );
      log(`   sweep of 8, end to end:  ${seconds(sweep.ms)}  = ${ratio.toFixed(2)}× one replay (target ≤ 2×)`);
      log(`   evaluation only:         one replay ${seconds(evalOne.ms)}, sweep of 8 ${seconds(evalSweep.ms)} (history already read)`);
      const load = os
        .loadavg()
        .map((l) => l.toFixed(2))
        .join(' ');
      log(`   load average ${load} on ${os.cpus().length} cores; ${one.ms <= 10_000 ? 'within' : 'OVER'} the 10 s budget for one replay`);

      const points = sweep.value.sweep?.points ?? [];
      const c = points.map((p) => p.figures.compliance ?? 0);
      const monotone = c.every((v, i) => i === 0 || v >= c[i - 1]);
      const at60 = points.find((p) => p.value === 60)?.figures;
      const consistent = JSON.stringify(at60) === JSON.stringify(sweep.value.sweep?.current);
      if (!monotone) log(`   WRONG: compliance falls as the target grows: ${c.join(', ')}`);
      if (!consistent) log('   WRONG: the sweep at the current target differs from the current figures');
      log(`   sweep: ${points.map((p) => `${p.value} min ${p.figures.compliance} %`).join(', ')}`);
      return {
        ok: monotone && consistent,
        metrics: {
          leads: LEADS,
          records: history.records.length,
          runs,
          readMs: Math.round(read.ms),
          oneReplayMs: Math.round(one.ms),
          sweep8Ms: Math.round(sweep.ms),
          sweepRatio: Number(ratio.toFixed(2)),
          evalOneMs: Math.round(evalOne.ms),
          evalSweepMs: Math.round(evalSweep.ms),
          loadAverage: load
        }
      };
    } finally {
      await org.stop().catch(() => org.kill());
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }
});
