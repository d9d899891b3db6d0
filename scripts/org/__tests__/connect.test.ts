import { connect, displayOrg, isScratchOrg } from '../connection';
import { SfCommandError } from '../sf';
import { recorded } from './recorded';

describe('connect() to a real org through sf', () => {
  it('takes the instance from sf org display and the token from sf org auth show-access-token (display redacts it)', async () => {
    const { runner, calls } = recorded([
      ['org display', 'display-scratch'],
      ['org auth show-access-token', 'show-access-token-ok']
    ]);
    const conn = await connect({ targetOrg: 'closed-loop' }, runner);
    expect(conn.instanceUrl).toBe('https://velocity-business-4242-dev-ed.scratch.my.salesforce.com');
    expect(conn.accessToken).toBe('00DDu000000ClOs!AQEAQFakeScratchToken');
    expect(calls).toEqual([
      ['org', 'display', '--target-org', 'closed-loop', '--json'],
      ['org', 'auth', 'show-access-token', '--target-org', 'closed-loop', '--json']
    ]);
  });

  it("{ local: false } without an alias means sf's default org", async () => {
    const { runner, calls } = recorded([['org display', 'display-no-default']]);
    await expect(connect({ local: false }, runner)).rejects.toBeInstanceOf(SfCommandError);
    expect(calls).toEqual([['org', 'display', '--json']]);
  });

  it('tells scratch orgs from others by the Dev Hub in their display', async () => {
    expect(isScratchOrg(await displayOrg('closed-loop', recorded([['org display', 'display-scratch']]).runner))).toBe(true);
    expect(isScratchOrg(await displayOrg('prod', recorded([['org display', 'display-production']]).runner))).toBe(false);
  });
});
