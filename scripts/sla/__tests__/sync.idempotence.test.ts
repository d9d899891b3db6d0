/**
 * The sync on the seeded demo data (scripts/seed, 150 leads with their history, activities, feedback,
 * deals and reviews) in the local org: running it twice creates nothing new; a sync stopped after N writes
 * and run again ends in exactly the state of a sync that was never stopped; incremental runs read what
 * changed (a child change brings its parent in); the watermark lives in the org.
 */
import type { Connection } from 'jsforce';
import { startTestOrg } from '../../localorg/testing';
import { LOCAL_SYNC_USER } from '../../org/personas';
import type { TestOrg } from '../../localorg/testing';
import { runSeed } from '../../seed';
import { runSync } from '../sync';
import type { SyncOptions, SyncSummary } from '../sync';
import type { WriteRequest } from '../../org/data';
import { deployPolicy } from './syncFixtures';

const SEED_NOW = '2026-03-04T16:00:00.000Z';
const NOW = '2026-03-04T17:00:00.000Z';

interface SeededOrg {
  org: TestOrg;
  conn: Connection;
  at(iso: string): void;
  sync(options?: SyncOptions): Promise<SyncSummary>;
}

async function seededOrg(): Promise<SeededOrg> {
  let clock = Date.parse(SEED_NOW);
  const org = await startTestOrg({ now: () => new Date(clock) });
  await runSeed(org.conn, { mode: 'local', seed: 7, leads: 150, now: SEED_NOW });
  // the sync runs as the integration user the seed creates (Closed_Loop_Sync), as npm start runs it
  const syncUser = await org.connectionAs(LOCAL_SYNC_USER.Username);
  return {
    org,
    conn: org.conn,
    at: (iso) => {
      clock = Date.parse(iso);
    },
    sync: (options = {}) => runSync(syncUser, { now: NOW, clock: () => clock, ...options })
  };
}

/** Everything the sync writes, comparable across two orgs (no record Ids of its own, no instance URL). */
async function snapshot(s: SeededOrg): Promise<unknown> {
  const all = async (soql: string) => (await s.conn.query<Record<string, unknown>>(soql, { autoFetch: true, maxFetch: 100_000 })).records;
  const strip = (r: Record<string, unknown>) => {
    const { attributes: _a, ...rest } = r;
    return rest;
  };
  const calendars = await all('SELECT Id, Business_Hours_Id__c, Name, Definition__c FROM SLA_Calendar__c ORDER BY Business_Hours_Id__c');
  const calendarOf = new Map(calendars.map((c) => [c.Id, c.Business_Hours_Id__c]));
  const timers = await all(
    'SELECT Timer_Key__c, Lead__c, Opportunity__c, Clock__c, Policy__c, Accountable_User__c, OwnerId, Started_At__c, Warn_At__c, Due_At__c, ' +
      'Stopped_At__c, Status__c, Target_Minutes__c, Elapsed_Business_Minutes__c, Escalated__c, Calendar__c FROM SLA_Timer__c ORDER BY Timer_Key__c'
  );
  const tasks = await all(
    "SELECT OwnerId, Subject, WhoId, WhatId, ActivityDate, Priority, Status, Description FROM Task WHERE Subject LIKE 'SLA breached%'"
  );
  const url = s.org.instanceUrl;
  return {
    calendars: calendars.map((c) => strip({ ...c, Id: undefined })),
    timers: timers.map((t) => strip({ ...t, Calendar__c: calendarOf.get(t.Calendar__c) })),
    leads: (await all('SELECT Id, SLA_Status__c, OwnerId, Quality_Rating__c, Recycle_Count__c FROM Lead ORDER BY Id')).map(strip),
    feedback: (await all('SELECT Id, Submitted_At__c, Lead_Source__c, Campaign__c FROM Lead_Quality_Feedback__c ORDER BY Id')).map(strip),
    opportunities: (await all('SELECT Id, Win_Loss_Review_Status__c FROM Opportunity ORDER BY Id')).map(strip),
    tasks: tasks
      .map((t) => strip({ ...t, Description: String(t.Description).replace(url, '<org>') }))
      .sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b))),
    state: (await all('SELECT Key__c, Watermark__c, Evaluated_At__c, Fingerprint__c FROM SLA_Sync_State__c')).map(strip)
  };
}

let reference: { snapshot: unknown; writes: WriteRequest[]; summary: SyncSummary };

beforeAll(async () => {
  const s = await seededOrg();
  const writes: WriteRequest[] = [];
  const summary = await s.sync({ beforeWrite: (w) => void writes.push(w) });
  reference = { snapshot: await snapshot(s), writes, summary };
  await s.org.close();
});

it('the seeded org gives every kind of timer, status and escalation', () => {
  const { summary } = reference;
  expect(summary).toMatchObject({ mode: 'full', records: { leads: 150 }, errors: [] });
  expect(summary.records.opportunities).toBeGreaterThan(5);
  for (const status of ['Running', 'Met', 'Breached', 'Cancelled'] as const) expect(summary.statuses[status]).toBeGreaterThan(0);
  expect(summary.escalations.userTasks).toBeGreaterThan(0);
  expect(summary.escalations.managerTasks).toBeGreaterThan(0);
  // collections of 200: the timers in ceil(n / 200) requests
  const timerWrites = reference.writes.filter((w) => w.sobject === 'SLA_Timer__c' && w.operation === 'upsert');
  expect(timerWrites.every((w) => w.records <= 200)).toBe(true);
});

it('running the sync twice creates nothing new', async () => {
  const s = await seededOrg();
  try {
    await s.sync();
    const again = await s.sync({ full: true });
    expect(again).toMatchObject({
      timers: { created: 0, updated: 0, cancelled: 0 },
      recordsUpdated: { leads: 0, opportunities: 0 },
      recycled: 0,
      stamped: 0,
      escalations: { timers: 0, userTasks: 0, managerTasks: 0 },
      calendars: { mirrored: 0 }
    });
    expect(await snapshot(s)).toEqual(reference.snapshot);
  } finally {
    await s.org.close();
  }
});

describe('a sync stopped midway and run again ends in the same state as one that was not stopped', () => {
  const indexOf = (pred: (w: WriteRequest) => boolean, nth = 0) => reference.writes.filter(pred)[nth]?.index ?? -1;
  const points: Array<[string, () => number]> = [
    ['before the calendar mirror', () => 1],
    ['between two collections of timers', () => indexOf((w) => w.sobject === 'SLA_Timer__c', 1)],
    ['after the timers, before the lead status updates', () => indexOf((w) => w.sobject === 'Lead')],
    ['after the escalation tasks, before Escalated__c is set', () => indexOf((w) => w.sobject === 'Task') + 1],
    ['before the watermark is saved', () => indexOf((w) => w.sobject === 'SLA_Sync_State__c')]
  ];
  it.each(points)('%s', async (_where, point) => {
    const stopAt = point();
    expect(stopAt).toBeGreaterThan(0);
    const s = await seededOrg();
    try {
      await expect(
        s.sync({
          beforeWrite: (w) => {
            if (w.index === stopAt) throw new Error(`stopped before write ${w.index}`);
          }
        })
      ).rejects.toThrow(`stopped before write ${stopAt}`);
      expect(await s.conn.query('SELECT Id FROM SLA_Sync_State__c')).toMatchObject({ totalSize: 0 });
      await s.sync();
      expect(await snapshot(s)).toEqual(reference.snapshot);
    } finally {
      await s.org.close();
    }
  });
});

describe('incremental', () => {
  let s: SeededOrg;
  beforeAll(async () => {
    s = await seededOrg();
    s.at(NOW);
    await s.sync();
  });
  afterAll(() => s.org.close());

  it('a quiet org: the change probes and nothing else, not even the previous run’s own writes; then only what crossed Warn_At or Due_At', async () => {
    for (const at of ['2026-03-04T17:10:00.000Z', '2026-03-04T17:20:00.000Z']) {
      s.at(at);
      const quiet = await s.sync();
      expect(quiet).toMatchObject({
        mode: 'incremental',
        quiet: true,
        records: { leads: 0, opportunities: 0 },
        timers: { created: 0, updated: 0 },
        writes: { requests: 0, records: 0 }
      });
      expect(quiet.apiCalls).toBeLessThanOrEqual(3);
    }
    // a quiet run keeps the sync state as it was
    const state = await s.conn.query<Record<string, unknown>>('SELECT Watermark__c, Evaluated_At__c FROM SLA_Sync_State__c');
    expect(state.records[0]).toMatchObject({
      Watermark__c: '2026-03-04T17:00:00.000+0000',
      Evaluated_At__c: '2026-03-04T17:00:00.000+0000'
    });

    // two hours later, time alone has moved some open timers past Warn_At or Due_At
    s.at('2026-03-04T19:20:00.000Z');
    const later = await s.sync({ now: '2026-03-04T19:00:00.000Z' });
    expect(later.records.leads).toBeGreaterThan(0);
    expect(later.timers.created).toBe(0);
    expect(later.timers.updated).toBeGreaterThan(0);
  });

  it('a new completed task or feedback brings its lead into the next sync', async () => {
    const at = (hm: string) => `2026-03-04T${hm}:00.000Z`;
    // read back what the last run wrote, so only what follows is new
    s.at(at('19:26'));
    await s.sync({ now: at('19:40') });
    s.at(at('19:35'));
    await s.sync({ now: at('19:40') });

    const open = await s.conn.query<{ Lead__c: string; Clock__c: string; Lead__r: { OwnerId: string } }>(
      'SELECT Lead__c, Clock__c, Lead__r.OwnerId FROM SLA_Timer__c WHERE Stopped_At__c = null AND Lead__c != null ' +
        "AND Status__c IN ('Running', 'At Risk', 'Breached') ORDER BY Timer_Key__c"
    );
    const byUser = open.records.filter((t) => t.Lead__r.OwnerId.startsWith('005'));
    const touch = byUser.find((t) => t.Clock__c === 'First Touch');
    const accept = byUser.find((t) => t.Clock__c === 'Accept' && t.Lead__c !== touch?.Lead__c);
    if (!touch || !accept) throw new Error('the seeded data has no open First Touch and Accept timers');

    s.at(at('19:36'));
    await s.conn.sobject('Task').create({ WhoId: touch.Lead__c, OwnerId: touch.Lead__r.OwnerId, Subject: 'Call', Status: 'Completed' });
    await s.conn.sobject('Lead_Quality_Feedback__c').create({
      Lead__c: accept.Lead__c,
      Rating__c: 3,
      Disposition__c: 'Accept',
      Reason__c: 'Good fit',
      Submitted_At__c: at('19:36')
    });
    s.at(at('19:45'));
    const r = await s.sync({ now: at('19:40') });
    expect(r).toMatchObject({ mode: 'incremental', records: { leads: 2, opportunities: 0 } });
    const stopped = await s.conn.query<{ Lead__c: string; Clock__c: string }>(
      'SELECT Lead__c, Clock__c FROM SLA_Timer__c WHERE Stopped_At__c = 2026-03-04T19:36:00Z'
    );
    expect(stopped.records.map((t) => [t.Lead__c, t.Clock__c]).sort()).toEqual(
      [
        [touch.Lead__c, 'First Touch'],
        [accept.Lead__c, 'Accept']
      ].sort()
    );
  });

  it('--since reads again from the given instant; a policy change makes the next sync a full one', async () => {
    s.at('2026-03-04T20:00:00.000Z');
    const since = await s.sync({ since: SEED_NOW, now: '2026-03-04T19:40:00.000Z' });
    expect(since).toMatchObject({ mode: 'incremental', reason: '--since', since: SEED_NOW });
    expect(since.records.leads).toBeGreaterThanOrEqual(2);

    await deployPolicy(s.conn, 'Lead_First_Touch', { Target_Minutes__c: 300 });
    const full = await s.sync({ now: '2026-03-04T19:40:00.000Z' });
    expect(full).toMatchObject({
      mode: 'full',
      reason: 'the active policies, their calendars or the closed stages changed',
      records: { leads: 150 }
    });
    expect(full.timers.updated).toBeGreaterThan(0);
    const ft = await s.conn.query<{ Target_Minutes__c: number }>(
      "SELECT Target_Minutes__c FROM SLA_Timer__c WHERE Clock__c = 'First Touch' GROUP BY Target_Minutes__c"
    );
    expect(ft.records.map((r) => r.Target_Minutes__c)).toEqual([300]);
    expect((await s.sync({ now: '2026-03-04T19:40:00.000Z' })).mode).toBe('incremental');
  });

  it('deactivating a policy closes its open timers (Cancelled; a breach stays Breached) and keeps the closed ones', async () => {
    const before = await s.conn.query<{ Status__c: string; Stopped_At__c: string | null }>(
      "SELECT Status__c, Stopped_At__c FROM SLA_Timer__c WHERE Clock__c = 'First Touch'"
    );
    const openBreached = before.records.filter((t) => !t.Stopped_At__c && t.Status__c === 'Breached').length;
    const met = before.records.filter((t) => t.Status__c === 'Met').length;
    await deployPolicy(s.conn, 'Lead_First_Touch', { Active__c: false });
    s.at('2026-03-04T20:30:00.000Z');
    const r = await s.sync({ now: '2026-03-04T20:00:00.000Z' });
    expect(r.mode).toBe('full');
    const after = await s.conn.query<{ Status__c: string; Stopped_At__c: string | null }>(
      "SELECT Status__c, Stopped_At__c FROM SLA_Timer__c WHERE Clock__c = 'First Touch'"
    );
    expect(after.records.filter((t) => !t.Stopped_At__c)).toEqual([]);
    expect(after.records.filter((t) => t.Status__c === 'Met')).toHaveLength(met);
    expect(after.records.filter((t) => t.Status__c === 'Breached').length).toBeGreaterThanOrEqual(openBreached);
    expect(after.records.filter((t) => t.Status__c === 'Running' || t.Status__c === 'At Risk' || t.Status__c === 'Paused')).toEqual([]);
  });
});
