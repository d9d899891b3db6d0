import { createElement } from '@lwc/engine-dom';
import LeadQualityFeedback from 'c/leadQualityFeedback';
import { getRecord, createRecord, updateRecord } from 'lightning/uiRecordApi';
import { getObjectInfo, getPicklistValues } from 'lightning/uiObjectInfoApi';
import { getRelatedListRecords } from 'lightning/uiRelatedListApi';
import { refreshApex } from '@salesforce/apex';

const mockLead = require('./data/getLead.json');
const mockObjectInfo = require('./data/getFeedbackObjectInfo.json');
const mockReasons = require('./data/getReasonPicklistValues.json');
const mockHistory = require('./data/getFeedbackRelatedList.json');
const mockHistoryAfterSave = require('./data/getFeedbackRelatedListAfterSave.json');
const mockHistoryEmpty = require('./data/getFeedbackRelatedListEmpty.json');
const mockCreated = require('./data/createFeedback.json');

jest.mock('@salesforce/apex', () => ({ refreshApex: jest.fn(() => Promise.resolve()) }), { virtual: true });

// ShowToastEvent's event name (the jest stub does not export ShowToastEventName)
const TOAST_EVENT = 'lightning__showtoast';
const LEAD_ID = '00Q5g00000LqfAAEAZ';
const NOW = '2025-03-04T15:30:00.000Z';

const BANT_OFF = { Budget__c: false, Authority__c: false, Need__c: false, Timeline__c: false };

/** 10 microtask turns, one after another: the wires and the renders they trigger settle. */
function flushPromises() {
  return Array.from({ length: 10 }).reduce((turn) => turn.then(() => undefined), Promise.resolve());
}

function relatedList(id) {
  return (config) => config.relatedListId === id;
}

async function createComponent(props = {}) {
  const element = createElement('c-lead-quality-feedback', { is: LeadQualityFeedback });
  Object.assign(element, { recordId: LEAD_ID, ...props });
  document.body.appendChild(element);
  await flushPromises();
  getRecord.emit(mockLead);
  getObjectInfo.emit(mockObjectInfo);
  getPicklistValues.emit(mockReasons);
  getRelatedListRecords.emit(mockHistory, relatedList('Lead_Quality_Feedback__r'));
  await flushPromises();
  return element;
}

// A user's clicks, counted: the acceptance criterion is "Accept, rating 4" in at most three.
let clicks = 0;
function click(target) {
  clicks += 1;
  target.click();
}

const shadow = (element) => element.shadowRoot;
const ratingLabel = (element, value) =>
  [...shadow(element).querySelector('c-choice-group').shadowRoot.querySelectorAll('label')].find(
    (label) => label.textContent.trim().charAt(0) === String(value)
  );
const button = (element, label) => [...shadow(element).querySelectorAll('lightning-button')].find((b) => b.label === label);
const reasonSelect = (element) => shadow(element).querySelector('select');

function chooseReason(element, value) {
  const select = reasonSelect(element);
  select.value = value;
  select.dispatchEvent(new CustomEvent('change'));
}

function toggleBant(element, field) {
  const toggle = shadow(element).querySelector(`lightning-input[data-field="${field}"]`);
  toggle.checked = true;
  toggle.dispatchEvent(new CustomEvent('change'));
}

describe('c-lead-quality-feedback', () => {
  beforeEach(() => {
    clicks = 0;
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

  it('shows the rating 1-5, the reasons from the picklist and the earlier feedback', async () => {
    const element = await createComponent();

    const radios = shadow(element).querySelector('c-choice-group').shadowRoot.querySelectorAll('input[type="radio"]');
    expect([...radios].map((r) => r.value)).toEqual(['1', '2', '3', '4', '5']);
    const options = [...reasonSelect(element).querySelectorAll('option')].map((o) => o.textContent);
    expect(options).toEqual(['Choose a reason…', ...mockReasons.values.map((v) => v.label)]);

    const history = shadow(element).querySelectorAll('ul.history li');
    expect(history).toHaveLength(1);
    expect(history[0].textContent).toContain('Recycle · rating 2 of 5 · Bad timing');
    expect(history[0].textContent).toContain('Dana Rep');
    expect(history[0].textContent).toContain('Budget frozen until Q3');
  });

  it('asks LDS for the reason picklist of the default record type and for the earlier feedback, newest first', async () => {
    await createComponent();
    expect(getPicklistValues.getLastConfig()).toEqual({
      recordTypeId: '012000000000000AAA',
      fieldApiName: { objectApiName: 'Lead_Quality_Feedback__c', fieldApiName: 'Reason__c' }
    });
    const configs = [];
    getRelatedListRecords.emit(undefined, (config) => configs.push(config) && false);
    expect(configs.map((c) => [c.parentRecordId, c.relatedListId])).toEqual([[LEAD_ID, 'Lead_Quality_Feedback__r']]);
    // submitted = created: the time the org stamped
    expect(configs[0].fields).toEqual(
      expect.arrayContaining(['Lead_Quality_Feedback__c.Rating__c', 'Lead_Quality_Feedback__c.CreatedDate'])
    );
    expect(configs[0].sortBy).toEqual(['-Lead_Quality_Feedback__c.CreatedDate']);
  });

  it('accepts a lead with rating 4 in two clicks and saves exactly what the rep decided (nothing measured)', async () => {
    createRecord.mockResolvedValue(mockCreated);
    updateRecord.mockResolvedValue({});
    const element = await createComponent();
    const toastHandler = jest.fn();
    element.addEventListener(TOAST_EVENT, toastHandler);

    click(ratingLabel(element, 4));
    await flushPromises();
    click(button(element, 'Accept'));
    await flushPromises();

    expect(clicks).toBe(2);
    expect(clicks).toBeLessThanOrEqual(3);
    expect(createRecord).toHaveBeenCalledTimes(1);
    expect(createRecord.mock.calls[0][0]).toEqual({
      apiName: 'Lead_Quality_Feedback__c',
      fields: {
        Lead__c: LEAD_ID,
        Rating__c: 4,
        Disposition__c: 'Accept',
        Reason__c: null,
        Comment__c: null,
        ...BANT_OFF
      }
    });
    // the quality rating, the submitted time and the snapshots are the SLA sync's to set
    expect(updateRecord).toHaveBeenCalledTimes(1);
    expect(updateRecord.mock.calls[0][0]).toEqual({ fields: { Id: LEAD_ID, Status: 'Sales Accepted' } });

    const status = shadow(element).querySelector('[role="status"]');
    expect(status.textContent).toContain('Accepted with rating 4 of 5. Lead status is now Sales Accepted.');
    expect(shadow(element).querySelector('c-choice-group')).toBeNull();
    expect(toastHandler).toHaveBeenCalledTimes(1);
    expect(toastHandler.mock.calls[0][0].detail).toMatchObject({ title: 'Feedback saved', variant: 'success' });
  });

  it('recycles with a reason and uses the status mapped in App Builder; the sync counts the recycle', async () => {
    createRecord.mockResolvedValue(mockCreated);
    const element = await createComponent({ recycleStatus: 'Nurture' });

    click(ratingLabel(element, 2));
    chooseReason(element, 'Bad timing');
    shadow(element).querySelector('lightning-textarea').value = '  Call back after the budget round.  ';
    shadow(element).querySelector('lightning-textarea').dispatchEvent(new CustomEvent('change'));
    await flushPromises();
    click(button(element, 'Recycle'));
    await flushPromises();

    expect(createRecord.mock.calls[0][0].fields).toEqual({
      Lead__c: LEAD_ID,
      Rating__c: 2,
      Disposition__c: 'Recycle',
      Reason__c: 'Bad timing',
      Comment__c: 'Call back after the budget round.',
      ...BANT_OFF
    });
    // no read-increment-write of Recycle_Count__c from the browser: two saves could lose one
    expect(updateRecord.mock.calls[0][0]).toEqual({ fields: { Id: LEAD_ID, Status: 'Nurture' } });
    expect(shadow(element).querySelector('[role="status"]').textContent).toContain('Recycled with rating 2 of 5');
  });

  it('rejects a duplicate: BANT answers saved, lead marked for dedupe', async () => {
    createRecord.mockResolvedValue(mockCreated);
    const element = await createComponent();

    click(ratingLabel(element, 1));
    toggleBant(element, 'Budget__c');
    toggleBant(element, 'Need__c');
    chooseReason(element, 'Duplicate');
    await flushPromises();
    click(button(element, 'Reject'));
    await flushPromises();

    expect(createRecord.mock.calls[0][0].fields).toEqual({
      Lead__c: LEAD_ID,
      Rating__c: 1,
      Disposition__c: 'Reject',
      Reason__c: 'Duplicate',
      Comment__c: null,
      Budget__c: true,
      Authority__c: false,
      Need__c: true,
      Timeline__c: false
    });
    expect(updateRecord.mock.calls[0][0]).toEqual({ fields: { Id: LEAD_ID, Status: 'Rejected', Needs_Dedupe__c: true } });
  });

  it('does not save a Reject without a reason and shows the error on the reason field', async () => {
    const element = await createComponent();

    click(ratingLabel(element, 1));
    await flushPromises();
    click(button(element, 'Reject'));
    await flushPromises();

    expect(createRecord).not.toHaveBeenCalled();
    expect(updateRecord).not.toHaveBeenCalled();
    const select = reasonSelect(element);
    const error = shadow(element).querySelector(`[id="${select.getAttribute('aria-describedby')}"]`);
    expect(error.textContent).toBe('Choose a reason to reject this lead.');
    expect(select.getAttribute('aria-invalid')).toBe('true');
    expect(select.closest('.slds-form-element').classList).toContain('slds-has-error');
    expect(shadow(element).activeElement).toBe(select);

    chooseReason(element, 'Spam');
    await flushPromises();
    expect(shadow(element).querySelector('.slds-form-element__help')).toBeNull();
  });

  it('does not save without a rating and says so on the rating group', async () => {
    const element = await createComponent();

    click(button(element, 'Accept'));
    await flushPromises();

    expect(createRecord).not.toHaveBeenCalled();
    const group = shadow(element).querySelector('c-choice-group');
    expect(group.errorMessage).toBe('Choose a rating from 1 to 5.');
    expect(group.shadowRoot.querySelector('.slds-form-element__help').textContent).toBe('Choose a rating from 1 to 5.');
  });

  it('disables the buttons while saving', async () => {
    let finishCreate;
    createRecord.mockReturnValue(
      new Promise((resolve) => {
        finishCreate = resolve;
      })
    );
    const element = await createComponent();

    click(ratingLabel(element, 4));
    await flushPromises();
    click(button(element, 'Accept'));
    await flushPromises();

    expect(['Accept', 'Recycle', 'Reject'].map((label) => button(element, label).disabled)).toEqual([true, true, true]);
    expect(shadow(element).querySelector('lightning-spinner')).not.toBeNull();

    finishCreate(mockCreated);
    await flushPromises();
    expect(shadow(element).querySelector('lightning-spinner')).toBeNull();
    expect(shadow(element).querySelector('[role="status"]')).not.toBeNull();
  });

  it('shows the server error when the feedback cannot be saved, and keeps the form', async () => {
    createRecord.mockRejectedValue({
      body: { output: { errors: [], fieldErrors: { Reason__c: [{ message: 'Reason: bad value for restricted picklist field' }] } } }
    });
    const element = await createComponent();

    click(ratingLabel(element, 4));
    await flushPromises();
    click(button(element, 'Accept'));
    await flushPromises();

    const alert = shadow(element).querySelector('.save-error');
    expect(alert.getAttribute('role')).toBe('alert');
    expect(alert.textContent).toBe('The feedback was not saved: Reason: bad value for restricted picklist field');
    expect(updateRecord).not.toHaveBeenCalled();
    expect(button(element, 'Accept').disabled).toBe(false);
    expect(shadow(element).querySelector('c-choice-group').value).toBe('4');
  });

  it('when the lead update fails, shows why and retries only the lead update', async () => {
    createRecord.mockResolvedValue(mockCreated);
    updateRecord.mockRejectedValueOnce({ body: { message: 'Status: bad value for restricted picklist field: Sales Accepted' } });
    updateRecord.mockResolvedValueOnce({});
    const element = await createComponent();

    click(ratingLabel(element, 4));
    await flushPromises();
    click(button(element, 'Accept'));
    await flushPromises();

    expect(shadow(element).querySelector('.save-error').textContent).toBe(
      'The feedback was saved, but the lead was not updated: Status: bad value for restricted picklist field: Sales Accepted'
    );
    click(button(element, 'Retry lead update'));
    await flushPromises();

    expect(createRecord).toHaveBeenCalledTimes(1);
    expect(updateRecord).toHaveBeenCalledTimes(2);
    expect(updateRecord.mock.calls[1][0]).toEqual(updateRecord.mock.calls[0][0]);
    expect(shadow(element).querySelector('[role="status"]').textContent).toContain('Lead status is now Sales Accepted.');
  });

  it('refreshes the earlier-feedback list after saving and shows the new entry', async () => {
    createRecord.mockResolvedValue(mockCreated);
    const element = await createComponent();

    click(ratingLabel(element, 4));
    await flushPromises();
    click(button(element, 'Accept'));
    await flushPromises();

    expect(refreshApex).toHaveBeenCalledTimes(1);
    expect(refreshApex.mock.calls[0][0].data).toEqual(mockHistory);

    getRelatedListRecords.emit(mockHistoryAfterSave, relatedList('Lead_Quality_Feedback__r'));
    await flushPromises();
    const history = shadow(element).querySelectorAll('ul.history li');
    expect(history).toHaveLength(2);
    expect(history[0].textContent).toContain('Accept · rating 4 of 5');
  });

  it('starts over for another verdict', async () => {
    createRecord.mockResolvedValue(mockCreated);
    const element = await createComponent();
    click(ratingLabel(element, 5));
    await flushPromises();
    click(button(element, 'Accept'));
    await flushPromises();

    click(button(element, 'Give more feedback'));
    await flushPromises();
    expect(shadow(element).querySelector('c-choice-group').value).toBe('');
    expect(shadow(element).querySelector('[role="status"]')).toBeNull();
  });

  it('shows load errors from Lightning Data Service', async () => {
    const element = createElement('c-lead-quality-feedback', { is: LeadQualityFeedback });
    element.recordId = LEAD_ID;
    document.body.appendChild(element);
    getRecord.error({ message: 'You do not have access to the Lead' });
    getRelatedListRecords.error({ message: 'Lead Quality Feedback is not available' }, 500, 'Server Error');
    await flushPromises();

    const alerts = [...shadow(element).querySelectorAll('[role="alert"]')].map((a) => a.textContent);
    expect(alerts).toEqual(['You do not have access to the Lead', 'Lead Quality Feedback is not available']);
    expect(button(element, 'Accept').disabled).toBe(true);
    expect(shadow(element).textContent).not.toContain('No feedback on this lead yet.');
  });

  it('says when the lead has no earlier feedback', async () => {
    const element = await createComponent();
    getRelatedListRecords.emit(mockHistoryEmpty, relatedList('Lead_Quality_Feedback__r'));
    await flushPromises();
    expect(shadow(element).querySelector('ul.history')).toBeNull();
    expect(shadow(element).textContent).toContain('No feedback on this lead yet.');
  });

  it('is accessible with the form, an inline error and the earlier feedback', async () => {
    const element = await createComponent();
    click(button(element, 'Reject'));
    await flushPromises();
    jest.useRealTimers();
    await expect(element).toBeAccessible();
  });

  it('is accessible in the success state', async () => {
    createRecord.mockResolvedValue(mockCreated);
    const element = await createComponent();
    click(ratingLabel(element, 4));
    await flushPromises();
    click(button(element, 'Accept'));
    await flushPromises();
    jest.useRealTimers();
    await expect(element).toBeAccessible();
  });
});
