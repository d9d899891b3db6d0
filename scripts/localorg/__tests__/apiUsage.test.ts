import { startTestOrg, TestOrg } from '../testing';

/**
 * The org's API requests, counted as a real org counts them: every REST call but the Versions URI
 * counts against a rolling 24-hour allocation, each answer says where the count stands in
 * `Sforce-Limit-Info` (REST API Developer Guide, "Limit Info Header"), `/limits` reports it as
 * DailyApiRequests, and past the allocation calls are refused with 403 REQUEST_LIMIT_EXCEEDED
 * "TotalRequests Limit exceeded." (the sources are cited in bounds.ts).
 */
let org: TestOrg;
let auth: Record<string, string>;

beforeAll(async () => {
  org = await startTestOrg();
  auth = { Authorization: `Bearer ${org.accessToken}` };
});
afterAll(() => org.close());

const usageOf = (res: Response) => {
  const m = /^api-usage=(\d+)\/(\d+)$/.exec(res.headers.get('sforce-limit-info') ?? '');
  return m ? { used: Number(m[1]), limit: Number(m[2]) } : undefined;
};

test('every REST answer carries Sforce-Limit-Info, one more call each time; the Versions URI neither counts nor carries it', async () => {
  const first = usageOf(await fetch(`${org.instanceUrl}/services/data/v64.0/limits`, { headers: auth }));
  expect(first).toEqual({ used: expect.any(Number), limit: 5_000_000 });
  const notFound = await fetch(`${org.instanceUrl}/services/data/v64.0/sobjects/NoSuchObject__c`, { headers: auth });
  expect(notFound.status).toBe(404);
  expect(usageOf(notFound)).toEqual({ used: first!.used + 1, limit: 5_000_000 });

  const versions = await fetch(`${org.instanceUrl}/services/data`, { headers: auth });
  expect(versions.status).toBe(200);
  expect(versions.headers.get('sforce-limit-info')).toBeNull();
  const after = usageOf(await fetch(`${org.instanceUrl}/services/data/v64.0`, { headers: auth }));
  expect(after?.used).toBe(first!.used + 2);

  // jsforce reads the header into conn.limitInfo
  await org.conn.query('SELECT Id FROM Lead LIMIT 1');
  expect(org.conn.limitInfo.apiUsage).toEqual({ used: first!.used + 3, limit: 5_000_000 });
});

test('/limits counts down DailyApiRequests with the calls made (the /limits call included)', async () => {
  const before = await org.conn.limits();
  for (let i = 0; i < 3; i++) await org.conn.query('SELECT Id FROM Account LIMIT 1');
  const after = await org.conn.limits();
  expect(after.DailyApiRequests).toEqual({ Max: 5_000_000, Remaining: before.DailyApiRequests.Remaining - 4 });
  expect(org.conn.limitInfo.apiUsage?.used).toBe(5_000_000 - after.DailyApiRequests.Remaining);
});

test('past the allocation calls are refused with 403 REQUEST_LIMIT_EXCEEDED until the past 24 hours hold fewer', async () => {
  let now = new Date('2026-03-02T09:00:00Z');
  const small = await startTestOrg({ dailyApiRequests: 3, now: () => now });
  try {
    const call = () =>
      fetch(`${small.instanceUrl}/services/data/v64.0/limits`, { headers: { Authorization: `Bearer ${small.accessToken}` } });
    for (let i = 1; i <= 3; i++) {
      const res = await call();
      expect([res.status, usageOf(res)]).toEqual([200, { used: i, limit: 3 }]);
      now = new Date(now.getTime() + 60 * 60_000); // an hour apart
    }
    const refused = await call();
    expect(refused.status).toBe(403);
    expect(await refused.json()).toEqual([{ message: 'TotalRequests Limit exceeded.', errorCode: 'REQUEST_LIMIT_EXCEEDED', fields: [] }]);
    expect(usageOf(refused)).toEqual({ used: 3, limit: 3 });
    await expect(small.conn.query('SELECT Id FROM Lead')).rejects.toMatchObject({ errorCode: 'REQUEST_LIMIT_EXCEEDED' });

    // 24 hours after the first call it no longer counts: one call may be made again
    now = new Date('2026-03-03T09:00:00Z');
    const again = await call();
    expect([again.status, usageOf(again)]).toEqual([200, { used: 3, limit: 3 }]);
    expect((await again.json()).DailyApiRequests).toEqual({ Max: 3, Remaining: 0 });
    expect((await call()).status).toBe(403);
  } finally {
    await small.close();
  }
});
