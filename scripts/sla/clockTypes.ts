/**
 * Types of the SLA clock rules (see docs/sla-clocks.md): what goes in (one record's facts, a policy, a calendar,
 * `now`) and what comes out (the SLA_Timer__c rows that record should have).
 *
 * Instants are ISO 8601 strings with an offset (`2026-03-02T15:00:00.000Z`, or Salesforce's
 * `...+0000`) on the way in, and UTC ISO strings with milliseconds on the way out.
 */

/** SLA_Policy__mdt.Object__c */
export type SlaObject = 'Lead' | 'Opportunity';

/** SLA_Timer__c.Clock__c / SLA_Policy__mdt.Clock__c */
export type ClockName = 'Accept' | 'First Touch' | 'Win/Loss Review';
export const CLOCKS: readonly ClockName[] = ['Accept', 'First Touch', 'Win/Loss Review'];

/** The object each clock runs on. */
export const CLOCK_OBJECT: Readonly<Record<ClockName, SlaObject>> = {
  Accept: 'Lead',
  'First Touch': 'Lead',
  'Win/Loss Review': 'Opportunity'
};

/**
 * The submission that fulfils a clock: a Lead_Quality_Feedback__c meets Accept, a Win_Loss_Review__c meets
 * Win/Loss Review (each at its CreatedDate); First Touch is met by an activity, not a submission.
 */
export const STOPPING_SUBMISSION: Readonly<Record<ClockName, 'feedback' | 'review' | null>> = {
  Accept: 'feedback',
  'First Touch': null,
  'Win/Loss Review': 'review'
};

/** SLA_Timer__c.Status__c */
export type TimerStatus = 'Running' | 'At Risk' | 'Paused' | 'Met' | 'Breached' | 'Cancelled';

/**
 * "Worst" first: the order used for the record-level rollup (Lead.SLA_Status__c,
 * Opportunity.Win_Loss_Review_Status__c). Worst = most in need of someone's action: an overdue
 * obligation, one about to be overdue, one counting, one on hold, one done in time, one voided.
 */
export const STATUS_SEVERITY: readonly TimerStatus[] = ['Breached', 'At Risk', 'Running', 'Paused', 'Met', 'Cancelled'];

/** A typed SLA_Policy__mdt record (see clockPolicy.ts `policyFromRecord` for the org shape). */
export interface SlaPolicy {
  /** DeveloperName; goes to SLA_Timer__c.Policy__c */
  developerName: string;
  clock: ClockName;
  object: SlaObject;
  /** Target_Minutes__c: business minutes, a positive whole number */
  targetMinutes: number;
  /** Warning_Percent__c, 0–100; null = no warning (no Warn_At, never At Risk) */
  warningPercent: number | null;
  /** Business_Hours_Name__c; null = the org's default business hours */
  businessHoursName: string | null;
  /** Lead Status values (StageName values for Opportunity) */
  startStatuses: readonly string[];
  stopStatuses: readonly string[];
  pauseStatuses: readonly string[];
  /** Cancel_Statuses__c: entered before Due_At the run is Cancelled (not required); after it, it stays Breached */
  cancelStatuses: readonly string[];
  /**
   * Backdate_Grace_Minutes__c (blank = 60): how far before its CreatedDate a user-dated activity (an Event's
   * StartDateTime) may lie and still count at that time; dated earlier, it counts at its CreatedDate
   */
  backdateGraceMinutes: number;
  /** Recycle_Statuses__c (Lead policies): the statuses that mean the lead was recycled to marketing */
  recycleStatuses: readonly string[];
  /** Recycle_Queue__c (Lead policies): Name or DeveloperName of the queue a recycled lead goes back to; null = none */
  recycleQueue: string | null;
  restartOnReassign: boolean;
  /** the tier's criteria and priority (clockTiers.ts); absent = the clock's catch-all */
  tier?: SlaTier;
  /** Reassign_To_Queue__c / Reassign_Mode__c / Reassign_Delay_Minutes__c (Lead policies); absent or null = never reassign */
  reassign?: SlaReassignment | null;
  createTaskOnBreach: boolean;
  notifyManager: boolean;
  active: boolean;
}

/** Which records a policy applies to, among the active policies of its clock (clockTiers.ts). */
export interface SlaTier {
  /** Lead_Sources__c: LeadSource values; empty = any */
  leadSources: readonly string[];
  /** Criteria_Field__c: API name of a field on the object; null = no field condition */
  field: string | null;
  /** Criteria_Values__c: the field's values that meet the condition */
  values: readonly string[];
  /** Priority__c (blank = 100): the lowest number whose criteria a record meets wins */
  priority: number;
  /** Catch_All__c, or no criteria at all: the clock's default */
  catchAll: boolean;
}

/** What the sync does with a lead still breached some business time after its due time. */
export interface SlaReassignment {
  /** Reassign_To_Queue__c: Name or DeveloperName of a lead queue */
  queue: string;
  /** Reassign_Mode__c: the queue takes the lead, or its user members in turn (by user Id) */
  mode: 'Queue' | 'Round Robin';
  /** Reassign_Delay_Minutes__c: business minutes after Due_At (blank = 0) */
  delayMinutes: number;
}

/**
 * One thing that happened to the record, normalised from the org's own data (clockEvents.ts
 * builds these from LeadHistory / OpportunityFieldHistory, Task, Event, feedback and review rows).
 * `seq` (e.g. the history row Id) only breaks ties between events of one type at the same instant.
 */
export type ClockEvent =
  /** Lead.Status / Opportunity.StageName changed to `value` */
  | { type: 'status'; at: string; value: string; seq?: string }
  /** OwnerId changed to a User (005…) or a Queue (00G…) */
  | { type: 'owner'; at: string; ownerId: string; seq?: string }
  /**
   * a completed Task or a held Event on the record, owned by `ownerId`. `at` is when it happened: a Task's
   * CompletedDateTime (stamped by the platform), or an Event's StartDateTime, which the user types — then
   * `createdAt` is the Event's CreatedDate, and `at` counts only within the policy's Backdate_Grace_Minutes__c
   * before it (an activity dated earlier counts at `createdAt`)
   */
  | { type: 'activity'; at: string; ownerId: string; activity: 'Task' | 'Event'; id: string; createdAt?: string }
  /** a Lead_Quality_Feedback__c submitted (at its CreatedDate) */
  | { type: 'feedback'; at: string; id: string }
  /** a Win_Loss_Review__c submitted (at its CreatedDate) */
  | { type: 'review'; at: string; id: string }
  /** the lead was converted */
  | { type: 'converted'; at: string }
  /** the record was deleted */
  | { type: 'deleted'; at: string };

export type ClockEventType = ClockEvent['type'];

/** Everything the clock rules need to know about one Lead or Opportunity. */
export interface ClockFacts {
  object: SlaObject;
  /** record Id (15 or 18 characters); the timer key starts with it as given */
  id: string;
  createdAt: string;
  /** Status / StageName at creation (null if unknown: then the first status event sets it) */
  initialStatus: string | null;
  /** OwnerId at creation (null if unknown: then the first owner event sets it) */
  initialOwnerId: string | null;
  /** any order; the rules sort them canonically */
  events: readonly ClockEvent[];
  /** Opportunity: StageName values whose OpportunityStage.IsClosed is true (they start Win/Loss Review too) */
  closedStages?: readonly string[];
  /** the record's current values of the fields tier criteria read (LeadSource, Criteria_Field__c) */
  values?: Readonly<Record<string, unknown>>;
}

/** Why a run ended. */
export type EndReason =
  /** entered one of the policy's Stop statuses */
  | 'stop status'
  /** entered one of the policy's Cancel statuses (not required any more) */
  | 'cancel status'
  /** Accept: a Lead_Quality_Feedback__c was submitted */
  | 'feedback'
  /** Win/Loss Review: a Win_Loss_Review__c was submitted */
  | 'review'
  /** First Touch: a completed Task / held Event by the then owner */
  | 'activity'
  /** the lead was converted: converting is contact, so Accept and First Touch are met */
  | 'converted'
  /** Restart_On_Reassign__c and another user took the record */
  | 'reassigned'
  /** the record re-entered a Start status while this run was still open */
  | 're-entered start'
  /** the record was deleted (every run of a deleted record is Cancelled) */
  | 'deleted';

/** One clock run: exactly the fields of SLA_Timer__c the rules own, plus what the sync needs. */
export interface SlaTimer {
  /** Timer_Key__c: `<recordId>:<clock>:<startedAt ISO>` — deterministic, so upserts are idempotent */
  key: string;
  object: SlaObject;
  /** → Lead__c or Opportunity__c */
  recordId: string;
  clock: ClockName;
  /** Policy__c: the policy's DeveloperName */
  policy: string;
  /** Accountable_User__c (and OwnerId of the timer): the user who owns the obligation now / at its end */
  accountableUserId: string;
  startedAt: string;
  /** null when the policy has no Warning_Percent__c */
  warnAt: string | null;
  dueAt: string;
  /** null while the run is open (Running, At Risk, Paused, or Breached and still open) */
  stoppedAt: string | null;
  status: TimerStatus;
  targetMinutes: number;
  /** business minutes counted (paused time excluded), to 2 decimals like Number(12,2) */
  elapsedBusinessMinutes: number;
  /** business minutes the run spent paused (pause status or queue-owned), to 2 decimals */
  pausedBusinessMinutes: number;
  /** null while open */
  endReason: EndReason | null;
  /** status is Breached: the sync escalates once (Escalated__c) */
  breached: boolean;
  /** what the policy asks the sync to do on breach (null unless breached) */
  escalation: { accountableUserId: string; createTask: boolean; notifyManager: boolean; breachedAt: string } | null;
  /**
   * What SLA_Timer__c keeps: only values a milestone fixes (the start, a pause or resume, the stop), never one
   * that moves because time passes, so a timer row is rewritten only when something happened. A stopped
   * timer keeps its final values; a paused one the business minutes counted at the pause and the Warn_At /
   * Due_At it stood at when it paused (had it counted on from there); a counting one its Warn_At and Due_At
   * and no elapsed minutes (null): the record page and the reports count them live (liveElapsedMinutes).
   */
  recorded: { warnAt: string | null; dueAt: string; elapsedBusinessMinutes: number | null };
}

/** The record-level rollup field each object carries. */
export const ROLLUP_FIELD: Readonly<Record<SlaObject, 'SLA_Status__c' | 'Win_Loss_Review_Status__c'>> = {
  Lead: 'SLA_Status__c',
  Opportunity: 'Win_Loss_Review_Status__c'
};

/** Thrown for facts the rules cannot read (a bad instant, a wrong object); the message names the record and field. */
export class SlaInputError extends Error {
  override readonly name = 'SlaInputError';
}

/** Thrown for an invalid SLA_Policy__mdt record; the message names the record and field. */
export class SlaPolicyError extends Error {
  override readonly name = 'SlaPolicyError';
}
