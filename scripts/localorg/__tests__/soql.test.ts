import type { Connection } from 'jsforce';
import { startTestOrg, TestOrg } from '../testing';

/** SOQL through jsforce 3 against the local org. */
/* eslint-disable @typescript-eslint/no-explicit-any -- query records are nested JSON */
let org: TestOrg;
let conn: Connection;
const leadIds: string[] = [];
let managerId: string;
let repId: string;

async function errorOf(p: PromiseLike<unknown>): Promise<{ errorCode?: string; message?: string }> {
  try {
    await p;
  } catch (e) {
    return e as { errorCode?: string; message?: string };
  }
  throw new Error('expected the query to fail');
}

async function insertMany(type: string, records: Array<Record<string, unknown>>): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < records.length; i += 200) {
    const res = await conn.request<Array<{ id: string; success: boolean }>>({
      method: 'POST',
      url: '/services/data/v64.0/composite/sobjects',
      body: JSON.stringify({ allOrNone: true, records: records.slice(i, i + 200).map((r) => ({ attributes: { type }, ...r })) }),
      headers: { 'content-type': 'application/json' }
    });
    for (const r of res) {
      if (!r.success) throw new Error(JSON.stringify(r));
      ids.push(r.id);
    }
  }
  return ids;
}

/** A fixed "now" (a Wednesday, mid-day in New York) so date literals are deterministic. */
const NOW = Date.parse('2026-06-17T16:00:00Z');

beforeAll(async () => {
  org = await startTestOrg({ now: () => new Date(NOW) });
  conn = org.conn;
  const profile = (await conn.query<{ Id: string }>("SELECT Id FROM Profile WHERE Name = 'Standard User'")).records[0].Id;
  const user = (u: string, extra: Record<string, unknown> = {}) => ({
    Username: `${u}@example.com`,
    LastName: u,
    Email: `${u}@example.com`,
    Alias: u.slice(0, 8),
    TimeZoneSidKey: 'America/New_York',
    LocaleSidKey: 'en_US',
    EmailEncodingKey: 'UTF-8',
    LanguageLocaleKey: 'en_US',
    ProfileId: profile,
    ...extra
  });
  [managerId] = await insertMany('User', [user('manager')]);
  [repId] = await insertMany('User', [user('rep', { ManagerId: managerId })]);
  const now = NOW;
  const statuses = ['New', 'Marketing Qualified', 'Sales Accepted', 'Recycled'];
  const sources = ['Web', 'Phone Inquiry', null];
  leadIds.push(
    ...(await insertMany(
      'Lead',
      Array.from({ length: 40 }, (_, i) => ({
        LastName: `Lead${String(i).padStart(2, '0')}`,
        Company: i % 2 ? 'Acme' : 'Globex',
        Status: statuses[i % 4],
        LeadSource: sources[i % 3],
        Quality_Rating__c: (i % 5) + 1,
        OwnerId: i % 2 ? repId : org.userId,
        CreatedDate: new Date(now - i * 86400000).toISOString()
      }))
    ))
  );
  await insertMany(
    'Lead_Quality_Feedback__c',
    leadIds.slice(0, 6).map((id, i) => ({
      Lead__c: id,
      Disposition__c: i % 2 ? 'Reject' : 'Accept',
      Rating__c: (i % 5) + 1,
      Reason__c: i % 2 ? 'No budget' : null
    }))
  );
});
afterAll(() => org.close());

test('fields, parent paths (polymorphic Owner, custom __r, Manager) and child subqueries', async () => {
  const r = await conn.query<Record<string, any>>(
    `SELECT Name, Lead__r.LeadSource, Lead__r.Owner.Name, CreatedBy.Name FROM Lead_Quality_Feedback__c WHERE Lead__r.Company = 'Globex' ORDER BY Name`
  );
  expect(r.totalSize).toBe(3);
  expect(r.records[0].Lead__r).toMatchObject({ attributes: { type: 'Lead' }, LeadSource: 'Web' });
  expect(r.records[0].Lead__r.Owner).toMatchObject({ attributes: { type: 'Name' }, Name: 'Local Admin' });
  const rep = await conn.query<Record<string, any>>(`SELECT Name, Manager.Email, Manager.Manager.Name FROM User WHERE Id = '${repId}'`);
  expect(rep.records[0].Manager).toMatchObject({ Email: 'manager@example.com', Manager: null });
  const withChildren = await conn.query<Record<string, any>>(
    `SELECT Id, (SELECT Disposition__c FROM Lead_Quality_Feedback__r ORDER BY Name) FROM Lead WHERE Id IN ('${leadIds[0]}', '${leadIds[10]}') ORDER BY LastName`
  );
  expect(withChildren.records[0].Lead_Quality_Feedback__r).toMatchObject({
    totalSize: 1,
    done: true,
    records: [{ Disposition__c: 'Accept' }]
  });
  expect(withChildren.records[1].Lead_Quality_Feedback__r).toBeNull();
});

test('WHERE operators, AND/OR/NOT, null, LIKE, IN, ORDER BY NULLS LAST, LIMIT, OFFSET', async () => {
  const q = async (where: string, extra = '') =>
    (await conn.query<{ LastName: string }>(`SELECT LastName FROM Lead WHERE ${where} ${extra}`)).records.map((r) => r.LastName);
  expect(await q("LastName LIKE 'lead0%' AND Company = 'acme'")).toEqual(['Lead01', 'Lead03', 'Lead05', 'Lead07', 'Lead09']);
  expect((await q("Status IN ('Recycled', 'Sales Accepted') AND NOT Company = 'Acme'")).length).toBe(10);
  expect((await q("Status IN ('Recycled', 'Sales Accepted') AND (NOT (Company = 'Acme' OR LeadSource = null))")).length).toBe(6);
  expect((await q("Status NOT IN ('New') AND (LeadSource = null OR Quality_Rating__c >= 5)")).length).toBeGreaterThan(0);
  expect((await q("LeadSource != 'Web'")).length).toBe(26); // != keeps nulls, as in SOQL
  expect(await q("Company = 'Acme'", 'ORDER BY LastName DESC LIMIT 2 OFFSET 1')).toEqual(['Lead37', 'Lead35']);
  const nulls = await conn.query<{ LeadSource: string | null }>(`SELECT LeadSource FROM Lead ORDER BY LeadSource ASC NULLS LAST`);
  expect(nulls.records[nulls.records.length - 1].LeadSource).toBeNull();
  expect(nulls.records[0].LeadSource).not.toBeNull();
  expect(await q(`Id IN (SELECT Lead__c FROM Lead_Quality_Feedback__c WHERE Disposition__c = 'Reject')`, 'ORDER BY LastName')).toEqual([
    'Lead01',
    'Lead03',
    'Lead05'
  ]);
});

test('date literals are relative to now in the running user time zone', async () => {
  const count = async (where: string) => (await conn.query(`SELECT COUNT() FROM Lead WHERE ${where}`)).totalSize;
  expect(await count('CreatedDate = TODAY')).toBe(1);
  expect(await count('CreatedDate = YESTERDAY')).toBe(1);
  expect(await count('CreatedDate = LAST_N_DAYS:7')).toBe(8);
  expect(await count('CreatedDate < LAST_N_DAYS:30')).toBe(9);
  expect(await count('CreatedDate > 2000-01-01T00:00:00Z AND CreatedDate = THIS_YEAR')).toBeGreaterThan(0);
  const quarters =
    (await count('CreatedDate = THIS_QUARTER')) + (await count('CreatedDate = LAST_QUARTER')) + (await count('CreatedDate < LAST_QUARTER'));
  expect(quarters).toBe(40);
});

test('aggregates: COUNT(), GROUP BY with aliases and exprN, HAVING', async () => {
  expect((await conn.query("SELECT COUNT() FROM Lead WHERE Company = 'Acme'")).totalSize).toBe(20);
  const g = await conn.query<Record<string, unknown>>(
    'SELECT Status, COUNT(Id) n, AVG(Quality_Rating__c), MAX(CreatedDate) latest FROM Lead GROUP BY Status ORDER BY Status'
  );
  expect(g.records).toHaveLength(4);
  expect(g.records[0]).toMatchObject({ attributes: { type: 'AggregateResult' }, Status: 'Marketing Qualified', n: 10 });
  expect(typeof g.records[0].expr0).toBe('number');
  const h = await conn.query<Record<string, unknown>>(
    'SELECT Owner.Name, COUNT(Id) FROM Lead GROUP BY Owner.Name HAVING COUNT(Id) > 5 ORDER BY COUNT(Id) DESC, Owner.Name'
  );
  expect(h.records).toEqual([
    expect.objectContaining({ Name: 'Local Admin', expr0: 20 }),
    expect.objectContaining({ Name: 'rep', expr0: 20 })
  ]);
  const m = await conn.query<Record<string, unknown>>(
    'SELECT CALENDAR_YEAR(CreatedDate) y, COUNT(Id) c FROM Lead GROUP BY CALENDAR_YEAR(CreatedDate)'
  );
  expect(m.records.reduce((s, r) => s + Number(r.c), 0)).toBe(40);
});

test('unsupported SOQL is MALFORMED_QUERY naming the part; unknown names are INVALID_FIELD/INVALID_TYPE', async () => {
  const forUpdate = await errorOf(conn.query('SELECT Id FROM Lead FOR UPDATE'));
  expect(forUpdate).toMatchObject({ errorCode: 'MALFORMED_QUERY', message: expect.stringContaining('FOR UPDATE') });
  expect(await errorOf(conn.query('SELECT TYPEOF What WHEN Account THEN Name END FROM Task'))).toMatchObject({
    errorCode: 'MALFORMED_QUERY',
    message: expect.stringContaining('TYPEOF')
  });
  expect((await errorOf(conn.query('SELECT Id FROM Lead WHERE'))).errorCode).toBe('MALFORMED_QUERY');
  const badField = await errorOf(conn.query('SELECT Nope__c FROM Lead'));
  expect(badField).toMatchObject({
    errorCode: 'INVALID_FIELD',
    message: expect.stringContaining("No such column 'Nope__c' on entity 'Lead'")
  });
  expect((await errorOf(conn.query('SELECT Foo__r.Name FROM Lead'))).errorCode).toBe('INVALID_FIELD');
  expect((await errorOf(conn.query('SELECT Id FROM Leads'))).errorCode).toBe('INVALID_TYPE');
});

test('queryMore pages 2,000 records at a time over more than 5,000 rows', async () => {
  const ids = await insertMany(
    'SLA_Timer__c',
    Array.from({ length: 5100 }, (_, i) => ({ Timer_Key__c: `bulk:${i}`, Status__c: 'Running', Target_Minutes__c: i }))
  );
  expect(ids).toHaveLength(5100);
  const first = await conn.query<{ Target_Minutes__c: number }>(
    'SELECT Id, Target_Minutes__c FROM SLA_Timer__c ORDER BY Target_Minutes__c'
  );
  expect(first).toMatchObject({ totalSize: 5100, done: false });
  expect(first.records).toHaveLength(2000);
  expect(first.nextRecordsUrl).toMatch(/\/services\/data\/v64\.0\/query\/[A-Za-z0-9]+-2000$/);
  const second = await conn.queryMore<{ Target_Minutes__c: number }>(first.nextRecordsUrl!);
  expect(second.records).toHaveLength(2000);
  const third = await conn.queryMore<{ Target_Minutes__c: number }>(second.nextRecordsUrl!);
  expect(third).toMatchObject({ done: true, totalSize: 5100 });
  const all = [...first.records, ...second.records, ...third.records].map((r) => r.Target_Minutes__c);
  expect(all).toEqual(Array.from({ length: 5100 }, (_, i) => i));
  // jsforce's autoFetch follows nextRecordsUrl the same way
  const fetched = await conn.query('SELECT Id FROM SLA_Timer__c').run({ autoFetch: true, maxFetch: 10000 });
  expect(fetched.records).toHaveLength(5100);
});

test('ORDER BY queries page by their sort keys: every row exactly once, in order, ties and nulls included', async () => {
  const base = Date.parse('2026-01-01T00:00:00Z');
  const rows = Array.from({ length: 4500 }, (_, i) => ({
    LastName: `${i % 2 ? 'k' : 'K'}ey${i % 5}`, // ties that differ only in case (strings sort case-insensitively)
    Company: 'Keyset',
    AnnualRevenue: i % 9 === 0 ? null : (i * 7919) % 13, // 13 values, many ties, and nulls
    CreatedDate: new Date(base + (i % 4) * 60000).toISOString() // 4 distinct values: ties on a required field
  }));
  const ids = await insertMany('Lead', rows);
  const inserted = rows.map((r, i) => ({ ...r, Id: ids[i], n: i }));
  const readAll = async <T extends { Id: string }>(soql: string): Promise<T[]> => {
    let page = await conn.query<T>(soql);
    const out = [...page.records];
    expect(page.totalSize).toBe(4500);
    while (!page.done) {
      expect(page.records).toHaveLength(2000);
      expect(page.nextRecordsUrl).toMatch(new RegExp(`/query/[A-Za-z0-9]+-${out.length}$`));
      page = await conn.queryMore<T>(page.nextRecordsUrl!);
      out.push(...page.records);
    }
    return out;
  };
  type Row = { Id: string; AnnualRevenue: number | null; LastName: string };
  // expected: the sort keys, then insertion order (the local org's stable tie-break)
  const byRevenueThenName = [...inserted].sort((a, b) => {
    if (a.AnnualRevenue !== b.AnnualRevenue) {
      if (a.AnnualRevenue === null) return -1;
      if (b.AnnualRevenue === null) return 1;
      return b.AnnualRevenue - a.AnnualRevenue;
    }
    const an = a.LastName.toLowerCase();
    const bn = b.LastName.toLowerCase();
    return an < bn ? -1 : an > bn ? 1 : a.n - b.n;
  });
  const got = await readAll<Row>(
    "SELECT Id, AnnualRevenue, LastName FROM Lead WHERE Company = 'Keyset' ORDER BY AnnualRevenue DESC NULLS FIRST, LastName ASC NULLS LAST"
  );
  expect(new Set(got.map((r) => r.Id)).size).toBe(4500);
  expect(got.map((r) => r.Id)).toEqual(byRevenueThenName.map((r) => r.Id));

  const byCreated = [...inserted].sort((a, b) => a.CreatedDate.localeCompare(b.CreatedDate) || a.n - b.n);
  const created = await readAll<{ Id: string }>("SELECT Id FROM Lead WHERE Company = 'Keyset' ORDER BY CreatedDate");
  expect(created.map((r) => r.Id)).toEqual(byCreated.map((r) => r.Id));
  const createdDesc = await readAll<{ Id: string }>("SELECT Id FROM Lead WHERE Company = 'Keyset' ORDER BY CreatedDate DESC, Id DESC");
  expect(createdDesc.map((r) => r.Id)).toEqual([...byCreated].reverse().map((r) => r.Id));

  // a page fetched again (a retried request) is the same page
  const first = await conn.query<Row>("SELECT Id FROM Lead WHERE Company = 'Keyset' ORDER BY AnnualRevenue, Id");
  const second = await conn.queryMore<Row>(first.nextRecordsUrl!);
  const again = await conn.queryMore<Row>(first.nextRecordsUrl!);
  expect(again.records.map((r) => r.Id)).toEqual(second.records.map((r) => r.Id));
});
