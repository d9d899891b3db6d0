import { createElement } from '@lwc/engine-dom';
import WinLossReview from 'c/winLossReview';
import { getRecord, createRecord, updateRecord } from 'lightning/uiRecordApi';
import { getObjectInfo, getPicklistValuesByRecordType } from 'lightning/uiObjectInfoApi';
import { getRelatedListRecords } from 'lightning/uiRelatedListApi';
import { graphql } from 'lightning/graphql';

const mockOpen = require('./data/getOpportunityOpen.json');
const mockClosedLost = require('./data/getOpportunityClosedLost.json');
const mockClosedWon = require('./data/getOpportunityClosedWon.json');
const mockObjectInfo = require('./data/getReviewObjectInfo.json');
const mockPicklists = require('./data/getReviewPicklistValues.json');
const mockNoReviews = require('./data/getReviewsNone.json');
const mockOwnReview = require('./data/getReviewsOwn.json');
const mockOthersReview = require('./data/getReviewsOthers.json');
const mockCreated = require('./data/createReview.json');
const mockSavedReview = require('./data/getSavedReview.json');
const mockReviewClock = require('./data/getReviewClock.json');
const mockCalendar = require('./data/getCalendar.json');

const OPP_ID = '0065g00000WlrOppAAA';
const REVIEW_ID = 'a045g00000WlrRevAAA';
const NOW = '2025-03-04T15:30:00.000Z';
const TOAST_EVENT = 'lightning__showtoast';
const REFRESH_EVENT = 'lightning__refresh';
const CALENDAR_ID = 'a035g00000CalNyAAA';

/** 10 microtask turns, one after another: the wires and the renders they trigger settle. */
function flushPromises() {
  return Array.from({ length: 10 }).reduce((turn) => turn.then(() => undefined), Promise.resolve());
}

async function createComponent(opportunity, reviews = mockNoReviews) {
  const element = createElement('c-win-loss-review', { is: WinLossReview });
  element.recordId = OPP_ID;
  document.body.appendChild(element);
  await flushPromises();
  getRecord.emit(opportunity, (config) => config.recordId === OPP_ID);
  getObjectInfo.emit(mockObjectInfo);
  getPicklistValuesByRecordType.emit(mockPicklists);
  getRelatedListRecords.emit(reviews);
  await flushPromises();
  return element;
}

let interactions = 0;
function click(target) {
  interactions += 1;
  target.click();
}
function choosePrimaryReason(element, value) {
  interactions += 1;
  const select = element.shadowRoot.querySelector('select');
  select.value = value;
  select.dispatchEvent(new CustomEvent('change'));
}
const group = (element, cls) => element.shadowRoot.querySelector(`c-choice-group.${cls}`);
const groupLabel = (element, cls, text) =>
  [...group(element, cls).shadowRoot.querySelectorAll('label')].find((label) => label.textContent.trim().startsWith(text));
const button = (element, label) => [...element.shadowRoot.querySelectorAll('lightning-button')].find((b) => b.label === label);
const summary = (element) =>
  Object.fromEntries(
    [...element.shadowRoot.querySelectorAll('dl.summary dt')].map((dt) => [dt.textContent, dt.nextElementSibling.textContent])
  );

function setBaseInput(element, cls, value) {
  const input = element.shadowRoot.querySelector(`.${cls}`);
  input.value = value;
  input.dispatchEvent(new CustomEvent('change', { detail: { value } }));
}

describe('c-win-loss-review', () => {
  beforeEach(() => {
    interactions = 0;
    jest.useFakeTimers({ now: new Date(NOW), doNotFake: ['nextTick', 'queueMicrotask', 'setTimeout', 'setInterval'] });
  });

  afterEach(() => {
    while (document.body.firstChild) {
      document.body.removeChild(document.body.firstChild);
    }
    jest.useRealTimers();
    jest.clearAllMocks();
    createRecord.mockReset();
    updateRecord.mockReset();
  });

  it('stays hidden while the opportunity is open and appears once it is closed', async () => {
    const element = await createComponent(mockOpen);
    expect(element.shadowRoot.querySelector('lightning-card')).toBeNull();

    getRecord.emit(mockClosedLost, (config) => config.recordId === OPP_ID);
    await flushPromises();
    expect(element.shadowRoot.querySelector('lightning-card')).not.toBeNull();
    expect(group(element, 'outcome')).not.toBeNull();
  });

  it('prefills outcome from IsWon and marketing influence from Marketing_Sourced__c', async () => {
    let element = await createComponent(mockClosedLost);
    expect(group(element, 'outcome').value).toBe('Lost');
    expect(group(element, 'influence').value).toBe('Sourced');
    expect(group(element, 'retrospective').value).toBe('');
    expect(group(element, 'retrospective').shadowRoot.querySelector('input:checked').value).toBe('');
    document.body.removeChild(element);

    element = await createComponent(mockClosedWon);
    expect(group(element, 'outcome').value).toBe('Won');
    expect(group(element, 'influence').value).toBe('Unknown');
    expect(group(element, 'outcome').options.map((o) => o.value)).toEqual(['Won', 'Lost', 'No Decision']);
  });

  it('is filed in two interactions (primary reason, Submit) with exactly these fields, then shows the summary', async () => {
    createRecord.mockResolvedValue(mockCreated);
    const element = await createComponent(mockClosedLost);
    const toastHandler = jest.fn();
    const refreshHandler = jest.fn();
    element.addEventListener(TOAST_EVENT, toastHandler);
    element.addEventListener(REFRESH_EVENT, refreshHandler);

    choosePrimaryReason(element, 'Price');
    await flushPromises();
    click(button(element, 'Submit review'));
    await flushPromises();

    expect(interactions).toBe(2);
    expect(createRecord.mock.calls[0][0]).toEqual({
      apiName: 'Win_Loss_Review__c',
      fields: {
        Opportunity__c: OPP_ID,
        Outcome__c: 'Lost',
        Primary_Reason__c: 'Price',
        Secondary_Reasons__c: null,
        Competitor__c: null,
        Marketing_Influence__c: 'Sourced',
        Lead_Quality_Retrospective__c: null,
        Lessons__c: null
      }
    });
    expect(toastHandler.mock.calls[0][0].detail).toMatchObject({ title: 'Review submitted', variant: 'success' });
    expect(element.shadowRoot.querySelector('select')).toBeNull();
    expect(element.shadowRoot.querySelector('[role="status"]').textContent).toContain('Review submitted');
    // the page's other components are asked to read again (RefreshView API), nothing refetched with refreshApex
    expect(refreshHandler).toHaveBeenCalledTimes(1);

    // the summary follows the saved review through getRecord, with fields
    const configs = [];
    getRecord.emit(undefined, (config) => configs.push(config) && false);
    const saved = configs.find((c) => c.recordId === REVIEW_ID);
    expect(saved.fields).toEqual(expect.arrayContaining(['Win_Loss_Review__c.Outcome__c', 'Win_Loss_Review__c.Primary_Reason__c']));
    getRecord.emit(mockSavedReview, (config) => config.recordId === REVIEW_ID);
    await flushPromises();
    expect(summary(element)).toEqual({
      Outcome: 'Lost',
      'Primary reason': 'Price',
      'Secondary reasons': 'Timing, Implementation risk',
      Competitor: 'Acme Analytics',
      'Marketing influence': 'Sourced',
      'Lead quality in hindsight': 'Unknown',
      Lessons: 'Bring the security review forward.'
    });
    expect(element.shadowRoot.querySelector('[role="status"]')).toBeNull();
    // words and the date stay apart (the template compiler trims a line-ending space)
    expect(element.shadowRoot.querySelector('dl.summary + p').textContent).toBe('Submitted by Riley Rep\u00a0on\u00a0.');
  });

  it('saves every answer a rep gives, with unknowns left blank', async () => {
    createRecord.mockResolvedValue(mockCreated);
    const element = await createComponent(mockClosedWon);

    click(groupLabel(element, 'outcome', 'No Decision'));
    choosePrimaryReason(element, 'Timing');
    await flushPromises();
    const secondary = element.shadowRoot.querySelector('lightning-checkbox-group');
    expect(secondary.options.map((o) => o.value)).not.toContain('Timing');
    expect(secondary.options.map((o) => o.value)).not.toContain('Unknown');
    setBaseInput(element, 'secondary-reasons', ['No budget', 'Champion left']);
    setBaseInput(element, 'competitor', ' Globex ');
    click(groupLabel(element, 'influence', 'Influenced'));
    click(groupLabel(element, 'retrospective', '3'));
    setBaseInput(element, 'lessons', 'Multi-thread earlier.');
    await flushPromises();
    click(button(element, 'Submit review'));
    await flushPromises();

    expect(createRecord.mock.calls[0][0].fields).toEqual({
      Opportunity__c: OPP_ID,
      Outcome__c: 'No Decision',
      Primary_Reason__c: 'Timing',
      Secondary_Reasons__c: 'No budget;Champion left',
      Competitor__c: 'Globex',
      Marketing_Influence__c: 'Influenced',
      Lead_Quality_Retrospective__c: 3,
      Lessons__c: 'Multi-thread earlier.'
    });
  });

  it('does not submit without a primary reason and says so on the field', async () => {
    const element = await createComponent(mockClosedLost);

    click(button(element, 'Submit review'));
    await flushPromises();

    expect(createRecord).not.toHaveBeenCalled();
    const select = element.shadowRoot.querySelector('select');
    const error = element.shadowRoot.querySelector(`[id="${select.getAttribute('aria-describedby')}"]`);
    expect(error.textContent).toBe('Choose the primary reason (pick Unknown if you cannot tell).');
    expect(select.getAttribute('aria-invalid')).toBe('true');
    expect(element.shadowRoot.activeElement).toBe(select);
  });

  it('shows the server error and keeps the answers', async () => {
    createRecord.mockRejectedValue({ body: { output: { errors: [{ message: 'Insufficient access rights on cross-reference id' }] } } });
    const element = await createComponent(mockClosedLost);

    choosePrimaryReason(element, 'Competitor');
    await flushPromises();
    click(button(element, 'Submit review'));
    await flushPromises();

    const alert = element.shadowRoot.querySelector('.save-error');
    expect(alert.getAttribute('role')).toBe('alert');
    expect(alert.textContent).toBe('The review was not saved: Insufficient access rights on cross-reference id');
    expect(element.shadowRoot.querySelector('select').value).toBe('Competitor');
    expect(button(element, 'Submit review').disabled).toBe(false);
  });

  it("lets the review's owner edit it, prefilled, and saves the changes with updateRecord", async () => {
    updateRecord.mockResolvedValue({});
    const element = await createComponent(mockClosedLost, mockOwnReview);
    expect(summary(element).Outcome).toBe('Lost');

    click(button(element, 'Edit'));
    await flushPromises();
    expect(element.shadowRoot.querySelector('select').value).toBe('Price');
    expect(element.shadowRoot.querySelector('lightning-checkbox-group').value).toEqual(['Timing', 'Implementation risk']);
    expect(element.shadowRoot.querySelector('.competitor').value).toBe('Acme Analytics');
    expect(group(element, 'influence').value).toBe('Sourced');

    choosePrimaryReason(element, 'Timing');
    click(groupLabel(element, 'retrospective', '2'));
    await flushPromises();
    click(button(element, 'Save review'));
    await flushPromises();

    expect(createRecord).not.toHaveBeenCalled();
    expect(updateRecord.mock.calls[0][0]).toEqual({
      fields: {
        Id: REVIEW_ID,
        Outcome__c: 'Lost',
        Primary_Reason__c: 'Timing',
        Secondary_Reasons__c: 'Implementation risk',
        Competitor__c: 'Acme Analytics',
        Marketing_Influence__c: 'Sourced',
        Lead_Quality_Retrospective__c: 2,
        Lessons__c: 'Bring the security review forward.'
      }
    });
    getRecord.emit(
      { ...mockSavedReview, fields: { ...mockSavedReview.fields, Primary_Reason__c: { value: 'Timing', displayValue: 'Timing' } } },
      (c) => c.recordId === REVIEW_ID
    );
    await flushPromises();
    expect(summary(element)['Primary reason']).toBe('Timing');
  });

  it('cancelling an edit keeps the review as it was', async () => {
    const element = await createComponent(mockClosedLost, mockOwnReview);
    click(button(element, 'Edit'));
    await flushPromises();
    choosePrimaryReason(element, 'Other');
    click(button(element, 'Cancel'));
    await flushPromises();

    expect(updateRecord).not.toHaveBeenCalled();
    expect(summary(element)['Primary reason']).toBe('Price');
  });

  it("shows someone else's review read-only", async () => {
    const element = await createComponent(mockClosedLost, mockOthersReview);
    expect(summary(element)['Primary reason']).toBe('Price');
    expect(element.shadowRoot.textContent).toContain('Sam Seller');
    expect(button(element, 'Edit')).toBeUndefined();
    expect(element.shadowRoot.querySelector('select')).toBeNull();
  });

  it('shows load errors', async () => {
    const element = createElement('c-win-loss-review', { is: WinLossReview });
    element.recordId = OPP_ID;
    document.body.appendChild(element);
    await flushPromises();
    getRecord.error({ message: 'Opportunity is not accessible' });
    await flushPromises();
    expect(element.shadowRoot.querySelector('[role="alert"]').textContent).toBe('Opportunity is not accessible');
  });

  it('says when the review is due and how much business time is left, until it is filed', async () => {
    createRecord.mockResolvedValue(mockCreated);
    const element = await createComponent(mockClosedLost);
    graphql.emit(mockReviewClock);
    await flushPromises();
    getRecord.emit(mockCalendar, (config) => config.recordId === CALENDAR_ID);
    await flushPromises();
    expect(graphql.getLastConfig().variables).toEqual({ recordId: OPP_ID });
    const item = element.shadowRoot.querySelector('.due-clock c-sla-timer-item');
    // closed Monday 09:00, 45 business hours: due Monday 10 March 14:00 EDT; Tuesday 10:30 EST, 9 h 30 min used: 35 h 30 min = 4 business days, 3 h 30 min left
    expect(item.shadowRoot.querySelector('.due lightning-formatted-date-time').value).toBe('2025-03-10T18:00:00.000Z');
    expect(item.shadowRoot.querySelector('.countdown').textContent).toBe('4 d 3 h 30 min business time left');

    choosePrimaryReason(element, 'Price');
    await flushPromises();
    click(button(element, 'Submit review'));
    await flushPromises();
    expect(element.shadowRoot.querySelector('.due-clock')).toBeNull();
  });

  it('no due line once the clock has stopped', async () => {
    const element = await createComponent(mockClosedLost);
    const stopped = JSON.parse(JSON.stringify(mockReviewClock));
    const node = stopped.uiapi.query.SLA_Timer__c.edges[0].node;
    Object.assign(node, { Status__c: { value: 'Met' }, Stopped_At__c: { value: '2025-03-04T15:00:00.000Z' } });
    graphql.emit(stopped);
    await flushPromises();
    expect(element.shadowRoot.querySelector('.due-clock')).toBeNull();
  });

  it('stops its countdown tick when removed', async () => {
    const element = await createComponent(mockClosedLost);
    const clear = jest.spyOn(window, 'clearInterval');
    document.body.removeChild(element);
    expect(clear).toHaveBeenCalled();
    clear.mockRestore();
  });

  it('is accessible with the form and an inline error', async () => {
    const element = await createComponent(mockClosedLost);
    graphql.emit(mockReviewClock);
    await flushPromises();
    getRecord.emit(mockCalendar, (config) => config.recordId === CALENDAR_ID);
    click(button(element, 'Submit review'));
    await flushPromises();
    jest.useRealTimers();
    await expect(element).toBeAccessible();
  });

  it('is accessible with the summary', async () => {
    const element = await createComponent(mockClosedLost, mockOwnReview);
    jest.useRealTimers();
    await expect(element).toBeAccessible();
  });
});
