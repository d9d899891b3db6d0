/**
 * `closed-loop sla sync`: turns what happened in the org into SLA_Timer__c records (see docs/sla-sync.md).
 *
 * One run: read the setup (active policies, validated against the org's statuses, business hours and the
 * nurture queue; nothing is written when one is invalid) and the sync state; decide full or incremental;
 * mirror the calendars the policies use into SLA_Calendar__c; then, a page of records at a time, evaluate the
 * clock rules (scripts/sla/clock.ts), the lead fields that go with them (scripts/sla/clockLead.ts) and the
 * funnel stages (scripts/sla/funnelStages.ts) and write only what changed — timers (upsert on Timer_Key__c),
 * the record's status, kept and funnel fields (a recycled lead's owner: the nurture queue), the submission
 * stamps of feedback and reviews, escalation tasks —; cancel the timers of records deleted for good; and
 * finally, if every write succeeded, advance the watermark. Every write is idempotent, so a run that stops
 * anywhere and is started again ends in the same state.
 *
 * It runs as the integration user with the Closed_Loop_Sync permission set: the only identity that writes
 * what the SLA measures (docs/admin-guide.md, step 7).
 */
import type { Connection } from 'jsforce';
import { parseInstant, SlaInputError } from './clock';
import type { SlaObject, SlaPolicy, TimerStatus } from './clock';
import { leadFields } from './clockLead';
import { funnelStages, LEAD_FUNNEL_FIELDS } from './funnelStages';
import { OrgData } from './orgData';
import type { OrgDataOptions, OrgRecord, SaveResult } from './orgData';
import { escalate, planEscalations, UserCache } from './syncEscalation';
import { cancellation, planRecord, TIMER_FIELDS } from './syncPlan';
import type { Escalation, PlanContext, RecordPlan, SyncRecord, TimerRow } from './syncPlan';
import { chunked, soqlList } from './orgData';
import { changedIds, IDS_PER_QUERY, RecordReader } from './syncRecords';
import type { RecordPage } from './syncRecords';
import { readSetup } from './syncSetup';
import type { SyncCalendar, SyncSetup } from './syncSetup';
import { readState, writeState } from './syncState';

/**
 * How far before the stored watermark an incremental sync starts reading: the watermark is this machine's
 * clock when the last run started, so the overlap covers clock skew against the org and commits that land late.
 */
export const WATERMARK_OVERLAP_MS = 5 * 60_000;

/** Records evaluated before their writes are sent (writes go 200 a request). */
export const FLUSH_RECORDS = 2000;

export interface SyncOptions {
  /** the instant to evaluate the clocks at (default: the system clock at the start of the run) */
  now?: Date | string | number;
  /** read changes after this instant instead of after the stored watermark */
  since?: Date | string | number;
  /** re-evaluate every lead and opportunity */
  full?: boolean;
  /** compute and report, write nothing */
  dryRun?: boolean;
  onProgress?: (done: number, total: number) => void;
  /** runs before every write request (tests stop a sync midway with it) */
  beforeWrite?: OrgDataOptions['beforeWrite'];
  /**
   * The clock the watermark is taken from at the start of the run (default: this machine's clock). Tests pass
   * the local org's clock, which stamps SystemModstamp there.
   */
  clock?: () => number;
}

export interface SyncSummary {
  mode: 'full' | 'incremental';
  /** why this mode */
  reason: string;
  dryRun: boolean;
  /** the instant the clocks were evaluated at */
  now: string;
  /** incremental: changes after this instant were read */
  since: string | null;
  /** the watermark stored for the next run (null when this run did not advance it) */
  watermark: string | null;
  records: { leads: number; opportunities: number };
  timers: { created: number; updated: number; cancelled: number; unchanged: number };
  /** statuses of the timers of the records read */
  statuses: Record<TimerStatus, number>;
  met: number;
  breached: number;
  recordsUpdated: { leads: number; opportunities: number };
  /** recycled leads handed to the nurture queue (a dry run: that would be) */
  recycled: number;
  /** feedback and reviews given their Submitted_At__c (and a feedback its source and campaign snapshot) */
  stamped: number;
  /** a dry run counts the tasks it would create */
  escalations: { timers: number; userTasks: number; managerTasks: number; withoutManager: number };
  calendars: { mirrored: number; unchanged: number };
  /** HTTP requests made to the org */
  apiCalls: number;
  elapsedMs: number;
  warnings: string[];
  errors: string[];
}

/** A run that could not write everything: the summary says what it did; the watermark was not advanced. */
export class SyncError extends Error {
  override readonly name = 'SyncError';
  constructor(
    message: string,
    readonly summary: SyncSummary
  ) {
    super(message);
  }
}

const STATUSES: readonly TimerStatus[] = ['Running', 'At Risk', 'Paused', 'Met', 'Breached', 'Cancelled'];

export async function runSync(conn: Connection, options: SyncOptions = {}): Promise<SyncSummary> {
  const started = Date.now();
  // everything stamped before this moment (less the overlap) is read by this run or an earlier one
  const runStart = options.clock ? options.clock() : started;
  const now = options.now === undefined ? runStart : parseInstant(options.now, 'now');
  const data = new OrgData(conn, { beforeWrite: options.beforeWrite });
  const dryRun = options.dryRun === true;

  const setup = await readSetup(data);
  const state = await readState(data);

  let mode: SyncSummary['mode'];
  let reason: string;
  let since: number | null = null;
  if (options.full) [mode, reason] = ['full', '--full'];
  else if (options.since !== undefined) {
    [mode, reason] = ['incremental', '--since'];
    since = parseInstant(options.since, '--since');
  } else if (state.watermark === null) [mode, reason] = ['full', 'first sync (no watermark in the org)'];
  else if (state.fingerprint !== setup.fingerprint)
    [mode, reason] = ['full', 'the active policies, their calendars or the closed stages changed'];
  else {
    [mode, reason] = ['incremental', 'the watermark of the last sync'];
    since = state.watermark - WATERMARK_OVERLAP_MS;
  }

  const summary: SyncSummary = {
    mode,
    reason,
    dryRun,
    now: new Date(now).toISOString(),
    since: since === null ? null : new Date(since).toISOString(),
    watermark: null,
    records: { leads: 0, opportunities: 0 },
    timers: { created: 0, updated: 0, cancelled: 0, unchanged: 0 },
    statuses: Object.fromEntries(STATUSES.map((s) => [s, 0])) as Record<TimerStatus, number>,
    met: 0,
    breached: 0,
    recordsUpdated: { leads: 0, opportunities: 0 },
    recycled: 0,
    stamped: 0,
    escalations: { timers: 0, userTasks: 0, managerTasks: 0, withoutManager: 0 },
    calendars: { mirrored: 0, unchanged: 0 },
    apiCalls: 0,
    elapsedMs: 0,
    warnings: [...setup.warnings],
    errors: []
  };

  const changed = since === null ? null : await changedIds(data, since, now, state.evaluatedAt);

  const calendarIds = await mirrorCalendars(data, setup, now, dryRun, summary);
  const activePolicyNames = new Set([...setup.policies.Lead, ...setup.policies.Opportunity].map((p) => p.developerName));
  const context = (object: SlaObject): PlanContext => ({
    policies: setup.policies[object],
    calendarFor: (p: SlaPolicy) => (setup.calendarOf.get(p.developerName) as SyncCalendar).calendar,
    calendarIdFor: (p: SlaPolicy) => calendarIds.get((setup.calendarOf.get(p.developerName) as SyncCalendar).businessHoursId) ?? null,
    activePolicyNames,
    now,
    lastEvaluatedAt: state.evaluatedAt
  });

  const reader = new RecordReader(data, { closed: setup.closedStages, won: setup.wonStages }, { maxGraceMinutes: setup.maxGraceMinutes });
  const seen = new Set<string>();
  const writer = new Writer(data, summary, dryRun, now, setup);
  const progress = { done: 0, total: changed ? changed.Lead.size + changed.Opportunity.size : 0 };
  for (const object of ['Lead', 'Opportunity'] as const) {
    const pages: AsyncGenerator<RecordPage> = changed ? reader.byIds(object, [...changed[object]]) : reader.all(object);
    let first = true;
    const ctx = context(object);
    for await (const page of pages) {
      if (!changed && first) progress.total += page.totalSize;
      first = false;
      for (const record of page.records) {
        let plan: RecordPlan;
        seen.add(record.id.slice(0, 15));
        try {
          if (object === 'Lead') record.derived = leadDerived(record, setup, now);
          plan = planRecord(record, ctx);
        } catch (err) {
          if (!(err instanceof SlaInputError)) throw err;
          summary.errors.push(err.message);
          continue;
        }
        writer.add(plan);
        if (object === 'Lead') summary.records.leads++;
        else summary.records.opportunities++;
      }
      if (writer.pending >= FLUSH_RECORDS) await writer.flush();
      progress.done += page.records.length;
      options.onProgress?.(progress.done, progress.total);
    }
  }
  await writer.flush();
  await cancelOrphans(data, summary, dryRun, now, seen, activePolicyNames);

  // the watermark advances only after a run that read everything since the stored one and wrote without errors
  const covered = since === null || (state.watermark !== null && state.fingerprint === setup.fingerprint && since <= state.watermark);
  if (!dryRun && summary.errors.length === 0 && covered) {
    const watermark = Math.max(runStart, state.watermark ?? 0);
    summary.watermark = new Date(watermark).toISOString();
    summary.apiCalls = data.requests + 1;
    summary.elapsedMs = Date.now() - started;
    await writeState(data, { watermark, evaluatedAt: now, fingerprint: setup.fingerprint }, summary);
  } else if (!covered && !dryRun) {
    summary.warnings.push('the watermark was not advanced: --since is later than the stored watermark, or policies changed since it');
  }
  summary.apiCalls = data.requests;
  summary.elapsedMs = Date.now() - started;
  if (summary.errors.length > 0) {
    throw new SyncError(
      `${summary.errors.length} problem${summary.errors.length === 1 ? '' : 's'} while syncing (the watermark was not advanced; the next sync retries): ${summary.errors[0]}`,
      summary
    );
  }
  return summary;
}

/**
 * The lead fields the sync keeps: the funnel fields (funnelStages.ts, when a Lead policy is active) and the
 * quality rating, recycle count and nurture-queue owner (clockLead.ts) — their values now and the values
 * they should have.
 */
function leadDerived(record: SyncRecord, setup: SyncSetup, now: number): NonNullable<SyncRecord['derived']> {
  const row = record.row ?? {};
  const wanted: Record<string, unknown> = {};
  if (setup.funnel) {
    Object.assign(
      wanted,
      funnelStages({
        facts: record.facts,
        statuses: setup.funnel.statuses,
        calendar: setup.funnel.calendar,
        opportunity: record.convertedOpportunity ?? null,
        now
      })
    );
  }
  Object.assign(
    wanted,
    leadFields({
      lead: {
        Id: record.id,
        Status: (row.Status as string | null) ?? null,
        OwnerId: (row.OwnerId as string | null) ?? null,
        IsConverted: record.converted,
        IsDeleted: record.deleted
      },
      history: record.history ?? [],
      feedback: record.feedback ?? [],
      recycle: setup.recycle
    })
  );
  const current = Object.fromEntries([...LEAD_FUNNEL_FIELDS, ...Object.keys(wanted)].map((f) => [f, row[f] ?? null]));
  return { current, wanted };
}

/**
 * Timers whose record was deleted for good (emptied from the recycle bin before a sync saw it: its lookups
 * were cleared and the record is gone from queryAll) become Cancelled like those of any deleted record.
 * One query when there are none.
 */
async function cancelOrphans(
  data: OrgData,
  summary: SyncSummary,
  dryRun: boolean,
  now: number,
  seen: ReadonlySet<string>,
  activePolicyNames: ReadonlySet<string>
): Promise<void> {
  const rows = await data.all<TimerRow & OrgRecord>(
    `SELECT ${TIMER_FIELDS.join(', ')} FROM SLA_Timer__c WHERE Lead__c = null AND Opportunity__c = null AND Status__c != 'Cancelled'`,
    { max: 1_000_000 }
  );
  const recordOf = (t: TimerRow) => t.Timer_Key__c.slice(0, t.Timer_Key__c.indexOf(':'));
  const candidates = rows.filter((t) => !seen.has(recordOf(t).slice(0, 15)));
  if (candidates.length === 0) return;
  const alive = new Set<string>();
  for (const [sobject, prefix] of [
    ['Lead', '00Q'],
    ['Opportunity', '006']
  ] as const) {
    const ids = [...new Set(candidates.map(recordOf).filter((id) => id.startsWith(prefix)))];
    for (const chunk of chunked(ids, IDS_PER_QUERY)) {
      for (const r of await data.all<OrgRecord>(`SELECT Id FROM ${sobject} WHERE Id IN ${soqlList(chunk)}`, { includeDeleted: true })) {
        alive.add(String(r.Id).slice(0, 15));
      }
    }
  }
  const upserts = candidates
    .filter((t) => !alive.has(recordOf(t).slice(0, 15)))
    .map((t) => cancellation(t, { now, activePolicyNames }, true))
    .filter((u): u is Record<string, unknown> => u !== null);
  summary.timers.cancelled += upserts.length;
  if (dryRun || upserts.length === 0) return;
  const results = await data.upsert('SLA_Timer__c', 'Timer_Key__c', upserts);
  results.forEach((r, i) => {
    if (!r.success) summary.errors.push(`SLA_Timer__c ${String(upserts[i].Timer_Key__c)}: ${describeError(r)}`);
  });
}

/** Upserts the SLA_Calendar__c mirror of each calendar a policy uses (when it changed); returns BusinessHours Id → SLA_Calendar__c Id. */
async function mirrorCalendars(
  data: OrgData,
  setup: SyncSetup,
  now: number,
  dryRun: boolean,
  summary: SyncSummary
): Promise<Map<string, string>> {
  const ids = new Map<string, string>();
  if (setup.calendars.size === 0) return ids;
  const existing = await data.all<OrgRecord & { Business_Hours_Id__c: string; Name: string; Definition__c: string | null }>(
    `SELECT Id, Name, Business_Hours_Id__c, Definition__c FROM SLA_Calendar__c WHERE Business_Hours_Id__c IN (${[...setup.calendars.keys()]
      .map((id) => `'${id}'`)
      .join(',')})`
  );
  const byBh = new Map(existing.map((r) => [r.Business_Hours_Id__c.slice(0, 15), r]));
  const writes: Record<string, unknown>[] = [];
  for (const cal of setup.calendars.values()) {
    const row = byBh.get(cal.businessHoursId.slice(0, 15));
    if (row) ids.set(cal.businessHoursId, row.Id as string);
    const name = cal.name.slice(0, 80);
    if (row && row.Definition__c === cal.definitionJson && row.Name === name) {
      summary.calendars.unchanged++;
      continue;
    }
    writes.push({
      Business_Hours_Id__c: cal.businessHoursId,
      Name: name,
      Definition__c: cal.definitionJson,
      Synced_At__c: new Date(now).toISOString()
    });
  }
  summary.calendars.mirrored = writes.length;
  if (dryRun || writes.length === 0) return ids;
  const results = await data.upsert('SLA_Calendar__c', 'Business_Hours_Id__c', writes);
  results.forEach((r, i) => {
    const bh = writes[i].Business_Hours_Id__c as string;
    if (r.success && r.id) ids.set(bh, r.id);
    else summary.errors.push(`SLA_Calendar__c for BusinessHours ${bh}: ${describeError(r)}`);
  });
  if (summary.errors.length > 0) {
    throw new SyncError(`could not mirror the business hours into SLA_Calendar__c: ${summary.errors[0]}`, summary);
  }
  return ids;
}

function describeError(r: SaveResult): string {
  const e = r.errors[0];
  return e ? `${e.statusCode}: ${e.message}` : 'not saved';
}

/** Collects the plans of a page of records and sends their writes in order: timers, records, escalations. */
class Writer {
  private plans: RecordPlan[] = [];
  private readonly users = new UserCache();

  constructor(
    private readonly data: OrgData,
    private readonly summary: SyncSummary,
    private readonly dryRun: boolean,
    private readonly now: number,
    private readonly setup: SyncSetup
  ) {}

  get pending(): number {
    return this.plans.length;
  }

  add(plan: RecordPlan): void {
    const s = this.summary;
    const existing = new Set(plan.record.timers.map((t) => t.Timer_Key__c));
    const changedKeys = new Set(plan.timerUpserts.map((u) => u.Timer_Key__c as string));
    for (const t of plan.timers) {
      s.statuses[t.status]++;
      if (!existing.has(t.key)) s.timers.created++;
      else if (changedKeys.has(t.key)) s.timers.updated++;
      else s.timers.unchanged++;
    }
    s.timers.cancelled += plan.cancelled;
    s.met = s.statuses.Met;
    s.breached = s.statuses.Breached;
    this.plans.push(plan);
  }

  async flush(): Promise<void> {
    const plans = this.plans;
    this.plans = [];
    if (plans.length === 0) return;
    const s = this.summary;
    const escalations: Escalation[] = plans.flatMap((p) => p.escalations);
    const updates = { Lead: [] as Record<string, unknown>[], Opportunity: [] as Record<string, unknown>[] };
    for (const p of plans) if (p.recordUpdate) updates[p.record.object].push(p.recordUpdate);
    const stamps = plans.flatMap((p) => p.childUpdates);
    const timeZoneOf = (e: Escalation) => this.setup.calendarOf.get(e.policy.developerName)?.calendar.timeZone ?? 'UTC';
    if (this.dryRun) {
      s.recordsUpdated.leads += updates.Lead.length;
      s.recordsUpdated.opportunities += updates.Opportunity.length;
      s.recycled += updates.Lead.filter((u) => u.OwnerId !== undefined).length;
      s.stamped += stamps.length;
      // what a real run would create: the same reads, no writes
      const planned = await planEscalations(this.data, escalations, { now: this.now, users: this.users, timeZoneOf });
      s.escalations.timers += escalations.length;
      s.escalations.userTasks += planned.tasks.filter((t) => t.audience === 'user').length;
      s.escalations.managerTasks += planned.tasks.filter((t) => t.audience === 'manager').length;
      s.escalations.withoutManager += planned.withoutManager;
      return;
    }

    // 1. timers (new, changed, cancelled)
    const upserts = plans.flatMap((p) => p.timerUpserts);
    const results = await this.data.upsert('SLA_Timer__c', 'Timer_Key__c', upserts);
    const failedRecords = new Set<string>();
    results.forEach((r, i) => {
      if (r.success) return;
      const key = upserts[i].Timer_Key__c as string;
      failedRecords.add(key.slice(0, key.indexOf(':')));
      s.errors.push(`SLA_Timer__c ${key}: ${describeError(r)}`);
    });

    // 2. the records' status fields (after their timers, so a list view never shows a status without its timer)
    for (const object of ['Lead', 'Opportunity'] as const) {
      const rows = updates[object].filter((u) => !failedRecords.has(u.Id as string));
      const res = await this.data.update(object, rows);
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
        } else s.errors.push(`${object} ${String(rows[i].Id)}: ${describeError(r)}`);
      });
    }

    // 3. the submission stamps of feedback and reviews
    for (const sobject of ['Lead_Quality_Feedback__c', 'Win_Loss_Review__c']) {
      const rows = stamps.filter((c) => c.sobject === sobject).map((c) => c.record);
      const res = await this.data.update(sobject, rows);
      res.forEach((r, i) => {
        if (r.success) s.stamped++;
        else s.errors.push(`${sobject} ${String(rows[i].Id)}: ${describeError(r)}`);
      });
    }

    // 4. escalations of breaches whose timers were saved
    const due = escalations.filter((e) => !failedRecords.has(e.record.id));
    const out = await escalate(this.data, due, { now: this.now, users: this.users, timeZoneOf });
    s.escalations.timers += out.escalated;
    s.escalations.userTasks += out.userTasks;
    s.escalations.managerTasks += out.managerTasks;
    s.escalations.withoutManager += out.withoutManager;
    s.errors.push(...out.errors);
  }
}

function warnOnce(s: SyncSummary, warning: string): void {
  if (!s.warnings.includes(warning)) s.warnings.push(warning);
}
