import JSZip from 'jszip';
import type { Connection } from 'jsforce';
import { startTestOrg, TestOrg, TestUser } from '../testing';

/**
 * Record sharing from the custom objects' org-wide defaults, lookups to records a user cannot see,
 * converted leads, and how assignments change what a user may do — on test-only objects and
 * permission sets deployed into the org here.
 */
const NS = 'xmlns="http://soap.sforce.com/2006/04/metadata"';
const text = (name: string) => `<fields><fullName>${name}</fullName><label>${name}</label><type>Text</type><length>40</length></fields>`;
const object = (label: string, sharing: string, fields: string) => `<?xml version="1.0" encoding="UTF-8"?>
<CustomObject ${NS}><label>${label}</label><pluralLabel>${label}s</pluralLabel>
  <nameField><label>Name</label><type>Text</type></nameField><sharingModel>${sharing}</sharingModel><deploymentStatus>Deployed</deploymentStatus>
  ${fields}</CustomObject>`;
const crud = (obj: string, extra = '') =>
  `<objectPermissions><allowCreate>true</allowCreate><allowDelete>true</allowDelete><allowEdit>true</allowEdit><allowRead>true</allowRead><modifyAllRecords>false</modifyAllRecords><object>${obj}</object><viewAllRecords>false</viewAllRecords>${extra}</objectPermissions>`;
const fls = (field: string, editable = true) =>
  `<fieldPermissions><editable>${editable}</editable><field>${field}</field><readable>true</readable></fieldPermissions>`;
const permissionSet = (label: string, body: string) =>
  `<?xml version="1.0" encoding="UTF-8"?><PermissionSet ${NS}>${body}<hasActivationRequired>false</hasActivationRequired><label>${label}</label></PermissionSet>`;

const FILES: Record<string, string> = {
  'objects/Secret__c.object': object('Secret', 'Private', text('Code__c')),
  'objects/Secret_Note__c.object': object(
    'Secret Note',
    'ReadWrite',
    text('Text__c') +
      '<fields><fullName>Secret__c</fullName><label>Secret</label><type>Lookup</type><referenceTo>Secret__c</referenceTo><relationshipName>Notes</relationshipName><deleteConstraint>SetNull</deleteConstraint></fields>'
  ),
  'objects/Secret_Detail__c.object': object(
    'Secret Detail',
    'ControlledByParent',
    text('Text__c') +
      '<fields><fullName>Secret__c</fullName><label>Secret</label><type>MasterDetail</type><referenceTo>Secret__c</referenceTo><relationshipName>Details</relationshipName></fields>'
  ),
  'permissionsets/Test_Secrets.permissionset': permissionSet(
    'Test Secrets',
    crud('Secret_Detail__c') +
      crud('Secret_Note__c') +
      crud('Secret__c') +
      fls('Secret__c.Code__c') +
      fls('Secret_Note__c.Secret__c') +
      fls('Secret_Note__c.Text__c') +
      fls('Secret_Detail__c.Text__c')
  ),
  'permissionsets/Test_Secrets_View_All.permissionset': permissionSet(
    'Test Secrets View All',
    '<objectPermissions><allowRead>true</allowRead><object>Secret__c</object><viewAllRecords>true</viewAllRecords></objectPermissions>' +
      fls('Secret__c.Code__c', false)
  ),
  'permissionsets/Test_Timer_Editor.permissionset': permissionSet(
    'Test Timer Editor',
    '<objectPermissions><allowCreate>true</allowCreate><allowEdit>true</allowEdit><allowRead>true</allowRead><object>SLA_Timer__c</object></objectPermissions>' +
      fls('SLA_Timer__c.Status__c') +
      fls('SLA_Timer__c.Clock__c') +
      fls('SLA_Timer__c.Lead__c')
  ),
  'permissionsets/Test_Converted_Leads.permissionset': permissionSet(
    'Test Converted Leads',
    '<userPermissions><enabled>true</enabled><name>ViewEditConvertedLeads</name></userPermissions>'
  )
};

async function deploy(conn: Connection, files: Record<string, string>): Promise<void> {
  const zip = new JSZip();
  zip.file('package.xml', `<?xml version="1.0" encoding="UTF-8"?><Package ${NS}><version>64.0</version></Package>`);
  for (const [name, content] of Object.entries(files)) zip.file(name, content);
  const locator = conn.metadata.deployRest(await zip.generateAsync({ type: 'nodebuffer' }), {});
  const { id } = await (locator as unknown as { _promise: Promise<{ id: string }> })._promise;
  for (let i = 0; i < 500; i++) {
    const r = (await conn.metadata.checkDeployStatus(id, true, true)) as unknown as { done: boolean; success: boolean };
    if (r.done) {
      if (!r.success) throw new Error(`test metadata did not deploy: ${JSON.stringify(r)}`);
      return;
    }
    await new Promise((res) => setTimeout(res, 10));
  }
  throw new Error('deploy did not finish');
}

let org: TestOrg;
let admin: Connection;
let alice: TestUser;
let bob: TestUser;
let auditor: TestUser;

beforeAll(async () => {
  org = await startTestOrg();
  admin = org.conn;
  await deploy(admin, FILES);
  alice = await org.createUser({ username: 'alice@example.com', permissionSets: ['Test_Secrets'] });
  bob = await org.createUser({ username: 'bob@example.com', permissionSets: ['Test_Secrets'] });
  auditor = await org.createUser({ username: 'auditor@example.com', permissionSets: ['Test_Secrets_View_All'] });
});
afterAll(() => org.close());

const ids = async (conn: Connection, soql: string) => (await conn.query<{ Id: string }>(soql)).records.map((r) => r.Id).sort();

describe('a Private object', () => {
  test('shows each user their own records; View All and the admin see every one', async () => {
    const a = (await alice.conn.sobject('Secret__c').create({ Name: 'Alice 1', Code__c: 'A1' })).id!;
    const b = (await bob.conn.sobject('Secret__c').create({ Name: 'Bob 1', Code__c: 'B1' })).id!;
    expect(await ids(alice.conn, 'SELECT Id FROM Secret__c')).toEqual([a]);
    expect(await ids(bob.conn, 'SELECT Id FROM Secret__c')).toEqual([b]);
    expect((await bob.conn.query('SELECT COUNT() FROM Secret__c')).totalSize).toBe(1);
    expect(await ids(auditor.conn, 'SELECT Id FROM Secret__c')).toEqual([a, b].sort());
    expect(await ids(admin, 'SELECT Id FROM Secret__c')).toEqual([a, b].sort());
    // by id too: not found for who cannot see it, and not theirs to change
    await expect(bob.conn.sobject('Secret__c').retrieve(a)).rejects.toMatchObject({ errorCode: 'NOT_FOUND' });
    await expect(bob.conn.sobject('Secret__c').update({ Id: a, Code__c: 'X' })).rejects.toMatchObject({
      errorCode: 'INSUFFICIENT_ACCESS_OR_READONLY'
    });
    await expect(bob.conn.sobject('Secret__c').destroy(a)).rejects.toMatchObject({ errorCode: 'INSUFFICIENT_ACCESS_OR_READONLY' });
    // View All reads, but edits nothing it does not own
    await expect(auditor.conn.sobject('Secret__c').update({ Id: a, Name: 'Renamed' })).rejects.toMatchObject({
      errorCode: 'INVALID_FIELD_FOR_INSERT_UPDATE'
    });
    // semi-joins and aggregates see only readable records as well
    expect((await bob.conn.query<{ n: number }>('SELECT COUNT(Id) n FROM Secret__c')).records[0].n).toBe(1);
  });

  test('a record owned by a queue is visible to the queue’s members', async () => {
    const queue = (await admin.sobject('Group').create({ Name: 'Secret Keepers', Type: 'Queue' })).id!;
    await admin.sobject('GroupMember').create({ GroupId: queue, UserOrGroupId: bob.userId });
    const s = (await admin.sobject('Secret__c').create({ Name: 'Queued', OwnerId: queue })).id!;
    expect(await ids(bob.conn, `SELECT Id FROM Secret__c WHERE Id = '${s}'`)).toEqual([s]);
    expect(await ids(alice.conn, `SELECT Id FROM Secret__c WHERE Id = '${s}'`)).toEqual([]);
    await bob.conn.sobject('Secret__c').update({ Id: s, Code__c: 'Q' });
  });

  test('a lookup to a record the user cannot see is INSUFFICIENT_ACCESS_ON_CROSS_REFERENCE_ENTITY', async () => {
    const hidden = (await alice.conn.sobject('Secret__c').create({ Name: 'Hidden' })).id!;
    const own = (await bob.conn.sobject('Secret__c').create({ Name: 'Own' })).id!;
    await expect(bob.conn.sobject('Secret_Note__c').create({ Name: 'n', Secret__c: hidden })).rejects.toMatchObject({
      errorCode: 'INSUFFICIENT_ACCESS_ON_CROSS_REFERENCE_ENTITY',
      message: `insufficient access rights on cross-reference id: ${hidden}`,
      data: { fields: ['Secret__c'] }
    });
    const note = (await bob.conn.sobject('Secret_Note__c').create({ Name: 'n', Secret__c: own })).id!;
    await expect(bob.conn.sobject('Secret_Note__c').update({ Id: note, Secret__c: hidden })).rejects.toMatchObject({
      errorCode: 'INSUFFICIENT_ACCESS_ON_CROSS_REFERENCE_ENTITY'
    });
    // a Public Read/Write object: anyone with Edit edits it, only the owner deletes it
    await alice.conn.sobject('Secret_Note__c').update({ Id: note, Text__c: 'edited by Alice' });
    await expect(alice.conn.sobject('Secret_Note__c').destroy(note)).rejects.toMatchObject({
      errorCode: 'INSUFFICIENT_ACCESS_OR_READONLY'
    });
    await bob.conn.sobject('Secret_Note__c').destroy(note);
  });
  test('updated and deleted (data replication) list only the records the user may read', async () => {
    // "Information on deleted records is returned only if the current session user has access to them"
    // (REST API Developer Guide, sObject Get Deleted); the same for updated records
    const start = new Date(Date.now() - 5 * 60_000);
    const a = (await alice.conn.sobject('Secret__c').create({ Name: 'Alice replicated' })).id!;
    const b = (await bob.conn.sobject('Secret__c').create({ Name: 'Bob replicated' })).id!;
    const end = new Date(Date.now() + 5 * 60_000);
    const updated = async (conn: Connection) => (await conn.sobject('Secret__c').updated(start, end)).ids;
    expect(await updated(alice.conn)).toContain(a);
    expect(await updated(alice.conn)).not.toContain(b);
    expect(await updated(auditor.conn)).toEqual(expect.arrayContaining([a, b]));
    await admin.sobject('Secret__c').destroy([a, b]);
    const deleted = async (conn: Connection) => (await conn.sobject('Secret__c').deleted(start, end)).deletedRecords.map((r) => r.id);
    expect(await deleted(bob.conn)).toEqual([b]);
    expect(await deleted(admin)).toEqual(expect.arrayContaining([a, b]));
  });
});

describe('a ControlledByParent object', () => {
  test('follows its master: visible with it, created and edited only by who may edit the master', async () => {
    const master = (await alice.conn.sobject('Secret__c').create({ Name: 'Master' })).id!;
    const detail = (await alice.conn.sobject('Secret_Detail__c').create({ Name: 'd', Secret__c: master })).id!;
    expect(await ids(alice.conn, `SELECT Id FROM Secret_Detail__c`)).toEqual([detail]);
    expect(await ids(bob.conn, `SELECT Id FROM Secret_Detail__c`)).toEqual([]);
    expect(await ids(admin, `SELECT Id FROM Secret_Detail__c`)).toEqual([detail]);
    await expect(bob.conn.sobject('Secret_Detail__c').create({ Name: 'd2', Secret__c: master })).rejects.toMatchObject({
      errorCode: 'INSUFFICIENT_ACCESS_ON_CROSS_REFERENCE_ENTITY'
    });
    await alice.conn.sobject('Secret_Detail__c').update({ Id: detail, Text__c: 'mine' });
    const children = await alice.conn.query<{ Details__r: { totalSize: number } }>(
      `SELECT Id, (SELECT Id FROM Details__r) FROM Secret__c WHERE Id = '${master}'`
    );
    expect(children.records[0].Details__r.totalSize).toBe(1);
  });
});

describe('Public Read Only SLA timers', () => {
  test('a user with Edit (not Modify All) edits the timers they own and no one else’s', async () => {
    const editor = await org.createUser({ username: 'timer.editor@example.com', permissionSets: ['Test_Timer_Editor'] });
    const lead = (await admin.sobject('Lead').create({ LastName: 'T', Company: 'T' })).id!;
    const own = (await editor.conn.sobject('SLA_Timer__c').create({ Lead__c: lead, Clock__c: 'Accept', Status__c: 'Running' })).id!;
    await editor.conn.sobject('SLA_Timer__c').update({ Id: own, Status__c: 'Met' });
    expect((await admin.sobject('SLA_Timer__c').retrieve(own)).Status__c).toBe('Met');
    const adminsTimer = (await admin.sobject('SLA_Timer__c').create({ Lead__c: lead, Clock__c: 'First Touch', Status__c: 'Running' })).id!;
    await expect(editor.conn.sobject('SLA_Timer__c').update({ Id: adminsTimer, Status__c: 'Met' })).rejects.toMatchObject({
      errorCode: 'INSUFFICIENT_ACCESS_OR_READONLY',
      message: 'insufficient access rights on object id'
    });
    // fields the set does not grant stay read-only or hidden
    await expect(editor.conn.sobject('SLA_Timer__c').update({ Id: own, Timer_Key__c: 'k' })).rejects.toMatchObject({
      errorCode: 'INVALID_FIELD'
    });
  });
});

describe('converted leads', () => {
  test('only View and Edit Converted Leads (or the admin) may update one; the conversion fields are the admin’s to set', async () => {
    const plain = await org.createUser({ username: 'seller@example.com' });
    const converter = await org.createUser({ username: 'converter@example.com', permissionSets: ['Test_Converted_Leads'] });
    const lead = (await admin.sobject('Lead').create({ LastName: 'Won', Company: 'W', IsConverted: true })).id!;
    await expect(plain.conn.sobject('Lead').update({ Id: lead, Title: 'x' })).rejects.toMatchObject({
      errorCode: 'CANNOT_UPDATE_CONVERTED_LEAD',
      message: 'cannot reference converted lead'
    });
    await converter.conn.sobject('Lead').update({ Id: lead, Title: 'CFO' });
    await admin.sobject('Lead').update({ Id: lead, Title: 'CEO' });
    const open = (await plain.conn.sobject('Lead').create({ LastName: 'Open', Company: 'O' })).id!;
    await expect(plain.conn.sobject('Lead').update({ Id: open, IsConverted: true })).rejects.toMatchObject({
      errorCode: 'INVALID_FIELD_FOR_INSERT_UPDATE'
    });
    await expect(
      plain.conn.sobject('Lead').create({ LastName: 'Back', Company: 'B', CreatedDate: '2020-01-01T00:00:00Z' })
    ).rejects.toMatchObject({
      errorCode: 'INVALID_FIELD_FOR_INSERT_UPDATE'
    });
  });
});

describe('assignments', () => {
  test('assigning and removing a permission set changes what the user may do on their next request', async () => {
    const carol = await org.createUser({ username: 'carol@example.com' });
    await expect(carol.conn.query('SELECT Id FROM Secret__c')).rejects.toMatchObject({ errorCode: 'INVALID_TYPE' });
    const ps = (await admin.query<{ Id: string }>("SELECT Id FROM PermissionSet WHERE Name = 'Test_Secrets'")).records[0].Id;
    const assignment = await admin.sobject('PermissionSetAssignment').create({ AssigneeId: carol.userId, PermissionSetId: ps });
    expect((await carol.conn.query('SELECT Id FROM Secret__c')).totalSize).toBe(0);
    await expect(admin.sobject('PermissionSetAssignment').create({ AssigneeId: carol.userId, PermissionSetId: ps })).rejects.toMatchObject({
      errorCode: 'DUPLICATE_VALUE',
      message: expect.stringMatching(/^Duplicate PermissionSetAssignment/)
    });
    const mine = await carol.conn.query<{ PermissionSet: { Name: string } }>(
      `SELECT PermissionSet.Name FROM PermissionSetAssignment WHERE AssigneeId = '${carol.userId}'`
    );
    expect(mine.records.map((r) => r.PermissionSet.Name)).toEqual(['Test_Secrets']);
    // a user cannot grant themselves more
    const viewAll = (await admin.query<{ Id: string }>("SELECT Id FROM PermissionSet WHERE Name = 'Test_Secrets_View_All'")).records[0].Id;
    await expect(
      carol.conn.sobject('PermissionSetAssignment').create({ AssigneeId: carol.userId, PermissionSetId: viewAll })
    ).rejects.toMatchObject({
      errorCode: 'INVALID_FIELD_FOR_INSERT_UPDATE'
    });
    await admin.sobject('PermissionSetAssignment').destroy(assignment.id!);
    await expect(carol.conn.query('SELECT Id FROM Secret__c')).rejects.toMatchObject({ errorCode: 'INVALID_TYPE' });
  });

  test('PermissionSet rows mirror the deployed permission sets', async () => {
    const sets = await admin.query<{ Name: string; Label: string; PermissionsViewEditConvertedLeads: boolean }>(
      "SELECT Name, Label, PermissionsViewEditConvertedLeads FROM PermissionSet WHERE Name LIKE 'Test_%' ORDER BY Name"
    );
    expect(sets.records.map((r) => r.Name)).toEqual(['Test_Converted_Leads', 'Test_Secrets', 'Test_Secrets_View_All', 'Test_Timer_Editor']);
    expect(sets.records[0]).toMatchObject({ Label: 'Test Converted Leads', PermissionsViewEditConvertedLeads: true });
    await expect(admin.sobject('PermissionSet').create({ Name: 'X', Label: 'X' })).rejects.toMatchObject({ errorCode: 'INVALID_TYPE' });
  });
});
