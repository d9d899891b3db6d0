/**
 * SLA tiers in the rules: which policy a lead gets (selectPolicy), when two tiers can meet one lead
 * (tiersOverlap), what a record's tier fields mean (tierFromRecord), and a run's tier decided once
 * (evaluateRecord's `decided`).
 */
import { evaluateRecord, selectPolicy, tierFromRecord, tierProblems, tiersOverlap } from '../clock';
import type { SlaPolicy, SlaTier } from '../clock';
import { ACCEPT, ALICE, calendar, lead, MQL, status, utc, withPolicy } from './clockFixtures';

const tier = (t: Partial<SlaTier>): SlaTier => ({ leadSources: [], field: null, values: [], priority: 100, catchAll: false, ...t });
const INBOUND = withPolicy(ACCEPT, {
  developerName: 'Inbound',
  targetMinutes: 15,
  tier: tier({ leadSources: ['Web', 'Phone Inquiry'], priority: 1 })
});
const EVENTS = withPolicy(ACCEPT, {
  developerName: 'Events',
  targetMinutes: 240,
  tier: tier({ leadSources: ['Webinar', 'Trade Show'], priority: 2 })
});
const HOT = withPolicy(ACCEPT, { developerName: 'Hot', targetMinutes: 5, tier: tier({ field: 'Rating', values: ['Hot'], priority: 1 }) });
const CATCH_ALL = ACCEPT;

describe('selectPolicy', () => {
  const tiers = [CATCH_ALL, EVENTS, INBOUND];
  it('gives the first tier by priority whose criteria the record meets, else the catch-all', () => {
    expect(selectPolicy(tiers, { LeadSource: 'Web' })?.developerName).toBe('Inbound');
    expect(selectPolicy(tiers, { LeadSource: 'Trade Show' })?.developerName).toBe('Events');
    expect(selectPolicy(tiers, { LeadSource: 'Purchased List' })?.developerName).toBe(ACCEPT.developerName);
    expect(selectPolicy(tiers, {})?.developerName).toBe(ACCEPT.developerName);
    expect(selectPolicy([EVENTS], { LeadSource: 'Web' })).toBeNull();
  });
  it('reads a field/value condition (a multi-select value meets it with any of its values), sources and condition together', () => {
    const both = withPolicy(ACCEPT, {
      developerName: 'EmeaWeb',
      tier: tier({ leadSources: ['Web'], field: 'Country', values: ['Germany', 'France'], priority: 1 })
    });
    expect(selectPolicy([CATCH_ALL, both], { LeadSource: 'Web', Country: 'France' })?.developerName).toBe('EmeaWeb');
    expect(selectPolicy([CATCH_ALL, both], { LeadSource: 'Web', Country: 'Spain' })?.developerName).toBe(ACCEPT.developerName);
    expect(selectPolicy([CATCH_ALL, both], { LeadSource: 'Webinar', Country: 'France' })?.developerName).toBe(ACCEPT.developerName);
    const segment = withPolicy(ACCEPT, { developerName: 'Seg', tier: tier({ field: 'Segments__c', values: ['Enterprise'], priority: 1 }) });
    expect(selectPolicy([CATCH_ALL, segment], { segments__c: 'SMB;Enterprise' })?.developerName).toBe('Seg');
  });
});

describe('tiersOverlap and tierProblems', () => {
  it('two tiers overlap unless their sources, or their values of one field, have nothing in common', () => {
    expect(tiersOverlap(tier({ leadSources: ['Web'] }), tier({ leadSources: ['Webinar'] }))).toBe(false);
    expect(tiersOverlap(tier({ leadSources: ['Web'] }), tier({ field: 'Rating', values: ['Hot'] }))).toBe(true);
    expect(tiersOverlap(tier({ field: 'Rating', values: ['Hot'] }), tier({ field: 'rating', values: ['Warm'] }))).toBe(false);
    expect(tiersOverlap(tier({ field: 'Rating', values: ['Hot'] }), tier({ field: 'Country', values: ['France'] }))).toBe(true);
  });
  it('names each problem on the field it is about', () => {
    expect(tierProblems([CATCH_ALL, INBOUND, HOT]).map((p) => `${p.policy}: ${p.message}`)).toEqual([
      "Inbound: Priority__c 1 equals Hot's, and one record can meet both tiers' criteria: give one a lower number"
    ]);
    expect(tierProblems([INBOUND]).map((p) => `${p.policy}: ${p.message}`)).toEqual([
      'Inbound: Catch_All__c is checked on no active Accept policy: a record no tier matches would get no clock (check it on one policy without criteria)'
    ]);
  });
});

describe('tierFromRecord', () => {
  const base = { DeveloperName: 'T', Clock__c: 'Accept', Object__c: 'Lead', Target_Minutes__c: 15 };
  it('a record without criteria is the catch-all; with criteria, a tier of priority 100 unless it says', () => {
    expect(tierFromRecord(base).tier).toMatchObject({ catchAll: true });
    expect(tierFromRecord({ ...base, Lead_Sources__c: 'Web; Phone Inquiry' }).tier).toEqual(
      tier({ leadSources: ['Web', 'Phone Inquiry'] })
    );
    expect(tierFromRecord({ ...base, Criteria_Field__c: 'Rating', Criteria_Values__c: 'Hot', Priority__c: 3 }).tier).toEqual(
      tier({ field: 'Rating', values: ['Hot'], priority: 3 })
    );
  });
  it('reads the reassignment and refuses what cannot be one', () => {
    expect(tierFromRecord({ ...base, Reassign_To_Queue__c: 'Inbound' }).reassign).toEqual({
      queue: 'Inbound',
      mode: 'Queue',
      delayMinutes: 0
    });
    expect(() => tierFromRecord({ ...base, Reassign_Delay_Minutes__c: 30 })).toThrow(
      'SLA_Policy__mdt T: Reassign_To_Queue__c is blank, but Reassign_Mode__c or Reassign_Delay_Minutes__c is set: name the queue'
    );
    expect(() => tierFromRecord({ ...base, Criteria_Field__c: 'Rating; DROP' })).toThrow('Criteria_Field__c must be a field API name');
  });
});

describe('evaluateRecord with tiers', () => {
  const facts = (source: string) => ({
    ...lead(utc('2026-03-02T08:00:00-05:00'), 'New', ALICE, [status(utc('2026-03-02T09:00:00-05:00'), MQL)]),
    values: { LeadSource: source }
  });
  const now = utc('2026-03-02T09:05:00-05:00');
  const run = (source: string, decided?: Map<string, string>) =>
    evaluateRecord({
      facts: facts(source),
      policies: [CATCH_ALL, EVENTS, INBOUND] as SlaPolicy[],
      calendarFor: () => calendar,
      now,
      decided
    }).timers;

  it('a run follows the tier the record selects when it is new', () => {
    expect(run('Web').map((t) => [t.policy, t.dueAt])).toEqual([['Inbound', utc('2026-03-02T09:15:00-05:00')]]);
    expect(run('Webinar').map((t) => [t.policy, t.dueAt])).toEqual([['Events', utc('2026-03-02T13:00:00-05:00')]]);
  });
  it('and keeps the tier it was given when the record changes later', () => {
    const key = run('Web')[0].key;
    expect(run('Webinar', new Map([[key, 'Inbound']])).map((t) => t.policy)).toEqual(['Inbound']);
    // a decided policy that is no longer active: the record's tier now
    expect(run('Webinar', new Map([[key, 'Retired']])).map((t) => t.policy)).toEqual(['Events']);
  });
});
