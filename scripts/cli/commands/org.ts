import * as path from 'node:path';
import { Command, InvalidArgumentError, Option } from 'commander';
import { CliError } from '../errors';
import { addExamples, addJsonFlag, InvalidFlagError, intFlag } from '../flags';
import { lazy } from '../lazy';
import { createOutput, Output } from '../output';
// The sf wrappers below are light (they spawn sf; connection.ts loads jsforce only inside connect())
// and hold the flag defaults, PERSONAS and the errors orgFailure() recognises, so they load at start-up.
import { connect, OrgConnectionError } from '../../org/connection';
import {
  DEFAULT_DEPLOY_WAIT_MINUTES,
  DeployFailedError,
  deployDirectories,
  deployToOrg,
  DeploySummary,
  formatProblem
} from '../../org/deploy';
import { DEV_HUB_LOGIN, hintFor, HintContext } from '../../org/hints';
import type { LocalDeploySummary } from '../../org/localDeploy';
import { APP_PATH, openOrg } from '../../org/open';
import {
  createScratchOrg,
  DEFAULT_CREATE_WAIT_MINUTES,
  DEFAULT_DURATION_DAYS,
  DEFAULT_SCRATCH_ALIAS,
  SCRATCH_DEF_FILE,
  ScratchOrg
} from '../../org/scratch';
import { Persona, PERSONAS, SetupReport, setupOrg } from '../../org/setup';
import { SfCommandError } from '../../org/sf';
import { DEFAULT_CONNECTION_FILE, PROJECT_ROOT } from '../../project';
import type { SeedSummary } from '../../seed';

// loaded when their command runs: the demo data generator (faker), and the local deploy (source-deploy-retrieve)
const seed = lazy(() => require('../../seed') as typeof import('../../seed'));
const localDeploy = lazy(() => require('../../org/localDeploy') as typeof import('../../org/localDeploy'));

/**
 * `closed-loop org create|deploy|setup|seed|open`: the admin path from a clone to a working scratch
 * org, through the project's own sf CLI (`npx sf`). Flags are named as sf names them (--target-org,
 * --target-dev-hub, --duration-days, --wait…), help reads as every other command's, and every sf
 * failure comes back as sf's message plus a hint that can be run as printed.
 */

const TARGET_ORG_DESC = "Username or alias of the org (sf CLI stored auth). Default: sf's target-org (npx sf config get target-org).";

/** A flag value parser whose errors commander reports as flag errors (one line, exit code 2). */
function parsed<T>(parse: (value: string) => T): (value: string) => T {
  return (value) => {
    try {
      return parse(value);
    } catch (err) {
      if (err instanceof InvalidFlagError) throw new InvalidArgumentError(err.message);
      throw err;
    }
  };
}

/** A subcommand of `org`, with its help laid out as every other command's (Usage, Options, Examples). */
function subcommand(group: Command, name: string, summary: string, description: string, examples: string[]): Command {
  const cmd = group.command(name).summary(summary).description(`${summary}\n\n${description}`);
  addExamples(cmd, examples);
  return cmd;
}

function targetOrgFlag(cmd: Command): Command {
  return cmd.addOption(new Option('-o, --target-org <alias>', TARGET_ORG_DESC));
}

// ---------------------------------------------------------------- progress

/**
 * Runs one step with a spinner and its elapsed time on stderr when that is a terminal; silent
 * otherwise (pipes, CI logs, --json), so a failure there is exactly one line.
 */
async function step<T>(out: Output, label: string, run: () => Promise<T>): Promise<T> {
  if (out.json || !process.stderr.isTTY) return run();
  const frames = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];
  const started = Date.now();
  let i = 0;
  const draw = () => {
    const secs = Math.round((Date.now() - started) / 1000);
    process.stderr.write(`\r${frames[i++ % frames.length]} ${label}… ${secs}s\x1b[K`);
  };
  draw();
  const timer = setInterval(draw, 100);
  try {
    const value = await run();
    process.stderr.write(`\r✓ ${label}\x1b[K\n`);
    return value;
  } catch (err) {
    process.stderr.write(`\r✗ ${label}\x1b[K\n`);
    throw err;
  } finally {
    clearInterval(timer);
  }
}

// ---------------------------------------------------------------- errors

/** The same error as sf's message + our hint, keeping sf's error name for --json readers. */
function withName(err: CliError, name: string): CliError {
  Object.defineProperty(err, 'name', { value: name });
  return err;
}

/**
 * What the CLI reports for a failed org command: sf's one-line message with our hint and sf's exit
 * code; for a deploy, the failing components as `path:line: problem` lines first (human output only).
 */
export function orgFailure(err: unknown, out: Output, ctx: HintContext): unknown {
  if (err instanceof SfCommandError) {
    return withName(
      new CliError(err.message, err.exitCode, hintFor({ name: err.sfName, message: err.message }, ctx)),
      err.sfName ?? err.name
    );
  }
  if (err instanceof DeployFailedError) {
    if (err.problems.length > 1) {
      for (const p of err.problems.slice(0, 10)) out.info(formatProblem(p));
      if (err.problems.length > 10) out.info(`… and ${err.problems.length - 10} more`);
    }
    return withName(
      new CliError(err.message, 1, 'fix the metadata above, then check with npx closed-loop org deploy --dry-run', {
        problems: err.problems
      }),
      err.name
    );
  }
  if (err instanceof InvalidFlagError || err instanceof OrgConnectionError || err instanceof CliError) return err;
  if (err instanceof Error) {
    const hint = hintFor({ name: err.name, message: err.message }, ctx);
    if (hint) return withName(new CliError(err.message, 1, hint), err.name);
  }
  return err;
}

function display(p: string): string {
  const rel = path.relative(PROJECT_ROOT, p);
  return rel.startsWith('..') ? p : rel;
}

function personaList(value: string): Persona[] {
  const names = value
    .split(',')
    .map((s) => s.trim().toLowerCase())
    .filter(Boolean);
  for (const n of names) {
    if (!(PERSONAS as readonly string[]).includes(n)) {
      throw new InvalidFlagError(`--persona must be one of ${PERSONAS.join(', ')} (comma-separated), got "${n}"`);
    }
  }
  return names as Persona[];
}

function userList(value: string): string[] {
  return value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}

// ---------------------------------------------------------------- commands

interface CreateFlags {
  alias: string;
  durationDays: number;
  targetDevHub?: string;
  /** the flag's earlier name, still accepted */
  devHub?: string;
  definitionFile: string;
  wait: number;
  setDefault: boolean;
  json?: boolean;
}

function registerCreate(org: Command): void {
  const cmd = subcommand(
    org,
    'create',
    'Create a scratch org for Closed Loop from config/project-scratch-def.json.',
    "Runs npx sf org create scratch with the project's definition (Developer edition, Lightning on) against your Dev Hub. " +
      "The new org gets the alias and becomes this project's default org, so the other org commands find it without --target-org. " +
      'It needs a Dev Hub you are logged in to with sf (the first example).',
    [
      `${DEV_HUB_LOGIN}   # once: log in to your Dev Hub`,
      'npx closed-loop org create',
      'npx closed-loop org create --alias demo --duration-days 30 --target-dev-hub MyHub',
      'npx closed-loop org create --json'
    ]
  );
  cmd
    .addOption(new Option('-a, --alias <alias>', 'Alias for the new scratch org.').default(DEFAULT_SCRATCH_ALIAS))
    .addOption(
      new Option('-y, --duration-days <days>', 'Number of days before the scratch org expires (1-30).')
        .default(DEFAULT_DURATION_DAYS)
        .argParser(parsed(intFlag('--duration-days', { min: 1, max: 30 })))
    )
    .addOption(
      new Option(
        '-v, --target-dev-hub <alias>',
        "Username or alias of the Dev Hub org. Default: sf's target-dev-hub (npx sf config get target-dev-hub)."
      )
    )
    // its name before it took sf's: scripts written for it keep working
    .addOption(new Option('--dev-hub <alias>').hideHelp().conflicts('targetDevHub'))
    .addOption(
      new Option('-f, --definition-file <path>', 'Scratch org definition file.')
        .default(SCRATCH_DEF_FILE, 'config/project-scratch-def.json')
        .argParser(parsed((v: string) => path.resolve(v)))
    )
    .addOption(
      new Option('-w, --wait <minutes>', 'Minutes to wait for the Dev Hub to create the org.')
        .default(DEFAULT_CREATE_WAIT_MINUTES)
        .argParser(parsed(intFlag('--wait', { min: 2, max: 120 })))
    )
    .addOption(new Option('--no-set-default', "Don't make the new org this project's default target org."));
  addJsonFlag(cmd);
  cmd.action(async (opts: CreateFlags) => {
    const out = createOutput(Boolean(opts.json));
    const devHub = opts.targetDevHub ?? opts.devHub;
    const ctx = { devHub, targetOrg: opts.alias };
    let created: ScratchOrg;
    try {
      created = await step(out, `Creating scratch org ${opts.alias} from ${display(opts.definitionFile)} (usually 1-5 minutes)`, () =>
        createScratchOrg({
          alias: opts.alias,
          durationDays: opts.durationDays,
          devHub,
          definitionFile: opts.definitionFile,
          setDefault: opts.setDefault,
          waitMinutes: opts.wait
        })
      );
    } catch (err) {
      throw orgFailure(err, out, ctx);
    }
    out.result(created, (c) =>
      [
        `Created scratch org ${c.alias}: ${c.username}${c.expirationDate ? `, expires ${c.expirationDate}` : ''}.`,
        c.isDefault ? 'It is now the default org of this project (npx sf config get target-org).' : '',
        `Next: npx closed-loop org deploy${c.isDefault ? '' : ` --target-org ${c.alias}`}`
      ]
        .filter(Boolean)
        .join('\n')
    );
  });
}

interface DeployFlags {
  targetOrg?: string;
  local?: boolean;
  connectionFile: string;
  dryRun?: boolean;
  demo?: boolean;
  wait: number;
  json?: boolean;
}

function registerDeploy(org: Command): void {
  const cmd = subcommand(
    org,
    'deploy',
    'Deploy the Closed Loop package (force-app) to an org, plus the demo metadata on scratch orgs.',
    'Runs npx sf project deploy start --source-dir force-app. On a scratch org (and on the local org) it also deploys config/demo, ' +
      'the demo Lead statuses that are never part of the package. With --local it deploys the same package into the embedded local org ' +
      'through the Metadata REST API, as a real org would be deployed to.',
    [
      'npx closed-loop org deploy',
      'npx closed-loop org deploy --target-org prod --dry-run',
      'npx closed-loop org deploy --local',
      'npx closed-loop org deploy --target-org demo-dev-org --demo'
    ]
  );
  targetOrgFlag(cmd)
    .addOption(
      new Option('--local', 'Deploy into the local org (through its connection file) instead of a Salesforce org.').conflicts('targetOrg')
    )
    .addOption(
      new Option('--connection-file <path>', 'Local org connection file (with --local).').default(
        DEFAULT_CONNECTION_FILE,
        '.localorg/connection.json'
      )
    )
    .addOption(new Option('--dry-run', 'Validate the deploy (npx sf project deploy start --dry-run) without saving anything in the org.'))
    .addOption(new Option('--demo', 'Also deploy the demo-only metadata in config/demo. Default: only on scratch orgs and the local org.'))
    .addOption(new Option('--no-demo', 'Deploy only the package, even to a scratch org.'))
    .addOption(
      new Option('-w, --wait <minutes>', 'Minutes to wait for the deploy to finish.')
        .default(DEFAULT_DEPLOY_WAIT_MINUTES)
        .argParser(parsed(intFlag('--wait', { min: 1, max: 600 })))
    );
  addJsonFlag(cmd);
  cmd.action(async (opts: DeployFlags) => {
    const out = createOutput(Boolean(opts.json));
    const ctx = { targetOrg: opts.targetOrg, local: opts.local };
    if (opts.local) {
      let summary: LocalDeploySummary;
      try {
        const conn = await connect({ local: true, connectionFile: opts.connectionFile });
        const directories = deployDirectories(opts.demo ?? true);
        const bar = out.progress(1, opts.dryRun ? 'Validating' : 'Deploying');
        let shown = 0;
        try {
          summary = await localDeploy().deployToLocalOrg(conn, {
            directories,
            dryRun: Boolean(opts.dryRun),
            timeoutMs: opts.wait * 60_000,
            onProgress: (done, total) => {
              bar.setTotal(Math.max(total, 1));
              if (done > shown) bar.increment(done - shown);
              shown = Math.max(shown, done);
            }
          });
        } finally {
          bar.stop();
        }
      } catch (err) {
        throw orgFailure(err, out, ctx);
      }
      out.result(
        summary,
        (s) =>
          `${s.dryRun ? 'Validated' : 'Deployed'} ${s.componentsDeployed}/${s.componentsTotal} components of ${s.directories.join(' + ')} ${s.dryRun ? 'against' : 'to'} the local org.`
      );
      return;
    }
    let summary: DeploySummary;
    try {
      const where = opts.targetOrg ?? 'the default org';
      summary = await step(out, `${opts.dryRun ? 'Validating the deploy to' : 'Deploying to'} ${where}`, () =>
        deployToOrg({ targetOrg: opts.targetOrg, dryRun: Boolean(opts.dryRun), demo: opts.demo, waitMinutes: opts.wait })
      );
    } catch (err) {
      throw orgFailure(err, out, ctx);
    }
    out.result(summary, (s) =>
      [
        `${s.dryRun ? 'Validated (dry run, nothing saved)' : 'Deployed'}: ${s.componentsDeployed}/${s.componentsTotal} components of ${s.directories.join(' + ')} to ${s.targetOrg ?? s.username}${s.scratch ? ' (scratch org)' : ''}${s.deployId ? `, deploy ${s.deployId}` : ''}.`,
        s.dryRun ? '' : `Next: npx closed-loop org setup${s.targetOrg ? ` --target-org ${s.targetOrg}` : ''}`
      ]
        .filter(Boolean)
        .join('\n')
    );
  });
}

interface SetupFlags {
  targetOrg?: string;
  users?: string[];
  persona?: Persona[];
  syncUser?: string;
  json?: boolean;
}

function registerSetup(org: Command): void {
  const cmd = subcommand(
    org,
    'setup',
    'Assign the Closed Loop permission sets and check what the SLA clocks need.',
    "Assigns Closed_Loop_Rep, Closed_Loop_Marketing and Closed_Loop_Manager (or one persona's set) with npx sf org assign permset, and " +
      'Closed_Loop_Sync to the user the SLA sync runs as (--sync-user; without --users, you), then checks ' +
      'field history tracking on Lead Status, Lead Owner and Opportunity Stage (switching it on where it is off, by deploying those ' +
      'settings from config/demo), and that the org has default business hours. ' +
      'Prints what is missing and how to fix it in Setup, and exits non-zero until nothing is. Running it again is harmless.',
    [
      'npx closed-loop org setup',
      'npx closed-loop org setup --target-org prod --users ana@acme.com,raj@acme.com --persona rep',
      'npx closed-loop org setup --target-org prod --users mops@acme.com --persona marketing',
      'npx closed-loop org setup --target-org prod --users ana@acme.com --persona rep --sync-user closed-loop-sync@acme.com'
    ]
  );
  targetOrgFlag(cmd)
    .addOption(
      new Option(
        '-u, --users <usernames>',
        "Comma-separated usernames or aliases to assign the permission sets to. Default: the org's user sf is logged in as."
      ).argParser(parsed(userList))
    )
    .addOption(
      new Option(
        '-p, --persona <personas>',
        'Comma-separated personas whose permission set to assign: rep, marketing, manager. Default: all three.'
      ).argParser(parsed(personaList))
    )
    .addOption(
      new Option(
        '--sync-user <username>',
        "Username or alias of the integration user the SLA sync runs as, to assign Closed_Loop_Sync to. Default: the org's user sf is logged in as, when --users is not given."
      )
    );
  addJsonFlag(cmd);
  cmd.action(async (opts: SetupFlags) => {
    const out = createOutput(Boolean(opts.json));
    let report: SetupReport;
    try {
      report = await step(out, 'Assigning permission sets and checking the org', () =>
        setupOrg({ targetOrg: opts.targetOrg, users: opts.users ?? [], personas: opts.persona ?? [], syncUser: opts.syncUser })
      );
    } catch (err) {
      throw orgFailure(err, out, { targetOrg: opts.targetOrg });
    }
    if (report.missing.length > 0) {
      if (!out.json) {
        out.info(formatSetup(report));
      }
      throw withName(
        new CliError(
          `org is not ready: ${report.missing.join('; ')}`,
          1,
          'fix the items above in Setup, then run again: npx closed-loop org setup' +
            (opts.targetOrg ? ` --target-org ${opts.targetOrg}` : '')
        ),
        'OrgNotReadyError'
      );
    }
    out.result(report, formatSetup);
  });
}

function formatSetup(r: SetupReport): string {
  const lines: string[] = [];
  for (const a of r.assigned) lines.push(`✓ ${a.permissionSet} assigned to ${a.user}`);
  if (r.alreadyAssigned.length) lines.push(`✓ ${r.alreadyAssigned.length} assignment(s) already in place`);
  for (const f of r.failed) lines.push(`✗ assignment for ${f.user}: ${f.message}`);
  for (const c of r.checks) lines.push(`${c.ok ? '✓' : '✗'} ${c.name}: ${c.detail}`);
  if (r.missing.length === 0) lines.push(`Ready. Next: npx closed-loop org seed${r.targetOrg ? ` --target-org ${r.targetOrg}` : ''}`);
  return lines.join('\n');
}

interface SeedFlags {
  targetOrg?: string;
  leads?: number;
  seed: number;
  createUsers?: boolean;
  json?: boolean;
}

function registerSeed(org: Command): void {
  const cmd = subcommand(
    org,
    'seed',
    'Load the Closed Loop demo data into an org.',
    'Generates the same demo data as npx closed-loop seed --local (campaigns, leads with their status and owner history, converted leads ' +
      'with opportunities, feedback and win/loss reviews) and loads it through the REST API with jsforce. A real org records its own ' +
      "history, so the history is replayed as updates and timestamps are the load's own. Meant for scratch and demo orgs, not " +
      'production; it writes nothing when the org already has the demo leads.',
    [
      'npx closed-loop org seed',
      'npx closed-loop org seed --target-org demo --leads 300 --seed 7',
      'npx closed-loop org seed --create-users'
    ]
  );
  targetOrgFlag(cmd)
    .addOption(
      new Option('-n, --leads <n>', "Number of leads to generate. Default: the generator's (2000).").argParser(
        parsed(intFlag('--leads', { min: 0, max: 100_000 }))
      )
    )
    .addOption(
      new Option('-s, --seed <n>', 'Random seed; the same seed gives the same data.').default(42).argParser(parsed(intFlag('--seed')))
    )
    .addOption(
      new Option(
        '--create-users',
        "Create the demo reps, managers and marketing user (needs free Salesforce licences; a Developer scratch org has two). Default: the org's active users play them."
      )
    );
  addJsonFlag(cmd);
  cmd.action(async (opts: SeedFlags) => {
    const out = createOutput(Boolean(opts.json));
    let summary: SeedSummary;
    try {
      const conn = await step(out, `Connecting to ${opts.targetOrg ?? 'the default org'}`, () =>
        connect({ local: false, targetOrg: opts.targetOrg })
      );
      const usernameSuffix = opts.createUsers ? `.${(await conn.identity()).organization_id.slice(-8).toLowerCase()}` : undefined;
      const bar = out.progress(1, 'Loading demo data');
      let shown = 0;
      try {
        summary = await seed().seedOrg(conn, {
          leads: opts.leads,
          seed: opts.seed,
          users: opts.createUsers ? 'create' : 'existing',
          usernameSuffix,
          onProgress: (p) => {
            bar.setTotal(Math.max(p.total, 1));
            if (p.done > shown) bar.increment(p.done - shown);
            shown = Math.max(shown, p.done);
          }
        });
      } finally {
        bar.stop();
      }
    } catch (err) {
      throw orgFailure(err, out, { targetOrg: opts.targetOrg });
    }
    out.result(summary, (s) => {
      const created = Object.values(s.created).reduce((a, b) => a + b, 0);
      return [
        s.skipped
          ? `Nothing loaded: ${s.skipped}.`
          : `Loaded ${created} demo records (${s.leads} leads, seed ${s.seed}) in ${(s.elapsedMs / 1000).toFixed(0)} s, ${s.requests} API requests.`,
        `Next: npx closed-loop org open${opts.targetOrg ? ` --target-org ${opts.targetOrg}` : ''}`
      ].join('\n');
    });
  });
}

interface OpenFlags {
  targetOrg?: string;
  path: string;
  urlOnly?: boolean;
  json?: boolean;
}

function registerOpen(org: Command): void {
  const cmd = subcommand(
    org,
    'open',
    'Open the Closed Loop app in an org, in your browser.',
    'Logs you in with npx sf org open (a one-time front-door URL) and lands on the Closed Loop app, or on --path. ' +
      'With --url-only it prints the URL instead: anyone with it is logged in as you until it expires, so keep it to yourself.',
    [
      'npx closed-loop org open',
      'npx closed-loop org open --target-org prod --path /lightning/setup/DeployStatus/home',
      'npx closed-loop org open --url-only'
    ]
  );
  targetOrgFlag(cmd)
    .addOption(new Option('-p, --path <path>', 'Path in the org to open.').default(APP_PATH))
    .addOption(new Option('-r, --url-only', 'Print the login URL instead of opening a browser.'));
  addJsonFlag(cmd);
  cmd.action(async (opts: OpenFlags) => {
    const out = createOutput(Boolean(opts.json));
    try {
      const opened = await openOrg({ targetOrg: opts.targetOrg, path: opts.path, urlOnly: Boolean(opts.urlOnly) });
      out.result(opened, (o) => (opts.urlOnly ? o.url : `Opened ${opts.path} in ${o.username} (org ${o.orgId}).`));
    } catch (err) {
      throw orgFailure(err, out, { targetOrg: opts.targetOrg });
    }
  });
}

export function register(program: Command): void {
  const org = program
    .command('org')
    .summary('Create, deploy, set up, seed and open a Salesforce org for Closed Loop (wraps the sf CLI).')
    .description(
      'Create, deploy, set up, seed and open a Salesforce org for Closed Loop.\n\n' +
        "Each command runs the project's own sf CLI (npx sf) with --json and reports sf's message plus a hint when it fails. " +
        "Without --target-org they use sf's default org, as sf does. npm run org:up runs create, deploy, setup, seed and open in a row."
    );
  addExamples(org, [
    'npm run org:up',
    'npx closed-loop org create --alias closed-loop && npx closed-loop org deploy && npx closed-loop org setup',
    'npx closed-loop org deploy --target-org prod --dry-run'
  ]);
  registerCreate(org);
  registerDeploy(org);
  registerSetup(org);
  registerSeed(org);
  registerOpen(org);
}
