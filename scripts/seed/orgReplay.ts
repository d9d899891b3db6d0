/**
 * Org mode's two ways around what a real org does not take from an API client (see SeedMode): each record's
 * history replayed as updates, in steps of simultaneous changes, and leads converted with SOAP convertLead.
 */
import type { LeadConverter } from './loadOptions';
import { SeedLoadError } from './loadOptions';
import type { SeedRecord } from './types';

/** Per record: its history rows (those `keep` accepts) grouped into steps of simultaneous changes, in order. */
export function replaySteps(rows: SeedRecord[], parent: string, keep: (h: SeedRecord) => boolean): Map<string, SeedRecord[][]> {
  const out = new Map<string, SeedRecord[][]>();
  let lastAt = '';
  for (const h of rows) {
    if (!keep(h)) continue;
    const key = h.refs[parent];
    let steps = out.get(key);
    if (!steps) out.set(key, (steps = []));
    const at = String(h.fields.CreatedDate);
    const last = steps[steps.length - 1];
    if (last && at === lastAt && !last.some((x) => x.fields.Field === h.fields.Field)) last.push(h);
    else steps.push([h]);
    lastAt = at;
  }
  return out;
}

/** The steps of every record. */
export function countSteps(steps: Map<string, SeedRecord[][]>): number {
  let n = 0;
  for (const s of steps.values()) n += s.length;
  return n;
}

/** The default converter in org mode: `conn.soap.convertLead`. */
export const soapConvert: LeadConverter = async (conn, requests) => {
  const results = await conn.soap.convertLead(
    requests.map((r) => ({
      leadId: r.leadId,
      convertedStatus: r.convertedStatus,
      ownerId: r.ownerId,
      opportunityName: r.opportunityName,
      doNotCreateOpportunity: false,
      overwriteLeadSource: false,
      sendNotificationEmail: false
    }))
  );
  return results.map((r, i) => {
    if (!r.success) throw new SeedLoadError(`converting lead ${requests[i].leadId} failed: ${JSON.stringify(r.errors)}`);
    return {
      leadId: requests[i].leadId,
      accountId: String(r.accountId),
      contactId: String(r.contactId),
      opportunityId: String(r.opportunityId)
    };
  });
};
