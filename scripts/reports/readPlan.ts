import type { ResolvedColumn } from './columns';
import type { Measure, SummaryDef } from './engine';
import { summaryRefs } from './formula';
import { needsLiveElapsed } from './liveTimers';
import type { CompiledReport, SummaryInfo } from './compiled';

/** What a report run reads, worked out before any query (reading.ts reads it): limits, options and the plan. */

/** Detail rows a run keeps by default: the first 2,000 in report order, as the org's report run page shows. */
export const DETAIL_ROW_LIMIT = 2_000;

/**
 * Rows an aggregate query may answer on a real org: a query with GROUP BY cannot be continued with
 * queryMore, and its answer is at most 2,000 rows ("Considerations When Using GROUP BY",
 * https://developer.salesforce.com/docs/atlas.en-us.soql_sosl.meta/soql_sosl/sforce_api_calls_soql_select_group_by_considerations.htm).
 * A report with more groups than that is streamed instead.
 */
export const AGGREGATE_ROW_LIMIT = 2_000;

/** Groups whose detail rows are read with a query each beside aggregated figures; more than that: streamed. */
export const MAX_DETAIL_QUERIES = 50;

/**
 * Field types SOQL can GROUP BY: the describe's `groupable` is true for id, reference, string, picklist and
 * boolean fields, false for double, currency, percent, long text, multi-select picklists and date-times
 * (SOQL and SOSL Reference, "GROUP BY" and the Field object's groupable property).
 */
const GROUPABLE = new Set(['text', 'picklist', 'reference', 'boolean', 'id']);

export interface ReadOptions {
  /** Detail rows to keep: true = DETAIL_ROW_LIMIT, false/0 = none, a number = that many (default: the report's showDetails). */
  details?: boolean | number;
  /** Only these summary keys are needed (RowCount is always computed). */
  summaries?: string[];
  /** `rows` streams even where the org could aggregate (tests compare both ways). */
  path?: 'auto' | 'rows';
}

export interface ReadPlan {
  mode: 'groupBy' | 'rows';
  summaries: SummaryDef[];
  summaryInfo: SummaryInfo[];
  measures: Array<Measure & { col: ResolvedColumn }>;
  /** groupBy: the measures read as columns of values, not aggregated in the org (medians, percentiles, live counts). */
  valueMeasures: Array<Measure & { col: ResolvedColumn }>;
  /** groupBy: the detail rows are ordered by a live count, so they come from a read of the sort column's values. */
  liveSort: boolean;
  rowLimit: number;
  live: boolean;
}

/** How a run read its figures: all in the org, in the org with some measures' values read, or from the rows. */
export type ReadMode = 'groupBy' | 'groupBy+values' | 'rows';

/** What a run reads: the summaries and measures it needs, detail rows, in the org or streamed. */
export function readPlan(plan: CompiledReport, opts: ReadOptions = {}): ReadPlan {
  const where = `report ${plan.def.developerName}`;
  const wanted = opts.summaries ? new Set(['RowCount', ...opts.summaries]) : null;
  if (wanted) {
    for (const k of wanted)
      if (!plan.summaries.some((s) => s.key === k))
        throw new Error(`${where}: has no summary ${k} (it has ${plan.summaries.map((s) => s.key).join(', ')})`);
  }
  const summaries = wanted ? plan.summaries.filter((s) => wanted.has(s.key)) : plan.summaries;
  const summaryInfo = wanted ? plan.summaryInfo.filter((s) => wanted.has(s.key)) : plan.summaryInfo;
  const need = new Map<string, { values: boolean; distinct: boolean }>();
  const use = (column: string, o: { values?: boolean; distinct?: boolean } = {}) => {
    const n = need.get(column) ?? { values: false, distinct: false };
    if (o.values) n.values = true;
    if (o.distinct) n.distinct = true;
    need.set(column, n);
  };
  for (const s of summaries) {
    if (s.kind === 'column') use(s.column!, { values: s.aggregate === 'Median', distinct: s.aggregate === 'Unique' });
    else if (s.kind === 'percentile') use(s.column!, { values: true });
    else if (s.kind === 'formula')
      for (const r of summaryRefs(s.formula!)) if (r.column !== 'RowCount') use(r.column, { distinct: r.fn === 'UNIQUE' });
  }
  const measures = plan.measures.filter((m) => need.has(m.column)).map((m) => ({ ...m, ...need.get(m.column)! }));
  const rowLimit =
    opts.details === undefined
      ? plan.def.showDetails
        ? DETAIL_ROW_LIMIT
        : 0
      : opts.details === true
        ? DETAIL_ROW_LIMIT
        : opts.details === false
          ? 0
          : Math.max(0, Math.floor(opts.details));
  const details = plan.def.showDetails && rowLimit > 0;
  const live = (paths: ResolvedColumn[]) =>
    plan.liveElapsed &&
    needsLiveElapsed(
      plan.baseObject,
      paths.map((c) => c.valuePath)
    );
  const liveMeasures = live(measures.map((m) => m.col));
  const detailColumns = details ? [...plan.details, ...(plan.sortColumn ? [plan.sortColumn] : [])] : [];
  const aggregable =
    opts.path !== 'rows' &&
    measures.every((m) => !m.distinct) &&
    [...plan.down, ...plan.across].filter((d) => d.bucket?.def.type === 'number').length <= 1 &&
    [...plan.down, ...plan.across].every((d) =>
      d.bucket ? d.bucket.def.type === 'number' || GROUPABLE.has(d.bucket.source.type) : GROUPABLE.has(d.column!.type)
    );
  const valueMeasures = aggregable ? measures.filter((m) => m.values || live([m.col])) : [];
  return {
    mode: aggregable ? 'groupBy' : 'rows',
    summaries,
    summaryInfo,
    measures,
    valueMeasures,
    // rows ordered by a live count cannot be ordered by the org
    liveSort: aggregable && details && !!plan.sortColumn && live([plan.sortColumn]),
    rowLimit: details ? rowLimit : 0,
    live: liveMeasures || live(detailColumns)
  };
}
