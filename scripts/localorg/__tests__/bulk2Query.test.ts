import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { startTestOrg, TestOrg } from '../testing';
import { bulkApi, JobJson, parseCsv } from './bulkApi';

/**
 * Bulk API 2.0 query jobs against the local org: job JSON and states, CSV results (columns in SELECT
 * order, parent fields flattened, every value quoted), paging by Sforce-Locator and maxRecords, the
 * SOQL Bulk API 2.0 refuses, queryAll, abort and delete.
 */

let org: TestOrg;
let api: ReturnType<typeof bulkApi>;
let timerIds: string[];

beforeAll(async () => {
  // one record a step: a job takes several turns of the event loop, so a test can abort it on the way
  org = await startTestOrg({ bulk: { resultPageSize: 4, recordsPerBatch: 1 } });
  api = bulkApi(org);
  const lead = await org.conn.sobject('Lead').create({ LastName: 'Query', Company: 'Acme', Email: 'q@example.com' });
  const timers = Array.from({ length: 10 }, (_, i) => ({
    Timer_Key__c: `q${String(i).padStart(2, '0')}`,
    Status__c: i % 2 ? 'Met' : 'Running',
    Escalated__c: i === 3,
    Target_Minutes__c: i * 10,
    Started_At__c: `2026-03-0${(i % 9) + 1}T09:00:00.000Z`,
    Policy__c: i === 5 ? 'Say "hi", then leave' : null,
    Lead__c: i < 5 ? (lead as { id: string }).id : null
  }));
  const res = (await org.conn.sobject('SLA_Timer__c').create(timers)) as Array<{ id: string; success: boolean }>;
  timerIds = res.map((r) => r.id);
});
afterAll(() => org.close());

const soql =
  'SELECT Id, Timer_Key__c, Status__c, Escalated__c, Target_Minutes__c, Started_At__c, Policy__c, Lead__r.Email, Owner.Name FROM SLA_Timer__c ORDER BY Timer_Key__c';

test('a query job: its JSON, then CSV results in SELECT order with parent fields flattened', async () => {
  const created = (await api.ok(api.call('POST', '/jobs/query', JSON.stringify({ operation: 'query', query: soql })))).json<JobJson>();
  expect(created).toEqual({
    id: expect.stringMatching(/^750/),
    operation: 'query',
    object: 'SLA_Timer__c',
    createdById: org.userId,
    createdDate: expect.stringMatching(/\+0000$/),
    systemModstamp: expect.any(String),
    state: 'UploadComplete',
    concurrencyMode: 'Parallel',
    contentType: 'CSV',
    apiVersion: Number(org.conn.version),
    lineEnding: 'LF',
    columnDelimiter: 'COMMA'
  });
  const done = await api.waitFor('query', created.id);
  expect(done).toMatchObject({ state: 'JobComplete', jobType: 'V2Query', numberRecordsProcessed: 10, retries: 0 });
  expect(done).not.toHaveProperty('numberRecordsFailed');

  const page = await api.ok(api.call('GET', `/jobs/query/${created.id}/results?maxRecords=100`));
  expect(page.headers.get('content-type')).toBe('text/csv');
  expect(page.headers.get('sforce-locator')).toBe('null');
  expect(page.headers.get('sforce-numberofrecords')).toBe('10');
  const lines = page.text.split('\n');
  expect(lines[0]).toBe(
    '"Id","Timer_Key__c","Status__c","Escalated__c","Target_Minutes__c","Started_At__c","Policy__c","Lead__r.Email","Owner.Name"'
  );
  expect(lines[1]).toBe(`"${timerIds[0]}","q00","Running","false","0","2026-03-01T09:00:00.000Z","","q@example.com","Local Admin"`);
  const rows = parseCsv(page.text);
  expect(rows[4][3]).toBe('true');
  expect(rows[6][6]).toBe('Say "hi", then leave');
  expect(rows[7][7]).toBe('');
});

test('results page by Sforce-Locator and maxRecords; a locator can be read again; the default page is the org`s', async () => {
  const job = await api.query(soql);
  const seen: string[] = [];
  const locators: string[] = [];
  let locator: string | null = null;
  do {
    const r = await api.ok(api.call('GET', `/jobs/query/${job.id}/results?maxRecords=3${locator ? `&locator=${locator}` : ''}`));
    const rows = parseCsv(r.text);
    expect(rows[0][0]).toBe('Id');
    expect(r.headers.get('sforce-numberofrecords')).toBe(String(rows.length - 1));
    seen.push(...rows.slice(1).map((x) => x[1]));
    locator = r.headers.get('sforce-locator');
    if (locator !== 'null') locators.push(locator!);
  } while (locator !== 'null');
  expect(seen).toEqual(Array.from({ length: 10 }, (_, i) => `q${String(i).padStart(2, '0')}`));
  expect(locators).toEqual(['Mw', 'Ng', 'OQ']); // base64 of the next record's offset: 3, 6, 9
  const again = await api.ok(api.call('GET', `/jobs/query/${job.id}/results?locator=Ng&maxRecords=2`));
  expect(
    parseCsv(again.text)
      .slice(1)
      .map((x) => x[1])
  ).toEqual(['q06', 'q07']);
  expect(again.headers.get('sforce-locator')).toBe('OA');
  const first = await api.ok(api.call('GET', `/jobs/query/${job.id}/results`));
  expect([first.headers.get('sforce-numberofrecords'), first.headers.get('sforce-locator')]).toEqual(['4', 'NA']);

  for (const bad of ['locator=bm9wZQ', 'locator=!!', 'locator=MTE', 'maxRecords=0', 'maxRecords=many']) {
    const r = await api.call('GET', `/jobs/query/${job.id}/results?${bad}`);
    expect(r.status).toBe(400);
  }
});

test('queryAll includes deleted records, LIMIT and WHERE apply, a delimiter and line ending of the job shape the CSV', async () => {
  await org.conn.sobject('SLA_Timer__c').destroy(timerIds[9]);
  const live = await api.query("SELECT Timer_Key__c FROM SLA_Timer__c WHERE Timer_Key__c LIKE 'q%'");
  const all = await api.query("SELECT Timer_Key__c, IsDeleted FROM SLA_Timer__c WHERE Timer_Key__c LIKE 'q%'", 'queryAll');
  expect([live.numberRecordsProcessed, all.numberRecordsProcessed]).toEqual([9, 10]);
  const limited = await api.query("SELECT Timer_Key__c FROM SLA_Timer__c WHERE Status__c = 'Met' ORDER BY Timer_Key__c DESC LIMIT 2");
  expect(parseCsv((await api.ok(api.call('GET', `/jobs/query/${limited.id}/results`))).text).slice(1)).toEqual([['q07'], ['q05']]);

  const created = (
    await api.ok(
      api.call(
        'POST',
        '/jobs/query',
        JSON.stringify({
          operation: 'query',
          query: "SELECT Timer_Key__c, Policy__c FROM SLA_Timer__c WHERE Timer_Key__c = 'q05'",
          columnDelimiter: 'SEMICOLON',
          lineEnding: 'CRLF'
        })
      )
    )
  ).json<JobJson>();
  await api.waitFor('query', created.id);
  const text = (await api.ok(api.call('GET', `/jobs/query/${created.id}/results`))).text;
  expect(text).toBe('"Timer_Key__c";"Policy__c"\r\n"q05";"Say ""hi"", then leave"\r\n');
});

test('SOQL Bulk API 2.0 does not run is refused when the job is created; other errors are the REST query`s', async () => {
  const cases: Array<[string, string, string]> = [
    [
      'SELECT Id, (SELECT Id FROM Histories) FROM Lead',
      'FEATURENOTENABLED',
      'Aggregate Relationships not supported in Bulk V2 Query with CSV content type'
    ],
    ['SELECT COUNT() FROM Lead', 'FEATURENOTENABLED', 'Aggregate queries are not supported in Bulk V2 Query'],
    ['SELECT Status, COUNT(Id) FROM Lead GROUP BY Status', 'FEATURENOTENABLED', 'GROUP BY is not supported in Bulk V2 Query'],
    ['SELECT Id FROM Lead OFFSET 5', 'FEATURENOTENABLED', 'OFFSET is not supported in Bulk V2 Query']
  ];
  for (const [query, errorCode, message] of cases) {
    const r = await api.call('POST', '/jobs/query', JSON.stringify({ operation: 'query', query }));
    expect([r.status, r.json<Array<Record<string, string>>>()[0]]).toEqual([400, { errorCode, message }]);
  }
  for (const query of ['SELECT Shoe_Size__c FROM Lead', 'SELECT Id FROM Shoe__c', 'SELECT FROM Lead']) {
    const bulk = await api.call('POST', '/jobs/query', JSON.stringify({ operation: 'query', query }));
    const rest = (await org.conn.query(query).then(
      () => ({ errorCode: 'none', message: 'the query ran' }),
      (e: unknown) => e
    )) as { errorCode: string; message: string };
    expect(bulk.json<Array<Record<string, string>>>()[0]).toEqual({ errorCode: rest.errorCode, message: rest.message });
  }
  const noQuery = await api.call('POST', '/jobs/query', JSON.stringify({ operation: 'query' }));
  expect(noQuery.json<Array<Record<string, string>>>()[0].errorCode).toBe('INVALIDJOB');
  const badOp = await api.call('POST', '/jobs/query', JSON.stringify({ operation: 'insert', query: 'SELECT Id FROM Lead' }));
  expect(badOp.json<Array<Record<string, string>>>()[0].errorCode).toBe('JSON_PARSER_ERROR');
});

test('abort, results of a job that did not complete, delete, Get All Jobs and the daily query job count', async () => {
  const before = ((await org.conn.request(`/services/data/v${org.conn.version}/limits`)) as Record<string, { Remaining: number }>)
    .DailyBulkV2QueryJobs.Remaining;
  // the job runs in the background: abort it before it completes (another try in the unlikely case it was quicker)
  let created: JobJson | undefined;
  for (let attempt = 0; attempt < 5 && !created; attempt++) {
    const job = (await api.ok(api.call('POST', '/jobs/query', JSON.stringify({ operation: 'query', query: soql })))).json<JobJson>();
    const r = await api.call('PATCH', `/jobs/query/${job.id}`, JSON.stringify({ state: 'Aborted' }));
    if (r.status === 200) {
      expect(r.json<JobJson>().state).toBe('Aborted');
      created = job;
    } else {
      expect(r.json<Array<Record<string, string>>>()[0].message).toBe('Aborting already Completed Job not allowed');
      await api.call('DELETE', `/jobs/query/${job.id}`);
    }
  }
  if (!created) throw new Error('every query job completed before it could be aborted');
  const results = await api.call('GET', `/jobs/query/${created.id}/results`);
  expect([results.status, results.json<Array<Record<string, string>>>()[0]]).toEqual([
    412,
    {
      errorCode: 'JOB_NOT_COMPLETE',
      message: 'can only download query results of successfully completed bulk job with status: JOB_COMPLETE. Current status: ABORTED'
    }
  ]);
  const list = (await api.ok(api.call('GET', '/jobs/query'))).json<{ records: Array<Record<string, unknown>> }>();
  expect(list.records.find((r) => r.id === created.id)).toMatchObject({ jobType: 'V2Query', state: 'Aborted', object: 'SLA_Timer__c' });
  expect((await api.call('DELETE', `/jobs/query/${created.id}`)).status).toBe(204);
  expect((await api.call('GET', `/jobs/query/${created.id}`)).status).toBe(404);
  const after = ((await org.conn.request(`/services/data/v${org.conn.version}/limits`)) as Record<string, { Remaining: number }>)
    .DailyBulkV2QueryJobs.Remaining;
  expect(after).toBe(before); // a deleted job no longer counts
  const another = await api.query('SELECT Id FROM Lead');
  const counted = ((await org.conn.request(`/services/data/v${org.conn.version}/limits`)) as Record<string, { Remaining: number }>)
    .DailyBulkV2QueryJobs.Remaining;
  expect(counted).toBe(before - 1);
  expect((await api.call('PATCH', `/jobs/query/${another.id}`, JSON.stringify({ state: 'Aborted' }))).status).toBe(400);
});

test('results are kept in a file of the job beside the database: served in any slice, kept across a restart, gone with the job', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'closed-loop-bulk-'));
  const data = path.join(dir, 'org.db');
  // several pieces (a record a step), and values whose characters take 2 to 4 bytes: pages are cut by bytes
  const names = ['Ångström', 'Łódź', 'plain', '東京', 'emoji 🚀', 'Zoë, "quoted"', 'multi\nline', 'last'];
  try {
    let fileOrg = await startTestOrg({ data, bulk: { recordsPerBatch: 1 } });
    let fileApi = bulkApi(fileOrg);
    await fileOrg.conn.sobject('Lead').create(names.map((n, i) => ({ LastName: `${i} ${n}`, Company: 'Unicode Inc' })));
    const job = await fileApi.query("SELECT LastName FROM Lead WHERE Company = 'Unicode Inc' ORDER BY LastName");
    const file = path.join(`${data}-bulk`, `${job.id}.csv`);
    expect(fs.existsSync(file)).toBe(true);
    const pagesOf = async (api: ReturnType<typeof bulkApi>, size: number) => {
      const out: string[][] = [];
      let locator: string | null = null;
      do {
        const r = await api.ok(api.call('GET', `/jobs/query/${job.id}/results?maxRecords=${size}${locator ? `&locator=${locator}` : ''}`));
        out.push(
          parseCsv(r.text)
            .slice(1)
            .map((x) => x[0])
        );
        locator = r.headers.get('sforce-locator');
      } while (locator !== 'null');
      return out;
    };
    const expected = names.map((n, i) => `${i} ${n}`);
    expect((await pagesOf(fileApi, 3)).flat()).toEqual(expected);
    expect(await pagesOf(fileApi, 5)).toEqual([expected.slice(0, 5), expected.slice(5)]);
    await fileOrg.close();

    fileOrg = await startTestOrg({ data, bulk: { recordsPerBatch: 1 } });
    fileApi = bulkApi(fileOrg);
    try {
      expect((await pagesOf(fileApi, 2)).flat()).toEqual(expected);
      await fileApi.ok(fileApi.call('DELETE', `/jobs/query/${job.id}`), 204);
      expect(fs.existsSync(file)).toBe(false);
      // a file no job names (a job deleted from a copy of the database) is dropped when the org opens it
      fs.writeFileSync(path.join(`${data}-bulk`, '750Lo0000000zzzIAA.csv'), 'stray');
    } finally {
      await fileOrg.close();
    }
    fileOrg = await startTestOrg({ data });
    await fileOrg.close();
    expect(fs.readdirSync(`${data}-bulk`)).toEqual([]);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
