import * as fs from 'node:fs';
import * as path from 'node:path';
import { Command, Option } from 'commander';
import { PACKAGE_DIR } from '../../project';
import { ReportPeriodError } from '../../reports/errors';
import { parsePeriod, PERIOD_CHOICES, type Period } from '../../reports/period';
import type { ReportResult } from '../../reports/runner';
import { CliError, oneLine } from '../errors';
import { addAsFlag, addJsonFlag, addOrgFlags, addPackageDirFlag, instantFlag, intFlag, orgTarget } from '../flags';
import { lazy } from '../lazy';
import { addPreviewUrlFlag, recordUrlFor } from '../links';
import { createOutput, jsonSuccess, terminalColumns } from '../output';
import type { StartStep } from './startStep';

const localToken = lazy(() => require('../../org/localToken') as typeof import('../../org/localToken'));
const definitions = lazy(() => require('../../reports/definitions') as typeof import('../../reports/definitions'));
const runner = lazy(() => require('../../reports/runner') as typeof import('../../reports/runner'));
const scorecard = lazy(() => require('../../reports/scorecard') as typeof import('../../reports/scorecard'));
const dashboards = lazy(() => require('../../reports/dashboard') as typeof import('../../reports/dashboard'));
const reportServer = lazy(() => require('../../reports/server') as typeof import('../../reports/server'));
const csvRenderer = lazy(() => require('../../reports/render/csv') as typeof import('../../reports/render/csv'));
const htmlRenderer = lazy(() => require('../../reports/render/html') as typeof import('../../reports/render/html'));
const tableRenderer = lazy(() => require('../../reports/render/text') as typeof import('../../reports/render/text'));
const reasons = lazy(() => require('../../reports/qualityReasons') as typeof import('../../reports/qualityReasons'));
const reasonsRenderer = lazy(() => require('../../reports/render/reasons') as typeof import('../../reports/render/reasons'));

/**
 * `closed-loop report <name> | --all | --list`: the shipped Closed Loop reports, computed from
 * their report metadata against the local org or a real org, as a table, CSV, JSON or a
 * self-contained HTML page.
 */

interface ReportFlags {
  list?: boolean;
  all?: boolean;
  period?: string;
  now?: number;
  rows?: number;
  format: 'table' | 'csv' | 'json' | 'html';
  columns?: number;
  out?: string;
  packageDir?: string;
  json?: boolean;
  targetOrg?: string;
  local?: boolean;
  connectionFile?: string;
  as?: string;
  previewUrl?: string;
}

export function register(program: Command): void {
  const cmd = program
    .command('report')
    .description('Run a shipped Closed Loop report (computed from its report metadata) against the local org or --target-org.')
    .argument('[name]', 'Report DeveloperName, e.g. SLA_Compliance_By_Rep (see --list).')
    .option('--list', 'List the shipped reports.')
    .option('--all', 'Run every shipped report (one HTML page with --format html).')
    .option('--period <period>', `Replace the report's date filter: ${PERIOD_CHOICES}.`)
    .addOption(
      new Option(
        '--now <ISO>',
        "Count open SLA timers' business minutes (and date the output) as of this instant instead of the current time, to reproduce a past run."
      ).argParser(instantFlag('--now'))
    )
    .addOption(
      new Option(
        '--rows <n>',
        "Detail rows to list, the first in report order (default 2000, as the org's report page; 0: figures only, computed in the org where the summaries allow)."
      ).argParser(intFlag('--rows', { min: 0, max: 10_000_000 }))
    )
    .addOption(new Option('--format <format>', 'Output format.').choices(['table', 'csv', 'json', 'html']).default('table'))
    .addOption(
      new Option('--columns <n>', 'Fit the table to this many characters (default: the terminal width, or 120).').argParser(
        intFlag('--columns', { min: 60, max: 1000 })
      )
    )
    .option('--out <file>', 'Write the output to a file instead of standard output.');
  addPackageDirFlag(cmd);
  addOrgFlags(cmd);
  addAsFlag(cmd);
  addPreviewUrlFlag(cmd);
  addJsonFlag(cmd);
  cmd.addHelpText(
    'after',
    `
Every figure is computed from the report's metadata in force-app (report type, columns, filters, date filter,
groupings, summaries, summary formulas), so it is what the org's Reports tab shows for the same period. Relative
periods are resolved by the org in the running user's time zone. The SLA compliance reports add P90 (nearest
rank over the report's rows), which Salesforce reports cannot show; it is marked (CLI). Lead_Quality_By_Lead_Source
and Lead_Quality_By_Campaign come with the top recycle and reject reasons per source or campaign and a few of
those leads, linked (their reasons reports, Lead_Quality_Reasons_By_Source and …_By_Campaign, run for the same
period); a weekly summary to forward is npx closed-loop digest.

Examples:
  $ npx closed-loop report --list
  $ npx closed-loop report SLA_Compliance_By_Rep --period last-month
  $ npx closed-loop report Lead_Quality_By_Lead_Source --period last-month --format html --out quality.html
  $ npx closed-loop report Funnel_Conversion_And_Velocity --period 2026-01-01..2026-03-31 --format csv --out funnel.csv
  $ npx closed-loop report --all --format html --out reports.html --target-org prod`
  );
  cmd.action(async (name: string | undefined, flags: ReportFlags) => {
    const out = createOutput(flags.json === true);
    const pkgDir = path.resolve(flags.packageDir ?? PACKAGE_DIR);
    if (flags.list) {
      const reports = definitions()
        .listReports(pkgDir)
        .map((r) => ({
          name: r.developerName,
          folder: r.folder,
          label: r.name,
          format: r.format,
          reportType: r.reportType,
          dateFilter: r.timeFrame ? `${r.timeFrame.column} ${r.timeFrame.interval}` : null
        }));
      const human = reports.map((r) => `${r.name.padEnd(38)} ${r.label.padEnd(38)} ${r.reportType}`).join('\n');
      return write(flags, out.json ? `${JSON.stringify(jsonSuccess(reports))}\n` : `${human}\n`, out);
    }
    if (!name && !flags.all) throw new CliError('name a report (see npx closed-loop report --list) or use --all', 2);
    if (name && flags.all) throw new CliError('give a report name or --all, not both', 2);
    let period: Period | undefined;
    if (flags.period !== undefined) {
      try {
        period = parsePeriod(flags.period);
      } catch (e) {
        if (e instanceof ReportPeriodError) throw new CliError(e.message, 2);
        throw e;
      }
    }
    const format = flags.json ? 'json' : flags.format;
    if (flags.all && format === 'csv') throw new CliError('--format csv takes one report; use json or html with --all', 2);
    // every definition is read and checked before the org is touched
    const { compileAll, compileReport, runReport } = runner();
    const defs = flags.all ? compileAll(pkgDir).map((c) => c.def) : [compileReport(definitions().loadReport(name!, pkgDir), pkgDir).def];
    const conn = await localToken().connectAs(orgTarget(flags));
    const results: ReportResult[] = [];
    const progress = out.progress(defs.length, 'Reports');
    try {
      for (const d of defs) {
        results.push(
          await runReport(conn, d, {
            period,
            pkgDir,
            ...(flags.rows === undefined ? {} : { details: flags.rows }),
            ...(flags.now === undefined ? {} : { now: new Date(flags.now) })
          })
        );
        progress.increment();
      }
    } finally {
      progress.stop();
    }
    await reasons().attachReasons(conn, results, { period, pkgDir, recordUrl: recordUrlFor(conn, flags) });
    let text: string;
    switch (format) {
      case 'json':
        // --json: the sf CLI's envelope on one line; --format json: the report document itself, for a file
        text = flags.json
          ? `${JSON.stringify(jsonSuccess(flags.all ? results : results[0]))}\n`
          : `${JSON.stringify(flags.all ? results : results[0], null, 2)}\n`;
        break;
      case 'csv':
        text = csvRenderer().renderCsv(results[0]);
        break;
      case 'html':
        text = htmlRenderer().renderHtml(results, { subtitle: describeOrg(flags), computedAt: new Date() });
        break;
      default:
        text = results
          .map((r) => {
            const columns = flags.columns ?? terminalColumns();
            const table = tableRenderer().renderTable(r, { columns });
            return r.reasons ? `${table}\n${reasonsRenderer().renderReasonsText(r.reasons, { columns })}` : table;
          })
          .join('\n');
    }
    write(flags, text, out);
  });
}

function describeOrg(flags: ReportFlags): string {
  return flags.targetOrg ? `org ${flags.targetOrg}` : 'local org';
}

function write(flags: ReportFlags, text: string, out: ReturnType<typeof createOutput>): void {
  if (flags.out) {
    fs.writeFileSync(flags.out, text);
    out.info(`Wrote ${flags.out}`);
  } else process.stdout.write(text);
}

/**
 * `npm start`: serve the HTML reports (every shipped report on one page, recomputed per request) and
 * write the alignment scorecard snapshots the Closed Loop home page shows. The snapshots are computed
 * after the banner, in the background: computing every commitment's report over the current and
 * earlier periods takes seconds at demo volume (about 7 s at 20,000 leads on a busy 2-core machine)
 * and nothing else waits for them; a line on stderr says when they are written.
 */
export const reportsStep: StartStep = {
  name: 'reports',
  async run(ctx) {
    const { computeScorecard, writeSnapshots } = scorecard();
    // the example leads of the lead quality reports link to the preview's record pages (previewStep runs first)
    const previewUrl = typeof ctx.report.previewUrl === 'string' ? ctx.report.previewUrl : undefined;
    const server = await reportServer().startReportServer(ctx.conn, {
      access: ctx.access,
      recordUrl: previewUrl ? reasons().previewRecordUrl(previewUrl) : undefined,
      // each page's navigation links back to the app (the preview's address without this run's token)
      appUrl: previewUrl ? new URL('/', previewUrl).toString() : undefined
    });
    ctx.onStop(() => server.close());
    ctx.announce(`Reports      ${server.openUrl}  (&period=last-month, /reports/<Name>.json, /scorecard.json)`);
    const dashboard = dashboards().listDashboards()[0];
    if (dashboard) {
      const url = server.access.entryUrl(new URL('/dashboard', server.url).toString());
      ctx.announce(`Dashboard    ${url}  (${dashboard.title}, from its metadata)`);
    }
    ctx.report.reportsUrl = server.openUrl;
    // Ctrl-C does not wait for the whole scorecard: once stopping, the job's next call to the org fails at
    // once (before a request is made, so nothing is retried against a closed org) and the job ends quietly.
    let stopping = false;
    const untilStopped = <T extends object>(c: T): T =>
      new Proxy(c, {
        get(target, prop, receiver) {
          const value: unknown = Reflect.get(target, prop, receiver);
          if (typeof value !== 'function') return value;
          return (...args: unknown[]) => {
            if (stopping) throw new Error('stopped');
            return (value as (...a: unknown[]) => unknown).apply(target, args);
          };
        }
      });
    const started = Date.now();
    // the snapshots are measurements: written by the integration user, whose Closed_Loop_Sync alone may
    const job = Promise.all([ctx.as('sync'), computeScorecard(untilStopped(ctx.conn))])
      .then(([writer, card]) => writeSnapshots(untilStopped(writer), card))
      .then(
        (written) => {
          if (!stopping)
            ctx.out.info(
              `Scorecard    ${written.upserted} commitments written to Scorecard_Snapshot__c (the Closed Loop home page) in ${((Date.now() - started) / 1000).toFixed(1)} s`
            );
        },
        (e: unknown) => {
          if (!stopping) ctx.out.info(`Scorecard    not written: ${oneLine(e)}`);
        }
      );
    // registered after the server's close, so it runs before it (stops run in reverse order)
    ctx.onStop(async () => {
      stopping = true;
      await job;
    });
    ctx.announce('Scorecard    being written to Scorecard_Snapshot__c (the Closed Loop home page); a line below says when');
  }
};
