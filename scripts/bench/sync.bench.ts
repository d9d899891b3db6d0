import type { Connection } from 'jsforce';
import { startTestOrg } from '../localorg/testing';
import { LOCAL_SYNC_USER } from '../org/personas';
import { runSeed, seedNow } from '../seed';
import { runSync } from '../sla/sync';
import type { SyncSummary } from '../sla/sync';
import { defineBench, formatCount } from './harness';

/*
 * The SLA sync on a seeded local org of 20,000 leads (scripts/seed: their history, activities, feedback,
 * conversions, deals and reviews), over HTTP with jsforce as against any org, as the integration user Closed Loop
 * Sync (the seed creates it; the reps' changes are the admin's), as an hourly schedule would run it:
 * a first (full) sync; an incremental sync after 100 leads changed (reps accepted them); an incremental sync one
 * hour later, when nothing happened but time passing (it writes only the timers that crossed their warning or due
 * time, and their escalations); one that evening (the afternoon's crossings); one an hour later at night (nothing
 * crossed: the change probes, nothing written); and a --full re-evaluation at that instant. For each: the HTTP requests (API calls), the write requests among them and the
 * records those wrote, counted on the wire by this bench (not taken from the sync's own summary).
 *
 * The seed is dated a Wednesday morning in New York, so the hour between the runs is business time: open timers
 * count on through it.
 *
 * The org's clock is moved between runs (the local org stamps SystemModstamp with it and the sync takes its
 * watermark from it), and each run evaluates the clocks at the org's clock (`now`), so the runs see the org as
 * hourly syncs would, without waiting.
 */

const LEADS = 20_000;
/** A Wednesday, 10:00 in New York (the demo's business hours): the hours the runs span are business hours. */
const SEEDED_AT = '2026-03-04T15:00:00.000Z';
/** That Wednesday, 23:30 in New York. */
const EVENING = '2026-03-05T04:30:00.000Z';
const CHANGED = 100;
const HOUR = 3_600_000;

interface Wire {
  requests: number;
  writeRequests: number;
  recordsWritten: number;
}

/** Counts the HTTP requests of a jsforce connection, and the write requests and the records they carry. */
function observe(conn: Connection): Wire {
  const wire: Wire = { requests: 0, writeRequests: 0, recordsWritten: 0 };
  const transport = (
    conn as unknown as { _transport: { httpRequest: (req: { method?: string; url?: string; body?: unknown }, o?: unknown) => unknown } }
  )._transport;
  const send = transport.httpRequest.bind(transport);
  transport.httpRequest = (req, o) => {
    wire.requests++;
    const method = (req.method ?? 'GET').toUpperCase();
    if (method !== 'GET' && !/\/composite\/?$|\/query|\/jobs\/query/.test(req.url ?? '')) {
      wire.writeRequests++;
      try {
        const body = typeof req.body === 'string' && req.body.startsWith('{') ? (JSON.parse(req.body) as { records?: unknown[] }) : null;
        wire.recordsWritten += body?.records?.length ?? (typeof req.body === 'string' ? Math.max(0, req.body.split('\n').length - 2) : 1);
      } catch {
        wire.recordsWritten++;
      }
    }
    return send(req, o);
  };
  return wire;
}

export default defineBench({
  name: 'sync',
  description: `closed-loop sla sync on a seeded local org of ${formatCount(LEADS)} leads: first, after ${CHANGED} changed leads, an hour later, that evening, an hour later at night, --full`,
  async run({ log }) {
    const seededAt = seedNow(SEEDED_AT);
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
      const syncUser = await org.connectionAs(LOCAL_SYNC_USER.Username);
      const wire = observe(syncUser);
      const runs: Record<string, { summary: SyncSummary; wire: Wire }> = {};
      const sync = async (label: string, full = false): Promise<{ summary: SyncSummary; wire: Wire }> => {
        const before = { ...wire };
        const s = await runSync(syncUser, { now: clock, clock: () => clock, full });
        const w = {
          requests: wire.requests - before.requests,
          writeRequests: wire.writeRequests - before.writeRequests,
          recordsWritten: wire.recordsWritten - before.recordsWritten
        };
        const seconds = s.elapsedMs / 1000;
        log(
          `   ${label.padEnd(28)} ${s.mode.padEnd(11)} ${formatCount(s.records.leads).padStart(6)} leads ${formatCount(s.records.opportunities).padStart(5)} opps ` +
            `${seconds.toFixed(2).padStart(6)} s | ${formatCount(w.requests).padStart(5)} API calls (summary ${formatCount(s.apiCalls)}), ` +
            `${formatCount(w.writeRequests).padStart(4)} write requests, ${formatCount(w.recordsWritten).padStart(6)} records written ` +
            `| timers +${formatCount(s.timers.created)} ~${formatCount(s.timers.updated)}, crossed ${formatCount(s.crossed.atRisk)} → at risk ${formatCount(s.crossed.breached)} → breached ` +
            `| escalation tasks ${formatCount(s.escalations.userTasks + s.escalations.managerTasks)}`
        );
        runs[label] = { summary: s, wire: w };
        return runs[label];
      };

      clock += HOUR;
      const first = await sync('first sync');

      // reps accept 100 of the leads waiting in Marketing Qualified, a minute later
      clock += 60_000;
      const waiting = await org.conn.query<{ Id: string }>(
        `SELECT Id FROM Lead WHERE Status = 'Marketing Qualified' AND IsConverted = false LIMIT ${CHANGED}`
      );
      const accepted = await org.conn.sobject('Lead').update(
        waiting.records.map((r) => ({ Id: r.Id, Status: 'Sales Accepted' })),
        { allOrNone: true }
      );
      clock += 60_000;
      const next = await sync(`after ${waiting.records.length} changed leads`);

      clock += HOUR;
      const hour = await sync('an hour later (business)');
      // that evening (23:30 New York), then an hour later at night: no business time passes, nothing crosses
      clock = Date.parse(EVENING);
      const evening = await sync('that evening');
      clock += HOUR;
      const quiet = await sync('an hour later (night)');
      const again = await sync('--full, nothing new', true);

      const ok =
        first.summary.mode === 'full' &&
        first.summary.records.leads === LEADS &&
        first.summary.errors.length === 0 &&
        accepted.length === CHANGED &&
        next.summary.mode === 'incremental' &&
        next.summary.records.leads >= CHANGED &&
        hour.summary.mode === 'incremental' &&
        evening.summary.mode === 'incremental' &&
        quiet.summary.mode === 'incremental' &&
        quiet.summary.quiet &&
        quiet.wire.requests <= 3 &&
        quiet.wire.writeRequests === 0 &&
        again.summary.records.leads === LEADS &&
        again.summary.timers.created + again.summary.timers.cancelled === 0 &&
        again.summary.escalations.userTasks + again.summary.escalations.managerTasks === 0;
      if (!ok) {
        log(
          '   WRONG: the first sync did not read every lead, the changed leads were not read, the night run cost more than 3 calls or wrote, or a --full run found new work'
        );
      }
      const rate = (s: SyncSummary) => Math.round(s.records.leads / (s.elapsedMs / 1000));
      return {
        ok,
        metrics: {
          leads: LEADS,
          opportunities: first.summary.records.opportunities,
          timers: first.summary.timers.created,
          fullLeadsPerSecond: rate(first.summary),
          fullSeconds: first.summary.elapsedMs / 1000,
          fullApiCalls: first.wire.requests,
          fullWriteRequests: first.wire.writeRequests,
          fullRecordsWritten: first.wire.recordsWritten,
          changedLeadsRead: next.summary.records.leads,
          changedSeconds: next.summary.elapsedMs / 1000,
          changedApiCalls: next.wire.requests,
          changedWriteRequests: next.wire.writeRequests,
          changedRecordsWritten: next.wire.recordsWritten,
          hourLeadsRead: hour.summary.records.leads,
          hourSeconds: hour.summary.elapsedMs / 1000,
          hourApiCalls: hour.wire.requests,
          hourWriteRequests: hour.wire.writeRequests,
          hourRecordsWritten: hour.wire.recordsWritten,
          hourCrossedAtRisk: hour.summary.crossed.atRisk,
          hourCrossedBreached: hour.summary.crossed.breached,
          eveningLeadsRead: evening.summary.records.leads,
          eveningApiCalls: evening.wire.requests,
          eveningRecordsWritten: evening.wire.recordsWritten,
          quietLeadsRead: quiet.summary.records.leads,
          quietSeconds: quiet.summary.elapsedMs / 1000,
          quietApiCalls: quiet.wire.requests,
          quietWriteRequests: quiet.wire.writeRequests,
          quietRecordsWritten: quiet.wire.recordsWritten,
          reevaluateLeadsPerSecond: rate(again.summary),
          reevaluateApiCalls: again.wire.requests,
          reevaluateRecordsWritten: again.wire.recordsWritten,
          escalationTasks: first.summary.escalations.userTasks + first.summary.escalations.managerTasks
        }
      };
    } finally {
      await org.close();
    }
  }
});
