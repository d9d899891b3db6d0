/**
 * The Bulk API 2.0 path of the data layer gives what the REST path gives: the same SLA timers from a sync
 * whose every write went to ingest jobs as from one on sObject collections (two local orgs seeded alike), the
 * same results in the same order from an ingest with refused rows, and the same typed records from a query job.
 */
import type { Connection } from 'jsforce';
import { startTestOrg } from '../../../localorg/testing';
import type { TestOrg } from '../../../localorg/testing';
import { runSeed } from '../../../seed';
import { runSync } from '../../../sla/sync';
import type { SyncSummary } from '../../../sla/sync';
import { TIMER_FIELDS } from '../../../sla/syncPlan';
import { LOCAL_SYNC_USER } from '../../personas';
import { bulk2Client } from '../bulkClient';
import { OrgData, RecordRows, soql, soqlFields } from '..';

const NOW = '2026-03-04T16:00:00.000Z';

let rest: TestOrg;
let bulk: TestOrg;
const summaries: Record<'rest' | 'bulk', SyncSummary | undefined> = { rest: undefined, bulk: undefined };

async function timers(conn: Connection): Promise<Array<Record<string, unknown>>> {
  const fields = TIMER_FIELDS.filter((f) => f !== 'Id');
  const rows = await new OrgData(conn, { bulk: false }).all(soql`SELECT ${soqlFields(fields)} FROM SLA_Timer__c ORDER BY Timer_Key__c`, {
    max: 100_000
  });
  return rows.map(({ attributes: _a, ...r }) => r);
}

beforeAll(async () => {
  [rest, bulk] = await Promise.all([startTestOrg({ now: () => new Date(NOW) }), startTestOrg({ now: () => new Date(NOW) })]);
  for (const [name, org] of [
    ['rest', rest],
    ['bulk', bulk]
  ] as const) {
    await runSeed(org.conn, { mode: 'local', seed: 42, leads: 150, now: NOW });
    const conn = await org.connectionAs(LOCAL_SYNC_USER.Username);
    summaries[name] = await runSync(conn, {
      now: NOW,
      clock: () => Date.parse(NOW),
      ...(name === 'rest'
        ? { bulk: false }
        : { bulk: bulk2Client(conn, { maxPollInterval: 20 }), bulkQueryThreshold: 0, bulkIngestThreshold: 0 })
    });
  }
}, 300_000);
afterAll(async () => {
  await rest?.close();
  await bulk?.close();
});

test('a sync whose writes all go to Bulk ingest jobs leaves the same SLA timers as one on REST collections', async () => {
  const [a, b] = [summaries.rest as SyncSummary, summaries.bulk as SyncSummary];
  expect(b.errors).toEqual([]);
  expect(b.timers).toEqual(a.timers);
  const [restTimers, bulkTimers] = await Promise.all([timers(rest.conn), timers(bulk.conn)]);
  expect(restTimers.length).toBeGreaterThan(150);
  expect(bulkTimers).toEqual(restTimers);
  // the Bulk path did go through jobs: fewer write requests for the same records
  expect(b.writes.records).toBe(a.writes.records);
  const jobs = (await bulk.conn.request(`/services/data/v${bulk.conn.version}/jobs/ingest`)) as { records: unknown[] };
  expect(jobs.records.length).toBeGreaterThan(0);
});

test('an ingest with refused rows answers each record in input order, as sObject collections do', async () => {
  const records = [
    { LastName: 'Bulk Path A', Company: 'Same Answers' },
    { Company: 'Same Answers' },
    { LastName: 'Bulk Path A', Company: 'Same Answers' },
    { LastName: 'Bulk Path C', Company: 'Same Answers', Status: 'No Such Status' },
    { LastName: 'Bulk Path D', Company: 'Same Answers', AnnualRevenue: null }
  ];
  const viaRest = await new OrgData(rest.conn, { bulk: false }).insert('Lead', records);
  const viaBulk = await new OrgData(bulk.conn, { bulk: bulk2Client(bulk.conn, { maxPollInterval: 20 }), bulkIngestThreshold: 0 }).insert(
    'Lead',
    records
  );
  const shape = (r: (typeof viaRest)[number]) => ({
    success: r.success,
    created: r.created,
    idPrefix: r.id?.slice(0, 3) ?? null,
    errors: r.errors
  });
  expect(viaRest.map((r) => r.success)).toEqual([true, false, true, false, true]);
  expect(viaBulk.map(shape)).toEqual(viaRest.map(shape));
  // records kept as RecordRows are written alike on both paths, each answered in input order
  const kept = new RecordRows(records);
  const keptViaRest = await new OrgData(rest.conn, { bulk: false }).insert('Lead', kept);
  const keptViaBulk = await new OrgData(bulk.conn, {
    bulk: bulk2Client(bulk.conn, { maxPollInterval: 20 }),
    bulkIngestThreshold: 0
  }).insert('Lead', kept);
  expect(keptViaRest.map(shape)).toEqual(viaRest.map(shape));
  expect(keptViaBulk.map(shape)).toEqual(viaRest.map(shape));
  // a value that cannot be an upload cell fails the write (its job aborted), as it does from an array
  const data = new OrgData(bulk.conn, { bulk: bulk2Client(bulk.conn, { maxPollInterval: 20 }), bulkIngestThreshold: 0 });
  const invalid = [
    { LastName: 'Bulk Path E', Company: 'Same Answers' },
    { LastName: 'Bulk Path F', Company: { name: 'Nested' } }
  ];
  await expect(data.insert('Lead', invalid)).rejects.toThrow(TypeError);
  await expect(data.insert('Lead', new RecordRows(invalid))).rejects.toThrow(TypeError);
  // the ids are the records'
  const saved = await bulk.conn.query<{ Id: string; LastName: string }>(`SELECT Id, LastName FROM Lead WHERE Id = '${viaBulk[4].id}'`);
  expect(saved.records[0].LastName).toBe('Bulk Path D');
});

test('an ingest that needs no Id reads only the failed rows and answers each record as one that reads both', async () => {
  const records = [
    { LastName: 'No Ids A', Company: 'Fewer Calls' },
    { Company: 'Fewer Calls' },
    { LastName: 'No Ids A', Company: 'Fewer Calls' },
    { LastName: 'No Ids C', Company: 'Fewer Calls', Status: 'No Such Status' }
  ];
  const data = new OrgData(bulk.conn, { bulk: bulk2Client(bulk.conn, { maxPollInterval: 20 }), bulkIngestThreshold: 0 });
  const withIds = await data.insert('Lead', records);
  const before = data.requestsByKind['bulk ingest: results'];
  const withoutIds = await data.insert('Lead', records, { ids: false });
  expect(data.requestsByKind['bulk ingest: results'] - before).toBe(1);
  const outcome = (r: (typeof withIds)[number]) => ({ success: r.success, errors: r.errors });
  expect(withoutIds.map(outcome)).toEqual(withIds.map(outcome));
  expect(withoutIds.map((r) => r.success)).toEqual([true, false, true, false]);
  // an update by Id keeps its Ids
  const ids = withIds.filter((r) => r.success).map((r) => r.id as string);
  const updated = await data.update(
    'Lead',
    [...ids.map((Id) => ({ Id, Title: 'Saved' })), { Id: ids[0].replace(/.{3}$/, 'zzz'), Title: 'Nowhere' }],
    { ids: false }
  );
  expect(updated.map((r) => [r.id, r.success])).toEqual([
    [ids[0], true],
    [ids[1], true],
    [ids[0].replace(/.{3}$/, 'zzz'), false]
  ]);
  const keptUpdates = new RecordRows([
    { Id: ids[1], Title: 'Kept' },
    { Id: ids[0].replace(/.{3}$/, 'zzy'), Title: 'Nowhere' }
  ]);
  expect((await data.update('Lead', keptUpdates, { ids: false })).map((r) => [r.id, r.success])).toEqual([
    [ids[1], true],
    [ids[0].replace(/.{3}$/, 'zzy'), false]
  ]);
});

test('a query job gives the records the REST query gives: typed values, parents nested or null', async () => {
  const query = soql`SELECT Id, Name, Status, IsConverted, AnnualRevenue, NumberOfEmployees, CreatedDate, ConvertedDate, Owner.Name, ConvertedOpportunity.IsWon, ConvertedOpportunity.Amount FROM Lead ORDER BY Id`;
  const viaRest = await new OrgData(bulk.conn, { bulk: false }).all(query, { max: 100_000, includeDeleted: true });
  const viaBulk: Array<Record<string, unknown>> = [];
  for await (const page of bulk2Client(bulk.conn, { maxPollInterval: 20, pageSize: 50 }).queryPages(query, { includeDeleted: true })) {
    viaBulk.push(...page);
  }
  const plain = (r: Record<string, unknown>): unknown =>
    JSON.parse(JSON.stringify(r, (k, v: unknown) => (k === 'url' ? undefined : v))) as unknown;
  expect(viaBulk.length).toBe(viaRest.length);
  expect(viaRest.some((r) => r.ConvertedOpportunity !== null)).toBe(true);
  expect(viaBulk.map(plain)).toEqual(viaRest.map(plain));
});

test('a read whose size the caller already knows starts as a query job, without a REST page counted first', async () => {
  const data = new OrgData(bulk.conn, { bulk: bulk2Client(bulk.conn, { maxPollInterval: 20 }), bulkQueryThreshold: 10 });
  // more than a REST page holds (a read that fits in one is answered by it)
  const company = 'Known Size';
  const made = await data.insert(
    'Lead',
    Array.from({ length: 2_100 }, (_, i) => ({ LastName: `Known ${i}`, Company: company }))
  );
  expect(made.every((r) => r.success)).toBe(true);
  const query = soql`SELECT Id, Name, Status FROM Lead WHERE Company = ${company} ORDER BY Id`;
  const expected = await data.count(soql`SELECT COUNT() FROM Lead WHERE Company = ${company}`);
  expect(expected).toBe(2_100);
  const from = bulk.answered.length;
  const read: Array<Record<string, unknown>> = [];
  for await (const page of data.pages(query, { expected })) {
    expect(page.totalSize).toBe(expected);
    read.push(...page.records);
  }
  const asked = bulk.answered.slice(from).map((a) => `${a.method} ${a.path.replace(/^\/services\/data\/v[\d.]+/, '')}`);
  expect(asked).toContain('POST /jobs/query');
  expect(asked.filter((a) => a.startsWith('GET /query') || a.startsWith('POST /composite'))).toEqual([]);
  const viaRest = await new OrgData(bulk.conn, { bulk: false }).all(query, { max: 100_000 });
  expect(read.map((r) => [r.Id, r.Name, r.Status])).toEqual(viaRest.map((r) => [r.Id, r.Name, r.Status]));
  expect(read.length).toBe(expected);
}, 120_000);

test('a joined read types the results of its five objects and their parents from the describes read in two requests', async () => {
  const data = new OrgData(bulk.conn, { bulkQueryThreshold: 0 });
  // read before (as the sync's setup reads it): not read again
  await data.describe('Lead');
  const before = data.requestsByKind;
  const reads = (kinds: Record<string, number>) => (kinds.describe ?? 0) + (kinds.composite ?? 0);
  const leads: Array<Record<string, unknown>> = [];
  for await (const page of data.joined({
    parent: soql`SELECT Id, Status, IsConverted, Owner.Name, ConvertedOpportunity.IsWon FROM Lead`,
    includeDeleted: true,
    buckets: 1,
    relationships: ['Histories', 'Tasks', 'Events', 'SLA_Timers__r'],
    children: [
      { soql: soql`SELECT Id, Field, LeadId FROM LeadHistory`, route: (r) => [[String(r.LeadId).slice(0, 15), 'Histories']] },
      { soql: soql`SELECT Id, Subject, WhoId, Owner.Name FROM Task`, route: (r) => [[String(r.WhoId).slice(0, 15), 'Tasks']] },
      { soql: soql`SELECT Id, Subject, WhoId FROM Event`, route: (r) => [[String(r.WhoId).slice(0, 15), 'Events']] },
      { soql: soql`SELECT Id, Name, Lead__c FROM SLA_Timer__c`, route: (r) => [[String(r.Lead__c).slice(0, 15), 'SLA_Timers__r']] }
    ]
  })) {
    leads.push(...page);
  }
  expect(leads.length).toBeGreaterThanOrEqual(150);
  // typed as the REST API types them: a checkbox is a boolean, a lookup not set is null
  expect(leads.every((l) => typeof l.IsConverted === 'boolean')).toBe(true);
  expect(leads.some((l) => l.ConvertedOpportunity === null)).toBe(true);
  expect(reads(data.requestsByKind) - reads(before)).toBeLessThanOrEqual(2);
}, 120_000);
