import * as fs from 'node:fs';
import * as path from 'node:path';
import { Connection, Date as SfDate, Schema } from 'jsforce';
import type { IngestJobV2Results } from 'jsforce/lib/api/bulk2';
import { startTestOrg, TestOrg } from '../testing';

/**
 * jsforce's own Bulk API 2.0 tests (jsforce/jsforce test/bulk2.test.ts, v3.10), ported to the local
 * org: the same calls through `conn.bulk2` and the same expectations, on our Account (the CSV
 * fixtures carry our Account's columns, with jsforce's upper-case headers and multi-line values).
 */

let org: TestOrg;
let conn: Connection;

beforeAll(async () => {
  org = await startTestOrg();
  conn = org.conn;
  conn.bulk2.pollInterval = 20;
  conn.bulk2.pollTimeout = 20000;
});
afterAll(() => org.close());

type Results = IngestJobV2Results<Schema>;

function ensureSuccessfulBulkResults(results: Results, qty: number, operation: string) {
  const { successfulResults, failedResults, unprocessedRecords } = results;
  expect(successfulResults).toHaveLength(qty);
  const created = ['insert', 'upsert'].includes(operation) ? 'true' : 'false';
  for (const r of successfulResults) {
    expect(typeof r.sf__Id).toBe('string');
    expect(r.sf__Created).toBe(created);
  }
  expect(failedResults).toEqual([]);
  expect(unprocessedRecords).toEqual([]);
}

async function insertAccounts(id: string | number, qty = 20): Promise<Results> {
  const res = await conn.bulk2.loadAndWaitForResults({
    object: 'Account',
    operation: 'insert',
    input: Array.from({ length: qty }, () => ({ Name: `Bulk Account ${id}` }))
  });
  ensureSuccessfulBulkResults(res, qty, 'insert');
  return res;
}

let seq = 0;
const uniqueId = () => `${Date.now()}-${seq++}`;

test('should bulk insert records and return result status', async () => {
  const id = uniqueId();
  const records = [
    ...Array.from({ length: 200 }, (_, i) => ({ Name: `Bulk Account ${id}`, NumberOfEmployees: 300 * (i + 1) })),
    { BillingState: 'CA' } // missing required field `Name`, will fail to insert
  ];
  const { successfulResults, failedResults, unprocessedRecords } = await conn.bulk2.loadAndWaitForResults({
    object: 'Account',
    operation: 'insert',
    input: records
  });
  expect(successfulResults).toHaveLength(200);
  for (const r of successfulResults) {
    expect(r.sf__Id).toMatch(/^001[A-Za-z0-9]{15}$/);
    expect(r.sf__Created).toBe('true');
  }
  expect(failedResults).toHaveLength(1);
  expect(failedResults[0].sf__Id).toBe('');
  expect(failedResults[0].sf__Error).toBe('REQUIRED_FIELD_MISSING:Required fields are missing: [Name]:Name --');
  expect(unprocessedRecords).toEqual([]);
});

test('should bulk update and return updated status', async () => {
  const id = uniqueId();
  await insertAccounts(id);
  const records = await conn
    .sobject('Account')
    .find({ Name: { $like: `Bulk Account ${id}%` } }, ['Id', 'Name'])
    .execute();
  const res = await conn.bulk2.loadAndWaitForResults({
    object: 'Account',
    operation: 'update',
    input: records.map((rec) => ({ ...rec, Name: `${rec.Name as string} (Updated)` }))
  });
  ensureSuccessfulBulkResults(res, 20, 'update');
  const after = await conn.query<{ Name: string }>(`SELECT Name FROM Account WHERE Name LIKE 'Bulk Account ${id}%'`);
  expect(after.records.every((r) => r.Name.endsWith('(Updated)'))).toBe(true);
});

test('should bulk update with empty input and not raise client input error', async () => {
  const res = await conn.bulk2.loadAndWaitForResults({ operation: 'insert', object: 'Account', input: [] });
  expect(res).toEqual({ successfulResults: [], failedResults: [], unprocessedRecords: [] });
});

test('should bulk delete and return deleted status', async () => {
  const id = uniqueId();
  await insertAccounts(id);
  const records = await conn
    .sobject('Account')
    .find({ Name: { $like: `Bulk Account ${id}%` } })
    .execute();
  const res = await conn.bulk2.loadAndWaitForResults({ object: 'Account', operation: 'delete', input: records });
  ensureSuccessfulBulkResults(res, 20, 'delete');
  expect((await conn.query(`SELECT Id FROM Account WHERE Name LIKE 'Bulk Account ${id}%'`)).totalSize).toBe(0);
});

test('should bulk delete with empty input and not raise client input error', async () => {
  const res = await conn.bulk2.loadAndWaitForResults({ operation: 'delete', object: 'Account', input: [] });
  expect(res).toEqual({ successfulResults: [], failedResults: [], unprocessedRecords: [] });
});

test.each(['LF', 'CRLF'] as const)('should bulk insert from file (%s line endings) and return inserted results', async (lineEnding) => {
  let text = fs.readFileSync(path.join(__dirname, 'data', 'accounts_bulk2.csv'), 'utf8');
  // a CRLF file: rows end with CRLF; the line breaks inside quoted values stay as they are
  if (lineEnding === 'CRLF') text = text.replace(/\n(?!Suite)/g, '\r\n');
  const file = path.join(org.connectionFile, '..', `accounts-${lineEnding}.csv`);
  fs.writeFileSync(file, text);
  const res = await conn.bulk2.loadAndWaitForResults({
    lineEnding,
    object: 'Account',
    operation: 'insert',
    input: fs.createReadStream(file)
  });
  try {
    ensureSuccessfulBulkResults(res, 100, 'insert');
    const third = res.successfulResults.find((r) => (r as Record<string, unknown>).NAME === 'Bulk Account from CSV (bulk2) - #3')!;
    const rec = (await conn.sobject('Account').retrieve(third.sf__Id)) as Record<string, unknown>;
    expect(rec).toMatchObject({
      BillingStreet: '103 Shoreline Park\nSuite 3',
      NumberOfEmployees: 30,
      AnnualRevenue: 30000,
      Type: 'Channel Partner / Reseller'
    });
  } finally {
    await conn.bulk2.loadAndWaitForResults({
      object: 'Account',
      operation: 'delete',
      input: res.successfulResults.map((r) => ({ Id: r.sf__Id }))
    });
  }
});

test('should bulk upsert from CSV file using backquote as a delimiter', async () => {
  const res = await conn.bulk2.loadAndWaitForResults({
    object: 'Account',
    operation: 'upsert',
    columnDelimiter: 'BACKQUOTE',
    externalIdFieldName: 'Id',
    lineEnding: 'LF',
    input: fs.createReadStream(path.join(__dirname, 'data', 'accounts_bulk2_backquote.csv'))
  });
  ensureSuccessfulBulkResults(res, 10, 'upsert');
  expect(res.successfulResults.map((r) => (r as Record<string, unknown>).NAME)).toContain('account #9');
});

test('should bulk query and get records', async () => {
  const count = await conn.sobject('Account').count({});
  expect(count).toBeGreaterThan(0);
  const records: Array<Record<string, unknown>> = [];
  const stream = await conn.bulk2.query('SELECT Id, Name FROM Account');
  await new Promise<void>((resolve, reject) => {
    stream
      .on('record', (data: Record<string, unknown>) => records.push(data))
      .on('end', () => resolve())
      .on('error', reject);
  });
  expect(records).toHaveLength(count);
  for (const rec of records) {
    expect(typeof rec.Id).toBe('string');
    expect(typeof rec.Name).toBe('string');
  }
});

test('should call bulk api from invalid session conn with refresh fn, and return result', async () => {
  const accounts = Array.from({ length: 100 }, (_, i) => ({ Name: `Session Expiry Test #${i}` }));
  const bulkInsert = await conn.bulk2.loadAndWaitForResults({ operation: 'insert', object: 'Account', input: accounts });
  let refreshCalled = false;
  const conn2 = new Connection({
    instanceUrl: conn.instanceUrl,
    accessToken: 'invalid_token',
    version: conn.version,
    refreshFn: (_c, callback) => {
      refreshCalled = true;
      setTimeout(() => callback(null, conn.accessToken ?? undefined), 50);
    }
  });
  conn2.bulk2.pollInterval = 20;
  const bulkDelete = await conn2.bulk2.loadAndWaitForResults({
    operation: 'delete',
    object: 'Account',
    input: bulkInsert.successfulResults.map((r) => ({ Id: r.sf__Id }))
  });
  expect(refreshCalled).toBe(true);
  ensureSuccessfulBulkResults(bulkDelete, 100, 'delete');
});

test('should call bulk api from invalid session conn without refresh fn, and raise error', async () => {
  const conn3 = new Connection({ instanceUrl: conn.instanceUrl, accessToken: 'invalid_token', version: conn.version });
  await expect(
    conn3.bulk2.loadAndWaitForResults({ object: 'Account', operation: 'insert', input: [{ Name: 'Impossible Bulk Account #1' }] })
  ).rejects.toMatchObject({ name: 'INVALID_SESSION_ID' });
});

// more than 200 records: Query#update and Query#destroy go through Bulk API 2.0 rather than sObject collections
const bulkAccountNum = 250;
const smallAccountNum = 20;

test('should bulk update using Query#update and return updated status', async () => {
  const id = uniqueId();
  const res = await conn.bulk2.loadAndWaitForResults({
    object: 'Account',
    operation: 'insert',
    input: Array.from({ length: bulkAccountNum }, (_, i) => ({
      Name: `Bulk Account ${id} #${i + 1}`,
      BillingState: 'CA',
      NumberOfEmployees: 300 * (i + 1)
    }))
  });
  ensureSuccessfulBulkResults(res, bulkAccountNum, 'insert');
  const rets = await conn
    .sobject('Account')
    .find({ Name: { $like: `Bulk Account ${id}%` } })
    .update({ Name: '${Name} (Updated)', BillingState: null }, { bulkApiVersion: 2 });
  expect(rets).toHaveLength(bulkAccountNum);
  for (const ret of rets) expect(ret).toMatchObject({ success: true, id: expect.any(String) });
  const updated = await conn
    .sobject('Account')
    .find<{ Id: string; Name: string; BillingState: string | null }>({ Name: { $like: `Bulk Account ${id}%` } }, 'Id, Name, BillingState');
  expect(updated).toHaveLength(bulkAccountNum);
  for (const record of updated) {
    expect(record.Name.endsWith('(Updated)')).toBe(true);
    expect(record.BillingState).toBeNull();
  }
});

test('should bulk update using Query#update with unmatching query and return empty array records', async () => {
  const rets = await conn
    .sobject('Account')
    .find({ CreatedDate: { $lt: new SfDate('1970-01-01T00:00:00Z') } })
    .update({ Name: '${Name} (Updated)', BillingState: null }, { bulkApiVersion: 2 });
  expect(rets).toEqual([]);
});

test('should bulk delete using Query#destroy and return deleted status', async () => {
  const id = uniqueId();
  await insertAccounts(id, bulkAccountNum);
  const rets = await conn
    .sobject('Account')
    .find({ Name: { $like: `Bulk Account ${id}%` } })
    .destroy({ bulkApiVersion: 2 });
  expect(rets).toHaveLength(bulkAccountNum);
  for (const ret of rets) expect(ret).toMatchObject({ success: true, id: expect.any(String) });
});

test('should bulk delete using Query#destroy with unmatching query and return empty array records', async () => {
  const rets = await conn
    .sobject('Account')
    .find({ CreatedDate: { $lt: new SfDate('1970-01-01T00:00:00Z') } })
    .destroy({ bulkApiVersion: 2 });
  expect(rets).toEqual([]);
});

test('should bulk update using Query#update with bulkThreshold modified and return updated status', async () => {
  const id = uniqueId();
  const res = await conn.bulk2.loadAndWaitForResults({
    object: 'Account',
    operation: 'insert',
    input: Array.from({ length: smallAccountNum }, (_, i) => ({
      Name: `Bulk Account ${id} #${i + 1}`,
      BillingState: 'CA',
      NumberOfEmployees: 300 * (i + 1)
    }))
  });
  ensureSuccessfulBulkResults(res, smallAccountNum, 'insert');
  const rets = await conn
    .sobject('Account')
    .find({ Name: { $like: `Bulk Account ${id}%` } })
    .update({ Name: '${Name} (Updated)', BillingState: null }, { bulkThreshold: 0, bulkApiVersion: 2 });
  expect(rets).toHaveLength(smallAccountNum);
  for (const ret of rets) expect(ret).toMatchObject({ success: true, id: expect.any(String) });
  const updated = await conn
    .sobject('Account')
    .find<{ Name: string; BillingState: string | null }>({ Name: { $like: `Bulk Account ${id}%` } }, 'Id, Name, BillingState');
  for (const record of updated) {
    expect(record.Name.endsWith('(Updated)')).toBe(true);
    expect(record.BillingState).toBeNull();
  }
});

test('should bulk delete using Query#destroy with bulkThreshold modified and return deleted status', async () => {
  const id = uniqueId();
  await insertAccounts(id, smallAccountNum);
  const rets = await conn
    .sobject('Account')
    .find({ Name: { $like: `Bulk Account ${id}%` } })
    .destroy({ bulkThreshold: 0, bulkApiVersion: 2 });
  expect(rets).toHaveLength(smallAccountNum);
  for (const ret of rets) expect(ret).toMatchObject({ success: true, id: expect.any(String) });
});
