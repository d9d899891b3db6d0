import { createElement } from '@lwc/engine-dom';
import LeadQualityFeedback from 'c/leadQualityFeedback';
import { getRecord, createRecord, updateRecord } from 'lightning/uiRecordApi';
import { getObjectInfo, getPicklistValues } from 'lightning/uiObjectInfoApi';
import { getRelatedListRecords } from 'lightning/uiRelatedListApi';

const mockLead = require('./data/getLead.json');
const mockObjectInfo = require('./data/getFeedbackObjectInfo.json');
const mockReasons = require('./data/getReasonPicklistValues.json');
const mockHistory = require('./data/getFeedbackRelatedList.json');
const mockHistoryDecided = require('./data/getFeedbackRelatedListDecided.json');
const mockHistoryEmpty = require('./data/getFeedbackRelatedListEmpty.json');
const mockCreated = require('./data/createFeedback.json');
const mockSaved = require('./data/getSavedFeedback.json');

// the event names of ShowToastEvent and RefreshEvent (the jest stubs do not export them all)
const TOAST_EVENT = 'lightning__showtoast';
const REFRESH_EVENT = 'lightning__refresh';
const LEAD_ID = '00Q5g00000LqfAAEAZ';
const SAVED_ID = 'a015g00000Fb002AAA';
const NOW = '2025-03-04T15:30:00.000Z';

const BANT_OFF = { Budget__c: false, Authority__c: false, Need__c: false, Timeline__c: false };

/** 10 microtask turns, one after another: the wires and the renders they trigger settle. */
function flushPromises() {
  return Array.from({ length: 10 }).reduce((turn) => turn.then(() => undefined), Promise.resolve());
}

const byRecord = (id) => (config) => config.recordId === id;

async function createComponent(props = {}, history = mockHistory) {
  const element = createElement('c-lead-quality-feedback', { is: LeadQualityFeedback });
  Object.assign(element, { recordId: LEAD_ID, ...props });
  document.body.appendChild(element);
  await flushPromises();
  getRecord.emit(mockLead, byRecord(LEAD_ID));
  getObjectInfo.emit(mockObjectInfo);
  getPicklistValues.emit(mockReasons);
  getRelatedListRecords.emit(history);
  await flushPromises();
  return element;
}

// A user's clicks, counted: every outcome in at most three.
let clicks = 0;
function click(target) {
  clicks += 1;
  target.click();
}

const shadow = (element) => element.shadowRoot;
const group = (element, name) => shadow(element).querySelector(`c-choice-group.${name}`);
const choice = (element, name, text) =>
  [...group(element, name).shadowRoot.querySelectorAll('label')].find((label) => label.textContent.trim().split(',')[0] === String(text));
const choices = (element, name) => [...group(element, name).shadowRoot.querySelectorAll('input')].map((input) => input.value);
const button = (element, label) => [...shadow(element).querySelectorAll('lightning-button')].find((b) => b.label === label);
const headline = (element) => shadow(element).querySelector('.decision .headline')?.textContent;

async function decide(element, outcome, second) {
  click(choice(element, 'outcome', outcome));
  await flushPromises();
  click(choice(element, outcome === 'Accept' ? 'rating' : 'reason', second));
  await flushPromises();
  click(button(element, `${outcome} lead`));
  await flushPromises();
}

async function openDetails(element) {
  shadow(element).querySelector('.details-toggle').click();
  await flushPromises();
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

  it('asks a fresh MQL for the outcome first, and lists the feedback of its earlier cycle', async () => {
    const element = await createComponent();

    expect(choices(element, 'outcome')).toEqual(['Accept', 'Recycle', 'Reject']);
    expect(group(element, 'reason')).toBeNull();
    expect(group(element, 'rating')).toBeNull();
    expect(headline(element)).toBeUndefined();

    const history = shadow(element).querySelectorAll('ul.history li');
    expect(history).toHaveLength(1);
    expect(history[0].textContent).toContain('Recycled · rating 2 of 5 · Bad timing');
    expect(history[0].textContent).toContain('Dana Rep');
    expect(history[0].textContent).toContain('Budget frozen until Q3');
  });

  it('reads the lead with fields (MQL At optional), the reason picklist and the feedback, newest first', async () => {
    await createComponent();
    const configs = [];
    getRecord.emit(undefined, (config) => configs.push(config) && false);
    const lead = configs.find((c) => c.recordId === LEAD_ID);
    expect(lead.fields).toEqual([{ objectApiName: 'Lead', fieldApiName: 'Status' }]);
    expect(lead.optionalFields).toEqual([
      { objectApiName: 'Lead', fieldApiName: 'MQL_At__c' },
      { objectApiName: 'Lead', fieldApiName: 'Accepted_At__c' }
    ]);
    expect(getPicklistValues.getLastConfig()).toEqual({
      recordTypeId: '012000000000000AAA',
      fieldApiName: { objectApiName: 'Lead_Quality_Feedback__c', fieldApiName: 'Reason__c' }
    });
    const lists = [];
    getRelatedListRecords.emit(undefined, (config) => lists.push(config) && false);
    expect(lists.map((c) => [c.parentRecordId, c.relatedListId])).toEqual([[LEAD_ID, 'Lead_Quality_Feedback__r']]);
    expect(lists[0].fields).toEqual(expect.arrayContaining(['Lead_Quality_Feedback__c.Rating__c', 'Lead_Quality_Feedback__c.CreatedDate']));
    expect(lists[0].sortBy).toEqual(['-Lead_Quality_Feedback__c.CreatedDate']);
  });

  it('offers only the reasons that fit the outcome', async () => {
    const element = await createComponent();
    click(choice(element, 'outcome', 'Accept'));
    await flushPromises();
    expect(choices(element, 'reason')).toEqual(['Good fit']);
    expect(group(element, 'rating').required).toBe(true);

    click(choice(element, 'outcome', 'Recycle'));
    await flushPromises();
    expect(choices(element, 'reason')).toEqual(['Bad timing', 'No budget', 'Not decision maker', 'No need']);
    expect(group(element, 'rating').required).toBe(false);

    click(choice(element, 'reason', 'Bad timing'));
    await flushPromises();
    click(choice(element, 'outcome', 'Reject'));
    await flushPromises();
    expect(choices(element, 'reason')).toEqual([
      'Already in contact',
      'Duplicate',
      'Bad contact data',
      'No need',
      'Competitor',
      'Student or job seeker',
      'Spam'
    ]);
    // Bad timing does not fit Reject: the choice is cleared, not carried over
    expect(group(element, 'reason').value).toBe('');
  });

  it('accepts with rating 4 in three clicks, saves exactly what the rep decided, and shows the decision', async () => {
    createRecord.mockResolvedValue(mockCreated);
    updateRecord.mockResolvedValue({});
    const element = await createComponent();
    const toast = jest.fn();
    const refresh = jest.fn();
    element.addEventListener(TOAST_EVENT, toast);
    element.addEventListener(REFRESH_EVENT, refresh);

    await decide(element, 'Accept', 4);

    expect(clicks).toBe(3);
    expect(createRecord.mock.calls[0][0]).toEqual({
      apiName: 'Lead_Quality_Feedback__c',
      fields: { Lead__c: LEAD_ID, Rating__c: 4, Disposition__c: 'Accept', Reason__c: null, Comment__c: null, ...BANT_OFF }
    });
    // the quality rating, the submitted time and the snapshots are the SLA sync's to set
    expect(updateRecord.mock.calls[0][0]).toEqual({ fields: { Id: LEAD_ID, Status: 'Sales Accepted' } });
    expect(toast.mock.calls[0][0].detail).toMatchObject({ title: 'Feedback saved', variant: 'success' });
    expect(shadow(element).querySelector('.saved-message').textContent).toBe(
      'Accepted with rating 4 of 5. Lead status is now Sales Accepted.'
    );
    // the page's other components (the SLA card) are asked to read again
    expect(refresh).toHaveBeenCalledTimes(1);

    // the decision is read back with getRecord (with fields) and replaces the form
    const configs = [];
    getRecord.emit(undefined, (config) => configs.push(config) && false);
    expect(configs.find((c) => c.recordId === SAVED_ID).fields).toEqual(
      expect.arrayContaining(['Lead_Quality_Feedback__c.Disposition__c', 'Lead_Quality_Feedback__c.CreatedDate'])
    );
    getRecord.emit(mockSaved, byRecord(SAVED_ID));
    await flushPromises();
    expect(group(element, 'outcome')).toBeNull();
    expect(headline(element)).toBe('Accepted · rating 4 of 5');
    expect(shadow(element).querySelector('.decision').textContent).toContain('Dana Rep');
    expect(button(element, 'Change')).toBeDefined();
    // the earlier cycle's recycle is still listed
    expect(shadow(element).querySelectorAll('ul.history li')).toHaveLength(1);
  });

  it('rejects with a reason in three clicks, without a rating', async () => {
    createRecord.mockResolvedValue(mockCreated);
    const element = await createComponent();

    await decide(element, 'Reject', 'Spam');

    expect(clicks).toBe(3);
    expect(createRecord.mock.calls[0][0].fields).toEqual({
      Lead__c: LEAD_ID,
      Rating__c: null,
      Disposition__c: 'Reject',
      Reason__c: 'Spam',
      Comment__c: null,
      ...BANT_OFF
    });
    expect(updateRecord.mock.calls[0][0]).toEqual({ fields: { Id: LEAD_ID, Status: 'Rejected' } });
    expect(shadow(element).querySelector('.saved-message').textContent).toBe('Rejected (Spam). Lead status is now Rejected.');
  });

  it('flags "already in contact" in three clicks: rejected, and the lead marked for dedupe', async () => {
    createRecord.mockResolvedValue(mockCreated);
    const element = await createComponent();

    click(choice(element, 'outcome', 'Reject'));
    await flushPromises();
    click(choice(element, 'reason', 'Already in contact'));
    await flushPromises();
    expect(group(element, 'reason').helpText).toBe('Flags the lead for marketing to merge (Needs Dedupe).');
    click(button(element, 'Reject lead'));
    await flushPromises();

    expect(clicks).toBe(3);
    expect(createRecord.mock.calls[0][0].fields).toMatchObject({ Disposition__c: 'Reject', Reason__c: 'Already in contact' });
    expect(updateRecord.mock.calls[0][0]).toEqual({ fields: { Id: LEAD_ID, Status: 'Rejected', Needs_Dedupe__c: true } });
  });

  it('recycles with a reason in three clicks, to the status mapped in App Builder; the sync counts the recycle', async () => {
    createRecord.mockResolvedValue(mockCreated);
    const element = await createComponent({ recycleStatus: 'Nurture' });

    await decide(element, 'Recycle', 'Bad timing');

    expect(clicks).toBe(3);
    expect(createRecord.mock.calls[0][0].fields).toMatchObject({ Disposition__c: 'Recycle', Reason__c: 'Bad timing', Rating__c: null });
    // no read-increment-write of Recycle_Count__c from the browser: two saves could lose one
    expect(updateRecord.mock.calls[0][0]).toEqual({ fields: { Id: LEAD_ID, Status: 'Nurture' } });
  });

  it('saves the optional details: a rating on a reject, BANT answers and a comment', async () => {
    createRecord.mockResolvedValue(mockCreated);
    const element = await createComponent();

    click(choice(element, 'outcome', 'Reject'));
    await flushPromises();
    click(choice(element, 'reason', 'Duplicate'));
    click(choice(element, 'rating', 1));
    await openDetails(element);
    for (const field of ['Budget__c', 'Need__c']) {
      const toggle = shadow(element).querySelector(`lightning-input[data-field="${field}"]`);
      toggle.checked = true;
      toggle.dispatchEvent(new CustomEvent('change'));
    }
    const comment = shadow(element).querySelector('lightning-textarea');
    comment.value = '  Same person as the webinar lead.  ';
    comment.dispatchEvent(new CustomEvent('change'));
    await flushPromises();
    click(button(element, 'Reject lead'));
    await flushPromises();

    expect(createRecord.mock.calls[0][0].fields).toEqual({
      Lead__c: LEAD_ID,
      Rating__c: 1,
      Disposition__c: 'Reject',
      Reason__c: 'Duplicate',
      Comment__c: 'Same person as the webinar lead.',
      Budget__c: true,
      Authority__c: false,
      Need__c: true,
      Timeline__c: false
    });
  });

  it('says what is missing on the field and saves nothing: the outcome, the rating to accept, the reason to reject', async () => {
    const element = await createComponent();

    click(button(element, 'Save'));
    await flushPromises();
    expect(group(element, 'outcome').errorMessage).toBe('Choose Accept, Recycle or Reject.');

    click(choice(element, 'outcome', 'Accept'));
    await flushPromises();
    click(button(element, 'Accept lead'));
    await flushPromises();
    expect(group(element, 'rating').errorMessage).toBe('Rate the lead from 1 to 5 to accept it.');
    expect(group(element, 'rating').shadowRoot.querySelector('.slds-form-element__help').textContent).toBe(
      'Rate the lead from 1 to 5 to accept it.'
    );

    click(choice(element, 'outcome', 'Reject'));
    await flushPromises();
    click(button(element, 'Reject lead'));
    await flushPromises();
    const reason = group(element, 'reason');
    expect(reason.errorMessage).toBe('Choose a reason to reject this lead.');
    const firstReason = reason.shadowRoot.querySelector('input');
    expect(firstReason.getAttribute('aria-describedby')).toContain('error-message');
    expect(reason.shadowRoot.activeElement).toBe(firstReason);

    expect(createRecord).not.toHaveBeenCalled();
    expect(updateRecord).not.toHaveBeenCalled();
  });

  it('disables the choice and the button while saving', async () => {
    let finishCreate;
    createRecord.mockReturnValue(new Promise((resolve) => (finishCreate = resolve)));
    const element = await createComponent();

    await decide(element, 'Accept', 5);
    expect(button(element, 'Accept lead').disabled).toBe(true);
    expect(group(element, 'outcome').disabled).toBe(true);
    expect(shadow(element).querySelector('lightning-spinner')).not.toBeNull();

    finishCreate(mockCreated);
    await flushPromises();
    expect(shadow(element).querySelector('lightning-spinner')).toBeNull();
    expect(shadow(element).querySelector('.saved-message')).not.toBeNull();
  });

  it('shows the server error when the feedback cannot be saved, and keeps the form', async () => {
    createRecord.mockRejectedValue({
      body: { output: { errors: [], fieldErrors: { Reason__c: [{ message: 'Reason: bad value for restricted picklist field' }] } } }
    });
    const element = await createComponent();

    await decide(element, 'Accept', 4);

    const alert = shadow(element).querySelector('.save-error');
    expect(alert.getAttribute('role')).toBe('alert');
    expect(alert.textContent).toBe('The feedback was not saved: Reason: bad value for restricted picklist field');
    expect(updateRecord).not.toHaveBeenCalled();
    expect(button(element, 'Accept lead').disabled).toBe(false);
    expect(group(element, 'rating').value).toBe('4');
  });

  it('when the lead update fails, shows why and retries only the lead update', async () => {
    createRecord.mockResolvedValue(mockCreated);
    updateRecord.mockRejectedValueOnce({ body: { message: 'Status: bad value for restricted picklist field: Sales Accepted' } });
    updateRecord.mockResolvedValueOnce({});
    const element = await createComponent();

    await decide(element, 'Accept', 4);

    expect(shadow(element).querySelector('.save-error').textContent).toBe(
      'The feedback was saved, but the lead was not updated: Status: bad value for restricted picklist field: Sales Accepted'
    );
    click(button(element, 'Retry lead update'));
    await flushPromises();

    expect(createRecord).toHaveBeenCalledTimes(1);
    expect(updateRecord).toHaveBeenCalledTimes(2);
    expect(updateRecord.mock.calls[1][0]).toEqual(updateRecord.mock.calls[0][0]);
    expect(shadow(element).querySelector('.saved-message').textContent).toContain('Lead status is now Sales Accepted.');
  });

  it('a lead decided in this MQL cycle shows the decision, not the form; Change files a new verdict', async () => {
    createRecord.mockResolvedValue({ ...mockCreated, id: 'a015g00000Fb003AAA' });
    const element = await createComponent({}, mockHistoryDecided);

    expect(group(element, 'outcome')).toBeNull();
    expect(headline(element)).toBe('Accepted · rating 4 of 5');
    expect(shadow(element).querySelector('.decision lightning-formatted-date-time').value).toBe('2025-03-04T15:30:00.000Z');
    expect([...shadow(element).querySelectorAll('ul.history li')].map((li) => li.querySelector('p').textContent)).toEqual([
      'Recycled · rating 2 of 5 · Bad timing'
    ]);

    click(button(element, 'Change'));
    await flushPromises();
    expect(group(element, 'outcome').value).toBe('Accept');
    expect(group(element, 'rating').value).toBe('4');
    click(button(element, 'Cancel'));
    await flushPromises();
    expect(headline(element)).toBe('Accepted · rating 4 of 5');

    click(button(element, 'Change'));
    await flushPromises();
    click(choice(element, 'outcome', 'Reject'));
    await flushPromises();
    click(choice(element, 'reason', 'Duplicate'));
    click(button(element, 'Reject lead'));
    await flushPromises();
    expect(createRecord.mock.calls[0][0].fields).toMatchObject({ Disposition__c: 'Reject', Reason__c: 'Duplicate', Rating__c: 4 });
  });

  it('a lead marketing qualified again after its last feedback gets the form, the old verdict listed as earlier', async () => {
    const element = createElement('c-lead-quality-feedback', { is: LeadQualityFeedback });
    element.recordId = LEAD_ID;
    document.body.appendChild(element);
    await flushPromises();
    const requalified = {
      ...mockLead,
      fields: { ...mockLead.fields, MQL_At__c: { value: '2025-03-05T09:00:00.000Z', displayValue: null } }
    };
    getRecord.emit(requalified, byRecord(LEAD_ID));
    getObjectInfo.emit(mockObjectInfo);
    getPicklistValues.emit(mockReasons);
    getRelatedListRecords.emit(mockHistoryDecided);
    await flushPromises();

    expect(group(element, 'outcome')).not.toBeNull();
    expect(shadow(element).querySelectorAll('ul.history li')).toHaveLength(2);
  });

  it('a lead accepted by its status without feedback (a list view, an import) says so, and offers to add feedback', async () => {
    const element = createElement('c-lead-quality-feedback', { is: LeadQualityFeedback });
    element.recordId = LEAD_ID;
    document.body.appendChild(element);
    await flushPromises();
    const accepted = {
      ...mockLead,
      fields: {
        ...mockLead.fields,
        Status: { value: 'Sales Accepted', displayValue: 'Sales Accepted' },
        Accepted_At__c: { value: '2025-03-03T09:20:00.000Z', displayValue: null }
      }
    };
    getRecord.emit(accepted, byRecord(LEAD_ID));
    getObjectInfo.emit(mockObjectInfo);
    getPicklistValues.emit(mockReasons);
    getRelatedListRecords.emit(mockHistory);
    await flushPromises();

    expect(headline(element)).toBe('Accepted · lead status Sales Accepted');
    expect(shadow(element).querySelector('.decision').textContent).toContain('No rating or reason was given.');
    expect(shadow(element).querySelector('.decision lightning-formatted-date-time').value).toBe('2025-03-03T09:20:00.000Z');
    expect(group(element, 'outcome')).toBeNull();

    click(button(element, 'Add feedback'));
    await flushPromises();
    expect(group(element, 'outcome').value).toBe('Accept');
    expect(group(element, 'rating').value).toBe('');
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
    expect(button(element, 'Save').disabled).toBe(true);
    expect(shadow(element).textContent).not.toContain('No feedback on this lead yet.');
  });

  it('says when the lead has no feedback yet', async () => {
    const element = await createComponent({}, mockHistoryEmpty);
    expect(shadow(element).querySelector('ul.history')).toBeNull();
    expect(shadow(element).textContent).toContain('No feedback on this lead yet.');
  });

  it('is accessible with the form, its details open and an inline error', async () => {
    const element = await createComponent();
    click(choice(element, 'outcome', 'Reject'));
    await flushPromises();
    await openDetails(element);
    click(button(element, 'Reject lead'));
    await flushPromises();
    jest.useRealTimers();
    await expect(element).toBeAccessible();
  });

  it('is accessible with the decision', async () => {
    const element = await createComponent({}, mockHistoryDecided);
    jest.useRealTimers();
    await expect(element).toBeAccessible();
  });
});
