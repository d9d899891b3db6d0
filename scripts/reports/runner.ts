import type { Connection } from 'jsforce';
import { OrgData, soql, soqlJoin, soqlName } from '../org/data';
import type { Soql } from '../org/data';
import { PACKAGE_DIR } from '../project';
import { NUMERIC_TYPES, resolveColumn, type ResolvedColumn } from './columns';
import { loadReport, loadReportType, listReports, type ChartDef, type ReportDef, type ReportFormat, type SummaryType } from './definitions';
import type { Dimension, GroupOut, Measure, SummaryDef, CellOut } from './engine';
import { ReportMetadataError } from './errors';
import { parseFormula, summaryRefs } from './formula';
import { checkTimeZone, describePeriod, periodOfTimeFrame, relativeBounds, reportLocalDate, type Period } from './period';
import { businessDays, type BusinessDayInfo } from './calendars';
import { booleanWords, CLOCK_FIELD, valueUnit, type BooleanWords, type ValueUnit } from './display';
import type { QualityReasons } from './reasonTypes';
import { ReportSchema } from './schema';
import { needsLiveElapsed } from './liveTimers';
import { readFigures } from './reading';
import { readPlan, type ReadMode, type ReadOptions } from './readPlan';
import { userTimeZone } from './userTimeZone';

export { userTimeZone } from './userTimeZone';
import { combineFilters, filterCondition, periodCondition } from './soql';

/**
 * The report runner: computes a shipped report from its metadata — report type (object and
 * lookups), columns, filters (incl. relative dates), the standard date filter (replaced by
 * `--period`), groupings, buckets, column summaries, custom summary formulas — with SOQL GROUP BY
 * in the org where the summaries allow, else streaming the rows it needs page by page (./reading.ts).
 */

export type { BusinessDayInfo } from './calendars';
export type { CompiledReport, DimPlan, SummaryInfo } from './compiled';
import type { CompiledReport, DimPlan, SummaryInfo } from './compiled';

export interface ReportResult {
  report: string;
  folder: string;
  label: string;
  description: string;
  format: ReportFormat;
  reportType: string;
  /** The report type's label (Closed Loop SLA Timers). */
  reportTypeLabel: string;
  period: {
    name: string;
    column: string | null;
    /** The date column's label (MQL At). */
    columnLabel: string | null;
    from: string | null;
    to: string | null;
    timeZone: string;
  };
  groupingsDown: Array<{ column: string; label: string }>;
  groupingsAcross: Array<{ column: string; label: string }>;
  summaries: SummaryInfo[];
  detailColumns: Array<{ column: string; label: string; type: string; unit?: ValueUnit; words?: BooleanWords }>;
  groups: GroupOut[];
  acrossGroups: Array<{ level: number; path: Array<string | null>; labels: string[] }>;
  grandTotal: { values: Record<string, number | null>; cells?: CellOut[]; rows?: Array<{ id: string; values: Record<string, unknown> }> };
  chart: ChartDef | null;
  query: { soql: string; mode: ReadMode };
  /** Detail rows: how many the result shows (the first in report order) of how many the report has; null without detail rows. */
  detailRows?: { shown: number; total: number } | null;
  /**
   * Rows the report's filter leaves out that a reader should know about: SLA timers that ended Cancelled
   * (not required any more: recycled or rejected before the due time, reassigned with a restart, or their
   * record deleted), counted in the same period. Null when the report leaves none out this way.
   */
  excluded: { rows: number; what: string } | null;
  /**
   * The first grouping is the SLA clock (Accept, First Touch …): each clock's group is its total, and a grand
   * total across clocks is not a figure anyone should read (renderers leave it out; JSON keeps it).
   */
  perClock: boolean;
  /** The business day business minutes are written in (null: the report has none, or no calendar could be read). */
  businessDay: BusinessDayInfo | null;
  /** With perClock: each clock's own business day, by clock (group key). */
  businessDayByClock?: Record<string, BusinessDayInfo>;
  /** The lead quality reports: their reasons report read into top reasons and example leads (./qualityReasons.ts). */
  reasons?: QualityReasons;
}

const SCHEMAS = new Map<string, ReportSchema>();
function schemaFor(pkgDir: string): ReportSchema {
  let s = SCHEMAS.get(pkgDir);
  if (!s) {
    s = new ReportSchema(pkgDir);
    SCHEMAS.set(pkgDir, s);
  }
  return s;
}

/** Validates and plans a report without touching an org; every problem is a ReportMetadataError naming the report. */
export function compileReport(def: ReportDef, pkgDir: string = PACKAGE_DIR): CompiledReport {
  const where = `report ${def.developerName}`;
  const schema = schemaFor(pkgDir);
  const rt = loadReportType(def.reportType, pkgDir);
  if (def.rowLimit !== undefined) throw new ReportMetadataError(`${where}: rowLimit is not supported by the report runner`);
  const cols = new Map<string, ResolvedColumn>();
  const col = (name: string): ResolvedColumn => {
    let c = cols.get(name);
    if (!c) {
      c = resolveColumn(schema, rt, name, where);
      cols.set(name, c);
    }
    return c;
  };
  const bucketByName = new Map(def.buckets.map((b) => [b.developerName, b]));

  const dimension = (field: string, sortOrder: 'Asc' | 'Desc'): DimPlan => {
    const b = bucketByName.get(field);
    if (b) {
      const source = col(b.source);
      if (b.type === 'number' && !NUMERIC_TYPES.has(source.type))
        throw new ReportMetadataError(`${where}: number bucket ${b.developerName} needs a numeric source`);
      const order = [...b.values.map((v) => v.label), ...(b.otherLabel ? [b.otherLabel] : [])];
      return {
        bucket: { def: b, source },
        dim: {
          column: field,
          label: b.label,
          sortOrder,
          compare: (x, y) => order.indexOf(x.key as string) - order.indexOf(y.key as string)
        }
      };
    }
    const c = col(field);
    if (c.type === 'date' || c.type === 'datetime')
      throw new ReportMetadataError(`${where}: grouping by the date ${field} is not supported by the report runner`);
    if (c.type === 'textarea' || c.type === 'multipicklist') throw new ReportMetadataError(`${where}: ${field} cannot be grouped`);
    return {
      column: c,
      words: booleanWords(c.field, def.filter.items),
      dim: { column: field, label: c.label, sortOrder, compare: comparator(c) }
    };
  };
  const down = def.groupingsDown.map((g) => dimension(g.field, g.sortOrder));
  const across = def.groupingsAcross.map((g) => dimension(g.field, g.sortOrder));
  if (def.format === 'Summary' && down.length === 0) throw new ReportMetadataError(`${where}: a summary report needs a grouping`);
  if (down.length > 3 || across.length > 2) throw new ReportMetadataError(`${where}: too many groupings`);

  const details = def.showDetails ? def.columns.map((c) => col(c.field)) : [];
  const measures = new Map<string, Measure & { col: ResolvedColumn }>();
  const measure = (name: string, opts: { values?: boolean; distinct?: boolean } = {}) => {
    const c = col(name);
    const m = measures.get(name) ?? {
      column: name,
      scale: c.scale ?? (c.type === 'currency' ? 2 : 0),
      values: false,
      distinct: false,
      col: c
    };
    if (opts.values) m.values = true;
    if (opts.distinct) m.distinct = true;
    measures.set(name, m);
    return c;
  };

  const summaries: SummaryDef[] = [{ key: 'RowCount', label: 'Record Count', kind: 'count', scale: 0 }];
  const info: SummaryInfo[] = [{ key: 'RowCount', label: 'Record Count', type: 'number' }];
  for (const c of def.columns) {
    for (const agg of c.aggregates) {
      const rc = col(c.field);
      if (agg !== 'Unique' && !NUMERIC_TYPES.has(rc.type))
        throw new ReportMetadataError(`${where}: ${agg} of ${c.field} needs a numeric column`);
      measure(c.field, { values: agg === 'Median', distinct: agg === 'Unique' });
      const key = `${c.field}:${agg}`;
      const label = `${AGG_LABEL[agg]} ${rc.label}`;
      summaries.push({ key, label, kind: 'column', column: c.field, aggregate: agg, scale: rc.scale ?? (rc.type === 'currency' ? 2 : 0) });
      const unit = agg === 'Unique' ? undefined : valueUnit(rc.field);
      info.push({
        key,
        label,
        type: agg === 'Unique' ? 'number' : rc.type === 'currency' ? 'currency' : 'number',
        ...(unit ? { unit } : {})
      });
    }
  }
  const groupingNames = new Set([...def.groupingsDown, ...def.groupingsAcross].map((g) => g.field));
  for (const a of def.aggregates) {
    const fwhere = `${where}: summary formula ${a.developerName}`;
    const expr = parseFormula(a.formula, (dotted) => dottedToColumn(dotted, rt.baseObject), fwhere);
    for (const ref of summaryRefs(expr)) {
      if (ref.column === 'RowCount') continue;
      const c = col(ref.column);
      if (ref.fn !== 'UNIQUE' && !NUMERIC_TYPES.has(c.type)) throw new ReportMetadataError(`${fwhere}: ${ref.column} is not numeric`);
      measure(ref.column, { distinct: ref.fn === 'UNIQUE' });
    }
    checkLevels(expr, groupingNames, rt.baseObject, fwhere);
    summaries.push({ key: a.developerName, label: a.label, kind: 'formula', formula: expr, datatype: a.datatype, scale: a.scale });
    info.push({ key: a.developerName, label: a.label, type: a.datatype });
  }
  for (const p of def.percentiles) {
    if (p.p < 1 || p.p > 99) throw new ReportMetadataError(`${where}: P${p.p} is not a percentile from 1 to 99`);
    const c = measure(p.column, { values: true });
    if (!NUMERIC_TYPES.has(c.type)) throw new ReportMetadataError(`${where}: P${p.p}(${p.column}) needs a numeric column`);
    const key = `P${p.p}(${p.column})`;
    summaries.push({ key, label: `P${p.p} ${c.label}`, kind: 'percentile', column: p.column, p: p.p, scale: c.scale ?? 0, derived: true });
    const unit = valueUnit(c.field);
    info.push({ key, label: `P${p.p} ${c.label}`, type: 'number', derived: true, ...(unit ? { unit } : {}) });
  }

  const conditions = def.filter.items.map((item) => filterCondition(item, col(item.column), where));
  const filter = combineFilters(conditions, def.filter.booleanFilter, where);
  // compliance reports count Met and Breached timers: say how many Cancelled ones (not required) they leave out
  let cancelledFilter: Soql | undefined;
  const statusItem = def.filter.items.findIndex((i) => i.column === 'SLA_Timer__c$Status__c' && i.operator === 'equals');
  if (
    rt.baseObject === 'SLA_Timer__c' &&
    statusItem >= 0 &&
    !def.filter.items[statusItem].value.split(',').some((v) => v.trim() === 'Cancelled')
  ) {
    const items = def.filter.items.map((item, i) => (i === statusItem ? { ...item, value: 'Cancelled' } : item));
    cancelledFilter = combineFilters(
      items.map((item) => filterCondition(item, col(item.column), where)),
      def.filter.booleanFilter,
      where
    );
  }
  let dateColumn: ResolvedColumn | undefined;
  if (def.timeFrame) {
    dateColumn = col(def.timeFrame.column);
    if (dateColumn.type !== 'date' && dateColumn.type !== 'datetime') {
      throw new ReportMetadataError(`${where}: the date filter column ${def.timeFrame.column} is not a date`);
    }
    periodOfTimeFrame(def.timeFrame.interval, def.timeFrame.startDate, def.timeFrame.endDate, where);
  }
  const sortColumn = def.sortColumn ? (bucketByName.has(def.sortColumn) ? undefined : col(def.sortColumn)) : undefined;
  if (def.chart) {
    for (const g of [def.chart.groupingColumn, def.chart.secondaryGroupingColumn]) {
      if (g && !groupingNames.has(g))
        throw new ReportMetadataError(`${where}: the chart groups by ${g}, which is not a grouping of the report`);
    }
    for (const s of def.chart.summaries) chartSummaryKey(s, summaries, where);
  }

  const liveElapsed = needsLiveElapsed(
    rt.baseObject,
    [...measures.values(), ...details, ...(sortColumn ? [sortColumn] : [])].map((c) => ('col' in c ? c.col.valuePath : c.valuePath))
  );
  const groupBy =
    !liveElapsed &&
    !def.showDetails &&
    def.percentiles.length === 0 &&
    def.buckets.length === 0 &&
    [...measures.values()].every((m) => !m.values && !m.distinct) &&
    [...down, ...across].every((d) => d.column && ['text', 'picklist', 'reference', 'boolean', 'id'].includes(d.column.type));

  return {
    def,
    baseObject: rt.baseObject,
    reportTypeLabel: rt.label,
    perClock: down[0]?.column?.field.object === CLOCK_FIELD.object && down[0].column.field.name === CLOCK_FIELD.name,
    down,
    across,
    details,
    measures: [...measures.values()],
    summaries,
    summaryInfo: info,
    filter,
    cancelledFilter,
    dateColumn,
    sortColumn,
    groupBy,
    liveElapsed
  };
}

const AGG_LABEL: Record<SummaryType, string> = {
  Sum: 'Sum of',
  Average: 'Average',
  Maximum: 'Largest',
  Minimum: 'Smallest',
  Median: 'Median',
  Unique: 'Unique'
};

/** `Lead.Reached_SAL__c` (formula form) → `Lead$Reached_SAL__c` (column form). */
function dottedToColumn(dotted: string, base: string): string {
  if (dotted.includes('$')) return dotted;
  if (dotted.startsWith(`${base}.`)) return `${base}$${dotted.slice(base.length + 1)}`;
  return dotted;
}

function checkLevels(expr: ReturnType<typeof parseFormula>, groupings: Set<string>, base: string, where: string): void {
  const visit = (e: ReturnType<typeof parseFormula>) => {
    if (e.kind === 'parent') {
      for (const lv of e.levels) {
        const u = lv.toUpperCase();
        if (u === 'GRAND_SUMMARY' || u === 'ROW_GRAND_SUMMARY' || u === 'COLUMN_GRAND_SUMMARY') continue;
        // a lookup grouping (Obj$Lookup__c) is named by its record name in formulas: Obj.Lookup__c.Name
        const byName = /\.Name$/i.test(lv) ? dottedToColumn(lv.replace(/\.Name$/i, ''), base) : undefined;
        const asColumn = [dottedToColumn(lv, base), byName, lv].find((c) => c !== undefined && groupings.has(c));
        if (!asColumn) throw new ReportMetadataError(`${where}: PARENTGROUPVAL level ${lv} is not a grouping of the report`);
        e.levels[e.levels.indexOf(lv)] = asColumn;
      }
    } else if (e.kind === 'unary') visit(e.arg);
    else if (e.kind === 'binary') {
      visit(e.left);
      visit(e.right);
    } else if (e.kind === 'call') e.args.forEach(visit);
  };
  visit(expr);
}

/** The summary key a chart (or dashboard) summary names: RowCount, a formula, or `column:Aggregate`. */
export function chartSummaryKey(s: { column: string; aggregate?: string }, summaries: SummaryDef[], where: string): string {
  const key = s.aggregate ? `${s.column}:${s.aggregate}` : s.column;
  if (!summaries.some((x) => x.key === key))
    throw new ReportMetadataError(`${where}: the chart shows ${key}, which is not a summary of the report`);
  return key;
}

function comparator(c: ResolvedColumn): Dimension['compare'] {
  if (c.type === 'picklist' && c.picklistValues) {
    const order = c.picklistValues;
    return (a, b) => {
      const ia = order.indexOf(a.key as string);
      const ib = order.indexOf(b.key as string);
      if (ia >= 0 && ib >= 0) return ia - ib;
      if (ia >= 0 || ib >= 0) return ia >= 0 ? -1 : 1;
      return LABELS.compare(a.label, b.label);
    };
  }
  if (c.type === 'boolean') return (a, b) => (a.key === b.key ? 0 : a.key === 'false' ? -1 : 1);
  if (NUMERIC_TYPES.has(c.type)) return (a, b) => Number(a.key) - Number(b.key);
  return (a, b) => LABELS.compare(a.label, b.label) || String(a.key).localeCompare(String(b.key));
}

/** Group labels in the order `localeCompare(…, 'en', { sensitivity: 'base' })` gives, with one collator for every comparison. */
const LABELS = new Intl.Collator('en', { sensitivity: 'base' });

// ---- running --------------------------------------------------------------------------------------

export interface RunOptions extends ReadOptions {
  /** Replaces the report's standard date filter. */
  period?: Period;
  /** The running user's time zone (default: read from the org). */
  timeZone?: string;
  /** "Today" for period bounds shown in the output (default: now). */
  now?: Date;
  pkgDir?: string;
  /**
   * Count the rows the report's filter leaves out (`excluded`: Cancelled SLA timers), one more count of the object
   * in the org (default true; the scorecard reads figures only).
   */
  countExcluded?: boolean;
  /**
   * Compute the groups down to this many of the report's groupings only, and no across groupings: what a figure
   * of a group at that level or above needs (the scorecard's `Percent_Met @ Accept` needs one, a grand total none).
   * The org then groups by fewer columns, and the figures of the groups computed are the whole report's.
   */
  groupings?: number;
}

/** Runs a shipped report (by name, or an already loaded definition). */
export async function runReport(conn: Connection, report: string | ReportDef, opts: RunOptions = {}): Promise<ReportResult> {
  const pkgDir = opts.pkgDir ?? PACKAGE_DIR;
  const def = typeof report === 'string' ? loadReport(report, pkgDir) : report;
  const plan = groupedTo(compileReport(def, pkgDir), opts.groupings);
  const tz = opts.timeZone ?? (await userTimeZone(conn));
  checkTimeZone(tz);
  const where = `report ${def.developerName}`;
  const period: Period =
    opts.period ??
    (def.timeFrame ? periodOfTimeFrame(def.timeFrame.interval, def.timeFrame.startDate, def.timeFrame.endDate, where) : { kind: 'all' });
  if (!plan.dateColumn && period.kind !== 'all')
    throw new ReportMetadataError(`${where}: the report has no date filter, so it cannot take a period`);
  const periodFilter = plan.dateColumn ? periodCondition(plan.dateColumn, period, tz) : null;
  const whereOf = (filter: Soql | undefined): Soql => {
    const conditions = [filter, periodFilter].filter((c): c is Soql => !!c);
    if (conditions.length === 0) return soql``;
    return soql` WHERE ${soqlJoin(
      conditions.map((c) => (conditions.length > 1 ? soql`(${c})` : c)),
      ' AND '
    )}`;
  };

  const rp = readPlan(plan, opts);
  const data = new OrgData(conn);
  const read = await readFigures(
    data,
    plan,
    rp,
    [plan.filter, periodFilter].filter((c): c is Soql => !!c),
    (opts.now ?? new Date()).getTime()
  );
  const soqlText = read.query.text;
  const out = read.engine.result();
  let excluded: ReportResult['excluded'] = null;
  if (plan.cancelledFilter && opts.countExcluded !== false) {
    const cancelled = await data.count(soql`SELECT COUNT() FROM ${soqlName(plan.baseObject)}${whereOf(plan.cancelledFilter)}`);
    excluded = {
      rows: cancelled,
      what: 'Cancelled SLA timers (not required any more, e.g. recycled or rejected before the due time, or deleted)'
    };
  }
  const today = reportLocalDate((opts.now ?? new Date()).getTime(), tz);
  const bounds =
    period.kind === 'relative' ? relativeBounds(period.name, today) : period.kind === 'range' ? { from: period.from, to: period.to } : {};
  return {
    report: def.developerName,
    folder: def.folder,
    label: def.name,
    description: def.description,
    format: def.format,
    reportType: def.reportType,
    reportTypeLabel: plan.reportTypeLabel,
    period: {
      name: period.kind === 'range' ? 'custom' : describePeriod(period),
      column: plan.dateColumn?.name ?? null,
      columnLabel: plan.dateColumn?.label ?? null,
      from: bounds.from ?? null,
      to: bounds.to ?? null,
      timeZone: tz
    },
    groupingsDown: plan.down.map((d) => ({ column: d.dim.column, label: d.dim.label })),
    groupingsAcross: plan.across.map((d) => ({ column: d.dim.column, label: d.dim.label })),
    summaries: rp.summaryInfo,
    detailColumns: (rp.rowLimit > 0 ? plan.details : []).map((c) => {
      const unit = valueUnit(c.field);
      const words = booleanWords(c.field, def.filter.items);
      return { column: c.name, label: c.label, type: c.type, ...(unit ? { unit } : {}), ...(words ? { words } : {}) };
    }),
    groups: out.groups,
    acrossGroups: out.acrossGroups,
    grandTotal: out.grandTotal,
    chart: def.chart ?? null,
    query: { soql: soqlText, mode: read.mode },
    detailRows: rp.rowLimit > 0 ? { shown: Math.min(rp.rowLimit, read.detailTotal), total: read.detailTotal } : null,
    excluded,
    perClock: plan.perClock,
    ...(await businessDays(conn, {
      businessMinutes:
        rp.summaryInfo.some((s) => s.unit === 'businessMinutes') ||
        (rp.rowLimit > 0 && plan.details.some((c) => valueUnit(c.field) === 'businessMinutes')),
      clockFilter: def.filter.items
        .find((f) => f.column === `${CLOCK_FIELD.object}$${CLOCK_FIELD.name}` && f.operator === 'equals' && !f.value.includes(','))
        ?.value.trim(),
      perClock: plan.perClock,
      groups: out.groups
    }))
  };
}

/**
 * The report with only its first `groupings` groupings down and none across (RunOptions.groupings). Every summary
 * of a group is computed from that group's rows, and a summary formula reads its own group or the groups above it
 * (PARENTGROUPVAL), never a deeper one, so the groups kept have the whole report's figures.
 */
function groupedTo(plan: CompiledReport, groupings: number | undefined): CompiledReport {
  if (groupings === undefined || (groupings >= plan.down.length && plan.across.length === 0)) return plan;
  if (!Number.isInteger(groupings) || groupings < 0) throw new RangeError(`groupings must be a whole number ≥ 0, got ${groupings}`);
  return { ...plan, down: plan.down.slice(0, groupings), across: [] };
}

/** Every shipped report, compiled (throws on the first one the runner cannot interpret). */
export function compileAll(pkgDir: string = PACKAGE_DIR): CompiledReport[] {
  return listReports(pkgDir).map((d) => compileReport(d, pkgDir));
}
