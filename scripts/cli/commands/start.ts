import * as fs from 'node:fs';
import * as path from 'node:path';
import { Command, Option } from 'commander';
import { LocalAccess } from '../../http/security';
import { DEFAULT_CONNECTION_FILE, LOCAL_ORG_DIR, PROJECT_ROOT } from '../../project';
import { OrgData, soql } from '../../org/data';
// the defaults shown in --help, from the generator's light types module (the generator loads faker)
import { DEFAULT_LEADS, DEFAULT_SEED, MAX_LOCAL_LEADS } from '../../seed/types';
import { addJsonFlag } from '../flags';
import { lazy } from '../lazy';
import { createOutput } from '../output';
import { previewStep } from './preview';
import { reportsStep } from './report';
import { formatSeedSummary, seedProgressBar, wholeNumberFlag } from './seed';
import { DEFAULT_START_INTERVAL_S, slaSyncStep, syncIntervalFlag } from './sla';
import type { StartContext, StartFlags, StartStep } from './startStep';
import { untilSignal } from '../signals';

const jsforce = lazy(() => require('jsforce') as typeof import('jsforce'));
const localOrgServer = lazy(() => require('../../localorg/server') as typeof import('../../localorg/server'));
const seed = lazy(() => require('../../seed') as typeof import('../../seed'));
const localToken = lazy(() => require('../../org/localToken') as typeof import('../../org/localToken'));

/**
 * `npm start` (`closed-loop start`): the whole product on the embedded local org. Starts the local
 * org on a persistent file, then runs START_STEPS in order (seed on first run, …), prints how to
 * reach everything, and runs until Ctrl-C, stopping what the steps started in reverse order.
 * A step is a StartStep (./startStep.ts): add yours to START_STEPS.
 */

/**
 * The demo data, on the first run only (a marker file beside the database says it is there). On the
 * runs after, the banner reports what the org holds — its lead count, read from the org — and the seed
 * from the marker only while the org still holds that seeding's leads (the oldest lead is the one it
 * created): `closed-loop seed --local` replaces them behind npm start's back, and the banner says so
 * instead of repeating the first run's figures.
 */
export const seedStep: StartStep = {
  name: 'demo data',
  async run(ctx) {
    const marker = seedMarkerFile(ctx.org.data);
    const previous = marker ? readMarker(marker) : undefined;
    if (previous && !ctx.fresh && !ctx.flags.reseed) {
      const now = await demoFingerprint(ctx.conn);
      // a marker from before fingerprints were recorded: the lead count is all there is to compare
      const same = previous.fingerprint ? sameFingerprint(previous.fingerprint, now) : previous.leads === now.leads;
      const leads = now.leads.toLocaleString('en-US');
      ctx.announce(
        same
          ? `Demo data    ${leads} leads, seeded ${previous.seededAt} (seed ${previous.seed}); --reseed to start over`
          : `Demo data    ${leads} leads, not the ${previous.leads.toLocaleString('en-US')} npm start seeded on ${previous.seededAt}: ` +
              'replaced since (npx closed-loop seed --local); --reseed to start over'
      );
      ctx.report.seed = same
        ? { ...previous, leads: now.leads, seededNow: false }
        : { leads: now.leads, seededNow: false, replacedSince: previous.seededAt };
      return;
    }
    ctx.out.info(`Seeding the demo data (seed ${ctx.flags.seed}, ${ctx.flags.leads.toLocaleString('en-US')} leads)…`);
    const { runSeed, seedNow } = seed();
    const progress = seedProgressBar(ctx.out, 'Seeding');
    const summary = await runSeed(ctx.conn, {
      mode: 'local',
      seed: ctx.flags.seed,
      leads: ctx.flags.leads,
      now: seedNow(),
      onProgress: progress.update
    }).finally(() => progress.stop());
    ctx.out.info(formatSeedSummary(summary));
    const record: SeedMarker = {
      seed: summary.seed,
      leads: summary.leads,
      days: summary.days,
      now: summary.now,
      seededAt: new Date().toISOString(),
      fingerprint: await demoFingerprint(ctx.conn)
    };
    if (marker) fs.writeFileSync(marker, `${JSON.stringify(record, null, 2)}\n`);
    ctx.announce(
      `Demo data    seeded just now (seed ${summary.seed}, ${summary.leads.toLocaleString('en-US')} leads, ${(summary.elapsedMs / 1000).toFixed(1)} s)`
    );
    ctx.report.seed = { ...record, seededNow: true, elapsedMs: summary.elapsedMs };
  }
};

/**
 * What tells one seeding from another, read from the org in one aggregate query: the number of leads, and
 * when the oldest was created. A seeding replaces every lead (their CreatedDate backdated by the seed's
 * own clock), so the oldest changes; leads people add or delete later change the count, not the oldest.
 */
interface DemoFingerprint {
  leads: number;
  oldestLead: string | null;
}

async function demoFingerprint(conn: StartContext['conn']): Promise<DemoFingerprint> {
  const [row] = await new OrgData(conn).all<{ n: number; oldest: string | null }>(
    soql`SELECT COUNT(Id) n, MIN(CreatedDate) oldest FROM Lead`
  );
  return { leads: Number(row?.n ?? 0), oldestLead: row?.oldest ?? null };
}

/** The org still holds the leads that seeding created (people may have added or deleted some since). */
function sameFingerprint(seeded: DemoFingerprint, now: DemoFingerprint): boolean {
  return seeded.oldestLead !== null && seeded.oldestLead === now.oldestLead;
}

/** What `npm start` runs after starting the local org, in order. Add your step here. */
export const START_STEPS: StartStep[] = [seedStep, slaSyncStep, previewStep, reportsStep];

export function register(program: Command): void {
  const cmd = program
    .command('start')
    .description(
      'Run Closed Loop on the embedded local org (a Salesforce REST API emulator on SQLite, not a Salesforce product): ' +
        'start it on a persistent database, seed the demo data on the first run, print how to reach it, and run until Ctrl-C.'
    )
    .addOption(
      new Option('--port <n>', 'TCP port on 127.0.0.1 (0 picks a free one).')
        .argParser(wholeNumberFlag('--port', { min: 0, max: 65535 }))
        .default(0)
    )
    .option('--data <file>', 'SQLite database file (or :memory:).', path.relative(PROJECT_ROOT, path.join(LOCAL_ORG_DIR, 'localorg.db')))
    .option('--connection-file <path>', 'Where to write the connection file.', path.relative(PROJECT_ROOT, DEFAULT_CONNECTION_FILE))
    .addOption(new Option('--seed <n>', 'Random seed of the demo data.').argParser(wholeNumberFlag('--seed')).default(DEFAULT_SEED))
    .addOption(
      new Option('--leads <n>', 'Leads in the demo data.')
        .argParser(wholeNumberFlag('--leads', { min: 0, max: MAX_LOCAL_LEADS }))
        .default(DEFAULT_LEADS)
    )
    .option('--reseed', 'Replace the demo data even if this database was seeded before.')
    .addOption(
      new Option('--sync-interval <S>', 'Seconds between SLA syncs while it runs (0 = once at start, else 5–86400).')
        .argParser(syncIntervalFlag)
        .default(DEFAULT_START_INTERVAL_S)
    );
  addJsonFlag(cmd);
  cmd.action(async (flags: StartFlags) => {
    const out = createOutput(flags.json === true);
    const data = flags.data === ':memory:' ? flags.data : path.resolve(PROJECT_ROOT, flags.data);
    const connectionFile = path.resolve(PROJECT_ROOT, flags.connectionFile);
    const fresh = data === ':memory:' || !fs.existsSync(data);
    if (fresh && data !== ':memory:') out.info(`Creating the local org in ${data} (first run: deploying the package into it)…`);
    const { Connection } = jsforce();
    const org = await localOrgServer().startLocalOrg({ port: flags.port, data, connectionFile });
    const stops: Array<() => Promise<void> | void> = [];
    const lines: string[] = [];
    const report: Record<string, unknown> = {
      instanceUrl: org.instanceUrl,
      accessToken: org.accessToken,
      apiVersion: org.apiVersion,
      connectionFile,
      data
    };
    const sessions = new Map<string, Promise<StartContext['conn']>>();
    const ctx: StartContext = {
      out,
      flags,
      org: { instanceUrl: org.instanceUrl, accessToken: org.accessToken, apiVersion: org.apiVersion, connectionFile, data },
      conn: new Connection({ instanceUrl: org.instanceUrl, accessToken: org.accessToken, version: org.apiVersion }),
      as(user) {
        let session = sessions.get(user);
        if (!session) {
          session = localToken()
            .localSession(ctx.org, user)
            .then((s) => s.conn);
          session.catch(() => sessions.delete(user));
          sessions.set(user, session);
        }
        return session;
      },
      fresh,
      access: new LocalAccess(),
      announce: (line) => lines.push(line),
      report,
      onStop: (stop) => stops.push(stop)
    };
    const stopAll = async () => {
      for (const stop of stops.reverse()) await stop();
      await org.close();
    };
    try {
      for (const step of START_STEPS) await step.run(ctx);
    } catch (err) {
      await stopAll();
      throw err;
    }
    out.result(report, () => banner(ctx, lines));
    await untilSignal();
    out.info('Stopping…');
    await stopAll();
    out.info('Stopped.');
  });
}

function banner(ctx: StartContext, lines: string[]): string {
  const { instanceUrl: url, accessToken: token, apiVersion: v, connectionFile, data } = ctx.org;
  const file = path.relative(process.cwd(), connectionFile) || connectionFile;
  return [
    'Closed Loop is running on the local org (a Salesforce REST API emulator, not a Salesforce product).',
    '',
    `Local org    ${url}   (API v${v}; data ${data === ':memory:' ? 'in memory' : path.relative(process.cwd(), data)})`,
    `Token        ${token}`,
    ...lines,
    '',
    'Point your tools at it:',
    `  jsforce    new jsforce.Connection({ instanceUrl: '${url}', accessToken: '<token>', version: '${v}' })`,
    `  curl       curl -H "Authorization: Bearer <token>" '${url}/services/data/v${v}/query?q=SELECT+COUNT()+FROM+Lead'`,
    `  CLI        npx closed-loop <command> --local${file === path.join('.localorg', 'connection.json') ? '' : ` --connection-file ${file}`}   (connection file ${file})`,
    '',
    'Press Ctrl-C to stop.'
  ].join('\n');
}

interface SeedMarker {
  seed: number;
  leads: number;
  days: number;
  now: string;
  seededAt: string;
  /** the org right after seeding (markers written before it was recorded have none: reported as replaced) */
  fingerprint?: DemoFingerprint;
}

/** `<database>.seed.json`: written once the demo data is in; absent for an in-memory org (seeded every time). */
function seedMarkerFile(data: string): string | undefined {
  return data === ':memory:' ? undefined : `${data}.seed.json`;
}

function readMarker(file: string): SeedMarker | undefined {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8')) as SeedMarker;
  } catch {
    return undefined;
  }
}
