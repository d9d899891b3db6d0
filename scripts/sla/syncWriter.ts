/**
 * The sync's writes for a batch of evaluated records, in order: timers (new, changed, cancelled), the
 * records' status and kept fields, the submission stamps of feedback and reviews. The escalations of breaches
 * whose timers were saved are kept for the end of the run (`escalate`): one read of what they need and one
 * write of tasks and of Escalated__c flags for the whole run, however many batches it took. A dry run counts
 * what it would write, from reads only.
 */
import { describeSaveError, ownCopy } from '../org/data';
import type { OrgData } from '../org/data';
import type { SyncSummary } from './syncSummary';
import { escalate, planEscalations, UserCache } from './syncEscalation';
import type { EscalationOptions } from './syncEscalation';
import type { Escalation, RecordPlan, TimerCrossing } from './syncPlan';
import type { SyncSetup } from './syncSetup';

/**
 * What a plan leaves for its writes: the record's object and Id, not the record (its row, history and facts), and
 * its writes as JSON text, so a large batch of plans waiting for one Bulk ingest job holds about a kilobyte a
 * record: the writes' values as objects, each holding the text it was read from, took four times that. Each kind
 * of write is decoded when it is sent (timers, then records, then stamps), so a batch's writes are objects one
 * kind at a time. Escalations and crossings — few — name their record (RecordRef). JSON carries every value a
 * write has: text, numbers, booleans and null.
 */
interface PendingWrites extends Pick<RecordPlan, 'escalations' | 'crossings'> {
  object: RecordPlan['record']['object'];
  id: string;
  /** RecordPlan.timerUpserts, recordUpdate and childUpdates as JSON (null: none) */
  timers: string | null;
  update: string | null;
  stamps: string | null;
}

type Row = Record<string, unknown>;

const json = (v: unknown[] | Row | null): string | null => (v === null || (Array.isArray(v) && v.length === 0) ? null : JSON.stringify(v));

/** Collects the plans of a page of records and sends their writes in order: timers, records; escalations at the end. */
export class Writer {
  private plans: PendingWrites[] = [];
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
    return this.plans.length;
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
    this.plans.push({
      object: plan.record.object,
      id: ownCopy(plan.record.id),
      timers: json(plan.timerUpserts),
      update: json(plan.recordUpdate),
      stamps: json([...plan.childUpdates]),
      escalations: plan.escalations,
      crossings: plan.crossings
    });
  }

  /** The record updates of a batch's plans of one object. */
  private static updates(plans: readonly PendingWrites[], object: PendingWrites['object']): Row[] {
    return plans.flatMap((p) => (p.object === object && p.update !== null ? [JSON.parse(p.update) as Row] : []));
  }

  /** The feedback and review stamps of a batch's plans. */
  private static stamps(plans: readonly PendingWrites[]): RecordPlan['childUpdates'] {
    return plans.flatMap((p) => (p.stamps === null ? [] : (JSON.parse(p.stamps) as RecordPlan['childUpdates'])));
  }

  async flush(): Promise<void> {
    const plans = this.plans;
    this.plans = [];
    if (plans.length === 0) return;
    const s = this.summary;
    if (this.dryRun) {
      const leads = Writer.updates(plans, 'Lead');
      s.recordsUpdated.leads += leads.length;
      s.recordsUpdated.opportunities += Writer.updates(plans, 'Opportunity').length;
      s.recycled += leads.filter((u) => u.OwnerId !== undefined).length;
      s.stamped += Writer.stamps(plans).length;
      for (const p of plans) this.keep(p.escalations);
      for (const p of plans) for (const c of p.crossings) this.onCrossing?.(c);
      return;
    }

    // 1. timers (new, changed, cancelled)
    const failedRecords = await this.sendTimers(plans);
    // the crossings whose timers are saved: what notifications hang off; and the breaches to escalate at the end
    for (const p of plans) {
      if (failedRecords.has(p.id)) continue;
      for (const c of p.crossings) this.onCrossing?.(c);
      this.keep(p.escalations);
    }

    // 2. the records' status fields (after their timers, so a list view never shows a status without its timer)
    for (const object of ['Lead', 'Opportunity'] as const) {
      const rows = Writer.updates(plans, object).filter((u) => !failedRecords.has(u.Id as string));
      const res = await this.data.update(object, rows, { ids: false });
      res.forEach((r, i) => {
        if (r.success) {
          if (object === 'Lead') s.recordsUpdated.leads++;
          else s.recordsUpdated.opportunities++;
          if (rows[i].OwnerId !== undefined) s.recycled++;
        } else if (r.errors[0]?.statusCode === 'CANNOT_UPDATE_CONVERTED_LEAD') {
          warnOnce(
            s,
            'converted leads cannot be updated by this user (grant "View and Edit Converted Leads"): their SLA Status is left as it was'
          );
        } else s.errors.push(`${object} ${String(rows[i].Id)}: ${describeSaveError(r)}`);
      });
    }

    // 3. the submission stamps of feedback and reviews
    for (const sobject of ['Lead_Quality_Feedback__c', 'Win_Loss_Review__c']) {
      const rows = Writer.stamps(plans)
        .filter((c) => c.sobject === sobject)
        .map((c) => c.record);
      const res = await this.data.update(sobject, rows, { ids: false });
      res.forEach((r, i) => {
        if (r.success) s.stamped++;
        else s.errors.push(`${sobject} ${String(rows[i].Id)}: ${describeSaveError(r)}`);
      });
    }
  }

  /** Upserts the batch's timers; the Ids of the records whose timers failed. */
  private async sendTimers(plans: readonly PendingWrites[]): Promise<Set<string>> {
    const upserts = plans.flatMap((p) => (p.timers === null ? [] : (JSON.parse(p.timers) as Row[])));
    const results = await this.data.upsert('SLA_Timer__c', 'Timer_Key__c', upserts, { ids: false });
    const failedRecords = new Set<string>();
    results.forEach((r, i) => {
      if (r.success) return;
      const key = upserts[i].Timer_Key__c as string;
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

export function warnOnce(s: SyncSummary, warning: string): void {
  if (!s.warnings.includes(warning)) s.warnings.push(warning);
}
