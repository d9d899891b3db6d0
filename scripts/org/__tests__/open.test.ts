import { hintFor } from '../hints';
import { APP_PATH, openArgs, openOrg } from '../open';
import { SfCommandError } from '../sf';
import { recorded } from './recorded';

describe('org open → sf org open', () => {
  it('builds the command: target, path, url-only', () => {
    expect(openArgs({ urlOnly: false })).toEqual(['org', 'open']);
    expect(openArgs({ targetOrg: 'prod', path: APP_PATH, urlOnly: true })).toEqual([
      'org',
      'open',
      '--target-org',
      'prod',
      '--path',
      '/lightning/app/c__Closed_Loop',
      '--url-only'
    ]);
  });

  it('returns the front-door URL, org and user', async () => {
    const { runner } = recorded([['org open', 'open-url-only-ok']]);
    const o = await openOrg({ targetOrg: 'closed-loop', urlOnly: true }, runner);
    expect(o.url).toMatch(/^https:\/\/velocity-business-4242-dev-ed\.scratch\.my\.salesforce\.com\/secur\/frontdoor\.jsp\?otp=/);
    expect(o).toMatchObject({ orgId: '00DDu000000ClOsMAK', username: 'test-wvkpnfm5z113@example.com' });
  });

  it.each([
    ['open-no-default', undefined, /pass --target-org <alias>/],
    ['open-unknown-alias', 'nope', /npx sf org login web --alias nope/],
    ['open-expired-session', 'closed-loop', /log in again with npx sf org login web --alias closed-loop/]
  ])("%s: sf's message and a hint", async (fixture, targetOrg, hint) => {
    const { runner } = recorded([['org open', fixture]]);
    const e = (await openOrg({ targetOrg, urlOnly: true }, runner).catch((x: unknown) => x)) as SfCommandError;
    expect(e).toBeInstanceOf(SfCommandError);
    expect(hintFor({ name: e.sfName, message: e.message }, { targetOrg })).toMatch(hint);
  });
});
