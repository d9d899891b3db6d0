/**
 * A sync's cost follows change, never the clock: a run when nothing happened but time passing costs the change
 * probes (at most 3 API calls) and writes nothing, however long it has been; a run after a timer crossed its
 * warning or due time writes that timer (its new status, the record's SLA status that follows it, and on a
 * breach its escalation) and nothing else. Asserted from each run's own summary and the write requests it sent.
 * The sync runs as the integration user (Closed_Loop_Sync only), as in an org: its own writes are that user's.
 * New York business hours Mon–Fri 09:00–17:00; Monday 2026-03-02 09:00 New York = 14:00Z.
 */
import type { WriteRequest } from '../../org/data';
import { LOCAL_SYNC_USER } from '../../org/personas';
import { runSync } from '../sync';
import type { SyncSummary, TimerCrossing } from '../sync';
import { escalationTasks, fieldOf, lead, opportunity, startSyncOrg, timersOf } from './syncFixtures';
import type { SyncOrg } from './syncFixtures';

let o: SyncOrg;
let accepted: string;
let won: string;

const Z = (hm: string) => `2026-03-02T${hm}:00.000Z`;

interface Run {
  summary: SyncSummary;
  writes: Array<Pick<WriteRequest, 'sobject' | 'operation' | 'records'>>;
  crossings: Array<Pick<TimerCrossing, 'crossed' | 'from' | 'at'> & { key: string }>;
}

/** A sync at the org's clock `hm`, with the write requests it sent and the crossings it reported. */
async function syncAt(hm: string): Promise<Run> {
  o.at(Z(hm));
  const run: Run = { summary: undefined as unknown as SyncSummary, writes: [], crossings: [] };
  run.summary = await runSync(o.sync, {
    now: Z(hm),
    clock: o.clock,
    beforeWrite: (w) => void run.writes.push({ sobject: w.sobject, operation: w.operation, records: w.records }),
    onCrossing: (c) => void run.crossings.push({ key: c.timer.key, crossed: c.crossed, from: c.from, at: c.at })
  });
  return run;
}

function expectQuiet(run: Run): void {
  expect(run.summary).toMatchObject({
    mode: 'incremental',
    quiet: true,
    records: { leads: 0, opportunities: 0 },
    timers: { created: 0, updated: 0, cancelled: 0 },
    writes: { requests: 0, records: 0 }
  });
  expect(run.summary.apiCalls).toBeLessThanOrEqual(3);
  expect(run.writes).toEqual([]);
}

beforeAll(async () => {
  o = await startSyncOrg();
  // accepted at 09:20 New York: Accept Met; First Touch counts on (warning at 12:00, due 13:00 New York)
  accepted = await lead(o, {
    createdAt: Z('13:00'),
    status: 'New',
    owner: o.rep1,
    steps: [
      { at: Z('14:00'), status: 'Marketing Qualified' },
      { at: Z('14:20'), status: 'Sales Accepted' }
    ]
  });
  // won at 09:30 New York: its Win/Loss Review counts on for days
  won = await opportunity(o, {
    createdAt: Z('13:00'),
    stage: 'Prospecting',
    owner: o.rep2,
    steps: [{ at: Z('14:30'), stage: 'Closed Won' }]
  });
  expect((await syncAt('15:00')).summary).toMatchObject({ mode: 'full', records: { leads: 1, opportunities: 1 } });
});
afterAll(() => o.close());

it('an hour later with nothing new: at most 3 API calls and no writes, while the record page counts on', async () => {
  expectQuiet(await syncAt('15:01'));
  expectQuiet(await syncAt('16:01'));
  const [, firstTouch] = await timersOf(o, accepted, Z('16:01'));
  // nothing time moves is stored (the elapsed minutes of a counting clock): the page counts them live, 121 now
  expect(firstTouch).toMatchObject({ status: 'Running', recordedElapsed: null, elapsed: 121, warnAt: Z('17:00'), dueAt: Z('18:00') });
  expect((await timersOf(o, won, Z('16:01')))[0]).toMatchObject({ status: 'Running', recordedElapsed: null, elapsed: 91 });
});

it('a timer that crossed its warning time: that timer and its record’s SLA status are written, nothing else', async () => {
  const run = await syncAt('17:10');
  const key = `${accepted}:First Touch:${Z('14:00')}`;
  expect(run.crossings).toEqual([{ key, crossed: 'warn', from: 'Running', at: Z('17:00') }]);
  expect(run.summary).toMatchObject({
    records: { leads: 1, opportunities: 0 },
    timers: { updated: 1 },
    crossed: { atRisk: 1, breached: 0 }
  });
  expect(run.writes).toEqual([
    { sobject: 'SLA_Timer__c', operation: 'upsert', records: 1 },
    { sobject: 'Lead', operation: 'update', records: 1 },
    { sobject: 'SLA_Sync_State__c', operation: 'upsert', records: 1 }
  ]);
  expect(await fieldOf(o, 'Lead', accepted, 'SLA_Status__c')).toBe('At Risk');
  // and the run after it finds its own writes are its own
  expectQuiet(await syncAt('17:11'));
});

it('a timer that crossed its due time: that timer, its record’s SLA status and its escalation', async () => {
  const run = await syncAt('18:10');
  const key = `${accepted}:First Touch:${Z('14:00')}`;
  expect(run.crossings).toEqual([{ key, crossed: 'due', from: 'At Risk', at: Z('18:00') }]);
  expect(run.summary).toMatchObject({
    records: { leads: 1, opportunities: 0 },
    timers: { updated: 1 },
    crossed: { atRisk: 0, breached: 1 },
    escalations: { timers: 1, userTasks: 1, managerTasks: 0 }
  });
  expect(run.writes).toEqual([
    { sobject: 'SLA_Timer__c', operation: 'upsert', records: 1 },
    { sobject: 'Lead', operation: 'update', records: 1 },
    { sobject: 'Task', operation: 'insert', records: 1 },
    { sobject: 'SLA_Timer__c', operation: 'upsert', records: 1 },
    { sobject: 'SLA_Sync_State__c', operation: 'upsert', records: 1 }
  ]);
  expect(await escalationTasks(o, accepted)).toHaveLength(1);
  expect((await timersOf(o, accepted, Z('18:10')))[1]).toMatchObject({
    status: 'Breached',
    escalated: true,
    recordedElapsed: null,
    elapsed: 250
  });
  // its escalation task is the sync's own write too
  expectQuiet(await syncAt('18:11'));
  expectQuiet(await syncAt('20:11'));
});

it('what the sync wrote is the integration user’s; a change anyone else makes is read by the next run', async () => {
  const state = await o.conn.query<{ LastModifiedBy: { Username: string } }>('SELECT LastModifiedBy.Username FROM SLA_Sync_State__c');
  expect(state.records.map((r) => r.LastModifiedBy.Username)).toEqual([LOCAL_SYNC_USER.Username]);
  o.at(Z('20:20'));
  await o.conn.sobject('Lead').update({ Id: accepted, Company: 'Acme Corporation' });
  const run = await syncAt('20:21');
  expect(run.summary).toMatchObject({ mode: 'incremental', quiet: false, records: { leads: 1, opportunities: 0 } });
  expectQuiet(await syncAt('20:22'));
});
