import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { startTestOrg, type TestOrg } from '../../localorg/testing';
import { dumpOrg } from '../../seed/__tests__/orgDump';
import { jsonResult, runCli } from '../../testing/cli';

const NOW = '2026-03-25T19:07:00Z';
// the org's own clock stamps SystemModstamp, a completed task's CompletedDateTime and the like: hold it still,
// so the comparison below is about the seed's data only
const orgClock = () => new Date('2026-03-25T19:30:00Z');

describe('closed-loop seed --local', () => {
  const orgs: TestOrg[] = [];
  afterAll(async () => {
    for (const org of orgs) await org.close();
  });

  it('gives identical data when run twice with the same seed, in fresh orgs and again in the same org', async () => {
    const [a, b] = [await startTestOrg({ now: orgClock }), await startTestOrg({ now: orgClock })];
    orgs.push(a, b);
    const seed = (org: TestOrg) =>
      runCli(['seed', '--local', '--connection-file', org.connectionFile, '--seed', '5', '--now', NOW, '--leads', '300', '--json']);
    const [ra, rb] = [await seed(a), await seed(b)];
    expect(ra.code).toBe(0);
    expect(rb.code).toBe(0);
    const summary = jsonResult<{ seed: number; leads: number; now: string; created: Record<string, number> }>(ra.stdout);
    expect(summary).toMatchObject({ seed: 5, leads: 300, now: '2026-03-25T19:07:00.000Z' });
    expect(summary.created.Lead).toBe(300);

    const dumpA = await dumpOrg(a.conn);
    expect(dumpA.Lead).toHaveLength(300);
    expect(dumpA.LeadHistory.length).toBeGreaterThan(1000);
    expect(await dumpOrg(b.conn)).toEqual(dumpA);

    // seeding the same org again replaces its data with the very same records (auto-numbers count on)
    const before = await dumpOrg(a.conn, { autoNumbers: false });
    const again = await seed(a);
    expect(again.code).toBe(0);
    expect(jsonResult<{ deleted: Record<string, number> }>(again.stdout).deleted.Lead).toBe(300);
    expect(await dumpOrg(a.conn, { autoNumbers: false })).toEqual(before);
  }, 120_000); // three seedings of two orgs, each a CLI process

  it('prints a table of records by object', async () => {
    const org = await startTestOrg();
    orgs.push(org);
    const r = await runCli(['seed', '--connection-file', org.connectionFile, '--leads', '50', '--seed', '3']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Seeded the local org in [\d.]+ s \(seed 3, 50 leads over 60 days up to /);
    expect(r.stdout).toMatch(/^\s+Lead\s+50\s+-$/m);
    expect(r.stdout).toMatch(/^\s+BusinessHours\s+-\s+1$/m);
  });

  it('fails in one line on bad flags, a real org, or no local org', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'seed-cli-'));
    const [badNow, badLeads, tooMany, real, none] = await Promise.all([
      runCli(['seed', '--local', '--now', 'tomorrow']),
      runCli(['seed', '--local', '--leads', 'many']),
      runCli(['seed', '--local', '--leads', '1000001']),
      runCli(['seed', '--target-org', 'prod']),
      runCli(['seed', '--local', '--connection-file', path.join(dir, 'none.json'), '--json'])
    ]);
    fs.rmSync(dir, { recursive: true, force: true });
    expect([badNow.code, badLeads.code, tooMany.code, real.code]).toEqual([2, 2, 2, 2]);
    expect(badNow.stderr).toMatch(/^closed-loop: --now must be an ISO 8601 date-time with Z or an offset, .*, got "tomorrow"\n$/);
    expect(badLeads.stderr).toBe('closed-loop: --leads must be a whole number, got "many"\n');
    expect(tooMany.stderr).toBe('closed-loop: --leads must be at most 1000000, got 1000001\n');
    expect(real.stderr).toBe(
      'closed-loop: seed writes to the local org only (for a real org run: npx closed-loop org seed --target-org prod)\n'
    );
    expect(none.code).toBe(1);
    expect(JSON.parse(none.stdout)).toMatchObject({ status: 1, message: expect.stringMatching(/no local org connection file/) });
  });
});
