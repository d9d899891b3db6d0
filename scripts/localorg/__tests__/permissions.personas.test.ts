import type { Connection } from 'jsforce';
import { startTestOrg, TestOrg, TestUser } from '../testing';

/**
 * The package's persona permission sets, enforced by the local org as an org enforces them: each
 * persona is a Standard User with its permission set assigned, reached through jsforce with a token
 * of its own; the admin token keeps full access. The people measured never edit the measurement:
 * every computed field and every timer field is read-only for reps, marketing and managers, and only
 * the sync's integration user (Closed_Loop_Sync) writes them.
 */
let org: TestOrg;
let admin: Connection;
let rep: TestUser;
let otherRep: TestUser;
let marketing: TestUser;
let manager: TestUser;
let sync: TestUser;
let plain: TestUser;
let leadId: string;
let timerId: string;

const unableToUpdate = (field: string) =>
  `Unable to create/update fields: ${field}. Please check the security settings of this field and verify that it is read/write for your profile or permission set.`;

beforeAll(async () => {
  org = await startTestOrg();
  admin = org.conn;
  rep = await org.createUser({ username: 'rep@example.com', permissionSets: ['Closed_Loop_Rep'] });
  otherRep = await org.createUser({ username: 'rep2@example.com', permissionSets: ['Closed_Loop_Rep'] });
  marketing = await org.createUser({ username: 'marketing@example.com', permissionSets: ['Closed_Loop_Marketing'] });
  manager = await org.createUser({ username: 'manager@example.com', permissionSets: ['Closed_Loop_Manager'] });
  sync = await org.createUser({ username: 'closed-loop-sync@example.com', permissionSets: ['Closed_Loop_Sync'] });
  plain = await org.createUser({ username: 'plain@example.com' });
  leadId = (await admin.sobject('Lead').create({ LastName: 'Measured', Company: 'Acme', OwnerId: rep.userId })).id!;
  timerId = (
    await admin.sobject('SLA_Timer__c').create({
      Lead__c: leadId,
      Clock__c: 'First Touch',
      Status__c: 'Running',
      Timer_Key__c: `${leadId}:First Touch:2026-01-05T14:00:00.000Z`,
      Accountable_User__c: rep.userId
    })
  ).id!;
});
afterAll(() => org.close());

describe('a rep', () => {
  test('setting a computed Lead field is INVALID_FIELD_FOR_INSERT_UPDATE, with the real message', async () => {
    for (const [field, value] of [
      ['SLA_Status__c', 'Met'],
      ['Quality_Rating__c', 5],
      ['Recycle_Count__c', 0],
      ['MQL_At__c', '2026-01-01T00:00:00Z']
    ] as const) {
      await expect(rep.conn.sobject('Lead').update({ Id: leadId, [field]: value })).rejects.toMatchObject({
        errorCode: 'INVALID_FIELD_FOR_INSERT_UPDATE',
        message: unableToUpdate(field)
      });
    }
    // nothing was written, and the fields the rep may edit still save
    await rep.conn.sobject('Lead').update({ Id: leadId, Title: 'VP', Needs_Dedupe__c: true });
    const lead = await admin.sobject('Lead').retrieve(leadId);
    expect(lead).toMatchObject({ SLA_Status__c: null, MQL_At__c: null, Quality_Rating__c: null, Title: 'VP', Needs_Dedupe__c: true });
  });

  test('setting Submitted_At__c on feedback or a review is INVALID_FIELD_FOR_INSERT_UPDATE (the sync stamps it)', async () => {
    await expect(
      rep.conn.sobject('Lead_Quality_Feedback__c').create({ Lead__c: leadId, Rating__c: 4, Submitted_At__c: '2020-01-01T00:00:00Z' })
    ).rejects.toMatchObject({ errorCode: 'INVALID_FIELD_FOR_INSERT_UPDATE', message: unableToUpdate('Submitted_At__c') });
    const fb = await rep.conn.sobject('Lead_Quality_Feedback__c').create({ Lead__c: leadId, Rating__c: 4 });
    await expect(
      rep.conn.sobject('Lead_Quality_Feedback__c').update({ Id: fb.id!, Submitted_At__c: '2020-01-01T00:00:00Z' })
    ).rejects.toMatchObject({
      errorCode: 'INVALID_FIELD_FOR_INSERT_UPDATE'
    });
    await expect(
      rep.conn.sobject('Win_Loss_Review__c').create({ Outcome__c: 'Won', Submitted_At__c: '2020-01-01T00:00:00Z' })
    ).rejects.toMatchObject({
      errorCode: 'INVALID_FIELD_FOR_INSERT_UPDATE'
    });
  });

  test('setting an SLA timer field is INVALID_FIELD_FOR_INSERT_UPDATE, and a timer cannot be created or deleted', async () => {
    await expect(rep.conn.sobject('SLA_Timer__c').update({ Id: timerId, Status__c: 'Met' })).rejects.toMatchObject({
      errorCode: 'INVALID_FIELD_FOR_INSERT_UPDATE',
      message: unableToUpdate('Status__c')
    });
    await expect(rep.conn.sobject('SLA_Timer__c').create({ Lead__c: leadId, Status__c: 'Met' })).rejects.toMatchObject({
      errorCode: 'INVALID_FIELD_FOR_INSERT_UPDATE'
    });
    await expect(rep.conn.sobject('SLA_Timer__c').destroy(timerId)).rejects.toMatchObject({ errorCode: 'INSUFFICIENT_ACCESS_OR_READONLY' });
    const timer = await admin.sobject('SLA_Timer__c').retrieve(timerId);
    expect(timer).toMatchObject({ Status__c: 'Running', IsDeleted: false });
  });

  test('creates and edits their own feedback; editing another rep\u2019s is INSUFFICIENT_ACCESS_OR_READONLY; reads both (Public Read Only)', async () => {
    const mine = await rep.conn.sobject('Lead_Quality_Feedback__c').create({ Lead__c: leadId, Rating__c: 4, Disposition__c: 'Accept' });
    expect(mine.success).toBe(true);
    await rep.conn.sobject('Lead_Quality_Feedback__c').update({ Id: mine.id!, Rating__c: 5 });
    await expect(otherRep.conn.sobject('Lead_Quality_Feedback__c').update({ Id: mine.id!, Rating__c: 1 })).rejects.toMatchObject({
      errorCode: 'INSUFFICIENT_ACCESS_OR_READONLY',
      message: 'insufficient access rights on object id'
    });
    const seen = await otherRep.conn.query<{ Id: string; Rating__c: number; OwnerId: string }>(
      `SELECT Id, Rating__c, OwnerId FROM Lead_Quality_Feedback__c WHERE Id = '${mine.id}'`
    );
    expect(seen.records).toEqual([expect.objectContaining({ Rating__c: 5, OwnerId: rep.userId })]);
    // no Delete in the Rep permission set, even on their own
    await expect(rep.conn.sobject('Lead_Quality_Feedback__c').destroy(mine.id!)).rejects.toMatchObject({
      errorCode: 'INSUFFICIENT_ACCESS_OR_READONLY'
    });
    // a collection with one refused record rolls back as the API says (allOrNone)
    const results = await otherRep.conn.sobject('Lead_Quality_Feedback__c').update(
      [
        { Id: mine.id!, Rating__c: 2 },
        { Id: mine.id!, Comment__c: 'x' }
      ],
      { allOrNone: true }
    );
    expect(results.every((r) => !r.success)).toBe(true);
    expect((await admin.sobject('Lead_Quality_Feedback__c').retrieve(mine.id!)).Rating__c).toBe(5);
  });
});

describe('marketing', () => {
  test('reads every feedback and timer, clears Needs_Dedupe__c, and writes nothing else', async () => {
    const fb = await admin
      .sobject('Lead_Quality_Feedback__c')
      .create({ Lead__c: leadId, Rating__c: 2, Disposition__c: 'Reject', Reason__c: 'Spam' });
    const r = await marketing.conn.query(`SELECT Id, Rating__c, Reason__c FROM Lead_Quality_Feedback__c WHERE Id = '${fb.id}'`);
    expect(r.totalSize).toBe(1);
    expect((await marketing.conn.query(`SELECT Id, Status__c FROM SLA_Timer__c WHERE Id = '${timerId}'`)).totalSize).toBe(1);
    await admin.sobject('Lead').update({ Id: leadId, Needs_Dedupe__c: true });
    await marketing.conn.sobject('Lead').update({ Id: leadId, Needs_Dedupe__c: false });
    expect((await admin.sobject('Lead').retrieve(leadId)).Needs_Dedupe__c).toBe(false);
    await expect(marketing.conn.sobject('Lead').update({ Id: leadId, Quality_Rating__c: 1 })).rejects.toMatchObject({
      errorCode: 'INVALID_FIELD_FOR_INSERT_UPDATE'
    });
    await expect(marketing.conn.sobject('Lead_Quality_Feedback__c').update({ Id: fb.id!, Rating__c: 5 })).rejects.toMatchObject({
      errorCode: 'INVALID_FIELD_FOR_INSERT_UPDATE'
    });
    await expect(marketing.conn.sobject('Lead_Quality_Feedback__c').create({ Lead__c: leadId, Rating__c: 5 })).rejects.toMatchObject({
      errorCode: 'INVALID_FIELD_FOR_INSERT_UPDATE'
    });
  });
});

describe('a manager', () => {
  test('reads every timer and the sync state, and editing a timer or a computed field is refused', async () => {
    await expect(manager.conn.sobject('SLA_Timer__c').update({ Id: timerId, Status__c: 'Met' })).rejects.toMatchObject({
      errorCode: 'INVALID_FIELD_FOR_INSERT_UPDATE',
      message: unableToUpdate('Status__c')
    });
    await expect(manager.conn.sobject('SLA_Timer__c').destroy(timerId)).rejects.toMatchObject({
      errorCode: 'INSUFFICIENT_ACCESS_OR_READONLY'
    });
    await expect(manager.conn.sobject('Lead').update({ Id: leadId, SLA_Status__c: 'Met' })).rejects.toMatchObject({
      errorCode: 'INVALID_FIELD_FOR_INSERT_UPDATE'
    });
    expect((await admin.sobject('SLA_Timer__c').retrieve(timerId)).Status__c).toBe('Running');
    expect((await manager.conn.query(`SELECT Id, Status__c, Due_At__c FROM SLA_Timer__c WHERE Id = '${timerId}'`)).totalSize).toBe(1);
    const state = await sync.conn.sobject('SLA_Sync_State__c').create({ Name: 'manager-read', Key__c: 'manager-read' });
    expect((await manager.conn.query(`SELECT Id FROM SLA_Sync_State__c WHERE Id = '${state.id}'`)).totalSize).toBe(1);
  });
});

describe('the sync user (Closed_Loop_Sync)', () => {
  test('writes timers, sync state and the computed fields, on every record and on converted leads', async () => {
    await sync.conn.sobject('SLA_Timer__c').update({ Id: timerId, Status__c: 'At Risk', Elapsed_Business_Minutes__c: 42 });
    const created = await sync.conn.sobject('SLA_Timer__c').create({ Lead__c: leadId, Clock__c: 'Accept', Status__c: 'Met' });
    await sync.conn.sobject('SLA_Timer__c').upsert({ Timer_Key__c: 'sync:upsert', Status__c: 'Running' }, 'Timer_Key__c');
    await sync.conn.sobject('Lead').update({ Id: leadId, SLA_Status__c: 'At Risk', Quality_Rating__c: 4, Recycle_Count__c: 1 });
    const converted = (await admin.sobject('Lead').create({ LastName: 'Converted', Company: 'C', IsConverted: true, OwnerId: rep.userId }))
      .id!;
    await expect(rep.conn.sobject('Lead').update({ Id: converted, Title: 'x' })).rejects.toMatchObject({
      errorCode: 'CANNOT_UPDATE_CONVERTED_LEAD'
    });
    await sync.conn.sobject('Lead').update({ Id: converted, SLA_Status__c: 'Met' });
    const fb = await rep.conn.sobject('Lead_Quality_Feedback__c').create({ Lead__c: leadId, Rating__c: 3 });
    await sync.conn.sobject('Lead_Quality_Feedback__c').update({ Id: fb.id!, Submitted_At__c: '2026-01-05T15:00:00Z' });
    await sync.conn.sobject('SLA_Timer__c').destroy(created.id!);
    expect(await admin.sobject('Lead').retrieve(converted)).toMatchObject({ SLA_Status__c: 'Met' });
    expect(await admin.sobject('SLA_Timer__c').retrieve(timerId)).toMatchObject({ Status__c: 'At Risk', Elapsed_Business_Minutes__c: 42 });
    await admin.sobject('SLA_Timer__c').update({ Id: timerId, Status__c: 'Running' });
  });
});

describe('the admin token', () => {
  test('keeps full access: computed fields, timers, other users\u2019 records, delete', async () => {
    await admin.sobject('Lead').update({ Id: leadId, SLA_Status__c: 'At Risk' });
    await admin.sobject('SLA_Timer__c').update({ Id: timerId, Status__c: 'At Risk' });
    const fb = await rep.conn.sobject('Lead_Quality_Feedback__c').create({ Lead__c: leadId, Rating__c: 3 });
    await admin.sobject('Lead_Quality_Feedback__c').update({ Id: fb.id!, Rating__c: 1 });
    await admin.sobject('Lead_Quality_Feedback__c').destroy(fb.id!);
    expect((await admin.sobject('SLA_Timer__c').retrieve(timerId)).Status__c).toBe('At Risk');
    await admin.sobject('SLA_Timer__c').update({ Id: timerId, Status__c: 'Running' });
  });
});

describe('what a user cannot read does not exist for them', () => {
  test('describe leaves out unreadable fields and objects, and says what the user may write', async () => {
    const leadForPlain = await plain.conn.sobject('Lead').describe();
    const names = leadForPlain.fields.map((f) => f.name);
    expect(names).toEqual(expect.arrayContaining(['Id', 'Name', 'Status', 'OwnerId']));
    expect(names).not.toContain('SLA_Status__c');
    expect(names).not.toContain('Quality_Rating__c');
    const global = await plain.conn.describeGlobal();
    expect(global.sobjects.map((o) => o.name)).not.toContain('Lead_Quality_Feedback__c');
    await expect(plain.conn.sobject('SLA_Timer__c').describe()).rejects.toMatchObject({ errorCode: 'NOT_FOUND' });

    const leadForRep = await rep.conn.sobject('Lead').describe();
    const field = (n: string) => leadForRep.fields.find((f) => f.name === n)!;
    expect(field('SLA_Status__c')).toMatchObject({ updateable: false, createable: false });
    expect(field('Needs_Dedupe__c')).toMatchObject({ updateable: true, createable: true });
    const timers = await rep.conn.sobject('SLA_Timer__c').describe();
    expect(timers).toMatchObject({ queryable: true, createable: false, updateable: false, deletable: false });
    expect(timers.fields.find((f) => f.name === 'Status__c')).toMatchObject({ updateable: false });
  });

  test('SOQL: an unreadable field is INVALID_FIELD and an unreadable object INVALID_TYPE, with Salesforce\u2019s messages', async () => {
    await expect(plain.conn.query(`SELECT Id, SLA_Status__c FROM Lead`)).rejects.toMatchObject({
      errorCode: 'INVALID_FIELD',
      message: expect.stringContaining("No such column 'SLA_Status__c' on entity 'Lead'")
    });
    await expect(plain.conn.query(`SELECT Id FROM Lead WHERE Quality_Rating__c > 3`)).rejects.toMatchObject({ errorCode: 'INVALID_FIELD' });
    await expect(plain.conn.query(`SELECT Id FROM SLA_Timer__c`)).rejects.toMatchObject({
      errorCode: 'INVALID_TYPE',
      message: expect.stringContaining("sObject type 'SLA_Timer__c' is not supported")
    });
    const withFeedback = `SELECT Id, (SELECT Id FROM Lead_Quality_Feedback__r) FROM Lead WHERE Id = '${leadId}'`;
    expect((await rep.conn.query(withFeedback)).totalSize).toBe(1);
    await expect(plain.conn.query(withFeedback)).rejects.toMatchObject({ errorCode: 'INVALID_TYPE' });
    await expect(plain.conn.query(`SELECT Id FROM SLA_Policy__mdt`)).rejects.toMatchObject({ errorCode: 'INVALID_TYPE' });
    // the rep's permission set grants the custom metadata types and the fields
    expect((await rep.conn.query(`SELECT Id, SLA_Status__c FROM Lead WHERE Id = '${leadId}'`)).totalSize).toBe(1);
    expect((await rep.conn.query(`SELECT DeveloperName FROM SLA_Policy__mdt`)).totalSize).toBeGreaterThan(0);
    // a record read by id leaves out what the user cannot see, and refuses naming it
    const lead = await plain.conn.sobject('Lead').retrieve(leadId);
    expect(lead).toHaveProperty('Company', 'Acme');
    expect(lead).not.toHaveProperty('SLA_Status__c');
    await expect(plain.conn.request(`/services/data/v64.0/sobjects/Lead/${leadId}?fields=Company,SLA_Status__c`)).rejects.toMatchObject({
      errorCode: 'INVALID_FIELD'
    });
  });

  test('writing a field the user cannot see is INVALID_FIELD, as if it did not exist', async () => {
    await expect(plain.conn.sobject('Lead').update({ Id: leadId, Quality_Rating__c: 5 })).rejects.toMatchObject({
      errorCode: 'INVALID_FIELD',
      message: "No such column 'Quality_Rating__c' on sobject of type Lead"
    });
    await expect(plain.conn.sobject('SLA_Timer__c').create({ Status__c: 'Met' })).rejects.toMatchObject({ errorCode: 'NOT_FOUND' });
    const composite = await plain.conn.sobject('SLA_Timer__c').create([{ Status__c: 'Met' }], { allOrNone: false });
    expect(composite[0]).toMatchObject({ success: false, errors: [expect.objectContaining({ statusCode: 'INVALID_TYPE' })] });
  });
});
