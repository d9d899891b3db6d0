/**
 * `closed-loop sla sync`: turns what happened in the org into SLA_Timer__c records (see docs/sla-sync.md).
 *
 * One run: read the setup (active policies, validated against the org's statuses, business hours and the
 * nurture queue; nothing is written when one is invalid) and the sync state, together in one composite
 * request; decide full or incremental; for an incremental run, find what changed (syncChanges.ts: the change
 * probes, two more composite requests — a quiet org costs these three calls and writes nothing, however much
 * time passed); then, a page of records at a time, evaluate the clock rules (scripts/sla/clock.ts), the lead
 * fields that go with them (scripts/sla/clockLead.ts) and the funnel stages (scripts/sla/funnelStages.ts) and
 * write only what changed (syncWriter.ts) — timers (upsert on Timer_Key__c; only what a milestone fixes, never
 * what time moves: SlaTimer.recorded), the record's status, kept and funnel fields (a recycled lead's owner:
 * the nurture queue), the submission stamps of feedback and reviews, escalation tasks —; cancel the timers of
 * records deleted for good; and finally, if every write succeeded and the run read or wrote anything, save
 * the sync state. Every write is idempotent, so a run that stops anywhere and is started again ends in the
 * same state.
 *
 * It runs as the integration user with the Closed_Loop_Sync permission set: the only identity that writes
 * what the SLA measures (docs/admin-guide.md, step 7).
 */
import type { Connection } from 'jsforce';
import { OrgData, ownCopy } from '../org/data';
import type { BulkClient, OrgDataOptions } from '../org/data';
import { parseInstant, SlaInputError, tierFromRecord } from './clock';
import type { SlaObject, SlaPolicy } from './clock';
import { leadFields } from './clockLead';
import { funnelStages, LEAD_FUNNEL_FIELDS } from './funnelStages';
import { changedIds, changeProbes } from './syncChanges';
import type { ChangeWindow, ChangedIds } from './syncChanges';
import { mirrorCalendars } from './syncMirror';
import { Notifier } from './syncNotify';
import { cancelOrphans, orphanTimers } from './syncOrphans';
import { planRecord } from './syncPlan';
import type { PlanContext, RecordPlan, SyncRecord, TimerCrossing } from './syncPlan';
import { reassign, reassignmentDue, reassignQueueQuery } from './syncReassign';
import type { ReassignCandidate } from './syncReassign';
import { RecordReader } from './syncRecords';
import type { RecordPage } from './syncRecords';
import { readPolicyRecords, readSetup, recycleQueueQuery, SETUP_READS } from './syncSetup';
import type { PolicyRecord, SyncCalendar, SyncSetup } from './syncSetup';
import { SyncProgress } from './syncProgress';
import { readState, STATE_QUERY, writeState } from './syncState';
import { withBoundedHeapGrowth } from './heapGrowth';
import { emptySummary, SyncError } from './syncSummary';
import type { SyncSummary } from './syncSummary';
import { Writer } from './syncWriter';

export { SyncError } from './syncSummary';
export type { SyncSummary } from './syncSummary';
export type { TimerCrossing } from './syncPlan';

/**
 * How far before the stored watermark an incremental sync starts reading: the watermark is this machine's
 * clock when the last run started, so the overlap covers clock skew against the org and commits that land late.
 */
export const WATERMARK_OVERLAP_MS = 5 * 60_000;

/** Records evaluated before their writes are sent over REST only (writes go 200 a request). */
export const FLUSH_RECORDS = 2000;

/**
 * Records evaluated before their writes are sent when the data layer can write in Bulk (a bulk client is
 * attached): enough that each object's writes make one ingest job (a job costs a handful of requests, whatever
 * its size), also for an object read over REST pages, whose writes would otherwise go 2,000 records' worth at a
 * time in collections of 200. Only the writes are kept meanwhile, not the records: a line of text a write, about
 * its upload row (syncWriter.ts; about 600 bytes a record on a first sync), and each job's CSV is made from them
 * as it is uploaded (scripts/org/bulk2.ts). As large as one upload allows: a job's CSV stays under 100 MB
 * ("upload data that does not exceed 100 MB", of the 150 MB a request may carry once base64-encoded:
 * https://developer.salesforce.com/docs/platform/api-asynch/guide/upload-job-data.html), and a first sync writes
 * about 1.6 timers a record at about 280 bytes a CSV row, so 200,000 records' timers (about 90 MB) still go in one
 * job (a larger batch is split by the data layer); a million leads make six batches of jobs rather than eleven.
 */
export const BULK_FLUSH_RECORDS = 200_000;

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
   * Each timer that crossed its warning or due time since the last evaluation, once its new status is saved
   * (a dry run: once planned) — what notifications hang off.
   */
  onCrossing?: (crossing: TimerCrossing) => void;
  /** Bulk API 2.0 for large reads and writes (default: scripts/org/data/bulkClient.ts); `false`: REST only. */
  bulk?: BulkClient | false;
  /** Records above which a read or a write goes to a Bulk job (OrgDataOptions; 0 sends every large-enough one). */
  bulkQueryThreshold?: number;
  bulkIngestThreshold?: number;
  /**
   * The clock the watermark is taken from at the start of the run (default: this machine's clock). Tests pass
   * the local org's clock, which stamps SystemModstamp there.
   */
  clock?: () => number;
}

export async function runSync(conn: Connection, options: SyncOptions = {}): Promise<SyncSummary> {
  // garbage is collected sooner while the sync runs: its peak memory follows what it keeps (heapGrowth.ts)
  return withBoundedHeapGrowth(() => sync(conn, options));
}

async function sync(conn: Connection, options: SyncOptions): Promise<SyncSummary> {
  const started = Date.now();
  // everything stamped before this moment (less the overlap) is read by this run or an earlier one
  const runStart = options.clock ? options.clock() : started;
  const now = options.now === undefined ? runStart : parseInstant(options.now, 'now');
  const data = new OrgData(conn, {
    beforeWrite: options.beforeWrite,
    bulk: options.bulk,
    bulkQueryThreshold: options.bulkQueryThreshold,
    bulkIngestThreshold: options.bulkIngestThreshold
  });
  const dryRun = options.dryRun === true;

  // 1. the policies, statuses, stages, business hours and holidays, and the sync state: one composite request
  await data.prefetch([...SETUP_READS, { soql: STATE_QUERY }]);
  const policyRecords = await readPolicyRecords(data);
  const state = await readState(data);

  let since: number | null = null;
  let [mode, reason]: [SyncSummary['mode'], string] = ['incremental', 'the watermark of the last sync'];
  if (options.full) [mode, reason] = ['full', '--full'];
  else if (options.since !== undefined) {
    [mode, reason] = ['incremental', '--since'];
    since = parseInstant(options.since, '--since');
  } else if (state.watermark === null) [mode, reason] = ['full', 'first sync (no watermark in the org)'];
  else since = state.watermark - WATERMARK_OVERLAP_MS;

  // 2. the nurture queue a policy names and, for an incremental run, the change probes: one or two more
  const window: ChangeWindow | null =
    since === null
      ? null
      : {
          since,
          now,
          startedAfter: state.evaluatedAt ?? since,
          // --since reads everything again from the given instant, the sync's own writes too
          own:
            options.since === undefined && state.writtenBy && state.writtenAt !== null
              ? { userId: state.writtenBy, until: state.writtenAt }
              : null,
          recent: options.since === undefined ? state.recent : new Map()
        };
  const queue = recycleQueueQuery(policyRecords);
  const reassignQueues = reassignQueueQuery(reassigningPolicies(policyRecords));
  await data.prefetch([
    ...(queue ? [{ soql: queue }] : []),
    ...(reassignQueues ? [{ soql: reassignQueues }] : []),
    ...(window ? changeProbes(window) : [])
  ]);
  const setup = await readSetup(data, policyRecords);
  if (mode === 'incremental' && options.since === undefined && state.fingerprint !== setup.fingerprint) {
    [mode, reason, since] = ['full', 'the active policies, their calendars or the closed stages changed', null];
  }

  const summary = emptySummary({
    mode,
    reason,
    dryRun,
    now: new Date(now).toISOString(),
    since: since === null ? null : new Date(since).toISOString(),
    warnings: [...setup.warnings]
  });

  const changed: ChangedIds | null = since === null || !window ? null : await changedIds(data, window);
  const toRead = changed ? changed.Lead.size + changed.Opportunity.size : Infinity;
  const activePolicyNames = new Set([...setup.policies.Lead, ...setup.policies.Opportunity].map((p) => p.developerName));
  const seen = new Set<string>();
  let alerts: Notifier | null = null;
  if (toRead > 0) {
    const calendarIds = await mirrorCalendars(data, setup, now, dryRun, summary);
    const context = (object: SlaObject): PlanContext => ({
      policies: setup.policies[object],
      calendarFor: (p: SlaPolicy) => (setup.calendarOf.get(p.developerName) as SyncCalendar).calendar,
      calendarIdFor: (p: SlaPolicy) => calendarIds.get((setup.calendarOf.get(p.developerName) as SyncCalendar).businessHoursId) ?? null,
      activePolicyNames,
      now,
      lastEvaluatedAt: state.evaluatedAt
    });

    const reader = new RecordReader(
      data,
      { closed: setup.closedStages, won: setup.wonStages },
      { maxGraceMinutes: setup.maxGraceMinutes, criteriaFields: setup.criteriaFields }
    );
    const reassignments: ReassignCandidate[] = [];
    const policyOf = (name: string) => [...setup.policies.Lead, ...setup.policies.Opportunity].find((p) => p.developerName === name);
    const timeZoneOf = (p: SlaPolicy) => setup.calendarOf.get(p.developerName)?.calendar.timeZone ?? 'UTC';
    let notifier: Notifier | null = null;
    const writer = new Writer(data, summary, dryRun, now, setup, state.writtenAt, (crossing) => {
      notifier?.add(crossing);
      options.onCrossing?.(crossing);
    });
    notifier = new Notifier(data, summary, { dryRun, users: writer.users, timeZoneOf: (c) => timeZoneOf(c.policy) });
    alerts = notifier;
    const progress = new SyncProgress(options.onProgress);
    const sources = await progress.open(
      (['Lead', 'Opportunity'] as const).map((object) => ({
        key: object,
        pages: (changed ? reader.byIds(object, [...changed[object]]) : reader.all(object)) as AsyncGenerator<RecordPage>
      }))
    );
    for (const { key: object, pages } of sources) {
      const ctx = context(object);
      for await (const page of pages) {
        for (const record of page.records) {
          let plan: RecordPlan;
          // kept for the run: a copy, not a slice of the text the record was read from (ownCopy)
          seen.add(ownCopy(record.id.slice(0, 15)));
          try {
            if (object === 'Lead') record.derived = leadDerived(record, setup, now);
            plan = planRecord(record, ctx);
          } catch (err) {
            if (!(err instanceof SlaInputError)) throw err;
            summary.errors.push(err.message);
            continue;
          }
          writer.add(plan);
          const due = reassignmentDue(record, plan.timers, { ...ctx, policyOf });
          if (due) reassignments.push(due);
          // a deleted record is read to cancel its timers; it is not one of the records the sync measures
          const counts = record.deleted ? summary.deletedRecords : summary.records;
          if (object === 'Lead') counts.leads++;
          else counts.opportunities++;
        }
        if (writer.pending >= (data.bulkAttached ? BULK_FLUSH_RECORDS : FLUSH_RECORDS)) {
          await writer.flush();
          await notifier.send();
        }
        progress.advance(page.records.length);
      }
    }
    await writer.flush();
    progress.finish();

    // leads that stayed breached past their policy's delay: hand them over, then evaluate them again from the
    // org (their owner change is a history row like any other) so their timers follow the new owner now
    const moved = await reassign(data, reassignments, setup.reassignTargets, { now, dryRun, summary });
    if (moved.length > 0) {
      const ctx = context('Lead');
      for await (const page of reader.byIds('Lead', moved)) {
        for (const record of page.records) {
          record.derived = leadDerived(record, setup, now);
          writer.add(planRecord(record, ctx), { recount: false });
        }
      }
      await writer.flush();
    }
    // the run's breaches, escalated once now that every timer is saved
    await writer.escalate();
    // alerts for the timers that crossed Warn_At or Due_At in this run (reassigned leads' timers included), and
    // the digests of each recipient's crossings beyond their alerts
    await notifier.finish();
  }
  const orphans = changed ? changed.orphans : await orphanTimers(data);
  await cancelOrphans(data, orphans, summary, { dryRun, now, seen, activePolicyNames });

  // the state is saved by a run that read everything since the stored watermark, wrote without errors, and
  // did something: a quiet run leaves it (and so the next run's window) as it is
  const covered = since === null || (state.watermark !== null && state.fingerprint === setup.fingerprint && since <= state.watermark);
  summary.quiet = mode === 'incremental' && seen.size === 0 && data.writes === 0 && summary.errors.length === 0;
  if (!dryRun && summary.errors.length === 0 && covered && !summary.quiet) {
    const watermark = Math.max(runStart, state.watermark ?? 0);
    summary.watermark = new Date(watermark).toISOString();
    // the changes this run read that the next run's overlap reads again
    const recent = new Map([...(changed?.seen ?? [])].filter(([, at]) => at > watermark - WATERMARK_OVERLAP_MS - 1000));
    summary.apiCalls = data.requests + 1;
    summary.writes = { requests: data.writes + (alerts?.requests ?? 0) + 1, records: data.recordsWritten + (alerts?.inputs ?? 0) + 1 };
    summary.elapsedMs = Date.now() - started;
    await writeState(data, { watermark, evaluatedAt: now, fingerprint: setup.fingerprint, recent }, summary);
  } else if (!covered && !dryRun) {
    summary.warnings.push('the watermark was not advanced: --since is later than the stored watermark, or policies changed since it');
  }
  summary.apiCalls = data.requests;
  summary.writes = { requests: data.writes + (alerts?.requests ?? 0), records: data.recordsWritten + (alerts?.inputs ?? 0) };
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

/** The reassignment settings of the active Lead policy records that parse (for the query sent with the run's reads). */
function reassigningPolicies(records: readonly PolicyRecord[]): Array<Pick<SlaPolicy, 'object' | 'reassign'>> {
  return records.flatMap((r) => {
    if (r.Active__c !== true || r.Object__c !== 'Lead') return [];
    try {
      return [{ object: 'Lead' as const, reassign: tierFromRecord(r).reassign }];
    } catch {
      return []; // readSetup reports it
    }
  });
}
