/**
 * Reassignment on breach: a lead whose clock stays breached Reassign_Delay_Minutes__c business minutes past its
 * due time is handed over once — to the policy's queue, or round-robin to the queue's user members — and the
 * timer says so (Reassigned_At__c, Reassigned_From__c, Reassignment_Note__c: the history the rep and the
 * manager see on the timer). See docs/sla-sync.md#reassignment-on-breach.
 *
 * Never a lead that is converted, deleted, no longer in one of the policy's Start statuses, or owned by
 * someone other than the timer's accountable user (someone already took it); never a second time for the same
 * lead and clock. The owner change is an ordinary owner change: the clock follows Restart_On_Reassign__c (a
 * fresh run for a new user owner, or counting on for them; a queue owner pauses the clock), as the rules say.
 */
import type { ClockCalendar, SlaPolicy, SlaTimer } from './clock';
import { isUserId, reassignAt, sameId } from './clock';
import { children, describeSaveError, soql } from '../org/data';
import type { OrgData, OrgRecord, Soql } from '../org/data';
import { recordRef } from './syncPlan';
import type { RecordRef, SyncRecord } from './syncPlan';
import type { SyncSummary } from './syncSummary';

/** A lead to hand over, as the planning found it. */
export interface ReassignCandidate {
  /** kept until the end of the run: the record's Id and label, not the record */
  record: RecordRef;
  timer: SlaTimer;
  policy: SlaPolicy;
  /** the instant its delay ran out */
  at: string;
}

/** How far back a first sync (no Evaluated_At__c yet) reassigns: as escalations, so installing does not hand over history. */
const FIRST_SYNC_WINDOW_MS = 24 * 3_600_000;

/**
 * The reassignment one record is due (null: none), from its timers as the rules give them now. `lastEvaluatedAt`
 * bounds it as escalations are bounded: the delay must have run out after the last evaluation.
 */
export function reassignmentDue(
  record: SyncRecord,
  timers: readonly SlaTimer[],
  ctx: {
    policyOf: (name: string) => SlaPolicy | undefined;
    calendarFor: (p: SlaPolicy) => ClockCalendar;
    now: number;
    lastEvaluatedAt: number | null;
  }
): ReassignCandidate | null {
  if (record.object !== 'Lead' || record.deleted || record.converted) return null;
  const row = record.row ?? {};
  const status = (row.Status as string | null) ?? null;
  const owner = (row.OwnerId as string | null) ?? null;
  const horizon = ctx.lastEvaluatedAt ?? ctx.now - FIRST_SYNC_WINDOW_MS;
  for (const timer of timers) {
    const policy = ctx.policyOf(timer.policy);
    if (!policy?.reassign || timer.status !== 'Breached' || timer.stoppedAt !== null) continue;
    if (status === null || !policy.startStatuses.includes(status)) continue;
    if (!isUserId(owner) || !sameId(owner as string, timer.accountableUserId)) continue;
    if (record.timers.some((t) => t.Clock__c === timer.clock && t.Reassigned_At__c)) continue;
    const at = reassignAt(timer, policy, ctx.calendarFor(policy));
    if (at === null || Date.parse(at) > ctx.now || Date.parse(at) <= horizon) continue;
    return { record: recordRef(record), timer, policy, at };
  }
  return null;
}

/** A policy's reassignment queue, resolved in the org. */
export interface ReassignTarget {
  queueId: string;
  queueName: string;
}

/** The query that resolves the queues the active Lead policies reassign to (null: none does); sent with the run's other reads. */
export function reassignQueueQuery(policies: ReadonlyArray<Pick<SlaPolicy, 'object' | 'reassign'>>): Soql | null {
  const names = [...new Set(policies.flatMap((p) => (p.object === 'Lead' && p.reassign ? [p.reassign.queue] : [])))].sort();
  return names.length === 0
    ? null
    : soql`SELECT Id, Name, DeveloperName, (SELECT SobjectType FROM QueueSobjects) FROM Group WHERE Type = 'Queue' AND (Name IN ${names} OR DeveloperName IN ${names}) ORDER BY Id`;
}

/**
 * The queues the active Lead policies reassign to, by the name each policy gives (Name or DeveloperName; a
 * DeveloperName match wins), that take leads. Names that resolve to none are left out: tierProblems refuses them.
 */
export async function readReassignTargets(data: OrgData, policies: readonly SlaPolicy[]): Promise<Map<string, ReassignTarget>> {
  const targets = new Map<string, ReassignTarget>();
  const query = reassignQueueQuery(policies);
  if (!query) return targets;
  const queues = (await data.all<OrgRecord & { Name: string; DeveloperName: string }>(query)).filter((q) =>
    children<OrgRecord>(q, 'QueueSobjects').some((s) => s.SobjectType === 'Lead')
  );
  for (const p of policies) {
    const name = p.reassign?.queue;
    if (!name || targets.has(name)) continue;
    const exact = queues.filter((q) => q.DeveloperName === name);
    const match = exact.length === 1 ? exact : queues.filter((q) => q.Name === name);
    if (match.length === 1) targets.set(name, { queueId: match[0].Id as string, queueName: match[0].Name });
  }
  return targets;
}

/** A queue's active user members, by user Id: the Round Robin order (read only when a lead is due). */
async function queueMembers(data: OrgData, queueId: string): Promise<Array<{ id: string; name: string }>> {
  const rows = await data.all<OrgRecord>(soql`SELECT UserOrGroupId FROM GroupMember WHERE GroupId = ${queueId}`);
  const ids = [...new Set(rows.map((r) => String(r.UserOrGroupId)).filter((id) => isUserId(id)))];
  if (ids.length === 0) return [];
  const users = await data.all<OrgRecord>(soql`SELECT Id, Name FROM User WHERE Id IN ${ids} AND IsActive = true ORDER BY Id`);
  return users.map((u) => ({ id: String(u.Id), name: String(u.Name ?? u.Id) })).sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/**
 * Hands the candidates over (a dry run counts them). Round Robin deals in a stable order: the policy's
 * members by user Id, starting after the number of leads the policy has reassigned before, candidates by the
 * instant their delay ran out (then lead Id). The lead's owner is written first, then the timer's history
 * fields; a lead whose owner could not be changed keeps its timer as it was (the next sync tries again).
 * Returns the ids of the leads whose owner changed.
 */
export async function reassign(
  data: OrgData,
  candidates: readonly ReassignCandidate[],
  targets: ReadonlyMap<string, ReassignTarget>,
  opts: { now: number; dryRun: boolean; summary: SyncSummary }
): Promise<string[]> {
  if (candidates.length === 0) return [];
  const sorted = [...candidates].sort((a, b) => a.at.localeCompare(b.at) || (a.record.id < b.record.id ? -1 : 1));
  const dealt = new Map<string, number>();
  const members = new Map<string, Array<{ id: string; name: string }>>();
  const moves: Array<{ c: ReassignCandidate; ownerId: string; to: string }> = [];
  for (const c of sorted) {
    const r = c.policy.reassign as NonNullable<SlaPolicy['reassign']>;
    const target = targets.get(r.queue);
    if (!target) continue;
    let list = r.mode === 'Round Robin' ? members.get(target.queueId) : [];
    if (list === undefined) {
      list = await queueMembers(data, target.queueId);
      members.set(target.queueId, list);
    }
    if (r.mode === 'Queue' || list.length === 0) {
      if (r.mode === 'Round Robin')
        opts.summary.warnings.push(`queue "${target.queueName}" has no active user members: ${c.record.label} goes to the queue`);
      moves.push({ c, ownerId: target.queueId, to: `queue ${target.queueName}` });
      continue;
    }
    let n = dealt.get(c.policy.developerName);
    if (n === undefined) {
      n = await data.count(soql`SELECT COUNT() FROM SLA_Timer__c WHERE Policy__c = ${c.policy.developerName} AND Reassigned_At__c != null`);
    }
    const member = list[n % list.length];
    dealt.set(c.policy.developerName, n + 1);
    moves.push({ c, ownerId: member.id, to: `${member.name} (round robin, queue ${target.queueName})` });
  }
  if (opts.dryRun) {
    opts.summary.reassigned += moves.length;
    return [];
  }
  const results = await data.update(
    'Lead',
    moves.map((m) => ({ Id: m.c.record.id, OwnerId: m.ownerId })),
    { ids: false }
  );
  const done = moves.filter((m, i) => {
    if (!results[i].success) opts.summary.errors.push(`Lead ${m.c.record.id}: reassignment on breach: ${describeSaveError(results[i])}`);
    return results[i].success;
  });
  const nowIso = new Date(opts.now).toISOString();
  // the timer was saved by this run's first writes, or before: upsert on its key
  const stamped = await data.upsert(
    'SLA_Timer__c',
    'Timer_Key__c',
    done.map((m) => ({
      Timer_Key__c: m.c.timer.key,
      Reassigned_At__c: nowIso,
      Reassigned_From__c: m.c.timer.accountableUserId,
      Reassignment_Note__c: note(m.c, m.to)
    })),
    { ids: false }
  );
  stamped.forEach((r, i) => {
    if (!r.success) opts.summary.errors.push(`SLA_Timer__c ${done[i].c.timer.key}: ${describeSaveError(r)}`);
  });
  opts.summary.reassigned += done.length;
  return done.map((m) => m.c.record.id);
}

function note(c: ReassignCandidate, to: string): string {
  const delay = c.policy.reassign?.delayMinutes ?? 0;
  const text = `${c.timer.clock} breached (due ${c.timer.dueAt.slice(0, 16).replace('T', ' ')} UTC)${
    delay > 0 ? `, still breached ${delay} business min later` : ''
  }: reassigned to ${to} by policy ${c.policy.developerName}`;
  return text.length > 255 ? `${text.slice(0, 254)}…` : text;
}
