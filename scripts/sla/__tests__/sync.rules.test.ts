/**
 * The SLA sync against the local org, one clock rule at a time: a lead or opportunity with seeded history
 * gets exactly the expected SLA_Timer__c rows, record status and escalation tasks. Times are on New York
 * business hours Mon–Fri 09:00–17:00; Monday 2026-03-02 09:00 New York = 14:00Z.
 */
import { runSync } from '../sync';
import type { SyncOptions, SyncSummary } from '../sync';
import {
  completedTask,
  deployPolicy,
  escalationTasks,
  feedback,
  fieldOf,
  lead,
  meeting,
  opportunity,
  review,
  startSyncOrg,
  timersOf
} from './syncFixtures';
import type { SyncOrg, TimerView } from './syncFixtures';

let o: SyncOrg;
beforeEach(async () => {
  o = await startSyncOrg();
});
afterEach(() => o.close());

const sync = (now: string, options: SyncOptions = {}): Promise<SyncSummary> => runSync(o.sync, { now, clock: o.clock, ...options });
const Z = (hm: string, day = '2026-03-02') => `${day}T${hm}:00.000Z`;

/** The expected timer, with the defaults of an open, unescalated timer of rep1. */
function timer(recordId: string, clock: string, t: Partial<TimerView> & { startedAt: string }): Partial<TimerView> {
  return {
    key: `${recordId}:${clock}:${t.startedAt}`,
    stoppedAt: null,
    escalated: false,
    accountable: o.rep1,
    owner: t.accountable ?? o.rep1,
    ...t
  };
}

const leadStatus = (id: string) => fieldOf(o, 'Lead', id, 'SLA_Status__c');

describe('Accept', () => {
  it('is met by a Stop status or by feedback, and First Touch keeps running', async () => {
    const accepted = await lead(o, {
      createdAt: Z('13:00'),
      status: 'New',
      owner: o.rep1,
      steps: [
        { at: Z('14:30'), status: 'Marketing Qualified' },
        { at: Z('15:00'), status: 'Sales Accepted' }
      ]
    });
    const withFeedback = await lead(o, {
      createdAt: Z('13:00'),
      status: 'New',
      owner: o.rep1,
      steps: [{ at: Z('14:30'), status: 'Marketing Qualified' }]
    });
    await feedback(o, withFeedback, Z('15:10'));

    const s = await sync(Z('16:00'));

    expect(await timersOf(o, accepted)).toMatchObject([
      timer(accepted, 'Accept', {
        startedAt: Z('14:30'),
        warnAt: Z('15:15'),
        dueAt: Z('15:30'),
        stoppedAt: Z('15:00'),
        status: 'Met',
        elapsed: 30
      }),
      timer(accepted, 'First Touch', { startedAt: Z('14:30'), warnAt: Z('17:30'), dueAt: Z('18:30'), status: 'Running', elapsed: 90 })
    ]);
    expect(await timersOf(o, withFeedback)).toMatchObject([
      timer(withFeedback, 'Accept', { startedAt: Z('14:30'), dueAt: Z('15:30'), stoppedAt: Z('15:10'), status: 'Met', elapsed: 40 }),
      timer(withFeedback, 'First Touch', { startedAt: Z('14:30'), status: 'Running', elapsed: 90 })
    ]);
    expect(await leadStatus(accepted)).toBe('Running');
    expect(await escalationTasks(o, accepted)).toEqual([]);
    // the funnel fields (funnelStages.ts) and the timers' Met Within SLA, for the reports
    const funnel = await o.conn.query<Record<string, unknown>>(
      `SELECT MQL_At__c, Accepted_At__c, SQL_At__c, Reached_SAL__c, Reached_SQL__c, Marketing_Owned_Minutes__c, Sales_Owned_Minutes__c FROM Lead WHERE Id = '${accepted}'`
    );
    expect(funnel.records[0]).toMatchObject({
      MQL_At__c: '2026-03-02T14:30:00.000+0000',
      Accepted_At__c: '2026-03-02T15:00:00.000+0000',
      SQL_At__c: null,
      Reached_SAL__c: 1,
      Reached_SQL__c: 0,
      Marketing_Owned_Minutes__c: 30,
      Sales_Owned_Minutes__c: 30
    });
    const met = await o.conn.query<{ Clock__c: string; Met_Within_SLA__c: number | null }>(
      `SELECT Clock__c, Met_Within_SLA__c FROM SLA_Timer__c WHERE Lead__c = '${accepted}' ORDER BY Clock__c`
    );
    expect(met.records.map((r) => [r.Clock__c, r.Met_Within_SLA__c])).toEqual([
      ['Accept', 1],
      ['First Touch', null]
    ]);
    expect(s).toMatchObject({ mode: 'full', records: { leads: 2 }, timers: { created: 4 }, met: 2, breached: 0 });
  });

  it('is At Risk past Warning_Percent__c of the target', async () => {
    const id = await lead(o, {
      createdAt: Z('13:00'),
      status: 'New',
      owner: o.rep1,
      steps: [{ at: Z('14:30'), status: 'Marketing Qualified' }]
    });
    await sync(Z('15:20'));
    expect(await timersOf(o, id)).toMatchObject([
      timer(id, 'Accept', { startedAt: Z('14:30'), warnAt: Z('15:15'), dueAt: Z('15:30'), status: 'At Risk', elapsed: 50 }),
      timer(id, 'First Touch', { startedAt: Z('14:30'), status: 'Running', elapsed: 50 })
    ]);
    expect(await leadStatus(id)).toBe('At Risk');
    expect(await escalationTasks(o, id)).toEqual([]);
  });

  it('breached: once, a task for the rep and one for the manager; First Touch later escalates to the rep only', async () => {
    const id = await lead(o, {
      createdAt: Z('13:00'),
      status: 'New',
      owner: o.rep1,
      steps: [{ at: Z('14:30'), status: 'Marketing Qualified' }]
    });
    const first = await sync(Z('16:00'));

    expect(await timersOf(o, id)).toMatchObject([
      timer(id, 'Accept', { startedAt: Z('14:30'), dueAt: Z('15:30'), status: 'Breached', elapsed: 90, escalated: true }),
      timer(id, 'First Touch', { startedAt: Z('14:30'), status: 'Running', elapsed: 90 })
    ]);
    expect(await leadStatus(id)).toBe('Breached');
    const tasks = await escalationTasks(o, id);
    expect(tasks).toEqual([
      expect.objectContaining({
        owner: o.manager,
        subject: 'SLA breached (Test Rep One): Accept on Jane Doe (Acme)',
        whoId: id,
        whatId: null,
        activityDate: '2026-03-02',
        priority: 'High'
      }),
      expect.objectContaining({ owner: o.rep1, subject: 'SLA breached: Accept on Jane Doe (Acme)', whoId: id, activityDate: '2026-03-02' })
    ]);
    expect(tasks[1].description).toContain('was due Mon, Mar 2, 2026, 10:30 (America/New_York) and is breached and still open');
    expect(tasks[1].description).toContain(`/${id}`);
    expect(first.escalations).toEqual({ timers: 1, userTasks: 1, managerTasks: 1, withoutManager: 0 });

    await sync(Z('16:30'));
    expect(await escalationTasks(o, id)).toHaveLength(2);

    // First Touch is due at 13:30 New York; its policy creates a task but does not notify the manager
    await sync(Z('19:00'));
    expect((await timersOf(o, id))[1]).toMatchObject({ status: 'Breached', dueAt: Z('18:30'), escalated: true });
    expect((await escalationTasks(o, id)).map((t) => [t.owner, t.subject])).toEqual([
      [o.manager, 'SLA breached (Test Rep One): Accept on Jane Doe (Acme)'],
      [o.rep1, 'SLA breached: Accept on Jane Doe (Acme)'],
      [o.rep1, 'SLA breached: First Touch on Jane Doe (Acme)']
    ]);
  });

  it('escalates a breach that ended between two syncs to the manager, but not breaches older than the first sync', async () => {
    // accepted late last Friday, before Closed Loop's first sync
    const old = await lead(o, {
      createdAt: Z('13:00', '2026-02-27'),
      status: 'New',
      owner: o.rep1,
      steps: [
        { at: Z('14:00', '2026-02-27'), status: 'Marketing Qualified' },
        { at: Z('16:00', '2026-02-27'), status: 'Sales Accepted' }
      ]
    });
    await completedTask(o, old, o.rep1, Z('15:00', '2026-02-27'));
    const id = await lead(o, {
      createdAt: Z('13:00'),
      status: 'New',
      owner: o.rep1,
      steps: [{ at: Z('14:30'), status: 'Marketing Qualified' }]
    });
    await sync(Z('15:00'));
    expect(await timersOf(o, old)).toMatchObject([
      { status: 'Breached', stoppedAt: Z('16:00', '2026-02-27'), escalated: false },
      { status: 'Met', stoppedAt: Z('15:00', '2026-02-27') }
    ]);

    // accepted an hour late, through the API: the org records the history itself
    o.at(Z('16:30'));
    await o.conn.sobject('Lead').update({ Id: id, Status: 'Sales Accepted' });
    await sync(Z('17:00'));

    expect((await timersOf(o, id))[0]).toMatchObject({ status: 'Breached', stoppedAt: Z('16:30'), escalated: true });
    // it has ended: nothing left for the rep to do, the manager hears of it
    const tasks = await escalationTasks(o, id);
    expect(tasks.map((t) => t.owner)).toEqual([o.manager]);
    expect(tasks[0].description).toContain('it ended late, Mon, Mar 2, 2026, 11:30 (America/New_York)');
    expect(await escalationTasks(o, old)).toEqual([]);
    expect(await leadStatus(id)).toBe('Breached');
  });
});

describe('First Touch', () => {
  it('is met by the first completed task of the lead’s owner (not someone else’s)', async () => {
    const id = await lead(o, {
      createdAt: Z('13:00'),
      status: 'New',
      owner: o.rep1,
      steps: [
        { at: Z('14:30'), status: 'Marketing Qualified' },
        { at: Z('15:10'), status: 'Sales Accepted' }
      ]
    });
    await completedTask(o, id, o.rep2, Z('15:00'));
    await completedTask(o, id, o.rep1, Z('15:30'));
    await sync(Z('16:00'));
    expect(await timersOf(o, id)).toMatchObject([
      timer(id, 'Accept', { startedAt: Z('14:30'), stoppedAt: Z('15:10'), status: 'Met', elapsed: 40 }),
      timer(id, 'First Touch', {
        startedAt: Z('14:30'),
        warnAt: Z('17:30'),
        dueAt: Z('18:30'),
        stoppedAt: Z('15:30'),
        status: 'Met',
        elapsed: 60
      })
    ]);
    expect(await leadStatus(id)).toBe('Met');
  });

  it('is met by a meeting (Event) of the owner once it has started', async () => {
    const id = await lead(o, {
      createdAt: Z('13:00'),
      status: 'New',
      owner: o.rep1,
      steps: [
        { at: Z('14:30'), status: 'Marketing Qualified' },
        { at: Z('15:00'), status: 'Sales Accepted' }
      ]
    });
    await meeting(o, id, o.rep1, Z('16:00'));
    await sync(Z('15:45'));
    expect((await timersOf(o, id))[1]).toMatchObject({ status: 'Running', stoppedAt: null, elapsed: 75 });
    await sync(Z('17:00'));
    expect((await timersOf(o, id))[1]).toMatchObject(
      timer(id, 'First Touch', { startedAt: Z('14:30'), dueAt: Z('18:30'), stoppedAt: Z('16:00'), status: 'Met', elapsed: 90 })
    );
  });
});

describe('pause', () => {
  it('stops the count in a Pause status and resumes the same timer when the lead is back in a Start status', async () => {
    await deployPolicy(o.conn, 'Lead_First_Touch', { Pause_Statuses__c: 'Recycled', Cancel_Statuses__c: 'Rejected' });
    const id = await lead(o, {
      createdAt: Z('13:00'),
      status: 'New',
      owner: o.rep1,
      steps: [
        { at: Z('14:00'), status: 'Marketing Qualified' },
        { at: Z('15:00'), status: 'Recycled' },
        { at: Z('17:00'), status: 'Marketing Qualified' }
      ]
    });
    await sync(Z('16:00'));
    expect(await timersOf(o, id)).toMatchObject([
      timer(id, 'Accept', { startedAt: Z('14:00'), dueAt: Z('15:00'), stoppedAt: Z('15:00'), status: 'Met', elapsed: 60 }),
      // paused at 15:00 with 60 counted: Warn_At and Due_At as they stood then (had it counted on)
      timer(id, 'First Touch', { startedAt: Z('14:00'), warnAt: Z('17:00'), dueAt: Z('18:00'), status: 'Paused', elapsed: 60 })
    ]);
    expect(await leadStatus(id)).toBe('Paused');
    // time passing while it is paused changes nothing the row keeps: re-evaluated later, nothing is written
    expect((await sync(Z('16:45'), { full: true })).timers).toMatchObject({ created: 0, updated: 0 });

    const s = await sync(Z('18:00'));
    expect(await timersOf(o, id)).toMatchObject([
      timer(id, 'Accept', { startedAt: Z('14:00'), stoppedAt: Z('15:00'), status: 'Met' }),
      // recycled stops Accept: back in Marketing Qualified, a new Accept run starts
      timer(id, 'Accept', { startedAt: Z('17:00'), warnAt: Z('17:45'), dueAt: Z('18:00'), status: 'At Risk', elapsed: 60 }),
      timer(id, 'First Touch', { startedAt: Z('14:00'), warnAt: Z('19:00'), dueAt: Z('20:00'), status: 'Running', elapsed: 120 })
    ]);
    expect(s.timers).toMatchObject({ created: 1, updated: 1, cancelled: 0 });
    expect(await leadStatus(id)).toBe('At Risk');
  });
});

describe('reassignment', () => {
  const steps = [
    { at: Z('14:00'), status: 'Marketing Qualified' },
    { at: Z('14:30'), owner: '' }
  ];

  it('restarts the clock for the new owner when the policy says so (Restart_On_Reassign__c)', async () => {
    const id = await lead(o, { createdAt: Z('13:00'), status: 'New', owner: o.rep1, steps: [steps[0], { ...steps[1], owner: o.rep2 }] });
    await sync(Z('15:10'));
    expect(await timersOf(o, id)).toMatchObject([
      timer(id, 'Accept', {
        startedAt: Z('14:00'),
        warnAt: Z('14:45'),
        dueAt: Z('15:00'),
        stoppedAt: Z('14:30'),
        status: 'Cancelled',
        elapsed: 30
      }),
      timer(id, 'Accept', {
        startedAt: Z('14:30'),
        warnAt: Z('15:15'),
        dueAt: Z('15:30'),
        status: 'Running',
        elapsed: 40,
        accountable: o.rep2,
        owner: o.rep2
      }),
      timer(id, 'First Touch', { startedAt: Z('14:00'), dueAt: Z('18:00'), stoppedAt: Z('14:30'), status: 'Cancelled', elapsed: 30 }),
      timer(id, 'First Touch', {
        startedAt: Z('14:30'),
        dueAt: Z('18:30'),
        status: 'Running',
        elapsed: 40,
        accountable: o.rep2,
        owner: o.rep2
      })
    ]);
    expect(await leadStatus(id)).toBe('Running');
  });

  it('keeps counting for the new owner when it does not', async () => {
    await deployPolicy(o.conn, 'Lead_First_Touch', { Restart_On_Reassign__c: false });
    const id = await lead(o, { createdAt: Z('13:00'), status: 'New', owner: o.rep1, steps: [steps[0], { ...steps[1], owner: o.rep2 }] });
    await sync(Z('15:10'));
    const timers = await timersOf(o, id);
    expect(timers.filter((t) => t.key.includes(':First Touch:'))).toEqual([
      expect.objectContaining(
        timer(id, 'First Touch', {
          startedAt: Z('14:00'),
          dueAt: Z('18:00'),
          status: 'Running',
          elapsed: 70,
          accountable: o.rep2,
          owner: o.rep2
        })
      )
    ]);
    expect(timers.filter((t) => t.key.includes(':Accept:'))).toHaveLength(2);
  });
});

describe('queue ownership', () => {
  it('starts the clock when a user takes the lead from a queue', async () => {
    const id = await lead(o, {
      createdAt: Z('13:00'),
      status: 'New',
      owner: o.queue,
      steps: [
        { at: Z('14:00'), status: 'Marketing Qualified' },
        { at: Z('15:00'), owner: o.rep1 }
      ]
    });
    await sync(Z('15:30'));
    expect(await timersOf(o, id)).toMatchObject([
      timer(id, 'Accept', { startedAt: Z('15:00'), dueAt: Z('16:00'), status: 'Running', elapsed: 30 }),
      timer(id, 'First Touch', { startedAt: Z('15:00'), dueAt: Z('19:00'), status: 'Running', elapsed: 30 })
    ]);
  });

  it('pauses while a queue owns the lead and resumes the same timer when its user takes it back', async () => {
    const id = await lead(o, {
      createdAt: Z('13:00'),
      status: 'New',
      owner: o.rep1,
      steps: [
        { at: Z('14:00'), status: 'Marketing Qualified' },
        { at: Z('14:20'), owner: o.queue },
        { at: Z('14:50'), owner: o.rep1 }
      ]
    });
    await sync(Z('14:30'));
    expect((await timersOf(o, id))[0]).toMatchObject(
      // paused at 14:20 with 20 counted: Warn_At and Due_At as they stood then
      timer(id, 'Accept', { startedAt: Z('14:00'), warnAt: Z('14:45'), dueAt: Z('15:00'), status: 'Paused', elapsed: 20 })
    );
    expect(await leadStatus(id)).toBe('Paused');
    await sync(Z('15:10'));
    const timers = await timersOf(o, id);
    expect(timers).toHaveLength(2);
    expect(timers[0]).toMatchObject(
      timer(id, 'Accept', { startedAt: Z('14:00'), warnAt: Z('15:15'), dueAt: Z('15:30'), status: 'Running', elapsed: 40 })
    );
  });
});

describe('conversion', () => {
  it('meets Accept and First Touch (converting is contact); a lead converted before any start gets no timers', async () => {
    const deal = await opportunity(o, { name: 'Converted deal', createdAt: Z('14:30'), stage: 'Prospecting', owner: o.rep1 });
    const id = await lead(o, {
      createdAt: Z('13:00'),
      status: 'New',
      owner: o.rep1,
      convertedOpportunityId: deal,
      steps: [
        { at: Z('14:00'), status: 'Marketing Qualified' },
        { at: Z('14:30'), status: 'Converted' },
        { at: Z('14:30'), converted: true }
      ]
    });
    const early = await lead(o, {
      createdAt: Z('13:00'),
      status: 'New',
      owner: o.rep1,
      steps: [
        { at: Z('14:00'), status: 'Converted' },
        { at: Z('14:00'), converted: true }
      ]
    });
    o.at(Z('16:00'));
    await sync(Z('16:00'));
    expect(await timersOf(o, id)).toMatchObject([
      timer(id, 'Accept', { startedAt: Z('14:00'), stoppedAt: Z('14:30'), status: 'Met', elapsed: 30 }),
      timer(id, 'First Touch', { startedAt: Z('14:00'), stoppedAt: Z('14:30'), status: 'Met', elapsed: 30 })
    ]);
    expect(await leadStatus(id)).toBe('Met');
    expect(await timersOf(o, early)).toEqual([]);
    expect(await leadStatus(early)).toBeNull();
    expect(await fieldOf(o, 'Lead', id, 'Converted_At__c')).toBe('2026-03-02T14:30:00.000+0000');
    expect(await fieldOf(o, 'Lead', id, 'Reached_Won__c')).toBe(0);

    // (the next run reads back what this one wrote)
    o.at(Z('16:10'));
    await sync(Z('16:00'));
    // the opportunity is won later: the next sync reads the lead again for its funnel's Won At
    o.at(Z('17:00'));
    await o.conn.sobject('Opportunity').update({ Id: deal, StageName: 'Closed Won' });
    const s = await sync(Z('17:30'));
    expect(s).toMatchObject({ mode: 'incremental', records: { leads: 1, opportunities: 1 } });
    expect(await fieldOf(o, 'Lead', id, 'Won_At__c')).toBe('2026-03-02T17:00:00.000+0000');
    expect(await fieldOf(o, 'Lead', id, 'Reached_Won__c')).toBe(1);
    expect(await timersOf(o, deal)).toMatchObject([
      timer(deal, 'Win/Loss Review', { startedAt: Z('17:00'), status: 'Running', elapsed: 30 })
    ]);
  });
});

describe('Win/Loss Review', () => {
  it('is met by a submitted review, and breached (with escalations on the opportunity) without one', async () => {
    const won = await opportunity(o, {
      name: 'Won deal',
      createdAt: Z('13:00'),
      stage: 'Prospecting',
      owner: o.rep1,
      steps: [{ at: Z('14:00'), stage: 'Closed Won' }]
    });
    const lost = await opportunity(o, {
      name: 'Lost deal',
      createdAt: Z('13:00'),
      stage: 'Prospecting',
      owner: o.rep1,
      steps: [{ at: Z('14:00'), stage: 'Closed Lost' }]
    });
    await review(o, won, Z('15:00', '2026-03-03'));

    await sync(Z('16:00', '2026-03-03'));
    // 2,700 business minutes from Monday 09:00: the next Monday (after the switch to daylight time) 14:00 New York
    const due = Z('18:00', '2026-03-09');
    const warn = Z('15:45', '2026-03-06');
    expect(await timersOf(o, won)).toMatchObject([
      timer(won, 'Win/Loss Review', {
        startedAt: Z('14:00'),
        warnAt: warn,
        dueAt: due,
        stoppedAt: Z('15:00', '2026-03-03'),
        status: 'Met',
        elapsed: 540
      })
    ]);
    expect(await fieldOf(o, 'Opportunity', won, 'Win_Loss_Review_Status__c')).toBe('Met');
    expect(await timersOf(o, lost)).toMatchObject([
      timer(lost, 'Win/Loss Review', { startedAt: Z('14:00'), status: 'Running', elapsed: 600 })
    ]);
    expect(await fieldOf(o, 'Opportunity', lost, 'Win_Loss_Review_Status__c')).toBe('Running');

    await sync(Z('19:00', '2026-03-09'));
    expect(await timersOf(o, lost)).toMatchObject([
      timer(lost, 'Win/Loss Review', { startedAt: Z('14:00'), dueAt: due, status: 'Breached', elapsed: 2760, escalated: true })
    ]);
    expect(await fieldOf(o, 'Opportunity', lost, 'Win_Loss_Review_Status__c')).toBe('Breached');
    expect(await escalationTasks(o, lost)).toEqual([
      expect.objectContaining({
        owner: o.manager,
        subject: 'SLA breached (Test Rep One): Win/Loss Review on Lost deal',
        whatId: lost,
        whoId: null,
        activityDate: '2026-03-09'
      }),
      expect.objectContaining({
        owner: o.rep1,
        subject: 'SLA breached: Win/Loss Review on Lost deal',
        whatId: lost,
        whoId: null,
        activityDate: '2026-03-09'
      })
    ]);
    expect(await escalationTasks(o, won)).toEqual([]);
  });
});
