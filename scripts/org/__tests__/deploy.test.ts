import { componentProblems, DeployFailedError, deployToOrg, formatProblem, SfDeployResult } from '../deploy';
import { hintFor } from '../hints';
import { SfCommandError } from '../sf';
import { fixtureJson, recorded } from './recorded';

const base = { dryRun: false, waitMinutes: 33 };

describe('org deploy → sf project deploy start', () => {
  it('on a scratch org deploys force-app and the demo metadata', async () => {
    const { runner, calls } = recorded([
      ['org display', 'display-scratch'],
      ['project deploy start', 'deploy-ok']
    ]);
    const s = await deployToOrg({ ...base, targetOrg: 'closed-loop' }, runner);
    expect(calls).toEqual([
      ['org', 'display', '--target-org', 'closed-loop', '--json'],
      [
        'project',
        'deploy',
        'start',
        '--source-dir',
        'force-app',
        '--source-dir',
        'config/demo',
        '--target-org',
        'closed-loop',
        '--wait',
        '33',
        '--json'
      ]
    ]);
    expect(s).toMatchObject({
      scratch: true,
      status: 'Succeeded',
      componentsDeployed: 4,
      componentsTotal: 4,
      directories: ['force-app', 'config/demo']
    });
    expect(s.deployId).toBe('0Af5g00000CloS2CAJ');
  });

  it("on any other org deploys the package only, and uses sf's default org without --target-org", async () => {
    const { runner, calls } = recorded([
      ['org display', 'display-production'],
      ['project deploy start', 'deploy-ok']
    ]);
    const s = await deployToOrg(base, runner);
    expect(calls[0]).toEqual(['org', 'display', '--json']);
    expect(calls[1]).toEqual(['project', 'deploy', 'start', '--source-dir', 'force-app', '--wait', '33', '--json']);
    expect(s.scratch).toBe(false);
    expect(s.directories).toEqual(['force-app']);
  });

  it('--demo / --no-demo override the scratch-org rule', async () => {
    let r = recorded([
      ['org display', 'display-production'],
      ['project deploy start', 'deploy-ok']
    ]);
    await deployToOrg({ ...base, demo: true }, r.runner);
    expect(r.calls[1]).toContain('config/demo');
    r = recorded([
      ['org display', 'display-scratch'],
      ['project deploy start', 'deploy-ok']
    ]);
    await deployToOrg({ ...base, demo: false }, r.runner);
    expect(r.calls[1]).not.toContain('config/demo');
  });

  it('--dry-run validates with sf project deploy start --dry-run', async () => {
    const { runner, calls } = recorded([
      ['org display', 'display-production'],
      ['project deploy start', 'deploy-dry-run-ok']
    ]);
    const s = await deployToOrg({ ...base, dryRun: true, targetOrg: 'prod' }, runner);
    expect(calls[1].slice(-2)).toEqual(['--dry-run', '--json']);
    expect(s).toMatchObject({ dryRun: true, status: 'Succeeded' });
  });

  it('component failures: path:line: problem for each, in the source tree', async () => {
    const { runner } = recorded([
      ['org display', 'display-scratch'],
      ['project deploy start', 'deploy-component-failures']
    ]);
    const err = (await deployToOrg({ ...base, targetOrg: 'closed-loop' }, runner).catch((e: unknown) => e)) as DeployFailedError;
    expect(err).toBeInstanceOf(DeployFailedError);
    expect(err.problems.map(formatProblem)).toEqual([
      'force-app/main/default/objects/SLA_Timer__c/fields/Status__c.field-meta.xml:12: Picklist value: Runing in picklist: Status__c not found',
      'force-app/main/default/permissionsets/Closed_Loop_Rep.permissionset-meta.xml: In field: field - no CustomField named SLA_Timer__c.Stauts__c found'
    ]);
    expect(err.message).toBe(
      'deploy failed: 2 component errors, first force-app/main/default/objects/SLA_Timer__c/fields/Status__c.field-meta.xml:12: Picklist value: Runing in picklist: Status__c not found'
    );
  });

  it('falls back to componentFailures when sf could not map a failure to a file', () => {
    const result = fixtureJson<{ result: SfDeployResult }>('deploy-component-failures').result;
    const problems = componentProblems({ ...result, files: [] });
    expect(problems.map(formatProblem)).toEqual([
      'objects/SLA_Timer__c.object:12: Picklist value: Runing in picklist: Status__c not found',
      'permissionsets/Closed_Loop_Rep.permissionset: In field: field - no CustomField named SLA_Timer__c.Stauts__c found'
    ]);
  });

  it.each([
    [
      'display-no-default',
      undefined,
      'No default environment found. Use -o or --target-org to specify an environment.',
      /pass --target-org <alias>/
    ],
    [
      'display-unknown-alias',
      'nope',
      'Parsing --target-org: No authorization information found for nope.',
      /npx sf org login web --alias nope/
    ]
  ])("%s: stops before deploying, with sf's message and a hint", async (fixture, targetOrg, message, hint) => {
    const { runner, calls } = recorded([['org display', fixture]]);
    const e = (await deployToOrg({ ...base, targetOrg }, runner).catch((x: unknown) => x)) as SfCommandError;
    expect(e.message).toBe(message);
    expect(hintFor({ name: e.sfName, message: e.message }, { targetOrg })).toMatch(hint);
    expect(calls).toHaveLength(1);
  });

  it("expired session: sf's message and the re-login hint", async () => {
    const { runner } = recorded([
      ['org display', 'display-expired-session'],
      ['project deploy start', 'deploy-expired-session']
    ]);
    const e = (await deployToOrg({ ...base, targetOrg: 'closed-loop' }, runner).catch((x: unknown) => x)) as SfCommandError;
    expect(e).toBeInstanceOf(SfCommandError);
    expect(e.message).toBe(
      'Unable to refresh session due to: Error authenticating with the refresh token due to: expired access/refresh token'
    );
    expect(hintFor({ name: e.sfName, message: e.message }, { targetOrg: 'closed-loop' })).toBe(
      "the org's login session expired: log in again with npx sf org login web --alias closed-loop"
    );
  });
});
