import type { FilterItemDef } from './definitions';
import type { SchemaField } from './schema';

/**
 * What a column's values mean to a reader, read from the field's metadata (label, description, help text),
 * so the renderers can write figures as people read them (docs/reports-and-scorecard.md#how-figures-read):
 * business minutes as business time ("1 h 25 min"), calendar days as time, checkboxes and 0/1 indicators
 * as words. The figures themselves (JSON, CSV) stay the numbers the org computes.
 */

/** `businessMinutes`: minutes on an SLA policy's business calendar; `calendarDays`: days on the wall clock. */
export type ValueUnit = 'businessMinutes' | 'calendarDays';

/** The words a yes/no value reads as: `{ true: 'Marketing Sourced', false: 'Not Marketing Sourced' }`. */
export interface BooleanWords {
  true: string;
  false: string;
}

/** The SLA clock of a timer: a report that groups by it first has a total per clock, never a mixed grand total. */
export const CLOCK_FIELD = { object: 'SLA_Timer__c', name: 'Clock__c' } as const;

/**
 * The unit of a number field, from what its metadata says it holds: "business minutes" in its label or
 * description (Elapsed Business Minutes, Marketing Owned Minutes: "Business minutes (on the Accept policy's
 * business hours) …"), or a description that starts with "Calendar days" (Days MQL to SAL).
 */
export function valueUnit(field: SchemaField): ValueUnit | undefined {
  if (field.type !== 'number') return undefined;
  const text = `${field.label} ${field.description ?? ''}`;
  if (/\bbusiness minutes\b/i.test(text)) return 'businessMinutes';
  if (/^calendar days\b/i.test(field.description ?? '')) return 'calendarDays';
  return undefined;
}

/**
 * The words a checkbox or a 0/1 indicator reads as.
 *  - Help text that spells them out wins: `1 = met in time, 0 = breached, …` → Met in time / Breached.
 *  - The report's context next: a report of closed opportunities (`IsClosed` equals 1) has won and lost deals.
 *  - Else a checkbox reads as its label or "Not" and its label: Marketing Sourced / Not Marketing Sourced.
 * Undefined for a number without such help text.
 */
export function booleanWords(field: SchemaField, filters: FilterItemDef[] = []): BooleanWords | undefined {
  const spelled = /\b1 ?= ?([^\s,;.][^,;.]*)[,;] ?0 ?= ?([^\s,;.][^,;.]*)/i.exec(field.helpText ?? '');
  if (spelled) return { true: sentence(spelled[1]), false: sentence(spelled[2]) };
  if (field.type !== 'boolean') return undefined;
  if (field.object === 'Opportunity' && field.name === 'IsWon' && closedOnly(filters)) return { true: 'Won', false: 'Lost' };
  return { true: field.label, false: `Not ${field.label}` };
}

function closedOnly(filters: FilterItemDef[]): boolean {
  return filters.some((f) => /\$IsClosed$/.test(f.column) && f.operator === 'equals' && /^(1|true)$/i.test(f.value.trim()));
}

function sentence(s: string): string {
  const t = s.trim();
  return t.charAt(0).toUpperCase() + t.slice(1);
}
