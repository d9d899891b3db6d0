/**
 * SLA tiers: several active policies for one clock, each with criteria (lead source values, one field/value
 * condition) and a priority, plus one catch-all. The one implementation of which policy a record gets
 * (selectPolicy) and of what makes a set of tiers unusable (tierProblems): the sync refuses to write, and
 * `closed-loop validate` reports, the same problems in the same words (docs/admin-guide.md#sla-tiers).
 *
 * Pure: the caller passes the policies and what it knows of the org (fields, picklist values, queues).
 */
import { CLOCKS } from './clockTypes';
import type { BusinessCalendar } from '../calendar';
import type { ClockName, SlaObject, SlaPolicy, SlaTier, SlaTimer } from './clockTypes';

/** Priority__c when blank. */
export const DEFAULT_TIER_PRIORITY = 100;

/** What a policy without Lead_Sources__c, Criteria_Field__c and Catch_All__c has: it is the catch-all. */
export const CATCH_ALL_TIER: SlaTier = { leadSources: [], field: null, values: [], priority: DEFAULT_TIER_PRIORITY, catchAll: true };

/** The tier of a policy (a policy built without one is the catch-all). */
export function tierOf(p: Pick<SlaPolicy, 'tier'>): SlaTier {
  return p.tier ?? CATCH_ALL_TIER;
}

/** The record fields a set of policies' criteria read (LeadSource and each Criteria_Field__c), as named. */
export function criteriaFields(policies: readonly Pick<SlaPolicy, 'tier' | 'object'>[]): string[] {
  const out = new Set<string>();
  for (const p of policies) {
    const t = tierOf(p);
    if (t.leadSources.length > 0) out.add('LeadSource');
    if (t.field) out.add(t.field);
  }
  return [...out].sort();
}

/** A record value as the criteria compare it: text, trimmed; a checkbox as true/false; blank = ''. */
function asText(v: unknown): string {
  if (v === null || v === undefined) return '';
  return String(v).trim();
}

/** Case-insensitive field lookup (SOQL answers with the field's own casing). */
function valueOf(values: Readonly<Record<string, unknown>>, field: string): unknown {
  if (Object.hasOwn(values, field)) return values[field];
  const lower = field.toLowerCase();
  const key = Object.keys(values).find((k) => k.toLowerCase() === lower);
  return key === undefined ? undefined : values[key];
}

/** Does a record with these field values meet the tier's criteria? (The catch-all meets every record.) */
export function meetsTier(tier: SlaTier, values: Readonly<Record<string, unknown>>): boolean {
  if (tier.catchAll) return true;
  if (tier.leadSources.length > 0 && !tier.leadSources.includes(asText(valueOf(values, 'LeadSource')))) return false;
  if (tier.field) {
    // a multi-select picklist holds "A;B": any of its values meets the condition
    const held = asText(valueOf(values, tier.field))
      .split(';')
      .map((s) => s.trim());
    if (!tier.values.some((v) => held.includes(v))) return false;
  }
  return true;
}

/**
 * The policy a record gets for one clock: among `policies` (the active ones of that clock), the one with the
 * lowest Priority__c whose criteria the record meets (DeveloperName breaks a tie, which tierProblems refuses
 * anyway), else the catch-all; null when there is neither.
 */
export function selectPolicy<P extends Pick<SlaPolicy, 'developerName' | 'tier'>>(
  policies: readonly P[],
  values: Readonly<Record<string, unknown>>
): P | null {
  const tiers = policies
    .filter((p) => !tierOf(p).catchAll)
    .sort((a, b) => tierOf(a).priority - tierOf(b).priority || (a.developerName < b.developerName ? -1 : 1));
  for (const p of tiers) if (meetsTier(tierOf(p), values)) return p;
  return policies.find((p) => tierOf(p).catchAll) ?? null;
}

/** Could one record meet both tiers' criteria? */
export function tiersOverlap(a: SlaTier, b: SlaTier): boolean {
  if (a.catchAll || b.catchAll) return true;
  if (a.leadSources.length > 0 && b.leadSources.length > 0 && !a.leadSources.some((s) => b.leadSources.includes(s))) return false;
  // a condition on one field only: the values must share one; conditions on different fields can both hold
  if (a.field && b.field && a.field.toLowerCase() === b.field.toLowerCase() && !a.values.some((v) => b.values.includes(v))) return false;
  return true;
}

/** What the checks know of the org (or of the project): unknown parts are not checked. */
export interface TierSchema {
  /** fields of each object: API name (any case) → its picklist values (null: not a picklist) */
  fields?: Partial<Record<SlaObject, ReadonlyMap<string, { name: string; picklist: readonly string[] | null }>>>;
  /** the queues that take leads, by Name and by DeveloperName */
  leadQueues?: ReadonlySet<string>;
}

/** One reason a set of policies cannot run; `field` is the SLA_Policy__mdt field it is about. */
export interface TierProblem {
  policy: string;
  field: string;
  /** "<field> <cause>", as the sync words it after `SLA_Policy__mdt <name>: ` */
  message: string;
}

/** The parts of a policy the tier rules read. */
export type TierPolicy = Pick<
  SlaPolicy,
  | 'developerName'
  | 'clock'
  | 'object'
  | 'active'
  | 'tier'
  | 'reassign'
  | 'startStatuses'
  | 'stopStatuses'
  | 'pauseStatuses'
  | 'cancelStatuses'
>;

const STATUS_LISTS = [
  ['startStatuses', 'Start_Statuses__c'],
  ['stopStatuses', 'Stop_Statuses__c'],
  ['pauseStatuses', 'Pause_Statuses__c'],
  ['cancelStatuses', 'Cancel_Statuses__c']
] as const;

const byName = <T extends { developerName: string }>(a: T, b: T) =>
  a.developerName < b.developerName ? -1 : a.developerName > b.developerName ? 1 : 0;

/**
 * Everything that makes the active policies unusable as tiers: per clock and object, no catch-all or more than
 * one; two tiers of equal priority that one record could meet; tiers that disagree on what starts, stops,
 * pauses or cancels the clock (a tier changes the target, not the clock's meaning, so every tier sees the same
 * runs); criteria naming a field the object does not have, or a value its picklist does not have; a catch-all
 * with criteria; a reassignment target that is no lead queue. In DeveloperName order.
 */
export function tierProblems(policies: readonly TierPolicy[], schema: TierSchema = {}): TierProblem[] {
  const out: TierProblem[] = [];
  const add = (policy: string, field: string, cause: string) => out.push({ policy, field, message: `${field} ${cause}` });
  const active = policies.filter((p) => p.active).sort(byName);
  for (const p of active) {
    const t = tierOf(p);
    const fields = schema.fields?.[p.object];
    if (t.catchAll && (t.leadSources.length > 0 || t.field)) {
      add(
        p.developerName,
        'Catch_All__c',
        'is checked, but the policy has criteria: a catch-all applies to every record (clear Lead_Sources__c and Criteria_Field__c, or uncheck it)'
      );
    }
    if (t.leadSources.length > 0) {
      if (p.object !== 'Lead') add(p.developerName, 'Lead_Sources__c', 'is for Lead policies only');
      else {
        const known = fields?.get('leadsource')?.picklist;
        const unknown = known ? t.leadSources.find((s) => !known.includes(s)) : undefined;
        if (unknown !== undefined) add(p.developerName, 'Lead_Sources__c', `names an unknown Lead Source ${JSON.stringify(unknown)}`);
      }
    }
    if (t.field !== null) {
      const f = fields?.get(t.field.toLowerCase());
      if (fields && !f) add(p.developerName, 'Criteria_Field__c', `names no field ${JSON.stringify(t.field)} on ${p.object}`);
      if (t.values.length === 0) add(p.developerName, 'Criteria_Values__c', `is blank: name the ${t.field} values this tier applies to`);
      const unknown = f?.picklist ? t.values.find((v) => !(f.picklist as readonly string[]).includes(v)) : undefined;
      if (unknown !== undefined)
        add(p.developerName, 'Criteria_Values__c', `names an unknown ${p.object}.${f?.name ?? t.field} value ${JSON.stringify(unknown)}`);
    } else if (t.values.length > 0) add(p.developerName, 'Criteria_Values__c', 'needs Criteria_Field__c: the field whose values it names');
    if (p.reassign) {
      if (p.object !== 'Lead') add(p.developerName, 'Reassign_To_Queue__c', 'is for Lead policies only');
      else if (schema.leadQueues && !schema.leadQueues.has(p.reassign.queue)) {
        add(
          p.developerName,
          'Reassign_To_Queue__c',
          `names no queue ${JSON.stringify(p.reassign.queue)} that takes leads (Setup > Queues)`
        );
      }
    }
  }
  for (const object of ['Lead', 'Opportunity'] as const) {
    for (const clock of CLOCKS as readonly ClockName[]) {
      const group = active.filter((p) => p.object === object && p.clock === clock);
      if (group.length === 0) continue;
      const catchAlls = group.filter((p) => tierOf(p).catchAll);
      if (catchAlls.length === 0) {
        add(
          group[0].developerName,
          'Catch_All__c',
          `is checked on no active ${clock} policy: a record no tier matches would get no clock (check it on one policy without criteria)`
        );
      }
      for (const extra of catchAlls.slice(1)) {
        add(
          extra.developerName,
          'Active__c',
          `conflicts with ${catchAlls[0].developerName}: only one catch-all policy per clock (${clock})`
        );
      }
      const base = catchAlls[0] ?? group[0];
      for (const p of group) {
        if (p === base) continue;
        for (const [key, field] of STATUS_LISTS) {
          if (p[key].join(';') !== base[key].join(';')) {
            add(
              p.developerName,
              field,
              `differs from ${base.developerName}'s: tiers of one clock share what starts, stops, pauses and cancels it`
            );
          }
        }
      }
      const tiers = group.filter((p) => !tierOf(p).catchAll);
      for (let i = 0; i < tiers.length; i++) {
        for (let j = i + 1; j < tiers.length; j++) {
          const [a, b] = [tiers[i], tiers[j]];
          if (tierOf(a).priority === tierOf(b).priority && tiersOverlap(tierOf(a), tierOf(b))) {
            add(
              b.developerName,
              'Priority__c',
              `${tierOf(b).priority} equals ${a.developerName}'s, and one record can meet both tiers' criteria: give one a lower number`
            );
          }
        }
      }
    }
  }
  return out;
}

/**
 * Reassignment on breach: when an open, counting timer of a policy that reassigns is handed over if it is still
 * breached then — its Due_At plus Reassign_Delay_Minutes__c business minutes (null: never; a paused timer waits).
 */
export function reassignAt(timer: SlaTimer, policy: SlaPolicy, calendar: Pick<BusinessCalendar, 'add'>): string | null {
  if (!policy.reassign || timer.stoppedAt !== null || timer.status === 'Paused') return null;
  return calendar.add(Date.parse(timer.recorded.dueAt), policy.reassign.delayMinutes).toISOString();
}
