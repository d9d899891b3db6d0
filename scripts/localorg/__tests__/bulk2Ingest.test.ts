import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { makeId } from '../ids';
import { startTestOrg, TestOrg } from '../testing';
import { bulkApi, parseCsv } from './bulkApi';

/**
 * Bulk API 2.0 ingest jobs against the local org, on the wire: the job's JSON and states, CSV rules
 * (#N/A, empty values, date formats, relationship columns), results files, errors and limits, and
 * that a row fails exactly as the same record fails through the REST API.
 */

let org: TestOrg;
let api: ReturnType<typeof bulkApi>;

beforeAll(async () => {
  org = await startTestOrg({ bulk: { recordsPerBatch: 5 } });
  api = bulkApi(org);
});
afterAll(() => org.close());

const lead = (i: number, extra = '') => `Lead${i},Co ${i}${extra}`;

test('an ingest job from creation to results: its JSON, states, counters and result files', async () => {
  const created = await api.createIngest({ object: 'Lead', operation: 'insert' });
  expect(created).toEqual({
    id: expect.stringMatching(/^750[A-Za-z0-9]{15}$/),
    operation: 'insert',
    object: 'Lead',
    createdById: org.userId,
    createdDate: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+0000$/),
    systemModstamp: expect.any(String),
    state: 'Open',
    concurrencyMode: 'Parallel',
    contentType: 'CSV',
    apiVersion: Number(org.conn.version),
    contentUrl: `services/data/v${org.conn.version}/jobs/ingest/${created.id}/batches`,
    lineEnding: 'LF',
    columnDelimiter: 'COMMA'
  });
  const open = (await api.ok(api.call('GET', `/jobs/ingest/${created.id}`))).json();
  expect(open).toMatchObject({
    state: 'Open',
    jobType: 'V2Ingest',
    numberRecordsProcessed: 0,
    numberRecordsFailed: 0,
    contentUrl: created.contentUrl
  });

  const rows = Array.from({ length: 12 }, (_, i) => lead(i));
  rows[4] = 'Lead4,'; // Company missing
  await api.upload(created.id, `LastName,Company\n${rows.join('\n')}\n`);
  const again = await api.call('PUT', `/jobs/ingest/${created.id}/batches`, 'LastName,Company\nX,Y\n', 'text/csv');
  expect(again.status).toBe(400);
  expect(again.json<Array<{ errorCode: string; message: string }>>()[0]).toMatchObject({
    errorCode: 'INVALIDJOBSTATE',
    message: expect.stringContaining(`Found multiple contents for job: ${created.id}`)
  });
  expect((await api.close(created.id)).state).toBe('UploadComplete');
  const done = await api.waitFor('ingest', created.id);
  expect(done).toMatchObject({ state: 'JobComplete', numberRecordsProcessed: 12, numberRecordsFailed: 1, retries: 0 });
  expect(done).not.toHaveProperty('contentUrl');

  const ok = parseCsv(await api.results(created.id, 'successfulResults'));
  expect(ok[0]).toEqual(['sf__Id', 'sf__Created', 'LastName', 'Company']);
  expect(ok).toHaveLength(12);
  expect(ok[1]).toEqual([expect.stringMatching(/^00Q/), 'true', 'Lead0', 'Co 0']);
  const failed = await api.results(created.id, 'failedResults');
  expect(failed).toBe(
    '"sf__Id","sf__Error","LastName","Company"\n"","REQUIRED_FIELD_MISSING:Required fields are missing: [Company]:Company --","Lead4",""\n'
  );
  expect(await api.results(created.id, 'unprocessedrecords')).toBe('"LastName","Company"\n');

  for (const [state, message] of [
    ['UploadComplete', 'Closing already Completed Job not allowed'],
    ['Aborted', 'Aborting already Completed Job not allowed']
  ]) {
    const r = await api.call('PATCH', `/jobs/ingest/${created.id}`, JSON.stringify({ state }));
    expect([r.status, r.json<Array<Record<string, string>>>()[0]]).toEqual([400, { errorCode: 'INVALIDJOBSTATE', message }]);
  }
  expect((await api.call('DELETE', `/jobs/ingest/${created.id}`)).status).toBe(204);
  const gone = await api.call('GET', `/jobs/ingest/${created.id}`);
  expect([gone.status, gone.json<Array<Record<string, string>>>()[0].errorCode]).toEqual([404, 'NOT_FOUND']);
});

test('CSV values: #N/A sets null, an empty value leaves the field alone, booleans, numbers, dates and datetimes with offsets', async () => {
  const ins = await api.ingest(
    { object: 'Lead', operation: 'insert' },
    'FirstName,LastName,Company,Status,AnnualRevenue,Needs_Dedupe__c,MQL_At__c,ConvertedDate,IsConverted\n' +
      'Ana,Lopez,Acme,,1500000,true,2026-03-02T09:30:00.000-05:00,2026-03-02,1\n' +
      '#N/A,Kim,Initech,Sales Accepted,#N/A,0,2026-03-02T14:30:00Z,,false\n'
  );
  expect(ins).toMatchObject({ state: 'JobComplete', numberRecordsFailed: 0 });
  const [, a, b] = parseCsv(await api.results(ins.id, 'successfulResults'));
  const recA = (await org.conn.sobject('Lead').retrieve(a[0])) as Record<string, unknown>;
  expect(recA).toMatchObject({
    FirstName: 'Ana',
    Status: 'New', // empty on insert: the field's default
    AnnualRevenue: 1500000,
    Needs_Dedupe__c: true,
    MQL_At__c: '2026-03-02T14:30:00.000+0000',
    ConvertedDate: '2026-03-02',
    IsConverted: true
  });
  const recB = (await org.conn.sobject('Lead').retrieve(b[0])) as Record<string, unknown>;
  expect(recB).toMatchObject({
    FirstName: null,
    Status: 'Sales Accepted',
    AnnualRevenue: null,
    Needs_Dedupe__c: false,
    MQL_At__c: '2026-03-02T14:30:00.000+0000'
  });

  const upd = await api.ingest(
    { object: 'Lead', operation: 'update' },
    `Id,FirstName,Company,Title\n${a[0]},,Acme Corp,#N/A\n${b[0]},Bo,,VP\n`
  );
  expect(upd).toMatchObject({ state: 'JobComplete', numberRecordsProcessed: 2, numberRecordsFailed: 0 });
  expect(await org.conn.sobject('Lead').retrieve(a[0])).toMatchObject({ FirstName: 'Ana', Company: 'Acme Corp', Title: null });
  expect(await org.conn.sobject('Lead').retrieve(b[0])).toMatchObject({ FirstName: 'Bo', Company: 'Initech', Title: 'VP' });
  const ok = parseCsv(await api.results(upd.id, 'successfulResults'));
  expect(ok.slice(1).map((r) => r[1])).toEqual(['false', 'false']);
});

test('a row fails with the same error code and message as the same record through the REST API, and nothing of it is saved', async () => {
  const bad: Array<Record<string, string>> = [
    { LastName: 'Picklist', Company: 'Acme', Status: 'Nonsense' },
    { LastName: 'Long', Company: 'x'.repeat(300) },
    { LastName: 'Email', Company: 'Acme', Email: 'not-an-email' },
    { LastName: 'Number', Company: 'Acme', AnnualRevenue: 'lots' },
    { LastName: 'Date', Company: 'Acme', ConvertedDate: '03/02/2026' },
    { LastName: 'Owner', Company: 'Acme', OwnerId: '005000000000000AAA' },
    { LastName: 'Unknown id', Company: 'Acme', OwnerId: 'abc' }
  ];
  const columns = ['LastName', 'Company', 'Status', 'Email', 'AnnualRevenue', 'ConvertedDate', 'OwnerId'];
  const csv = `${columns.join(',')}\n${bad.map((r) => columns.map((c) => r[c] ?? '').join(',')).join('\n')}\n`;
  const job = await api.ingest({ object: 'Lead', operation: 'insert' }, csv);
  expect(job).toMatchObject({ numberRecordsProcessed: bad.length, numberRecordsFailed: bad.length });
  const failed = parseCsv(await api.results(job.id, 'failedResults')).slice(1);
  const rest = (await org.conn.request({
    method: 'POST',
    url: `/services/data/v${org.conn.version}/composite/sobjects`,
    body: JSON.stringify({ allOrNone: false, records: bad.map((r) => ({ attributes: { type: 'Lead' }, ...r })) }),
    headers: { 'content-type': 'application/json' }
  })) as Array<{ errors: Array<{ statusCode: string; message: string; fields: string[] }> }>;
  expect(failed.map((r) => r[1])).toEqual(
    rest.map(({ errors: [e] }) => `${e.statusCode}:${e.message}:${e.fields.length ? `${e.fields.join(' ')} ` : ''}--`)
  );
  expect(failed.map((r) => r[2])).toEqual(bad.map((r) => r.LastName));
  expect(
    (await org.conn.query("SELECT Id FROM Lead WHERE LastName IN ('Picklist','Long','Email','Number','Date','Owner')")).totalSize
  ).toBe(0);
});

test('lookups by Id in a chunk: a live record is found, a deleted or missing one fails its row as through the REST API', async () => {
  const made = await org.conn.sobject('Lead').create([
    { LastName: 'Looked up', Company: 'Acme' },
    { LastName: 'Deleted', Company: 'Acme' }
  ]);
  const [live, gone] = made.map((r) => r.id!);
  await org.conn.sobject('Lead').destroy(gone);
  const rows = [
    { Subject: 'live', WhoId: live },
    { Subject: 'live by 15 characters', WhoId: live.slice(0, 15) },
    { Subject: 'deleted', WhoId: gone },
    { Subject: 'missing', WhoId: makeId('00Q', 987_654) }
  ];
  const job = await api.ingest(
    { object: 'Task', operation: 'insert' },
    `Subject,WhoId\n${rows.map((r) => `${r.Subject},${r.WhoId}`).join('\n')}\n`
  );
  expect(job).toMatchObject({ numberRecordsProcessed: 4, numberRecordsFailed: 2 });
  const ok = parseCsv(await api.results(job.id, 'successfulResults')).slice(1);
  expect(ok.map((r) => r[2])).toEqual(['live', 'live by 15 characters']);
  const failed = parseCsv(await api.results(job.id, 'failedResults')).slice(1);
  const rest = (await org.conn.request({
    method: 'POST',
    url: `/services/data/v${org.conn.version}/composite/sobjects`,
    body: JSON.stringify({ allOrNone: false, records: rows.slice(2).map((r) => ({ attributes: { type: 'Task' }, ...r })) }),
    headers: { 'content-type': 'application/json' }
  })) as Array<{ errors: Array<{ statusCode: string; message: string; fields: string[] }> }>;
  expect(failed.map((r) => [r[2], r[1]])).toEqual(
    rest.map(({ errors: [e] }, i) => [
      rows[i + 2].Subject,
      `${e.statusCode}:${e.message}:${e.fields.length ? `${e.fields.join(' ')} ` : ''}--`
    ])
  );
  expect(failed[0][1]).toMatch(/^INVALID_CROSS_REFERENCE_KEY/);
});

test('history rows are written as for REST updates, and a hardDelete leaves no row, no history and nothing for queryAll', async () => {
  const ins = await api.ingest({ object: 'Lead', operation: 'insert' }, 'LastName,Company\nHist,Acme\nSoft,Acme\n');
  const [, [hist], [soft]] = parseCsv(await api.results(ins.id, 'successfulResults'));
  await api.ingest({ object: 'Lead', operation: 'update' }, `Id,Status\n${hist},Marketing Qualified\n`);
  const history = await org.conn.query<{ Field: string; OldValue: string; NewValue: string }>(
    `SELECT Field, OldValue, NewValue FROM LeadHistory WHERE LeadId = '${hist}' ORDER BY CreatedDate`
  );
  expect(history.records.map((h) => [h.Field, h.OldValue, h.NewValue])).toEqual([
    ['created', null, null],
    ['Status', 'New', 'Marketing Qualified']
  ]);

  const del = await api.ingest({ object: 'Lead', operation: 'delete' }, `Id\n${soft}\n`);
  const hard = await api.ingest({ object: 'Lead', operation: 'hardDelete' }, `Id\n${hist}\n`);
  expect([del.numberRecordsFailed, hard.numberRecordsFailed]).toEqual([0, 0]);
  const all = await org.conn.query<{ Id: string; IsDeleted: boolean }>(`SELECT Id, IsDeleted FROM Lead WHERE Id IN ('${soft}','${hist}')`, {
    scanAll: true
  });
  expect(all.records).toEqual([expect.objectContaining({ Id: soft, IsDeleted: true })]);
  expect((await org.conn.query(`SELECT Id FROM LeadHistory WHERE LeadId = '${hist}'`, { scanAll: true })).totalSize).toBe(0);
  const again = await api.ingest({ object: 'Lead', operation: 'hardDelete' }, `Id\n${hist}\n`);
  expect(parseCsv(await api.results(again.id, 'failedResults'))[1]).toEqual([
    hist,
    'INVALID_CROSS_REFERENCE_KEY:invalid cross reference id:--',
    hist
  ]);
});

test('upsert on an external ID, and relationship columns matched on the parent`s External ID, Id or indexed field', async () => {
  const cal = await org.conn.sobject('SLA_Calendar__c').create({ Name: 'Office', Business_Hours_Id__c: '01m000000000001AAA' });
  const leadId = (await org.conn.sobject('Lead').create({ LastName: 'Rel', Company: 'Acme', Email: 'rel@example.com' })) as { id: string };
  const user = (await org.conn.query<{ Username: string }>(`SELECT Username FROM User WHERE Id = '${org.userId}'`)).records[0];
  const csv = (status: string) =>
    'Timer_Key__c,Status__c,Calendar__r.Business_Hours_Id__c,Lead__r.Email,User:Owner.Username,Accountable_User__r.Id\n' +
    `k1,${status},01m000000000001AAA,rel@example.com,${user.Username},${org.userId}\n` +
    `k2,${status},01m000000000999AAA,,,\n` +
    `k3,${status},#N/A,nobody@example.com,,\n`;
  const first = await api.ingest({ object: 'SLA_Timer__c', operation: 'upsert', externalIdFieldName: 'Timer_Key__c' }, csv('Running'));
  expect(first).toMatchObject({
    state: 'JobComplete',
    numberRecordsProcessed: 3,
    numberRecordsFailed: 2,
    externalIdFieldName: 'Timer_Key__c'
  });
  const ok = parseCsv(await api.results(first.id, 'successfulResults'));
  expect(ok[0]).toEqual([
    'sf__Id',
    'sf__Created',
    'Timer_Key__c',
    'Status__c',
    'Calendar__r.Business_Hours_Id__c',
    'Lead__r.Email',
    'User:Owner.Username',
    'Accountable_User__r.Id'
  ]);
  expect(ok[1].slice(1, 3)).toEqual(['true', 'k1']);
  expect(await org.conn.sobject('SLA_Timer__c').retrieve(ok[1][0])).toMatchObject({
    Calendar__c: cal.id,
    Lead__c: leadId.id,
    OwnerId: org.userId,
    Accountable_User__c: org.userId
  });
  const failed = parseCsv(await api.results(first.id, 'failedResults')).slice(1);
  expect(failed.map((r) => r[1])).toEqual([
    'INVALID_FIELD:Foreign key external ID: 01m000000000999AAA not found for field Business_Hours_Id__c in entity SLA_Calendar__c:Calendar__c --',
    'INVALID_FIELD:Foreign key external ID: nobody@example.com not found for field Email in entity Lead:Lead__c --'
  ]);

  const second = await api.ingest(
    { object: 'SLA_Timer__c', operation: 'upsert', externalIdFieldName: 'Timer_Key__c' },
    csv('Met').split('\n').slice(0, 2).join('\n')
  );
  const again = parseCsv(await api.results(second.id, 'successfulResults'));
  expect(again[1].slice(0, 3)).toEqual([ok[1][0], 'false', 'k1']);
  expect(await org.conn.sobject('SLA_Timer__c').retrieve(ok[1][0])).toMatchObject({ Status__c: 'Met' });
});

test('a header the object does not have fails the job, with every record left unprocessed', async () => {
  const cases: Array<[string, string, string]> = [
    ['LastName,Company,Shoe_Size__c', 'Lead', 'InvalidBatch : Field name not found : Shoe_Size__c'],
    [
      'LastName,Company,Owner.Title',
      'Lead',
      "InvalidBatch : Field name not found : Owner.Title (Owner is polymorphic: name the parent's type, as in User:Owner.Title)"
    ],
    [
      'LastName,Company,User:Owner.Title',
      'Lead',
      'InvalidBatch : Field name provided, Title does not match an External ID, Salesforce Id, or indexed field for User'
    ],
    ['LastName,Company,LastName', 'Lead', 'InvalidBatch : Duplicate field name: LastName']
  ];
  for (const [header, object, message] of cases) {
    const job = await api.ingest({ object, operation: 'insert' }, `${header}\nA,B,C\nD,E,F\n`);
    expect(job).toMatchObject({ state: 'Failed', errorMessage: message, numberRecordsProcessed: 0 });
    expect(await api.results(job.id, 'unprocessedrecords')).toBe(
      `${header
        .split(',')
        .map((h) => `"${h}"`)
        .join(',')}\n"A","B","C"\n"D","E","F"\n`
    );
  }
});

test('line endings, delimiters and malformed CSV', async () => {
  const crlfAsLf = await api.ingest({ object: 'Lead', operation: 'insert' }, 'LastName,Company\r\nA,B\r\n');
  expect(crlfAsLf).toMatchObject({
    state: 'Failed',
    errorMessage: 'ClientInputError : LineEnding is invalid on user data. Current LineEnding setting is LF'
  });
  const lfAsCrlf = await api.ingest({ object: 'Lead', operation: 'insert', lineEnding: 'CRLF' }, 'LastName,Company\nA,B\n');
  expect(lfAsCrlf.errorMessage).toBe('ClientInputError : LineEnding is invalid on user data. Current LineEnding setting is CRLF');

  const piped = await api.ingest(
    { object: 'Lead', operation: 'insert', columnDelimiter: 'PIPE', lineEnding: 'CRLF' },
    'LastName|Company|Description\r\n"Pipe, Inc"|"A|B"|"line one\r\nline ""two"""\r\n'
  );
  expect(piped).toMatchObject({ state: 'JobComplete', numberRecordsFailed: 0, lineEnding: 'CRLF', columnDelimiter: 'PIPE' });
  const [header, row] = parseCsv(await api.results(piped.id, 'successfulResults'), '|');
  expect(header).toEqual(['sf__Id', 'sf__Created', 'LastName', 'Company', 'Description']);
  expect(await org.conn.sobject('Lead').retrieve(row[0])).toMatchObject({
    LastName: 'Pipe, Inc',
    Company: 'A|B',
    Description: 'line one\r\nline "two"'
  });

  // rows before a malformed one are saved (in their chunks); the job fails there, the rest unprocessed
  const rows = Array.from({ length: 7 }, (_, i) => lead(i));
  rows.push('Bad, "quoted",X', lead(8));
  const broken = await api.ingest({ object: 'Lead', operation: 'insert' }, `LastName,Company\n${rows.join('\n')}\n`);
  expect(broken).toMatchObject({ state: 'Failed', numberRecordsProcessed: 7 });
  expect(broken.errorMessage).toMatch(/^ClientInputError : a double quote inside an unquoted field in row 9/);

  const short = await api.ingest({ object: 'Lead', operation: 'insert' }, 'LastName,Company\nOnly\nFull,Co\n');
  expect(short).toMatchObject({ state: 'JobComplete', numberRecordsProcessed: 2, numberRecordsFailed: 1 });
  expect(parseCsv(await api.results(short.id, 'failedResults'))[1]).toEqual([
    '',
    'INVALID_FIELD:Wrong number of columns: the header has 2, this row 1:--',
    'Only',
    ''
  ]);
});

test('creating a job: the API`s errors for a missing or unknown object, operation, delimiter or external ID', async () => {
  const cases: Array<[Record<string, unknown>, number, string, string]> = [
    [{ operation: 'insert' }, 400, 'INVALIDJOB', "InvalidJob : the 'object' property is required"],
    [{ object: 'Shoe__c', operation: 'insert' }, 400, 'INVALIDENTITY', "sObject type 'Shoe__c' is not supported."],
    [
      { object: 'Lead', operation: 'merge' },
      400,
      'JSON_PARSER_ERROR',
      expect.stringContaining('[insert, update, upsert, delete, hardDelete]') as unknown as string
    ],
    [
      { object: 'Lead', operation: 'insert', columnDelimiter: 'COLON' },
      400,
      'JSON_PARSER_ERROR',
      expect.stringContaining('BACKQUOTE') as unknown as string
    ],
    [
      { object: 'Lead', operation: 'upsert' },
      400,
      'INVALIDJOB',
      'InvalidJob : External ID was blank for Lead. An External ID must be specified for upsert.'
    ],
    [
      { object: 'Lead', operation: 'upsert', externalIdFieldName: 'Company' },
      400,
      'INVALIDJOB',
      'InvalidJob : Field name provided, Company is not an External ID or indexed field for Lead'
    ]
  ];
  for (const [body, status, errorCode, message] of cases) {
    const r = await api.call('POST', '/jobs/ingest', JSON.stringify(body));
    expect([r.status, r.json<Array<Record<string, string>>>()[0]]).toEqual([status, { errorCode, message }]);
  }
  const notJson = await api.call('POST', '/jobs/ingest', '{"object":');
  expect(notJson.json<Array<Record<string, string>>>()[0].errorCode).toBe('JSON_PARSER_ERROR');
  const job = await api.createIngest({ object: 'Lead', operation: 'insert' });
  const wrongType = await api.call('PUT', `/jobs/ingest/${job.id}/batches`, '{}', 'application/json');
  expect([wrongType.status, wrongType.json<Array<Record<string, string>>>()[0].errorCode]).toEqual([400, 'INVALIDCONTENTTYPE']);
  const deleteOpen = await api.call('DELETE', `/jobs/ingest/${job.id}`);
  expect([deleteOpen.status, deleteOpen.json<Array<Record<string, string>>>()[0].errorCode]).toEqual([400, 'INVALIDJOBSTATE']);
  const badState = await api.call('PATCH', `/jobs/ingest/${job.id}`, JSON.stringify({ state: 'JobComplete' }));
  expect(badState.json<Array<Record<string, string>>>()[0].errorCode).toBe('INVALIDJOBSTATE');
  expect((await api.call('GET', '/jobs/ingest/750000000000000AAA')).status).toBe(404);
  expect((await api.call('GET', `/jobs/query/${job.id}`)).status).toBe(404);
});

test('aborting a job stops it between chunks; what was not processed is in unprocessedrecords', async () => {
  const rows = Array.from({ length: 40 }, (_, i) => lead(i, ' abort'));
  const openJob = await api.createIngest({ object: 'Lead', operation: 'insert' });
  await api.upload(openJob.id, `LastName,Company\n${rows.join('\n')}\n`);
  const aborted = (await api.ok(api.call('PATCH', `/jobs/ingest/${openJob.id}`, JSON.stringify({ state: 'Aborted' })))).json();
  expect(aborted).toMatchObject({ state: 'Aborted' });
  expect(parseCsv(await api.results(openJob.id, 'unprocessedrecords'))).toHaveLength(41);

  const running = await api.createIngest({ object: 'Lead', operation: 'insert' });
  await api.upload(running.id, `LastName,Company\n${rows.join('\n')}\n`);
  await api.close(running.id);
  await api.ok(api.call('PATCH', `/jobs/ingest/${running.id}`, JSON.stringify({ state: 'Aborted' })));
  const info = await api.waitFor('ingest', running.id);
  expect(info.state).toBe('Aborted');
  const processed = info.numberRecordsProcessed!;
  expect(processed % 5).toBe(0); // whole chunks only
  const unprocessed = parseCsv(await api.results(running.id, 'unprocessedrecords')).slice(1);
  expect(unprocessed.length).toBe(40 - processed);
  expect(unprocessed[0]).toEqual([`Lead${processed}`, `Co ${processed} abort`]);
  expect(parseCsv(await api.results(running.id, 'successfulResults')).length - 1).toBe(processed);
});

test('a multipart request creates, uploads and closes a job at once; Get All Jobs lists jobs', async () => {
  const boundary = 'BOUNDARY';
  const body =
    `--${boundary}\r\nContent-Type: application/json\r\nContent-Disposition: form-data; name="job"\r\n\r\n` +
    `${JSON.stringify({ object: 'Lead', contentType: 'CSV', operation: 'insert', lineEnding: 'LF' })}\r\n` +
    `--${boundary}\r\nContent-Type: text/csv\r\nContent-Disposition: form-data; name="content"; filename="content"\r\n\r\n` +
    `LastName,Company\nMulti,Part\n\r\n--${boundary}--\r\n`;
  const created = (await api.ok(api.call('POST', '/jobs/ingest', body, `multipart/form-data; boundary=${boundary}`))).json<{
    id: string;
    state: string;
  }>();
  expect(created.state).toBe('UploadComplete');
  expect(await api.waitFor('ingest', created.id)).toMatchObject({ state: 'JobComplete', numberRecordsProcessed: 1 });

  const list = (await api.ok(api.call('GET', '/jobs/ingest'))).json<{
    done: boolean;
    records: Array<Record<string, unknown>>;
    nextRecordsUrl: string | null;
  }>();
  expect(list.done).toBe(true);
  expect(list.nextRecordsUrl).toBeNull();
  expect(list.records.find((r) => r.id === created.id)).toEqual({
    id: created.id,
    operation: 'insert',
    object: 'Lead',
    createdById: org.userId,
    createdDate: expect.any(String),
    systemModstamp: expect.any(String),
    state: 'JobComplete',
    concurrencyMode: 'Parallel',
    contentType: 'CSV',
    apiVersion: Number(org.conn.version),
    jobType: 'V2Ingest',
    lineEnding: 'LF',
    columnDelimiter: 'COMMA'
  });
  expect((await api.ok(api.call('GET', '/jobs/ingest?jobType=Classic'))).json<{ records: unknown[] }>().records).toEqual([]);
});

test('jobs live in the org`s database: a job closed before a restart is finished after it, each record once', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'closed-loop-bulk-'));
  const data = path.join(dir, 'org.db');
  try {
    let fileOrg = await startTestOrg({ data, bulk: { recordsPerBatch: 1 } });
    let fileApi = bulkApi(fileOrg);
    const rows = Array.from({ length: 30 }, (_, i) => lead(i, ' restart'));
    const job = await fileApi.createIngest({ object: 'Lead', operation: 'insert' });
    await fileApi.upload(job.id, `LastName,Company\n${rows.join('\n')}\n`);
    await fileApi.close(job.id);
    await fileOrg.close(); // whatever was processed by now is committed, chunk by chunk
    fileOrg = await startTestOrg({ data, bulk: { recordsPerBatch: 1 } });
    fileApi = bulkApi(fileOrg);
    try {
      expect(await fileApi.waitFor('ingest', job.id)).toMatchObject({
        state: 'JobComplete',
        numberRecordsProcessed: 30,
        numberRecordsFailed: 0
      });
      const ok = parseCsv(await fileApi.results(job.id, 'successfulResults')).slice(1);
      expect(ok.map((r) => r[2])).toEqual(rows.map((r) => r.split(',')[0]));
      expect((await fileOrg.conn.query("SELECT Id FROM Lead WHERE Company LIKE '% restart'")).totalSize).toBe(30);
    } finally {
      await fileOrg.close();
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('a big job does not hold up other clients: their requests are answered between its chunks', async () => {
  const rows = Array.from({ length: 500 }, (_, i) => lead(i, ' busy'));
  const job = await api.createIngest({ object: 'Lead', operation: 'insert' });
  await api.upload(job.id, `LastName,Company\n${rows.join('\n')}\n`);
  await api.close(job.id);
  // 100 chunks of 5: a query made now is answered while the job is still working
  const meanwhile = await org.conn.query("SELECT COUNT() FROM Lead WHERE Company LIKE '% busy'");
  const info = (await api.ok(api.call('GET', `/jobs/ingest/${job.id}`))).json<{ state: string; numberRecordsProcessed: number }>();
  expect(info.state).toBe('InProgress');
  expect(meanwhile.totalSize).toBeLessThan(500);
  expect(meanwhile.totalSize % 5).toBe(0);
  expect(await api.waitFor('ingest', job.id)).toMatchObject({ state: 'JobComplete', numberRecordsProcessed: 500 });
});

test('an insert`s row fails on its relationship values before its fields, and of two columns for one lookup the last sets it', async () => {
  const user = (await org.conn.query<{ Username: string }>(`SELECT Username FROM User WHERE Id = '${org.userId}'`)).records[0];
  const plain = await api.ingest(
    { object: 'Lead', operation: 'insert' },
    'LastName,Company,Status,User:Owner.Username\n' +
      'Order A,Acme,Nonsense,nobody@example.com\n' +
      'Order B,Acme,Nonsense,\n' +
      `Order C,Acme,,${user.Username}\n`
  );
  expect(plain).toMatchObject({ numberRecordsProcessed: 3, numberRecordsFailed: 2 });
  const failed = parseCsv(await api.results(plain.id, 'failedResults')).slice(1);
  expect(failed.map((r) => [r[2], r[1].split(':')[0]])).toEqual([
    ['Order A', 'INVALID_FIELD'],
    ['Order B', 'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST']
  ]);
  const both = await api.ingest(
    { object: 'Lead', operation: 'insert' },
    `LastName,Company,OwnerId,User:Owner.Username\nOrder D,Acme,005000000000000AAA,${user.Username}\n`
  );
  expect(both).toMatchObject({ numberRecordsProcessed: 1, numberRecordsFailed: 0 });
  const ok = parseCsv(await api.results(both.id, 'successfulResults'));
  expect(await org.conn.sobject('Lead').retrieve(ok[1][0])).toMatchObject({ LastName: 'Order D', OwnerId: org.userId });
});
