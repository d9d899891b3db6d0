import JSZip from 'jszip';
import type { Connection } from 'jsforce';
import { startTestOrg, TestOrg } from '../testing';

/** Records through jsforce 3: CRUD, upsert, collections, validation error codes, history. */
let org: TestOrg;
let conn: Connection;

beforeAll(async () => {
  org = await startTestOrg();
  conn = org.conn;
});
afterAll(() => org.close());

interface SfErr {
  errorCode?: string;
  message?: string;
}
async function errorOf(p: PromiseLike<unknown>): Promise<SfErr> {
  try {
    await p;
  } catch (e) {
    return e as SfErr;
  }
  throw new Error('expected the call to fail');
}

async function newLead(fields: Record<string, unknown> = {}): Promise<string> {
  const r = await conn.sobject('Lead').create({ LastName: 'Lopez', Company: 'Acme', ...fields });
  if (!r.success) throw new Error(JSON.stringify(r));
  return r.id;
}

test('create, retrieve, update and delete a record with system fields set as an org does', async () => {
  const id = await newLead({ FirstName: 'Ana' });
  expect(id).toMatch(/^00Q[A-Za-z0-9]{15}$/);
  const rec = (await conn.sobject('Lead').retrieve(id)) as Record<string, unknown>;
  expect(rec).toMatchObject({ Id: id, Name: 'Ana Lopez', Status: 'New', OwnerId: org.userId, CreatedById: org.userId, IsDeleted: false });
  expect(rec.CreatedDate).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+0000$/);
  // 15-character ids are accepted
  const short = (await conn.sobject('Lead').retrieve(id.slice(0, 15))) as Record<string, unknown>;
  expect(short.Id).toBe(id);
  const upd = await conn.sobject('Lead').update({ Id: id, Title: 'VP Marketing' });
  expect(upd.success).toBe(true);
  const after = (await conn.request(`/services/data/v64.0/sobjects/Lead/${id}?fields=Title,Name`)) as Record<string, unknown>;
  expect(after).toMatchObject({ Title: 'VP Marketing', Name: 'Ana Lopez' });
  expect(after).not.toHaveProperty('Company');
  expect((await conn.sobject('Lead').destroy(id)).success).toBe(true);
  expect((await errorOf(conn.sobject('Lead').retrieve(id))).errorCode).toBe('ENTITY_IS_DELETED');
  const all = await conn.query(`SELECT Id, IsDeleted FROM Lead WHERE Id = '${id}'`, { scanAll: true });
  expect(all.records[0]).toMatchObject({ Id: id, IsDeleted: true });
  expect((await conn.query(`SELECT Id FROM Lead WHERE Id = '${id}'`)).totalSize).toBe(0);
});

test('18-character ids carry the case-safe checksum', async () => {
  const id = await newLead();
  const id15 = id.slice(0, 15);
  let suffix = '';
  for (let b = 0; b < 3; b++) {
    let bits = 0;
    for (let i = 0; i < 5; i++) if (/[A-Z]/.test(id15[b * 5 + i])) bits |= 1 << i;
    suffix += 'ABCDEFGHIJKLMNOPQRSTUVWXYZ012345'[bits];
  }
  expect(id.slice(15)).toBe(suffix);
});

test('upsert by external ID creates (201, created true) then updates (200, created false)', async () => {
  const key = `00QX:Accept:${Date.now()}`;
  const created = await conn
    .sobject('SLA_Timer__c')
    .upsert({ Timer_Key__c: key, Status__c: 'Running', Clock__c: 'Accept' }, 'Timer_Key__c');
  expect(created).toMatchObject({ success: true, created: true });
  const updated = await conn.sobject('SLA_Timer__c').upsert({ Timer_Key__c: key, Status__c: 'Met' }, 'Timer_Key__c');
  expect(updated).toMatchObject({ success: true, created: false, id: (created as { id: string }).id });
  const rows = await conn.query<{ Status__c: string; Name: string }>(
    `SELECT Status__c, Name FROM SLA_Timer__c WHERE Timer_Key__c = '${key}'`
  );
  expect(rows.totalSize).toBe(1);
  expect(rows.records[0].Status__c).toBe('Met');
  expect(rows.records[0].Name).toMatch(/^SLA-\d{6}$/);
  // Timer_Key__c is case-sensitive: another case is another timer
  const other = await conn.sobject('SLA_Timer__c').upsert({ Timer_Key__c: key.toUpperCase(), Status__c: 'Running' }, 'Timer_Key__c');
  expect(other).toMatchObject({ created: true });
});

test('validation errors carry the real error codes and change nothing', async () => {
  const before = (await conn.query('SELECT COUNT() FROM Lead')).totalSize;
  const lead = conn.sobject('Lead');
  expect((await errorOf(lead.create({ LastName: 'X', Company: 'Y', Bogus__c: 1 }))).errorCode).toBe('INVALID_FIELD');
  const missing = await errorOf(lead.create({ FirstName: 'X' }));
  expect(missing.errorCode).toBe('REQUIRED_FIELD_MISSING');
  expect(missing.message).toContain('LastName');
  expect((await errorOf(lead.create({ LastName: 'X', Company: 'Y', Status: 'Nope' }))).errorCode).toBe(
    'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST'
  );
  expect((await errorOf(lead.create({ LastName: 'X', Company: 'Y', Quality_Rating__c: 'abc' }))).errorCode).toBe('JSON_PARSER_ERROR');
  expect((await errorOf(lead.create({ LastName: 'X', Company: 'Y', MQL_At__c: 'not a date' }))).errorCode).toBe(
    'INVALID_TYPE_ON_FIELD_IN_RECORD'
  );
  expect((await errorOf(lead.create({ LastName: 'X'.repeat(81), Company: 'Y' }))).errorCode).toBe('STRING_TOO_LONG');
  const fb = conn.sobject('Lead_Quality_Feedback__c');
  expect((await errorOf(fb.create({ Lead__c: 'garbage', Disposition__c: 'Accept' }))).errorCode).toBe('MALFORMED_ID');
  const account = await conn.sobject('Account').create({ Name: 'Wrong type' });
  expect((await errorOf(fb.create({ Lead__c: account.id, Disposition__c: 'Accept' }))).errorCode).toBe('INVALID_CROSS_REFERENCE_KEY');
  const gone = await newLead();
  await lead.destroy(gone);
  expect((await errorOf(fb.create({ Lead__c: gone, Disposition__c: 'Accept' }))).errorCode).toBe('INVALID_CROSS_REFERENCE_KEY');
  expect((await errorOf(fb.create({ Lead__c: await newLead(), Disposition__c: 'Maybe' }))).errorCode).toBe(
    'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST'
  );
  await conn.sobject('SLA_Calendar__c').create({ Name: 'NY', Business_Hours_Id__c: '01mDUPLICATE00001' });
  expect(
    (await errorOf(conn.sobject('SLA_Calendar__c').create({ Name: 'NY2', Business_Hours_Id__c: '01mDUPLICATE00001' }))).errorCode
  ).toBe('DUPLICATE_VALUE');
  expect((await errorOf(conn.sobject('Nope__c').create({ Name: 'x' }))).errorCode).toBe('NOT_FOUND');
  expect((await errorOf(conn.query('SELECT Id FROM Nope__c'))).errorCode).toBe('INVALID_TYPE');
  expect((await errorOf(conn.sobject('Lead').retrieve('00Q000000000000AAA'))).errorCode).toBe('NOT_FOUND');
  // three leads were created on purpose above (one deleted): nothing else changed
  expect((await conn.query('SELECT COUNT() FROM Lead')).totalSize).toBe(before + 1);
});

test('a lookup with deleteConstraint SetNull is cleared when the parent is deleted: a lead with feedback can be deleted', async () => {
  const leadId = await newLead();
  const fb = await conn.sobject('Lead_Quality_Feedback__c').create({ Lead__c: leadId, Disposition__c: 'Accept', Rating__c: 4 });
  expect((await conn.sobject('Lead').destroy(leadId)).success).toBe(true);
  const kept = (await conn.sobject('Lead_Quality_Feedback__c').retrieve(fb.id as string)) as unknown as {
    Lead__c: string | null;
    Rating__c: number;
  };
  expect(kept).toMatchObject({ Lead__c: null, Rating__c: 4 });
});

test('a lookup with deleteConstraint Restrict blocks deleting the parent', async () => {
  // an object with a Restrict lookup to Lead, deployed as an admin would (Metadata REST)
  const zip = new JSZip();
  zip.file(
    'package.xml',
    '<?xml version="1.0" encoding="UTF-8"?><Package xmlns="http://soap.sforce.com/2006/04/metadata"><version>64.0</version></Package>'
  );
  zip.file(
    'objects/Hold__c.object',
    `<?xml version="1.0" encoding="UTF-8"?>
<CustomObject xmlns="http://soap.sforce.com/2006/04/metadata">
  <label>Hold</label><pluralLabel>Holds</pluralLabel>
  <nameField><label>Hold Name</label><type>Text</type></nameField>
  <sharingModel>ReadWrite</sharingModel><deploymentStatus>Deployed</deploymentStatus>
  <fields><fullName>Lead__c</fullName><label>Lead</label><type>Lookup</type><referenceTo>Lead</referenceTo><relationshipName>Holds</relationshipName><deleteConstraint>Restrict</deleteConstraint></fields>
</CustomObject>`
  );
  const locator = conn.metadata.deployRest(await zip.generateAsync({ type: 'nodebuffer' }), {});
  const { id } = (await (locator as unknown as { _promise: Promise<{ id: string }> })._promise) as { id: string };
  for (let i = 0; i < 200 && !((await conn.metadata.checkDeployStatus(id, true, true)) as unknown as { done: boolean }).done; i++) {
    await new Promise((res) => setTimeout(res, 10));
  }
  const leadId = await newLead();
  expect((await conn.sobject('Hold__c').create({ Name: 'Legal hold', Lead__c: leadId })).success).toBe(true);
  expect((await errorOf(conn.sobject('Lead').destroy(leadId))).errorCode).toBe('DELETE_FAILED');
});

test('collections: create/update/upsert/delete with per-record results', async () => {
  const created = await conn
    .sobject('Lead')
    .create([{ LastName: 'A', Company: 'C1' }, { LastName: 'B' }, { LastName: 'C', Company: 'C3' }], { allOrNone: false });
  expect(created.map((r) => r.success)).toEqual([true, false, true]);
  expect(created[1]).toMatchObject({ success: false, errors: [expect.objectContaining({ statusCode: 'REQUIRED_FIELD_MISSING' })] });
  const ids = created.filter((r) => r.success).map((r) => r.id!);
  const updated = await conn.sobject('Lead').update(ids.map((Id) => ({ Id, Rating: 'Hot' })));
  expect(updated.every((r) => r.success)).toBe(true);
  const hot = await conn.query(`SELECT Id FROM Lead WHERE Rating = 'Hot' AND Id IN ('${ids.join("','")}')`);
  expect(hot.totalSize).toBe(2);
  const keys = [`k1-${Date.now()}`, `k2-${Date.now()}`];
  const up1 = await conn.sobject('SLA_Timer__c').upsert(
    keys.map((k) => ({ Timer_Key__c: k, Status__c: 'Running' })),
    'Timer_Key__c'
  );
  expect(up1.map((r) => (r as { created: boolean }).created)).toEqual([true, true]);
  const up2 = await conn.sobject('SLA_Timer__c').upsert(
    keys.map((k) => ({ Timer_Key__c: k, Status__c: 'Met' })),
    'Timer_Key__c'
  );
  expect(up2.map((r) => (r as { created: boolean }).created)).toEqual([false, false]);
  const del = await conn.sobject('Lead').destroy(ids);
  expect(del.every((r) => r.success)).toBe(true);
  const again = await conn.sobject('Lead').destroy(ids, { allOrNone: false });
  expect(again[0]).toMatchObject({ success: false, errors: [expect.objectContaining({ statusCode: 'ENTITY_IS_DELETED' })] });
  const retrieved = (await conn.sobject('SLA_Timer__c').retrieve([up1[0].id!, up1[1].id!], { fields: ['Status__c'] })) as Array<
    Record<string, unknown>
  >;
  expect(retrieved.map((r) => r.Status__c)).toEqual(['Met', 'Met']);
});

test('an allOrNone upsert rolled back still says which records were new (created) and which matched', async () => {
  // jsforce's own integration test ("upsert 5 records … with allOrNone=true and one invalid record,
  // expect rollback") holds a real org to this: every record is success false, the new ones created
  // true — the bad one (MALFORMED_ID on OwnerId) too — and none is saved
  const key = `roll-${Date.now()}`;
  await conn.sobject('SLA_Timer__c').upsert({ Timer_Key__c: `${key}-0`, Status__c: 'Running' }, 'Timer_Key__c');
  const res = (await conn.sobject('SLA_Timer__c').upsert(
    [0, 1, 2].map((i) => ({ Timer_Key__c: `${key}-${i}`, Status__c: 'Met', ...(i === 2 ? { OwnerId: 'INVALID_OWNER' } : {}) })),
    'Timer_Key__c',
    { allOrNone: true }
  )) as Array<{ success: boolean; created: boolean; errors: Array<{ statusCode: string }> }>;
  expect(res.map((r) => [r.success, r.created, r.errors[0]?.statusCode])).toEqual([
    [false, false, 'ALL_OR_NONE_OPERATION_ROLLED_BACK'],
    [false, true, 'ALL_OR_NONE_OPERATION_ROLLED_BACK'],
    [false, true, 'MALFORMED_ID']
  ]);
  const saved = await conn.query<{ Timer_Key__c: string; Status__c: string }>(
    `SELECT Timer_Key__c, Status__c FROM SLA_Timer__c WHERE Timer_Key__c LIKE '${key}-%'`
  );
  expect(saved.records.map((r) => [r.Timer_Key__c, r.Status__c])).toEqual([[`${key}-0`, 'Running']]);
});

test('allOrNone: one bad record rolls back the whole collection', async () => {
  const before = (await conn.query('SELECT COUNT() FROM Lead')).totalSize;
  const res = await conn.sobject('Lead').create(
    [
      { LastName: 'Good', Company: 'G' },
      { LastName: 'Bad', Company: 'B', Status: 'Nope' }
    ],
    { allOrNone: true }
  );
  expect(res[0]).toMatchObject({ success: false, errors: [expect.objectContaining({ statusCode: 'ALL_OR_NONE_OPERATION_ROLLED_BACK' })] });
  expect(res[1]).toMatchObject({
    success: false,
    errors: [expect.objectContaining({ statusCode: 'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST' })]
  });
  expect((await conn.query('SELECT COUNT() FROM Lead')).totalSize).toBe(before);
  const tooMany = Array.from({ length: 201 }, (_, i) => ({ attributes: { type: 'Lead' }, LastName: `L${i}`, Company: 'X' }));
  const err = await errorOf(
    conn.request({
      method: 'POST',
      url: '/services/data/v64.0/composite/sobjects',
      body: JSON.stringify({ allOrNone: false, records: tooMany }),
      headers: { 'content-type': 'application/json' }
    })
  );
  expect(err.errorCode).toBe('EXCEEDED_ID_LIMIT');
});

test('a Status or Owner change on a tracked field writes LeadHistory rows the SLA engine can query', async () => {
  const id = await newLead({ Status: 'New' });
  await conn.sobject('Lead').update({ Id: id, Status: 'Marketing Qualified' });
  const queue = await conn.sobject('Group').create({ Name: 'Inbound', Type: 'Queue' });
  await conn.sobject('Lead').update({ Id: id, OwnerId: queue.id });
  const h = await conn.query<{
    Field: string;
    OldValue: unknown;
    NewValue: unknown;
    DataType: string;
    CreatedById: string;
    CreatedDate: string;
  }>(`SELECT Field, DataType, OldValue, NewValue, CreatedById, CreatedDate FROM LeadHistory WHERE LeadId = '${id}' ORDER BY CreatedDate`);
  const byField = h.records.filter((r) => r.Field !== 'created');
  expect(byField).toEqual(
    expect.arrayContaining([
      expect.objectContaining({ Field: 'Status', OldValue: 'New', NewValue: 'Marketing Qualified', CreatedById: org.userId }),
      expect.objectContaining({ Field: 'Owner', DataType: 'EntityId', OldValue: org.userId, NewValue: queue.id }),
      expect.objectContaining({ Field: 'Owner', DataType: 'Text', OldValue: 'Local Admin', NewValue: 'Inbound' })
    ])
  );
  // untracked fields write nothing
  await conn.sobject('Lead').update({ Id: id, Title: 'CTO' });
  expect((await conn.query(`SELECT COUNT() FROM LeadHistory WHERE LeadId = '${id}'`)).totalSize).toBe(h.totalSize);
  const owner = await conn.query<{ Owner: { Name: string } }>(`SELECT Owner.Name FROM Lead WHERE Id = '${id}'`);
  expect(owner.records[0].Owner.Name).toBe('Inbound');
});

test('local-org allowances: audit fields on insert, direct history rows, conversion fields', async () => {
  const when = '2025-03-04T15:00:00.000Z';
  const id = await newLead({ CreatedDate: when, IsConverted: true, ConvertedDate: '2025-03-10' });
  const rec = (await conn.sobject('Lead').retrieve(id)) as Record<string, unknown>;
  expect(rec).toMatchObject({ CreatedDate: '2025-03-04T15:00:00.000+0000', IsConverted: true, ConvertedDate: '2025-03-10' });
  const h = await conn
    .sobject('LeadHistory')
    .create({ LeadId: id, Field: 'Status', OldValue: 'New', NewValue: 'Working', CreatedDate: when });
  expect(h.success).toBe(true);
  const rows = await conn.query(`SELECT NewValue, CreatedDate FROM LeadHistory WHERE Id = '${h.id}'`);
  expect(rows.records[0]).toMatchObject({ NewValue: 'Working', CreatedDate: '2025-03-04T15:00:00.000+0000' });
  const task = await conn
    .sobject('Task')
    .create({ WhoId: id, Subject: 'Call', Status: 'Completed', CreatedDate: when, LastModifiedDate: when });
  expect(((await conn.sobject('Task').retrieve(task.id!)) as Record<string, unknown>).CompletedDateTime).toBe(
    '2025-03-04T15:00:00.000+0000'
  );
  // audit fields stay read-only on update
  expect((await errorOf(conn.sobject('Lead').update({ Id: id, CreatedDate: when }))).errorCode).toBe('INVALID_FIELD_FOR_INSERT_UPDATE');
});

test("back-dated inserts: the created history row and a campaign response keep the record's own creator and day", async () => {
  const profile = await conn.query<{ Id: string }>("SELECT Id FROM Profile WHERE Name = 'Standard User'");
  const rep = await conn.sobject('User').create({
    LastName: 'Rep',
    Username: 'backdated.rep@example.com',
    Email: 'backdated.rep@example.com',
    Alias: 'brep',
    ProfileId: profile.records[0].Id,
    TimeZoneSidKey: 'America/New_York',
    LocaleSidKey: 'en_US',
    EmailEncodingKey: 'UTF-8',
    LanguageLocaleKey: 'en_US'
  });
  expect(rep.success).toBe(true);
  const id = await newLead({ CreatedDate: '2026-03-02T14:00:00.000Z', CreatedById: rep.id });
  const created = await conn.query<{ CreatedById: string; CreatedDate: string }>(
    `SELECT CreatedById, CreatedDate FROM LeadHistory WHERE LeadId = '${id}' AND Field = 'created'`
  );
  expect(created.records[0]).toMatchObject({ CreatedById: rep.id, CreatedDate: '2026-03-02T14:00:00.000+0000' });
  const campaign = await conn.sobject('Campaign').create({ Name: 'Back-dated webinar' });
  const member = await conn
    .sobject('CampaignMember')
    .create({ CampaignId: campaign.id, LeadId: id, Status: 'Responded', CreatedDate: '2026-03-02T15:00:00.000Z' });
  const m = (await conn.sobject('CampaignMember').retrieve(member.id!)) as Record<string, unknown>;
  expect(m).toMatchObject({ HasResponded: true, FirstRespondedDate: '2026-03-02' });
});

test('Opportunity stage drives IsClosed/IsWon and history on StageName', async () => {
  const r = await conn.sobject('Opportunity').create({ Name: 'Deal', StageName: 'Prospecting', CloseDate: '2026-01-31', Amount: 1000 });
  await conn.sobject('Opportunity').update({ Id: r.id!, StageName: 'Closed Won' });
  const o = (await conn.sobject('Opportunity').retrieve(r.id!)) as Record<string, unknown>;
  expect(o).toMatchObject({ IsClosed: true, IsWon: true, Probability: 100 });
  const h = await conn.query(
    `SELECT Field, OldValue, NewValue FROM OpportunityFieldHistory WHERE OpportunityId = '${r.id}' AND Field = 'StageName'`
  );
  expect(h.records[0]).toMatchObject({ OldValue: 'Prospecting', NewValue: 'Closed Won' });
});

test('describe and global describe list our objects with the real field shapes', async () => {
  const g = await conn.describeGlobal();
  const names = g.sobjects.map((s) => s.name);
  expect(names).toEqual(expect.arrayContaining(['Lead', 'Group', 'LeadHistory', 'SLA_Timer__c', 'SLA_Policy__mdt']));
  const d = await conn.sobject('Lead').describe();
  const owner = d.fields.find((f) => f.name === 'OwnerId')!;
  expect(owner).toMatchObject({
    type: 'reference',
    referenceTo: ['User', 'Group'],
    relationshipName: 'Owner',
    polymorphicForeignKey: true
  });
  expect(d.childRelationships).toEqual(
    expect.arrayContaining([expect.objectContaining({ relationshipName: 'Histories', childSObject: 'LeadHistory' })])
  );
  const timer = await conn.sobject('SLA_Timer__c').describe();
  expect(timer.keyPrefix).toMatch(/^a\d[A-Za-z0-9]$/);
  expect(timer.fields.find((f) => f.name === 'Timer_Key__c')).toMatchObject({
    externalId: true,
    unique: true,
    caseSensitive: true,
    length: 255
  });
  expect((await errorOf(conn.sobject('Nope__c').describe())).errorCode).toBe('NOT_FOUND');
});

test('custom metadata records are queryable and read-only', async () => {
  const r = await conn.query<{ DeveloperName: string; Target_Minutes__c: number }>(
    "SELECT DeveloperName, Target_Minutes__c FROM SLA_Policy__mdt WHERE DeveloperName = 'Lead_Accept'"
  );
  expect(r.records[0]).toMatchObject({ DeveloperName: 'Lead_Accept', Target_Minutes__c: 60 });
  expect((await errorOf(conn.sobject('SLA_Policy__mdt').create({ DeveloperName: 'X' }))).errorCode).toBeDefined();
});

test('identity and userinfo name the running user', async () => {
  const me = await conn.identity();
  expect(me).toMatchObject({ user_id: org.userId, display_name: 'Local Admin', username: 'admin@closed-loop.local' });
  const info = await conn.request<{ user_id: string }>('/services/oauth2/userinfo');
  expect(info.user_id).toBe(org.userId);
});

test('limits and the versions list answer like an org', async () => {
  const limits = (await conn.limits()) as unknown as Record<string, { Max: number; Remaining: number }>;
  expect(limits.DailyApiRequests.Max).toBeGreaterThan(0);
  const versions = (await conn.request('/services/data')) as Array<{ version: string }>;
  expect(versions.map((v) => v.version)).toContain('64.0');
});
