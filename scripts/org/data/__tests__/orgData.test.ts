/**
 * The org data layer against the local org over HTTP (jsforce), as against a real org: values that would break
 * a hand-built query come back whole, results are read a page at a time, independent reads go together in
 * composite requests (one API call per 5 queries), writes go 200 a request, and every HTTP request is counted.
 */
import { startTestOrg } from '../../../localorg/testing';
import type { TestOrg } from '../../../localorg/testing';
import { OrgData, OrgRequestError, soql, soqlLike, soqlName } from '..';

let org: TestOrg;
beforeAll(async () => {
  org = await startTestOrg({ sourceDirs: [] });
});
afterAll(() => org.close());

const HOSTILE = "O'Brien \\ 50%_off \n' OR Name != '";

it('writes and finds back a value that would break a hand-built query, by equality and by LIKE', async () => {
  const data = new OrgData(org.conn);
  const [saved] = await data.insert('Lead', [
    { LastName: HOSTILE, Company: 'Acme' },
    { LastName: "O'Brien", Company: 'Acme' }
  ]);
  expect(saved.success).toBe(true);
  const exact = await data.all<{ Id: string; LastName: string }>(soql`SELECT Id, LastName FROM Lead WHERE LastName = ${HOSTILE}`);
  expect(exact).toEqual([expect.objectContaining({ Id: saved.id, LastName: HOSTILE })]);
  const like = await data.all(soql`SELECT Id FROM Lead WHERE LastName LIKE ${soqlLike("50%_off \n'", 'contains')}`);
  expect(like.map((r) => r.Id)).toEqual([saved.id]);
  expect(await data.count(soql`SELECT COUNT() FROM Lead WHERE LastName LIKE ${soqlLike("O'Brien", 'startsWith')}`)).toBe(2);
});

it('reads a result a page at a time, 200 records a write request, counting every request', async () => {
  // on REST (more than 2,000 records would otherwise go to a Bulk job)
  const data = new OrgData(org.conn, { bulk: false });
  const leads = Array.from({ length: 2_345 }, (_, i) => ({ LastName: `Paged ${i}`, Company: 'Paging Inc' }));
  const saved = await data.insert('Lead', leads);
  expect(saved.every((r) => r.success)).toBe(true);
  expect(data.writes).toBe(Math.ceil(2_345 / 200));
  expect(data.recordsWritten).toBe(2_345);
  expect(data.requests).toBe(data.writes);

  const before = data.requests;
  const sizes: number[] = [];
  for await (const page of data.pages(soql`SELECT Id FROM Lead WHERE Company = ${'Paging Inc'}`)) {
    sizes.push(page.records.length);
    expect(page.totalSize).toBe(2_345);
  }
  expect(sizes.length).toBeGreaterThan(1);
  expect(sizes.reduce((a, b) => a + b, 0)).toBe(2_345);
  expect(data.requests - before).toBe(sizes.length);
  await expect(data.all(soql`SELECT Id FROM Lead WHERE Company = ${'Paging Inc'}`, { max: 1000 })).rejects.toThrow(/more than 1000 rows/);
});

it('sends independent reads together: 6 queries and 2 describes in 2 composite requests, then answers from them', async () => {
  const data = new OrgData(org.conn);
  const queries = ['Lead', 'Opportunity', 'Task', 'Event', 'Account', 'Contact'].map((o) => soql`SELECT COUNT() FROM ${soqlName(o)}`);
  const bad = soql`SELECT NoSuchField__c FROM Lead`;
  await data.prefetch([...queries.map((q) => ({ soql: q })), { describe: 'Lead' }, { describe: 'Opportunity' }, { soql: bad }]);
  // 7 queries: 5 in the first composite request, 2 in the second (the describes ride along)
  expect(data.requests).toBe(2);
  for (const q of queries) expect(await data.count(q)).toBeGreaterThanOrEqual(0);
  expect((await data.picklist('Lead', 'Status')).length).toBeGreaterThan(0);
  expect((await data.describe('Opportunity')).name).toBe('Opportunity');
  expect(data.requests).toBe(2);
  // a read's own error is thrown where it is used, as the org answered it
  const error = await data.all(bad).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(OrgRequestError);
  expect(error).toMatchObject({ errorCode: 'INVALID_FIELD' });
  // once used, a prefetched answer is gone: the same query asks the org again
  await data.count(queries[0]);
  expect(data.requests).toBe(3);
});

it('the local org holds a composite request to the real limits: 25 subrequests, 5 of them queries', async () => {
  const sub = (i: number, url: string) => ({ method: 'GET', url, referenceId: `r${i}` });
  const query = (i: number) => sub(i, `/services/data/v${org.conn.version}/query?q=${encodeURIComponent('SELECT COUNT() FROM Lead')}`);
  await expect(
    org.conn.request({
      method: 'POST',
      url: '/composite',
      body: JSON.stringify({ compositeRequest: Array.from({ length: 6 }, (_, i) => query(i)) }),
      headers: { 'Content-Type': 'application/json' }
    })
  ).rejects.toMatchObject({ errorCode: 'LIMIT_EXCEEDED' });
  const describes = Array.from({ length: 26 }, (_, i) => sub(i, `/services/data/v${org.conn.version}/sobjects/Lead/describe`));
  await expect(
    org.conn.request({
      method: 'POST',
      url: '/composite',
      body: JSON.stringify({ compositeRequest: describes }),
      headers: { 'Content-Type': 'application/json' }
    })
  ).rejects.toMatchObject({ errorCode: 'LIMIT_EXCEEDED' });
  const answer = await org.conn.request<{ compositeResponse: Array<{ httpStatusCode: number; referenceId: string; body: unknown }> }>({
    method: 'POST',
    url: '/composite',
    body: JSON.stringify({ compositeRequest: [query(0), sub(1, `/services/data/v${org.conn.version}/sobjects/NoSuchObject__c/describe`)] }),
    headers: { 'Content-Type': 'application/json' }
  });
  expect(answer.compositeResponse.map((r) => [r.referenceId, r.httpStatusCode])).toEqual([
    ['r0', 200],
    ['r1', 404]
  ]);
});

it('an all-or-none write saves nothing when one record fails; deletes go 200 a request', async () => {
  const data = new OrgData(org.conn, { bulk: false });
  const results = await data.insert('Lead', [{ LastName: 'Fine', Company: 'AllOrNone' }, { Company: 'AllOrNone' }], { allOrNone: true });
  expect(results.map((r) => r.success)).toEqual([false, false]);
  expect(await data.count(soql`SELECT COUNT() FROM Lead WHERE Company = ${'AllOrNone'}`)).toBe(0);
  const ids = (await data.all<{ Id: string }>(soql`SELECT Id FROM Lead WHERE Company = ${'Paging Inc'}`, { max: 5000 })).map((r) => r.Id);
  const writes = data.writes;
  const deleted = await data.delete('Lead', ids);
  expect(deleted.every((r) => r.success)).toBe(true);
  expect(data.writes - writes).toBe(Math.ceil(ids.length / 200));
  expect(await data.count(soql`SELECT COUNT() FROM Lead WHERE Company = ${'Paging Inc'}`)).toBe(0);
});
