import { soql, soqlJoin, soqlName, soqlTrusted } from '../org/data';
import type { Soql } from '../org/data';
import { readPath, type ResolvedColumn } from './columns';
import type { BucketDef } from './definitions';
import type { GroupKey, GroupValue } from './engine';
import { LIVE_ELAPSED_FIELDS } from './liveTimers';
import type { CompiledReport, DimPlan } from './compiled';
import type { ReadPlan } from './readPlan';

/**
 * The SOQL of a report's reads (reading.ts, readInOrg.ts, readDetails.ts) and how the records they answer become
 * group values and detail rows.
 */

export function whereOf(conditions: Soql[]): Soql {
  if (conditions.length === 0) return soql``;
  return soql` WHERE ${soqlJoin(
    conditions.map((c) => (conditions.length > 1 ? soql`(${c})` : c)),
    ' AND '
  )}`;
}

/** The records of one group value: its key (blank: null), a bucket's source values, or none of them for Other. */
export function dimCondition(d: DimPlan, key: GroupKey): Soql {
  if (d.bucket?.def.type === 'number') return numberSlots(d).find((s) => s.value.key === key)?.condition ?? soql`Id = null`;
  if (d.bucket) {
    const f = soqlName(d.bucket.source.valuePath);
    const value = key === null ? undefined : d.bucket.def.values.find((v) => v.label === key);
    if (value) return soql`${f} IN ${value.sourceValues}`;
    const every = d.bucket.def.values.flatMap((v) => v.sourceValues);
    return every.length > 0 ? soql`(${f} = null OR ${f} NOT IN ${every})` : soql`${f} = null`;
  }
  const c = d.column!;
  const f = soqlName(c.keyPath ?? c.valuePath);
  if (key === null) return soql`${f} = null`;
  if (c.type === 'boolean') return soql`${f} = ${key === 'true'}`;
  return soql`${f} = ${key}`;
}

export function rowSoql(plan: CompiledReport, rp: ReadPlan, whereClause: Soql): Soql {
  return soql`SELECT ${selectFields(plan, rp, rp.rowLimit > 0 ? 'sort' : false)} FROM ${soqlName(plan.baseObject)}${whereClause}`;
}

/** The fields a row read needs: groupings, measures, and with `details` the detail columns and the sort column (`sort`: that only). */
export function selectFields(plan: CompiledReport, rp: ReadPlan, details: boolean | 'sort'): Soql {
  const fields = new Set<string>(['Id']);
  const add = (c: ResolvedColumn | undefined) => {
    if (!c) return;
    fields.add(c.valuePath);
    if (c.keyPath) fields.add(c.keyPath);
  };
  for (const d of [...plan.down, ...plan.across]) add(d.column ?? d.bucket?.source);
  if (details === true) for (const c of plan.details) add(c);
  if (details) add(plan.sortColumn);
  for (const m of rp.measures) add(m.col);
  if (rp.live) for (const f of LIVE_ELAPSED_FIELDS) fields.add(f);
  return soqlJoin([...fields].map(soqlName), ', ');
}

export function groupBySoql(plan: CompiledReport, measures: ReadPlan['measures'], counted: ResolvedColumn[], whereClause: Soql): Soql {
  const select: string[] = [];
  const group: string[] = [];
  [...plan.down, ...plan.across].forEach((d, i) => {
    if (d.bucket?.def.type === 'number') return;
    const c = d.column ?? d.bucket!.source;
    select.push(`${c.valuePath} g${i}`);
    group.push(c.valuePath);
    if (c.keyPath) {
      select.push(`${c.keyPath} k${i}`);
      group.push(c.keyPath);
    }
  });
  select.push('COUNT(Id) cnt');
  measures.forEach((m, i) => {
    select.push(
      `SUM(${m.col.valuePath}) s${i}`,
      `COUNT(${m.col.valuePath}) n${i}`,
      `MIN(${m.col.valuePath}) mn${i}`,
      `MAX(${m.col.valuePath}) mx${i}`
    );
  });
  // the columns read as values: how many rows have one (a read with none is not sent)
  counted.forEach((c, j) => select.push(`COUNT(${c.valuePath}) v${j}`));
  const groupBy = group.length > 0 ? soql` GROUP BY ${soqlJoin(group.map(soqlName), ', ')}` : soql``;
  // names and aggregate functions of the report's own metadata (columns resolved against the schema)
  return soql`SELECT ${soqlTrusted(select.join(', '))} FROM ${soqlName(plan.baseObject)}${whereClause}${groupBy}`;
}

/**
 * A number bucket's values as conditions on its source, each with the group it is (bucketValue's rules: the first
 * value whose ranges hold the number, blank as 0 with null treatment z, the rest in Other or blank).
 */
export function numberSlots(d: DimPlan): Array<{ value: GroupValue; condition: Soql }> {
  const b = d.bucket!.def;
  const f = soqlName(d.bucket!.source.valuePath);
  const inRanges = (v: BucketDef['values'][number]): Soql =>
    soqlJoin(
      v.ranges.map((r) => {
        const parts = [...(r.from === undefined ? [] : [soql`${f} > ${r.from}`]), ...(r.to === undefined ? [] : [soql`${f} <= ${r.to}`])];
        return parts.length === 0 ? soql`(${f} != null)` : soql`(${soqlJoin(parts, ' AND ')})`;
      }),
      ' OR '
    );
  const blankAs = bucketValue(b, null);
  const slots = b.values.map((v, i) => {
    const earlier = b.values.slice(0, i).filter((x) => x.ranges.length > 0);
    const own = v.ranges.length === 0 ? soql`Id = null` : soql`(${inRanges(v)})`;
    const notEarlier = earlier.length > 0 ? soql` AND NOT (${soqlJoin(earlier.map(inRanges), ' OR ')})` : soql``;
    const value: GroupValue = { key: v.label, label: v.label };
    const blank = blankAs.key === v.label ? soql` OR ${f} = null` : soql``;
    return { value, condition: soql`((${f} != null AND ${own}${notEarlier})${blank})` };
  });
  const ranged = b.values.filter((x) => x.ranges.length > 0);
  const rest: GroupValue = b.otherLabel ? { key: b.otherLabel, label: b.otherLabel } : { key: null, label: '-' };
  const outside = ranged.length > 0 ? soql` AND NOT (${soqlJoin(ranged.map(inRanges), ' OR ')})` : soql``;
  const blank = blankAs.key === rest.key ? soql` OR ${f} = null` : soql``;
  slots.push({ value: rest, condition: soql`((${f} != null${outside})${blank})` });
  return slots;
}

export function groupValue(d: DimPlan, v: unknown, k: unknown): GroupValue {
  if (k === null || k === undefined || k === '') return { key: null, label: '-' };
  if (typeof v === 'boolean' || (d.words && (v === 0 || v === 1))) {
    const yes = v === true || v === 1;
    return { key: String(v), label: d.words ? d.words[yes ? 'true' : 'false'] : String(v) };
  }
  return { key: String(k), label: v === null || v === undefined ? '-' : String(v) };
}

export function bucketValue(b: BucketDef, raw: unknown): GroupValue {
  let label: string | undefined;
  if (b.type === 'number') {
    let n = raw === null || raw === undefined ? null : Number(raw);
    if (n === null && b.nullTreatment === 'z') n = 0;
    if (n !== null) {
      label = b.values.find((v) =>
        v.ranges.some((r) => (r.from === undefined || n! > r.from) && (r.to === undefined || n! <= r.to))
      )?.label;
    }
  } else if (raw !== null && raw !== undefined && raw !== '') {
    const s = String(raw).toLowerCase();
    label = b.values.find((v) => v.sourceValues.some((x) => x.toLowerCase() === s))?.label;
  }
  label ??= b.otherLabel;
  return label === undefined ? { key: null, label: '-' } : { key: label, label };
}

export function dimValue(d: DimPlan, record: Record<string, unknown>): GroupValue {
  if (d.bucket) return bucketValue(d.bucket.def, readPath(record, d.bucket.source.valuePath));
  const c = d.column!;
  const v = readPath(record, c.valuePath);
  return groupValue(d, v, c.keyPath ? readPath(record, c.keyPath) : v);
}

export function displayValue(c: ResolvedColumn, record: Record<string, unknown>): unknown {
  const v = readPath(record, c.valuePath);
  if (v === null || v === undefined) return null;
  if (c.type === 'datetime' && typeof v === 'string') return new Date(v).toISOString();
  return v;
}

export function detailRow(
  plan: CompiledReport,
  record: Record<string, unknown>
): { id: string; values: Record<string, unknown>; sort: unknown } {
  return {
    id: String(record.Id),
    values: Object.fromEntries(plan.details.map((c) => [c.name, displayValue(c, record)])),
    sort: plan.sortColumn ? displayValue(plan.sortColumn, record) : null
  };
}
