/**
 * The lead fields the sync keeps from the org's own records (clockLead.ts): quality rating from the latest
 * feedback, recycle count from LeadHistory, the hand-back of a recycled lead to the nurture queue, and the
 * submission stamps.
 */
import { leadFields, recycleEntries, submissionStamp } from '../clockLead';
import type { HistoryRow } from '../clock';
import { ALICE, BOB, LEAD, MQL, QUEUE } from './clockFixtures';

const NURTURE = '00G000000000009AAA';
const recycle = { statuses: ['Recycled'], queueId: NURTURE };
const h = (id: string, Field: string, OldValue: string | null, NewValue: string | null, CreatedDate: string): HistoryRow => ({
  Id: id,
  Field,
  OldValue,
  NewValue,
  CreatedDate
});
const T = (hm: string, day = '02') => `2026-03-${day}T${hm}:00.000+0000`;
const recycledOnce = [h('0171', 'Status', 'New', MQL, T('14:00')), h('0172', 'Status', MQL, 'Recycled', T('15:00'))];

describe('quality rating', () => {
  it('is the rating of the latest feedback (CreatedDate, then Id), blank without feedback', () => {
    const feedback = [
      { Id: 'a00000000000002', CreatedDate: T('15:00'), Rating__c: 2 },
      { Id: 'a00000000000001', CreatedDate: T('16:00'), Rating__c: 4 },
      { Id: 'a00000000000003', CreatedDate: T('16:00'), Rating__c: 5 }
    ];
    const lead = { Id: LEAD, Status: MQL, OwnerId: ALICE };
    expect(leadFields({ lead, history: [], feedback, recycle: null })).toEqual({ Quality_Rating__c: 5 });
    expect(leadFields({ lead, history: [], feedback: [], recycle: null })).toEqual({ Quality_Rating__c: null });
  });
});

describe('recycle count', () => {
  it('counts entries into a recycle status from LeadHistory, however they were made', () => {
    const history = [
      ...recycledOnce,
      h('0173', 'Status', 'Recycled', 'Recycled', T('15:30')), // not a new entry
      h('0174', 'Status', 'Recycled', MQL, T('10:00', '09')),
      h('0175', 'Status', MQL, 'Recycled', T('11:00', '09')),
      h('0176', 'Company', 'Acme', 'ACME', T('12:00', '09'))
    ];
    expect(recycleEntries(history, ['Recycled'])).toEqual([Date.parse(T('15:00')), Date.parse(T('11:00', '09'))]);
    expect(leadFields({ lead: { Id: LEAD, Status: 'Recycled', OwnerId: QUEUE }, history, feedback: [], recycle })).toEqual({
      Quality_Rating__c: null,
      Recycle_Count__c: 2
    });
  });

  it('is not managed when no policy names recycle statuses', () => {
    expect(
      leadFields({ lead: { Id: LEAD, Status: 'Recycled', OwnerId: ALICE }, history: recycledOnce, feedback: [], recycle: null })
    ).toEqual({
      Quality_Rating__c: null
    });
  });
});

describe('nurture queue', () => {
  const lead = { Id: LEAD, Status: 'Recycled', OwnerId: ALICE };

  it('takes a recycled lead still owned by the rep who had it', () => {
    expect(leadFields({ lead, history: recycledOnce, feedback: [], recycle })).toMatchObject({ Recycle_Count__c: 1, OwnerId: NURTURE });
  });

  it('leaves it alone once a queue owns it, when someone took it since, or when it is no longer recycled', () => {
    const moved = [...recycledOnce, h('0173', 'Owner', ALICE, NURTURE, T('15:05'))];
    expect(leadFields({ lead: { ...lead, OwnerId: NURTURE }, history: moved, feedback: [], recycle })).not.toHaveProperty('OwnerId');
    const taken = [...moved, h('0174', 'Owner', NURTURE, BOB, T('09:00', '03'))];
    expect(leadFields({ lead: { ...lead, OwnerId: BOB }, history: taken, feedback: [], recycle })).not.toHaveProperty('OwnerId');
    // reassigned in the same save as the recycle: on purpose
    const sameSave = [...recycledOnce, h('0173', 'Owner', ALICE, BOB, T('15:00'))];
    expect(leadFields({ lead: { ...lead, OwnerId: BOB }, history: sameSave, feedback: [], recycle })).not.toHaveProperty('OwnerId');
    expect(leadFields({ lead: { ...lead, Status: MQL }, history: recycledOnce, feedback: [], recycle })).not.toHaveProperty('OwnerId');
  });

  it('never moves a converted or deleted lead, one without a recorded recycle, or when the policy names no queue', () => {
    for (const l of [
      { ...lead, IsConverted: true },
      { ...lead, IsDeleted: true }
    ]) {
      expect(leadFields({ lead: l, history: recycledOnce, feedback: [], recycle })).not.toHaveProperty('OwnerId');
    }
    expect(leadFields({ lead, history: [], feedback: [], recycle })).toEqual({ Quality_Rating__c: null, Recycle_Count__c: 0 });
    expect(leadFields({ lead, history: recycledOnce, feedback: [], recycle: { ...recycle, queueId: null } })).toEqual({
      Quality_Rating__c: null,
      Recycle_Count__c: 1
    });
  });

  it('moves it again after the next recycle', () => {
    const again = [
      ...recycledOnce,
      h('0173', 'Owner', ALICE, NURTURE, T('15:05')),
      h('0174', 'Owner', NURTURE, BOB, T('09:00', '03')),
      h('0175', 'Status', 'Recycled', MQL, T('09:00', '03')),
      h('0176', 'Status', MQL, 'Recycled', T('12:00', '04'))
    ];
    expect(leadFields({ lead: { ...lead, OwnerId: BOB }, history: again, feedback: [], recycle })).toMatchObject({
      Recycle_Count__c: 2,
      OwnerId: NURTURE
    });
  });
});

describe('submission stamps', () => {
  it('copy CreatedDate into Submitted_At__c once, with the source and the latest campaign by then on a feedback', () => {
    const memberships = [
      { Id: '00v1', CampaignId: '701000000000001', CreatedDate: T('10:00', '01') },
      { Id: '00v2', CampaignId: '701000000000002', CreatedDate: T('12:00') },
      { Id: '00v3', CampaignId: '701000000000003', CreatedDate: T('18:00') } // after the feedback
    ];
    expect(submissionStamp({ Id: 'a001', CreatedDate: T('15:00') }, { leadSource: 'Webinar', memberships })).toEqual({
      Id: 'a001',
      Submitted_At__c: T('15:00'),
      Lead_Source__c: 'Webinar',
      Campaign__c: '701000000000002'
    });
    // a snapshot already there is kept; a stamped row is left alone; a review gets its time only
    expect(
      submissionStamp({ Id: 'a001', CreatedDate: T('15:00'), Lead_Source__c: 'Web' }, { leadSource: 'Webinar', memberships: [] })
    ).toEqual({
      Id: 'a001',
      Submitted_At__c: T('15:00')
    });
    expect(
      submissionStamp({ Id: 'a001', CreatedDate: T('15:00'), Submitted_At__c: T('15:00') }, { leadSource: 'Webinar', memberships })
    ).toBeNull();
    expect(submissionStamp({ Id: 'a011', CreatedDate: T('15:00') })).toEqual({ Id: 'a011', Submitted_At__c: T('15:00') });
  });
});
