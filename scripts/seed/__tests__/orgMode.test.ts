import { startTestOrg, TestOrg } from '../../localorg/testing';
import { seedOrg } from '../run';

/**
 * `closed-loop org seed`'s loader, run for real against the local org over HTTP. With no
 * leads nothing needs the SOAP convertLead (which the local org does not speak), so this checks the
 * wiring: org mode (no audit fields, no history rows), existing users, the summary the CLI prints.
 */
describe('seedOrg: runSeed in org mode', () => {
  let org: TestOrg;
  beforeAll(async () => {
    org = await startTestOrg();
  });
  afterAll(() => org?.close());

  it('loads the demo setup records as a real org takes them', async () => {
    const progress: number[] = [];
    const s = await seedOrg(org.conn, { leads: 0, seed: 7, users: 'existing', onProgress: (p) => progress.push(p.done) });
    expect(s).toMatchObject({ mode: 'org', seed: 7, leads: 0 });
    expect(s.created.Campaign).toBeGreaterThan(0);
    expect(s.created.Lead ?? 0).toBe(0);
    expect(s.created.LeadHistory ?? 0).toBe(0);
    expect(progress.length).toBeGreaterThan(0);
    const campaigns = await org.conn.query<{ Name: string }>('SELECT Name FROM Campaign');
    expect(campaigns.totalSize).toBe(s.created.Campaign);
    // users it only borrowed keep their permission sets: org setup --persona assigns those
    expect(s.created.PermissionSetAssignment ?? 0).toBe(0);
    expect((await org.conn.query('SELECT COUNT() FROM PermissionSetAssignment')).totalSize).toBe(0);
  });
});
