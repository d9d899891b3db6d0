import { DEFAULT_MAX_BODY_BYTES } from '../bounds';
import { MAX_UPLOAD_BYTES } from '../bulk/limits';
import { startTestOrg, TestOrg } from '../testing';
import { bulkApi } from './bulkApi';

/**
 * Bulk API 2.0 at its bounds: an upload over the documented limit and a job definition over a JSON
 * body's limit are 413 with a JSON error and change nothing; a query job whose query runs past the
 * org's query time budget fails with QUERY_TIMEOUT while the org keeps serving.
 */
jest.setTimeout(120_000);

let org: TestOrg;
let api: ReturnType<typeof bulkApi>;

beforeAll(async () => {
  org = await startTestOrg({ onDisk: true });
  api = bulkApi(org);
});
afterAll(() => org.close());

async function tooLarge(res: Response): Promise<void> {
  expect(res.status).toBe(413);
  expect(res.headers.get('content-type')).toMatch(/^application\/json/);
  const body = (await res.json()) as Array<{ errorCode: string; message: string }>;
  expect(body).toEqual([expect.objectContaining({ errorCode: 'REQUEST_ENTITY_TOO_LARGE', message: expect.any(String) })]);
}

test('an upload one byte over 150 MB of base64 (117,964,800 bytes) is 413; the job stays Open without data and takes the next upload', async () => {
  expect(MAX_UPLOAD_BYTES).toBe(117_964_800);
  const job = await api.createIngest({ object: 'Lead', operation: 'insert' });
  const before = org.dataVersion();
  const body = Buffer.alloc(MAX_UPLOAD_BYTES + 1, 0x41);
  body.write('LastName,Company\n');
  const res = await fetch(`${org.instanceUrl}/services/data/v64.0/jobs/ingest/${job.id}/batches`, {
    method: 'PUT',
    headers: { Authorization: `Bearer ${org.accessToken}`, 'content-type': 'text/csv' },
    body
  });
  await tooLarge(res);
  expect(org.dataVersion()).toBe(before);
  expect((await api.ok(api.call('GET', `/jobs/ingest/${job.id}`))).json()).toMatchObject({ state: 'Open' });

  await api.upload(job.id, 'LastName,Company\nBounds,Upload Co\n');
  await api.close(job.id);
  expect(await api.waitFor('ingest', job.id)).toMatchObject({ state: 'JobComplete', numberRecordsProcessed: 1, numberRecordsFailed: 0 });
});

test('a job definition over the 50 MB a JSON body may have is 413 unread, and no job is made', async () => {
  const listed = (await api.ok(api.call('GET', '/jobs/ingest'))).json<{ records: unknown[] }>().records.length;
  const before = org.dataVersion();
  const pad = 'p'.repeat(DEFAULT_MAX_BODY_BYTES);
  const res = await fetch(`${org.instanceUrl}/services/data/v64.0/jobs/ingest`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${org.accessToken}`, 'content-type': 'application/json' },
    body: `{"object":"Lead","operation":"insert","pad":"${pad}"}`
  });
  await tooLarge(res);
  expect(org.dataVersion()).toBe(before);
  expect((await api.ok(api.call('GET', '/jobs/ingest'))).json<{ records: unknown[] }>().records).toHaveLength(listed);
});

test('a query job past the query time budget fails with QUERY_TIMEOUT, and the org answers meanwhile', async () => {
  const slow = await startTestOrg({ queryTimeoutMs: 1, sourceDirs: [] });
  try {
    for (let i = 0; i < 15; i++) {
      await slow.conn.sobject('Account').create(
        Array.from({ length: 200 }, (_, j) => ({ Name: `Account ${i}-${j}` })),
        { allOrNone: true }
      );
    }
    const slowApi = bulkApi(slow);
    // every row tests 300 LIKE patterns: the budget (checked every 1,024 rows) is long gone at row 1,024
    const likes = Array.from({ length: 300 }, (_, i) => `Name LIKE '%q${i}%'`).join(' OR ');
    const job = await slowApi.query(`SELECT Id FROM Account WHERE ${likes}`);
    expect(job).toMatchObject({ state: 'Failed', errorMessage: 'QUERY_TIMEOUT : Your query request was running for too long.' });
    const results = await slowApi.call('GET', `/jobs/query/${job.id}/results`);
    expect(results.status).toBe(412);
    expect(results.json()).toEqual([expect.objectContaining({ errorCode: 'JOB_NOT_COMPLETE' })]);
    expect((await slow.conn.query("SELECT Id FROM User WHERE Name = 'Local Admin'")).totalSize).toBe(1);
    // a query within the budget still completes
    expect(await slowApi.query('SELECT Id FROM Account LIMIT 10')).toMatchObject({ state: 'JobComplete', numberRecordsProcessed: 10 });
    expect(slow.serverLog).toEqual([]);
  } finally {
    await slow.close();
  }
});
