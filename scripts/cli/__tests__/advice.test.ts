import * as path from 'node:path';
import { PassThrough } from 'node:stream';
import { deployToOrg } from '../../org/deploy';
import { hintFor, type HintContext } from '../../org/hints';
import { openOrg } from '../../org/open';
import { createScratchOrg, SCRATCH_DEF_FILE } from '../../org/scratch';
import { setupOrg } from '../../org/setup';
import { recorded } from '../../org/__tests__/recorded';
import { PROJECT_ROOT } from '../../project';
import { orgFailure } from '../commands/org';
import { CliError } from '../errors';
import { createOutput } from '../output';
import { buildProgram } from '../program';
import { checkText, helpPages, printedSources, stringsOf, type Advice } from './advice';

/**
 * Every command line the CLI prints as advice runs as printed: help examples, hints, "Next: …" lines
 * and the start banner — `npx closed-loop …` parsed by the real commander program, `npx sf …` checked
 * against the sf CLI's own commands and flags (its oclif manifests).
 */
describe('advice the CLI prints', () => {
  it('every help page: each example and each command line in a description', async () => {
    const found: Advice[] = [];
    for (const page of helpPages()) found.push(...(await checkText(page.text, `${page.command} --help`)));
    expect(found.filter((a) => a.problem)).toEqual([]);
    // the check sees what it should: examples of several commands, and an sf login hint
    expect(found.map((a) => a.line)).toEqual(
      expect.arrayContaining([
        'npx closed-loop report --list',
        'npx closed-loop org create --alias demo --duration-days 30 --target-dev-hub MyHub',
        'npx sf org login web --set-default-dev-hub --alias DevHub'
      ])
    );
  });

  it('every string of the CLI and the parts below it that holds a command line', async () => {
    const found: Advice[] = [];
    for (const file of printedSources()) {
      for (const s of stringsOf(file)) found.push(...(await checkText(s.text, `${path.relative(PROJECT_ROOT, file)}:${s.line}`)));
    }
    expect(found.filter((a) => a.problem).map((a) => `${a.where}: ${a.line}: ${a.problem}`)).toEqual([]);
    expect(found.length).toBeGreaterThan(20);
  }, 60_000);
});

describe('the hints and sf messages an org command prints when sf fails', () => {
  const create = (fixture: string) => () =>
    createScratchOrg(
      { alias: 'closed-loop', durationDays: 7, definitionFile: SCRATCH_DEF_FILE, setDefault: true, waitMinutes: 10 },
      recorded([['org create scratch', fixture]]).runner
    );
  const deploy = (fixtures: string[]) => () =>
    deployToOrg(
      { targetOrg: 'prod', dryRun: false, waitMinutes: 33 },
      recorded([
        ['org display', fixtures[0]],
        ['project deploy start', fixtures[1] ?? fixtures[0]]
      ]).runner
    );
  const setup = (fixture: string) => () =>
    setupOrg({ targetOrg: 'prod', users: [], personas: [] }, recorded([['org assign permset', fixture]]).runner);
  const open = (fixture: string) => () =>
    openOrg({ targetOrg: 'prod', path: '/', urlOnly: true }, recorded([['org open', fixture]]).runner);
  const failures: Array<[command: string, fixture: string, run: () => Promise<unknown>]> = [
    ['org create', 'create-no-dev-hub', create('create-no-dev-hub')],
    ['org create', 'create-unknown-dev-hub', create('create-unknown-dev-hub')],
    ['org create', 'create-limit-exceeded', create('create-limit-exceeded')],
    ['org deploy', 'deploy-no-default', deploy(['display-no-default'])],
    ['org deploy', 'deploy-unknown-alias', deploy(['display-unknown-alias'])],
    ['org deploy', 'deploy-expired-session', deploy(['display-scratch', 'deploy-expired-session'])],
    ['org setup', 'assign-permset-no-default', setup('assign-permset-no-default')],
    ['org setup', 'assign-permset-expired-session', setup('assign-permset-expired-session')],
    ['org open', 'open-no-default', open('open-no-default')],
    ['org open', 'open-unknown-alias', open('open-unknown-alias')],
    ['org open', 'open-expired-session', open('open-expired-session')]
  ];

  it.each(failures)('closed-loop %s on %s: every flag it names is one of its own, every command line runs', async (command, _f, run) => {
    const out = createOutput(false, { out: new PassThrough(), err: new PassThrough() });
    const err = await run().then(
      () => undefined,
      (e: unknown) => orgFailure(e, out, { targetOrg: 'prod' })
    );
    expect(err).toBeInstanceOf(CliError);
    const printed = `${(err as CliError).message} (${(err as CliError).hint})`;
    // sf's "Use -v or --target-dev-hub" is read as advice for the closed-loop command that printed it
    let cmd = buildProgram();
    for (const name of command.split(' ')) cmd = cmd.commands.find((c) => c.name() === name)!;
    const flags = [...printed.replace(/(?:npx )?(?:sf|closed-loop) [^,;()]*/g, '').matchAll(/(?:^|[\s(])(--?[a-z][\w-]*)/g)].map(
      (m) => m[1]
    );
    expect(flags.filter((f) => !cmd.options.some((o) => o.long === f || o.short === f))).toEqual([]);
    expect((await checkText(printed, command)).filter((a) => a.problem)).toEqual([]);
  });

  it('hintFor: every hint, for every context, runs as printed', async () => {
    const errors = [
      { name: 'NoDefaultDevHubError', message: 'No default dev hub found.' },
      { name: 'NamedOrgNotFoundError', message: 'Parsing --target-dev-hub: No authorization information found for DevHub.' },
      { name: 'hubOrgIsNotDevHub', message: 'The org is not enabled as a Dev Hub.' },
      { name: 'NoDefaultEnvError', message: 'No default environment found.' },
      { name: 'NamedOrgNotFoundError', message: 'No authorization information found for prod.' },
      { name: 'LIMIT_EXCEEDED', message: 'reached its daily scratch org signup limit' },
      { name: 'LIMIT_EXCEEDED', message: 'reached its active scratch org limit' },
      { name: 'RefreshTokenAuthError', message: 'expired access/refresh token' },
      { name: 'Error', message: 'The org does not appear to exist' },
      { name: 'Error', message: 'Permission set "Closed_Loop_Rep" not found in target org.' },
      { name: 'ScratchOrgInfoTimeoutError', message: 'did not complete within your wait time' },
      { name: 'TypeError', message: 'fetch failed' }
    ];
    const contexts: HintContext[] = [{}, { targetOrg: 'prod', devHub: 'MyHub' }, { local: true }];
    const found: Advice[] = [];
    for (const e of errors) {
      for (const ctx of contexts) {
        const hint = hintFor(e, ctx);
        expect(hint).toBeDefined();
        found.push(...(await checkText(hint!, `${e.name}: ${e.message}`)));
      }
    }
    expect(found.filter((a) => a.problem)).toEqual([]);
    expect([...new Set(found.map((a) => a.line))].sort()).toEqual(
      [
        'npx closed-loop localorg start',
        'npx closed-loop org create',
        'npx closed-loop org deploy',
        'npx closed-loop org deploy --target-org <alias>',
        'npx closed-loop org deploy --target-org prod',
        'npx sf org delete scratch --target-org <alias>',
        'npx sf org list',
        'npx sf org login web --alias <alias>',
        'npx sf org login web --alias <alias> --set-default',
        'npx sf org login web --alias prod',
        'npx sf org login web --set-default-dev-hub --alias DevHub',
        'npx sf org login web --set-default-dev-hub --alias MyHub',
        'npx sf org logout --target-org <alias>',
        'npx sf org logout --target-org prod',
        'npx sf org resume scratch --use-most-recent'
      ].sort()
    );
  });
});

describe('the check itself', () => {
  it.each([
    ['then run sf org login web --alias prod', 'bare sf'],
    ['then run closed-loop org setup', 'bare closed-loop'],
    ['run npx closed-loop org create --target-devhub MyHub', 'unknown flag --target-devhub'],
    ['run npx sf org create scratch --dev-hub MyHub', 'sf org create scratch has no flag --dev-hub'],
    ['run npx closed-loop org create --duration-days 31', "argument '31' is invalid"],
    ['run npx closed-loop report --period', '--period needs a value'],
    ['run npx sf org frobnicate now', 'sf has no command']
  ])('%s → %s', async (text, problem) => {
    const found = await checkText(text, 'test');
    expect(found).toHaveLength(1);
    expect(found[0].problem).toContain(problem);
  });

  it('prose after a command is prose: "npx closed-loop org setup again" is the command "org setup"', async () => {
    expect(await checkText('fix it, then run npx closed-loop org setup again', 'test')).toEqual([
      { where: 'test', line: 'npx closed-loop org setup', problem: undefined }
    ]);
  });
});
