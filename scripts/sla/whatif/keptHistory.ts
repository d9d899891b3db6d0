/**
 * The history a What-if page has read, kept between a manager's edits: reading it is most of a replay's time
 * (docs/sla-whatif.md#speed: ~22 s of a quarter of 100,000 leads), and only the evaluation depends on the edited
 * targets and hours. The reports server keeps one `HistoryKeeper`; each replay asks it for the
 * history of the connection the page reads as.
 *
 * - Keyed by whoever the page reads as: the connection's org and access token (hashed), so one user's figures
 *   are never answered to another's connection.
 * - Bounded: at most `maxEntries` histories (default 2; the oldest read is dropped first), each dropped
 *   `maxAgeMs` after it was read (default 10 minutes, on a timer, so a page left open does not hold a large org's
 *   history in memory).
 * - Not stale in a way a manager would notice: before a kept history is used, one cheap change probe asks the
 *   org whether anything the history reads has changed since (below); if anything did, or the probe fails, the
 *   history is read again. A probe is ten small queries sent together (two composite requests, against the
 *   read's ~80 API calls; 0.16–0.22 s at 100,000 leads on the local org), so an edit costs the evaluation.
 *
 * The probe (chosen over a short max age alone, which would show a manager an accepted lead only minutes later,
 * and over the sync's change queries, scripts/sla/syncChanges.ts, which return every changed row since a
 * watermark rather than one answer per object): per object the records come from, the newest SystemModstamp and
 * the number of rows (`MAX(SystemModstamp)`, `COUNT(Id)`: an insert or an edit moves the first, a delete lowers
 * the second) — Lead, Opportunity, Task, Event, Lead_Quality_Feedback__c, Win_Loss_Review__c and User (names and
 * managers); and the few rows of SLA_Policy__mdt (every field the setup reads: custom metadata takes no aggregate
 * or LIMIT, https://developer.salesforce.com/docs/platform/api-tooling/guide/reference-objects-soql-limits.html),
 * BusinessHours and Holiday (Id and SystemModstamp). Field history rows need no probe of their own: a history row
 * is written with a change of its record, which moves the record's SystemModstamp. The answers are compared with
 * those of the probe sent just before the history was read, so a change made while it was read reads it again.
 * What the probe does not see is bounded by the max age: the org's picklist values, closed stages and queues
 * (setup an admin rarely changes mid-session), the tier an SLA timer already follows (the sync decides it when its
 * record changes, which the probe sees), and an edit stamped in the same second as the newest one before the read
 * (Salesforce stamps whole seconds).
 */
import { createHash } from 'node:crypto';
import type { Connection } from 'jsforce';
import { OrgData, soql, soqlFields } from '../../org/data';
import type { OrgRecord, Soql } from '../../org/data';
import { POLICY_FIELDS } from '../syncSetup';
import { readHistory } from './history';
import type { History } from './history';

/** The objects whose newest SystemModstamp and row count say whether the history's records changed. */
const COUNTED = ['Lead', 'Opportunity', 'Task', 'Event', 'Lead_Quality_Feedback__c', 'Win_Loss_Review__c', 'User'] as const;

const PROBES: readonly Soql[] = [
  ...COUNTED.map((o) => soql`SELECT MAX(SystemModstamp) LastStamp, COUNT(Id) RowCount FROM ${soqlFields([o])}`),
  soql`SELECT ${soqlFields([...POLICY_FIELDS, 'SystemModstamp'])} FROM SLA_Policy__mdt ORDER BY DeveloperName`,
  soql`SELECT Id, SystemModstamp FROM BusinessHours ORDER BY Id`,
  soql`SELECT Id, SystemModstamp FROM Holiday ORDER BY Id`
];

/** How long a kept history is used at most, from when it was read. */
export const KEPT_HISTORY_MAX_AGE_MS = 10 * 60_000;

export interface KeptHistory {
  history: History;
  /** when the read began (this machine's clock) */
  readAt: Date;
  /** true when the history was read before this replay (kept), false when this replay read it */
  kept: boolean;
}

interface Entry {
  history: History;
  readAt: Date;
  /** the probe's answers just before the read (null: the probe failed, so the history is never reused) */
  version: string | null;
  timer: NodeJS.Timeout;
}

export interface HistoryKeeperOptions {
  /** histories kept at most (default 2) */
  maxEntries?: number;
  /** a kept history is dropped this long after it was read (default 10 minutes) */
  maxAgeMs?: number;
}

export class HistoryKeeper {
  private readonly entries = new Map<string, Entry>();
  /** reads under way, so replays asked for at once share one read */
  private readonly reading = new Map<string, Promise<Entry>>();
  private readonly maxEntries: number;
  /** how long a kept history is used at most, from when it was read */
  readonly maxAgeMs: number;

  constructor(options: HistoryKeeperOptions = {}) {
    this.maxEntries = Math.max(1, options.maxEntries ?? 2);
    this.maxAgeMs = options.maxAgeMs ?? KEPT_HISTORY_MAX_AGE_MS;
  }

  /** The history as the connection reads it: the kept one when the org has not changed since it was read. */
  async get(conn: Connection): Promise<KeptHistory> {
    const key = keyOf(conn);
    const pending = this.reading.get(key);
    if (pending) {
      const entry = await pending;
      return { history: entry.history, readAt: entry.readAt, kept: false };
    }
    const kept = this.entries.get(key);
    if (kept) {
      const version = await probe(conn);
      // the probe's await: another replay may have read (or dropped) it meanwhile
      if (version !== null && version === kept.version && this.entries.get(key) === kept) {
        return { history: kept.history, readAt: kept.readAt, kept: true };
      }
      this.drop(key, kept);
      // a replay asked for meanwhile may already be reading it
      const started = this.reading.get(key);
      if (started) {
        const entry = await started;
        return { history: entry.history, readAt: entry.readAt, kept: false };
      }
      // the org changed: read it again, as of the probe just sent
      return this.readShared(conn, key, version);
    }
    return this.readShared(conn, key);
  }

  /** Drops every kept history (the server closes). */
  clear(): void {
    for (const [key, entry] of [...this.entries]) this.drop(key, entry);
  }

  /** Reads the history, shared with the replays asked for while it is read. */
  private async readShared(conn: Connection, key: string, version?: string | null): Promise<KeptHistory> {
    const read = this.read(conn, key, version);
    this.reading.set(key, read);
    try {
      const entry = await read;
      return { history: entry.history, readAt: entry.readAt, kept: false };
    } finally {
      this.reading.delete(key);
    }
  }

  /** Reads the history; `probed`: the probe's answers just sent (else it is probed first). */
  private async read(conn: Connection, key: string, probed?: string | null): Promise<Entry> {
    const readAt = new Date();
    const version = probed === undefined ? await probe(conn) : probed;
    const history = await readHistory(conn);
    const timer = setTimeout(() => this.drop(key, entry), this.maxAgeMs);
    timer.unref();
    const entry: Entry = { history, readAt, version, timer };
    const previous = this.entries.get(key);
    if (previous) this.drop(key, previous);
    this.entries.set(key, entry);
    // the oldest reads go first (a Map iterates in insertion order)
    for (const [k, e] of [...this.entries]) {
      if (this.entries.size <= this.maxEntries) break;
      this.drop(k, e);
    }
    return entry;
  }

  private drop(key: string, entry: Entry): void {
    clearTimeout(entry.timer);
    if (this.entries.get(key) === entry) this.entries.delete(key);
  }
}

/** Whoever the connection reads as: its org and its session (hashed: the key is not a credential). */
function keyOf(conn: Connection): string {
  return createHash('sha256')
    .update(`${conn.instanceUrl}\u0000${conn.accessToken ?? ''}`)
    .digest('hex');
}

/** The probe's answers as one string (see the module comment); null when any query failed. */
async function probe(conn: Connection): Promise<string | null> {
  const data = new OrgData(conn, { bulk: false });
  try {
    await data.prefetch(PROBES.map((q) => ({ soql: q })));
    const answers: unknown[] = [];
    for (const q of PROBES) {
      answers.push((await data.all<OrgRecord>(q)).map(({ attributes: _attributes, ...row }) => row));
    }
    return JSON.stringify(answers);
  } catch {
    return null;
  }
}
