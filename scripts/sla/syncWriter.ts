/**
 * The sync's writes for a batch of evaluated records, in order: timers (new, changed, cancelled), the
 * records' status and kept fields, the submission stamps of feedback and reviews. The escalations of breaches
 * whose timers were saved are kept for the end of the run (`escalate`): one read of what they need and one
 * write of tasks and of Escalated__c flags for the whole run, however many batches it took. A dry run counts
 * what it would write, from reads only.
 */
import { describeSaveError, ownCopy, RecordRows } from '../org/data';
import type { OrgData } from '../org/data';
import type { SyncSummary } from './syncSummary';
import { escalate, planEscalations, UserCache } from './syncEscalation';
import type { EscalationOptions } from './syncEscalation';
import type { Escalation, RecordPlan, TimerCrossing } from './syncPlan';
import type { SyncSetup } from './syncSetup';

/**
 * A batch's writes, kept as RecordRows (scripts/org/data/recordRows.ts) until they are sent: a line of text a
 * timer, record update or stamp, about the size of its Bulk upload row, not the plans' objects (a large batch
 * waits for one Bulk ingest job an object: its timers, each record's few fields), and sent from those lines.
 * Escalations and crossings — few — are kept with their record's Id (they name their record: RecordRef).
 */
interface Batch {
  /** the plans added */
  plans: number;
  timers: RecordRows;
  updates: { Lead: RecordRows; Opportunity: RecordRows };
  /** the feedback and review stamps, by sObject */
  stamps: Map<string, RecordRows>;
  /** the plans with escalations or crossings, in order */
  alerts: Array<Pick<RecordPlan, 'escalations' | 'crossings'> & { id: string }>;
}

/** The sObjects whose records' submission stamps the sync writes, in order. */
const STAMPED = ['Lead_Quality_Feedback__c', 'Win_Loss_Review__c'];

function newBatch(): Batch {
  return {
    plans: 0,
    timers: new RecordRows(),
    updates: { Lead: new RecordRows(), Opportunity: new RecordRows() },
    stamps: new Map(STAMPED.map((sobject) => [sobject, new RecordRows()])),
    alerts: []
  };
}

/** Collects the plans of a page of records and sends their writes in order: timers, records; escalations at the end. */
export class Writer {
  private batch = newBatch();
  /** the run's breaches to escalate whose timers are saved, by timer key (a record evaluated again adds none) */
  private readonly breaches = new Map<string, Escalation>();
  /** users read for escalations and alerts, once per sync */
  readonly users = new UserCache();

  constructor(
    private readonly data: OrgData,
    private readonly summary: SyncSummary,
    private readonly dryRun: boolean,
    private readonly now: number,
    private readonly setup: SyncSetup,
    /** SLA_Sync_State__c's SystemModstamp (EscalationOptions.tasksSince) */
    private readonly tasksSince: number | null,
    private readonly onCrossing?: (crossing: TimerCrossing) => void
  ) {}

  get pending(): number {
    return this.batch.plans;
  }

  /** `recount: false` for a record evaluated a second time in the run (after a reassignment): its statuses are counted once. */
  add(plan: RecordPlan, opts: { recount?: boolean } = {}): void {
    const s = this.summary;
    const existing = new Set(plan.record.timers.map((t) => t.Timer_Key__c));
    const changedKeys = new Set(plan.timerUpserts.map((u) => u.Timer_Key__c as string));
    for (const t of plan.timers) {
      if (opts.recount === false) {
        if (!existing.has(t.key)) s.timers.created++;
        continue;
      }
      s.statuses[t.status]++;
      if (!existing.has(t.key)) s.timers.created++;
      else if (changedKeys.has(t.key)) s.timers.updated++;
      else s.timers.unchanged++;
    }
    s.timers.cancelled += plan.cancelled;
    for (const c of plan.crossings) {
      if (c.crossed === 'warn') s.crossed.atRisk++;
      else s.crossed.breached++;
    }
    s.met = s.statuses.Met;
    s.breached = s.statuses.Breached;
    const b = this.batch;
    b.plans++;
    for (const u of plan.timerUpserts) b.timers.add(u);
    if (plan.recordUpdate) b.updates[plan.record.object].add(plan.recordUpdate);
    for (const c of plan.childUpdates) {
      // (an sObject not in STAMPED goes after them, rather than being dropped)
      let rows = b.stamps.get(c.sobject);
      if (!rows) b.stamps.set(c.sobject, (rows = new RecordRows()));
      rows.add(c.record);
    }
    if (plan.escalations.length > 0 || plan.crossings.length > 0) {
      b.alerts.push({ id: ownCopy(plan.record.id), escalations: plan.escalations, crossings: plan.crossings });
    }
  }

  async flush(): Promise<void> {
    const b = this.batch;
    this.batch = newBatch();
    if (b.plans === 0) return;
    const s = this.summary;
    if (this.dryRun) {
      s.recordsUpdated.leads += b.updates.Lead.length;
      s.recordsUpdated.opportunities += b.updates.Opportunity.length;
      for (let i = 0; i < b.updates.Lead.length; i++) if (b.updates.Lead.value(i, 'OwnerId') !== undefined) s.recycled++;
      for (const rows of b.stamps.values()) s.stamped += rows.length;
      for (const p of b.alerts) this.keep(p.escalations);
      for (const p of b.alerts) for (const c of p.crossings) this.onCrossing?.(c);
      return;
    }

    // 1. timers (new, changed, cancelled)
    const failedRecords = await this.sendTimers(b.timers);
    // the crossings whose timers are saved: what notifications hang off; and the breaches to escalate at the end
    for (const p of b.alerts) {
      if (failedRecords.has(p.id)) continue;
      for (const c of p.crossings) this.onCrossing?.(c);
      this.keep(p.escalations);
    }

    // 2. the records' status fields (after their timers, so a list view never shows a status without its timer)
    for (const object of ['Lead', 'Opportunity'] as const) {
      const rows = withoutRecords(b.updates[object], failedRecords);
      const res = await this.data.update(object, rows, { ids: false });
      res.forEach((r, i) => {
        if (r.success) {
          if (object === 'Lead') s.recordsUpdated.leads++;
          else s.recordsUpdated.opportunities++;
          if (rows.value(i, 'OwnerId') !== undefined) s.recycled++;
        } else if (r.errors[0]?.statusCode === 'CANNOT_UPDATE_CONVERTED_LEAD') {
          warnOnce(
            s,
            'converted leads cannot be updated by this user (grant "View and Edit Converted Leads"): their SLA Status is left as it was'
          );
        } else s.errors.push(`${object} ${String(rows.value(i, 'Id'))}: ${describeSaveError(r)}`);
      });
    }

    // 3. the submission stamps of feedback and reviews
    for (const [sobject, rows] of b.stamps) {
      const res = await this.data.update(sobject, rows, { ids: false });
      res.forEach((r, i) => {
        if (r.success) s.stamped++;
        else s.errors.push(`${sobject} ${String(rows.value(i, 'Id'))}: ${describeSaveError(r)}`);
      });
    }
  }

  /** Upserts the batch's timers; the Ids of the records whose timers failed. */
  private async sendTimers(upserts: RecordRows): Promise<Set<string>> {
    const results = await this.data.upsert('SLA_Timer__c', 'Timer_Key__c', upserts, { ids: false });
    const failedRecords = new Set<string>();
    results.forEach((r, i) => {
      if (r.success) return;
      const key = upserts.value(i, 'Timer_Key__c') as string;
      failedRecords.add(key.slice(0, key.indexOf(':')));
      this.summary.errors.push(`SLA_Timer__c ${key}: ${describeSaveError(r)}`);
    });
    return failedRecords;
  }

  private keep(escalations: readonly Escalation[]): void {
    for (const e of escalations) if (!this.breaches.has(e.timer.key)) this.breaches.set(e.timer.key, e);
  }

  /**
   * Escalates the breaches kept since the last call (after the run's last flush): their tasks and Escalated__c
   * flags, each in one write; a dry run counts the tasks it would create, from the same reads.
   */
  async escalate(): Promise<void> {
    const due = [...this.breaches.values()];
    this.breaches.clear();
    if (due.length === 0) return;
    const s = this.summary;
    const opts: EscalationOptions = {
      now: this.now,
      users: this.users,
      tasksSince: this.tasksSince,
      timeZoneOf: (e) => this.setup.calendarOf.get(e.policy.developerName)?.calendar.timeZone ?? 'UTC'
    };
    if (this.dryRun) {
      const planned = await planEscalations(this.data, due, opts);
      s.escalations.timers += due.length;
      s.escalations.userTasks += planned.tasks.filter((t) => t.audience === 'user').length;
      s.escalations.managerTasks += planned.tasks.filter((t) => t.audience === 'manager').length;
      s.escalations.withoutManager += planned.withoutManager;
      return;
    }
    const out = await escalate(this.data, due, opts);
    s.escalations.timers += out.escalated;
    s.escalations.userTasks += out.userTasks;
    s.escalations.managerTasks += out.managerTasks;
    s.escalations.withoutManager += out.withoutManager;
    s.errors.push(...out.errors);
  }
}

/** The record updates whose record is not one of `ids` (those whose timers failed). */
function withoutRecords(updates: RecordRows, ids: ReadonlySet<string>): RecordRows {
  if (ids.size === 0) return updates;
  return new RecordRows(updates.slice(0, updates.length).filter((u) => !ids.has(u.Id as string)));
}

export function warnOnce(s: SyncSummary, warning: string): void {
  if (!s.warnings.includes(warning)) s.warnings.push(warning);
}
