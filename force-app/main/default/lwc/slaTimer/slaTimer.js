import { LightningElement, api, wire } from 'lwc';
import { getRecord } from 'lightning/uiRecordApi';
import { getRelatedListRecords } from 'lightning/uiRelatedListApi';
import { refreshApex } from '@salesforce/apex';
import { reduceErrors } from 'c/ldsUtils';

import CLOCK from '@salesforce/schema/SLA_Timer__c.Clock__c';
import STATUS from '@salesforce/schema/SLA_Timer__c.Status__c';
import DUE_AT from '@salesforce/schema/SLA_Timer__c.Due_At__c';
import WARN_AT from '@salesforce/schema/SLA_Timer__c.Warn_At__c';
import STARTED_AT from '@salesforce/schema/SLA_Timer__c.Started_At__c';
import STOPPED_AT from '@salesforce/schema/SLA_Timer__c.Stopped_At__c';
import TARGET_MINUTES from '@salesforce/schema/SLA_Timer__c.Target_Minutes__c';
import ELAPSED_MINUTES from '@salesforce/schema/SLA_Timer__c.Elapsed_Business_Minutes__c';
import CALENDAR from '@salesforce/schema/SLA_Timer__c.Calendar__c';
import LEAD_STATUS from '@salesforce/schema/Lead.Status';
import LEAD_OWNER from '@salesforce/schema/Lead.OwnerId';
import LEAD_SLA_STATUS from '@salesforce/schema/Lead.SLA_Status__c';
import OPP_STAGE from '@salesforce/schema/Opportunity.StageName';
import OPP_OWNER from '@salesforce/schema/Opportunity.OwnerId';
import OPP_REVIEW_STATUS from '@salesforce/schema/Opportunity.Win_Loss_Review_Status__c';

const MINUTE_MS = 60000;
const qualified = (field) => `${field.objectApiName}.${field.fieldApiName}`;
const TIMER_FIELDS = [CLOCK, STATUS, DUE_AT, WARN_AT, STARTED_AT, STOPPED_AT, TARGET_MINUTES, ELAPSED_MINUTES, CALENDAR].map(qualified);
/** Page-record fields whose change means the timers may have changed (clock start/stop, owner, sync). */
const WATCHED = { Lead: [LEAD_STATUS, LEAD_OWNER, LEAD_SLA_STATUS], Opportunity: [OPP_STAGE, OPP_OWNER, OPP_REVIEW_STATUS] };

const value = (record, field) => record.fields[field.fieldApiName]?.value ?? null;

/**
 * Lead and Opportunity record pages: the record's SLA clocks (SLA_Timers__r), each with its status in
 * text and icon, due time and a live business-time countdown that ticks once a minute.
 */
export default class SlaTimer extends LightningElement {
  @api recordId;
  @api objectApiName;
  @api cardTitle = 'SLA clocks';

  now = Date.now();
  watchedFields;
  timers = [];
  loaded = false;
  error = '';
  timersResult;
  recordSignature;
  tick;

  connectedCallback() {
    this.watchedFields = WATCHED[this.objectApiName] || [];
    this.now = Date.now();
    // The countdown is in whole business minutes; one tick a minute keeps it current (eslint.config.js
    // allows this one timer: the platform rules forbid inline rule disables in components).
    this.tick = setInterval(() => {
      this.now = Date.now();
    }, MINUTE_MS);
  }

  disconnectedCallback() {
    clearInterval(this.tick);
    this.tick = undefined;
  }

  @wire(getRecord, { recordId: '$recordId', optionalFields: '$watchedFields' })
  wiredRecord({ data }) {
    if (!data) {
      return;
    }
    const signature = JSON.stringify([data.lastModifiedDate, data.systemModstamp, data.fields]);
    if (this.recordSignature !== undefined && signature !== this.recordSignature) {
      this.refresh();
    }
    this.recordSignature = signature;
  }

  @wire(getRelatedListRecords, {
    parentRecordId: '$recordId',
    relatedListId: 'SLA_Timers__r',
    fields: TIMER_FIELDS,
    sortBy: ['-SLA_Timer__c.Started_At__c']
  })
  wiredTimers(result) {
    this.timersResult = result;
    if (result.data) {
      this.timers = result.data.records.map((record) => this.toTimer(record)).sort(byOpenThenNewest);
      this.loaded = true;
      this.error = '';
    } else if (result.error) {
      this.error = reduceErrors(result.error).join(' ');
    }
  }

  get hasTimers() {
    return this.timers.length > 0;
  }

  get showEmpty() {
    return this.loaded && !this.hasTimers;
  }

  refresh() {
    if (!this.timersResult) {
      return Promise.resolve();
    }
    return refreshApex(this.timersResult).catch((error) => {
      this.error = reduceErrors(error).join(' ');
    });
  }

  toTimer(record) {
    return {
      id: record.id,
      clock: record.fields[CLOCK.fieldApiName]?.displayValue || value(record, CLOCK),
      status: value(record, STATUS),
      dueAt: value(record, DUE_AT),
      warnAt: value(record, WARN_AT),
      startedAt: value(record, STARTED_AT),
      stoppedAt: value(record, STOPPED_AT),
      targetMinutes: value(record, TARGET_MINUTES),
      elapsedMinutes: value(record, ELAPSED_MINUTES),
      calendarId: value(record, CALENDAR) || undefined
    };
  }
}

/** Running clocks first, then the newest start. */
function byOpenThenNewest(a, b) {
  const open = (t) => (t.stoppedAt || t.status === 'Cancelled' ? 1 : 0);
  return open(a) - open(b) || String(b.startedAt).localeCompare(String(a.startedAt));
}
