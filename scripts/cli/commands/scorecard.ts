import * as path from 'node:path';
import { Command, Option } from 'commander';
import { PACKAGE_DIR } from '../../project';
import { ReportPeriodError } from '../../reports/errors';
import { parsePeriod, PERIOD_CHOICES, type Period } from '../../reports/period';
import type { PeriodActual, Scorecard, ScorecardLine } from '../../reports/scorecard';
import { CliError } from '../errors';
import { addAsFlag, addJsonFlag, addOrgFlags, addPackageDirFlag, intFlag, orgTarget } from '../flags';
import { lazy } from '../lazy';
import { createOutput, terminalColumns } from '../output';

const localToken = lazy(() => require('../../org/localToken') as typeof import('../../org/localToken'));
const scorecard = lazy(() => require('../../reports/scorecard') as typeof import('../../reports/scorecard'));
const textRenderer = lazy(() => require('../../reports/render/text') as typeof import('../../reports/render/text'));
const calendar = lazy(() => require('../../calendar') as typeof import('../../calendar'));

/**
 * `closed-loop scorecard`: both sides' alignment commitments with target, actual this period, the
 * trend of the periods before, met or missed — every actual read from the linked Closed Loop report
 * by the report runner. `--write` stores it as Scorecard_Snapshot__c records for the
 * alignmentScorecard component on the Closed Loop home page.
 */
interface ScorecardFlags {
  period?: string;
  trend: number;
  columns?: number;
  write?: boolean;
  packageDir?: string;
  json?: boolean;
  targetOrg?: string;
  local?: boolean;
  connectionFile?: string;
  as?: string;
}

export function register(program: Command): void {
  const cmd = program
    .command('scorecard')
    .description('Show the two-sided alignment scorecard (commitments from Alignment_Commitment__mdt, actuals from the linked reports).')
    .option(
      '--period <period>',
      `Which period is current: ${PERIOD_CHOICES} (this-… = the month/quarter of today, last-… = the one before, in each commitment's own unit).`
    )
    .addOption(new Option('--trend <n>', 'Earlier periods to show.').argParser(intFlag('--trend', { min: 0, max: 12 })).default(3))
    .addOption(
      new Option('--columns <n>', 'Fit the table to this many characters (default: the terminal width, or 120).').argParser(
        intFlag('--columns', { min: 60, max: 1000 })
      )
    )
    .option('--write', 'Store the scorecard as Scorecard_Snapshot__c records (what the alignmentScorecard component shows).');
  addPackageDirFlag(cmd);
  addOrgFlags(cmd);
  addAsFlag(cmd);
  addJsonFlag(cmd);
  cmd.addHelpText(
    'after',
    `
Examples:
  $ npx closed-loop scorecard
  $ npx closed-loop scorecard --period last-quarter --trend 4 --target-org prod
  $ npx closed-loop scorecard --write --json`
  );
  cmd.action(async (flags: ScorecardFlags) => {
    const out = createOutput(flags.json === true);
    let period: Period | undefined;
    if (flags.period !== undefined) {
      try {
        period = parsePeriod(flags.period);
      } catch (e) {
        if (e instanceof ReportPeriodError) throw new CliError(e.message, 2);
        throw e;
      }
    }
    const conn = await localToken().connectAs(orgTarget(flags));
    const { computeScorecard, writeSnapshots } = scorecard();
    const card = await computeScorecard(conn, { period, trend: flags.trend, pkgDir: path.resolve(flags.packageDir ?? PACKAGE_DIR) });
    let written: { upserted: number; deleted: number } | undefined;
    if (flags.write) written = await writeSnapshots(conn, card);
    out.result(
      { ...card, ...(written ? { written } : {}) },
      () =>
        formatScorecard(card, { columns: flags.columns ?? terminalColumns(), orgUrl: flags.local ? undefined : conn.instanceUrl }) +
        (written ? `\nWrote ${written.upserted} Scorecard_Snapshot__c records.\n` : '')
    );
  });
}

const MARK: Record<PeriodActual['result'], string> = {
  Met: '✔',
  Missed: '✘',
  'On pace': '✔',
  'Off pace': '!',
  'Not started': '·',
  'No data': '–'
};

/** `✔ Met`, `! Behind pace: 200 of 240 expected by today`, `– No data`. */
function standing(a: PeriodActual): string {
  return `${MARK[a.result]} ${a.note.charAt(0).toUpperCase()}${a.note.slice(1)}`;
}

/** `Sep`, `Q3`, or the range of a custom period: how an earlier period is named in the trend. */
function shortLabel(a: PeriodActual): string {
  const first = a.label.split(' ')[0];
  return /^Q\d$/.test(first) ? first : /^[A-Z][a-z]+$/.test(first) ? first.slice(0, 3) : a.label;
}

export interface ScorecardTextOptions {
  /** Width to fit (default 120). */
  columns?: number;
  /** The org's base URL (a real org): links to the reports' Lightning pages are printed in full. */
  orgUrl?: string;
}

export function formatScorecard(card: Scorecard, opts: ScorecardTextOptions = {}): string {
  const { formatCommitmentFigure } = scorecard();
  const { fitTable } = textRenderer();
  const { formatInstant } = calendar();
  const limit = opts.columns ?? 120;
  const paced = card.calendar ? `paced on the business days of ${card.calendar}` : 'paced on calendar time';
  const out = [`Alignment scorecard, computed ${formatInstant(card.computedAt, card.timeZone)} (${card.timeZone}; ${paced})`];
  for (const side of [...new Set(card.lines.map((l) => l.side))]) {
    const lines = card.lines.filter((l) => l.side === side);
    const rows = lines.map((l: ScorecardLine) => [
      l.metric || l.label,
      l.current.label,
      `${l.comparison === 'At Most' ? '≤' : '≥'} ${formatCommitmentFigure(l.target, l.unit)}`,
      formatCommitmentFigure(l.current.actual, l.unit),
      standing(l.current),
      l.trend
        .map((t) => `${shortLabel(t)} ${t.actual === null ? 'no data' : `${formatCommitmentFigure(t.actual, l.unit)} ${MARK[t.result]}`}`)
        .join(' · ') || '-'
    ]);
    const head = ['Commitment', 'Period', 'Target', 'Actual', 'Standing', 'Earlier periods'];
    out.push('', side, ...fitTable(head, rows, limit, [0, 5, 4]));
  }
  // every figure links to the report behind it, for its period
  out.push('', 'The report behind each figure (this period):');
  const seen = new Set<string>();
  for (const l of card.lines) {
    const link = l.current.link;
    const target =
      link.org && opts.orgUrl
        ? `${opts.orgUrl.replace(/\/+$/, '')}${link.org}${link.orgPeriod ? '' : ' (set the period in the report)'}`
        : `npx closed-loop report ${link.report} --period ${l.current.from}..${l.current.to}`;
    if (seen.has(target)) continue;
    seen.add(target);
    out.push(`  ${target}`);
  }
  return `${out.join('\n')}\n`;
}
