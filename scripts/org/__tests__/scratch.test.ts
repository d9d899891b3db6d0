import { hintFor } from '../hints';
import { createScratchArgs, createScratchOrg, CreateScratchOptions, SCRATCH_DEF_FILE } from '../scratch';
import { SfCommandError } from '../sf';
import { recorded } from './recorded';

const defaults: CreateScratchOptions = {
  alias: 'closed-loop',
  durationDays: 7,
  definitionFile: SCRATCH_DEF_FILE,
  setDefault: true,
  waitMinutes: 10
};

async function failure(fixture: string, opts: CreateScratchOptions = defaults): Promise<SfCommandError> {
  const { runner } = recorded([['org create scratch', fixture]]);
  return (await createScratchOrg(opts, runner).catch((e: unknown) => e)) as SfCommandError;
}

describe('org create → sf org create scratch', () => {
  it('builds the sf command line from the project definition, alias, duration and wait', () => {
    expect(createScratchArgs(defaults)).toEqual([
      'org',
      'create',
      'scratch',
      '--definition-file',
      SCRATCH_DEF_FILE,
      '--alias',
      'closed-loop',
      '--duration-days',
      '7',
      '--wait',
      '10',
      '--set-default'
    ]);
    expect(createScratchArgs({ ...defaults, devHub: 'MyHub', setDefault: false, durationDays: 30 })).toEqual([
      'org',
      'create',
      'scratch',
      '--definition-file',
      SCRATCH_DEF_FILE,
      '--alias',
      'closed-loop',
      '--duration-days',
      '30',
      '--wait',
      '10',
      '--target-dev-hub',
      'MyHub'
    ]);
  });

  it('returns the new org from a recorded success (username, org id, expiry)', async () => {
    const { runner, calls } = recorded([['org create scratch', 'create-ok']]);
    const org = await createScratchOrg({ ...defaults, devHub: 'DevHub' }, runner);
    expect(org).toEqual({
      alias: 'closed-loop',
      username: 'test-wvkpnfm5z113@example.com',
      orgId: '00DDu000000ClOsMAK',
      instanceUrl: 'https://velocity-business-4242-dev-ed.scratch.my.salesforce.com',
      devHub: 'hub-admin@closed-loop.example',
      expirationDate: '2026-12-02',
      isDefault: true
    });
    expect(calls).toHaveLength(1);
    expect(calls[0].at(-1)).toBe('--json');
  });

  it("no Dev Hub: sf's cause, and the login hint", async () => {
    const e = await failure('create-no-dev-hub');
    expect(e.message).toBe('No default dev hub found. Use -v or --target-dev-hub to specify an environment.');
    expect(e.exitCode).toBe(1);
    expect(hintFor({ name: e.sfName, message: e.message })).toBe(
      'no Dev Hub authorized: run npx sf org login web --set-default-dev-hub --alias DevHub, or pass --target-dev-hub <alias>'
    );
  });

  it('unknown --target-dev-hub alias: names the alias in the hint', async () => {
    const e = await failure('create-unknown-dev-hub', { ...defaults, devHub: 'DevHub' });
    expect(e.message).toBe('Parsing --target-dev-hub: No authorization information found for DevHub.');
    expect(hintFor({ name: e.sfName, message: e.message }, { devHub: 'DevHub' })).toBe(
      'no Dev Hub authorized as DevHub: run npx sf org login web --set-default-dev-hub --alias DevHub'
    );
  });

  it('scratch org limit reached: says how to free one', async () => {
    const e = await failure('create-limit-exceeded');
    expect(e.sfName).toBe('LIMIT_EXCEEDED');
    expect(e.message).toBe('The signup request failed because this organization has reached its active scratch org limit');
    expect(hintFor({ name: e.sfName, message: e.message })).toMatch(
      /active scratch org limit: delete one you no longer need with npx sf org delete scratch --target-org <alias>/
    );
  });
});
