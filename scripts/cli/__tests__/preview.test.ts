import { spawn } from 'node:child_process';
import * as os from 'node:os';
import * as path from 'node:path';
import { startTestOrg, type TestOrg } from '../../localorg/testing';
import { PROJECT_ROOT } from '../../project';
import { CLI_ENTRY, jsonResult, runCli } from '../../testing/cli';

// `closed-loop preview` as a user runs it: the built CLI (npm run build first) against a local org.

let org: TestOrg;

beforeAll(async () => {
  org = await startTestOrg();
  await org.createUser({ username: 'rosa.rep@example.com', firstName: 'Rosa', lastName: 'Rep', permissionSets: ['Closed_Loop_Rep'] });
}, 60_000);

afterAll(async () => {
  await org?.close();
});

describe('closed-loop preview', () => {
  it('--build-only builds (or finds) the cached build and says where it is', async () => {
    const run = await runCli(['preview', '--build-only', '--json'], { timeoutMs: 120_000 });
    expect(run.code).toBe(0);
    const build = jsonResult<{ hash: string; dir: string; components: Record<string, unknown> }>(run.stdout);
    expect(build.hash).toMatch(/^[0-9a-f]{20}$/);
    expect(build.dir).toContain(path.join('node_modules', '.cache', 'closed-loop-preview'));
    expect(Object.keys(build.components)).toEqual(expect.arrayContaining(['c/leadQualityFeedback', 'c/slaTimer', 'c/winLossReview']));
  }, 120_000);

  it('prints the URL once it serves, serves the record list from the org, and stops on Ctrl-C', async () => {
    const child = spawn(
      process.execPath,
      [CLI_ENTRY, 'preview', '--local', '--connection-file', org.connectionFile, '--port', '0', '--json'],
      {
        cwd: PROJECT_ROOT
      }
    );
    let stdout = '';
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
    const line = await new Promise<string>((resolve, reject) => {
      child.stdout.on('data', (d: Buffer) => {
        stdout += d.toString();
        if (stdout.includes('\n')) resolve(stdout.split('\n')[0]);
      });
      void exited.then((code) => reject(new Error(`preview exited (${String(code)}): ${stderr}`)));
    });
    const ready = jsonResult<{ url: string; openUrl: string; port: number; build: { cached: boolean }; viewingAs: unknown }>(line);
    expect(ready.url).toBe(`http://127.0.0.1:${ready.port}`);
    // as a rep of the org by default, with the rep's own token
    expect(ready.viewingAs).toEqual({ choice: 'rep', name: 'Rosa Rep' });
    expect(ready.openUrl).toMatch(new RegExp(`^http://127\\.0\\.0\\.1:${ready.port}/\\?token=[A-Za-z0-9_-]{32}$`));
    // only the printed URL opens it (its token becomes a cookie)
    expect((await fetch(`${ready.url}/`)).status).toBe(403);
    const signIn = await fetch(ready.openUrl, { redirect: 'manual' });
    expect([signIn.status, signIn.headers.get('location')]).toEqual([303, '/']);
    const list = await fetch(`${ready.url}/`, { headers: { cookie: (signIn.headers.get('set-cookie') ?? '').split(';')[0] } });
    expect(list.status).toBe(200);
    expect(await list.text()).toContain('Lead records');
    child.kill('SIGINT');
    expect(await exited).toBe(0);
    expect(stderr).toBe('');
  }, 120_000);

  it('fails in one line when there is no local org to talk to', async () => {
    const run = await runCli(['preview', '--local', '--connection-file', path.join(os.tmpdir(), 'no-such-closed-loop-org.json')]);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^closed-loop: no local org connection file at .*no-such-closed-loop-org\.json/);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('--as a persona the org has no user for fails in one line; --as with a real org is refused', async () => {
    const none = await runCli(['preview', '--local', '--connection-file', org.connectionFile, '--as', 'marketing', '--port', '0']);
    expect(none.code).toBe(1);
    expect(none.stderr).toMatch(
      /^closed-loop: cannot preview as marketing: no active user has Closed_Loop_Marketing \(the marketing persona\)/
    );
    const real = await runCli(['preview', '--target-org', 'prod', '--as', 'manager']);
    expect(real.code).toBe(2);
    expect(real.stderr).toMatch(/^closed-loop: --as works on the local org only/);
  }, 60_000);

  it('rejects a port that is not a TCP port', async () => {
    const run = await runCli(['preview', '--port', '70000']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('--port must be at most 65535, got 70000');
  });
});
