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

type Writes = Pick<RecordPlan, 'timerUpserts' | 'recordUpdate' | 'childUpdates'>;

/**
 * What a plan leaves for its writes: the record's object and Id, not the record (its row, history and facts), and
 * its writes as one JSON text, so a large batch of plans waiting for one Bulk ingest job holds about a kilobyte a
 * record: the writes' values as objects, each holding the text it was read from, took four times that. They are
 * decoded when the batch is sent. Escalations and crossings — few — name their record (RecordRef).
 */
interface PendingWrites extends Pick<RecordPlan, 'escalations' | 'crossings'> {
  object: RecordPlan['record']['object'];
  id: string;
  writes: string;
}

/** The writes a plan left (values that JSON does not carry are not in a plan's writes: text, numbers, booleans, null). */
function decode({ writes, ...p }: PendingWrites): Writes & Omit<PendingWrites, 'writes'> {
  return { ...p, ...(JSON.parse(writes) as Writes) };
}

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
    const writes: Writes = { timerUpserts: plan.timerUpserts, recordUpdate: plan.recordUpdate, childUpdates: plan.childUpdates };
    this.plans.push({
      object: plan.record.object,
      id: ownCopy(plan.record.id),
      writes: JSON.stringify(writes),
      escalations: plan.escalations,
      crossings: plan.crossings
    });
  }

  async flush(): Promise<void> {
    const pending = this.plans;
    this.plans = [];
    if (pending.length === 0) return;
    // each text let go once decoded
    const plans = pending.map((p, i, all) => {
      delete all[i];
      return decode(p);
    });
    const s = this.summary;
    const updates = { Lead: [] as Record<string, unknown>[], Opportunity: [] as Record<string, unknown>[] };
    for (const p of plans) if (p.recordUpdate) updates[p.object].push(p.recordUpdate);
    const stamps = plans.flatMap((p) => p.childUpdates);
    if (this.dryRun) {
      s.recordsUpdated.leads += updates.Lead.length;
      s.recordsUpdated.opportunities += updates.Opportunity.length;
      s.recycled += updates.Lead.filter((u) => u.OwnerId !== undefined).length;
      s.stamped += stamps.length;
      for (const p of plans) this.keep(p.escalations);
      for (const p of plans) for (const c of p.crossings) this.onCrossing?.(c);
      return;
    }

    // 1. timers (new, changed, cancelled)
    const upserts = plans.flatMap((p) => p.timerUpserts);
    const results = await this.data.upsert('SLA_Timer__c', 'Timer_Key__c', upserts, { ids: false });
    const failedRecords = new Set<string>();
    results.forEach((r, i) => {
      if (r.success) return;
      const key = upserts[i].Timer_Key__c as string;
      failedRecords.add(key.slice(0, key.indexOf(':')));
      s.errors.push(`SLA_Timer__c ${key}: ${describeSaveError(r)}`);
    });
    // the crossings whose timers are saved: what notifications hang off; and the breaches to escalate at the end
    for (const p of plans) {
      if (failedRecords.has(p.id)) continue;
      for (const c of p.crossings) this.onCrossing?.(c);
      this.keep(p.escalations);
    }

    // 2. the records' status fields (after their timers, so a list view never shows a status without its timer)
    for (const object of ['Lead', 'Opportunity'] as const) {
      const rows = updates[object].filter((u) => !failedRecords.has(u.Id as string));
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
      const rows = stamps.filter((c) => c.sobject === sobject).map((c) => c.record);
      const res = await this.data.update(sobject, rows, { ids: false });
      res.forEach((r, i) => {
        if (r.success) s.stamped++;
        else s.errors.push(`${sobject} ${String(rows[i].Id)}: ${describeSaveError(r)}`);
      });
    }
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
