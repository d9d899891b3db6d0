import type { Connection } from 'jsforce';
import { startTestOrg, TestOrg, TestUser } from '../testing';

/**
 * Bulk API 2.0 with a user's token: a job's rows are saved and its query run with its creator's
 * object permissions, field-level security and sharing — the errors the REST API gives that user —
 * and a user reaches only their own jobs (the admin token every job).
 */
let org: TestOrg;
let admin: Connection;
let rep: TestUser;
let otherRep: TestUser;
let plain: TestUser;
let leadId: string;

beforeAll(async () => {
  org = await startTestOrg();
  admin = org.conn;
  for (const c of [admin]) c.bulk2.pollInterval = 20;
  rep = await org.createUser({ username: 'bulk-rep@example.com', permissionSets: ['Closed_Loop_Rep'] });
  otherRep = await org.createUser({ username: 'bulk-rep2@example.com', permissionSets: ['Closed_Loop_Rep'] });
  plain = await org.createUser({ username: 'bulk-plain@example.com' });
  for (const u of [rep, otherRep, plain]) u.conn.bulk2.pollInterval = 20;
  leadId = (await admin.sobject('Lead').create({ LastName: 'Bulk Measured', Company: 'Acme', OwnerId: rep.userId })).id!;
});
afterAll(() => org.close());

test('a rep`s ingest rows fail as the rep`s REST writes do, field by field', async () => {
  const res = await rep.conn.bulk2.loadAndWaitForResults({
    object: 'Lead',
    operation: 'update',
    // jsforce takes the CSV header from the first record; an empty value leaves a field alone
    input: [
      { Id: leadId, Title: 'VP Sales', SLA_Status__c: undefined },
      { Id: leadId, Title: undefined, SLA_Status__c: 'Met' }
    ]
  });
  expect(res.successfulResults).toHaveLength(1);
  expect(res.failedResults).toHaveLength(1);
  const rest = await rep.conn
    .sobject('Lead')
    .update({ Id: leadId, SLA_Status__c: 'Met' })
    .catch((e: { errorCode: string; message: string }) => e);
  const { errorCode, message } = rest as { errorCode: string; message: string };
  expect(res.failedResults[0].sf__Error).toBe(`${errorCode}:${message}:SLA_Status__c --`);
  expect(await admin.sobject('Lead').retrieve(leadId)).toMatchObject({ Title: 'VP Sales', SLA_Status__c: null });
});

test('a user reaches their own jobs; the admin reaches every job; hardDelete needs Modify All Data', async () => {
  const job = rep.conn.bulk2.createJob({ object: 'Lead', operation: 'insert' });
  await job.open();
  const path = `/services/data/v${org.conn.version}/jobs/ingest`;
  await expect(otherRep.conn.request(`${path}/${job.id}`)).rejects.toMatchObject({ errorCode: 'NOT_FOUND' });
  expect(await admin.request(`${path}/${job.id}`)).toMatchObject({ id: job.id, createdById: rep.userId });
  const own = (await rep.conn.request(path)) as { records: Array<{ id: string }> };
  const other = (await otherRep.conn.request(path)) as { records: Array<{ id: string }> };
  expect(own.records.map((r) => r.id)).toContain(job.id);
  expect(other.records.map((r) => r.id)).not.toContain(job.id);
  await expect(
    rep.conn.request({
      method: 'POST',
      url: path,
      body: JSON.stringify({ object: 'Lead', operation: 'hardDelete' }),
      headers: { 'content-type': 'application/json' }
    })
  ).rejects.toMatchObject({
    errorCode: 'INVALIDJOB',
    message: 'InvalidJob : hardDelete operation requires special user profile permission, please contact your system administrator'
  });
});

test('a query job sees what the user`s SOQL sees: unknown objects and fields for them are the REST query`s errors', async () => {
  for (const [user, soql] of [
    [plain, 'SELECT Id FROM SLA_Timer__c'],
    [rep, 'SELECT Id, Elapsed_Business_Minutes__c, Shoe_Size__c FROM SLA_Timer__c']
  ] as const) {
    const bulk = await user.conn
      .request({
        method: 'POST',
        url: `/services/data/v${org.conn.version}/jobs/query`,
        body: JSON.stringify({ operation: 'query', query: soql }),
        headers: { 'content-type': 'application/json' }
      })
      .then(
        () => ({ errorCode: 'none', message: 'created' }),
        (e: { errorCode: string; message: string }) => e
      );
    const rest = (await user.conn.query(soql).then(
      () => ({ errorCode: 'none', message: 'ran' }),
      (e: unknown) => e
    )) as { errorCode: string; message: string };
    expect({ errorCode: bulk.errorCode, message: bulk.message }).toEqual({ errorCode: rest.errorCode, message: rest.message });
  }
  const records: Array<Record<string, unknown>> = [];
  const stream = await rep.conn.bulk2.query(`SELECT Id, Title FROM Lead WHERE Id = '${leadId}'`);
  await new Promise<void>((resolve, reject) =>
    stream
      .on('record', (r: Record<string, unknown>) => records.push(r))
      .on('end', resolve)
      .on('error', reject)
  );
  expect(records).toEqual([{ Id: leadId, Title: 'VP Sales' }]);
});
