import { runCli } from '../../testing/cli';

describe('closed-loop CLI', () => {
  it('prints its version', async () => {
    const r = await runCli(['--version']);
    expect(r.code).toBe(0);
    expect(r.stdout.trim()).toBe((require('../../../package.json') as { version: string }).version);
  });

  it('lists its commands in --help', async () => {
    const r = await runCli(['--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/Usage: closed-loop/);
  });

  it('rejects an unknown command with one line and exit code 2', async () => {
    const r = await runCli(['frobnicate']);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/^closed-loop: .*(unknown command 'frobnicate'|too many arguments)/);
  });

  it('reports failures as JSON with --json', async () => {
    const r = await runCli(['frobnicate', '--json']);
    expect(r.code).toBe(2);
    expect(JSON.parse(r.stdout)).toMatchObject({ status: 2, name: 'InvalidFlagError' });
  });
});
