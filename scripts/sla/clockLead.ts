/**
 * The lead fields that go with the clocks, derived from what the org recorded (never typed by the people
 * measured): Quality_Rating__c, Recycle_Count__c, the hand-back of a recycled lead to the nurture queue,
 * and the submission stamps of feedback and reviews. Pure and deterministic: the sync reads the rows and
 * writes only what differs.
 *
 * Rules (docs/sla-clocks.md states them for admins):
 *  - Quality rating: the Rating__c of the lead's latest feedback (by CreatedDate, then Id); blank without one.
 *  - Recycle count: how many times the lead's Status entered a recycle status (SLA_Policy__mdt.Recycle_Statuses__c)
 *    from another status, counted from LeadHistory — whoever set it and however (component, list view, API).
 *  - Nurture queue: a lead that entered a recycle status is given to the policy's Recycle_Queue__c when it is
 *    still in that status, still owned by a user, and nobody changed its owner since it entered (someone who
 *    took it on purpose keeps it; a lead already in a queue is left alone). Idempotent: once moved, it is
 *    queue-owned.
 *  - Submitted at: a feedback's or review's CreatedDate, copied into Submitted_At__c once, with the lead's
 *    source and its latest campaign membership by then on a feedback (snapshots marketing is measured by).
 */
import { isUserId, parseInstant } from './clockEvents';
import type { HistoryRow } from './clockEvents';

/** The recycle settings of the active Lead policies (null when none names Recycle_Statuses__c). */
export interface RecycleSettings {
  statuses: readonly string[];
  /** the Recycle_Queue__c queue's Id; null = recycled leads keep their owner */
  queueId: string | null;
}

export interface LeadFieldsInput {
  lead: { Id: string; Status: string | null; OwnerId: string | null; IsConverted?: boolean | null; IsDeleted?: boolean | null };
  /** LeadHistory rows (Status and Owner; others are ignored), any order */
  history: readonly HistoryRow[];
  /** the lead's live feedback */
  feedback: ReadonlyArray<{ Id: string; CreatedDate: string; Rating__c?: number | null }>;
  recycle: RecycleSettings | null;
}

/** The values the sync keeps on a lead; a field is absent when the sync does not manage it for this org. */
export interface LeadFields {
  Quality_Rating__c: number | null;
  Recycle_Count__c?: number;
  /** present only when the lead is to be handed to the nurture queue now */
  OwnerId?: string;
}

const byTime = <T extends { CreatedDate: string; Id?: string }>(rows: readonly T[], what: string) =>
  rows
    .map((r) => ({ r, at: parseInstant(r.CreatedDate, `${what}: ${r.Id ?? 'row'} CreatedDate`) }))
    .sort((a, b) => a.at - b.at || ((a.r.Id ?? '') < (b.r.Id ?? '') ? -1 : (a.r.Id ?? '') > (b.r.Id ?? '') ? 1 : 0));

const text = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);

/** Entries into a recycle status (from a status that is not one), oldest first, as instants. */
export function recycleEntries(history: readonly HistoryRow[], statuses: readonly string[], what = 'Lead'): number[] {
  const out: number[] = [];
  for (const { r, at } of byTime(history, what)) {
    if (r.Field !== 'Status') continue;
    const to = text(r.NewValue);
    const from = text(r.OldValue);
    if (to !== null && statuses.includes(to) && (from === null || !statuses.includes(from))) out.push(at);
  }
  return out;
}

export function leadFields({ lead, history, feedback, recycle }: LeadFieldsInput): LeadFields {
  const what = `Lead ${lead.Id}`;
  const latest = byTime(feedback, `${what}: feedback`).pop()?.r;
  const out: LeadFields = { Quality_Rating__c: latest?.Rating__c ?? null };
  if (!recycle || recycle.statuses.length === 0) return out;

  const entries = recycleEntries(history, recycle.statuses, what);
  out.Recycle_Count__c = entries.length;
  const enteredAt = entries[entries.length - 1];
  if (
    recycle.queueId !== null &&
    enteredAt !== undefined &&
    lead.IsDeleted !== true &&
    lead.IsConverted !== true &&
    lead.Status !== null &&
    recycle.statuses.includes(lead.Status) &&
    isUserId(lead.OwnerId)
  ) {
    const ownerChangedSince = byTime(history, what).some(({ r, at }) => (r.Field === 'Owner' || r.Field === 'OwnerId') && at >= enteredAt);
    if (!ownerChangedSince) out.OwnerId = recycle.queueId;
  }
  return out;
}

/** A feedback or review row as the sync reads it. */
export interface SubmissionRecord {
  Id: string;
  CreatedDate: string;
  Submitted_At__c?: string | null;
  Lead_Source__c?: string | null;
  Campaign__c?: string | null;
}

/**
 * The stamp a submission still needs (`{Id, Submitted_At__c, …}`), or null once it has one. A feedback
 * (`snapshot` given) also gets the lead's source and its latest campaign membership created by then,
 * where those are blank.
 */
export function submissionStamp(
  row: SubmissionRecord,
  snapshot?: { leadSource: string | null; memberships: ReadonlyArray<{ Id?: string; CampaignId: string; CreatedDate: string }> }
): Record<string, unknown> | null {
  if (text(row.Submitted_At__c) !== null) return null;
  const stamp: Record<string, unknown> = { Id: row.Id, Submitted_At__c: row.CreatedDate };
  if (snapshot) {
    const at = parseInstant(row.CreatedDate, `feedback ${row.Id}: CreatedDate`);
    if (text(row.Lead_Source__c) === null && snapshot.leadSource) stamp.Lead_Source__c = snapshot.leadSource;
    const campaign = byTime(snapshot.memberships, `feedback ${row.Id}: campaign member`)
      .filter((m) => m.at <= at)
      .pop()?.r.CampaignId;
    if (text(row.Campaign__c) === null && campaign) stamp.Campaign__c = campaign;
  }
  return stamp;
}
