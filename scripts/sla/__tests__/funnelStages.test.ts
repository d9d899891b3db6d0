import { BusinessCalendar } from '../../calendar';
import { leadFacts } from '../clockEvents';
import type { ClockEvent, ClockFacts } from '../clockTypes';
import { DEFAULT_FUNNEL_STATUSES, funnelStages, funnelStatuses, LEAD_FUNNEL_FIELDS, metWithinSla, opportunityWonAt } from '../funnelStages';
import { ACCEPT, ALICE, calendar, LEAD, QUEUE } from './clockFixtures';

/** A calendar open around the clock, so owned minutes are plain elapsed minutes. */
const always = new BusinessCalendar({
  TimeZoneSidKey: 'UTC',
  ...Object.fromEntries(
    ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'].flatMap((d) => [
      [`${d}StartTime`, '00:00:00.000Z'],
      [`${d}EndTime`, '00:00:00.000Z']
    ])
  ),
  holidays: []
} as unknown as ConstructorParameters<typeof BusinessCalendar>[0]);

const status = (at: string, value: string): ClockEvent => ({ type: 'status', at, value });

function lead(events: ClockEvent[], initialStatus = 'New', createdAt = '2026-03-02T00:00:00.000Z'): ClockFacts {
  return { object: 'Lead', id: LEAD, createdAt, initialStatus, initialOwnerId: QUEUE, events };
}

const run = (facts: ClockFacts, extra: Partial<Parameters<typeof funnelStages>[0]> = {}) =>
  funnelStages({ facts, statuses: DEFAULT_FUNNEL_STATUSES, calendar: always, now: '2026-06-01T00:00:00Z', ...extra });

describe('funnelStages: the funnel of a lead', () => {
  test('a lead that goes MQL → SAL → SQL → converted → won gets every stage, the days between them and 1s', () => {
    const facts = lead([
      status('2026-03-02T12:00:00Z', 'Marketing Qualified'),
      status('2026-03-03T12:00:00Z', 'Sales Accepted'),
      status('2026-03-05T00:00:00Z', 'Sales Qualified'),
      { type: 'converted', at: '2026-03-10T00:00:00Z' }
    ]);
    const f = run(facts, { opportunity: { isWon: true, wonAt: '2026-04-09T00:00:00Z' } });
    expect(f).toEqual({
      MQL_At__c: '2026-03-02T12:00:00.000Z',
      Accepted_At__c: '2026-03-03T12:00:00.000Z',
      SQL_At__c: '2026-03-05T00:00:00.000Z',
      Converted_At__c: '2026-03-10T00:00:00.000Z',
      Won_At__c: '2026-04-09T00:00:00.000Z',
      Reached_SAL__c: 1,
      Reached_SQL__c: 1,
      Reached_Opportunity__c: 1,
      Reached_Won__c: 1,
      Days_MQL_To_SAL__c: 1,
      Days_SAL_To_SQL__c: 1.5,
      Days_SQL_To_Opportunity__c: 5,
      Days_Opportunity_To_Won__c: 30,
      // New for 12 h is marketing's; from MQL to conversion (7.5 days) is sales'
      Marketing_Owned_Minutes__c: 720,
      Sales_Owned_Minutes__c: 10800
    });
    expect(Object.keys(f)).toEqual(LEAD_FUNNEL_FIELDS);
  });

  test('a recycled lead that comes back as an MQL starts a new cycle: earlier acceptance does not count', () => {
    const f = run(
      lead([
        status('2026-03-02T00:00:00Z', 'Marketing Qualified'),
        status('2026-03-02T06:00:00Z', 'Sales Accepted'),
        status('2026-03-03T00:00:00Z', 'Recycled'),
        status('2026-04-01T00:00:00Z', 'Marketing Qualified')
      ])
    );
    expect(f.MQL_At__c).toBe('2026-04-01T00:00:00.000Z');
    expect(f.Accepted_At__c).toBeNull();
    expect([f.Reached_SAL__c, f.Reached_SQL__c, f.Reached_Opportunity__c, f.Reached_Won__c]).toEqual([0, 0, 0, 0]);
    expect(f.Days_MQL_To_SAL__c).toBeNull();
    // 24 h as MQL then SAL (sales), 29 days recycled (marketing); the current MQL stretch is not counted yet
    expect(f.Sales_Owned_Minutes__c).toBe(24 * 60);
    expect(f.Marketing_Owned_Minutes__c).toBe(29 * 24 * 60);
  });

  test('skipping a stage counts it as reached when the later one is (conversion implies SAL and SQL)', () => {
    const f = run(lead([status('2026-03-02T00:00:00Z', 'Marketing Qualified'), { type: 'converted', at: '2026-03-04T00:00:00Z' }]));
    expect(f.Accepted_At__c).toBe('2026-03-04T00:00:00.000Z');
    expect(f.SQL_At__c).toBe('2026-03-04T00:00:00.000Z');
    expect([f.Reached_SAL__c, f.Reached_SQL__c, f.Reached_Opportunity__c, f.Reached_Won__c]).toEqual([1, 1, 1, 0]);
    expect(f.Days_MQL_To_SAL__c).toBe(2);
    expect(f.Days_SAL_To_SQL__c).toBe(0);
  });

  test('a lead never marketing qualified has no funnel stages (blank, not 0) but its conversion is recorded', () => {
    const f = run(lead([status('2026-03-02T00:00:00Z', 'Sales Qualified'), { type: 'converted', at: '2026-03-03T00:00:00Z' }]));
    expect(f.MQL_At__c).toBeNull();
    expect(f.Converted_At__c).toBe('2026-03-03T00:00:00.000Z');
    expect([f.Reached_SAL__c, f.Reached_SQL__c, f.Reached_Opportunity__c, f.Reached_Won__c]).toEqual([null, null, null, null]);
    expect(f.Days_SQL_To_Opportunity__c).toBeNull();
  });

  test('a lead created as an MQL is an MQL from its creation; events after now are ignored', () => {
    const f = run(lead([status('2026-07-01T00:00:00Z', 'Sales Accepted')], 'Marketing Qualified'));
    expect(f.MQL_At__c).toBe('2026-03-02T00:00:00.000Z');
    expect(f.Accepted_At__c).toBeNull();
    expect(f.Reached_SAL__c).toBe(0);
  });

  test('owned minutes are business minutes on the calendar given (New York 9–17, weekends closed)', () => {
    // Friday 2026-03-06 16:00 New York MQL, accepted Monday 10:00: 60 + 60 business minutes of sales time
    const f = funnelStages({
      facts: lead(
        [
          status('2026-03-06T16:00:00-05:00', 'Marketing Qualified'),
          status('2026-03-09T10:00:00-04:00', 'Sales Accepted'),
          status('2026-03-09T11:00:00-04:00', 'Rejected')
        ],
        'New',
        '2026-03-06T15:00:00-05:00'
      ),
      statuses: DEFAULT_FUNNEL_STATUSES,
      calendar,
      now: '2026-03-20T00:00:00Z'
    });
    expect(f.Marketing_Owned_Minutes__c).toBe(60);
    expect(f.Sales_Owned_Minutes__c).toBe(120 + 60);
  });

  test('works on the facts the clock rules build from org rows (leadFacts)', () => {
    const facts = leadFacts({
      lead: { Id: LEAD, CreatedDate: '2026-03-02T00:00:00.000+0000', Status: 'Sales Accepted', OwnerId: ALICE },
      history: [
        {
          Id: '017000000000001',
          Field: 'Status',
          OldValue: 'New',
          NewValue: 'Marketing Qualified',
          CreatedDate: '2026-03-02T01:00:00.000+0000'
        },
        {
          Id: '017000000000002',
          Field: 'Status',
          OldValue: 'Marketing Qualified',
          NewValue: 'Sales Accepted',
          CreatedDate: '2026-03-02T03:00:00.000+0000'
        }
      ]
    });
    const f = run(facts);
    expect(f.MQL_At__c).toBe('2026-03-02T01:00:00.000Z');
    expect(f.Days_MQL_To_SAL__c).toBe(0.08);
    expect(f.Marketing_Owned_Minutes__c).toBe(60);
    expect(f.Sales_Owned_Minutes__c).toBe(120);
  });
});

describe('funnel helpers', () => {
  test('funnelStatuses takes MQL from the Accept policy start statuses', () => {
    expect(funnelStatuses(ACCEPT)).toEqual({ mql: ['Marketing Qualified'], sal: ['Sales Accepted'], sql: ['Sales Qualified'] });
    expect(funnelStatuses({ startStatuses: ['MQL'] }, { sal: ['Working'] }).mql).toEqual(['MQL']);
  });

  test('opportunityWonAt: last entry into a won stage, else the close date, null unless won', () => {
    const won = ['Closed Won'];
    expect(
      opportunityWonAt({
        isWon: true,
        wonStages: won,
        stageHistory: [
          { at: '2026-04-01T10:00:00Z', stage: 'Closed Won' },
          { at: '2026-04-02T10:00:00Z', stage: 'Negotiation/Review' },
          { at: '2026-04-05T10:00:00Z', stage: 'Closed Won' }
        ]
      })
    ).toBe('2026-04-05T10:00:00.000Z');
    expect(opportunityWonAt({ isWon: true, wonStages: won, closeDate: '2026-04-30' })).toBe('2026-04-30T00:00:00.000Z');
    expect(opportunityWonAt({ isWon: false, wonStages: won, closeDate: '2026-04-30' })).toBeNull();
  });

  test('metWithinSla: 1 for Met, 0 for Breached, blank for everything still open or cancelled', () => {
    expect(['Met', 'Breached', 'Running', 'At Risk', 'Paused', 'Cancelled'].map((s) => metWithinSla(s as never))).toEqual([
      1,
      0,
      null,
      null,
      null,
      null
    ]);
  });
});
