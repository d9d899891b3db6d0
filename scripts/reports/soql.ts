import { addDays } from '../calendar';
import type { ResolvedColumn } from './columns';
import type { FilterItemDef } from './definitions';
import { ReportMetadataError } from './errors';
import { reportDayStart, type Period } from './period';

/**
 * Report filters and the standard date filter as SOQL conditions, with the report filter
 * semantics: comma-separated values are alternatives, an empty value means blank, "not equal"
 * and "does not contain" keep blank values.
 */

export function soqlString(v: string): string {
  return `'${v.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

function likeString(v: string, pattern: (s: string) => string): string {
  const escaped = v.replace(/\\/g, '\\\\').replace(/'/g, "\\'").replace(/%/g, '\\%').replace(/_/g, '\\_');
  return `'${pattern(escaped)}'`;
}

const RELATIVE_LITERAL = /^(?:[A-Z_]+|(?:LAST|NEXT)_N_[A-Z_]+:\d+|N_[A-Z_]+_AGO:\d+)$/;

function literal(col: ResolvedColumn, raw: string, where: string): string {
  const v = raw.trim();
  switch (col.type) {
    case 'boolean':
      if (/^(1|true)$/i.test(v)) return 'TRUE';
      if (/^(0|false)$/i.test(v)) return 'FALSE';
      throw new ReportMetadataError(`${where}: filter value "${raw}" on ${col.name} is not a checkbox value (1 or 0)`);
    case 'number':
    case 'currency':
    case 'percent':
      if (!/^-?\d+(?:\.\d+)?$/.test(v)) throw new ReportMetadataError(`${where}: filter value "${raw}" on ${col.name} is not a number`);
      return v;
    case 'date':
      if (/^\d{4}-\d{2}-\d{2}$/.test(v) || RELATIVE_LITERAL.test(v.toUpperCase())) return v.toUpperCase();
      throw new ReportMetadataError(`${where}: filter value "${raw}" on ${col.name} is not a date or relative date`);
    case 'datetime':
      if (RELATIVE_LITERAL.test(v.toUpperCase())) return v.toUpperCase();
      if (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?Z$/.test(v)) return v;
      throw new ReportMetadataError(
        `${where}: filter value "${raw}" on ${col.name} must be a relative date (e.g. THIS_WEEK) or a UTC date-time`
      );
    default:
      return soqlString(v);
  }
}

/** One criteria item as a SOQL condition. */
export function filterCondition(item: FilterItemDef, col: ResolvedColumn, where: string): string {
  const f = col.valuePath;
  const values = item.value === '' ? [] : item.value.split(',').map((s) => s.trim());
  const textual =
    col.type === 'text' || col.type === 'picklist' || col.type === 'reference' || col.type === 'id' || col.type === 'textarea';
  const one = () => {
    if (values.length !== 1) throw new ReportMetadataError(`${where}: filter ${item.operator} on ${col.name} needs exactly one value`);
    return literal(col, values[0], where);
  };
  if (col.type === 'textarea') throw new ReportMetadataError(`${where}: long text ${col.name} cannot be filtered`);
  switch (item.operator) {
    case 'equals':
      if (values.length === 0) return `${f} = null`;
      if (col.type === 'multipicklist') return `${f} = ${soqlString(values.join(';'))}`;
      return values.length === 1
        ? `${f} = ${literal(col, values[0], where)}`
        : `${f} IN (${values.map((v) => literal(col, v, where)).join(', ')})`;
    case 'notEqual':
      if (values.length === 0) return `${f} != null`;
      if (col.type === 'multipicklist') return `(${f} != ${soqlString(values.join(';'))} OR ${f} = null)`;
      return `(${f} NOT IN (${values.map((v) => literal(col, v, where)).join(', ')}) OR ${f} = null)`;
    case 'lessThan':
      return `${f} < ${one()}`;
    case 'greaterThan':
      return `${f} > ${one()}`;
    case 'lessOrEqual':
      return `${f} <= ${one()}`;
    case 'greaterOrEqual':
      return `${f} >= ${one()}`;
    case 'contains':
    case 'notContain':
    case 'startsWith': {
      if (!textual) throw new ReportMetadataError(`${where}: filter ${item.operator} on ${col.name} needs a text column`);
      if (values.length === 0) throw new ReportMetadataError(`${where}: filter ${item.operator} on ${col.name} has no value`);
      const pattern = item.operator === 'startsWith' ? (s: string) => `${s}%` : (s: string) => `%${s}%`;
      const any = values.map((v) => `${f} LIKE ${likeString(v, pattern)}`).join(' OR ');
      return item.operator === 'notContain' ? `(${f} = null OR NOT (${any}))` : `(${any})`;
    }
    case 'includes':
    case 'excludes':
      if (col.type !== 'multipicklist')
        throw new ReportMetadataError(`${where}: filter ${item.operator} on ${col.name} needs a multi-select picklist`);
      return `${f} ${item.operator === 'includes' ? 'INCLUDES' : 'EXCLUDES'} (${values.map(soqlString).join(', ')})`;
    default:
      throw new ReportMetadataError(`${where}: filter operator ${item.operator} is not supported by the report runner`);
  }
}

/** Combines conditions with the report's booleanFilter (`1 AND (2 OR 3)`), or AND when it has none. */
export function combineFilters(conditions: string[], booleanFilter: string | undefined, where: string): string | undefined {
  if (conditions.length === 0) return undefined;
  if (!booleanFilter) return conditions.map((c) => `(${c})`).join(' AND ');
  const tokens = booleanFilter.match(/\d+|\(|\)|AND|OR|NOT|\S+/gi) ?? [];
  const out: string[] = [];
  for (const t of tokens) {
    if (/^\d+$/.test(t)) {
      const c = conditions[Number(t) - 1];
      if (!c) throw new ReportMetadataError(`${where}: booleanFilter names filter ${t}, which does not exist`);
      out.push(`(${c})`);
    } else if (/^(AND|OR|NOT|\(|\))$/i.test(t)) out.push(t.toUpperCase());
    else throw new ReportMetadataError(`${where}: cannot interpret booleanFilter "${booleanFilter}"`);
  }
  return out.join(' ').replace(/\( /g, '(').replace(/ \)/g, ')');
}

/** The standard date filter as a condition; null for all time. Ranges are local days in `tz`. */
export function periodCondition(col: ResolvedColumn, period: Period, tz: string): string | null {
  const f = col.valuePath;
  if (period.kind === 'all') return null;
  if (period.kind === 'relative') return `${f} = ${period.literal}`;
  const parts: string[] = [];
  if (col.type === 'date') {
    if (period.from) parts.push(`${f} >= ${period.from}`);
    if (period.to) parts.push(`${f} <= ${period.to}`);
  } else {
    if (period.from) parts.push(`${f} >= ${soqlDateTime(reportDayStart(period.from, tz))}`);
    if (period.to) parts.push(`${f} < ${soqlDateTime(reportDayStart(addDays(period.to, 1), tz))}`);
  }
  return parts.length > 0 ? parts.join(' AND ') : null;
}

/** A SOQL date-time literal (UTC, whole seconds). */
export function soqlDateTime(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}
