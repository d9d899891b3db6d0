import * as path from 'node:path';
import { Command, Option } from 'commander';
import { PACKAGE_DIR } from '../../project';
import { ReportPeriodError } from '../../reports/errors';
import { parsePeriod, PERIOD_CHOICES, type Period } from '../../reports/period';
import type { PeriodActual, Scorecard, ScorecardLine } from '../../reports/scorecard';
import { CliError } from '../errors';
import { addJsonFlag, addOrgFlags, intFlag, orgTarget } from '../flags';
import { lazy } from '../lazy';
import { createOutput } from '../output';

const connection = lazy(() => require('../../org/connection') as typeof import('../../org/connection'));
const scorecard = lazy(() => require('../../reports/scorecard') as typeof import('../../reports/scorecard'));

/**
 * `closed-loop scorecard`: both sides' alignment commitments with target, actual this period, the
 * trend of the periods before, met or missed — every actual read from the linked Closed Loop report
 * by the report runner. `--write` stores it as Scorecard_Snapshot__c records for the
 * alignmentScorecard component on the Closed Loop home page.
 */
interface ScorecardFlags {
  period?: string;
  trend: number;
  write?: boolean;
  packageDir?: string;
  json?: boolean;
  targetOrg?: string;
  local?: boolean;
  connectionFile?: string;
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
    .option('--write', 'Store the scorecard as Scorecard_Snapshot__c records (what the alignmentScorecard component shows).')
    .option(
      '--package-dir <dir>',
      'Read the report definitions from this package directory.',
      path.relative(process.cwd(), PACKAGE_DIR) || PACKAGE_DIR
    );
  addOrgFlags(cmd);
  addJsonFlag(cmd);
  cmd.addHelpText(
    'after',
    `
Examples:
  $ closed-loop scorecard
  $ closed-loop scorecard --period last-quarter --trend 4 --target-org prod
  $ closed-loop scorecard --write --json`
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
    const conn = await connection().connect(orgTarget(flags));
    const { computeScorecard, writeSnapshots } = scorecard();
    const card = await computeScorecard(conn, { period, trend: flags.trend, pkgDir: path.resolve(flags.packageDir ?? PACKAGE_DIR) });
    let written: { upserted: number; deleted: number } | undefined;
    if (flags.write) written = await writeSnapshots(conn, card);
    out.result(
      { ...card, ...(written ? { written } : {}) },
      () => formatScorecard(card) + (written ? `\nWrote ${written.upserted} Scorecard_Snapshot__c records.\n` : '')
    );
  });
}

const MARK: Record<PeriodActual['result'], string> = { Met: '✔ Met', Missed: '✘ Missed', 'No data': '– No data' };

function num(v: number | null, unit: string): string {
  if (v === null) return '-';
  const s = v.toLocaleString('en-US', { maximumFractionDigits: 2 });
  return unit === 'Percent' ? `${s}%` : s;
}

export function formatScorecard(card: Scorecard): string {
  const out = [`Alignment scorecard (computed ${card.computedAt}, time zone ${card.timeZone})`];
  for (const side of [...new Set(card.lines.map((l) => l.side))]) {
    const lines = card.lines.filter((l) => l.side === side);
    const rows = lines.map((l: ScorecardLine) => [
      l.metric || l.label,
      l.current.label,
      `${l.comparison === 'At Most' ? '≤' : '≥'} ${num(l.target, l.unit)}`,
      num(l.current.actual, l.unit),
      l.trend.map((t) => `${num(t.actual, l.unit)} ${t.result === 'Met' ? '✔' : t.result === 'Missed' ? '✘' : '–'}`).join(' · ') || '-',
      MARK[l.current.result],
      l.report
    ]);
    const head = ['Commitment', 'Period', 'Target', 'Actual', 'Trend (oldest first)', 'Result', 'Report'];
    const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
    const fmt = (r: string[]) =>
      r
        .map((c, i) => c.padEnd(widths[i]))
        .join('  ')
        .trimEnd();
    out.push('', side, fmt(head), fmt(widths.map((w) => '-'.repeat(w))), ...rows.map(fmt));
  }
  return `${out.join('\n')}\n`;
}
