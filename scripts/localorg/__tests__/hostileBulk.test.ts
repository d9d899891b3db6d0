import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { startTestOrg, TestOrg } from '../testing';
import { bulkApi, JobJson, parseCsv } from './bulkApi';
import { badCsvUpload, BulkBadRequest, bulkRequest, BulkFixture, CSV_JOBS } from './hostile/bulkRequests';

/**
 * The hostile-input suite for Bulk API 2.0 (hostile/bulkRequests.ts makes the requests): bad job
 * definitions, uploads a job does not take, state changes it refuses, ids, locators and page sizes
 * that name nothing, sent over HTTP to a running local org. After each: not a 5xx, no server log, the
 * Bulk API's error shape (`[{errorCode, message}]`), nothing written unless the request succeeded
 * (PRAGMA data_version from a second connection), the server still serving. Bad CSV goes to jobs the
 * org accepts: each job ends JobComplete or Failed, its result files add up, and the records it
 * wrote are exactly its successful rows (a failed row writes nothing). The fixture jobs come out as
 * they went in.
 *
 * `npm test` runs a fixed seed and bounded runs; `npm run fuzz` longer (FUZZ_SEED, FUZZ_RUNS), as hostile.test.ts.
 */
const LONG = process.env.npm_lifecycle_event === 'fuzz';
const RUNS = Number(process.env.FUZZ_RUNS ?? (LONG ? 1500 : 80));
const CSV_RUNS = LONG ? RUNS : Math.max(24, Math.round(RUNS / 3));
const SEED = Number(process.env.FUZZ_SEED ?? (LONG ? Date.now() % 2 ** 31 : 20_260_301));
/** Distinct bad bulk requests a bounded run must send. */
const MIN_DISTINCT = 60;

jest.setTimeout(LONG ? 0 : 180_000);

let org: TestOrg;
let api: ReturnType<typeof bulkApi>;
let fixture: BulkFixture;
/** The fixture jobs' info and results as they were before the suite. */
let snapshot: string;
const distinct = new Set<string>();
const statuses = new Map<number, number>();
/** How the bad CSV jobs ended (refused at upload, Failed, JobComplete with or without failed rows). */
const endings = new Map<string, number>();
const tally = (ending: string) => endings.set(ending, (endings.get(ending) ?? 0) + 1);

beforeAll(async () => {
  org = await startTestOrg({ onDisk: true, bulk: { resultPageSize: 3 } });
  api = bulkApi(org);
  const lead = await org.conn.sobject('Lead').create({ LastName: 'Hostile', Company: 'Fixture' });
  const account = await org.conn.sobject('Account').create({ Name: 'Hostile Fixture' });
  await org.conn.sobject('SLA_Timer__c').upsert({ Timer_Key__c: 'hostile:fixture', Status__c: 'Running' }, 'Timer_Key__c');
  const open = await api.createIngest({ object: 'Lead', operation: 'insert' });
  const done = await api.ingest({ object: 'Lead', operation: 'insert' }, 'LastName,Company\nOne,A\n,No Last Name\nThree,C\n');
  expect(done).toMatchObject({ state: 'JobComplete', numberRecordsProcessed: 3, numberRecordsFailed: 1 });
  const query = await api.query('SELECT Id, LastName FROM Lead ORDER BY LastName');
  expect(query).toMatchObject({ state: 'JobComplete', numberRecordsProcessed: 3 });
  fixture = {
    token: org.accessToken,
    leadId: lead.id!,
    accountId: account.id!,
    timerKey: 'hostile:fixture',
    openIngestJobId: open.id,
    doneIngestJobId: done.id,
    doneQueryJobId: query.id
  };
  snapshot = await fixtureState();
  console.log(
    `hostile bulk suite: seed ${SEED}, ${RUNS} requests, ${CSV_RUNS} bad CSV uploads (replay: FUZZ_SEED=${SEED} FUZZ_RUNS=${RUNS} npm run fuzz)`
  );
});
afterAll(() => org.close());

/** The fixture jobs as a client sees them: states, counts and every results file (times left out). */
async function fixtureState(): Promise<string> {
  const info = async (kind: string, id: string) => {
    const j = (await api.ok(api.call('GET', `/jobs/${kind}/${id}`))).json<JobJson>();
    return [j.state, j.numberRecordsProcessed, j.numberRecordsFailed];
  };
  return JSON.stringify([
    await info('ingest', fixture.openIngestJobId),
    await info('ingest', fixture.doneIngestJobId),
    await info('query', fixture.doneQueryJobId),
    await api.results(fixture.doneIngestJobId, 'successfulResults'),
    await api.results(fixture.doneIngestJobId, 'failedResults'),
    await api.results(fixture.doneIngestJobId, 'unprocessedrecords'),
    (await api.ok(api.call('GET', `/jobs/query/${fixture.doneQueryJobId}/results?maxRecords=2`))).text,
    (await api.ok(api.call('GET', `/jobs/query/${fixture.doneQueryJobId}/results`))).text
  ]);
}

/** Waits until no ingest or query job is waiting or running (a job a request made must not write during the next probe). */
async function settled(): Promise<void> {
  for (let i = 0; i < 3000; i++) {
    let busy = false;
    for (const kind of ['ingest', 'query']) {
      const list = (await api.ok(api.call('GET', `/jobs/${kind}`))).json<{ records: JobJson[] }>();
      busy ||= list.records.some((j) => j.state === 'UploadComplete' || j.state === 'InProgress');
    }
    if (!busy) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error('a job did not finish');
}

function isBulkErrorList(body: unknown): boolean {
  return (
    Array.isArray(body) &&
    body.length > 0 &&
    body.every(
      (e: Record<string, unknown>) =>
        typeof e === 'object' && e !== null && typeof e.message === 'string' && typeof e.errorCode === 'string' && e.errorCode !== ''
    )
  );
}

async function stillServing(what: string): Promise<void> {
  const alive = await fetch(`${org.instanceUrl}/services/data/v64.0/limits`, { headers: { Authorization: `Bearer ${org.accessToken}` } });
  expect([what, alive.status]).toEqual([what, 200]);
}

async function probe(r: BulkBadRequest): Promise<void> {
  const before = org.dataVersion();
  let res: Response;
  try {
    res = await fetch(`${org.instanceUrl}${r.path}`, { method: r.method, headers: r.headers, body: r.body });
  } catch (e) {
    if (e instanceof TypeError && !/fetch failed/.test(e.message)) return; // a request fetch itself will not send
    throw e;
  }
  const text = await res.text();
  const contentType = res.headers.get('content-type') ?? '';
  distinct.add(
    createHash('sha1')
      .update(JSON.stringify([r.method, r.path, r.headers, r.body]))
      .digest('hex')
  );
  statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
  const what = `${r.method} ${r.path.slice(0, 200)} ${String(r.body ?? '').slice(0, 120)} → ${res.status} ${text.slice(0, 300)}`;

  expect([what, res.status < 500]).toEqual([what, true]);
  expect(org.serverLog).toEqual([]);
  if (res.status >= 400) {
    // every refusal is JSON in the Bulk API's shape
    expect([what, contentType]).toEqual([what, expect.stringMatching(/^application\/json/)]);
    expect([what, isBulkErrorList(JSON.parse(text))]).toEqual([what, true]);
  } else if (text !== '') expect([what, contentType !== '']).toEqual([what, true]);

  if (res.status >= 300 || r.method === 'GET') expect([what, org.dataVersion()]).toEqual([what, before]);
  else await settled(); // a request that made or closed a job: its work is done before the next one
  await stillServing(what);
}

test('bad Bulk API 2.0 requests: no 5xx, no dead server, no write on failure, errors in the Bulk API shape', async () => {
  await fc.assert(
    fc.asyncProperty(bulkRequest(fixture), (r) => probe(r)),
    { numRuns: RUNS, seed: SEED, endOnFailure: true }
  );
});

const countOf = async (object: string) => (await org.conn.query(`SELECT COUNT() FROM ${object}`)).totalSize;

test('bad CSV to jobs the org accepts: each job ends JobComplete or Failed, its results add up, and only its successful rows are written', async () => {
  await fc.assert(
    fc.asyncProperty(fc.constantFrom(...CSV_JOBS), badCsvUpload, async (definition, data) => {
      const counted = definition.object;
      const before = await countOf(counted);
      const job = await api.createIngest(definition);
      const put = await fetch(`${org.instanceUrl}/services/data/v64.0/jobs/ingest/${job.id}/batches`, {
        method: 'PUT',
        headers: { Authorization: `Bearer ${org.accessToken}`, 'content-type': 'text/csv' },
        body: Buffer.from(data)
      });
      const putText = await put.text();
      const what = `${JSON.stringify(definition)} ${Buffer.from(data).toString('utf8').slice(0, 200)} → ${put.status} ${putText.slice(0, 300)}`;
      distinct.add(createHash('sha1').update(JSON.stringify(definition)).update(data).digest('hex'));
      expect([what, put.status < 500]).toEqual([what, true]);
      if (put.status >= 400) {
        // refused at upload: JSON in the Bulk API's shape, and the job is still Open to take other data
        expect([what, isBulkErrorList(JSON.parse(putText))]).toEqual([what, true]);
        expect((await api.ok(api.call('GET', `/jobs/ingest/${job.id}`))).json<JobJson>().state).toBe('Open');
        await api.ok(api.call('PATCH', `/jobs/ingest/${job.id}`, JSON.stringify({ state: 'Aborted' })));
        tally(`upload ${put.status} ${JSON.parse(putText)[0].errorCode}`);
        expect(await countOf(counted)).toBe(before);
        return;
      }
      const closed = await api.call('PATCH', `/jobs/ingest/${job.id}`, JSON.stringify({ state: 'UploadComplete' }));
      expect([what, closed.status]).toEqual([what, 200]);
      const end = await api.waitFor('ingest', job.id);
      expect([what, end.state]).toEqual([what, expect.stringMatching(/^(JobComplete|Failed)$/)]);
      if (end.state === 'Failed') expect([what, typeof end.errorMessage]).toEqual([what, 'string']);
      tally(
        end.state === 'Failed'
          ? `Failed ${String(end.errorMessage).split(' ')[0]}`
          : `JobComplete ${end.numberRecordsFailed ? 'with' : 'without'} failed rows`
      );
      const delim = { PIPE: '|', COMMA: ',' }[definition.columnDelimiter ?? 'COMMA'] ?? ',';
      const rows = async (which: 'successfulResults' | 'failedResults' | 'unprocessedrecords') => {
        const reply = await api.call('GET', `/jobs/ingest/${job.id}/${which}`);
        expect([what, which, reply.status]).toEqual([what, which, 200]);
        const [header, ...body] = parseCsv(reply.text, delim);
        return { header: header ?? [], body };
      };
      const ok = await rows('successfulResults');
      const failed = await rows('failedResults');
      expect(failed.body.every((row) => row[failed.header.indexOf('sf__Error')] !== '')).toBe(true);
      if (end.state === 'JobComplete') {
        expect([what, ok.body.length + failed.body.length]).toEqual([what, end.numberRecordsProcessed]);
        expect([what, failed.body.length]).toEqual([what, end.numberRecordsFailed]);
      }
      // a failed row writes nothing: the object changed by exactly the rows reported created (or deleted)
      const created = ok.body.filter((row) => row[ok.header.indexOf('sf__Created')] === 'true').length;
      const change = definition.operation === 'delete' ? 0 - ok.body.length || 0 : created;
      expect([what, (await countOf(counted)) - before]).toEqual([what, change]);
      expect(org.serverLog).toEqual([]);
    }),
    { numRuns: CSV_RUNS, seed: SEED, endOnFailure: true }
  );
});

test(`the fixture jobs are unchanged, and the run sent at least ${MIN_DISTINCT} distinct bad requests, none answered 5xx`, async () => {
  expect(await fixtureState()).toBe(snapshot);
  console.log(
    `hostile bulk suite: ${distinct.size} distinct requests; statuses ${JSON.stringify(Object.fromEntries(statuses))}; bad CSV ${JSON.stringify(Object.fromEntries(endings))}`
  );
  expect(distinct.size).toBeGreaterThanOrEqual(MIN_DISTINCT);
  expect([...statuses.keys()].filter((s) => s >= 500)).toEqual([]);
});
