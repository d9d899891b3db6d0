import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { PROJECT_ROOT } from '../../project';
import { runCli } from '../../testing/cli';

/**
 * `closed-loop org …` as an admin runs it: the help, flag errors, and the failures that need no org,
 * with the real sf CLI underneath and a fresh home directory (no sf login at all).
 */

let home: string;
const env = () => ({
  HOME: home,
  USERPROFILE: home,
  XDG_CONFIG_HOME: path.join(home, '.config'),
  XDG_DATA_HOME: path.join(home, '.local', 'share'),
  XDG_CACHE_HOME: path.join(home, '.cache'),
  SF_TARGET_ORG: undefined,
  SF_TARGET_DEV_HUB: undefined,
  SFDX_DEFAULTUSERNAME: undefined,
  SFDX_DEFAULTDEVHUBUSERNAME: undefined
});

function filesUnder(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => path.join(e.parentPath, e.name));
}

beforeEach(() => {
  home = fs.mkdtempSync(path.join(os.tmpdir(), 'closed-loop-home-'));
});
afterEach(() => fs.rmSync(home, { recursive: true, force: true }));

describe('closed-loop org --help (as every other command)', () => {
  it('lists the five subcommands, then examples', async () => {
    const r = await runCli(['org', '--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Usage: closed-loop org \[options\] \[command\]\n/);
    for (const c of ['create', 'deploy', 'setup', 'seed', 'open']) expect(r.stdout).toMatch(new RegExp(`^  ${c} \\[options\\] +\\S`, 'm'));
    expect(r.stdout).toMatch(/^Examples:\n {2}\$ npm run org:up$/m);
  });

  it('each subcommand --help: Usage, Options with their defaults, Examples — laid out as report --help is', async () => {
    const expected: Array<[string, string[]]> = [
      [
        'create',
        [
          '-a, --alias <alias> +Alias for the new scratch org\\. \\(default: "closed-loop"\\)',
          '-y, --duration-days <days> +.*\\(default: 7\\)',
          '-v, --target-dev-hub <alias>',
          '-f, --definition-file <path> +.*\\(default: config/project-scratch-def\\.json\\)',
          '-w, --wait <minutes> +.*\\(default: 10\\)',
          '--no-set-default'
        ]
      ],
      ['deploy', ['-o, --target-org <alias>', '--local', '--dry-run', '--demo', '--no-demo', '-w, --wait <minutes> +.*\\(default: 33\\)']],
      ['setup', ['-o, --target-org <alias>', '-u, --users <usernames>', '-p, --persona <personas>']],
      ['seed', ['-o, --target-org <alias>', '-n, --leads <n>', '-s, --seed <n> +.*\\(default: 42\\)', '--create-users']],
      ['open', ['-o, --target-org <alias>', '-p, --path <path> +.*\\(default: "/lightning/app/c__Closed_Loop"\\)', '-r, --url-only']]
    ];
    const [report, ...results] = await Promise.all([
      runCli(['report', '--help']),
      ...expected.map(([sub]) => runCli(['org', sub, '--help']))
    ]);
    const headings = (text: string) =>
      text
        .split('\n')
        .filter((l) => /^[A-Z][a-z]+:/.test(l))
        .map((l) => l.replace(/:.*/, ':'));
    results.forEach((r, i) => {
      const [sub, flags] = expected[i];
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(new RegExp(`^Usage: closed-loop org ${sub} \\[options\\]\\n`));
      expect(headings(r.stdout)).toEqual(['Usage:', 'Options:', 'Examples:']);
      expect(r.stdout).toMatch(/^ {2}--json +Format output as JSON\.$/m);
      expect(r.stdout).toMatch(/^ {2}-h, --help +Show help for a command\.$/m);
      expect(r.stdout).toMatch(new RegExp(`^Examples:\\n(?: {2}\\$ .*\\n)*? {2}\\$ npx closed-loop org ${sub}`, 'm'));
      // commander wraps a description at 80 columns: its continuation lines are indented past the flags
      const unwrapped = r.stdout.replace(/\n {20,}/g, ' ');
      for (const f of flags) expect(unwrapped).toMatch(new RegExp(`^ +${f}`, 'm'));
    });
    expect(headings(report.stdout)).toEqual(['Usage:', 'Arguments:', 'Options:', 'Examples:']);
  });
});

describe('closed-loop org create with no Dev Hub (real sf, fresh home)', () => {
  it('exits non-zero with the one-line cause and the hint, and leaves nothing behind', async () => {
    const projectSfBefore = fs.existsSync(path.join(PROJECT_ROOT, '.sf'));
    const r = await runCli(['org', 'create'], { env: env() });
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(
      'closed-loop: No default dev hub found. Use -v or --target-dev-hub to specify an environment. ' +
        '(no Dev Hub authorized: run npx sf org login web --set-default-dev-hub --alias DevHub, or pass --target-dev-hub <alias>)\n'
    );
    // no auth file, alias, config or log: sf wrote nothing in the home directory, nor a project config
    expect(filesUnder(home)).toEqual([]);
    if (!projectSfBefore) expect(fs.existsSync(path.join(PROJECT_ROOT, '.sf'))).toBe(false);
  });

  it("with --json prints sf's error name and the same message as one JSON line", async () => {
    const r = await runCli(['org', 'create', '--alias', 'demo', '--json'], { env: env() });
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('');
    expect(JSON.parse(r.stdout)).toEqual({
      status: 1,
      name: 'NoDefaultDevHubError',
      message:
        'No default dev hub found. Use -v or --target-dev-hub to specify an environment. (no Dev Hub authorized: run npx sf org login web --set-default-dev-hub --alias DevHub, or pass --target-dev-hub <alias>)',
      exitCode: 1,
      warnings: []
    });
    expect(filesUnder(home)).toEqual([]);
  });
});

describe('closed-loop org commands against an alias sf does not know (real sf)', () => {
  it("deploy, setup, open and seed: sf's cause and the login hint, exit 2", async () => {
    const runs = [
      ['org', 'deploy', '--target-org', 'nope'],
      ['org', 'setup', '--target-org', 'nope'],
      ['org', 'open', '--target-org', 'nope', '--url-only'],
      ['org', 'seed', '--target-org', 'nope']
    ];
    const results = await Promise.all(runs.map((args) => runCli(args, { env: env() })));
    for (const r of results) {
      expect(r.code).toBe(2);
      expect(r.stderr).toBe(
        'closed-loop: Parsing --target-org: No authorization information found for nope. ' +
          '(run npx sf org login web --alias nope, or pass --target-org with an alias from npx sf org list)\n'
      );
    }
  }, 120_000); // four sf CLI processes at once
});

describe('closed-loop org flag errors (no sf run)', () => {
  it('exit 2 with one line naming the flag', async () => {
    const cases: Array<[string[], RegExp]> = [
      [
        ['org', 'create', '--duration-days', '31'],
        /^closed-loop: option '-y, --duration-days <days>' argument '31' is invalid\. --duration-days must be at most 30, got 31$/
      ],
      [['org', 'setup', '--persona', 'boss'], /--persona must be one of rep, marketing, manager/],
      [['org', 'deploy', '--local', '--target-org', 'x'], /--local.*cannot be used with option '-o, --target-org/],
      [['org', 'seed', '--leads', 'many'], /--leads must be a whole number, got "many"/]
    ];
    const results = await Promise.all(cases.map(([args]) => runCli(args, { env: env() })));
    results.forEach((r, i) => {
      expect(r.code).toBe(2);
      expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
      expect(r.stderr.trimEnd()).toMatch(cases[i][1]);
    });
  });

  it('org deploy --local without a running local org says how to start it', async () => {
    const r = await runCli(['org', 'deploy', '--local', '--connection-file', path.join(home, 'none.json')], { env: env() });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^closed-loop: no local org connection file at .*none\.json: start the local org first/);
  });
});
