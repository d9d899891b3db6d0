import type { Connection } from 'jsforce';
import type { TestOrg } from '../../localorg/testing';
import { runCli } from '../../testing/cli';
import { listReports } from '../definitions';
import { runReport, type ReportResult } from '../runner';
import { computeScorecard } from '../scorecard';
import { ALL, NOW, startReportOrg } from './fixture';

/**
 * Who reads the reports in an org: a sales or marketing manager with Closed_Loop_Manager, marketing ops with
 * Closed_Loop_Marketing — not the admin. Every shipped report and the scorecard, run through the runner with a
 * token of a seeded user of each persona, give the admin's figures: the sets grant every object and field the
 * reports read (a missing one would be an INVALID_TYPE / INVALID_FIELD here), and View All shows every record.
 */
let org: TestOrg;
const as: Record<string, Connection> = {};

/** A seeded user of the persona in the admin's time zone (relative periods are the running user's). */
async function personaIn(set: string, timeZone: string): Promise<string> {
  const rows = await org.conn.query<{ Assignee: { Username: string } }>(
    `SELECT Assignee.Username FROM PermissionSetAssignment WHERE PermissionSet.Name = '${set}' AND Assignee.TimeZoneSidKey = '${timeZone}' ORDER BY Assignee.Username LIMIT 1`
  );
  return rows.records[0].Assignee.Username;
}

beforeAll(async () => {
  org = await startReportOrg();
  const zone = (await org.conn.query<{ TimeZoneSidKey: string }>(`SELECT TimeZoneSidKey FROM User WHERE Id = '${org.userId}'`)).records[0]
    .TimeZoneSidKey;
  as.admin = org.conn;
  as.manager = await org.connectionAs(await personaIn('Closed_Loop_Manager', zone));
  as.marketing = await org.connectionAs(await personaIn('Closed_Loop_Marketing', zone));
}, 240_000);
afterAll(() => org?.close());

/** What a reader sees of a result: its figures, groups and rows (not the SOQL it ran). */
const figures = (r: ReportResult) => ({ groups: r.groups, grandTotal: r.grandTotal, acrossGroups: r.acrossGroups, excluded: r.excluded });
const options = { period: { kind: 'range' as const, from: ALL.from, to: ALL.to }, now: new Date(NOW) };

describe.each(['manager', 'marketing'])('every shipped report as %s', (persona) => {
  it.each(listReports().map((r) => r.developerName))('%s: the admin’s figures', async (name) => {
    const [mine, admin] = await Promise.all([runReport(as[persona], name, options), runReport(as.admin, name, options)]);
    expect(figures(mine)).toEqual(figures(admin));
    expect(admin.grandTotal.values).not.toEqual({});
  });
});

it('the scorecard as a manager: the admin’s', async () => {
  const [mine, admin] = await Promise.all([
    computeScorecard(as.manager, { now: new Date(NOW) }),
    computeScorecard(as.admin, { now: new Date(NOW) })
  ]);
  expect(mine.lines.length).toBeGreaterThan(0);
  expect(mine).toEqual(admin);
});

it('a user without a Closed Loop permission set cannot run them (so the figures above are the sets’ doing)', async () => {
  const plain = await org.createUser({ username: 'no.sets@example.com' });
  await expect(runReport(plain.conn, 'SLA_Compliance_By_Rep', options)).rejects.toThrow(/SLA_Timer__c/);
});

it('closed-loop report --as manager runs as the first manager of the org', async () => {
  const run = await runCli([
    'report',
    'SLA_Compliance_By_Manager',
    '--connection-file',
    org.connectionFile,
    '--as',
    'manager',
    '--period',
    `${ALL.from}..${ALL.to}`,
    '--format',
    'json'
  ]);
  expect(run.stderr).toBe('');
  expect(run.code).toBe(0);
  expect((JSON.parse(run.stdout) as { report: string }).report).toBe('SLA_Compliance_By_Manager');
});
