import {
  computeTimers,
  isQueueId,
  isUserId,
  leadFacts,
  opportunityFacts,
  orderEvents,
  parseInstant,
  sameId,
  SlaInputError
} from '../clock';
import type { ClockEvent, HistoryRow, SubmissionRow } from '../clock';
import { ACCEPT, ALICE, BOB, calendar, lead, LEAD, MQL, OPP, owner, QUEUE, status, utc } from './clockFixtures';

describe('instants', () => {
  it('read Salesforce and ISO 8601 offsets', () => {
    const t = Date.UTC(2026, 2, 2, 15, 0, 0);
    expect(parseInstant('2026-03-02T15:00:00.000+0000', 'x')).toBe(t);
    expect(parseInstant('2026-03-02T15:00:00Z', 'x')).toBe(t);
    expect(parseInstant('2026-03-02T10:00-05:00', 'x')).toBe(t);
    expect(parseInstant('2026-03-02T20:30:00.000+05:30', 'x')).toBe(t);
    expect(parseInstant(new Date(t), 'x')).toBe(t);
    expect(parseInstant(t, 'x')).toBe(t);
  });

  it.each(['2026-02-30T10:00:00Z', '2026-03-02 15:00', '2026-03-02T15:00:00', 'yesterday', ''])('reject %j naming the field', (bad) => {
    expect(() => parseInstant(bad, 'Lead 00Q1: CreatedDate')).toThrow(SlaInputError);
    expect(() => parseInstant(bad, 'Lead 00Q1: CreatedDate')).toThrow(
      /^Lead 00Q1: CreatedDate: .* is not an ISO 8601 date-time with an offset( \(.+\))?$/
    );
  });

  it('say what does not exist in a well-formed but impossible instant', () => {
    expect(() => parseInstant('2026-02-30T10:00:00Z', 'x')).toThrow(
      'x: "2026-02-30T10:00:00Z" is not an ISO 8601 date-time with an offset (there is no 2026-02-30)'
    );
    expect(() => parseInstant('2026-03-02T24:00:00Z', 'x')).toThrow(/\(the hour 24 is not a time of day \(00–23\)\)$/);
  });
});

describe('ids', () => {
  it('tell users (005) from queues (00G), in 15 or 18 characters', () => {
    expect([isUserId(ALICE), isUserId(QUEUE), isUserId('005000000000001'), isUserId('Alice Smith'), isUserId(null)]).toEqual([
      true,
      false,
      true,
      false,
      false
    ]);
    expect(isQueueId(QUEUE)).toBe(true);
    expect(sameId(ALICE, ALICE.slice(0, 15))).toBe(true);
    expect(sameId(ALICE, BOB)).toBe(false);
  });
});

describe('leadFacts', () => {
  const sf = (wall: string) => new Date(wall).toISOString().replace('Z', '+0000');
  const row = (Id: string, Field: string, OldValue: unknown, NewValue: unknown, wall: string): HistoryRow => ({
    Id,
    Field,
    OldValue,
    NewValue,
    CreatedDate: sf(wall)
  });

  it('reads initial values, status and owner changes (id rows only), conversion, feedback and activities', () => {
    const facts = leadFacts({
      lead: { Id: LEAD, CreatedDate: sf('2026-03-02T09:00-05:00'), Status: 'Converted', OwnerId: BOB, IsConverted: true },
      // any order; an owner change is recorded twice (names and ids); 'created' rows carry nothing
      history: [
        row('0170003', 'Owner', ALICE, BOB, '2026-03-02T10:20-05:00'),
        row('0170004', 'Owner', 'Alice Smith', 'Bob Jones', '2026-03-02T10:20-05:00'),
        row('0170001', 'created', null, null, '2026-03-02T09:00-05:00'),
        row('0170002', 'Status', 'New', MQL, '2026-03-02T10:00-05:00'),
        row('0170005', 'Status', MQL, 'Converted', '2026-03-02T11:00-05:00'),
        row('0170006', 'leadConverted', null, null, '2026-03-02T11:00-05:00'),
        row('0170007', 'Company', 'Acme', 'ACME', '2026-03-02T10:30-05:00')
      ],
      feedback: [{ Id: 'a00000000000001', CreatedDate: sf('2026-03-02T10:50-05:00') }],
      tasks: [{ Id: '00T1', OwnerId: BOB, IsClosed: true, CompletedDateTime: null, LastModifiedDate: sf('2026-03-02T10:40-05:00') }]
    });
    expect(facts).toMatchObject({ object: 'Lead', id: LEAD, initialStatus: 'New', initialOwnerId: ALICE });
    expect(orderEvents(facts).map((e) => [new Date(e.at).toISOString(), e.event.type, 'value' in e.event ? e.event.value : ''])).toEqual([
      [utc('2026-03-02T10:00-05:00'), 'status', MQL],
      [utc('2026-03-02T10:20-05:00'), 'owner', ''],
      [utc('2026-03-02T10:40-05:00'), 'activity', ''],
      [utc('2026-03-02T10:50-05:00'), 'feedback', ''],
      [utc('2026-03-02T11:00-05:00'), 'status', 'Converted'],
      [utc('2026-03-02T11:00-05:00'), 'converted', '']
    ]);
  });

  it('takes the current values when there is no history, and dates conversion and deletion from the record', () => {
    const facts = leadFacts({
      lead: {
        Id: LEAD,
        CreatedDate: sf('2026-03-02T09:00-05:00'),
        Status: MQL,
        OwnerId: ALICE,
        IsConverted: true,
        LastModifiedDate: sf('2026-03-02T12:00-05:00'),
        IsDeleted: true,
        SystemModstamp: sf('2026-03-03T08:00-05:00')
      }
    });
    expect(facts).toMatchObject({ initialStatus: MQL, initialOwnerId: ALICE });
    expect(facts.events).toEqual([
      { type: 'converted', at: sf('2026-03-02T12:00-05:00') },
      { type: 'deleted', at: sf('2026-03-03T08:00-05:00') }
    ]);
  });

  it('names the record and row when a date it needs is missing', () => {
    expect(() =>
      leadFacts({
        lead: { Id: LEAD, CreatedDate: sf('2026-03-02T09:00-05:00'), Status: MQL, OwnerId: ALICE },
        tasks: [{ Id: '00T9', OwnerId: ALICE, IsClosed: true }]
      })
    ).toThrow(`Lead ${LEAD}: Task 00T9 is closed but CompletedDateTime and LastModifiedDate are blank`);
    expect(() =>
      leadFacts({
        lead: { Id: LEAD, CreatedDate: sf('2026-03-02T09:00-05:00'), Status: MQL, OwnerId: ALICE },
        history: [{ Id: '0179', Field: 'Status', OldValue: 'New', NewValue: MQL, CreatedDate: '02/03/2026 10:00' }]
      })
    ).toThrow(`Lead ${LEAD}: Status history row 0179 CreatedDate: "02/03/2026 10:00" is not an ISO 8601 date-time with an offset`);
  });
});

describe('opportunityFacts', () => {
  it('reads StageName history and reviews; the current stage is closed when IsClosed', () => {
    const facts = opportunityFacts({
      opportunity: { Id: OPP, CreatedDate: '2026-03-02T14:00:00.000+0000', StageName: 'Closed - Merged', OwnerId: ALICE, IsClosed: true },
      history: [
        {
          Id: '0171',
          Field: 'StageName',
          OldValue: 'Prospecting',
          NewValue: 'Closed - Merged',
          CreatedDate: '2026-03-06T20:00:00.000+0000'
        }
      ],
      // submitted when created (the platform's stamp), whatever Submitted_At__c says
      reviews: [
        {
          Id: 'a01000000000001',
          Submitted_At__c: '2026-03-06T14:00:00.000+0000',
          CreatedDate: '2026-03-09T13:00:00.000+0000'
        } as SubmissionRow
      ],
      closedStages: ['Closed Won', 'Closed Lost']
    });
    expect(facts).toEqual({
      object: 'Opportunity',
      id: OPP,
      createdAt: '2026-03-02T14:00:00.000+0000',
      initialStatus: 'Prospecting',
      initialOwnerId: ALICE,
      events: [
        { type: 'status', at: '2026-03-06T20:00:00.000+0000', value: 'Closed - Merged', seq: '0171' },
        { type: 'review', at: '2026-03-09T13:00:00.000+0000', id: 'a01000000000001' }
      ],
      closedStages: ['Closed Won', 'Closed Lost', 'Closed - Merged']
    });
  });
});

describe('events at the same instant', () => {
  const shuffledTwice = (events: ClockEvent[]) => [events, [...events].reverse()];

  it('assignment and MQL in one save start one run at that instant', () => {
    const at = '2026-03-02T10:00-05:00';
    for (const events of shuffledTwice([owner(at, ALICE), status(at, MQL)])) {
      const timers = computeTimers({ facts: lead('2026-03-02T09:00-05:00', 'New', QUEUE, events), policy: ACCEPT, calendar, now: at });
      expect(timers.map((t) => [t.startedAt, t.accountableUserId, t.status])).toEqual([[utc(at), ALICE, 'Running']]);
    }
  });

  it('a stop and a reassignment in one save are a stop, not a restart', () => {
    const at = '2026-03-02T10:30-05:00';
    for (const events of shuffledTwice([status('2026-03-02T10:00-05:00', MQL), owner(at, BOB), status(at, 'Sales Accepted')])) {
      const facts = lead('2026-03-02T09:00-05:00', 'New', ALICE, events);
      const timers = computeTimers({ facts, policy: ACCEPT, calendar, now: '2026-03-02T12:00-05:00' });
      expect(timers.map((t) => [t.accountableUserId, t.status, t.endReason])).toEqual([[ALICE, 'Met', 'stop status']]);
    }
  });
});
