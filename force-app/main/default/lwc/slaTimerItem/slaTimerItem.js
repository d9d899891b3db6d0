import { LightningElement, api, wire } from 'lwc';
import { getRecord, getFieldValue } from 'lightning/uiRecordApi';
import { BusinessCalendar, formatDuration } from 'c/businessCalendar';
import DEFINITION from '@salesforce/schema/SLA_Calendar__c.Definition__c';

/** Status__c value → what the rep reads and sees (text and icon, never colour alone). */
const STATUS = {
  Running: { label: 'On track', icon: 'utility:clock', textClass: '' },
  'At Risk': { label: 'At risk', icon: 'utility:warning', variant: 'warning', textClass: 'slds-text-color_default' },
  Breached: { label: 'Breached', icon: 'utility:error', variant: 'error', textClass: 'slds-text-color_error' },
  Met: { label: 'Met', icon: 'utility:success', variant: 'success', textClass: 'slds-text-color_success' },
  Paused: { label: 'Paused', icon: 'utility:pause', textClass: '' },
  Cancelled: { label: 'Cancelled', icon: 'utility:ban', textClass: 'slds-text-color_weak' }
};
const COUNTING = ['Running', 'At Risk', 'Breached'];

/**
 * One SLA_Timer__c row of c-sla-timer: clock, status (text + icon), due time in the user's locale and
 * the business time left (or overdue), counted on the timer's SLA_Calendar__c with c/businessCalendar.
 * The parent passes `now` and ticks it once a minute.
 */
export default class SlaTimerItem extends LightningElement {
  /** { id, clock, status, dueAt, warnAt, startedAt, stoppedAt, targetMinutes, elapsedMinutes, calendarId } */
  @api timer;
  /** Current time in ms (from the parent's one-minute tick). */
  @api now;

  calendar;
  calendarError = '';

  @wire(getRecord, { recordId: '$timer.calendarId', fields: [DEFINITION] })
  wiredCalendar({ data, error }) {
    if (data) {
      try {
        this.calendar = new BusinessCalendar(JSON.parse(getFieldValue(data, DEFINITION)));
        this.calendarError = '';
      } catch (e) {
        this.calendar = undefined;
        this.calendarError = `Business calendar unreadable: ${e.message}`;
      }
    } else if (error) {
      this.calendar = undefined;
      this.calendarError = 'Business calendar not available.';
    }
  }

  get counting() {
    return COUNTING.includes(this.timer.status) && !this.timer.stoppedAt && !!this.timer.dueAt;
  }

  /**
   * A paused clock has no due time while it is paused: its row keeps the Due_At it stood at when it paused, and the
   * card shows the business time left for when it resumes instead.
   */
  get showDue() {
    return !!this.timer.dueAt && this.timer.status !== 'Paused';
  }

  get overdue() {
    return this.counting && this.now >= Date.parse(this.timer.dueAt);
  }

  /** The stored status, moved on live between syncs: past Warn_At → At Risk, past Due_At → Breached. */
  get liveStatus() {
    const { status, warnAt } = this.timer;
    if (this.overdue) {
      return 'Breached';
    }
    if (status === 'Running' && warnAt && this.now >= Date.parse(warnAt)) {
      return 'At Risk';
    }
    return status;
  }

  get display() {
    return STATUS[this.liveStatus] || { label: this.liveStatus, icon: 'utility:clock', textClass: '' };
  }

  get statusClass() {
    return `status ${this.display.textClass}`;
  }

  /**
   * Business minutes as "1 d 2 h 5 min" / "40 min" (c/businessCalendar's formatDuration, as the reports write
   * them): a day is a business day of the timer's calendar; in hours until the calendar has loaded.
   */
  formatMinutes(minutes) {
    return formatDuration(Math.max(0, minutes), this.calendar ? this.calendar.dayMinutes : 0, { precision: 'minute' });
  }

  get countdown() {
    const { status, stoppedAt, targetMinutes, elapsedMinutes, dueAt } = this.timer;
    const formatMinutes = (minutes) => this.formatMinutes(minutes);
    if (this.counting) {
      if (!this.calendar) {
        return this.calendarError;
      }
      const due = Date.parse(dueAt);
      return this.overdue
        ? `Overdue by ${formatMinutes(Math.floor(this.calendar.diff(due, this.now)))} business time`
        : `${formatMinutes(Math.ceil(this.calendar.diff(this.now, due)))} business time left`;
    }
    const hasTarget = targetMinutes !== null && targetMinutes !== undefined;
    const hasElapsed = elapsedMinutes !== null && elapsedMinutes !== undefined;
    if (status === 'Paused' && hasTarget && hasElapsed) {
      return `${formatMinutes(Math.ceil(targetMinutes - elapsedMinutes))} left when the clock resumes`;
    }
    if (stoppedAt && hasElapsed && (status === 'Met' || status === 'Breached')) {
      const target = hasTarget ? ` of ${formatMinutes(targetMinutes)}` : '';
      return `Took ${formatMinutes(Math.round(elapsedMinutes))}${target} business time`;
    }
    return '';
  }
}
