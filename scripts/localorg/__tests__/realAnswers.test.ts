import type { Connection } from 'jsforce';
import { startTestOrg, TestOrg } from '../testing';

/**
 * Inputs the local org used to accept silently or crash on, each answered as a real org answers
 * (the REST API, SOQL and Jackson references are cited where the rule lives in the code).
 */
let org: TestOrg;
let conn: Connection;
let auth: Record<string, string>;
let base: string;

beforeAll(async () => {
  org = await startTestOrg({ onDisk: true });
  conn = org.conn;
  auth = { Authorization: `Bearer ${org.accessToken}`, 'content-type': 'application/json' };
  base = `${org.instanceUrl}/services/data/v64.0`;
});
afterAll(() => org.close());

interface SfError {
  message: string;
  errorCode: string;
  fields?: string[];
}
interface SaveResult {
  id: string | null;
  success: boolean;
  errors: Array<{ statusCode: string; message: string; fields: string[] }>;
  created?: boolean;
}

async function call(method: string, path: string, body?: unknown): Promise<{ status: number; body: unknown }> {
  const res = await fetch(`${base}${path}`, { method, headers: auth, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await res.text();
  return { status: res.status, body: text ? (JSON.parse(text) as unknown) : undefined };
}

async function leadCount(): Promise<number> {
  return (await conn.query('SELECT COUNT() FROM Lead')).totalSize;
}

test('2026-02-30 in a datetime or date field is refused on every write path, not stored as March 2', async () => {
  const leadId = (await conn.sobject('Lead').create({ LastName: 'Calendar', Company: 'Dates' })).id!;
  const before = org.dataVersion();
  const attempts: Array<[string, string, unknown]> = [
    ['POST', '/sobjects/Lead', { LastName: 'Impossible', Company: 'Dates', ConvertedDate: '2026-02-30' }],
    ['PATCH', `/sobjects/Lead/${leadId}`, { ConvertedDate: '2026-02-30' }],
    ['POST', '/sobjects/Task', { Subject: 'Call', WhoId: leadId, ActivityDate: '2026-02-30' }],
    ['POST', '/sobjects/Event', { Subject: 'Meet', WhoId: leadId, StartDateTime: '2026-02-30T10:00:00Z', DurationInMinutes: 30 }],
    ['PATCH', '/sobjects/SLA_Timer__c/Timer_Key__c/feb30', { Status__c: 'Running', Started_At__c: '2026-02-30T09:00:00.000+0000' }],
    [
      'POST',
      '/ui-api/records',
      { apiName: 'Event', fields: { Subject: 'Meet', StartDateTime: '2026-02-30T10:00:00.000Z', DurationInMinutes: 5 } }
    ],
    [
      'POST',
      '/composite/sobjects',
      {
        allOrNone: true,
        records: [{ attributes: { type: 'Event' }, Subject: 'x', StartDateTime: '2026-02-30T10:00:00Z', DurationInMinutes: 5 }]
      }
    ]
  ];
  for (const [method, path, body] of attempts) {
    const res = await call(method, path, body);
    const errors = res.status === 200 ? (res.body as SaveResult[]).flatMap((r) => r.errors.map((e) => e.statusCode)) : undefined;
    if (errors) expect(errors).toEqual(['INVALID_TYPE_ON_FIELD_IN_RECORD']);
    else {
      expect(res.status).toBe(400);
      expect((res.body as SfError[])[0].errorCode).toBe('INVALID_TYPE_ON_FIELD_IN_RECORD');
    }
  }
  expect(org.dataVersion()).toBe(before);
});

test('"allOrNone": "true" as a string rolls the whole call back, as true does; other non-booleans are refused', async () => {
  const count = await leadCount();
  const version = org.dataVersion();
  const records = [
    { attributes: { type: 'Lead' }, LastName: 'One', Company: 'A' },
    { attributes: { type: 'Lead' }, LastName: 'Two' },
    { attributes: { type: 'Lead' }, LastName: 'Three', Company: 'C' }
  ];
  const res = await call('POST', '/composite/sobjects', { allOrNone: 'true', records });
  expect(res.status).toBe(200);
  const results = res.body as SaveResult[];
  expect(results.map((r) => r.success)).toEqual([false, false, false]);
  expect(results.map((r) => r.errors[0].statusCode)).toEqual([
    'ALL_OR_NONE_OPERATION_ROLLED_BACK',
    'REQUIRED_FIELD_MISSING',
    'ALL_OR_NONE_OPERATION_ROLLED_BACK'
  ]);
  expect(await leadCount()).toBe(count);
  expect(org.dataVersion()).toBe(version);
  const yes = await call('POST', '/composite/sobjects', { allOrNone: 'yes', records });
  expect(yes.status).toBe(400);
  expect((yes.body as SfError[])[0]).toMatchObject({ errorCode: 'JSON_PARSER_ERROR', message: expect.stringMatching(/allOrNone/) });
  expect(org.dataVersion()).toBe(version);
});

test('1.5 in an int field is JSON_PARSER_ERROR, not stored as 1; a currency field rounds to its scale', async () => {
  const res = await call('POST', '/sobjects/Lead', { LastName: 'Half', Company: 'Employees', NumberOfEmployees: 1.5 });
  expect(res.status).toBe(400);
  expect((res.body as SfError[])[0]).toEqual({
    errorCode: 'JSON_PARSER_ERROR',
    message: 'Cannot deserialize instance of int from VALUE_NUMBER_FLOAT value 1.5 or request may be missing a required field',
    fields: ['NumberOfEmployees']
  });
  const asText = await call('POST', '/sobjects/Lead', { LastName: 'Half', Company: 'Employees', NumberOfEmployees: '1.5' });
  expect((asText.body as SfError[])[0].errorCode).toBe('JSON_PARSER_ERROR');
  const ok = await conn.sobject('Lead').create({ LastName: 'Whole', Company: 'Employees', NumberOfEmployees: 12, AnnualRevenue: 10.6 });
  const rec = (await conn.sobject('Lead').retrieve(ok.id!)) as { NumberOfEmployees: number; AnnualRevenue: number };
  expect(rec).toMatchObject({ NumberOfEmployees: 12, AnnualRevenue: 11 });
});

test('an upsert collection naming one external id twice fails both records with DUPLICATE_EXTERNAL_ID', async () => {
  const version = org.dataVersion();
  const res = await call('PATCH', '/composite/sobjects/SLA_Timer__c/Timer_Key__c', {
    allOrNone: false,
    records: [
      { attributes: { type: 'SLA_Timer__c' }, Timer_Key__c: 'dup:1', Status__c: 'Running' },
      { attributes: { type: 'SLA_Timer__c' }, Timer_Key__c: 'dup:1', Status__c: 'Breached' },
      // Timer_Key__c is case-sensitive: another key
      { attributes: { type: 'SLA_Timer__c' }, Timer_Key__c: 'DUP:1', Status__c: 'Running' }
    ]
  });
  const results = res.body as SaveResult[];
  expect(results.map((r) => r.success)).toEqual([false, false, true]);
  for (const r of results.slice(0, 2)) {
    expect(r.errors).toEqual([{ statusCode: 'DUPLICATE_EXTERNAL_ID', message: 'Duplicate external id specified: dup:1', fields: [] }]);
  }
  expect(results.map((r) => r.created)).toEqual([false, false, true]);
  expect(org.dataVersion()).not.toBe(version);
  expect((await conn.query("SELECT Timer_Key__c FROM SLA_Timer__c WHERE Timer_Key__c LIKE 'dup:%'")).records).toEqual([
    expect.objectContaining({ Timer_Key__c: 'DUP:1' })
  ]);
  // rolled back with allOrNone, every result still says whether it was created
  const rolled = await call('PATCH', '/composite/sobjects/SLA_Timer__c/Timer_Key__c', {
    allOrNone: true,
    records: [
      { attributes: { type: 'SLA_Timer__c' }, Timer_Key__c: 'dup:3', Status__c: 'Running' },
      { attributes: { type: 'SLA_Timer__c' }, Timer_Key__c: 'dup:3', Status__c: 'Running' }
    ]
  });
  expect((rolled.body as SaveResult[]).map((r) => [r.success, r.created])).toEqual([
    [false, false],
    [false, false]
  ]);
});

test('collection bodies of the wrong shape are 400 JSON_PARSER_ERROR and write nothing', async () => {
  const version = org.dataVersion();
  const cases: Array<[string, string, unknown]> = [
    ['POST', '/composite/sobjects', { records: [null] }],
    ['POST', '/composite/sobjects', { records: [{ attributes: { type: 'Lead' }, LastName: 'x', Company: 'y' }, 'text'] }],
    ['POST', '/composite/sobjects', { records: 'all' }],
    ['POST', '/composite/sobjects/Lead', { ids: 'abc' }],
    ['POST', '/composite/sobjects/Lead', { ids: ['00Q000000000001'], fields: 'Name' }],
    ['POST', '/composite/sobjects', [1, 2]],
    ['PATCH', '/sobjects/SLA_Timer__c/Timer_Key__c/shape', ['not', 'a', 'record']]
  ];
  for (const [method, path, body] of cases) {
    const res = await call(method, path, body);
    expect([method, path, res.status]).toEqual([method, path, 400]);
    expect((res.body as SfError[])[0].errorCode).toBe('JSON_PARSER_ERROR');
  }
  expect(org.dataVersion()).toBe(version);
  expect(org.serverLog).toEqual([]);
});

test('a GraphQL fragment cycle is a ValidationError (graphql-java FragmentCycle), not silently cut', async () => {
  const res = await call('POST', '/graphql', {
    query:
      'query { uiapi { query { Lead { edges { node { ...A } } } } } } fragment A on Lead { Id ...B } fragment B on Lead { Name { value } ...A }'
  });
  expect(res.status).toBe(200);
  expect(res.body).toMatchObject({
    data: null,
    errors: [
      {
        message: expect.stringMatching(/^Validation error \(FragmentCycle@\[\w\]\) : Fragment cycles not allowed$/),
        extensions: { ErrorType: 'ValidationError' }
      }
    ]
  });
});
