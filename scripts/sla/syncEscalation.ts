/**
 * Breach escalations: for each breached timer, once, a Task for the accountable user ("SLA breached: …") while
 * the breach is open, and, when the policy has Notify_Manager__c, one for that user's manager (User.ManagerId), linked to the
 * record (WhoId for a lead, WhatId for an opportunity), due today in the policy calendar's time zone.
 * Escalated__c is set on the timer after its tasks are saved. Each task's Description ends with the timer
 * key, and a re-run looks for tasks with that key first, so a sync stopped between saving the tasks and
 * setting Escalated__c never creates them twice.
 *
 * A run escalates its breaches once, after all its timers are saved: one read of the tasks an interrupted run may
 * have left, the users once, then the tasks in one write and the Escalated__c flags in one write, which the data
 * layer sends as collections of 200 or, when many, as a Bulk API 2.0 ingest job: the calls follow the writes'
 * size class, not the number of breaches.
 */
import { MONTHS, WEEKDAYS, localDate, wallClock } from '../calendar';
import type { SlaTimer } from './clock';
import { chunked, soql, soqlLike } from '../org/data';
import type { OrgData, OrgRecord, SaveResult } from '../org/data';
import type { Escalation } from './syncPlan';

export const TASK_SUBJECT_PREFIX = 'SLA breached';

interface UserRow extends OrgRecord {
  Id: string;
  Name: string;
  ManagerId: string | null;
  IsActive: boolean;
}

export interface EscalationOutcome {
  /** tasks saved for accountable users */
  userTasks: number;
  /** tasks saved for managers */
  managerTasks: number;
  /** timers marked Escalated__c */
  escalated: number;
  /** breaches whose user has no (active) manager although the policy asks to notify one */
  withoutManager: number;
  /** per-record failures: "Task for SLA-… : message" */
  errors: string[];
}

/** The Timer key line every escalation task's Description ends with. */
export function timerKeyLine(key: string): string {
  return `Timer key: ${key}`;
}

/** "Mon, Mar 2, 2026, 10:30 (America/New_York)": an instant on the policy calendar's wall clock. */
export function wallClockText(iso: string, timeZone: string): string {
  const w = wallClock(Date.parse(iso), timeZone);
  const time = `${String(w.hour).padStart(2, '0')}:${String(w.minute).padStart(2, '0')}`;
  return `${WEEKDAYS[w.weekday].slice(0, 3)}, ${MONTHS[w.month - 1].slice(0, 3)} ${w.day}, ${w.year}, ${time} (${timeZone})`;
}

export const truncate = (s: string, n: number) => (s.length <= n ? s : `${s.slice(0, n - 1)}…`);

export function clockDuty(timer: SlaTimer): string {
  switch (timer.clock) {
    case 'Accept':
      return 'accept, recycle or reject the lead (submit Lead Quality Feedback)';
    case 'First Touch':
      return 'contact the lead and log the call, e-mail or meeting';
    default:
      return 'file the Win/Loss Review';
  }
}

export interface TaskInput {
  escalation: Escalation;
  /** the user the task is for */
  ownerId: string;
  /** 'user': the accountable user; 'manager': their manager */
  audience: 'user' | 'manager';
  accountableName: string;
  timeZone: string;
  now: number;
  instanceUrl: string;
}

/** The Task for one audience of one breach. */
export function escalationTask(input: TaskInput): Record<string, unknown> {
  const { escalation: e, audience } = input;
  const t = e.timer;
  const kind = e.record.object === 'Lead' ? 'lead' : 'opportunity';
  const subject =
    audience === 'user'
      ? `${TASK_SUBJECT_PREFIX}: ${t.clock} on ${e.record.label}`
      : `${TASK_SUBJECT_PREFIX} (${input.accountableName}): ${t.clock} on ${e.record.label}`;
  const open = t.stoppedAt === null;
  const lines = [
    `The ${t.clock} SLA on ${kind} ${e.record.label} was due ${wallClockText(t.dueAt, input.timeZone)} and is breached` +
      (open ? ' and still open.' : `; it ended late, ${wallClockText(t.stoppedAt as string, input.timeZone)}.`),
    audience === 'user'
      ? `Please ${clockDuty(t)} now.`
      : `Accountable: ${input.accountableName}. ${open ? `They need to ${clockDuty(t)}.` : ''}`.trim(),
    `Policy ${t.policy}: ${t.targetMinutes} business minutes, started ${wallClockText(t.startedAt, input.timeZone)}, ${t.elapsedBusinessMinutes} counted so far.`,
    `Open the ${kind}: ${input.instanceUrl.replace(/\/+$/, '')}/${e.record.id}`,
    timerKeyLine(t.key)
  ];
  return {
    OwnerId: input.ownerId,
    Subject: truncate(subject, 255),
    Description: lines.join('\n'),
    ActivityDate: localDate(input.now, input.timeZone),
    Priority: 'High',
    Status: 'Not Started',
    ...(e.record.object === 'Lead' ? { WhoId: e.record.id } : { WhatId: e.record.id })
  };
}

export interface EscalationOptions {
  now: number;
  /** the policy calendar's time zone of a breach */
  timeZoneOf: (e: Escalation) => string;
  users: UserCache;
  /**
   * The org's clock when the last successful sync wrote its state (SLA_Sync_State__c.SystemModstamp; null without
   * one): the escalation tasks created since are the only ones an unflagged breach can already have (see existingTaskKeys).
   */
  tasksSince: number | null;
}

/** The tasks a set of breaches calls for, read but not yet written. */
export interface EscalationPlan {
  tasks: Array<{ escalation: Escalation; audience: 'user' | 'manager'; task: Record<string, unknown> }>;
  /** breaches whose user has no (active) manager although the policy asks to notify one */
  withoutManager: number;
}

/**
 * The escalation tasks these breaches need (skipping any a previous, interrupted run already saved), from
 * reads only: `sla sync --dry-run` counts them, a real run saves them. `timeZoneOf` gives the policy
 * calendar's zone of a breach.
 */
export async function planEscalations(data: OrgData, escalations: readonly Escalation[], opts: EscalationOptions): Promise<EscalationPlan> {
  const plan: EscalationPlan = { tasks: [], withoutManager: 0 };
  if (escalations.length === 0) return plan;
  await opts.users.load(
    data,
    escalations.map((e) => e.timer.accountableUserId)
  );
  const managers = escalations
    .filter((e) => e.notifyManager)
    .map((e) => opts.users.get(e.timer.accountableUserId)?.ManagerId)
    .filter((id): id is string => Boolean(id));
  await opts.users.load(data, managers);
  const saved = await existingTaskKeys(data, opts.tasksSince);
  for (const e of escalations) {
    const user = opts.users.get(e.timer.accountableUserId);
    const accountableName = user?.Name ?? e.timer.accountableUserId;
    const base = { escalation: e, accountableName, timeZone: opts.timeZoneOf(e), now: opts.now, instanceUrl: data.instanceUrl };
    if (e.createTask && !saved.has(`${e.timer.key}|${e.timer.accountableUserId.slice(0, 15)}`)) {
      plan.tasks.push({
        escalation: e,
        audience: 'user',
        task: escalationTask({ ...base, ownerId: e.timer.accountableUserId, audience: 'user' })
      });
    }
    if (e.notifyManager) {
      const manager = user?.ManagerId ? opts.users.get(user.ManagerId) : undefined;
      if (!manager || !manager.IsActive) plan.withoutManager++;
      else if (!saved.has(`${e.timer.key}|${manager.Id.slice(0, 15)}`)) {
        plan.tasks.push({
          escalation: e,
          audience: 'manager',
          task: escalationTask({ ...base, ownerId: manager.Id, audience: 'manager' })
        });
      }
    }
  }
  return plan;
}

/**
 * Saves the escalation tasks of these breaches (skipping any a previous, interrupted run already saved),
 * then marks the timers Escalated__c. `timeZoneOf` gives the policy calendar's zone of a breach.
 */
export async function escalate(data: OrgData, escalations: readonly Escalation[], opts: EscalationOptions): Promise<EscalationOutcome> {
  const outcome: EscalationOutcome = { userTasks: 0, managerTasks: 0, escalated: 0, withoutManager: 0, errors: [] };
  if (escalations.length === 0) return outcome;
  const { tasks, withoutManager } = await planEscalations(data, escalations, opts);
  outcome.withoutManager = withoutManager;
  const done = new Set<Escalation>(escalations);

  const results: SaveResult[] = await data.insert(
    'Task',
    tasks.map((t) => t.task),
    { ids: false }
  );
  results.forEach((r, i) => {
    const t = tasks[i];
    if (r.success) {
      if (t.audience === 'user') outcome.userTasks++;
      else outcome.managerTasks++;
    } else {
      done.delete(t.escalation);
      const err = r.errors[0];
      outcome.errors.push(
        `Task for ${t.audience === 'user' ? 'the accountable user' : 'the manager'} of timer ${t.escalation.timer.key}: ${err ? `${err.statusCode}: ${err.message}` : 'not saved'}`
      );
    }
  });

  const flagged = [...done];
  const flags = await data.upsert(
    'SLA_Timer__c',
    'Timer_Key__c',
    flagged.map((e) => ({ Timer_Key__c: e.timer.key, Escalated__c: true })),
    { ids: false }
  );
  flags.forEach((r, i) => {
    if (r.success) outcome.escalated++;
    else {
      const err = r.errors[0];
      outcome.errors.push(`SLA_Timer__c ${flagged[i].timer.key} Escalated__c: ${err ? `${err.statusCode}: ${err.message}` : 'not saved'}`);
    }
  });
  return outcome;
}

/**
 * `<timer key>|<owner id 15>` of the escalation tasks a breach not yet flagged Escalated__c can already have: those
 * an interrupted run saved before it could set the flags. A successful run flags every breach it escalated before
 * it writes the sync state (an error anywhere keeps the state as it was), so such tasks were created after the
 * state's SystemModstamp — the org's clock, as CreatedDate is, so no skew between machines — and one query
 * bounded by it reads them all, however many breaches the run escalates (the data layer pages it, or reads it
 * with a Bulk query job when large). Without a state (a first sync) every escalation task is read.
 */
async function existingTaskKeys(data: OrgData, since: number | null): Promise<Set<string>> {
  const out = new Set<string>();
  const query =
    since === null
      ? soql`SELECT OwnerId, Description FROM Task WHERE Subject LIKE ${soqlLike(TASK_SUBJECT_PREFIX, 'startsWith')}`
      : soql`SELECT OwnerId, Description FROM Task WHERE Subject LIKE ${soqlLike(TASK_SUBJECT_PREFIX, 'startsWith')} AND CreatedDate >= ${new Date(since)}`;
  for await (const page of data.pages<OrgRecord>(query)) {
    for (const t of page.records) {
      const m = /^Timer key: ([^\n]*\S)/m.exec(String(t.Description ?? ''));
      if (m) out.add(`${m[1]}|${String(t.OwnerId).slice(0, 15)}`);
    }
  }
  return out;
}

/** Users (Name, ManagerId, IsActive) read once per sync, 200 ids a query. */
export class UserCache {
  private readonly users = new Map<string, UserRow | null>();

  get(id: string): UserRow | undefined {
    return this.users.get(id.slice(0, 15)) ?? undefined;
  }

  async load(data: OrgData, ids: readonly string[]): Promise<void> {
    const missing = [...new Set(ids)].filter((id) => !this.users.has(id.slice(0, 15)));
    for (const chunk of chunked(missing, 200)) {
      for await (const page of data.pages<UserRow>(soql`SELECT Id, Name, ManagerId, IsActive FROM User WHERE Id IN ${chunk}`)) {
        for (const u of page.records) this.users.set(u.Id.slice(0, 15), u);
      }
      for (const id of chunk) if (!this.users.has(id.slice(0, 15))) this.users.set(id.slice(0, 15), null);
    }
  }
}
