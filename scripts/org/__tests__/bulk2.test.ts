import { startTestOrg, TestOrg } from '../../localorg/testing';
import { Bulk2JobError, ingest, IngestJobResults, queryPages, queryRecords } from '../bulk2';

/**
 * The client side of Bulk API 2.0 against the local org: query results over several locator pages
 * (where jsforce's own `bulk2.query()` fails with "write after end", jsforce #1546/#1693), and ingest
 * from an async iterable over several jobs, with their results and failures.
 */

let org: TestOrg;

beforeAll(async () => {
  // small result pages and chunks, so a few records make several pages and chunks
  org = await startTestOrg({ bulk: { resultPageSize: 3, recordsPerBatch: 4 } });
});
afterAll(() => org.close());

async function* leads(n: number, company: string): AsyncGenerator<Record<string, unknown>> {
  for (let i = 0; i < n; i++) {
    await Promise.resolve();
    yield {
      LastName: `Lead ${i}`,
      Company: company,
      AnnualRevenue: i * 1000,
      Needs_Dedupe__c: i % 2 === 0,
      Title: i === 3 ? null : 'CMO, "Acme"'
    };
  }
}

test('ingest: an async iterable of records in jobs of bounded size, with each job`s results', async () => {
  const results: IngestJobResults[] = [];
  const summary = await ingest(org.conn, leads(11, 'Pages Inc'), {
    object: 'Lead',
    operation: 'insert',
    maxRecordsPerJob: 5,
    maxPollInterval: 50,
    onResults: (r) => {
      results.push(r);
    }
  });
  expect(summary).toMatchObject({ processed: 11, failed: 0, failures: [] });
  expect(summary.jobIds).toHaveLength(3);
  // each job's results as it ends: two jobs are in the org at a time
  results.sort((a, b) => a.first - b.first);
  expect(results.map((r) => [r.first, r.records, r.processed, r.successful?.length])).toEqual([
    [0, 5, 5, 5],
    [5, 5, 5, 5],
    [10, 1, 1, 1]
  ]);
  expect(results[0].successful?.[3]).toMatchObject({ sf__Created: 'true', LastName: 'Lead 3', Title: '#N/A' });
  const saved = await org.conn.query<{ Title: string | null; AnnualRevenue: number; Needs_Dedupe__c: boolean }>(
    "SELECT Title, AnnualRevenue, Needs_Dedupe__c FROM Lead WHERE Company = 'Pages Inc' ORDER BY AnnualRevenue"
  );
  expect(saved.totalSize).toBe(11);
  expect(saved.records[2]).toMatchObject({ Title: 'CMO, "Acme"', AnnualRevenue: 2000, Needs_Dedupe__c: true });
  expect(saved.records[3].Title).toBeNull();
});

test('ingest: records and upload rows make the same jobs, split by records and by CSV bytes alike', async () => {
  const fields = ['LastName', 'Company', 'Title'];
  const texts = Array.from({ length: 8 }, (_, i) => [`Split ${i}`, 'Split Inc', i === 2 ? 'x'.repeat(60) : 'CMO, "Acme"']);
  const header = 'LastName,Company,Title\n';
  const row = (i: number) => texts[i].map((t) => (/[",\n]/.test(t) ? `"${t.replace(/"/g, '""')}"` : t)).join(',').length + 1;
  // jobs [0, 1] and [2, 3] end where the next row would pass the byte limit, [4, 5, 6] at the record limit, then [7]
  const limits = { maxRecordsPerJob: 3, maxBytesPerJob: header.length + row(0) + row(1) + row(2) - 1 };
  const jobsOf = async (records: Parameters<typeof ingest>[1]) => {
    const results: IngestJobResults[] = [];
    const summary = await ingest(org.conn, records, {
      object: 'Lead',
      operation: 'insert',
      ...limits,
      maxPollInterval: 50,
      onResults: (r) => {
        results.push(r);
      }
    });
    expect(summary).toMatchObject({ processed: 8, failed: 0 });
    return results.map((r) => [r.first, r.records]).sort((a, b) => a[0] - b[0]);
  };
  const records = texts.map((t) => Object.fromEntries(fields.map((f, i) => [f, t[i]])));
  const rows = { fields, length: texts.length, uploadTexts: (i: number) => texts[i] };
  const expected = [
    [0, 2],
    [2, 2],
    [4, 3],
    [7, 1]
  ];
  expect(await jobsOf(records)).toEqual(expected);
  expect(await jobsOf(rows)).toEqual(expected);
  const saved = await org.conn.query<{ Title: string }>("SELECT Title FROM Lead WHERE Company = 'Split Inc' AND LastName = 'Split 0'");
  expect(saved.records.map((r) => r.Title)).toEqual(['CMO, "Acme"', 'CMO, "Acme"']);
});

test('queryPages reads a result of several locator pages one page at a time, and deletes the job', async () => {
  const pages: Array<Array<Record<string, string>>> = [];
  for await (const page of queryPages(
    org.conn,
    "SELECT Id, LastName, Owner.Name FROM Lead WHERE Company = 'Pages Inc' ORDER BY AnnualRevenue",
    {
      pageSize: 4,
      maxPollInterval: 50
    }
  )) {
    pages.push(page);
  }
  expect(pages.map((p) => p.length)).toEqual([4, 4, 3]);
  expect(pages[0][0]).toEqual({ Id: expect.stringMatching(/^00Q/), LastName: 'Lead 0', 'Owner.Name': 'Local Admin' });
  const jobs = (await org.conn.request(`/services/data/v${org.conn.version}/jobs/query`)) as { records: unknown[] };
  expect(jobs.records).toEqual([]);

  // the org's default page (3 here) when no size is given
  const names: string[] = [];
  for await (const r of queryRecords(org.conn, "SELECT LastName FROM Lead WHERE Company = 'Pages Inc' ORDER BY AnnualRevenue", {
    maxPollInterval: 50
  })) {
    names.push(r.LastName);
  }
  expect(names).toEqual(Array.from({ length: 11 }, (_, i) => `Lead ${i}`));
});

test('queryPages with chunkSize hands each result page over in parts of that many records, the same records in order', async () => {
  const soqlText = "SELECT Id, LastName FROM Lead WHERE Company = 'Pages Inc' ORDER BY AnnualRevenue";
  const read = async (chunkSize?: number) => {
    const out: Array<Array<Record<string, string>>> = [];
    for await (const page of queryPages(org.conn, soqlText, { pageSize: 5, maxPollInterval: 50, ...(chunkSize ? { chunkSize } : {}) })) {
      out.push(page);
    }
    return out;
  };
  const whole = await read();
  const parts = await read(2);
  // result pages of 5, 5 and 1 records, each handed over 2 at a time
  expect(whole.map((p) => p.length)).toEqual([5, 5, 1]);
  expect(parts.map((p) => p.length)).toEqual([2, 2, 1, 2, 2, 1, 1]);
  expect(parts.flat().map((r) => r.LastName)).toEqual(whole.flat().map((r) => r.LastName));
});

test('ingest: updates, upserts and hardDeletes; refused rows are counted and the first kept', async () => {
  const ids: string[] = [];
  for await (const page of queryPages(org.conn, "SELECT Id FROM Lead WHERE Company = 'Pages Inc'", { maxPollInterval: 50 })) {
    ids.push(...page.map((r) => r.Id));
  }
  const update = await ingest(
    org.conn,
    ids.map((Id, i) => ({ Id, Status: i === 0 ? 'Nonsense' : 'Marketing Qualified' })),
    { object: 'Lead', operation: 'update', maxPollInterval: 50 }
  );
  expect(update).toMatchObject({ processed: 11, failed: 1 });
  expect(update.failures).toEqual([
    {
      error: 'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST:Status: bad value for restricted picklist field: Nonsense:Status --',
      row: { Id: ids[0], Status: 'Nonsense' }
    }
  ]);

  const upsert = await ingest(
    org.conn,
    [
      { Timer_Key__c: 'client-1', Status__c: 'Running' },
      { Timer_Key__c: 'client-2', Status__c: 'Met' }
    ],
    { object: 'SLA_Timer__c', operation: 'upsert', externalIdFieldName: 'Timer_Key__c', maxPollInterval: 50 }
  );
  expect(upsert).toMatchObject({ processed: 2, failed: 0 });

  const removed = await ingest(
    org.conn,
    ids.map((Id) => ({ Id, LastName: 'ignored for deletes' })),
    { object: 'Lead', operation: 'hardDelete', maxPollInterval: 50 }
  );
  expect(removed).toMatchObject({ processed: 11, failed: 0 });
  expect((await org.conn.query("SELECT Id FROM Lead WHERE Company = 'Pages Inc'", { scanAll: true })).totalSize).toBe(0);
});

test('ingest: a job the org fails is a Bulk2JobError with its message; a record with another field is refused before upload', async () => {
  const error = await ingest(org.conn, [{ LastName: 'X', Company: 'Y', Shoe_Size__c: 42 }], {
    object: 'Lead',
    operation: 'insert',
    maxPollInterval: 50
  }).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(Bulk2JobError);
  expect(error).toMatchObject({ state: 'Failed', message: expect.stringContaining('InvalidBatch : Field name not found : Shoe_Size__c') });

  await expect(
    ingest(
      org.conn,
      [
        { LastName: 'A', Company: 'B' },
        { LastName: 'C', Company: 'D', Title: 'E' }
      ],
      { object: 'Lead', operation: 'insert' }
    )
  ).rejects.toThrow("record 2 has the field Title, which is not one of the upload's columns (LastName, Company)");
  await expect(ingest(org.conn, [{ LastName: { first: 'A' } }], { object: 'Lead', operation: 'insert' })).rejects.toThrow(TypeError);
});
