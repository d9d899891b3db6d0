import type { Connection } from 'jsforce';
import { startTestOrg, TestOrg, TestUser } from '../testing';

/**
 * The UI API and UI API GraphQL — what the preview's Lightning Data Service reads — honour a user's
 * field-level security and object permissions: what a user cannot read is not there, what they may
 * not edit says `updateable: false` and is refused on save.
 */
/* eslint-disable @typescript-eslint/no-explicit-any -- UI API and GraphQL answers are nested JSON */
let org: TestOrg;
let rep: TestUser;
let plain: TestUser;
let leadId: string;
let feedbackId: string;
const ui = '/services/data/v64.0/ui-api';

interface Answer {
  data: any;
  errors: Array<{ message: string; extensions: { ErrorType: string } }>;
}
const gql = (conn: Connection, query: string) =>
  conn.request<Answer>({
    method: 'POST',
    url: '/services/data/v64.0/graphql',
    body: JSON.stringify({ query }),
    headers: { 'content-type': 'application/json' }
  });
const patch = (conn: Connection, url: string, body: unknown) =>
  conn.request({ method: 'PATCH', url, body: JSON.stringify(body), headers: { 'content-type': 'application/json' } });

beforeAll(async () => {
  org = await startTestOrg();
  rep = await org.createUser({ username: 'rep@example.com', permissionSets: ['Closed_Loop_Rep'] });
  plain = await org.createUser({ username: 'plain@example.com' });
  leadId = (await org.conn.sobject('Lead').create({ LastName: 'Lds', Company: 'Acme', SLA_Status__c: 'At Risk', OwnerId: rep.userId })).id!;
  feedbackId = (await rep.conn.sobject('Lead_Quality_Feedback__c').create({ Lead__c: leadId, Rating__c: 4 })).id!;
});
afterAll(() => org.close());

test('object-info: fields the user cannot read are left out, read-only ones are updateable false', async () => {
  const forRep = await rep.conn.request<any>(`${ui}/object-info/Lead`);
  expect(forRep.fields.SLA_Status__c).toMatchObject({ updateable: false, createable: false });
  expect(forRep.fields.Needs_Dedupe__c).toMatchObject({ updateable: true });
  expect(forRep.fields.Company).toMatchObject({ updateable: true });
  const forPlain = await plain.conn.request<any>(`${ui}/object-info/Lead`);
  expect(forPlain.fields).not.toHaveProperty('SLA_Status__c');
  expect(forPlain.childRelationships.map((c: any) => c.relationshipName)).not.toContain('Lead_Quality_Feedback__r');
  const timers = await rep.conn.request<any>(`${ui}/object-info/SLA_Timer__c`);
  expect(timers).toMatchObject({ createable: false, updateable: false, deletable: false });
  await expect(plain.conn.request(`${ui}/object-info/SLA_Timer__c`)).rejects.toMatchObject({ errorCode: 'NOT_FOUND' });
});

test('records: a `fields` entry the user cannot see is INVALID_FIELD, an `optionalFields` one is left out; saving a read-only field is refused', async () => {
  const got = await plain.conn.request<any>(`${ui}/records/${leadId}?fields=Lead.Company&optionalFields=Lead.SLA_Status__c`);
  expect(got.fields.Company.value).toBe('Acme');
  expect(got.fields).not.toHaveProperty('SLA_Status__c');
  await expect(plain.conn.request(`${ui}/records/${leadId}?fields=Lead.SLA_Status__c`)).rejects.toMatchObject({
    errorCode: 'INVALID_FIELD'
  });
  const all = await plain.conn.request<any>(`${ui}/records/${leadId}`);
  expect(all.fields).toHaveProperty('Company');
  expect(all.fields).not.toHaveProperty('SLA_Status__c');
  const forRep = await rep.conn.request<any>(`${ui}/records/${leadId}?fields=Lead.SLA_Status__c`);
  expect(forRep.fields.SLA_Status__c.value).toBe('At Risk');
  await expect(patch(rep.conn, `${ui}/records/${leadId}`, { fields: { SLA_Status__c: 'Met' } })).rejects.toMatchObject({
    errorCode: 'INVALID_FIELD_FOR_INSERT_UPDATE'
  });
  await patch(rep.conn, `${ui}/records/${leadId}`, { fields: { Needs_Dedupe__c: true } });
  await expect(plain.conn.request(`${ui}/records/${feedbackId}`)).rejects.toMatchObject({ errorCode: 'INVALID_ID_FIELD' });
});

test('related-list records: only of a relationship the user can read', async () => {
  const list = await rep.conn.request<any>(`${ui}/related-list-records/${leadId}/Lead_Quality_Feedback__r?fields=Rating__c`);
  expect(list.records.map((r: any) => r.id)).toEqual([feedbackId]);
  await expect(plain.conn.request(`${ui}/related-list-records/${leadId}/Lead_Quality_Feedback__r`)).rejects.toMatchObject({
    errorCode: 'NOT_FOUND'
  });
});

test('GraphQL: fields and objects the user cannot read are undefined in the schema, readable ones answer', async () => {
  const query = `query { uiapi { query { Lead(where: { Id: { eq: "${leadId}" } }) { edges { node { Id Company { value } SLA_Status__c { value } } } } } } }`;
  const forRep = await gql(rep.conn, query);
  expect(forRep.errors).toEqual([]);
  expect(forRep.data.uiapi.query.Lead.edges[0].node.SLA_Status__c.value).toBe('At Risk');
  const forPlain = await gql(plain.conn, query);
  expect(forPlain.data).toBeNull();
  expect(forPlain.errors.map((e) => e.message)).toEqual([
    "Validation error (FieldUndefined@[uiapi/query/Lead/edges/node/SLA_Status__c]) : Field 'SLA_Status__c' in type 'Lead' is undefined"
  ]);
  const timers = await gql(plain.conn, 'query { uiapi { query { SLA_Timer__c { edges { node { Id } } } } } }');
  expect(timers.data).toBeNull();
  expect(timers.errors[0].extensions.ErrorType).toBe('ValidationError');
  const filtered = await gql(
    plain.conn,
    `query { uiapi { query { Lead(where: { SLA_Status__c: { eq: "At Risk" } }) { edges { node { Id } } } } } }`
  );
  expect(filtered.data).toBeNull();
  const feedback = await gql(
    rep.conn,
    'query { uiapi { query { Lead_Quality_Feedback__c { edges { node { Id Rating__c { value } } } } } } }'
  );
  expect(feedback.data.uiapi.query.Lead_Quality_Feedback__c.edges.map((e: any) => e.node.Id)).toEqual([feedbackId]);
});
