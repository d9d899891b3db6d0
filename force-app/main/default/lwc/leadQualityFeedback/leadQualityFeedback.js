import { LightningElement, api, wire } from 'lwc';
import { getRecord, createRecord, updateRecord } from 'lightning/uiRecordApi';
import { getObjectInfo, getPicklistValues } from 'lightning/uiObjectInfoApi';
import { getRelatedListRecords } from 'lightning/uiRelatedListApi';
import { ShowToastEvent } from 'lightning/platformShowToastEvent';
import { RefreshEvent } from 'lightning/refresh';
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
import LEAD_MQL_AT from '@salesforce/schema/Lead.MQL_At__c';
import LEAD_ACCEPTED_AT from '@salesforce/schema/Lead.Accepted_At__c';
import LEAD_NEEDS_DEDUPE from '@salesforce/schema/Lead.Needs_Dedupe__c';

const DEFAULT_STATUS = { Accept: 'Sales Accepted', Recycle: 'Recycled', Reject: 'Rejected' };
const PAST_TENSE = { Accept: 'Accepted', Recycle: 'Recycled', Reject: 'Rejected' };
/** The decision's icon (with its outcome in words beside it). */
const DECISION_ICON = {
  Accept: { name: 'utility:success', variant: 'success' },
  Recycle: { name: 'utility:refresh' },
  Reject: { name: 'utility:ban', variant: 'error' }
};
const OUTCOMES = [
  { label: 'Accept', value: 'Accept', description: 'sales works this lead' },
  { label: 'Recycle', value: 'Recycle', description: 'back to marketing nurture' },
  { label: 'Reject', value: 'Reject', description: 'not a lead for sales' }
];
const OUTCOME_HELP = {
  Accept: 'Sales takes the lead: rate how good it is.',
  Recycle: 'Not now: the lead goes back to marketing to nurture.',
  Reject: 'Not a lead for sales. Already in contact and Duplicate flag it for marketing to merge.'
};
/**
 * The reasons that fit each outcome (Reason__c values, in this order): no "Spam" on an accepted lead. Values the
 * org's picklist does not have, or has deactivated, are left out.
 */
const REASONS = {
  Accept: ['Good fit'],
  Recycle: ['Bad timing', 'No budget', 'Not decision maker', 'No need'],
  Reject: ['Already in contact', 'Duplicate', 'Bad contact data', 'No need', 'Competitor', 'Student or job seeker', 'Spam']
};
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
const FEEDBACK_FIELDS = [FB_NAME, FB_RATING, FB_DISPOSITION, FB_REASON, FB_COMMENT, FB_CREATED_DATE].map(qualified);
const FEEDBACK_OPTIONAL_FIELDS = ['Lead_Quality_Feedback__c.CreatedBy.Name'];

/**
 * Lead record page: the rep's verdict on a marketing qualified lead, in three clicks — the outcome (Accept,
 * Recycle, Reject), then one of the reasons that fit it or a rating (1-5), then Save: accept with a rating,
 * reject or recycle with a reason, flag "already in contact" or a duplicate. The rating is required to accept and
 * optional otherwise; BANT and a comment are optional, folded away. Saves a Lead_Quality_Feedback__c
 * (createRecord) with only what the rep decided and updates the Lead (updateRecord): Status from the App Builder
 * mapping, and Needs_Dedupe__c on a duplicate. Everything measured is the SLA sync's (the submitted time is the
 * feedback's CreatedDate; the sync derives Submitted_At__c, the snapshots, the lead's Quality_Rating__c and
 * Recycle_Count__c, and hands a recycled lead to the nurture queue), so a rep whose computed fields are read-only
 * loses nothing.
 *
 * A lead decided in its current MQL cycle (its newest feedback is not older than MQL_At__c) shows the decision —
 * outcome, reason, rating, who and when — with a Change action instead of an empty form; Change files a new
 * feedback (the earlier ones stay in the list). A lead whose status was set to a mapped outcome without feedback
 * (a list view, an import) shows that outcome, with Add feedback. Once the feedback is saved the component fires
 * RefreshEvent so the page's other components (the SLA card) read what changed; its own summary follows the saved
 * record through getRecord.
 */
export default class LeadQualityFeedback extends LightningElement {
  @api recordId;
  @api cardTitle = 'Lead quality feedback';
  /** Lead Status values to set per disposition (admins map their own values in App Builder). */
  @api acceptStatus = DEFAULT_STATUS.Accept;
  @api recycleStatus = DEFAULT_STATUS.Recycle;
  @api rejectStatus = DEFAULT_STATUS.Reject;

  outcomeOptions = OUTCOMES;
  ratingOptions = RATING_OPTIONS;
  outcome = '';
  rating = '';
  reason = '';
  comment = '';
  bant = {};
  showDetails = false;
  outcomeError = '';
  ratingError = '';
  reasonError = '';
  saveError = '';
  saving = false;
  savedMessage = '';
  changing = false;
  /** The feedback saved on this page (its getRecord wire follows it). */
  savedId;
  /** Lead fields still to write when the feedback was saved but the lead update failed. */
  pendingLead;
  history = [];
  historyLoaded = false;
  historyError = '';

  @wire(getRecord, { recordId: '$recordId', fields: [LEAD_STATUS], optionalFields: [LEAD_MQL_AT, LEAD_ACCEPTED_AT] })
  lead;

  @wire(getRecord, { recordId: '$savedId', fields: FEEDBACK_FIELDS, optionalFields: FEEDBACK_OPTIONAL_FIELDS })
  saved;

  @wire(getObjectInfo, { objectApiName: FEEDBACK_OBJECT })
  objectInfo;

  @wire(getPicklistValues, { recordTypeId: '$objectInfo.data.defaultRecordTypeId', fieldApiName: FB_REASON })
  reasonPicklist;

  @wire(getRelatedListRecords, {
    parentRecordId: '$recordId',
    relatedListId: 'Lead_Quality_Feedback__r',
    fields: FEEDBACK_FIELDS,
    optionalFields: FEEDBACK_OPTIONAL_FIELDS,
    sortBy: ['-Lead_Quality_Feedback__c.CreatedDate']
  })
  wiredHistory(result) {
    if (result.data) {
      this.history = result.data.records.map((record) => toItem(record));
      this.historyLoaded = true;
      this.historyError = '';
    } else if (result.error) {
      this.historyError = reduceErrors(result.error).join(' ');
    }
  }

  get loadError() {
    const errors = [this.lead?.error, this.objectInfo?.error, this.reasonPicklist?.error, this.savedId && this.saved?.error].filter(
      Boolean
    );
    return errors.length ? reduceErrors(errors).join(' ') : '';
  }

  /** The lead's newest feedback: the one saved here, else the newest listed. */
  get latest() {
    const saved = this.savedRecord;
    return saved ? toItem(saved) : this.history[0];
  }

  /** The saved feedback as getRecord read it back (not an earlier one while the new one loads). */
  get savedRecord() {
    const data = this.saved?.data;
    return data && data.id === this.savedId ? data : undefined;
  }

  /** The newest feedback belongs to the current MQL cycle (the lead was not marketing qualified again since). */
  get decision() {
    const latest = this.latest;
    if (!latest) {
      return undefined;
    }
    const mqlAt = this.lead?.data?.fields?.MQL_At__c?.value;
    return !mqlAt || Date.parse(latest.submittedAt) >= Date.parse(mqlAt) ? latest : undefined;
  }

  /**
   * A lead whose status says it was decided without a feedback in this cycle (set from a list view, an import, the
   * API): the status mapped to an outcome, shown as such, with no rating or reason to show.
   */
  get statusDecision() {
    const fields = this.lead?.data?.fields;
    const status = fields?.Status?.value;
    const disposition = Object.keys(DEFAULT_STATUS).find((d) => this.mappedStatus(d) === status);
    if (this.decision || !disposition) {
      return undefined;
    }
    return {
      disposition,
      headline: `${PAST_TENSE[disposition]} · lead status ${status}`,
      comment: 'No rating or reason was given.',
      submittedAt: disposition === 'Accept' ? fields.Accepted_At__c?.value : undefined,
      byStatus: true
    };
  }

  /** What the card shows as decided: the feedback of this cycle, else the status. */
  get shownDecision() {
    return this.decision || this.statusDecision;
  }

  get showDecision() {
    return !!this.shownDecision && !this.changing && !this.pendingLead && !this.awaitingSaved;
  }

  get decisionIcon() {
    return DECISION_ICON[this.shownDecision?.disposition] || DECISION_ICON.Accept;
  }

  get changeLabel() {
    return this.decision ? 'Change' : 'Add feedback';
  }

  get showForm() {
    return !this.showDecision && !this.awaitingSaved && (this.historyLoaded || !!this.loadError);
  }

  get earlier() {
    const latestId = this.latest?.id;
    return this.history.filter((item) => item.id !== latestId || !this.decision);
  }

  get hasEarlier() {
    return this.earlier.length > 0;
  }

  get noHistory() {
    return this.historyLoaded && !this.latest && !this.historyError;
  }

  get outcomeHelp() {
    return OUTCOME_HELP[this.outcome];
  }

  /** The reasons that fit the chosen outcome, as the org's picklist labels them. */
  get reasonOptions() {
    const values = this.reasonPicklist?.data?.values || [];
    return (REASONS[this.outcome] || [])
      .map((value) => values.find((v) => v.value === value))
      .filter(Boolean)
      .map((v) => ({ label: v.label, value: v.value }));
  }

  get reasonRequired() {
    return this.outcome === 'Recycle' || this.outcome === 'Reject';
  }

  get reasonLabel() {
    return this.reasonRequired ? 'Reason' : 'Reason (optional)';
  }

  get reasonHelp() {
    return DEDUPE_REASONS.includes(this.reason) ? 'Flags the lead for marketing to merge (Needs Dedupe).' : undefined;
  }

  get ratingRequired() {
    return this.outcome === 'Accept';
  }

  get ratingLabel() {
    return this.ratingRequired ? 'Lead quality (1 = poor, 5 = excellent)' : 'Lead quality (optional; 1 = poor, 5 = excellent)';
  }

  /** Accept asks for the rating first; Recycle and Reject for the reason. */
  get ratingFirst() {
    return this.outcome === 'Accept';
  }

  get ratingLast() {
    return !this.ratingFirst;
  }

  get hideDetails() {
    return !this.showDetails;
  }

  /** Saved, and its record not read back yet. */
  get awaitingSaved() {
    return !!this.savedId && !this.savedRecord && !this.saved?.error && !this.pendingLead;
  }

  get saveLabel() {
    return this.outcome ? `${this.outcome} lead` : 'Save';
  }

  get saveVariant() {
    return this.outcome === 'Reject' ? 'destructive' : 'brand';
  }

  get bantToggles() {
    return BANT.map((b) => ({ ...b, checked: !!this.bant[b.field] }));
  }

  get detailsExpanded() {
    return String(this.showDetails);
  }

  get detailsIcon() {
    return this.showDetails ? 'utility:chevrondown' : 'utility:chevronright';
  }

  get buttonsDisabled() {
    return this.saving || !this.lead?.data;
  }

  handleOutcomeChange(event) {
    this.outcome = event.detail.value;
    this.outcomeError = '';
    this.ratingError = '';
    this.reasonError = '';
    if (!(REASONS[this.outcome] || []).includes(this.reason)) {
      this.reason = '';
    }
  }

  handleRatingChange(event) {
    this.rating = event.detail.value;
    this.ratingError = '';
  }

  handleReasonChange(event) {
    this.reason = event.detail.value;
    this.reasonError = '';
  }

  handleToggleDetails() {
    this.showDetails = !this.showDetails;
  }

  handleBantChange(event) {
    this.bant = { ...this.bant, [event.target.dataset.field]: event.target.checked };
  }

  handleCommentChange(event) {
    this.comment = event.target.value;
  }

  /** Change the decision: the form, prefilled with it. */
  handleChange() {
    const d = this.shownDecision;
    Object.assign(this, {
      changing: true,
      outcome: d.disposition,
      reason: (REASONS[d.disposition] || []).includes(d.reason) ? d.reason : '',
      rating: d.rating ? String(d.rating) : '',
      comment: '',
      bant: {},
      savedMessage: '',
      saveError: ''
    });
  }

  handleCancel() {
    Object.assign(this, { changing: false, outcome: '', reason: '', rating: '', outcomeError: '', ratingError: '', reasonError: '' });
  }

  async handleSave() {
    if (this.validate()) {
      await this.save(this.outcome);
    }
  }

  handleRetry() {
    return this.updateLead(this.pendingLead);
  }

  validate() {
    this.outcomeError = this.outcome ? '' : 'Choose Accept, Recycle or Reject.';
    this.ratingError = this.ratingRequired && !this.rating ? 'Rate the lead from 1 to 5 to accept it.' : '';
    this.reasonError = this.reasonRequired && !this.reason ? `Choose a reason to ${this.outcome.toLowerCase()} this lead.` : '';
    const invalid = [
      [this.outcomeError, 'outcome'],
      [this.ratingFirst && this.ratingError, 'rating'],
      [this.reasonError, 'reason'],
      [this.ratingError, 'rating']
    ].find(([error]) => error);
    if (invalid) {
      this.template.querySelector(`c-choice-group.${invalid[1]}`)?.focus();
    }
    return !invalid;
  }

  /** What the rep decided, and nothing else: the org stamps when, the SLA sync adds the snapshots. */
  feedbackFields(disposition) {
    const fields = {
      [FB_LEAD.fieldApiName]: this.recordId,
      [FB_RATING.fieldApiName]: this.rating ? Number(this.rating) : null,
      [FB_DISPOSITION.fieldApiName]: disposition,
      [FB_REASON.fieldApiName]: this.reason || null,
      [FB_COMMENT.fieldApiName]: this.comment.trim() || null
    };
    BANT.forEach((b) => {
      fields[b.field] = !!this.bant[b.field];
    });
    return fields;
  }

  /** The Lead Status an outcome sets (the App Builder mapping, else the default). */
  mappedStatus(disposition) {
    const mapped = { Accept: this.acceptStatus, Recycle: this.recycleStatus, Reject: this.rejectStatus }[disposition];
    return mapped || DEFAULT_STATUS[disposition];
  }

  leadFields(disposition) {
    const fields = {
      [LEAD_ID.fieldApiName]: this.recordId,
      [LEAD_STATUS.fieldApiName]: this.mappedStatus(disposition)
    };
    if (disposition === 'Reject' && DEDUPE_REASONS.includes(this.reason)) {
      fields[LEAD_NEEDS_DEDUPE.fieldApiName] = true;
    }
    return fields;
  }

  async save(disposition) {
    this.saving = true;
    this.saveError = '';
    const lead = { disposition, rating: this.rating, reason: this.reason, fields: this.leadFields(disposition) };
    try {
      const created = await createRecord({ apiName: FEEDBACK_OBJECT.objectApiName, fields: this.feedbackFields(disposition) });
      this.savedId = created.id;
      // RefreshView API: the feedback is in the org, so the page's other components (the SLA card, whose Accept
      // clock it ends) read again now, while the lead is updated
      // (https://developer.salesforce.com/docs/platform/lwc/guide/data-refreshview-api.html)
      this.dispatchEvent(new RefreshEvent());
    } catch (error) {
      this.saveError = `The feedback was not saved: ${reduceErrors(error).join(' ')}`;
      this.saving = false;
      return;
    }
    await this.updateLead(lead);
  }

  async updateLead(lead) {
    this.saving = true;
    this.saveError = '';
    try {
      await updateRecord({ fields: lead.fields });
      this.pendingLead = undefined;
      this.changing = false;
      const status = lead.fields[LEAD_STATUS.fieldApiName];
      const rated = lead.rating ? ` with rating ${lead.rating} of 5` : '';
      const because = lead.reason ? ` (${lead.reason})` : '';
      this.savedMessage = `${PAST_TENSE[lead.disposition]}${rated}${because}. Lead status is now ${status}.`;
      Object.assign(this, { outcome: '', rating: '', reason: '', comment: '', bant: {}, showDetails: false });
      this.dispatchEvent(new ShowToastEvent({ title: 'Feedback saved', message: this.savedMessage, variant: 'success' }));
    } catch (error) {
      this.pendingLead = lead;
      this.saveError = `The feedback was saved, but the lead was not updated: ${reduceErrors(error).join(' ')}`;
    } finally {
      this.saving = false;
    }
  }
}

/** A Lead_Quality_Feedback__c record (getRecord or related list) as the card shows it. */
function toItem(record) {
  const f = record.fields;
  const disposition = f.Disposition__c?.value;
  const rating = f.Rating__c?.value;
  const reason = f.Reason__c?.displayValue || f.Reason__c?.value;
  const parts = [PAST_TENSE[disposition] || disposition, rating ? `rating ${rating} of 5` : 'not rated', reason].filter(Boolean);
  return {
    id: record.id,
    disposition,
    rating,
    reason,
    headline: parts.join(' · '),
    comment: f.Comment__c?.value,
    submittedAt: f.CreatedDate?.value,
    author: f.CreatedBy?.displayValue || f.CreatedBy?.value?.fields?.Name?.value
  };
}
