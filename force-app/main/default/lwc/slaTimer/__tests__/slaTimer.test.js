import { createElement } from '@lwc/engine-dom';
import SlaTimer from 'c/slaTimer';
import { getRecord } from 'lightning/uiRecordApi';
import { getRelatedListRecords } from 'lightning/uiRelatedListApi';
import { refreshApex } from '@salesforce/apex';

const mockLead = require('./data/getLead.json');
const mockLeadAccepted = require('./data/getLeadAccepted.json');
const mockOpportunity = require('./data/getOpportunity.json');
const mockLeadTimers = require('./data/getLeadTimers.json');
const mockOpportunityTimers = require('./data/getOpportunityTimers.json');
const mockNoTimers = require('./data/getNoTimers.json');
const mockCalendar = require('./data/getCalendar.json');

jest.mock('@salesforce/apex', () => ({ refreshApex: jest.fn(() => Promise.resolve()) }), { virtual: true });

const LEAD_ID = '00Q5g00000LqfAAEAZ';
const OPP_ID = '0065g00000WlrOppAAA';
const CALENDAR_ID = 'a035g00000CalNyAAA';
// Tuesday 4 March 2025, 09:30 in New York (EST): the calendar is open 09:00-17:00 Monday to Friday.
const NOW = '2025-03-04T14:30:00.000Z';
const MINUTE = 60000;

/** 10 microtask turns, one after another: the wires and the renders they trigger settle. */
function flushPromises() {
  return Array.from({ length: 10 }).reduce((turn) => turn.then(() => undefined), Promise.resolve());
}

async function createComponent({ recordId = LEAD_ID, objectApiName = 'Lead', record = mockLead, timers = mockLeadTimers } = {}) {
  const element = createElement('c-sla-timer', { is: SlaTimer });
  Object.assign(element, { recordId, objectApiName });
  document.body.appendChild(element);
  await flushPromises();
  getRecord.emit(record, (config) => config.recordId === recordId);
  getRelatedListRecords.emit(timers);
  await flushPromises();
  // each row reads its SLA_Calendar__c through getRecord
  getRecord.emit(mockCalendar, (config) => config.recordId === CALENDAR_ID);
  await flushPromises();
  return element;
}

/** What a rep reads on each row: clock, status text, status icon, countdown. */
function rows(element) {
  return [...element.shadowRoot.querySelectorAll('c-sla-timer-item')].map((item) => {
    const root = item.shadowRoot;
    return {
      clock: root.querySelector('.clock').textContent,
      status: root.querySelector('.status').textContent,
      icon: root.querySelector('lightning-icon').iconName,
      countdown: root.querySelector('.countdown')?.textContent ?? ''
    };
  });
}

describe('c-sla-timer', () => {
  beforeEach(() => {
    jest.useFakeTimers({ now: new Date(NOW), doNotFake: ['nextTick', 'queueMicrotask'] });
  });

  afterEach(() => {
    while (document.body.firstChild) {
      document.body.removeChild(document.body.firstChild);
    }
    jest.clearAllTimers();
    jest.useRealTimers();
    jest.clearAllMocks();
  });

  it("lists the lead's clocks, open ones first, with status in text and icon and business time left", async () => {
    const element = await createComponent();

    expect(rows(element)).toEqual([
      { clock: 'Accept', status: 'On track', icon: 'utility:clock', countdown: '40 min business time left' },
      { clock: 'First Touch', status: 'At risk', icon: 'utility:warning', countdown: '30 min business time left' },
      { clock: 'First Touch', status: 'Paused', icon: 'utility:pause', countdown: '2 h 20 min left when the clock resumes' },
      { clock: 'Accept', status: 'Met', icon: 'utility:success', countdown: 'Took 40 min of 1 h business time' },
      { clock: 'Accept', status: 'Cancelled', icon: 'utility:ban', countdown: '' }
    ]);
  });

  it("shows the due time in the user's locale with lightning-formatted-date-time", async () => {
    const element = await createComponent();
    const first = element.shadowRoot.querySelector('c-sla-timer-item').shadowRoot;
    const due = first.querySelector('.due lightning-formatted-date-time');
    expect(due.value).toBe('2025-03-04T15:10:00.000Z');
    expect(due.timeZoneName).toBe('short');
  });

  it('asks for the SLA_Timers__r related list with the timer fields', async () => {
    await createComponent();
    const config = getRelatedListRecords.getLastConfig();
    expect(config.parentRecordId).toBe(LEAD_ID);
    expect(config.relatedListId).toBe('SLA_Timers__r');
    expect(config.fields).toEqual(
      expect.arrayContaining([
        'SLA_Timer__c.Clock__c',
        'SLA_Timer__c.Status__c',
        'SLA_Timer__c.Due_At__c',
        'SLA_Timer__c.Started_At__c',
        'SLA_Timer__c.Stopped_At__c',
        'SLA_Timer__c.Target_Minutes__c',
        'SLA_Timer__c.Elapsed_Business_Minutes__c',
        'SLA_Timer__c.Calendar__c'
      ])
    );
  });

  it('counts down once a minute, turns At risk past the warning and Breached past due', async () => {
    const element = await createComponent();
    expect(rows(element)[0].countdown).toBe('40 min business time left');

    jest.advanceTimersByTime(MINUTE);
    await flushPromises();
    expect(rows(element)[0]).toMatchObject({ status: 'On track', countdown: '39 min business time left' });

    jest.advanceTimersByTime(25 * MINUTE); // 09:56, past Warn_At 09:55
    await flushPromises();
    expect(rows(element)[0]).toEqual({
      clock: 'Accept',
      status: 'At risk',
      icon: 'utility:warning',
      countdown: '14 min business time left'
    });

    jest.advanceTimersByTime(20 * MINUTE); // 10:16, past Due_At 10:10
    await flushPromises();
    expect(rows(element)[0]).toEqual({
      clock: 'Accept',
      status: 'Breached',
      icon: 'utility:error',
      countdown: 'Overdue by 6 min business time'
    });
  });

  it('counts overdue time in business hours only (nights, weekend) on an opportunity', async () => {
    const element = await createComponent({
      recordId: OPP_ID,
      objectApiName: 'Opportunity',
      record: mockOpportunity,
      timers: mockOpportunityTimers
    });

    // due Thu 27 Feb 14:00 EST: Thu 14-17 (3 h) + Fri (8 h) + Mon (8 h) + Tue 09:00-09:30 = 19 h 30 min = 2 business days of 8 h, 3 h 30 min
    expect(rows(element)).toEqual([
      { clock: 'Win/Loss Review', status: 'Breached', icon: 'utility:error', countdown: 'Overdue by 2 d 3 h 30 min business time' },
      { clock: 'Win/Loss Review', status: 'Breached', icon: 'utility:error', countdown: 'Took 5 d 5 h 15 min of 5 d 5 h business time' }
    ]);
  });

  it('watches the fields of the page object and refreshes the timers when the record changes', async () => {
    await createComponent();
    const configs = [];
    getRecord.emit(undefined, (config) => configs.push(config) && false);
    const page = configs.find((c) => c.recordId === LEAD_ID);
    expect(page.optionalFields.map((f) => `${f.objectApiName}.${f.fieldApiName}`)).toEqual([
      'Lead.Status',
      'Lead.OwnerId',
      'Lead.SLA_Status__c'
    ]);

    getRecord.emit(mockLead, (c) => c.recordId === LEAD_ID);
    await flushPromises();
    expect(refreshApex).not.toHaveBeenCalled();

    getRecord.emit(mockLeadAccepted, (c) => c.recordId === LEAD_ID);
    await flushPromises();
    expect(refreshApex).toHaveBeenCalledTimes(1);
    expect(refreshApex.mock.calls[0][0].data).toEqual(mockLeadTimers);
  });

  it('watches StageName, owner and review status on an opportunity', async () => {
    await createComponent({ recordId: OPP_ID, objectApiName: 'Opportunity', record: mockOpportunity, timers: mockOpportunityTimers });
    const configs = [];
    getRecord.emit(undefined, (config) => configs.push(config) && false);
    const page = configs.find((c) => c.recordId === OPP_ID);
    expect(page.optionalFields.map((f) => f.fieldApiName)).toEqual(['StageName', 'OwnerId', 'Win_Loss_Review_Status__c']);
  });

  it('stops ticking when removed from the page', async () => {
    const element = await createComponent();
    expect(jest.getTimerCount()).toBe(1);
    document.body.removeChild(element);
    expect(jest.getTimerCount()).toBe(0);
  });

  it('says so when there are no clocks, and shows load errors', async () => {
    const element = await createComponent({ timers: mockNoTimers });
    expect(element.shadowRoot.textContent).toContain('No SLA clocks on this record yet.');

    getRelatedListRecords.error({ message: 'SLA Timer is not accessible' });
    await flushPromises();
    expect(element.shadowRoot.querySelector('[role="alert"]').textContent).toBe('SLA Timer is not accessible');
  });

  it('says when the business calendar cannot be read instead of counting', async () => {
    const element = createElement('c-sla-timer', { is: SlaTimer });
    Object.assign(element, { recordId: LEAD_ID, objectApiName: 'Lead' });
    document.body.appendChild(element);
    await flushPromises();
    getRelatedListRecords.emit(mockLeadTimers);
    await flushPromises();
    getRecord.error({ message: 'no access' });
    await flushPromises();
    expect(rows(element)[0]).toMatchObject({ status: 'On track', countdown: 'Business calendar not available.' });
  });

  it('is accessible', async () => {
    const element = await createComponent();
    jest.useRealTimers();
    await expect(element).toBeAccessible();
  });
});
