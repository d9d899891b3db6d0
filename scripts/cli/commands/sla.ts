import { Command, InvalidArgumentError, Option } from 'commander';
import type { Connection } from 'jsforce';
import type { SyncOptions, SyncSummary } from '../../sla/sync';
import { CliError, oneLine } from '../errors';
import { addAsFlag, addJsonFlag, addOrgFlags, instantFlag, orgTarget } from '../flags';
import { lazy } from '../lazy';
import { createOutput, jsonFailure } from '../output';
import type { Output, Progress } from '../output';
import type { StartStep } from './startStep';

const localToken = lazy(() => require('../../org/localToken') as typeof import('../../org/localToken'));
const slaSync = lazy(() => require('../../sla/sync') as typeof import('../../sla/sync'));

/**
 * `closed-loop sla sync`: the SLA sync (scripts/sla/sync.ts) — once, or every --interval seconds with
 * --watch until Ctrl-C — with a progress bar on a terminal and a summary (JSON with --json).
 */
interface SyncFlags {
  targetOrg?: string;
  local?: boolean;
  connectionFile?: string;
  as?: string;
  since?: number;
  now?: number;
  full?: boolean;
  dryRun?: boolean;
  watch?: boolean;
  interval?: number;
  json?: boolean;
}

export const DEFAULT_INTERVAL_S = 300;

function secondsFlag(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(n) || n < 5 || n > 86_400) {
    throw new InvalidArgumentError(`--interval must be a whole number of seconds from 5 to 86400, got "${value}"`);
  }
  return n;
}

/** `npm start --sync-interval`: 0 (no background sync) or what --interval takes. */
export function syncIntervalFlag(value: string): number {
  if (value.trim() === '0') return 0;
  try {
    return secondsFlag(value);
  } catch {
    throw new InvalidArgumentError(`--sync-interval must be 0 or a whole number of seconds from 5 to 86400, got "${value}"`);
  }
}

export function register(program: Command): void {
  const sla = program.command('sla').description('The SLA clocks: sync SLA timers from what happened in the org.');
  const sync = sla
    .command('sync')
    .description(
      'Compute the SLA timers of changed leads and opportunities, write them (SLA_Timer__c), update the records’ SLA status, ' +
        'mirror business hours into SLA_Calendar__c and escalate breaches with tasks.'
    )
    .addOption(
      new Option('--since <ISO>', 'Read changes after this instant (not in the future) instead of after the stored watermark.').argParser(
        instantFlag('--since')
      )
    )
    .option('--full', 'Re-evaluate every lead and opportunity (as a first sync does).')
    .option('--dry-run', 'Compute and report what would change (timers, records, escalation tasks); write nothing.')
    .option('--watch', 'Sync again every --interval seconds until Ctrl-C.')
    .addOption(
      new Option('--interval <S>', `Seconds between syncs with --watch (5–86400) [default: ${DEFAULT_INTERVAL_S}].`).argParser(secondsFlag)
    )
    .addOption(
      new Option('--now <ISO>', 'Evaluate the clocks as of this instant instead of the current time (to reproduce a past run).').argParser(
        instantFlag('--now')
      )
    );
  addOrgFlags(sync);
  addAsFlag(sync, 'sync');
  addJsonFlag(sync);
  sync.addHelpText(
    'after',
    `
Reads the active SLA_Policy__mdt records (checked against the org's Lead Status and Opportunity stage values
and its business hours: an invalid policy stops the sync before anything is written), BusinessHours and
Holidays, and the leads and opportunities that changed since the last successful sync (the watermark kept
in SLA_Sync_State__c), with their history, tasks, events (a converted lead's from its contact, opportunity
and account), feedback and reviews. The first sync, --full, and a change of policies or calendars re-evaluate
every record. Run it as the integration user with the Closed_Loop_Sync permission set: on a real org, log sf in
as that user; on the local org it runs as Closed Loop Sync (sync@closed-loop.local, created when missing) unless
--as names another user or the connection file is a user's own. See docs/sla-sync.md.

Examples:
  $ npx closed-loop sla sync --local
  $ npx closed-loop sla sync --target-org prod --dry-run --json
  $ npx closed-loop sla sync --local --watch --interval 60
  $ npx closed-loop sla sync --local --since 2026-03-01T00:00:00Z --now 2026-03-02T15:00:00Z`
  );
  sync.action(async (flags: SyncFlags) => {
    if (flags.interval !== undefined && !flags.watch) throw new CliError('--interval applies only with --watch', 2);
    if (flags.watch && flags.now !== undefined)
      throw new CliError('--now cannot be combined with --watch (each run evaluates at its own time)', 2);
    if (flags.watch && flags.dryRun) throw new CliError('--dry-run cannot be combined with --watch', 2);
    // changes after a future instant do not exist yet: such a run would read nothing and move the watermark past real changes
    const now = flags.now ?? Date.now();
    if (flags.since !== undefined && flags.since > now) {
      const since = new Date(flags.since).toISOString();
      throw new CliError(
        `--since ${since} is in the future (${flags.now !== undefined ? '--now' : 'now'} is ${new Date(now).toISOString()})`,
        2
      );
    }
    const out = createOutput(flags.json === true);
    const conn = await localToken().connectAs(orgTarget(flags), 'sync');
    const options: SyncOptions = { since: flags.since, now: flags.now, full: flags.full, dryRun: flags.dryRun };
    if (!flags.watch) {
      const summary = await syncOnce(conn, options, out);
      out.result(summary, formatSummary, summary.warnings);
      return;
    }
    await watch(conn, options, out, (flags.interval ?? DEFAULT_INTERVAL_S) * 1000);
  });
}

/** The org's answers to a user who lacks a permission the sync needs (an object they cannot see is INVALID_TYPE). */
const PERMISSION_ERRORS = new Set([
  'INVALID_TYPE',
  'INSUFFICIENT_ACCESS',
  'INSUFFICIENT_ACCESS_OR_READONLY',
  'INSUFFICIENT_ACCESS_ON_CROSS_REFERENCE_ENTITY',
  'INVALID_FIELD_FOR_INSERT_UPDATE',
  'CANNOT_UPDATE_CONVERTED_LEAD'
]);

/** One sync with a progress bar; a SyncError becomes a CliError carrying the summary (printed with --json). */
export async function syncOnce(conn: Connection, options: SyncOptions, out: Output): Promise<SyncSummary> {
  const { runSync, SyncError } = slaSync();
  let bar: Progress | undefined;
  let shown = 0;
  try {
    return await runSync(conn, {
      ...options,
      onProgress: (done, total) => {
        bar ??= out.progress(total, 'SLA sync');
        bar.setTotal(total);
        bar.increment(done - shown);
        shown = done;
      }
    });
  } catch (err) {
    if (err instanceof SyncError) throw new CliError(err.message, 1, undefined, err.summary);
    if (PERMISSION_ERRORS.has((err as { errorCode?: string }).errorCode ?? ''))
      throw new CliError(
        oneLine(err),
        1,
        'the user the sync runs as needs the Closed_Loop_Sync permission set: see docs/admin-guide.md, step 7'
      );
    throw err;
  } finally {
    bar?.stop();
  }
}

async function watch(conn: Connection, first: SyncOptions, out: Output, intervalMs: number): Promise<void> {
  let stopping = false;
  let wake: (() => void) | undefined;
  const stop = () => {
    stopping = true;
    wake?.();
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  out.info(`Syncing every ${intervalMs / 1000} s; press Ctrl-C to stop.`);
  let options: SyncOptions = first;
  let lastFailed = false;
  try {
    while (!stopping) {
      try {
        const summary = await syncOnce(conn, options, out);
        out.result(summary, (s) => `[${new Date().toISOString()}] ${formatSummary(s)}`, summary.warnings);
        lastFailed = false;
      } catch (err) {
        lastFailed = true;
        // a watcher keeps going: the next run retries from the same watermark
        if (out.json)
          process.stdout.write(
            `${JSON.stringify(jsonFailure(err instanceof Error ? err.name : 'Error', oneLine(err), 1, err instanceof CliError ? err.data : undefined))}\n`
          );
        else process.stderr.write(`closed-loop: ${oneLine(err)}\n`);
      }
      options = {};
      if (stopping) break;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, intervalMs);
        wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
  } finally {
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
  }
  out.info('Stopped.');
  if (lastFailed) throw new CliError('the last sync failed (see above)');
}

const n = (v: number) => v.toLocaleString('en-US');

export function formatSummary(s: SyncSummary): string {
  const st = s.statuses;
  const lines = [
    `SLA sync (${s.mode}: ${s.reason}${s.since ? `, reading changes since ${s.since}` : ''}; evaluated at ${s.now}): ` +
      `${n(s.records.leads)} leads and ${n(s.records.opportunities)} opportunities read` +
      (s.deletedRecords.leads + s.deletedRecords.opportunities > 0
        ? ` (and ${deletedLine(s.deletedRecords)} from the recycle bin, to cancel their timers)`
        : ''),
    `Timers: ${n(s.timers.created)} created, ${n(s.timers.updated)} updated, ${n(s.timers.cancelled)} cancelled, ${n(s.timers.unchanged)} unchanged` +
      ` | ${n(s.met)} met, ${n(s.breached)} breached, ${n(st.Running)} running, ${n(st['At Risk'])} at risk, ${n(st.Paused)} paused, ${n(st.Cancelled)} cancelled`,
    `Records updated: ${n(s.recordsUpdated.leads)} leads (${n(s.recycled)} recycled to the nurture queue), ` +
      `${n(s.recordsUpdated.opportunities)} opportunities, ${n(s.stamped)} feedback and reviews stamped | ` +
      `escalations: ${n(s.escalations.timers)} breaches, ${n(s.escalations.userTasks)} tasks for owners, ${n(s.escalations.managerTasks)} for managers` +
      (s.escalations.withoutManager > 0 ? ` (${n(s.escalations.withoutManager)} without an active manager)` : ''),
    `Calendars mirrored: ${n(s.calendars.mirrored)} | crossed: ${n(s.crossed.atRisk)} to at risk, ${n(s.crossed.breached)} to breached, ` +
      `${alertsLine(s)} | ` +
      `API calls: ${n(s.apiCalls)}, records written: ${n(s.writes.records)} | ${(s.elapsedMs / 1000).toFixed(1)} s | ` +
      (s.dryRun
        ? 'dry run: nothing was written'
        : s.quiet
          ? 'nothing changed: the sync state is as it was'
          : s.watermark
            ? `watermark ${s.watermark}`
            : 'watermark not advanced'),
    ...s.warnings.map((w) => `Warning: ${w}`)
  ];
  return lines.join('\n');
}

/** `12 alerts sent`, and the digests of the crossings beyond each recipient's alerts: `+ 3 digests of 4,500 more`. */
function alertsLine(s: SyncSummary): string {
  const { sent, failed, digests, digested } = s.notifications;
  return (
    `${n(sent - digests)} alerts${digests > 0 ? ` + ${n(digests)} digest${digests === 1 ? '' : 's'} of ${n(digested)} more` : ''} ` +
    `${s.dryRun ? 'to send' : 'sent'}${failed > 0 ? ` (${n(failed)} not sent)` : ''}`
  );
}

function deletedLine(d: SyncSummary['deletedRecords']): string {
  const parts = [
    d.leads > 0 ? `${n(d.leads)} deleted lead${d.leads === 1 ? '' : 's'}` : '',
    d.opportunities > 0 ? `${n(d.opportunities)} deleted opportunit${d.opportunities === 1 ? 'y' : 'ies'}` : ''
  ];
  return parts.filter(Boolean).join(' and ');
}

/**
 * `npm start`: one sync after the demo data is in, then one every `--sync-interval` seconds (default 30) while it
 * runs, so what a rep does in the preview is in the org's timers within a minute. A run in the background prints
 * a line only when it changed something or failed (a failed run is retried at the next interval, from the same
 * watermark); Ctrl-C waits for a run in progress before the org stops.
 */
export const slaSyncStep: StartStep = {
  name: 'SLA sync',
  async run(ctx) {
    ctx.out.info('Syncing SLA timers…');
    // as the integration user, as in an org: what the sync writes is what Closed_Loop_Sync lets it write
    const conn = await ctx.as('sync');
    const s = await syncOnce(conn, {}, ctx.out);
    const interval = ctx.flags.syncInterval ?? DEFAULT_START_INTERVAL_S;
    ctx.announce(
      `SLA sync     ${n(s.records.leads)} leads, ${n(s.records.opportunities)} opportunities: ${n(s.met)} met, ${n(s.breached)} breached, ` +
        `${n(s.escalations.userTasks + s.escalations.managerTasks)} escalation tasks, ${n(s.notifications.sent)} alerts (${s.mode}, ${(s.elapsedMs / 1000).toFixed(1)} s); ` +
        (interval > 0 ? `again every ${interval} s while this runs` : 'again: npx closed-loop sla sync --local [--watch]')
    );
    ctx.report.slaSync = s;
    ctx.report.slaSyncIntervalSeconds = interval;
    if (interval > 0) ctx.onStop(syncInBackground(conn, interval * 1000, ctx.out));
  }
};

/** The `npm start` sync interval, in seconds. */
export const DEFAULT_START_INTERVAL_S = 30;

/** Syncs every `intervalMs` until the returned stop() (which waits for a run in progress). */
export function syncInBackground(conn: Connection, intervalMs: number, out: Output): () => Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;
  let stopped = false;
  const silent = { increment: () => undefined, setTotal: () => undefined, stop: () => undefined };
  const quiet: Output = { json: out.json, result: () => undefined, info: () => undefined, progress: () => silent };
  const tick = () => {
    running = syncOnce(conn, {}, quiet)
      .then((s) => {
        const changed = s.timers.created + s.timers.updated + s.timers.cancelled + s.recordsUpdated.leads + s.recordsUpdated.opportunities;
        if (changed > 0 || s.escalations.timers > 0) out.info(`[${new Date().toISOString()}] ${formatSummary(s).split('\n')[1]}`);
      })
      .catch((err: unknown) => {
        if (!stopped)
          process.stderr.write(`closed-loop: background SLA sync failed (retried in ${intervalMs / 1000} s): ${oneLine(err)}\n`);
      })
      .finally(() => {
        running = undefined;
        if (!stopped) timer = setTimeout(tick, intervalMs);
      });
  };
  timer = setTimeout(tick, intervalMs);
  return async () => {
    stopped = true;
    clearTimeout(timer);
    await running;
  };
}
