import type { Connection } from 'jsforce';
import { startTestOrg, type TestOrg } from '../../localorg/testing';
import { loadSeedPlan, type LoadResult, type SeedProgress } from '../loader';
import { buildSeedPlan } from '../plan';
import { SEED_OBJECTS, type SeedRecord } from '../types';
import { localConvertLeads } from './localConvert';

const NOW = '2026-03-25T19:07:00.000Z';
const plan = buildSeedPlan({ seed: 11, now: NOW, leads: 400 });

async function count(conn: Connection, sobject: string, where = ''): Promise<number> {
  return (await conn.query(`SELECT COUNT() FROM ${sobject}${where ? ` WHERE ${where}` : ''}`)).totalSize;
}

interface HistoryRow {
  LeadId: string;
  Field: string;
  DataType: string | null;
  OldValue: unknown;
  NewValue: unknown;
  CreatedDate: string;
  CreatedById: string;
}

async function leadHistory(conn: Connection): Promise<HistoryRow[]> {
  let res = await conn.query<HistoryRow>(
    'SELECT LeadId, Field, DataType, OldValue, NewValue, CreatedDate, CreatedById FROM LeadHistory ORDER BY LeadId, CreatedDate, Id'
  );
  const rows = [...res.records];
  while (!res.done && res.nextRecordsUrl) {
    res = await conn.queryMore<HistoryRow>(res.nextRecordsUrl);
    rows.push(...res.records);
  }
  return rows;
}

/** A lead's status and owner changes, as `Status:Recycled` / `Owner:User:rep-03` (plan keys, no times). */
function changes(rows: Array<{ Field: unknown; DataType: unknown; NewValue: unknown }>, keyOf: (v: unknown) => string): string[] {
  return rows
    .filter((h) => h.Field === 'Status' || (h.Field === 'Owner' && h.DataType === 'EntityId'))
    .map((h) => `${String(h.Field)}:${h.Field === 'Owner' ? keyOf(h.NewValue) : String(h.NewValue)}`);
}

describe('seed loader: local mode', () => {
  let org: TestOrg;
  let result: LoadResult;
  const progress: SeedProgress[] = [];

  beforeAll(async () => {
    org = await startTestOrg();
    result = await loadSeedPlan(org.conn, plan, { mode: 'local', onProgress: (p) => progress.push(p) });
  });
  afterAll(async () => org?.close());

  it('writes every planned record and reports its progress up to the total', async () => {
    for (const sobject of SEED_OBJECTS) {
      if (sobject === 'User' || sobject === 'BusinessHours' || sobject.endsWith('History')) continue;
      // the integration user's Closed_Loop_Sync besides the demo users' persona sets
      const extra = sobject === 'PermissionSetAssignment' ? 1 : 0;
      expect({ sobject, n: await count(org.conn, sobject) }).toEqual({ sobject, n: plan.records[sobject].length + extra });
    }
    // the running user, the integration user + the seeded ones; the org's default business hours updated in place, not duplicated
    expect(await count(org.conn, 'User')).toBe(plan.records.User.length + 2);
    expect(await count(org.conn, 'BusinessHours')).toBe(1);
    expect(result.updated.BusinessHours).toBe(1);
    // history: the planned rows plus the "created" row the org writes for each insert
    expect(await count(org.conn, 'LeadHistory')).toBe(plan.records.LeadHistory.length + plan.records.Lead.length);
    expect(await count(org.conn, 'OpportunityFieldHistory')).toBe(
      plan.records.OpportunityFieldHistory.length + plan.records.Opportunity.length
    );
    const last = progress[progress.length - 1];
    expect(last.done).toBe(last.total);
    expect(progress.every((p, i) => i === 0 || p.done >= progress[i - 1].done)).toBe(true);
  });

  it('gives each demo user their persona’s permission set, and the local org an integration user with Closed_Loop_Sync', async () => {
    const rows = await org.conn.query<{ Assignee: { Username: string; Title: string | null }; PermissionSet: { Name: string } }>(
      'SELECT Assignee.Username, Assignee.Title, PermissionSet.Name FROM PermissionSetAssignment ORDER BY Assignee.Username'
    );
    const setsByTitle = new Map<string, Set<string>>();
    for (const r of rows.records) {
      const title = r.Assignee.Title ?? r.Assignee.Username;
      setsByTitle.set(title, new Set([...(setsByTitle.get(title) ?? []), r.PermissionSet.Name]));
    }
    expect(Object.fromEntries([...setsByTitle].map(([t, sets]) => [t, [...sets]]))).toEqual({
      'Account Executive': ['Closed_Loop_Rep'],
      'Sales Manager, East': ['Closed_Loop_Manager'],
      'Sales Manager, West': ['Closed_Loop_Manager'],
      'Marketing Operations Manager': ['Closed_Loop_Marketing'],
      'sync@closed-loop.local': ['Closed_Loop_Sync']
    });
    const sync = await org.conn.query<{ Name: string; Profile: { Name: string }; IsActive: boolean }>(
      "SELECT Name, Profile.Name, IsActive FROM User WHERE Username = 'sync@closed-loop.local'"
    );
    expect(sync.records[0]).toMatchObject({ Name: 'Closed Loop Sync', Profile: { Name: 'Standard User' }, IsActive: true });
    expect(result.created.PermissionSetAssignment).toBe(plan.records.PermissionSetAssignment.length + 1);
    // every demo user can sign in as their persona: a rep's token reads timers and creates feedback
    const rep = plan.records.User.find((u) => u.key === 'User:rep-01')!;
    const asRep = await org.connectionAs(String(rep.fields.Username));
    expect((await asRep.query('SELECT COUNT() FROM SLA_Timer__c')).totalSize).toBe(0);
    expect((await asRep.sobject('Lead_Quality_Feedback__c').describe()).createable).toBe(true);
  });

  it('makes the org’s default business hours the demo calendar', async () => {
    const bh = await org.conn.query<Record<string, unknown>>(
      'SELECT Name, IsDefault, TimeZoneSidKey, MondayStartTime, FridayEndTime, SaturdayStartTime FROM BusinessHours'
    );
    expect(bh.records[0]).toMatchObject({
      Name: 'Default',
      IsDefault: true,
      TimeZoneSidKey: 'America/New_York',
      MondayStartTime: '09:00:00.000Z',
      FridayEndTime: '17:00:00.000Z',
      SaturdayStartTime: null
    });
  });

  it('keeps the planned times, authors and values: the org holds each lead’s history as planned', async () => {
    const keyOf = new Map([...result.ids].map(([k, id]) => [id, k]));
    const rows = await leadHistory(org.conn);
    const byLead = new Map<string, HistoryRow[]>();
    for (const r of rows) {
      const key = keyOf.get(r.LeadId)!;
      if (!byLead.has(key)) byLead.set(key, []);
      byLead.get(key)!.push(r);
    }
    const norm = (v: unknown) => (typeof v === 'string' && keyOf.has(v) ? keyOf.get(v) : (v ?? null));
    const planned = new Map<string, SeedRecord[]>();
    for (const h of plan.records.LeadHistory) {
      if (!planned.has(h.refs.LeadId)) planned.set(h.refs.LeadId, []);
      planned.get(h.refs.LeadId)!.push(h);
    }
    for (const lead of plan.records.Lead) {
      const got = byLead.get(lead.key)!;
      expect(got[0]).toMatchObject({ Field: 'created', CreatedDate: lead.fields.CreatedDate!.toString().replace('Z', '+0000') });
      const want = (planned.get(lead.key) ?? []).map((h) => ({
        Field: h.fields.Field,
        OldValue: h.refs.OldValue ?? h.fields.OldValue ?? null,
        NewValue: h.refs.NewValue ?? h.fields.NewValue ?? null,
        CreatedDate: h.fields.CreatedDate,
        CreatedById: h.refs.CreatedById
      }));
      const have = got.slice(1).map((h) => ({
        Field: h.Field,
        OldValue: norm(h.OldValue),
        NewValue: norm(h.NewValue),
        CreatedDate: new Date(h.CreatedDate).toISOString(),
        CreatedById: keyOf.get(h.CreatedById)
      }));
      expect(have).toEqual(want);
    }
  });

  it('reads back leads, conversions and reviews with their planned values', async () => {
    const converted = plan.records.Lead.find((l) => l.fields.IsConverted === true)!;
    const lead = await org.conn.sobject('Lead').retrieve(result.ids.get(converted.key)!);
    expect(lead).toMatchObject({
      Status: 'Converted',
      IsConverted: true,
      Email: converted.fields.Email,
      MQL_At__c: String(converted.fields.MQL_At__c).replace('Z', '+0000'),
      ConvertedOpportunityId: result.ids.get(converted.refs.ConvertedOpportunityId),
      OwnerId: result.ids.get(converted.refs.OwnerId)
    });
    const review = plan.records.Win_Loss_Review__c[0];
    const got = await org.conn.query<Record<string, unknown>>(
      `SELECT Outcome__c, Submitted_At__c, Opportunity__r.StageName, Owner.Username FROM Win_Loss_Review__c WHERE Opportunity__c = '${result.ids.get(review.refs.Opportunity__c)}'`
    );
    expect(got.records[0]).toMatchObject({ Outcome__c: review.fields.Outcome__c });
  });

  it('replaces the data when seeded again, instead of adding to it (and drops what the sync derived from it)', async () => {
    const lead = result.ids.get(plan.records.Lead[0].key)!;
    await org.conn
      .sobject('SLA_Timer__c')
      .create({ Lead__c: lead, Clock__c: 'Accept', Timer_Key__c: `${lead}:Accept:2026-03-02T15:00:00.000Z` });
    const again = await loadSeedPlan(org.conn, plan, { mode: 'local' });
    expect(await count(org.conn, 'SLA_Timer__c')).toBe(0);
    expect(again.deleted.Lead).toBe(plan.records.Lead.length);
    // users, queues and business hours are already as planned: left untouched
    expect(again.updated).toEqual({});
    expect(await count(org.conn, 'Lead')).toBe(plan.records.Lead.length);
    expect(await count(org.conn, 'User')).toBe(plan.records.User.length + 2);
    expect(await count(org.conn, 'PermissionSetAssignment')).toBe(plan.records.PermissionSetAssignment.length + 1);
    expect(again.created.PermissionSetAssignment).toBeUndefined();
    expect(await count(org.conn, 'Holiday')).toBe(plan.records.Holiday.length);
    expect(await count(org.conn, 'GroupMember')).toBe(plan.records.GroupMember.length);
    expect(await count(org.conn, 'LeadHistory')).toBe(plan.records.LeadHistory.length + plan.records.Lead.length);
  });
});

describe('seed loader: org mode (against the local org, with the REST stand-in for convertLead)', () => {
  const small = buildSeedPlan({ seed: 12, now: NOW, leads: 150 });
  let org: TestOrg;
  let result: LoadResult;

  beforeAll(async () => {
    org = await startTestOrg();
    result = await loadSeedPlan(org.conn, small, { mode: 'org', convertLeads: localConvertLeads });
  });
  afterAll(async () => org?.close());

  it('writes no audit fields and no history rows: the org records each lead’s status and owner changes itself, in the planned order', async () => {
    const keyOf = new Map([...result.ids].map(([k, id]) => [id, k]));
    const rows = await leadHistory(org.conn);
    const byLead = new Map<string, HistoryRow[]>();
    for (const r of rows) {
      const key = keyOf.get(r.LeadId)!;
      if (!byLead.has(key)) byLead.set(key, []);
      byLead.get(key)!.push(r);
    }
    const planned = new Map<string, SeedRecord[]>();
    for (const h of small.records.LeadHistory) {
      if (!planned.has(h.refs.LeadId)) planned.set(h.refs.LeadId, []);
      planned.get(h.refs.LeadId)!.push(h);
    }
    const planKey = (v: unknown) => String(v);
    for (const lead of small.records.Lead) {
      const want = changes(
        (planned.get(lead.key) ?? []).map((h) => ({
          Field: h.fields.Field,
          DataType: h.fields.DataType,
          NewValue: h.refs.NewValue ?? h.fields.NewValue
        })),
        planKey
      );
      const have = changes(byLead.get(lead.key) ?? [], (v) => keyOf.get(String(v)) ?? String(v));
      expect({ lead: lead.key, changes: have }).toEqual({ lead: lead.key, changes: want });
    }
    // the org's clock, not the plan's: the lead was created by this load
    const first = small.records.Lead[0];
    const got = await org.conn.sobject('Lead').retrieve(result.ids.get(first.key)!);
    expect(got.CreatedDate).not.toBe(String(first.fields.CreatedDate).replace('Z', '+0000'));
    expect(got.MQL_At__c ?? null).toBe(first.fields.MQL_At__c === null ? null : String(first.fields.MQL_At__c).replace('Z', '+0000'));
  });

  it('walks opportunities through their stages and ends each where the plan does', async () => {
    for (const opp of small.records.Opportunity) {
      const got = await org.conn.sobject('Opportunity').retrieve(result.ids.get(opp.key)!);
      expect({ key: opp.key, stage: got.StageName, sourced: got.Marketing_Sourced__c }).toEqual({
        key: opp.key,
        stage: opp.fields.StageName,
        sourced: opp.fields.Marketing_Sourced__c
      });
    }
    expect(await count(org.conn, 'Win_Loss_Review__c')).toBe(small.records.Win_Loss_Review__c.length);
    expect(await count(org.conn, 'Lead_Quality_Feedback__c')).toBe(small.records.Lead_Quality_Feedback__c.length);
  });

  it('assigns the persona permission sets to the users it created', async () => {
    const rows = await org.conn.query<{ PermissionSet: { Name: string } }>(
      "SELECT PermissionSet.Name FROM PermissionSetAssignment WHERE Assignee.Username LIKE '%closedloop-demo.example'"
    );
    const byName = (name: string) => rows.records.filter((r) => r.PermissionSet.Name === name).length;
    expect([byName('Closed_Loop_Rep'), byName('Closed_Loop_Marketing'), byName('Closed_Loop_Manager')]).toEqual([8, 1, 2]);
    // a real org's integration user is the customer's own (org setup --sync-user): the org seed creates none
    expect(await count(org.conn, 'User', "Username = 'sync@closed-loop.local'")).toBe(0);
  });

  it('writes nothing when the org already has demo data', async () => {
    const again = await loadSeedPlan(org.conn, small, { mode: 'org', convertLeads: localConvertLeads });
    expect(again.skipped).toMatch(/already has demo data/);
    expect(await count(org.conn, 'Lead')).toBe(small.records.Lead.length);
  });
});
