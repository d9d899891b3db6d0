import { LightningElement, api, wire } from 'lwc';
import { getRecord, getFieldValue, createRecord, updateRecord } from 'lightning/uiRecordApi';
import { getObjectInfo, getPicklistValuesByRecordType } from 'lightning/uiObjectInfoApi';
import { getRelatedListRecords } from 'lightning/uiRelatedListApi';
import { gql, graphql } from 'lightning/graphql';
import { RefreshEvent } from 'lightning/refresh';
import { ShowToastEvent } from 'lightning/platformShowToastEvent';
import USER_ID from '@salesforce/user/Id';
import { reduceErrors } from 'c/ldsUtils';
import { isOpen } from 'c/slaClock';

import REVIEW_OBJECT from '@salesforce/schema/Win_Loss_Review__c';
import REVIEW_ID from '@salesforce/schema/Win_Loss_Review__c.Id';
import REVIEW_OPPORTUNITY from '@salesforce/schema/Win_Loss_Review__c.Opportunity__c';
import OUTCOME from '@salesforce/schema/Win_Loss_Review__c.Outcome__c';
import PRIMARY_REASON from '@salesforce/schema/Win_Loss_Review__c.Primary_Reason__c';
import SECONDARY_REASONS from '@salesforce/schema/Win_Loss_Review__c.Secondary_Reasons__c';
import COMPETITOR from '@salesforce/schema/Win_Loss_Review__c.Competitor__c';
import MARKETING_INFLUENCE from '@salesforce/schema/Win_Loss_Review__c.Marketing_Influence__c';
import RETROSPECTIVE from '@salesforce/schema/Win_Loss_Review__c.Lead_Quality_Retrospective__c';
import LESSONS from '@salesforce/schema/Win_Loss_Review__c.Lessons__c';
import CREATED_DATE from '@salesforce/schema/Win_Loss_Review__c.CreatedDate';
import REVIEW_OWNER from '@salesforce/schema/Win_Loss_Review__c.OwnerId';
import OPP_IS_CLOSED from '@salesforce/schema/Opportunity.IsClosed';
import OPP_IS_WON from '@salesforce/schema/Opportunity.IsWon';
import OPP_MARKETING_SOURCED from '@salesforce/schema/Opportunity.Marketing_Sourced__c';

const UNKNOWN = 'Unknown';
const MINUTE_MS = 60000;
const qualified = (field) => `${field.objectApiName}.${field.fieldApiName}`;
const REVIEW_FIELDS = [
  OUTCOME,
  PRIMARY_REASON,
  SECONDARY_REASONS,
  COMPETITOR,
  MARKETING_INFLUENCE,
  RETROSPECTIVE,
  LESSONS,
  CREATED_DATE,
  REVIEW_OWNER
].map(qualified);
const REVIEW_OPTIONAL_FIELDS = ['Win_Loss_Review__c.CreatedBy.Name'];

/** The opportunity's latest Win/Loss Review clock run: the form says when the review is due. */
const REVIEW_CLOCK_QUERY = gql`
  query winLossReviewClock($recordId: ID) {
    uiapi {
      query {
        SLA_Timer__c(
          where: { Opportunity__c: { eq: $recordId }, Clock__c: { eq: "Win/Loss Review" } }
          orderBy: { Started_At__c: { order: DESC } }
          first: 1
        ) {
          edges {
            node {
              Id
              Clock__c {
                value
                displayValue
              }
              Status__c {
                value
              }
              Started_At__c {
                value
              }
              Due_At__c {
                value
              }
              Warn_At__c {
                value
              }
              Stopped_At__c {
                value
              }
              Target_Minutes__c {
                value
              }
              Elapsed_Business_Minutes__c {
                value
              }
              Calendar__c {
                value
              }
            }
          }
        }
      }
    }
  }
`;
const RETROSPECTIVE_OPTIONS = [
  ...['poor', 'weak', 'fair', 'good', 'excellent'].map((description, i) => ({ label: String(i + 1), value: String(i + 1), description })),
  { label: UNKNOWN, value: '' }
];

/**
 * Opportunity record page: once the deal is closed, the rep files a win/loss review in seconds
 * (outcome prefilled from IsWon, marketing influence from Marketing_Sourced__c; only outcome and
 * primary reason required). The form says when the review is due and how much business time is left (the
 * opportunity's Win/Loss Review clock, shown by c-sla-timer-item). After submitting, a summary of the review
 * (getRecord of the saved review, which Lightning Data Service keeps current after createRecord/updateRecord;
 * on a later visit the Win_Loss_Reviews__r related list's newest) replaces the form; the review's owner can
 * edit it. A save fires RefreshEvent so the rest of the page (the SLA card) reads what changed. The review is
 * submitted when the org created it (CreatedDate): nothing in the browser says when; the SLA sync copies it
 * into Submitted_At__c.
 */
export default class WinLossReview extends LightningElement {
  @api recordId;
  @api cardTitle = 'Win/loss review';

  retrospectiveOptions = RETROSPECTIVE_OPTIONS;
  /** Form values the rep changed (null = the defaults from the opportunity). */
  values = null;
  editing = false;
  saving = false;
  submitted = false;
  primaryReasonError = '';
  saveError = '';
  listedReview;
  reviewsLoaded = false;
  reviewsError;
  /** The review saved on this page (its getRecord wire follows it). */
  savedReviewId;
  clockTimer;
  now = Date.now();
  tick;

  connectedCallback() {
    // the due-by line counts down in business minutes (eslint.config.js allows this timer)
    this.tick = setInterval(() => {
      this.now = Date.now();
    }, MINUTE_MS);
  }

  disconnectedCallback() {
    clearInterval(this.tick);
  }

  @wire(getRecord, { recordId: '$recordId', fields: [OPP_IS_CLOSED, OPP_IS_WON, OPP_MARKETING_SOURCED] })
  opportunity;

  @wire(getRecord, { recordId: '$savedReviewId', fields: REVIEW_FIELDS, optionalFields: REVIEW_OPTIONAL_FIELDS })
  savedReview;

  get variables() {
    return { recordId: this.recordId };
  }

  @wire(graphql, { query: REVIEW_CLOCK_QUERY, variables: '$variables' })
  wiredClock({ data }) {
    const node = data?.uiapi?.query?.SLA_Timer__c?.edges?.[0]?.node;
    const v = (field) => node?.[field]?.value ?? null;
    this.clockTimer = node
      ? {
          id: node.Id,
          clock: node.Clock__c.displayValue || v('Clock__c'),
          status: v('Status__c'),
          startedAt: v('Started_At__c'),
          dueAt: v('Due_At__c'),
          warnAt: v('Warn_At__c'),
          stoppedAt: v('Stopped_At__c'),
          targetMinutes: v('Target_Minutes__c'),
          elapsedMinutes: v('Elapsed_Business_Minutes__c'),
          calendarId: v('Calendar__c') || undefined
        }
      : undefined;
  }

  /** The review shown: the one saved here, else the newest on the opportunity. */
  get review() {
    return (this.savedReviewId && this.savedReview?.data) || this.listedReview;
  }

  /** The open Win/Loss Review clock, while the form is shown: when the review is due. */
  get dueClock() {
    const t = this.clockTimer;
    return t && this.showForm && !this.editing && isOpen({ ...t, elapsedBusinessMinutes: t.elapsedMinutes }) ? t : undefined;
  }

  @wire(getObjectInfo, { objectApiName: REVIEW_OBJECT })
  objectInfo;

  @wire(getPicklistValuesByRecordType, { objectApiName: REVIEW_OBJECT, recordTypeId: '$objectInfo.data.defaultRecordTypeId' })
  picklists;

  @wire(getRelatedListRecords, {
    parentRecordId: '$recordId',
    relatedListId: 'Win_Loss_Reviews__r',
    fields: REVIEW_FIELDS,
    optionalFields: REVIEW_OPTIONAL_FIELDS,
    sortBy: ['-Win_Loss_Review__c.CreatedDate'],
    pageSize: 1
  })
  wiredReviews(result) {
    if (result.data) {
      this.listedReview = result.data.records[0];
      this.reviewsLoaded = true;
      this.reviewsError = undefined;
    } else if (result.error) {
      this.reviewsError = result.error;
    }
  }

  get isClosed() {
    return getFieldValue(this.opportunity?.data, OPP_IS_CLOSED) === true;
  }

  get loadError() {
    const errors = [
      this.opportunity?.error,
      this.objectInfo?.error,
      this.picklists?.error,
      this.reviewsError,
      this.savedReviewId && this.savedReview?.error
    ].filter(Boolean);
    return errors.length ? reduceErrors(errors).join(' ') : '';
  }

  get showCard() {
    return this.isClosed || !!this.loadError;
  }

  get showSummary() {
    return !!this.review && !this.editing;
  }

  get showForm() {
    return this.isClosed && this.reviewsLoaded && (this.editing || (!this.review && !this.submitted));
  }

  get awaitingSummary() {
    return this.submitted && !this.review;
  }

  /** Only the review's owner edits it (the sharing model is public read-only). */
  get canEditNow() {
    return this.showSummary && this.review.fields.OwnerId?.value === USER_ID;
  }

  get form() {
    if (this.values) {
      return this.values;
    }
    const won = getFieldValue(this.opportunity?.data, OPP_IS_WON);
    return {
      outcome: won ? 'Won' : 'Lost',
      primaryReason: '',
      secondaryReasons: [],
      competitor: '',
      influence: getFieldValue(this.opportunity?.data, OPP_MARKETING_SOURCED) ? 'Sourced' : UNKNOWN,
      retrospective: '',
      lessons: ''
    };
  }

  picklist(field) {
    return (this.picklists?.data?.picklistFieldValues?.[field.fieldApiName]?.values || []).map((v) => ({ label: v.label, value: v.value }));
  }

  get outcomeOptions() {
    return this.picklist(OUTCOME);
  }

  get influenceOptions() {
    return this.picklist(MARKETING_INFLUENCE);
  }

  get primaryReasonOptions() {
    return this.picklist(PRIMARY_REASON).map((o) => ({ ...o, selected: o.value === this.form.primaryReason }));
  }

  get secondaryReasonOptions() {
    return this.picklist(SECONDARY_REASONS).filter((o) => o.value !== this.form.primaryReason && o.value !== UNKNOWN);
  }

  get primaryReasonClass() {
    return this.primaryReasonError ? 'slds-form-element slds-has-error' : 'slds-form-element';
  }

  get primaryReasonDescribedBy() {
    return this.primaryReasonError ? 'primary-reason-error' : undefined;
  }

  get primaryReasonInvalid() {
    return this.primaryReasonError ? 'true' : undefined;
  }

  get submitLabel() {
    return this.editing ? 'Save review' : 'Submit review';
  }

  get summaryItems() {
    const f = this.review.fields;
    const text = (name) => f[name]?.displayValue || f[name]?.value || UNKNOWN;
    const secondary = f.Secondary_Reasons__c?.value;
    const retrospective = f.Lead_Quality_Retrospective__c?.value;
    return [
      { label: 'Outcome', value: text('Outcome__c') },
      { label: 'Primary reason', value: text('Primary_Reason__c') },
      { label: 'Secondary reasons', value: secondary ? secondary.split(';').join(', ') : 'None' },
      { label: 'Competitor', value: text('Competitor__c') },
      { label: 'Marketing influence', value: text('Marketing_Influence__c') },
      { label: 'Lead quality in hindsight', value: retrospective ? `${retrospective} of 5` : UNKNOWN },
      { label: 'Lessons', value: f.Lessons__c?.value || 'None' }
    ].map((item) => ({ ...item, termKey: `term-${item.label}`, detailKey: `detail-${item.label}` }));
  }

  get submittedAt() {
    return this.review.fields.CreatedDate?.value;
  }

  get reviewer() {
    return this.review.fields.CreatedBy?.displayValue;
  }

  setValue(name, value) {
    const next = { ...this.form, [name]: value };
    if (name === 'primaryReason') {
      next.secondaryReasons = next.secondaryReasons.filter((v) => v !== value);
      this.primaryReasonError = '';
    }
    this.values = next;
  }

  handleOutcomeChange(event) {
    this.setValue('outcome', event.detail.value);
  }

  handlePrimaryReasonChange(event) {
    this.setValue('primaryReason', event.target.value);
  }

  handleSecondaryChange(event) {
    this.setValue('secondaryReasons', [...event.detail.value]);
  }

  handleCompetitorChange(event) {
    this.setValue('competitor', event.target.value);
  }

  handleInfluenceChange(event) {
    this.setValue('influence', event.detail.value);
  }

  handleRetrospectiveChange(event) {
    this.setValue('retrospective', event.detail.value);
  }

  handleLessonsChange(event) {
    this.setValue('lessons', event.target.value);
  }

  handleEdit() {
    const f = this.review.fields;
    this.values = {
      outcome: f.Outcome__c?.value || '',
      primaryReason: f.Primary_Reason__c?.value || '',
      secondaryReasons: f.Secondary_Reasons__c?.value ? f.Secondary_Reasons__c.value.split(';') : [],
      competitor: f.Competitor__c?.value || '',
      influence: f.Marketing_Influence__c?.value || UNKNOWN,
      retrospective: f.Lead_Quality_Retrospective__c?.value ? String(f.Lead_Quality_Retrospective__c.value) : '',
      lessons: f.Lessons__c?.value || ''
    };
    this.saveError = '';
    this.editing = true;
  }

  handleCancel() {
    this.editing = false;
    this.values = null;
    this.primaryReasonError = '';
    this.saveError = '';
  }

  reviewFields() {
    const v = this.form;
    return {
      [OUTCOME.fieldApiName]: v.outcome,
      [PRIMARY_REASON.fieldApiName]: v.primaryReason,
      [SECONDARY_REASONS.fieldApiName]: v.secondaryReasons.length ? v.secondaryReasons.join(';') : null,
      [COMPETITOR.fieldApiName]: v.competitor.trim() || null,
      [MARKETING_INFLUENCE.fieldApiName]: v.influence || UNKNOWN,
      [RETROSPECTIVE.fieldApiName]: v.retrospective ? Number(v.retrospective) : null,
      [LESSONS.fieldApiName]: v.lessons.trim() || null
    };
  }

  async handleSubmit() {
    if (!this.form.primaryReason) {
      this.primaryReasonError = 'Choose the primary reason (pick Unknown if you cannot tell).';
      this.template.querySelector('select').focus();
      return;
    }
    this.saving = true;
    this.saveError = '';
    const editing = this.editing;
    try {
      if (editing) {
        const id = this.review.id;
        await updateRecord({ fields: { [REVIEW_ID.fieldApiName]: id, ...this.reviewFields() } });
        this.savedReviewId = id;
      } else {
        const created = await createRecord({
          apiName: REVIEW_OBJECT.objectApiName,
          fields: { [REVIEW_OPPORTUNITY.fieldApiName]: this.recordId, ...this.reviewFields() }
        });
        this.savedReviewId = created.id;
      }
    } catch (error) {
      this.saveError = `The review was not saved: ${reduceErrors(error).join(' ')}`;
      return;
    } finally {
      this.saving = false;
    }
    this.submitted = true;
    this.editing = false;
    this.values = null;
    const message = editing ? 'Your changes to the win/loss review are saved.' : 'Thanks, the win/loss review is on the opportunity.';
    this.dispatchEvent(new ShowToastEvent({ title: editing ? 'Review updated' : 'Review submitted', message, variant: 'success' }));
    // RefreshView API: the page's other components (the SLA card) read what the review changed
    // (https://developer.salesforce.com/docs/platform/lwc/guide/data-refreshview-api.html)
    this.dispatchEvent(new RefreshEvent());
  }
}
