import * as fs from 'node:fs';
import * as path from 'node:path';
import { Command, Option } from 'commander';
import { PACKAGE_DIR } from '../../project';
import { ReportPeriodError } from '../../reports/errors';
import { CliError } from '../errors';
import { addAsFlag, addExamples, addJsonFlag, addOrgFlags, addPackageDirFlag, intFlag, orgTarget } from '../flags';
import { lazy } from '../lazy';
import { addPreviewUrlFlag, recordUrlFor } from '../links';
import { createOutput, jsonSuccess, terminalColumns } from '../output';

const localToken = lazy(() => require('../../org/localToken') as typeof import('../../org/localToken'));
const digest = lazy(() => require('../../reports/digest') as typeof import('../../reports/digest'));
const renderer = lazy(() => require('../../reports/render/digest') as typeof import('../../reports/render/digest'));

/**
 * `closed-loop digest`: marketing's closed-loop digest for a period (default: last week) — MQLs handed
 * over, what sales did with them per lead source and campaign and why, the rating trend, duplicates
 * flagged, example leads linked — as text, JSON or an HTML page to forward (scripts/reports/digest.ts).
 */
interface DigestFlags {
  since: string;
  format: 'text' | 'html' | 'json';
  out?: string;
  trend: number;
  examples: number;
  packageDir?: string;
  previewUrl?: string;
  json?: boolean;
  targetOrg?: string;
  local?: boolean;
  connectionFile?: string;
  as?: string;
}

export function register(program: Command): void {
  const cmd = program
    .command('digest')
    .description(
      "Marketing's digest of the closed loop for a period: MQLs handed over, accepted / recycled / rejected with the top reasons per " +
        'lead source and campaign, the lead quality rating against the periods before, duplicates flagged, example leads linked.'
    )
    .addOption(
      new Option(
        '--since <when>',
        'The period: last-week (Sunday to Saturday, as the org counts weeks), this-week, last-month, this-month, last-quarter, this-quarter, a first date YYYY-MM-DD (to today) or <from>..<to>.'
      ).default('last-week')
    )
    .addOption(new Option('--format <format>', 'Output format.').choices(['text', 'html', 'json']).default('text'))
    .option('--out <file>', 'Write the digest to a file (e.g. digest.html to forward) instead of standard output.')
    .addOption(
      new Option('--trend <n>', 'Periods in the rating trend, this one included.')
        .argParser(intFlag('--trend', { min: 1, max: 12 }))
        .default(4)
    )
    .addOption(
      new Option('--examples <n>', 'Example leads per lead source and campaign.')
        .argParser(intFlag('--examples', { min: 0, max: 20 }))
        .default(3)
    );
  addPackageDirFlag(cmd);
  addOrgFlags(cmd);
  addAsFlag(cmd);
  addPreviewUrlFlag(cmd);
  addJsonFlag(cmd);
  cmd.addHelpText(
    'after',
    `
Every figure is a shipped report's, computed for the period by the report runner: Funnel_Conversion_And_Velocity
(MQLs), Lead_Quality_By_Lead_Source and Lead_Quality_By_Campaign (accepted, recycled, rejected, rating) and their
reasons reports, Lead_Quality_Reasons_By_Source and Lead_Quality_Reasons_By_Campaign (top reasons, example leads,
duplicates). Leads link to their record page in the org (--target-org) or to the preview (the local org). On the local
org, --as runs it as marketing or a manager, as report --as does: the figures are the ones that user may see.`
  );
  addExamples(cmd, [
    'npx closed-loop digest',
    'npx closed-loop digest --since last-week --format html --out digest.html',
    'npx closed-loop digest --target-org prod --since last-month --format html --out digest.html',
    'npx closed-loop digest --as marketing --since 2026-03-01 --json'
  ]);
  cmd.action(async (flags: DigestFlags) => {
    const out = createOutput(flags.json === true);
    const { buildDigest, parseSince } = digest();
    let since;
    try {
      since = parseSince(flags.since);
    } catch (e) {
      if (e instanceof ReportPeriodError) throw new CliError(e.message, 2);
      throw e;
    }
    // as whoever the reports run as: the admin by default, --as another user of the local org
    const conn = await localToken().connectAs(orgTarget(flags));
    const d = await buildDigest(conn, {
      since,
      pkgDir: path.resolve(flags.packageDir ?? PACKAGE_DIR),
      trend: flags.trend,
      examples: flags.examples,
      recordUrl: recordUrlFor(conn, flags)
    });
    const org = flags.targetOrg ? `org ${flags.targetOrg}` : 'local org';
    const format = flags.json ? 'json' : flags.format;
    const text =
      format === 'json'
        ? `${flags.json ? JSON.stringify(jsonSuccess(d)) : JSON.stringify(d, null, 2)}\n`
        : format === 'html'
          ? renderer().renderDigestHtml(d, { org })
          : renderer().renderDigestText(d, { org, columns: flags.out ? 120 : terminalColumns() });
    if (flags.out) {
      try {
        fs.writeFileSync(flags.out, text);
      } catch (e) {
        throw new CliError(`--out ${flags.out}: ${(e as NodeJS.ErrnoException).code ?? String(e)}`);
      }
      out.info(`Wrote ${flags.out}`);
    } else process.stdout.write(text);
  });
}
