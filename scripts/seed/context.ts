import type { BusinessCalendar } from '../calendar';
import type { SeedCampaign } from './campaigns';
import type { People } from './people';
import type { SeedRandom } from './random';
import type { RecordSet } from './records';
import { iso } from './time';
import type { SeedValue } from './types';

/**
 * What every part of the plan is built from: the one random source, the records so far, the demo
 * business calendar, `now`, the people and the campaigns.
 */
export interface SeedContext {
  r: SeedRandom;
  out: RecordSet;
  cal: BusinessCalendar;
  nowMs: number;
  people: People;
  campaigns: SeedCampaign[];
}

/**
 * History rows of one record, as an org writes them on each update: keys `<code>-01`, `-02`, … in
 * the order they are written, each stamped with its instant and its author.
 */
export function historyRows(
  out: RecordSet,
  sobject: 'LeadHistory' | 'OpportunityFieldHistory',
  code: string,
  parent: Record<string, string>
) {
  let n = 0;
  return (at: number, by: string, fields: Record<string, SeedValue>, refs: Record<string, string> = {}) =>
    out.add(
      sobject,
      `${code}-${String(++n).padStart(2, '0')}`,
      { ...fields, CreatedDate: iso(at) },
      { ...parent, CreatedById: by, ...refs }
    );
}
