import { LightningElement, api, wire } from 'lwc';
import { getRecord, createRecord, updateRecord } from 'lightning/uiRecordApi';
import { getObjectInfo, getPicklistValues } from 'lightning/uiObjectInfoApi';
import { getRelatedListRecords } from 'lightning/uiRelatedListApi';
import { ShowToastEvent } from 'lightning/platformShowToastEvent';
import { refreshApex } from '@salesforce/apex';
import { reduceErrors } from 'c/ldsUtils';

import FEEDBACK_OBJECT from '@salesforce/schema/Lead_Quality_Feedback__c';
import FB_LEAD from '@salesforce/schema/Lead_Quality_Feedback__c.Lead__c';
import FB_NAME from '@salesforce/schema/Lead_Quality_Feedback__c.Name';
import FB_RATING from '@salesforce/schema/Lead_Quality_Feedback__c.Rating__c';
import FB_DISPOSITION from '@salesforce/schema/Lead_Quality_Feedback__c.Disposition__c';
import FB_REASON from '@salesforce/schema/Lead_Quality_Feedback__c.Reason__c';
import FB_BUDGET from '@salesforce/schema/Lead_Quality_Feedback__c.Budget__c';
import FB_AUTHORITY from '@salesforce/schema/Lead_Quality_Feedback__c.Authority__c';
import FB_NEED from '@salesforce/schema/Lead_Quality_Feedback__c.Need__c';
import FB_TIMELINE from '@salesforce/schema/Lead_Quality_Feedback__c.Timeline__c';
import FB_COMMENT from '@salesforce/schema/Lead_Quality_Feedback__c.Comment__c';
import FB_CREATED_DATE from '@salesforce/schema/Lead_Quality_Feedback__c.CreatedDate';
import LEAD_ID from '@salesforce/schema/Lead.Id';
import LEAD_STATUS from '@salesforce/schema/Lead.Status';
import LEAD_NEEDS_DEDUPE from '@salesforce/schema/Lead.Needs_Dedupe__c';

const DEFAULT_STATUS = { Accept: 'Sales Accepted', Recycle: 'Recycled', Reject: 'Rejected' };
const PAST_TENSE = { Accept: 'Accepted', Recycle: 'Recycled', Reject: 'Rejected' };
const DEDUPE_REASONS = ['Duplicate', 'Already in contact'];
const RATING_OPTIONS = ['poor', 'weak', 'fair', 'good', 'excellent'].map((description, i) => ({
  label: String(i + 1),
  value: String(i + 1),
  description
}));
const BANT = [
  { field: FB_BUDGET.fieldApiName, label: 'Budget' },
  { field: FB_AUTHORITY.fieldApiName, label: 'Authority' },
  { field: FB_NEED.fieldApiName, label: 'Need' },
  { field: FB_TIMELINE.fieldApiName, label: 'Timeline' }
];
const qualified = (field) => `${field.objectApiName}.${field.fieldApiName}`;
const HISTORY_FIELDS = [FB_NAME, FB_RATING, FB_DISPOSITION, FB_REASON, FB_COMMENT, FB_CREATED_DATE].map(qualified);

/**
 * Lead record page: a rep rates the lead (1-5) and accepts, recycles or rejects it.
 * "Accept, rating 4" is two clicks: the rating, then Accept (which saves when nothing else is required).
 * Saves a Lead_Quality_Feedback__c (createRecord) with only what the rep decided, and updates the Lead
 * (updateRecord): Status from the App Builder mapping, and Needs_Dedupe__c on a duplicate.
 * Everything measured is left to the SLA sync, never written from the browser: the submitted time is the
 * feedback's CreatedDate (stamped by the org), and the sync derives Submitted_At__c, the source and
 * campaign snapshots, the lead's Quality_Rating__c and Recycle_Count__c (from Lead history, so two saves
 * can never lose a recycle) and hands a recycled lead to the nurture queue.
 */
export default class LeadQualityFeedback extends LightningElement {
  @api recordId;
  @api cardTitle = 'Lead quality feedback';
  /** Lead Status values to set per disposition (admins map their own values in App Builder). */
  @api acceptStatus = DEFAULT_STATUS.Accept;
  @api recycleStatus = DEFAULT_STATUS.Recycle;
  @api rejectStatus = DEFAULT_STATUS.Reject;

  ratingOptions = RATING_OPTIONS;
  rating = '';
  reason = '';
  comment = '';
  bant = {};
  ratingError = '';
  reasonError = '';
  saveError = '';
  saving = false;
  savedMessage = '';
  /** Lead fields still to write when the feedback was saved but the lead update failed. */
  pendingLead;
  history = [];
  historyLoaded = false;
  historyError = '';
  historyResult;

  @wire(getRecord, { recordId: '$recordId', fields: [LEAD_STATUS] })
  lead;

  @wire(getObjectInfo, { objectApiName: FEEDBACK_OBJECT })
  objectInfo;

  @wire(getPicklistValues, { recordTypeId: '$objectInfo.data.defaultRecordTypeId', fieldApiName: FB_REASON })
  reasonPicklist;

  @wire(getRelatedListRecords, {
    parentRecordId: '$recordId',
    relatedListId: 'Lead_Quality_Feedback__r',
    fields: HISTORY_FIELDS,
    optionalFields: ['Lead_Quality_Feedback__c.CreatedBy.Name'],
    sortBy: ['-Lead_Quality_Feedback__c.CreatedDate']
  })
  wiredHistory(result) {
    this.historyResult = result;
    if (result.data) {
      this.history = result.data.records.map((record) => this.toHistoryItem(record));
      this.historyLoaded = true;
      this.historyError = '';
    } else if (result.error) {
      this.historyError = reduceErrors(result.error).join(' ');
    }
  }

  get loadError() {
    const errors = [this.lead?.error, this.objectInfo?.error, this.reasonPicklist?.error].filter(Boolean);
    return errors.length ? reduceErrors(errors).join(' ') : '';
  }

  get reasonOptions() {
    return (this.reasonPicklist?.data?.values || []).map((v) => ({ label: v.label, value: v.value, selected: v.value === this.reason }));
  }

  get bantToggles() {
    return BANT.map((b) => ({ ...b, checked: !!this.bant[b.field] }));
  }

  get reasonClass() {
    return this.reasonError ? 'slds-form-element slds-has-error' : 'slds-form-element';
  }

  get reasonDescribedBy() {
    return this.reasonError ? 'reason-error' : undefined;
  }

  get reasonInvalid() {
    return this.reasonError ? 'true' : undefined;
  }

  get buttonsDisabled() {
    return this.saving || !this.lead?.data;
  }

  get hasHistory() {
    return this.history.length > 0;
  }

  get noHistory() {
    return this.historyLoaded && this.history.length === 0;
  }

  handleRatingChange(event) {
    this.rating = event.detail.value;
    this.ratingError = '';
  }

  handleReasonChange(event) {
    this.reason = event.target.value;
    this.reasonError = '';
  }

  handleBantChange(event) {
    this.bant = { ...this.bant, [event.target.dataset.field]: event.target.checked };
  }

  handleCommentChange(event) {
    this.comment = event.target.value;
  }

  async handleDisposition(event) {
    const disposition = event.target.dataset.disposition;
    if (this.validate(disposition)) {
      await this.save(disposition);
    }
  }

  handleRetry() {
    return this.updateLead(this.pendingLead);
  }

  handleReset() {
    Object.assign(this, { rating: '', reason: '', comment: '', bant: {}, savedMessage: '', saveError: '', pendingLead: undefined });
  }

  validate(disposition) {
    this.ratingError = this.rating ? '' : 'Choose a rating from 1 to 5.';
    this.reasonError = disposition !== 'Accept' && !this.reason ? `Choose a reason to ${disposition.toLowerCase()} this lead.` : '';
    if (this.ratingError) {
      this.template.querySelector('c-choice-group').focus();
    } else if (this.reasonError) {
      this.template.querySelector('select').focus();
    }
    return !this.ratingError && !this.reasonError;
  }

  /** What the rep decided, and nothing else: the org stamps when, the SLA sync adds the snapshots. */
  feedbackFields(disposition) {
    const fields = {
      [FB_LEAD.fieldApiName]: this.recordId,
      [FB_RATING.fieldApiName]: Number(this.rating),
      [FB_DISPOSITION.fieldApiName]: disposition,
      [FB_REASON.fieldApiName]: this.reason || null,
      [FB_COMMENT.fieldApiName]: this.comment.trim() || null
    };
    BANT.forEach((b) => {
      fields[b.field] = !!this.bant[b.field];
    });
    return fields;
  }

  leadFields(disposition) {
    const mapped = { Accept: this.acceptStatus, Recycle: this.recycleStatus, Reject: this.rejectStatus }[disposition];
    const fields = {
      [LEAD_ID.fieldApiName]: this.recordId,
      [LEAD_STATUS.fieldApiName]: mapped || DEFAULT_STATUS[disposition]
    };
    if (disposition === 'Reject' && DEDUPE_REASONS.includes(this.reason)) {
      fields[LEAD_NEEDS_DEDUPE.fieldApiName] = true;
    }
    return fields;
  }

  async save(disposition) {
    this.saving = true;
    this.saveError = '';
    const lead = { disposition, fields: this.leadFields(disposition) };
    try {
      await createRecord({ apiName: FEEDBACK_OBJECT.objectApiName, fields: this.feedbackFields(disposition) });
    } catch (error) {
      this.saveError = `The feedback was not saved: ${reduceErrors(error).join(' ')}`;
      this.saving = false;
      return;
    }
    this.refreshHistory();
    await this.updateLead(lead);
  }

  async updateLead(lead) {
    this.saving = true;
    this.saveError = '';
    try {
      await updateRecord({ fields: lead.fields });
      this.pendingLead = undefined;
      const status = lead.fields[LEAD_STATUS.fieldApiName];
      this.savedMessage = `${PAST_TENSE[lead.disposition]} with rating ${this.rating} of 5. Lead status is now ${status}.`;
      this.dispatchEvent(new ShowToastEvent({ title: 'Feedback saved', message: this.savedMessage, variant: 'success' }));
    } catch (error) {
      this.pendingLead = lead;
      this.saveError = `The feedback was saved, but the lead was not updated: ${reduceErrors(error).join(' ')}`;
    } finally {
      this.saving = false;
    }
  }

  refreshHistory() {
    // createRecord does not refresh a related list wire; ask LDS to fetch it again.
    if (!this.historyResult) {
      return Promise.resolve();
    }
    return refreshApex(this.historyResult).catch((error) => {
      this.historyError = reduceErrors(error).join(' ');
    });
  }

  toHistoryItem(record) {
    const f = record.fields;
    return {
      id: record.id,
      disposition: f.Disposition__c?.displayValue || f.Disposition__c?.value,
      rating: f.Rating__c?.value,
      reason: f.Reason__c?.displayValue || f.Reason__c?.value,
      comment: f.Comment__c?.value,
      submittedAt: f.CreatedDate?.value,
      author: f.CreatedBy?.displayValue || f.CreatedBy?.value?.fields?.Name?.value
    };
  }
}
