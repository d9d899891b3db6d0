/** What a sync run reports (`closed-loop sla sync` prints it; `--json` as it is), and its error. */
import type { TimerStatus } from './clock';

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
  /** nothing changed since the last run: nothing was read but the change probes, nothing written, the sync state kept */
  quiet: boolean;
  /** live records read and evaluated */
  records: { leads: number; opportunities: number };
  /** deleted records read (from the recycle bin) to cancel their timers */
  deletedRecords: { leads: number; opportunities: number };
  timers: { created: number; updated: number; cancelled: number; unchanged: number };
  /** statuses of the timers of the records read */
  statuses: Record<TimerStatus, number>;
  met: number;
  breached: number;
  /** open timers that crossed their warning (Running → At Risk) or due time (→ Breached) since the last evaluation */
  crossed: { atRisk: number; breached: number };
  recordsUpdated: { leads: number; opportunities: number };
  /** recycled leads handed to the nurture queue (a dry run: that would be) */
  recycled: number;
  /** leads handed over because their clock stayed breached past the policy's delay (a dry run: that would be) */
  reassigned: number;
  /** feedback and reviews given their Submitted_At__c (and a feedback its source and campaign snapshot) */
  stamped: number;
  /** a dry run counts the tasks it would create */
  escalations: { timers: number; userTasks: number; managerTasks: number; withoutManager: number };
  /**
   * SLA notifications (custom notifications, syncNotify.ts) sent for crossings — alerts one by one and digests — and
   * those the org refused (a dry run: would send); `digests` of those sent were digests, summing up `digested`
   * crossings beyond the alerts each recipient gets one by one in a run (a refused digest's crossings are not
   * counted there: they are in `crossed` and have their escalation tasks)
   */
  notifications: { sent: number; failed: number; digests: number; digested: number };
  calendars: { mirrored: number; unchanged: number };
  /** HTTP requests made to the org (every one: queries, composite, writes, Bulk API jobs) */
  apiCalls: number;
  /** write requests made and the records they carried (the sync state included) */
  writes: { requests: number; records: number };
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

/** A summary with nothing counted yet. */
export function emptySummary(head: Pick<SyncSummary, 'mode' | 'reason' | 'dryRun' | 'now' | 'since' | 'warnings'>): SyncSummary {
  return {
    ...head,
    watermark: null,
    quiet: false,
    records: { leads: 0, opportunities: 0 },
    deletedRecords: { leads: 0, opportunities: 0 },
    timers: { created: 0, updated: 0, cancelled: 0, unchanged: 0 },
    statuses: Object.fromEntries(STATUSES.map((s) => [s, 0])) as Record<TimerStatus, number>,
    met: 0,
    breached: 0,
    crossed: { atRisk: 0, breached: 0 },
    recordsUpdated: { leads: 0, opportunities: 0 },
    recycled: 0,
    reassigned: 0,
    stamped: 0,
    escalations: { timers: 0, userTasks: 0, managerTasks: 0, withoutManager: 0 },
    notifications: { sent: 0, failed: 0, digests: 0, digested: 0 },
    calendars: { mirrored: 0, unchanged: 0 },
    apiCalls: 0,
    writes: { requests: 0, records: 0 },
    elapsedMs: 0,
    errors: []
  };
}
