import { Command, Option } from 'commander';
import type { SeedProgress, SeedSummary } from '../../seed';
// the defaults shown in --help, from the generator's light types module (the generator loads faker)
import { DEFAULT_DAYS, DEFAULT_LEADS, DEFAULT_SEED, MAX_LOCAL_LEADS } from '../../seed/types';
import { CliError } from '../errors';
import { addJsonFlag, addOrgFlags, instantFlag, intFlag, InvalidFlagError, orgTarget } from '../flags';
import { lazy } from '../lazy';
import { createOutput, type Output, type Progress } from '../output';

const connection = lazy(() => require('../../org/connection') as typeof import('../../org/connection'));
const seed = lazy(() => require('../../seed') as typeof import('../../seed'));

/**
 * `closed-loop seed --local`: fills the local org with the deterministic demo data (replacing what it
 * held). Real orgs are seeded with `closed-loop org seed`, which loads the same plan in org mode.
 */
interface SeedFlags {
  targetOrg?: string;
  local?: boolean;
  connectionFile?: string;
  leads: number;
  seed: number;
  days: number;
  now?: Date;
  json?: boolean;
}

export function register(program: Command): void {
  const cmd = program
    .command('seed')
    .description(
      'Fill the local org with deterministic demo data: users and queues, business hours and holidays, campaigns, ' +
        'leads with their whole history (MQL, routing, acceptance, recycling, rejection, touches), conversions, opportunities, ' +
        'feedback and win/loss reviews. Replaces the data the local org held. The same --seed and --now give identical data.'
    );
  addOrgFlags(cmd)
    .addOption(
      new Option('--leads <n>', 'Number of leads.')
        .argParser(wholeNumberFlag('--leads', { min: 0, max: MAX_LOCAL_LEADS }))
        .default(DEFAULT_LEADS)
    )
    .addOption(new Option('--seed <n>', 'Random seed.').argParser(wholeNumberFlag('--seed')).default(DEFAULT_SEED))
    .addOption(
      new Option('--days <n>', 'Leads arrive over the last N days.')
        .argParser(wholeNumberFlag('--days', { min: 1, max: 365 }))
        .default(DEFAULT_DAYS)
    )
    .addOption(
      new Option('--now <iso>', 'The instant the data ends at, ISO 8601 with Z or an offset (default: now, to the minute).').argParser(
        (v) => new Date(instantFlag('--now')(v))
      )
    );
  addJsonFlag(cmd);
  cmd.action(async (flags: SeedFlags) => {
    if (flags.targetOrg) {
      throw new CliError(
        'seed writes to the local org only',
        2,
        `for a real org run: npx closed-loop org seed --target-org ${flags.targetOrg}`
      );
    }
    const out = createOutput(flags.json === true);
    const conn = await connection().connect(orgTarget(flags));
    const { runSeed, seedNow } = seed();
    const progress = seedProgressBar(out, 'Seeding');
    let summary: SeedSummary;
    try {
      summary = await runSeed(conn, {
        mode: 'local',
        seed: flags.seed,
        leads: flags.leads,
        days: flags.days,
        now: flags.now ?? seedNow(),
        onProgress: progress.update
      });
    } finally {
      progress.stop();
    }
    out.result(summary, formatSeedSummary);
  });
}

/**
 * A progress bar for a seed run, created on the first report; its total follows the reports' (a local seed
 * estimates the records of the batches of leads still to be made, and corrects it batch by batch).
 */
export function seedProgressBar(out: Output, label: string): { update: (p: SeedProgress) => void; stop: () => void } {
  let bar: Progress | undefined;
  let shown = 0;
  let total = 0;
  return {
    update(p) {
      bar ??= out.progress((total = p.total), label);
      if (p.total !== total) bar.setTotal((total = p.total));
      bar.increment(p.done - shown);
      shown = p.done;
    },
    stop() {
      bar?.stop();
    }
  };
}

/** `Seeded the local org …` with a table of records by object. */
export function formatSeedSummary(s: SeedSummary): string {
  const lines = [
    s.skipped
      ? `Nothing seeded: ${s.skipped}.`
      : `Seeded the ${s.mode === 'local' ? 'local org' : 'org'} in ${(s.elapsedMs / 1000).toFixed(1)} s ` +
        `(seed ${s.seed}, ${s.leads.toLocaleString('en-US')} leads over ${s.days} days up to ${s.now}, ${s.requests} API requests).`
  ];
  const objects = Object.keys({ ...s.planned, ...s.created, ...s.updated });
  if (!s.skipped && objects.length > 0) {
    const width = Math.max(...objects.map((o) => o.length));
    lines.push('', `  ${'Object'.padEnd(width)}  ${'Created'.padStart(8)}  ${'Updated'.padStart(8)}`);
    for (const o of objects) {
      const n = (v: number | undefined) => (v ? v.toLocaleString('en-US') : '-').padStart(8);
      lines.push(`  ${o.padEnd(width)}  ${n(s.created[o])}  ${n(s.updated[o])}`);
    }
    const deleted = Object.values(s.deleted).reduce((a, b) => a + b, 0);
    if (deleted > 0) lines.push('', `Replaced the previous data (${deleted.toLocaleString('en-US')} records deleted first).`);
  }
  return lines.join('\n');
}

/** intFlag, failing as a usage error (exit 2) like commander's own parse errors. */
export function wholeNumberFlag(flag: string, range: { min?: number; max?: number } = {}) {
  const parse = intFlag(flag, range);
  return (value: string): number => {
    try {
      return parse(value);
    } catch (err) {
      if (err instanceof InvalidFlagError) throw new CliError(err.message, 2);
      throw err;
    }
  };
}
