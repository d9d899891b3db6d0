import type { Connection } from 'jsforce';
import { startTestOrg, TestOrg } from '../testing';

/** The UI API subset the preview's LDS adapters use, through jsforce's request(). */
let org: TestOrg;
let conn: Connection;
const base = '/services/data/v64.0/ui-api';

beforeAll(async () => {
  org = await startTestOrg();
  conn = org.conn;
});
afterAll(() => org.close());

interface FieldValue {
  value: unknown;
  displayValue: string | null;
}
interface RecordRep {
  apiName: string;
  id: string;
  fields: Record<string, FieldValue & { value: unknown }>;
}

const post = <T>(url: string, body: unknown) =>
  conn.request<T>({ method: 'POST', url, body: JSON.stringify(body), headers: { 'content-type': 'application/json' } });
const patch = <T>(url: string, body: unknown) =>
  conn.request<T>({ method: 'PATCH', url, body: JSON.stringify(body), headers: { 'content-type': 'application/json' } });

test('records: create, get with fields/optionalFields and parent paths, update, delete', async () => {
  const created = await post<RecordRep>(`${base}/records`, {
    apiName: 'Lead',
    fields: { LastName: 'Ui', Company: 'LDS', Status: 'Marketing Qualified' }
  });
  expect(created).toMatchObject({
    apiName: 'Lead',
    fields: { LastName: { value: 'Ui' }, Status: { value: 'Marketing Qualified', displayValue: 'Marketing Qualified' } }
  });
  const got = await conn.request<RecordRep>(
    `${base}/records/${created.id}?fields=Lead.Name,Lead.Owner.Name&optionalFields=Lead.Nope__c,Lead.MQL_At__c`
  );
  expect(got.fields.Name).toEqual({ value: 'Ui', displayValue: null });
  expect(got.fields.Owner).toMatchObject({
    displayValue: 'Local Admin',
    value: { apiName: 'User', fields: { Name: { value: 'Local Admin' } } }
  });
  expect(got.fields).toHaveProperty('MQL_At__c');
  expect(got.fields).not.toHaveProperty('Nope__c');
  await expect(conn.request(`${base}/records/${created.id}?fields=Lead.Nope__c`)).rejects.toMatchObject({ errorCode: 'INVALID_FIELD' });
  const updated = await patch<RecordRep>(`${base}/records/${created.id}`, { fields: { Status: 'Sales Accepted' } });
  expect(updated.fields.Status.value).toBe('Sales Accepted');
  await expect(patch(`${base}/records/${created.id}`, { fields: { Status: 'Bogus' } })).rejects.toMatchObject({
    errorCode: 'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST'
  });
  await conn.request({ method: 'DELETE', url: `${base}/records/${created.id}` });
  await expect(conn.request(`${base}/records/${created.id}`)).rejects.toMatchObject({ errorCode: 'NOT_FOUND' });
});

test('object-info and picklist values for the master record type', async () => {
  const info = await conn.request<Record<string, any>>(`${base}/object-info/Win_Loss_Review__c`); // eslint-disable-line @typescript-eslint/no-explicit-any
  expect(info).toMatchObject({ apiName: 'Win_Loss_Review__c', defaultRecordTypeId: '012000000000000AAA', nameFields: ['Name'] });
  expect(info.fields.Outcome__c).toMatchObject({ dataType: 'Picklist', apiName: 'Outcome__c' });
  expect(info.fields.Opportunity__c).toMatchObject({
    dataType: 'Reference',
    required: false,
    referenceToInfos: [{ apiName: 'Opportunity', nameFields: ['Name'] }]
  });
  const pv = await conn.request<{ values: Array<{ value: string; label: string }> }>(
    `${base}/object-info/Win_Loss_Review__c/picklist-values/012000000000000AAA/Outcome__c`
  );
  expect(pv.values.map((v) => v.value)).toEqual(['Won', 'Lost', 'No Decision']);
  await expect(conn.request(`${base}/object-info/Nope__c`)).rejects.toMatchObject({ errorCode: 'NOT_FOUND' });
});

test('related-list-records pages the children of a record', async () => {
  const opp = await conn.sobject('Opportunity').create({ Name: 'Deal', StageName: 'Closed Lost', CloseDate: '2026-02-01' });
  for (const outcome of ['Lost', 'Lost', 'No Decision']) {
    await conn.sobject('Win_Loss_Review__c').create({ Opportunity__c: opp.id, Outcome__c: outcome, Primary_Reason__c: 'Price' });
  }
  const page = await conn.request<{ count: number; records: RecordRep[]; nextPageToken: string | null }>(
    `${base}/related-list-records/${opp.id}/Win_Loss_Reviews__r?fields=Win_Loss_Review__c.Outcome__c&pageSize=2`
  );
  expect(page.count).toBe(3);
  expect(page.records).toHaveLength(2);
  expect(page.records[0]).toMatchObject({ apiName: 'Win_Loss_Review__c', fields: { Outcome__c: { value: 'Lost' } } });
  expect(page.nextPageToken).toBe('1');
});
