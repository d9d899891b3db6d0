import { refreshWire } from './lds';

/**
 * `@salesforce/apex` in the preview. The package has no Apex, so only what LDS offers through this
 * module exists: refreshApex(wiredValue) fetches again the wire that emitted the value.
 */
export function refreshApex(value: unknown): Promise<void> {
  return refreshWire(value);
}

/** An sObject field's value from an Apex-returned record (`getSObjectValue(record, FIELD)`). */
export function getSObjectValue(record: Record<string, unknown> | undefined, field: { fieldApiName?: string } | string): unknown {
  const path = typeof field === 'string' ? field.split('.').slice(1) : String(field.fieldApiName ?? '').split('.');
  let current: unknown = record;
  for (const p of path) current = current && typeof current === 'object' ? (current as Record<string, unknown>)[p] : undefined;
  return current;
}
