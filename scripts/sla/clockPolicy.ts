/**
 * SLA_Policy__mdt records as the org returns them → typed, validated SlaPolicy.
 * Pure: the caller passes the records (and, to check status names, the org's status values).
 */
import { DEFAULT_TIER_PRIORITY, tierProblems } from './clockTiers';
import type { TierPolicy, TierSchema } from './clockTiers';
import { CLOCK_OBJECT, CLOCKS, SlaPolicyError } from './clockTypes';
import type { ClockName, SlaObject, SlaPolicy, SlaReassignment, SlaTier } from './clockTypes';

/** SLA_Policy__mdt as returned by SOQL / REST (fields we read; nulls where blank). */
export interface SlaPolicyRecord {
  DeveloperName: string;
  Clock__c: string | null;
  Object__c: string | null;
  Target_Minutes__c: number | null;
  Warning_Percent__c?: number | null;
  Business_Hours_Name__c?: string | null;
  Start_Statuses__c?: string | null;
  Stop_Statuses__c?: string | null;
  Pause_Statuses__c?: string | null;
  Cancel_Statuses__c?: string | null;
  Backdate_Grace_Minutes__c?: number | null;
  Recycle_Statuses__c?: string | null;
  Recycle_Queue__c?: string | null;
  Restart_On_Reassign__c?: boolean | null;
  Lead_Sources__c?: string | null;
  Criteria_Field__c?: string | null;
  Criteria_Values__c?: string | null;
  Priority__c?: number | null;
  Catch_All__c?: boolean | null;
  Reassign_To_Queue__c?: string | null;
  Reassign_Mode__c?: string | null;
  Reassign_Delay_Minutes__c?: number | null;
  Create_Task_On_Breach__c?: boolean | null;
  Notify_Manager__c?: boolean | null;
  Active__c?: boolean | null;
}

export interface PolicyCheckOptions {
  /** the org's values for the policy's object (LeadStatus MasterLabels / OpportunityStage values); when given, unknown values are errors */
  knownStatuses?: readonly string[];
}

/** Backdate_Grace_Minutes__c when blank. */
export const DEFAULT_BACKDATE_GRACE_MINUTES = 60;

/** `"A; B;;C"` → ['A', 'B', 'C'] (trimmed, blanks and repeats dropped, order kept). */
export function splitStatuses(list: string | null | undefined): string[] {
  const out: string[] = [];
  for (const part of (list ?? '').split(';')) {
    const v = part.trim();
    if (v !== '' && !out.includes(v)) out.push(v);
  }
  return out;
}

/** Typed, validated policy; throws SlaPolicyError naming the record and the field. */
export function policyFromRecord(rec: SlaPolicyRecord, opts: PolicyCheckOptions = {}): SlaPolicy {
  const name = (rec.DeveloperName ?? '').trim();
  const where = `SLA_Policy__mdt ${name === '' ? '(no DeveloperName)' : name}`;
  const fail = (field: string, why: string): never => {
    throw new SlaPolicyError(`${where}: ${field} ${why}`);
  };
  if (name === '') fail('DeveloperName', 'is blank');

  const clock = rec.Clock__c as ClockName;
  if (!CLOCKS.includes(clock)) fail('Clock__c', `must be one of ${CLOCKS.join(', ')} (got ${JSON.stringify(rec.Clock__c)})`);
  const object = rec.Object__c as SlaObject;
  if (object !== 'Lead' && object !== 'Opportunity')
    fail('Object__c', `must be Lead or Opportunity (got ${JSON.stringify(rec.Object__c)})`);
  if (CLOCK_OBJECT[clock] !== object) fail('Object__c', `must be ${CLOCK_OBJECT[clock]} for the ${clock} clock (got ${object})`);

  const target = rec.Target_Minutes__c;
  if (typeof target !== 'number' || !Number.isInteger(target) || target < 1 || target > 999_999_999) {
    fail('Target_Minutes__c', `must be a whole number of business minutes from 1 to 999999999 (got ${JSON.stringify(target)})`);
  }
  const warn = rec.Warning_Percent__c ?? null;
  if (warn !== null && (typeof warn !== 'number' || !Number.isFinite(warn) || warn < 0 || warn > 100)) {
    fail('Warning_Percent__c', `must be blank or from 0 to 100 (got ${JSON.stringify(warn)})`);
  }

  const grace = rec.Backdate_Grace_Minutes__c ?? DEFAULT_BACKDATE_GRACE_MINUTES;
  if (typeof grace !== 'number' || !Number.isInteger(grace) || grace < 0 || grace > 999_999) {
    fail('Backdate_Grace_Minutes__c', `must be blank or a whole number of minutes from 0 to 999999 (got ${JSON.stringify(grace)})`);
  }

  const lists = {
    Start_Statuses__c: splitStatuses(rec.Start_Statuses__c),
    Stop_Statuses__c: splitStatuses(rec.Stop_Statuses__c),
    Pause_Statuses__c: splitStatuses(rec.Pause_Statuses__c),
    Cancel_Statuses__c: splitStatuses(rec.Cancel_Statuses__c)
  };
  const recycleStatuses = splitStatuses(rec.Recycle_Statuses__c);
  const recycleQueue = (rec.Recycle_Queue__c ?? '').trim();
  if (object !== 'Lead' && recycleStatuses.length > 0) fail('Recycle_Statuses__c', 'is for Lead policies only');
  if (object !== 'Lead' && recycleQueue !== '') fail('Recycle_Queue__c', 'is for Lead policies only');
  if (recycleQueue !== '' && recycleStatuses.length === 0) {
    fail('Recycle_Queue__c', 'needs Recycle_Statuses__c: the statuses that send a lead back to the queue');
  }
  if (object === 'Lead' && lists.Start_Statuses__c.length === 0) fail('Start_Statuses__c', 'is blank: the clock would never start');
  const fields = Object.keys(lists) as (keyof typeof lists)[];
  for (let i = 0; i < fields.length; i++) {
    for (let j = i + 1; j < fields.length; j++) {
      const both = lists[fields[i]].find((v) => lists[fields[j]].includes(v));
      if (both !== undefined) fail(fields[j], `repeats ${JSON.stringify(both)}, which is already in ${fields[i]}`);
    }
  }
  if (opts.knownStatuses) {
    const known = new Set(opts.knownStatuses);
    const kind = object === 'Lead' ? 'Lead Status' : 'Opportunity stage';
    for (const f of fields) {
      const unknown = lists[f].find((v) => !known.has(v));
      if (unknown !== undefined) fail(f, `names an unknown ${kind} ${JSON.stringify(unknown)}`);
    }
    const unknown = recycleStatuses.find((v) => !known.has(v));
    if (unknown !== undefined) fail('Recycle_Statuses__c', `names an unknown ${kind} ${JSON.stringify(unknown)}`);
  }

  const { tier, reassign } = tierFromRecord(rec, fail);
  const bh = (rec.Business_Hours_Name__c ?? '').trim();
  return {
    developerName: name,
    clock,
    object,
    targetMinutes: target as number,
    warningPercent: warn,
    businessHoursName: bh === '' ? null : bh,
    startStatuses: lists.Start_Statuses__c,
    stopStatuses: lists.Stop_Statuses__c,
    pauseStatuses: lists.Pause_Statuses__c,
    cancelStatuses: lists.Cancel_Statuses__c,
    backdateGraceMinutes: grace as number,
    recycleStatuses,
    recycleQueue: recycleQueue === '' ? null : recycleQueue,
    restartOnReassign: rec.Restart_On_Reassign__c === true,
    tier,
    reassign,
    createTaskOnBreach: rec.Create_Task_On_Breach__c === true,
    notifyManager: rec.Notify_Manager__c === true,
    active: rec.Active__c === true
  };
}

/**
 * Lead_Sources__c, Criteria_Field__c / Criteria_Values__c, Priority__c, Catch_All__c and the reassignment
 * fields of one record, read alone (what they must agree with across policies is tierProblems' work).
 */
export function tierFromRecord(
  rec: SlaPolicyRecord,
  fail: (field: string, why: string) => never = (field, why) => {
    throw new SlaPolicyError(`SLA_Policy__mdt ${rec.DeveloperName}: ${field} ${why}`);
  }
): { tier: SlaTier; reassign: SlaReassignment | null } {
  const leadSources = splitStatuses(rec.Lead_Sources__c);
  const fieldName = (rec.Criteria_Field__c ?? '').trim();
  if (fieldName !== '' && !/^[A-Za-z][A-Za-z0-9_]{0,79}$/.test(fieldName)) {
    fail('Criteria_Field__c', `must be a field API name such as Country or Segment__c (got ${JSON.stringify(fieldName)})`);
  }
  const priority = rec.Priority__c ?? DEFAULT_TIER_PRIORITY;
  if (typeof priority !== 'number' || !Number.isInteger(priority) || priority < 1 || priority > 9999) {
    fail('Priority__c', `must be blank or a whole number from 1 to 9999 (got ${JSON.stringify(rec.Priority__c)})`);
  }
  const values = splitStatuses(rec.Criteria_Values__c);
  const criteria = leadSources.length > 0 || fieldName !== '' || values.length > 0;
  const tier: SlaTier = {
    leadSources,
    field: fieldName === '' ? null : fieldName,
    values,
    priority: priority as number,
    catchAll: rec.Catch_All__c === true || !criteria
  };
  const queue = (rec.Reassign_To_Queue__c ?? '').trim();
  const mode = (rec.Reassign_Mode__c ?? '').trim() || 'Queue';
  if (mode !== 'Queue' && mode !== 'Round Robin')
    fail('Reassign_Mode__c', `must be Queue or Round Robin (got ${JSON.stringify(rec.Reassign_Mode__c)})`);
  const delay = rec.Reassign_Delay_Minutes__c ?? 0;
  if (typeof delay !== 'number' || !Number.isInteger(delay) || delay < 0 || delay > 999_999) {
    fail(
      'Reassign_Delay_Minutes__c',
      `must be blank or a whole number of business minutes from 0 to 999999 (got ${JSON.stringify(rec.Reassign_Delay_Minutes__c)})`
    );
  }
  if (queue === '' && (rec.Reassign_Mode__c || (rec.Reassign_Delay_Minutes__c !== null && rec.Reassign_Delay_Minutes__c !== undefined))) {
    fail('Reassign_To_Queue__c', 'is blank, but Reassign_Mode__c or Reassign_Delay_Minutes__c is set: name the queue');
  }
  const reassign: SlaReassignment | null =
    queue === '' ? null : { queue, mode: mode as SlaReassignment['mode'], delayMinutes: delay as number };
  return { tier, reassign };
}

/**
 * The active policies for one object, in clock order (tiers of one clock by priority, the catch-all last);
 * throws SlaPolicyError with the first of tierProblems (no catch-all or two, overlapping tiers of equal
 * priority, tiers that disagree on the clock's statuses, unknown criteria fields or values, a reassignment
 * queue that does not exist — the last three when `schema` says what exists). `closed-loop validate` reports
 * every one of those problems on the project's records (scripts/validate/checks/slaPolicy.ts).
 */
export function activePolicies<P extends TierPolicy>(policies: readonly P[], object: SlaObject, schema: TierSchema = {}): P[] {
  const mine = policies.filter((p) => p.active && p.object === object);
  const problem = tierProblems(mine, schema)[0];
  if (problem) throw new SlaPolicyError(`SLA_Policy__mdt ${problem.policy}: ${problem.message}`);
  const rank = (p: P) => (p.tier?.catchAll === false ? p.tier.priority : Number.MAX_SAFE_INTEGER);
  return CLOCKS.flatMap((c) =>
    mine.filter((p) => p.clock === c).sort((a, b) => rank(a) - rank(b) || (a.developerName < b.developerName ? -1 : 1))
  );
}
