import { OrgData } from '../org/data';
import type { Soql } from '../org/data';
import { readPath } from './columns';
import { Engine } from './engine';
import { liveElapsed } from './liveTimers';
import type { CompiledReport } from './compiled';
import { fillDetailRows } from './readDetails';
import { readInOrg } from './readInOrg';
import type { ReadMode, ReadPlan } from './readPlan';
import { dimValue, displayValue, rowSoql, whereOf } from './readQueries';

/**
 * How a report's figures are read from the org, so that time and memory follow the number of groups, not rows
 * (docs/reports-and-scorecard.md#at-scale):
 *
 * - **in the org** (`groupBy`): when the report's groupings can be grouped by in SOQL, one SOQL aggregate query
 *   with `GROUP BY` the report's groupings (a picklist or text bucket groups by its source field and is mapped
 *   here) gives every leaf group's COUNT/SUM/COUNT/MIN/MAX; the engine rolls them up to subtotals.
 *   Detail rows asked for with such figures are read group by group, in report order, with ORDER BY the
 *   sort column and LIMIT what is still missing, from the groups' counts (at most MAX_DETAIL_QUERIES queries,
 *   sent together in /composite requests), so they cost what they show, not the org's rows.
 * - **in the org, with values** (`groupBy+values`): medians and percentiles need each row's value, and SLA timers'
 *   live elapsed minutes are counted here (liveTimers.ts), so those measures are not taken from the aggregate
 *   query: they are read as columns of numbers beside the groupings' keys only (`SELECT <keys>, <columns> …
 *   WHERE <a column> != null`; with a live count, the rows without a stored value apart, with the fields the
 *   count needs), which the data layer reads through a Bulk API 2.0 query job when it is large. Only the
 *   numbers are kept, per group (ValueList), never the records. Detail rows ordered by a live count are taken
 *   from the same read (with the rows' Ids), then their columns are read by Id.
 * - **streamed** (`rows`): Unique, more than AGGREGATE_ROW_LIMIT groups, a grouping SOQL cannot group by, and
 *   detail rows of many small groups need rows. Only the fields those need are read, page by page through the
 *   data layer's paging loop, into bounded accumulators (values, distinct sets, the first detail rows in report
 *   order).
 *
 * A run that needs only some figures (the scorecard, a dashboard) names them (`summaries`): a report whose
 * other summaries need rows can then still be computed in the org.
 */

/** Reads the report's figures into a new engine (in the org, or streamed); the query that did it. */
export async function readFigures(
  data: OrgData,
  plan: CompiledReport,
  rp: ReadPlan,
  conditions: Soql[],
  now: number
): Promise<{ engine: Engine; query: Soql; mode: ReadMode; detailTotal: number }> {
  const whereClause = whereOf(conditions);
  const engineFor = (keepRows: boolean) =>
    new Engine(
      plan.down.map((d) => d.dim),
      plan.across.map((d) => d.dim),
      rp.measures,
      rp.summaries,
      keepRows,
      plan.def.sortOrder,
      rp.rowLimit
    );
  if (rp.mode === 'groupBy') {
    const inOrg = await readInOrg(data, plan, rp, engineFor(rp.rowLimit > 0), conditions, now);
    if (inOrg) return inOrg;
  }
  const engine = engineFor(rp.rowLimit > 0);
  // detail rows: the scan reads what orders them (groupings, sort column), the kept rows' columns come after
  const query = rowSoql(plan, rp, whereClause);
  // the timers' calendars are read once the report's own query has answered (a user who may not read the
  // report's object is refused on it, and a report with no rows reads no calendars)
  let live: ((row: Record<string, unknown>) => void) | null | undefined = rp.live ? undefined : null;
  for await (const page of data.pages<Record<string, unknown>>(query)) {
    if (live === undefined) live = await liveElapsed(data, now);
    for (const r of page.records) {
      live?.(r);
      feedRow(plan, rp, engine, r);
    }
  }
  if (rp.rowLimit > 0) await fillDetailRows(data, plan, engine, live ?? null);
  return { engine, query, mode: 'rows', detailTotal: engine.detailRowsSeen };
}

function feedRow(plan: CompiledReport, rp: ReadPlan, engine: Engine, record: Record<string, unknown>): void {
  const measures = new Map<string, number | null>();
  for (const m of rp.measures) {
    const v = readPath(record, m.col.valuePath);
    measures.set(m.column, v === null || v === undefined || v === '' ? null : Number(v));
  }
  // the row's columns are read once it is kept (fillDetailRows)
  const row =
    rp.rowLimit > 0
      ? { id: String(record.Id), values: {}, sort: plan.sortColumn ? displayValue(plan.sortColumn, record) : null }
      : undefined;
  engine.addRow(
    plan.down.map((d) => dimValue(d, record)),
    plan.across.map((d) => dimValue(d, record)),
    measures,
    row
  );
}
