import { Connection } from 'jsforce';
import { runReport } from '../../reports/runner';
import { computeScorecard } from '../../reports/scorecard';
import { requestCounter } from '../../org/data';
import { runSeed, seedNow } from '../../seed';
import { runSync } from '../../sla/sync';
import type { SyncSummary } from '../../sla/sync';
import { answerParent } from './calls';
import type { OrgAddress } from './orgProcess';

/**
 * One client step of the scale bench in a fresh process, as a user runs `closed-loop seed`, `sla sync`,
 * `report` or `scorecard`: the process's peak RSS is that step's alone (with Node and the modules it
 * loads), never memory an earlier step left behind. The time and CPU are the step's own call, from
 * after the modules loaded.
 */

export type ClientStep =
  | { kind: 'seed'; org: OrgAddress; leads: number; seed: number; now: string; bulk: boolean; days?: number }
  | { kind: 'sync'; org: OrgAddress; now: number; bulk: boolean }
  | { kind: 'report'; org: OrgAddress; name: string; now: number }
  | { kind: 'scorecard'; org: OrgAddress; now: number };

/** A sync's summary and its API calls by kind (query, collections, bulk ingest: status, actions, …). */
export type SyncOutcome = SyncSummary & { callsByKind: Record<string, number> };

export interface SeedOutcome {
  records: number;
  requests: number;
}

export interface ReportOutcome {
  groups: number;
  detailRows: number | null;
}

export interface ScorecardOutcome {
  commitments: number;
}

export interface ClientOutcome<T> {
  value: T;
  seconds: number;
  cpuSeconds: number;
  /** The process's peak resident set size (getrusage ru_maxrss). */
  peakRssMb: number;
}

async function perform(step: ClientStep): Promise<SeedOutcome | SyncOutcome | ReportOutcome | ScorecardOutcome> {
  const conn = new Connection({ instanceUrl: step.org.instanceUrl, accessToken: step.org.accessToken, version: step.org.apiVersion });
  switch (step.kind) {
    case 'seed': {
      const now = seedNow(step.now);
      const summary = await runSeed(conn, {
        mode: 'local',
        seed: step.seed,
        leads: step.leads,
        now,
        ...(step.days === undefined ? {} : { days: step.days }),
        ...(step.bulk ? {} : { bulk: false })
      });
      return { records: Object.values(summary.created).reduce((s, n) => s + n, 0), requests: summary.requests };
    }
    case 'sync': {
      // counted from the connection's first request: the process runs this one sync
      const counter = requestCounter(conn);
      const summary = await runSync(conn, { now: step.now, clock: () => step.now, ...(step.bulk ? {} : { bulk: false as const }) });
      return { ...summary, callsByKind: Object.fromEntries([...counter.byKind].sort((a, b) => b[1] - a[1])) };
    }
    case 'report': {
      const result = await runReport(conn, step.name, { now: new Date(step.now) });
      return { groups: result.groups.length, detailRows: result.detailRows?.total ?? null };
    }
    case 'scorecard': {
      const card = await computeScorecard(conn, { now: new Date(step.now) });
      return { commitments: card.lines.length };
    }
  }
}

async function run(arg: unknown): Promise<ClientOutcome<unknown>> {
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const value = await perform(arg as ClientStep);
  const seconds = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  return {
    value,
    seconds,
    cpuSeconds: (cpu.user + cpu.system) / 1e6,
    peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024)
  };
}

if (require.main === module) {
  process.on('disconnect', () => process.exit(1));
  answerParent(new Map([['run', run]]), 'run');
}
