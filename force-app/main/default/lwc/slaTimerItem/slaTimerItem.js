import { LightningElement, api, wire } from 'lwc';
import { getRecord, getFieldValue } from 'lightning/uiRecordApi';
import { BusinessCalendar, formatDuration } from 'c/businessCalendar';
import { isOpen, liveStatus, projectStop } from 'c/slaClock';
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
 * One SLA_Timer__c row: clock, status (text + icon), due time in the user's locale and the business time left
 * (or overdue), counted on the timer's SLA_Calendar__c with c/businessCalendar. The parent passes `now` (ticked
 * once a minute), the submission that ends the run if there is one (`stop`: the row then shows the run as the
 * next sync will record it, c/slaClock's projectStop) and whether the run waits for the sync (`pending`).
 */
export default class SlaTimerItem extends LightningElement {
  /** { id, clock, status, dueAt, warnAt, startedAt, stoppedAt, targetMinutes, elapsedMinutes, calendarId } */
  @api timer;
  /** Current time in ms (from the parent's one-minute tick). */
  @api now;
  /** { type: 'feedback' | 'review', at } that ends this open run, or null. */
  @api stop;
  /** The run waits for the SLA sync to apply a change to the record. */
  @api pending = false;

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

  get recorded() {
    return { ...this.timer, elapsedBusinessMinutes: this.timer.elapsedMinutes };
  }

  /** The run as the next sync records it, once `stop` ended it (needs the calendar), else undefined. */
  get projected() {
    if (!this.stop || !this.calendar || !this.timer.dueAt || !isOpen(this.recorded)) {
      return undefined;
    }
    return projectStop(this.recorded, this.stop, this.calendar);
  }

  get counting() {
    return !this.projected && !this.stop && COUNTING.includes(this.timer.status) && !this.timer.stoppedAt && !!this.timer.dueAt;
  }

  get overdue() {
    return this.counting && this.status === 'Breached';
  }

  /** The recorded status, moved on live between syncs (c/slaClock: past Warn_At → At Risk, past Due_At → Breached). */
  get status() {
    if (this.projected) {
      return this.projected.status;
    }
    return this.timer.dueAt ? liveStatus(this.recorded, this.now) : this.timer.status;
  }

  get display() {
    return STATUS[this.status] || { label: this.status, icon: 'utility:clock', textClass: '' };
  }

  get statusClass() {
    return `status ${this.display.textClass}`;
  }

  /**
   * A paused clock has no due time while it is paused: its row keeps the Due_At it stood at when it paused, and the
   * card shows the business time left for when it resumes instead. A run a submission just ended shows its stop.
   */
  get showDue() {
    return !!this.timer.dueAt && this.timer.status !== 'Paused' && !this.projected;
  }

  /**
   * Business minutes as "1 d 2 h 5 min" / "40 min" (c/businessCalendar's formatDuration, as the reports write
   * them): a day is a business day of the timer's calendar; in hours until the calendar has loaded.
   */
  formatMinutes(minutes) {
    return formatDuration(Math.max(0, minutes), this.calendar ? this.calendar.dayMinutes : 0, { precision: 'minute' });
  }

  get countdown() {
    const { status, stoppedAt, targetMinutes, dueAt } = this.timer;
    const formatMinutes = (minutes) => this.formatMinutes(minutes);
    const projected = this.projected;
    const hasTarget = targetMinutes !== null && targetMinutes !== undefined;
    const target = hasTarget ? ` of ${formatMinutes(targetMinutes)}` : '';
    if (projected) {
      return projected.elapsedBusinessMinutes === null
        ? 'Business time taken: at the next SLA sync'
        : `Took ${formatMinutes(Math.round(projected.elapsedBusinessMinutes))}${target} business time`;
    }
    if (this.stop) {
      return this.calendarError;
    }
    if (this.counting) {
      if (!this.calendar) {
        return this.calendarError;
      }
      const due = Date.parse(dueAt);
      // the sync's status is the org's word: a run it recorded Breached while this browser's clock is still before
      // Due_At (a clock behind the org's, or a sync run with --now) is overdue by nothing yet, not an error
      return this.overdue
        ? `Overdue by ${formatMinutes(Math.floor(this.calendar.diff(due, Math.max(due, this.now))))} business time`
        : `${formatMinutes(Math.ceil(this.calendar.diff(Math.min(this.now, due), due)))} business time left`;
    }
    const elapsed = this.timer.elapsedMinutes;
    const hasElapsed = elapsed !== null && elapsed !== undefined;
    if (status === 'Paused' && hasTarget && hasElapsed) {
      return `${formatMinutes(Math.ceil(targetMinutes - elapsed))} left when the clock resumes`;
    }
    if (stoppedAt && hasElapsed && (status === 'Met' || status === 'Breached')) {
      return `Took ${formatMinutes(Math.round(elapsed))}${target} business time`;
    }
    return '';
  }

  /** When the submission that ended the run was made (shown instead of the due time). */
  get stoppedAt() {
    return this.projected?.stoppedAt;
  }

  get stopLabel() {
    return this.stop?.type === 'review' ? 'Review submitted' : 'Feedback submitted';
  }
}
