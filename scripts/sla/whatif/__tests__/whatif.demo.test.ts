/**
 * The what-if on the seeded demo org: replaying the history under the org's own policies gives exactly the timers
 * the SLA sync recorded (status, start, warn, due, stop and elapsed business minutes, key by key; the elapsed time
 * of a running timer as the reports count it live), a proposal changes the figures the way it should, and nothing
 * is ever written.
 */
import type { Connection } from 'jsforce';
import { startTestOrg } from '../../../localorg/testing';
import type { TestOrg } from '../../../localorg/testing';
import { LOCAL_SYNC_USER } from '../../../org/personas';
import { runSeed } from '../../../seed';
import { liveElapsedMinutes } from '../../clock';
import { runSync } from '../../sync';
import { currentScenario, proposedScenario, proposedRecords, readHistory, replay, runWhatIf } from '..';
import { replayCounted } from '../replay';
import type { History } from '..';

const NOW = '2026-03-04T16:00:00.000Z';
const ALL = { from: Date.parse('2000-01-01T00:00:00Z'), to: Date.parse(NOW) + 1, now: Date.parse(NOW) };

let org: TestOrg;
let conn: Connection;
let syncUser: Connection;
let history: History;

beforeAll(async () => {
  org = await startTestOrg({ now: () => new Date(NOW) });
  conn = org.conn;
  await runSeed(conn, { mode: 'local', seed: 42, leads: 600, now: NOW });
  syncUser = await org.connectionAs(LOCAL_SYNC_USER.Username);
  await runSync(syncUser, { now: NOW, clock: () => Date.parse(NOW) });
  history = await readHistory(syncUser);
}, 300_000);
afterAll(() => org?.close());

type Row = Record<string, unknown> & { Timer_Key__c: string; Status__c: string; Lead__c: string | null; Opportunity__c: string | null };

async function recordedTimers(): Promise<Row[]> {
  return (
    await conn.query<Row>(
      'SELECT Timer_Key__c, Lead__c, Opportunity__c, Status__c, Started_At__c, Warn_At__c, Due_At__c, Stopped_At__c, Target_Minutes__c, Elapsed_Business_Minutes__c FROM SLA_Timer__c',
      { autoFetch: true, maxFetch: 1_000_000 }
    )
  ).records;
}

const iso = (v: unknown) => (typeof v === 'string' ? new Date(v).toISOString() : null);

it('under the current policies, gives exactly the statuses and elapsed times the sync recorded', async () => {
  const rows = (await recordedTimers()).filter((r) => r.Lead__c || r.Opportunity__c);
  const runs = replay(history, currentScenario(history), ALL);
  expect(rows.length).toBeGreaterThan(800);
  expect(runs.length).toBe(rows.length);
  const byKey = new Map(runs.map((r) => [r.timer.key, r.timer]));
  const calendar = [...history.current.calendars.values()][0].calendar;
  const mismatches: string[] = [];
  const statuses = new Set<string>();
  for (const row of rows) {
    const t = byKey.get(row.Timer_Key__c);
    if (!t) {
      mismatches.push(`${row.Timer_Key__c}: not replayed`);
      continue;
    }
    statuses.add(t.status);
    const want = {
      status: row.Status__c,
      started: iso(row.Started_At__c),
      warn: iso(row.Warn_At__c),
      due: iso(row.Due_At__c),
      stopped: iso(row.Stopped_At__c),
      elapsed: (row.Elapsed_Business_Minutes__c as number | null) ?? null,
      live: liveElapsedMinutes(row, calendar, ALL.now)
    };
    const got = {
      status: t.status,
      started: t.startedAt,
      warn: t.recorded.warnAt,
      due: t.recorded.dueAt,
      stopped: t.stoppedAt,
      elapsed: t.recorded.elapsedBusinessMinutes,
      live: t.elapsedBusinessMinutes
    };
    if (JSON.stringify(want) !== JSON.stringify(got))
      mismatches.push(`${row.Timer_Key__c}: ${JSON.stringify(want)} ≠ ${JSON.stringify(got)}`);
  }
  expect(mismatches.slice(0, 5)).toEqual([]);
  // a realistic mix, not a handful of one kind
  expect([...statuses].sort()).toEqual(expect.arrayContaining(['Breached', 'Cancelled', 'Met']));
});

it('the figures count each run as the full replay gives it, under the current and a proposed policy, in any window', async () => {
  const proposed = await proposedScenario(
    history,
    proposedRecords(history.policyRecords, [], [{ policy: 'Lead_Accept', field: 'Target_Minutes__c', value: 45 }]),
    null
  );
  const lastWeek = { ...ALL, from: ALL.now - 7 * 86_400_000 };
  for (const scenario of [currentScenario(history), proposed])
    for (const window of [ALL, lastWeek]) {
      const full = replay(history, scenario, window).map(({ timer, record, policy }) => ({
        timer: {
          clock: timer.clock,
          status: timer.status,
          elapsedBusinessMinutes: timer.elapsedBusinessMinutes,
          accountableUserId: timer.accountableUserId
        },
        record,
        policy
      }));
      expect(full.length).toBeGreaterThan(window === ALL ? 800 : 10);
      expect(replayCounted(history, scenario, window)).toEqual(full);
    }
});

it('a longer Accept target meets more leads; the report reads the org without writing to it', async () => {
  const before = await recordedTimers();
  const stamp = (await conn.query<{ SystemModstamp: string }>('SELECT SystemModstamp FROM SLA_Sync_State__c')).records[0].SystemModstamp;
  const result = await runWhatIf(syncUser, {
    period: { kind: 'range', from: '2025-12-01', to: '2026-03-04' },
    now: ALL.now,
    sets: [{ policy: 'Lead_Accept', field: 'Target_Minutes__c', value: 480 }],
    history
  });
  const accept = (s: typeof result.current) => s.byClock.find((c) => c.clock === 'Accept')!.figures;
  const now = accept(result.current);
  const proposed = accept(result.proposed!);
  expect(result.changes).toEqual(['Lead_Accept.Target_Minutes__c: 60 → 480']);
  expect(now.timers).toBeGreaterThan(100);
  expect(proposed.timers).toBe(now.timers);
  expect(proposed.breached).toBeLessThan(now.breached);
  expect(proposed.compliance!).toBeGreaterThan(now.compliance!);
  // elapsed business time does not depend on the target (unless a longer one lets a clock run on); the median is the same
  expect(proposed.medianMinutes).toBe(now.medianMinutes);
  expect(result.current.by.rep.length).toBeGreaterThan(2);
  expect(result.current.by.source.map((g) => g.key)).toEqual(expect.arrayContaining(['Web']));
  expect(result.reps.length).toBeGreaterThan(0);
  expect(result.reps[0].change).toBeGreaterThan(0);
  // nothing written
  expect(await recordedTimers()).toEqual(before);
  expect((await conn.query<{ SystemModstamp: string }>('SELECT SystemModstamp FROM SLA_Sync_State__c')).records[0].SystemModstamp).toBe(
    stamp
  );
});

it('a sweep reads the history once and gives one point per value, compliance never falling as the target grows', async () => {
  const requests = history.data.requests;
  const result = await runWhatIf(syncUser, {
    period: { kind: 'range', from: '2025-12-01', to: '2026-03-04' },
    now: ALL.now,
    sweep: { policy: 'Lead_Accept', field: 'Target_Minutes__c', values: [30, 60, 120, 240] },
    history
  });
  expect(result.proposed).toBeNull();
  expect(result.sweep!.clock).toBe('Accept');
  const c = result.sweep!.points.map((p) => p.figures.compliance!);
  expect(c).toEqual([...c].sort((a, b) => a - b));
  expect(result.sweep!.points[1].figures).toEqual(result.sweep!.current);
  // the setup (policies checked, calendars) per value, never the records again
  expect(history.data.requests - requests).toBeLessThan(4 * 6);
});
