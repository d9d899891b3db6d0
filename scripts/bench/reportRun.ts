import { Connection } from 'jsforce';
import { computeScorecard } from '../reports/scorecard';
import { runReport } from '../reports/runner';

/**
 * One report (or the scorecard) in a process of its own, for the reports bench (reports.bench.ts): its
 * time and the process's peak RSS, as a manager's `closed-loop report` / `scorecard` run would use them.
 * argv: instanceUrl accessToken apiVersion now(ISO) name|--scorecard way(auto|figures|all-rows)
 */
async function main(): Promise<void> {
  const [instanceUrl, accessToken, version, now, name, way] = process.argv.slice(2);
  const conn = new Connection({ instanceUrl, accessToken, version });
  const t0 = performance.now();
  let groups = 0;
  let mode = 'scorecard';
  let rows = 0;
  let figure: unknown = null;
  if (name === '--scorecard') {
    const card = await computeScorecard(conn, { now: new Date(now), timeZone: 'America/New_York' });
    groups = card.lines.length;
    figure = card.lines.map((l) => [l.developerName, l.current.actual, ...l.trend.map((t) => t.actual)]);
  } else {
    const r = await runReport(conn, name, {
      now: new Date(now),
      timeZone: 'America/New_York',
      period: { kind: 'all' },
      ...(way === 'figures' ? { details: false } : way === 'all-rows' ? { path: 'rows' as const, details: Number.MAX_SAFE_INTEGER } : {})
    });
    groups = r.groups.length;
    mode = r.query.mode;
    rows = r.detailRows?.total ?? 0;
    figure = r.grandTotal.values;
  }
  const ms = performance.now() - t0;
  process.stdout.write(`${JSON.stringify({ ms, maxRssMB: process.resourceUsage().maxRSS / 1024, groups, mode, rows, figure })}\n`);
}

main().catch((e: unknown) => {
  process.stderr.write(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exitCode = 1;
});
