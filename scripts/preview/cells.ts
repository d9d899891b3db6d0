import type { UserInfo } from './orgClient';

/** A list cell: a (dotted) field's value of a row, and its text as the user reads it. */

type Row = Record<string, unknown>;

export function valueAt(row: Row, field: string): unknown {
  return field.split('.').reduce<unknown>((v, k) => (v && typeof v === 'object' && Object.hasOwn(v, k) ? (v as Row)[k] : undefined), row);
}

export function formatCell(value: unknown, type: string | undefined, user: UserInfo): string {
  if (value === null || value === undefined) return '';
  if (type === 'datetime' && typeof value === 'string') {
    const d = new Date(value.replace(/\+0000$/, 'Z'));
    if (!Number.isNaN(d.getTime())) {
      return d.toLocaleString((user.locale ?? 'en_US').replace('_', '-'), {
        timeZone: user.zoneinfo || undefined,
        dateStyle: 'medium',
        timeStyle: 'short'
      });
    }
  }
  if (typeof value === 'boolean') return value ? 'Yes' : 'No';
  return String(value);
}
