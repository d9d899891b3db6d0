import { SfCommandError, sfJson, sfMessage } from '../sf';
import { fixtureJson, recorded } from './recorded';

describe('sfJson against recorded sf 2.150 outputs', () => {
  it('adds --json and returns the result', async () => {
    const { runner, calls } = recorded([['org display', 'display-scratch']]);
    const org = await sfJson<{ username: string }>(['org', 'display', '--target-org', 'closed-loop'], runner);
    expect(org.username).toBe('test-wvkpnfm5z113@example.com');
    expect(calls).toEqual([['org', 'display', '--target-org', 'closed-loop', '--json']]);
  });

  it("turns sf's multi-line flag error into one line and keeps sf's name and exit code", async () => {
    const { runner } = recorded([['org display', 'display-unknown-alias']]);
    const err = await sfJson(['org', 'display', '--target-org', 'nope'], runner).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SfCommandError);
    const e = err as SfCommandError;
    expect(e.message).toBe('Parsing --target-org: No authorization information found for nope.');
    expect(e.sfName).toBe('NamedOrgNotFoundError');
    expect(e.exitCode).toBe(2);
  });

  it('reports a failed status that carries a result (deploy, permset) with the result kept', async () => {
    const { runner } = recorded([['project deploy start', 'deploy-component-failures']]);
    const e = (await sfJson(['project', 'deploy', 'start'], runner).catch((x: unknown) => x)) as SfCommandError;
    expect(e.message).toBe('sf project deploy finished with status 1');
    expect((e.output.result as { status: string }).status).toBe('Failed');
  });

  it('says what sf printed when its output is not JSON', async () => {
    const runner = () => Promise.resolve({ stdout: '', stderr: 'Error: Cannot find module x\n    at ...', code: 1 });
    await expect(sfJson(['org', 'list'], runner)).rejects.toThrow('sf org list failed: Error: Cannot find module x');
  });

  it.each([
    [
      'Parsing --target-dev-hub \n\tNo authorization information found for DevHub.\nSee more help with --help',
      'Parsing --target-dev-hub: No authorization information found for DevHub.'
    ],
    [
      'No default dev hub found. Use -v or --target-dev-hub to specify an environment.',
      'No default dev hub found. Use -v or --target-dev-hub to specify an environment.'
    ],
    ['Could not retrieve the username.\n\nDue to: nope', 'Could not retrieve the username. Due to: nope']
  ])('sfMessage(%j)', (input, expected) => {
    expect(sfMessage(input)).toBe(expected);
  });

  it('every recorded failure fixture parses to status, name and message like sf prints them', () => {
    for (const name of ['create-no-dev-hub', 'create-limit-exceeded', 'deploy-expired-session', 'open-no-default']) {
      const f = fixtureJson(name);
      expect(f.status).toBeGreaterThan(0);
      expect(typeof f.name).toBe('string');
      expect(typeof f.message).toBe('string');
    }
  });
});
