import { createElement } from '@lwc/engine-dom';
import SlaTimerItem from 'c/slaTimerItem';
import { getRecord } from 'lightning/uiRecordApi';

const mockCalendar = require('./data/getCalendar.json');

const CALENDAR_ID = 'a035g00000CalNyAAA';
// Friday 7 March 2025, 16:00 in New York (EST); the calendar closes at 17:00 and reopens Monday 09:00.
const NOW = Date.parse('2025-03-07T21:00:00.000Z');

const RUNNING = {
  id: 'a025g00000Tmr101AAA',
  clock: 'First Touch',
  status: 'Running',
  startedAt: '2025-03-07T19:00:00.000Z',
  warnAt: '2025-03-10T16:00:00.000Z',
  dueAt: '2025-03-10T17:00:00.000Z',
  stoppedAt: null,
  targetMinutes: 240,
  elapsedMinutes: 120,
  calendarId: CALENDAR_ID
};

/** 5 microtask turns, one after another: the wires and the renders they trigger settle. */
function flushPromises() {
  return Array.from({ length: 5 }).reduce((turn) => turn.then(() => undefined), Promise.resolve());
}

async function createItem(timer, now = NOW) {
  const element = createElement('c-sla-timer-item', { is: SlaTimerItem });
  Object.assign(element, { timer, now });
  document.body.appendChild(element);
  await flushPromises();
  getRecord.emit(mockCalendar, (config) => config.recordId === CALENDAR_ID);
  await flushPromises();
  return element;
}

const text = (element, selector) => element.shadowRoot.querySelector(selector)?.textContent;

describe('c-sla-timer-item', () => {
  afterEach(() => {
    while (document.body.firstChild) {
      document.body.removeChild(document.body.firstChild);
    }
  });

  it('reads the calendar of its own timer and counts across the weekend and the DST change', async () => {
    const element = await createItem(RUNNING);
    expect(getRecord.getLastConfig()).toEqual({
      recordId: CALENDAR_ID,
      fields: [{ objectApiName: 'SLA_Calendar__c', fieldApiName: 'Definition__c' }]
    });
    // Fri 16:00-17:00 EST (1 h) + Mon 10 Mar 09:00-13:00 EDT (4 h): Due_At 17:00Z is 13:00 EDT after the DST change
    expect(text(element, '.countdown')).toBe('5 h business time left');
    expect(text(element, '.status')).toBe('On track');
    // "Due" and the date stay apart (the template compiler trims a line-ending space)
    expect(text(element, '.due')).toMatch(/^Due\u00a0/);
  });

  it('updates when the parent ticks', async () => {
    const element = await createItem(RUNNING);
    element.now = NOW + 30 * 60000;
    await flushPromises();
    expect(text(element, '.countdown')).toBe('4 h 30 min business time left');
  });

  it('shows nothing it cannot know: no due line without Due_At, no countdown without a calendar', async () => {
    const element = await createItem({ ...RUNNING, calendarId: undefined, status: 'Cancelled', stoppedAt: '2025-03-07T20:00:00.000Z' });
    expect(text(element, '.status')).toBe('Cancelled');
    expect(element.shadowRoot.querySelector('.countdown')).toBeNull();

    element.timer = { ...RUNNING, dueAt: null, status: 'Paused', targetMinutes: 240, elapsedMinutes: 239.5 };
    await flushPromises();
    expect(element.shadowRoot.querySelector('.due')).toBeNull();
    expect(text(element, '.countdown')).toBe('1 min left when the clock resumes');
  });

  it('a paused clock shows the business time left when it resumes, not the Due_At it stood at when it paused', async () => {
    const element = await createItem({ ...RUNNING, status: 'Paused', dueAt: '2025-03-07T20:00:00.000Z', elapsedMinutes: 180 });
    expect(text(element, '.status')).toBe('Paused');
    expect(element.shadowRoot.querySelector('.due')).toBeNull();
    expect(text(element, '.countdown')).toBe('1 h left when the clock resumes');
  });

  it('shows a run a submission ended as the next sync records it: a paused run keeps its counted time', async () => {
    // First Touch is never ended by a submission; an Accept run paused at 100 of 240 min, feedback on Friday 16:30
    const paused = { ...RUNNING, clock: 'Accept', status: 'Paused', elapsedMinutes: 100 };
    const element = await createItem(paused);
    element.stop = { type: 'feedback', at: '2025-03-07T21:30:00.000Z' };
    await flushPromises();
    expect(text(element, '.status')).toBe('Met');
    expect(text(element, '.countdown')).toBe('Took 1 h 40 min of 4 h business time');
    expect(element.shadowRoot.querySelector('.due')).toBeNull();
    expect(text(element, '.stopped')).toMatch(/^Feedback submitted\u00a0/);
  });

  it('says when a run waits for the SLA sync', async () => {
    const element = await createItem(RUNNING);
    expect(element.shadowRoot.querySelector('.pending')).toBeNull();
    element.pending = true;
    await flushPromises();
    expect(text(element, '.pending').trim()).toBe("Pending sync: the SLA sync applies the record's new status or owner to this clock.");
  });

  it('at Due_At exactly the run is still on time (as the sync reads it); a moment later it is Breached', async () => {
    const element = await createItem(RUNNING, Date.parse(RUNNING.dueAt));
    expect(text(element, '.status')).toBe('At risk');
    element.now = Date.parse(RUNNING.dueAt) + 1;
    await flushPromises();
    expect(text(element, '.status')).toBe('Breached');
  });

  it('a run the sync recorded Breached while this browser is still before Due_At shows Overdue, not an error', async () => {
    const element = await createItem({ ...RUNNING, status: 'Breached' }, Date.parse(RUNNING.dueAt) - 3_600_000);
    expect(text(element, '.status')).toBe('Breached');
    expect(text(element, '.countdown')).toBe('Overdue by 0 min business time');
  });

  it('reports an unreadable calendar definition', async () => {
    const element = createElement('c-sla-timer-item', { is: SlaTimerItem });
    Object.assign(element, { timer: RUNNING, now: NOW });
    document.body.appendChild(element);
    await flushPromises();
    getRecord.emit({ ...mockCalendar, fields: { Definition__c: { value: '{"TimeZoneSidKey":"Nowhere/Special"}', displayValue: null } } });
    await flushPromises();
    expect(text(element, '.countdown')).toMatch(/^Business calendar unreadable: /);
  });

  it('is accessible', async () => {
    const element = await createItem(RUNNING);
    await expect(element).toBeAccessible();
    Object.assign(element, { stop: { type: 'review', at: '2025-03-07T21:30:00.000Z' }, pending: false });
    await flushPromises();
    await expect(element).toBeAccessible();
  });
});
