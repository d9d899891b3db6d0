import { startTestOrg, type TestOrg } from '../../localorg/testing';
import { LOCAL_SYNC_USER } from '../../org/personas';
import { runSeed } from '../../seed';
import { runSync } from '../../sla/sync';

/**
 * A seeded local org for the report tests: fixed seed and clock, the demo data (seed 7, 300 leads over
 * the 60 days before NOW), then one full SLA sync as the integration user, which writes the SLA timers (with
 * Met_Within_SLA__c) and the Lead funnel fields (scripts/sla/funnelStages.ts) the reports read.
 */
export const NOW = '2026-03-18T16:00:00.000Z';
/** Covers every record of the fixture (data: 2026-01-17 … 2026-03-18, due dates a few days later). */
export const ALL = { from: '2025-12-01', to: '2026-04-30' };
export const SEED = { seed: 7, leads: 300 };

export async function startReportOrg(): Promise<TestOrg> {
  const org = await startTestOrg({ now: () => new Date(NOW) });
  try {
    await runSeed(org.conn, { mode: 'local', seed: SEED.seed, leads: SEED.leads, now: NOW });
    // as the integration user the seed creates, as npm start runs the sync
    await runSync(await org.connectionAs(LOCAL_SYNC_USER.Username), { now: NOW, full: true });
    return org;
  } catch (e) {
    await org.close();
    throw e;
  }
}
