import { Writable } from 'node:stream';
import { orgFailure } from '../commands/org';
import { CliError } from '../errors';
import { createOutput } from '../output';
import { DeployFailedError, deployToOrg } from '../../org/deploy';
import { createScratchOrg, SCRATCH_DEF_FILE } from '../../org/scratch';
import { setupOrg } from '../../org/setup';
import { recorded, Routes } from '../../org/__tests__/recorded';

/** What `closed-loop org …` prints for sf's recorded failures (the CLI's one line is `message (hint)`). */
function capture() {
  let text = '';
  const stream = new Writable({
    write(chunk: Buffer, _enc, cb) {
      text += chunk.toString();
      cb();
    }
  });
  return {
    out: createOutput(false, { out: stream as unknown as typeof process.stdout, err: stream as unknown as typeof process.stderr }),
    text: () => text
  };
}

async function cliFailure(run: () => Promise<unknown>, ctx = {}) {
  const c = capture();
  const err = await run().then(
    () => undefined,
    (e: unknown) => orgFailure(e, c.out, ctx)
  );
  expect(err).toBeInstanceOf(CliError);
  const e = err as CliError;
  return { line: `${e.message} (${e.hint})`, name: e.name, exitCode: e.exitCode, printed: c.text(), data: e.data };
}

const create = (fixture: string, devHub?: string) => () =>
  createScratchOrg(
    { alias: 'closed-loop', durationDays: 7, definitionFile: SCRATCH_DEF_FILE, setDefault: true, waitMinutes: 10, devHub },
    recorded([['org create scratch', fixture]]).runner
  );

describe('org command failures as the CLI reports them (recorded sf outputs)', () => {
  it('no Dev Hub', async () => {
    const f = await cliFailure(create('create-no-dev-hub'));
    expect(f).toEqual({
      line: 'No default dev hub found. Use -v or --target-dev-hub to specify an environment. (no Dev Hub authorized: run npx sf org login web --set-default-dev-hub --alias DevHub, or pass --target-dev-hub <alias>)',
      name: 'NoDefaultDevHubError',
      exitCode: 1,
      printed: '',
      data: undefined
    });
  });

  it("unknown Dev Hub alias keeps sf's exit code 2", async () => {
    const f = await cliFailure(create('create-unknown-dev-hub', 'DevHub'), { devHub: 'DevHub' });
    expect(f.line).toBe(
      'Parsing --target-dev-hub: No authorization information found for DevHub. (no Dev Hub authorized as DevHub: run npx sf org login web --set-default-dev-hub --alias DevHub)'
    );
    expect(f.exitCode).toBe(2);
  });

  it('scratch org limit reached', async () => {
    const f = await cliFailure(create('create-limit-exceeded'));
    expect(f.name).toBe('LIMIT_EXCEEDED');
    expect(f.line).toMatch(
      /^The signup request failed because this organization has reached its active scratch org limit \(the Dev Hub reached/
    );
  });

  it('deploy component failures: the problems as path:line: cause lines, then one summary line', async () => {
    const routes: Routes = [
      ['org display', 'display-scratch'],
      ['project deploy start', 'deploy-component-failures']
    ];
    const f = await cliFailure(() => deployToOrg({ dryRun: false, waitMinutes: 33 }, recorded(routes).runner));
    expect(f.printed.trimEnd().split('\n')).toEqual([
      'force-app/main/default/objects/SLA_Timer__c/fields/Status__c.field-meta.xml:12: Picklist value: Runing in picklist: Status__c not found',
      'force-app/main/default/permissionsets/Closed_Loop_Rep.permissionset-meta.xml: In field: field - no CustomField named SLA_Timer__c.Stauts__c found'
    ]);
    expect(f.name).toBe(new DeployFailedError('', []).name);
    // with --json the problems come as the error's result
    expect((f.data as { problems: Array<{ path: string; line?: number }> }).problems.map((p) => [p.path, p.line])).toEqual([
      ['force-app/main/default/objects/SLA_Timer__c/fields/Status__c.field-meta.xml', 12],
      ['force-app/main/default/permissionsets/Closed_Loop_Rep.permissionset-meta.xml', undefined]
    ]);
    expect(f.line).toMatch(
      /^deploy failed: 2 component errors, first force-app\/.*Status__c\.field-meta\.xml:12: .* \(fix the metadata above/
    );
  });

  it('expired session on deploy', async () => {
    const routes: Routes = [
      ['org display', 'display-expired-session'],
      ['project deploy start', 'deploy-expired-session']
    ];
    const f = await cliFailure(() => deployToOrg({ targetOrg: 'closed-loop', dryRun: false, waitMinutes: 33 }, recorded(routes).runner), {
      targetOrg: 'closed-loop'
    });
    expect(f.line).toBe(
      "Unable to refresh session due to: Error authenticating with the refresh token due to: expired access/refresh token (the org's login session expired: log in again with npx sf org login web --alias closed-loop)"
    );
  });

  it('no default org on setup', async () => {
    const f = await cliFailure(() =>
      setupOrg({ users: [], personas: [] }, recorded([['org assign permset', 'assign-permset-no-default']]).runner)
    );
    expect(f.line).toBe(
      'No default environment found. Use -o or --target-org to specify an environment. (pass --target-org <alias>, or run npx sf org login web --alias <alias> --set-default (npx sf org list shows the orgs you are logged in to))'
    );
  });
});
