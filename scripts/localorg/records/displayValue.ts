import type { FieldSchema } from '../schema';

/** A field value's UI API `displayValue` (picklist labels, formatted dates and amounts; null where the UI shows the value). */
export function displayValue(f: FieldSchema, value: unknown, timeZone: string): string | null {
  if (value === null || value === undefined) return null;
  switch (f.type) {
    case 'picklist':
      return f.picklistValues.find((p) => p.value === value)?.label ?? String(value);
    case 'multipicklist':
      return String(value)
        .split(';')
        .map((v) => f.picklistValues.find((p) => p.value === v)?.label ?? v)
        .join('; ');
    case 'date': {
      const [y, m, d] = String(value).split('-').map(Number);
      return `${m}/${d}/${y}`;
    }
    case 'datetime':
      return new Date(String(value).replace('+0000', 'Z')).toLocaleString('en-US', {
        timeZone,
        year: 'numeric',
        month: 'numeric',
        day: 'numeric',
        hour: 'numeric',
        minute: '2-digit'
      });
    case 'currency':
      return new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD' }).format(Number(value));
    case 'percent':
      return `${String(value)}%`;
    default:
      return null;
  }
}
