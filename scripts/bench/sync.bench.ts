import { startTestOrg } from '../localorg/testing';
import { runSeed, seedNow } from '../seed';
import { runSync } from '../sla/sync';
import type { SyncSummary } from '../sla/sync';
import { defineBench, formatCount } from './harness';

/*
 * The SLA sync on a seeded local org of 20,000 leads (scripts/seed: their history, activities, feedback,
 * conversions, deals and reviews), over HTTP with jsforce as against any org: a first (full) sync, the
 * incremental sync after it (which reads back what the first one wrote), an incremental sync of a quiet org,
 * and a --full re-evaluation with nothing to write. Leads per second and the API calls of each.
 *
 * The org's clock is moved an hour between runs (the local org stamps SystemModstamp with it and the sync
 * takes its watermark from it), so the runs see the org as hourly syncs would, without waiting; every run
 * evaluates the clocks at the same instant, so time alone changes nothing between them.
 */

const LEADS = 20_000;
const HOUR = 3_600_000;

export default defineBench({
  name: 'sync',
  description: `closed-loop sla sync on a seeded local org of ${formatCount(LEADS)} leads: full, incremental, quiet, --full`,
  async run({ log }) {
    const seededAt = seedNow();
    let clock = seededAt.getTime();
    const org = await startTestOrg({ now: () => new Date(clock) });
    try {
      const t0 = performance.now();
      const seed = await runSeed(org.conn, { mode: 'local', seed: 42, leads: LEADS, now: seededAt });
      log(
        `   seeded ${formatCount(seed.planned.Lead ?? 0)} leads, ${formatCount(seed.planned.Opportunity ?? 0)} opportunities, ` +
          `${formatCount((seed.planned.LeadHistory ?? 0) + (seed.planned.OpportunityFieldHistory ?? 0))} history rows, ` +
          `${formatCount((seed.planned.Task ?? 0) + (seed.planned.Event ?? 0))} activities in ${((performance.now() - t0) / 1000).toFixed(1)} s`
      );
      const now = clock + HOUR;
      const sync = async (label: string, full = false): Promise<SyncSummary> => {
        clock += HOUR;
        const s = await runSync(org.conn, { now, clock: () => clock, full });
        const seconds = s.elapsedMs / 1000;
        const read = s.records.leads + s.records.opportunities;
        log(
          `   ${label.padEnd(22)} ${s.mode.padEnd(11)} ${formatCount(s.records.leads).padStart(6)} leads ${formatCount(s.records.opportunities).padStart(5)} opps ` +
            `${seconds.toFixed(2).padStart(6)} s ${formatCount(read > 0 ? s.records.leads / seconds : 0).padStart(7)} leads/s ` +
            `${formatCount(s.apiCalls).padStart(5)} API calls | timers +${formatCount(s.timers.created)} ~${formatCount(s.timers.updated)} ` +
            `| records updated ${formatCount(s.recordsUpdated.leads + s.recordsUpdated.opportunities)} | escalation tasks ${formatCount(s.escalations.userTasks + s.escalations.managerTasks)}`
        );
        return s;
      };
      const first = await sync('first sync');
      const next = await sync('next sync');
      const quiet = await sync('quiet org');
      const again = await sync('--full, nothing new', true);

      const ok =
        first.mode === 'full' &&
        first.records.leads === LEADS &&
        first.errors.length === 0 &&
        quiet.mode === 'incremental' &&
        quiet.records.leads === 0 &&
        quiet.timers.created + quiet.timers.updated === 0 &&
        again.records.leads === LEADS &&
        again.timers.created + again.timers.updated + again.timers.cancelled === 0 &&
        again.recordsUpdated.leads + again.recordsUpdated.opportunities === 0 &&
        again.escalations.userTasks + again.escalations.managerTasks === 0;
      if (!ok) log('   WRONG: a sync without changes wrote something, or the first sync did not read every lead');
      const rate = (s: SyncSummary) => Math.round(s.records.leads / (s.elapsedMs / 1000));
      return {
        ok,
        metrics: {
          leads: LEADS,
          opportunities: first.records.opportunities,
          timers: first.timers.created,
          fullLeadsPerSecond: rate(first),
          fullSeconds: first.elapsedMs / 1000,
          fullApiCalls: first.apiCalls,
          nextLeadsRead: next.records.leads,
          nextSeconds: next.elapsedMs / 1000,
          nextApiCalls: next.apiCalls,
          quietSeconds: quiet.elapsedMs / 1000,
          quietApiCalls: quiet.apiCalls,
          reevaluateLeadsPerSecond: rate(again),
          reevaluateApiCalls: again.apiCalls,
          escalationTasks: first.escalations.userTasks + first.escalations.managerTasks
        }
      };
    } finally {
      await org.close();
    }
  }
});
