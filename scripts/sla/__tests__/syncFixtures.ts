/**
 * Test helpers for the SLA sync: a local org (over HTTP, jsforce) with a clock the test moves, New York
 * business hours Mon–Fri 09:00–17:00 as the org default, the integration user the sync runs as (Standard
 * User + Closed_Loop_Sync, so a permission the sync lacks fails the tests), a sales manager and two reps who report to him,
 * an inbound queue and the nurture queue the default Accept policy names (both take leads), and builders for leads/opportunities with seeded history (local-org-only allowances: CreatedDate
 * on insert, history rows inserted directly, conversion state set on insert).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import JSZip from 'jszip';
import type { Connection } from 'jsforce';
import { startTestOrg } from '../../localorg/testing';
import type { TestOrg } from '../../localorg/testing';
import { LOCAL_SYNC_USER, SYNC_PERMISSION_SET } from '../../org/personas';
import { DEMO_DIR, PACKAGE_DIR } from '../../project';
import { BusinessCalendar } from '../../calendar';
import type { CalendarDefinition } from '../../calendar';
import { liveElapsedMinutes } from '../clock';

export interface SyncOrg {
  org: TestOrg;
  /** the admin: builds the scenario (history rows and CreatedDate are the admin's local-org allowances) and reads results */
  conn: Connection;
  /** the integration user (Closed_Loop_Sync only): what the sync runs as, as in an org */
  sync: Connection;
  /** move the org's clock (SystemModstamp, CompletedDateTime, … of what is written next) */
  at(iso: string): void;
  /** the org's clock, in epoch ms (the sync takes its watermark from it) */
  clock(): number;
  manager: string;
  rep1: string;
  rep2: string;
  queue: string;
  /** "Nurture Queue", where recycled leads go back (SLA_Policy.Lead_Accept Recycle_Queue__c) */
  nurture: string;
  close(): Promise<void>;
}

const WEEKDAYS = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday'];

export async function startSyncOrg(): Promise<SyncOrg> {
  let clock = new Date('2026-03-02T12:00:00Z');
  const org = await startTestOrg({ now: () => clock });
  const conn = org.conn;
  const bh = (await conn.query<{ Id: string }>('SELECT Id FROM BusinessHours WHERE IsDefault = true')).records[0];
  const hours: Record<string, unknown> = { Id: bh.Id, Name: 'New York', TimeZoneSidKey: 'America/New_York' };
  for (const d of ['Saturday', 'Sunday']) Object.assign(hours, { [`${d}StartTime`]: null, [`${d}EndTime`]: null });
  for (const d of WEEKDAYS) Object.assign(hours, { [`${d}StartTime`]: '09:00:00.000Z', [`${d}EndTime`]: '17:00:00.000Z' });
  await ok(conn.sobject('BusinessHours').update(hours as { Id: string }));
  const profileId = (await conn.query<{ Id: string }>("SELECT Id FROM Profile WHERE Name = 'Standard User'")).records[0].Id;
  const user = async (alias: string, lastName: string, managerId?: string) =>
    ok(
      conn.sobject('User').create({
        Username: `${alias}@closed-loop.test`,
        FirstName: 'Test',
        LastName: lastName,
        Email: `${alias}@closed-loop.test`,
        Alias: alias,
        TimeZoneSidKey: 'America/New_York',
        LocaleSidKey: 'en_US',
        EmailEncodingKey: 'UTF-8',
        LanguageLocaleKey: 'en_US',
        ProfileId: profileId,
        ...(managerId ? { ManagerId: managerId } : {})
      })
    );
  const manager = await user('mgr', 'Manager');
  const rep1 = await user('rep1', 'Rep One', manager);
  const rep2 = await user('rep2', 'Rep Two', manager);
  const leadQueue = async (name: string, developerName: string) => {
    const id = await ok(conn.sobject('Group').create({ Name: name, DeveloperName: developerName, Type: 'Queue' }));
    await ok(conn.sobject('QueueSobject').create({ QueueId: id, SobjectType: 'Lead' }));
    return id;
  };
  const queue = await leadQueue('Inbound', 'Inbound');
  const nurture = await leadQueue('Nurture Queue', 'Nurture_Queue');
  const sync = await org.createUser({
    username: LOCAL_SYNC_USER.Username,
    firstName: LOCAL_SYNC_USER.FirstName,
    lastName: LOCAL_SYNC_USER.LastName,
    permissionSets: [SYNC_PERMISSION_SET]
  });
  return {
    org,
    conn,
    sync: sync.conn,
    at(iso: string) {
      clock = new Date(iso);
    },
    clock: () => clock.getTime(),
    manager,
    rep1,
    rep2,
    queue,
    nurture,
    close: () => org.close()
  };
}

/** The id of a successful create (or throws its errors). */
export async function ok(p: Promise<unknown>): Promise<string> {
  const r = (await p) as { id?: string; success?: boolean; errors?: unknown[] };
  if (!r.success) throw new Error(`not saved: ${JSON.stringify(r)}`);
  return r.id as string;
}

type HistoryStep =
  { at: string; status: string } | { at: string; owner: string } | { at: string; converted: true } | { at: string; stage: string };

/**
 * A lead with its history: created at `createdAt` with `status`/`owner`, then each step (a status change,
 * an owner change, conversion) as the LeadHistory rows the platform would have written. The lead ends in
 * the last status and owner.
 */
export async function lead(
  o: SyncOrg,
  spec: {
    name?: string;
    createdAt: string;
    status: string;
    owner: string;
    steps?: HistoryStep[];
    convertedOpportunityId?: string;
    convertedContactId?: string;
    convertedAccountId?: string;
    leadSource?: string;
  }
): Promise<string> {
  let status = spec.status;
  let owner = spec.owner;
  let converted: string | null = null;
  for (const s of spec.steps ?? []) {
    if ('status' in s) status = s.status;
    if ('owner' in s) owner = s.owner;
    if ('converted' in s) converted = s.at;
  }
  const id = await ok(
    o.conn.sobject('Lead').create({
      LastName: spec.name ?? 'Doe',
      FirstName: 'Jane',
      Company: 'Acme',
      Status: status,
      OwnerId: owner,
      CreatedDate: spec.createdAt,
      ...(converted ? { IsConverted: true, ConvertedDate: converted.slice(0, 10) } : {}),
      ...(spec.convertedOpportunityId ? { ConvertedOpportunityId: spec.convertedOpportunityId } : {}),
      ...(spec.convertedContactId ? { ConvertedContactId: spec.convertedContactId } : {}),
      ...(spec.convertedAccountId ? { ConvertedAccountId: spec.convertedAccountId } : {}),
      ...(spec.leadSource ? { LeadSource: spec.leadSource } : {})
    })
  );
  let prevStatus = spec.status;
  let prevOwner = spec.owner;
  for (const s of spec.steps ?? []) {
    if ('status' in s) {
      await history(o, 'LeadHistory', 'LeadId', id, { at: s.at, field: 'Status', old: prevStatus, new: s.status });
      prevStatus = s.status;
    } else if ('owner' in s) {
      await history(o, 'LeadHistory', 'LeadId', id, { at: s.at, field: 'Owner', old: prevOwner, new: s.owner });
      prevOwner = s.owner;
    } else if ('converted' in s) {
      await history(o, 'LeadHistory', 'LeadId', id, { at: s.at, field: 'leadConverted', old: null, new: null });
    }
  }
  return id;
}

/** What a conversion creates: an account, its contact and its opportunity (the lead is then marked converted into them). */
export async function conversionTargets(
  o: SyncOrg,
  owner: string,
  at: string
): Promise<{ account: string; contact: string; opportunity: string }> {
  const account = await ok(o.conn.sobject('Account').create({ Name: 'Acme', OwnerId: owner, CreatedDate: at }));
  const contact = await ok(
    o.conn.sobject('Contact').create({ FirstName: 'Jane', LastName: 'Doe', AccountId: account, OwnerId: owner, CreatedDate: at })
  );
  const opp = await ok(
    o.conn.sobject('Opportunity').create({
      Name: 'Acme - 50 seats',
      AccountId: account,
      StageName: 'Prospecting',
      CloseDate: '2026-03-31',
      OwnerId: owner,
      CreatedDate: at
    })
  );
  return { account, contact, opportunity: opp };
}

/** An opportunity with its StageName history. */
export async function opportunity(
  o: SyncOrg,
  spec: { name?: string; createdAt: string; stage: string; owner: string; steps?: Array<{ at: string; stage: string }> }
): Promise<string> {
  const stage = spec.steps?.length ? spec.steps[spec.steps.length - 1].stage : spec.stage;
  const id = await ok(
    o.conn.sobject('Opportunity').create({
      Name: spec.name ?? 'Acme - 50 seats',
      StageName: stage,
      CloseDate: '2026-03-31',
      OwnerId: spec.owner,
      CreatedDate: spec.createdAt
    })
  );
  let prev = spec.stage;
  for (const s of spec.steps ?? []) {
    await history(o, 'OpportunityFieldHistory', 'OpportunityId', id, { at: s.at, field: 'StageName', old: prev, new: s.stage });
    prev = s.stage;
  }
  return id;
}

async function history(
  o: SyncOrg,
  sobject: string,
  parentField: string,
  parentId: string,
  row: { at: string; field: string; old: string | null; new: string | null }
): Promise<void> {
  await ok(
    o.conn.sobject(sobject).create({ [parentField]: parentId, Field: row.field, OldValue: row.old, NewValue: row.new, CreatedDate: row.at })
  );
}

/** A Task on a lead (or a contact: `whatId` for its opportunity) completed at `at` (the org's clock stamps CompletedDateTime). */
export async function completedTask(o: SyncOrg, whoId: string, owner: string, at: string, whatId?: string): Promise<string> {
  o.at(at);
  return ok(
    o.conn.sobject('Task').create({
      WhoId: whoId,
      OwnerId: owner,
      Subject: 'Call',
      Status: 'Completed',
      CreatedDate: at,
      ...(whatId ? { WhatId: whatId } : {})
    })
  );
}

/** A meeting (Event) on a lead starting at `at`, saved now (the org's clock stamps its CreatedDate). */
export async function meeting(o: SyncOrg, leadId: string, owner: string, at: string): Promise<string> {
  const end = new Date(Date.parse(at) + 30 * 60_000).toISOString();
  return ok(
    o.conn
      .sobject('Event')
      .create({ WhoId: leadId, OwnerId: owner, Subject: 'Meeting', StartDateTime: at, EndDateTime: end, DurationInMinutes: 30 })
  );
}

/** A feedback submitted at `at` as the component saves it (the org stamps CreatedDate; the sync fills Submitted_At__c). */
export async function feedback(o: SyncOrg, leadId: string, at: string, rating = 4): Promise<string> {
  o.at(at);
  return ok(
    o.conn.sobject('Lead_Quality_Feedback__c').create({
      Lead__c: leadId,
      Rating__c: rating,
      Disposition__c: 'Accept',
      Reason__c: 'Good fit'
    })
  );
}

export async function review(o: SyncOrg, opportunityId: string, at: string): Promise<string> {
  o.at(at);
  return ok(
    o.conn.sobject('Win_Loss_Review__c').create({
      Opportunity__c: opportunityId,
      Outcome__c: 'Won',
      Primary_Reason__c: 'Product fit'
    })
  );
}

export interface TimerView {
  key: string;
  status: string;
  startedAt: string;
  warnAt: string | null;
  dueAt: string;
  stoppedAt: string | null;
  /** business minutes counted, as the record page and the reports show them: live for a timer that counts */
  elapsed: number;
  /** Elapsed_Business_Minutes__c as stored: set when the clock stops or pauses, null while it counts */
  recordedElapsed: number | null;
  accountable: string;
  owner: string;
  escalated: boolean;
  policy: string;
  calendar: string | null;
}

const iso = (v: unknown) => (typeof v === 'string' ? new Date(v).toISOString() : null);

/**
 * The SLA_Timer__c rows of a record (found by key, so a deleted record's timers count too), in key order;
 * `elapsed` as counted at `at` (default: the instant the last saved sync evaluated, Evaluated_At__c) on the
 * timer's SLA_Calendar__c, as the record page counts it.
 */
export async function timersOf(o: SyncOrg, recordId: string, at?: string): Promise<TimerView[]> {
  const rows = await o.conn.query<Record<string, unknown>>(
    'SELECT Timer_Key__c, Status__c, Started_At__c, Warn_At__c, Due_At__c, Stopped_At__c, Elapsed_Business_Minutes__c, Target_Minutes__c, ' +
      `Accountable_User__c, OwnerId, Escalated__c, Policy__c, Calendar__c, Calendar__r.Definition__c FROM SLA_Timer__c WHERE Timer_Key__c LIKE '${recordId}:%' ORDER BY Timer_Key__c`
  );
  const state = await o.conn.query<{ Evaluated_At__c: string | null }>('SELECT Evaluated_At__c FROM SLA_Sync_State__c');
  const now = Date.parse(at ?? state.records[0]?.Evaluated_At__c ?? new Date(o.clock()).toISOString());
  const calendarOf = (r: Record<string, unknown>) => {
    const definition = (r.Calendar__r as { Definition__c?: string } | null)?.Definition__c;
    return definition ? new BusinessCalendar(JSON.parse(definition) as CalendarDefinition) : null;
  };
  return rows.records.map((r) => ({
    key: String(r.Timer_Key__c),
    status: String(r.Status__c),
    startedAt: iso(r.Started_At__c) as string,
    warnAt: iso(r.Warn_At__c),
    dueAt: iso(r.Due_At__c) as string,
    stoppedAt: iso(r.Stopped_At__c),
    elapsed: Number(liveElapsedMinutes(r as Parameters<typeof liveElapsedMinutes>[0], calendarOf(r), now)),
    recordedElapsed: (r.Elapsed_Business_Minutes__c as number | null) ?? null,
    accountable: String(r.Accountable_User__c),
    owner: String(r.OwnerId),
    escalated: r.Escalated__c === true,
    policy: String(r.Policy__c),
    calendar: (r.Calendar__c as string | null) ?? null
  }));
}

export interface TaskView {
  owner: string;
  subject: string;
  whoId: string | null;
  whatId: string | null;
  activityDate: string | null;
  priority: string;
  description: string;
}

/** The escalation tasks on a record. */
export async function escalationTasks(o: SyncOrg, recordId: string): Promise<TaskView[]> {
  const rows = await o.conn.query<Record<string, unknown>>(
    'SELECT OwnerId, Subject, WhoId, WhatId, ActivityDate, Priority, Description FROM Task ' +
      `WHERE (WhoId = '${recordId}' OR WhatId = '${recordId}') AND Subject LIKE 'SLA breached%' ORDER BY Subject`
  );
  return rows.records.map((r) => ({
    owner: String(r.OwnerId),
    subject: String(r.Subject),
    whoId: (r.WhoId as string | null) ?? null,
    whatId: (r.WhatId as string | null) ?? null,
    activityDate: (r.ActivityDate as string | null) ?? null,
    priority: String(r.Priority),
    description: String(r.Description)
  }));
}

export async function fieldOf(o: SyncOrg, sobject: string, id: string, field: string): Promise<unknown> {
  const rows = await o.conn.query<Record<string, unknown>>(`SELECT ${field} FROM ${sobject} WHERE Id = '${id}'`);
  return rows.records[0]?.[field];
}

export async function count(o: SyncOrg, soql: string): Promise<number> {
  return (await o.conn.query(soql)).totalSize;
}

// ---------------------------------------------------------------------------------------------
// Deploying a changed SLA policy (custom metadata records deploy like any metadata: Metadata REST)

/**
 * Deploys the package's SLA_Policy.<name> record with some field values replaced (a string, number,
 * boolean, or null for blank), as an admin would in Setup.
 */
export async function deployPolicy(
  conn: Connection,
  name: string,
  values: Record<string, string | number | boolean | null>
): Promise<void> {
  // the package's record, or the demo's (config/demo: the Accept tiers)
  const file = [PACKAGE_DIR, DEMO_DIR]
    .map((dir) => path.join(dir, 'main', 'default', 'customMetadata', `SLA_Policy.${name}.md-meta.xml`))
    .find((f) => fs.existsSync(f));
  let xml = file ? fs.readFileSync(file, 'utf8') : newPolicyXml(name);
  for (const [field, value] of Object.entries(values)) {
    const re = new RegExp(`(<values>\\s*<field>${field}</field>\\s*)<value[^>]*?(?:/>|>[\\s\\S]*?</value>)`);
    const replacement =
      value === null
        ? '<value xsi:nil="true" />'
        : typeof value === 'boolean'
          ? `<value xsi:type="xsd:boolean">${value}</value>`
          : typeof value === 'number'
            ? `<value xsi:type="xsd:double">${value}</value>`
            : `<value xsi:type="xsd:string">${value}</value>`;
    xml = re.test(xml)
      ? xml.replace(re, `$1${replacement}`)
      : xml.replace('</CustomMetadata>', `<values><field>${field}</field>${replacement}</values></CustomMetadata>`);
  }
  const zip = new JSZip();
  zip.file(
    'package.xml',
    '<?xml version="1.0" encoding="UTF-8"?><Package xmlns="http://soap.sforce.com/2006/04/metadata">' +
      `<types><members>SLA_Policy.${name}</members><name>CustomMetadata</name></types><version>64.0</version></Package>`
  );
  zip.file(`customMetadata/SLA_Policy.${name}.md`, xml);
  const buf = await zip.generateAsync({ type: 'nodebuffer' });
  const locator = conn.metadata.deployRest(buf, {});
  const { id } = (await (locator as unknown as { _promise: Promise<{ id: string }> })._promise) as { id: string };
  for (let i = 0; i < 500; i++) {
    const r = (await conn.metadata.checkDeployStatus(id, true, true)) as unknown as {
      done: boolean;
      success: boolean;
      details: { componentFailures?: unknown };
    };
    if (r.done) {
      if (!r.success) throw new Error(`policy deploy failed: ${JSON.stringify(r.details.componentFailures)}`);
      return;
    }
    await new Promise((res) => setTimeout(res, 10));
  }
  throw new Error('policy deploy did not finish');
}

function newPolicyXml(name: string): string {
  return `<?xml version="1.0" encoding="UTF-8" ?>
<CustomMetadata xmlns="http://soap.sforce.com/2006/04/metadata" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:xsd="http://www.w3.org/2001/XMLSchema">
  <label>${name.replace(/_/g, ' ')}</label>
  <protected>false</protected>
</CustomMetadata>`;
}
