import { createElement } from '@lwc/engine-dom';
import SlaTimer from 'c/slaTimer';
import { getRecord, notifyRecordUpdateAvailable } from 'lightning/uiRecordApi';
import { graphql } from 'lightning/graphql';
import { registerRefreshHandler, unregisterRefreshHandler } from 'lightning/refresh';

const mockLead = require('./data/getLead.json');
const mockLeadAccepted = require('./data/getLeadAccepted.json');
const mockOpportunity = require('./data/getOpportunity.json');
const mockLeadClocks = require('./data/getLeadClocks.json');
const mockLeadClocksAccepted = require('./data/getLeadClocksAccepted.json');
const mockLeadClocksSynced = require('./data/getLeadClocksSynced.json');
const mockOpportunityClocks = require('./data/getOpportunityClocks.json');
const mockOpportunityClocksReviewed = require('./data/getOpportunityClocksReviewed.json');
const mockNoClocks = require('./data/getNoClocks.json');
const mockCalendar = require('./data/getCalendar.json');

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

/** The graphql wire's value as lightning/graphql emits it, with its refresh(). */
const refresh = jest.fn(() => Promise.resolve());

async function emitClocks(clocks) {
  graphql.emit(clocks, undefined, refresh);
  await flushPromises();
  // each row reads its SLA_Calendar__c through getRecord
  getRecord.emit(mockCalendar, (config) => config.recordId === CALENDAR_ID);
  await flushPromises();
}

async function createComponent({ recordId = LEAD_ID, objectApiName = 'Lead', record = mockLead, clocks = mockLeadClocks } = {}) {
  const element = createElement('c-sla-timer', { is: SlaTimer });
  Object.assign(element, { recordId, objectApiName });
  document.body.appendChild(element);
  await flushPromises();
  getRecord.emit(record, (config) => config.recordId === recordId);
  await emitClocks(clocks);
  return element;
}

/** What a rep reads on each row: clock, status text, status icon, countdown. */
function rows(element, selector = '.timers') {
  return [...element.shadowRoot.querySelectorAll(`${selector} c-sla-timer-item`)].map((item) => {
    const root = item.shadowRoot;
    return {
      clock: root.querySelector('.clock').textContent,
      status: root.querySelector('.status').textContent,
      icon: root.querySelector('lightning-icon').iconName,
      countdown: root.querySelector('.countdown')?.textContent ?? '',
      ...(root.querySelector('.pending') ? { pending: true } : {})
    };
  });
}

const earlierButton = (element) => element.shadowRoot.querySelector('.earlier button');

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

  it("shows each clock's current run with status in text and icon and business time left; earlier cycles collapsed", async () => {
    const element = await createComponent();

    expect(rows(element)).toEqual([
      { clock: 'Accept', status: 'On track', icon: 'utility:clock', countdown: '40 min business time left' },
      { clock: 'First Touch', status: 'On track', icon: 'utility:clock', countdown: '3 h 40 min business time left' }
    ]);
    const button = earlierButton(element);
    expect(button.textContent).toBe('Earlier cycles (3)');
    expect(button.getAttribute('aria-expanded')).toBe('false');
    expect(rows(element, '.earlier')).toEqual([]);

    button.click();
    await emitClocks(mockLeadClocks);
    expect(button.getAttribute('aria-expanded')).toBe('true');
    expect(rows(element, '.earlier')).toEqual([
      { clock: 'Accept', status: 'Met', icon: 'utility:success', countdown: 'Took 40 min of 1 h business time' },
      { clock: 'First Touch', status: 'Cancelled', icon: 'utility:ban', countdown: '' },
      { clock: 'Accept', status: 'Breached', icon: 'utility:error', countdown: 'Took 8 h of 1 h business time' }
    ]);
  });

  it("shows the due time in the user's locale with lightning-formatted-date-time", async () => {
    const element = await createComponent();
    const first = element.shadowRoot.querySelector('c-sla-timer-item').shadowRoot;
    const due = first.querySelector('.due lightning-formatted-date-time');
    expect(due.value).toBe('2025-03-04T15:10:00.000Z');
    expect(due.timeZoneName).toBe('short');
  });

  it('reads the timers and the submissions that stop clocks in one GraphQL query, and the page record with fields', async () => {
    await createComponent();
    expect(graphql.getLastConfig().variables).toEqual({ recordId: LEAD_ID });
    const configs = [];
    getRecord.emit(undefined, (config) => configs.push(config) && false);
    const page = configs.find((c) => c.recordId === LEAD_ID);
    expect(page.fields.map((f) => `${f.objectApiName}.${f.fieldApiName}`)).toEqual(['Lead.Status', 'Lead.OwnerId']);
    expect(page.optionalFields).toBeUndefined();
  });

  it('the moment a feedback is submitted, the Accept clock shows Met with the business time it took, as the sync will record it', async () => {
    const element = await createComponent();
    // the rep accepted at 09:35: the feedback is in the org, the timer still as the last sync wrote it
    jest.advanceTimersByTime(5 * MINUTE);
    await emitClocks(mockLeadClocksAccepted);

    expect(rows(element)).toEqual([
      { clock: 'Accept', status: 'Met', icon: 'utility:success', countdown: 'Took 25 min of 1 h business time' },
      { clock: 'First Touch', status: 'On track', icon: 'utility:clock', countdown: '3 h 35 min business time left' }
    ]);
    const accept = element.shadowRoot.querySelector('c-sla-timer-item').shadowRoot;
    expect(accept.querySelector('.due')).toBeNull();
    expect(accept.querySelector('.stopped lightning-formatted-date-time').value).toBe('2025-03-04T14:35:00.000Z');
    // the earlier cycle's feedback (before this run started) stopped nothing of it
    expect(rows(element, '.timers')[0].status).toBe('Met');

    // the next sync wrote the same
    await emitClocks(mockLeadClocksSynced);
    expect(rows(element)[0]).toEqual({
      clock: 'Accept',
      status: 'Met',
      icon: 'utility:success',
      countdown: 'Took 25 min of 1 h business time'
    });
  });

  it('a new status marks the open clocks pending and reads them again until the sync has written them', async () => {
    const element = await createComponent();
    getRecord.emit(mockLeadAccepted, (c) => c.recordId === LEAD_ID);
    await emitClocks(mockLeadClocksAccepted);
    expect(refresh).toHaveBeenCalledTimes(1);
    // Accept is ended by the feedback (the page knows); what Sales Accepted does to First Touch is the policy's
    expect(rows(element)).toEqual([
      { clock: 'Accept', status: 'Met', icon: 'utility:success', countdown: 'Took 25 min of 1 h business time' },
      { clock: 'First Touch', status: 'On track', icon: 'utility:clock', countdown: '3 h 40 min business time left', pending: true }
    ]);

    jest.advanceTimersByTime(10000);
    await flushPromises();
    expect(refresh).toHaveBeenCalledTimes(2);
    expect(notifyRecordUpdateAvailable).toHaveBeenCalledWith([{ recordId: LEAD_ID }]);

    await emitClocks(mockLeadClocksSynced);
    expect(rows(element)[1].pending).toBeUndefined();
    jest.advanceTimersByTime(60000);
    expect(refresh).toHaveBeenCalledTimes(2);
  });

  it('stops waiting for the sync after a minute and a half', async () => {
    const element = await createComponent();
    getRecord.emit(mockLeadAccepted, (c) => c.recordId === LEAD_ID);
    await flushPromises();
    expect(rows(element)[0].pending).toBe(true);
    jest.advanceTimersByTime(90000);
    await flushPromises();
    expect(rows(element)[0].pending).toBeUndefined();
    const calls = refresh.mock.calls.length;
    jest.advanceTimersByTime(60000);
    expect(refresh.mock.calls.length).toBe(calls);
  });

  it('takes part in the RefreshView API: a refresh of the page reads the clocks again', async () => {
    const element = await createComponent();
    expect(registerRefreshHandler).toHaveBeenCalledTimes(1);
    const [context, handler] = registerRefreshHandler.mock.calls[0];
    await expect(handler.call(context)).resolves.toBe(true);
    expect(refresh).toHaveBeenCalledTimes(1);
    document.body.removeChild(element);
    expect(unregisterRefreshHandler).toHaveBeenCalledWith(registerRefreshHandler.mock.results[0].value);
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

  it('on an opportunity: overdue time in business hours only; a review on a breached clock ends it Breached, its time taken left to the sync', async () => {
    const element = await createComponent({
      recordId: OPP_ID,
      objectApiName: 'Opportunity',
      record: mockOpportunity,
      clocks: mockOpportunityClocks
    });
    // due Thu 27 Feb 14:00 EST: Thu 14-17 (3 h) + Fri (8 h) + Mon (8 h) + Tue 09:00-09:30 = 19 h 30 min = 2 business days of 8 h, 3 h 30 min
    expect(rows(element)).toEqual([
      { clock: 'Win/Loss Review', status: 'Breached', icon: 'utility:error', countdown: 'Overdue by 2 d 3 h 30 min business time' }
    ]);
    expect(earlierButton(element).textContent).toBe('Earlier cycles (1)');

    await emitClocks(mockOpportunityClocksReviewed);
    expect(rows(element)).toEqual([
      { clock: 'Win/Loss Review', status: 'Breached', icon: 'utility:error', countdown: 'Business time taken: at the next SLA sync' }
    ]);
  });

  it('watches the stage and the owner on an opportunity', async () => {
    await createComponent({ recordId: OPP_ID, objectApiName: 'Opportunity', record: mockOpportunity, clocks: mockOpportunityClocks });
    const configs = [];
    getRecord.emit(undefined, (config) => configs.push(config) && false);
    const page = configs.find((c) => c.recordId === OPP_ID);
    expect(page.fields.map((f) => f.fieldApiName)).toEqual(['StageName', 'OwnerId']);
  });

  it('stops ticking when removed from the page', async () => {
    const element = await createComponent();
    expect(jest.getTimerCount()).toBe(1);
    document.body.removeChild(element);
    expect(jest.getTimerCount()).toBe(0);
  });

  it('says so when there are no clocks, and shows load errors', async () => {
    const element = await createComponent({ clocks: mockNoClocks });
    expect(element.shadowRoot.textContent).toContain('No SLA clocks on this record yet.');
    expect(earlierButton(element)).toBeNull();

    graphql.emitErrors([{ message: 'SLA Timer is not accessible' }]);
    await flushPromises();
    expect(element.shadowRoot.querySelector('[role="alert"]').textContent).toBe('SLA Timer is not accessible');
  });

  it('says when the business calendar cannot be read instead of counting', async () => {
    const element = createElement('c-sla-timer', { is: SlaTimer });
    Object.assign(element, { recordId: LEAD_ID, objectApiName: 'Lead' });
    document.body.appendChild(element);
    await flushPromises();
    graphql.emit(mockLeadClocks);
    await flushPromises();
    getRecord.error({ message: 'no access' });
    await flushPromises();
    expect(rows(element)[0]).toMatchObject({ status: 'On track', countdown: 'Business calendar not available.' });
  });

  it('is accessible, with the earlier cycles open and a clock pending', async () => {
    const element = await createComponent();
    earlierButton(element).click();
    getRecord.emit(mockLeadAccepted, (c) => c.recordId === LEAD_ID);
    await emitClocks(mockLeadClocks);
    jest.useRealTimers();
    await expect(element).toBeAccessible();
  });
});
