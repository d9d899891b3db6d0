import * as fs from 'node:fs';
import { Command, Option } from 'commander';
import { parsePeriod, PERIOD_CHOICES } from '../../reports/period';
import { ReportPeriodError } from '../../reports/errors';
import type { Period } from '../../reports/period';
import type { PolicySet, Sweep, WhatIfResult } from '../../sla/whatif';
import { CliError } from '../errors';
import { addAsFlag, addOrgFlags, instantFlag, orgTarget } from '../flags';
import { lazy } from '../lazy';
import { createOutput } from '../output';
import type { Progress } from '../output';

const localToken = lazy(() => require('../../org/localToken') as typeof import('../../org/localToken'));
const whatif = lazy(() => require('../../sla/whatif') as typeof import('../../sla/whatif'));
const whatifFormat = lazy(() => require('../../sla/whatif/format') as typeof import('../../sla/whatif/format'));
const whatifHtml = lazy(() => require('../../sla/whatif/html') as typeof import('../../sla/whatif/html'));

interface WhatIfFlags {
  targetOrg?: string;
  local?: boolean;
  connectionFile?: string;
  as?: string;
  period: string;
  policy?: string;
  set?: string[];
  calendar?: string;
  sweep?: string;
  now?: number;
  format: 'table' | 'json' | 'html';
  out?: string;
  json?: boolean;
}

const collect = (value: string, previous: string[] = []) => [...previous, value];

/**
 * `closed-loop sla whatif`: the SLA what-if (scripts/sla/whatif) — the org's history replayed under proposed
 * policies, side by side with the current ones, or a sweep of one field. Registered under `sla`.
 */
export function register(program: Command): void {
  const sla = program.commands.find((c) => c.name() === 'sla') ?? program.command('sla');
  const cmd = sla
    .command('whatif')
    .description(
      'Replay the org’s leads and opportunities under proposed SLA policies (or business hours) and compare compliance, breaches, ' +
        'escalations and business time with the current policies, per clock, rep, team and lead source. Writes nothing.'
    )
    .addOption(new Option('--period <period>', `The clock runs to replay, by start: ${PERIOD_CHOICES}.`).default('last-quarter'))
    .option('--policy <file.json>', 'Proposed SLA_Policy__mdt records (the CMDT field names; by DeveloperName over the org’s).')
    .option(
      '--set <policy.Field__c=value>',
      'Change one field of a policy (DeveloperName or clock name), e.g. Lead_Accept.Target_Minutes__c=90; repeatable.',
      collect
    )
    .option('--calendar <file.json>', 'A proposed business calendar (BusinessHours fields + holidays) for every policy.')
    .option(
      '--sweep <policy.Field__c=from..to/step>',
      'Replay once per value of a number field, e.g. Lead_Accept.Target_Minutes__c=30..240/30.'
    )
    .addOption(
      new Option('--now <ISO>', 'Evaluate the clocks as of this instant instead of the current time.').argParser(instantFlag('--now'))
    )
    .addOption(new Option('--format <format>', 'Output format.').choices(['table', 'json', 'html']).default('table'))
    .option('--out <file>', 'Write the output to this file instead of stdout.');
  addOrgFlags(cmd);
  addAsFlag(cmd, 'sync');
  cmd.option('--json', 'Format output (or the error) as JSON (same as --format json).');
  cmd.addHelpText(
    'after',
    `
Reads the org's SLA policies, business hours, and every lead and opportunity with its history, activities,
feedback and reviews (as the SLA sync reads them), once; then runs the SLA clock rules over them under the
current policies and under the proposed ones. A proposed policy or calendar is checked as the sync checks its
own: an invalid one is refused with one line naming the field. Nothing is written to the org. See docs/sla-whatif.md.

Examples:
  $ npx closed-loop sla whatif --local --set Lead_Accept.Target_Minutes__c=90
  $ npx closed-loop sla whatif --target-org prod --period 2026-01-01..2026-03-31 --policy proposal.json --format json
  $ npx closed-loop sla whatif --local --sweep Lead_Accept.Target_Minutes__c=30..240/30
  $ npx closed-loop sla whatif --local --calendar extended-hours.json`
  );
  cmd.action(async (flags: WhatIfFlags) => {
    const w = whatif();
    // every flag and file is checked before the org is touched
    let period: Period;
    let sets: PolicySet[];
    let sweep: Sweep | null;
    try {
      period = parsePeriod(flags.period);
      sets = (flags.set ?? []).map((s) => w.parseSet(s));
      sweep = flags.sweep === undefined ? null : w.parseSweep(flags.sweep);
    } catch (e) {
      if (e instanceof ReportPeriodError || e instanceof w.WhatIfFlagError) throw new CliError(e.message, 2);
      throw e;
    }
    if (!flags.policy && sets.length === 0 && !flags.calendar && !sweep) {
      throw new CliError(
        'nothing proposed: give --policy <file.json>, --set <policy.Field__c=value>, --calendar <file.json> or --sweep',
        2
      );
    }
    const policies = flags.policy ? w.parsePolicyFile(readFile(flags.policy, '--policy'), flags.policy) : [];
    const calendar = flags.calendar ? w.parseCalendarFile(readFile(flags.calendar, '--calendar'), flags.calendar) : null;

    const json = flags.json === true || flags.format === 'json';
    const out = createOutput(flags.json === true);
    const conn = await localToken().connectAs(orgTarget(flags), 'sync');
    let bar: Progress | undefined;
    let shown = 0;
    let result: WhatIfResult;
    try {
      result = await w.runWhatIf(conn, {
        period,
        now: flags.now,
        policies,
        sets,
        calendar,
        sweep,
        onProgress: (done, total) => {
          bar ??= out.progress(total, 'Reading history');
          bar.setTotal(total);
          bar.increment(done - shown);
          shown = done;
        }
      });
    } catch (e) {
      if (e instanceof w.WhatIfFlagError) throw new CliError(e.message, 2);
      throw e;
    } finally {
      bar?.stop();
    }
    const text = json
      ? `${JSON.stringify(result, null, flags.json ? undefined : 2)}\n`
      : flags.format === 'html'
        ? whatifHtml().renderWhatIfHtml(result, { subtitle: flags.targetOrg ? `org ${flags.targetOrg}` : 'local org' })
        : `${whatifFormat().formatWhatIf(result)}\n`;
    if (flags.out) {
      fs.writeFileSync(flags.out, text);
      out.info(`Wrote ${flags.out}`);
    } else process.stdout.write(text);
  });
}

function readFile(file: string, flag: string): string {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new CliError(
      `${flag} ${file}: ${code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : (e as Error).message}`,
      1
    );
  }
}
