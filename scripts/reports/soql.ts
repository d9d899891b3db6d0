import { addDays } from '../calendar';
import {
  isRelativeDateLiteral,
  soql,
  soqlDate,
  soqlDateLiteral,
  soqlDateTime,
  soqlJoin,
  soqlLike,
  soqlName,
  soqlTrusted
} from '../org/data';
import type { Soql } from '../org/data';
import type { ResolvedColumn } from './columns';
import type { FilterItemDef } from './definitions';
import { ReportMetadataError } from './errors';
import { reportDayStart, type Period } from './period';

/**
 * Report filters and the standard date filter as SOQL conditions, with the report filter
 * semantics: comma-separated values are alternatives, an empty value means blank, "not equal"
 * and "does not contain" keep blank values. Values become literals through the org data layer's
 * `soql` tag (scripts/org/data/soql.ts), never by hand.
 */

function literal(col: ResolvedColumn, raw: string, where: string): Soql {
  const v = raw.trim();
  switch (col.type) {
    case 'boolean':
      if (/^(1|true)$/i.test(v)) return soql`${true}`;
      if (/^(0|false)$/i.test(v)) return soql`${false}`;
      throw new ReportMetadataError(`${where}: filter value "${raw}" on ${col.name} is not a checkbox value (1 or 0)`);
    case 'number':
    case 'currency':
    case 'percent':
      if (!/^-?\d+(?:\.\d+)?$/.test(v)) throw new ReportMetadataError(`${where}: filter value "${raw}" on ${col.name} is not a number`);
      return soql`${Number(v)}`;
    case 'date':
      if (/^\d{4}-\d{2}-\d{2}$/.test(v)) return soql`${soqlDate(v)}`;
      if (isRelativeDateLiteral(v)) return soqlDateLiteral(v);
      throw new ReportMetadataError(`${where}: filter value "${raw}" on ${col.name} is not a date or relative date`);
    case 'datetime': {
      if (isRelativeDateLiteral(v)) return soqlDateLiteral(v);
      const ms = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?Z$/.test(v) ? Date.parse(v) : NaN;
      if (Number.isFinite(ms)) return soqlDateTime(ms);
      throw new ReportMetadataError(
        `${where}: filter value "${raw}" on ${col.name} must be a relative date (e.g. THIS_WEEK) or a UTC date-time`
      );
    }
    default:
      return soql`${v}`;
  }
}

const list = (items: readonly Soql[]): Soql => soql`(${soqlJoin(items, ', ')})`;

/** One criteria item as a SOQL condition. */
export function filterCondition(item: FilterItemDef, col: ResolvedColumn, where: string): Soql {
  const f = soqlName(col.valuePath);
  const values = item.value === '' ? [] : item.value.split(',').map((s) => s.trim());
  const textual =
    col.type === 'text' || col.type === 'picklist' || col.type === 'reference' || col.type === 'id' || col.type === 'textarea';
  const one = () => {
    if (values.length !== 1) throw new ReportMetadataError(`${where}: filter ${item.operator} on ${col.name} needs exactly one value`);
    return literal(col, values[0], where);
  };
  const literals = () => values.map((v) => literal(col, v, where));
  if (col.type === 'textarea') throw new ReportMetadataError(`${where}: long text ${col.name} cannot be filtered`);
  switch (item.operator) {
    case 'equals':
      if (values.length === 0) return soql`${f} = null`;
      if (col.type === 'multipicklist') return soql`${f} = ${values.join(';')}`;
      return values.length === 1 ? soql`${f} = ${literal(col, values[0], where)}` : soql`${f} IN ${list(literals())}`;
    case 'notEqual':
      if (values.length === 0) return soql`${f} != null`;
      if (col.type === 'multipicklist') return soql`(${f} != ${values.join(';')} OR ${f} = null)`;
      return soql`(${f} NOT IN ${list(literals())} OR ${f} = null)`;
    case 'lessThan':
      return soql`${f} < ${one()}`;
    case 'greaterThan':
      return soql`${f} > ${one()}`;
    case 'lessOrEqual':
      return soql`${f} <= ${one()}`;
    case 'greaterOrEqual':
      return soql`${f} >= ${one()}`;
    case 'contains':
    case 'notContain':
    case 'startsWith': {
      if (!textual) throw new ReportMetadataError(`${where}: filter ${item.operator} on ${col.name} needs a text column`);
      if (values.length === 0) throw new ReportMetadataError(`${where}: filter ${item.operator} on ${col.name} has no value`);
      const match = item.operator === 'startsWith' ? 'startsWith' : 'contains';
      const any = soqlJoin(
        values.map((v) => soql`${f} LIKE ${soqlLike(v, match)}`),
        ' OR '
      );
      return item.operator === 'notContain' ? soql`(${f} = null OR NOT (${any}))` : soql`(${any})`;
    }
    case 'includes':
    case 'excludes':
      if (col.type !== 'multipicklist')
        throw new ReportMetadataError(`${where}: filter ${item.operator} on ${col.name} needs a multi-select picklist`);
      return soql`${f} ${soqlTrusted(item.operator === 'includes' ? 'INCLUDES' : 'EXCLUDES')} ${values}`;
    default:
      throw new ReportMetadataError(`${where}: filter operator ${item.operator} is not supported by the report runner`);
  }
}

/** Combines conditions with the report's booleanFilter (`1 AND (2 OR 3)`), or AND when it has none. */
export function combineFilters(conditions: Soql[], booleanFilter: string | undefined, where: string): Soql | undefined {
  if (conditions.length === 0) return undefined;
  if (!booleanFilter) {
    return soqlJoin(
      conditions.map((c) => soql`(${c})`),
      ' AND '
    );
  }
  const tokens = booleanFilter.match(/\d+|\(|\)|AND|OR|NOT|\S+/gi) ?? [];
  const out: Soql[] = [];
  let previous = '';
  for (const t of tokens) {
    let piece: Soql;
    if (/^\d+$/.test(t)) {
      const c = conditions[Number(t) - 1];
      if (!c) throw new ReportMetadataError(`${where}: booleanFilter names filter ${t}, which does not exist`);
      piece = soql`(${c})`;
    } else if (/^(AND|OR|NOT|\(|\))$/i.test(t)) piece = soqlTrusted(t.toUpperCase());
    else throw new ReportMetadataError(`${where}: cannot interpret booleanFilter "${booleanFilter}"`);
    // a space between tokens, none inside parentheses: `1 AND (2 OR 3)`
    if (out.length > 0 && previous !== '(' && t !== ')') out.push(soqlTrusted(' '));
    out.push(piece);
    previous = t;
  }
  return soqlJoin(out, '');
}

/** The standard date filter as a condition; null for all time. Ranges are local days in `tz`. */
export function periodCondition(col: ResolvedColumn, period: Period, tz: string): Soql | null {
  const f = soqlName(col.valuePath);
  if (period.kind === 'all') return null;
  if (period.kind === 'relative') return soql`${f} = ${soqlDateLiteral(period.literal)}`;
  const parts: Soql[] = [];
  if (col.type === 'date') {
    if (period.from) parts.push(soql`${f} >= ${soqlDate(period.from)}`);
    if (period.to) parts.push(soql`${f} <= ${soqlDate(period.to)}`);
  } else {
    if (period.from) parts.push(soql`${f} >= ${soqlDateTime(reportDayStart(period.from, tz))}`);
    if (period.to) parts.push(soql`${f} < ${soqlDateTime(reportDayStart(addDays(period.to, 1), tz))}`);
  }
  return parts.length > 0 ? soqlJoin(parts, ' AND ') : null;
}
