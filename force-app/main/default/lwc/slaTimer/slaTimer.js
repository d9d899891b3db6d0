import { LightningElement, api, wire } from 'lwc';
import { getRecord, notifyRecordUpdateAvailable } from 'lightning/uiRecordApi';
import { gql, graphql } from 'lightning/graphql';
import { registerRefreshHandler, unregisterRefreshHandler } from 'lightning/refresh';
import { isOpen, latestPerClock, stoppingSubmission } from 'c/slaClock';

import LEAD_STATUS from '@salesforce/schema/Lead.Status';
import LEAD_OWNER from '@salesforce/schema/Lead.OwnerId';
import OPP_STAGE from '@salesforce/schema/Opportunity.StageName';
import OPP_OWNER from '@salesforce/schema/Opportunity.OwnerId';

const MINUTE_MS = 60000;
/** While a change waits for the SLA sync: read the clocks again this often, for at most this long. */
const POLL_MS = 10000;
const PENDING_MS = 90000;
/** Page-record fields whose change may start, stop, pause or restart a clock (what the policy says is the sync's to apply). */
const WATCHED = { Lead: [LEAD_STATUS, LEAD_OWNER], Opportunity: [OPP_STAGE, OPP_OWNER] };

/**
 * The record's timers and the submissions that stop clocks, in one UI API GraphQL query (lightning/graphql;
 * its `refresh()` reads them again: https://developer.salesforce.com/docs/platform/lwc/guide/reference-graphql-refresh.html).
 */
const CLOCKS_QUERY = gql`
  query slaClocks($recordId: ID) {
    uiapi {
      query {
        SLA_Timer__c(
          where: { or: [{ Lead__c: { eq: $recordId } }, { Opportunity__c: { eq: $recordId } }] }
          orderBy: { Started_At__c: { order: DESC } }
          first: 200
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
              LastModifiedDate {
                value
              }
            }
          }
        }
        Lead_Quality_Feedback__c(where: { Lead__c: { eq: $recordId } }, orderBy: { CreatedDate: { order: DESC } }, first: 20) {
          edges {
            node {
              Id
              CreatedDate {
                value
              }
            }
          }
        }
        Win_Loss_Review__c(where: { Opportunity__c: { eq: $recordId } }, orderBy: { CreatedDate: { order: DESC } }, first: 20) {
          edges {
            node {
              Id
              CreatedDate {
                value
              }
            }
          }
        }
      }
    }
  }
`;

const value = (node, field) => node[field]?.value ?? null;
const edges = (data, object) => data?.uiapi?.query?.[object]?.edges || [];

/** An SLA_Timer__c node as c-sla-timer-item shows it. */
function toTimer(node) {
  return {
    id: node.Id,
    clock: node.Clock__c?.displayValue || value(node, 'Clock__c'),
    status: value(node, 'Status__c'),
    dueAt: value(node, 'Due_At__c'),
    warnAt: value(node, 'Warn_At__c'),
    startedAt: value(node, 'Started_At__c'),
    stoppedAt: value(node, 'Stopped_At__c'),
    targetMinutes: value(node, 'Target_Minutes__c'),
    elapsedMinutes: value(node, 'Elapsed_Business_Minutes__c'),
    calendarId: value(node, 'Calendar__c') || undefined
  };
}

/** What the clock rules (c/slaClock) read of a timer. */
function recordedTimer(t) {
  return { ...t, elapsedBusinessMinutes: t.elapsedMinutes };
}

/**
 * Lead and Opportunity record pages: the record's SLA clocks — each clock's current run with its status in text
 * and icon, due time and a live business-time countdown, and the runs of earlier cycles in a collapsed section.
 * It agrees with the rep at once: a feedback or review they just submitted ends the clock it fulfils on this card
 * as the next sync will record it (c/slaClock); a status or owner change, whose effect is the policy's (custom
 * metadata a page cannot read), marks the open clocks "pending sync" and reads them again until the sync has
 * written them. See docs/sla-clocks.md#on-the-record-page.
 */
export default class SlaTimer extends LightningElement {
  @api recordId;
  @api objectApiName;
  @api cardTitle = 'SLA clocks';

  now = Date.now();
  watchedFields;
  timers = [];
  submissions = [];
  loaded = false;
  error = '';
  clocksResult;
  timersSignature;
  recordValues;
  /** When a record change started waiting for the sync (ms), and the timers as they were then. */
  pendingSince;
  pendingSignature;
  showEarlier = false;
  tick;
  poll;
  refreshHandle;

  connectedCallback() {
    this.watchedFields = WATCHED[this.objectApiName] || [];
    this.now = Date.now();
    // The countdown is in whole business minutes; one tick a minute keeps it current (eslint.config.js allows
    // this component's timers: the platform rules forbid inline rule disables in components).
    this.tick = setInterval(() => {
      this.now = Date.now();
    }, MINUTE_MS);
    // RefreshView API: a RefreshEvent on the page (a component saved a feedback or review) reads the clocks again
    // (https://developer.salesforce.com/docs/platform/lwc/guide/data-refreshview-api.html).
    this.refreshHandle = registerRefreshHandler(this, this.refreshClocks);
  }

  disconnectedCallback() {
    clearInterval(this.tick);
    clearInterval(this.poll);
    this.tick = undefined;
    this.poll = undefined;
    unregisterRefreshHandler(this.refreshHandle);
  }

  get variables() {
    return { recordId: this.recordId };
  }

  @wire(getRecord, { recordId: '$recordId', fields: '$watchedFields' })
  wiredRecord({ data }) {
    if (!data) {
      return;
    }
    const values = JSON.stringify(this.watchedFields.map((f) => data.fields[f.fieldApiName]?.value ?? null));
    if (this.recordValues !== undefined && values !== this.recordValues) {
      this.waitForSync();
    }
    this.recordValues = values;
  }

  @wire(graphql, { query: CLOCKS_QUERY, variables: '$variables' })
  wiredClocks(result) {
    this.clocksResult = result;
    const { data, errors } = result;
    if (data) {
      this.timers = edges(data, 'SLA_Timer__c').map((e) => toTimer(e.node));
      this.submissions = [
        ...edges(data, 'Lead_Quality_Feedback__c').map((e) => ({ type: 'feedback', at: e.node.CreatedDate.value })),
        ...edges(data, 'Win_Loss_Review__c').map((e) => ({ type: 'review', at: e.node.CreatedDate.value }))
      ];
      this.timersSignature = JSON.stringify(edges(data, 'SLA_Timer__c'));
      if (this.pendingSince && this.timersSignature !== this.pendingSignature) {
        this.stopWaiting();
      }
      this.loaded = true;
      this.error = '';
    } else if (errors) {
      this.error = errors.map((e) => e.message).join(' ');
    }
  }

  /** The RefreshView handler: reads the clocks again; resolves true so the refresh goes on below. */
  refreshClocks() {
    const refresh = this.clocksResult?.refresh;
    return (refresh ? refresh() : Promise.resolve()).then(() => true);
  }

  /**
   * The record changed in a way only the sync can apply: mark the open clocks pending, and read the record (the
   * sync writes its SLA status outside Lightning Data Service, hence notifyRecordUpdateAvailable) and the clocks
   * again every POLL_MS until the sync has written the timers, or for PENDING_MS.
   */
  waitForSync() {
    this.pendingSince = Date.now();
    this.pendingSignature = this.timersSignature;
    clearInterval(this.poll);
    this.poll = setInterval(() => {
      if (Date.now() - this.pendingSince >= PENDING_MS) {
        this.stopWaiting();
        return;
      }
      notifyRecordUpdateAvailable([{ recordId: this.recordId }]);
      this.refreshClocks();
    }, POLL_MS);
    this.refreshClocks();
  }

  stopWaiting() {
    clearInterval(this.poll);
    this.poll = undefined;
    this.pendingSince = undefined;
  }

  /** Each clock's current run (c/slaClock's latestPerClock), with the submission that ends it and whether it waits for the sync. */
  get current() {
    return latestPerClock(this.timers).map((t) => this.row(t, true));
  }

  /** Runs of earlier cycles (before a recycle, a restart or a re-entered Start status), newest first. */
  get earlier() {
    const current = new Set(latestPerClock(this.timers).map((t) => t.id));
    return this.timers.filter((t) => !current.has(t.id)).map((t) => this.row(t, false));
  }

  row(timer, isCurrent) {
    const stop = isCurrent ? stoppingSubmission(recordedTimer(timer), this.submissions) : null;
    const pending = isCurrent && !stop && !!this.pendingSince && isOpen(recordedTimer(timer));
    return { id: timer.id, timer, stop, pending };
  }

  get hasTimers() {
    return this.timers.length > 0;
  }

  get hasEarlier() {
    return this.earlier.length > 0;
  }

  get earlierLabel() {
    return `Earlier cycles (${this.earlier.length})`;
  }

  get showEarlierText() {
    return String(this.showEarlier);
  }

  get hideEarlier() {
    return !this.showEarlier;
  }

  get earlierSectionClass() {
    return this.showEarlier ? 'slds-section slds-is-open earlier' : 'slds-section earlier';
  }

  get showEmpty() {
    return this.loaded && !this.hasTimers;
  }

  handleToggleEarlier() {
    this.showEarlier = !this.showEarlier;
  }
}
