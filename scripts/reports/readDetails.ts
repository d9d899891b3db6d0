import { OrgData, soql, soqlJoin, soqlName, soqlTrusted } from '../org/data';
import type { Soql } from '../org/data';
import type { Engine, GroupKey } from './engine';
import { LIVE_ELAPSED_FIELDS, liveElapsed } from './liveTimers';
import type { CompiledReport } from './compiled';
import { MAX_DETAIL_QUERIES, type ReadPlan } from './readPlan';
import { detailRow, dimCondition, dimValue, selectFields, whereOf } from './readQueries';

/** A report's detail rows: read group by group beside aggregated figures, and the kept rows' columns read by Id. */

/** Ids per query when the kept detail rows' columns are read (`Id IN (…)`). */
const IDS_PER_QUERY = 200;

/** Reads the detail columns of the rows the engine kept (at most its row limit), by Id, in /composite batches. */
export async function fillDetailRows(
  data: OrgData,
  plan: CompiledReport,
  engine: Engine,
  live: ((row: Record<string, unknown>) => void) | null
): Promise<void> {
  const kept = engine.keptRows();
  const byId = new Map(kept.map((r) => [r.id, r]));
  const fields = new Set<string>(['Id']);
  for (const c of plan.details) {
    fields.add(c.valuePath);
    if (c.keyPath) fields.add(c.keyPath);
  }
  if (live) for (const f of LIVE_ELAPSED_FIELDS) fields.add(f);
  const select = soqlJoin([...fields].map(soqlName), ', ');
  const queries: Soql[] = [];
  for (let i = 0; i < kept.length; i += IDS_PER_QUERY) {
    const ids = kept.slice(i, i + IDS_PER_QUERY).map((r) => r.id);
    queries.push(soql`SELECT ${select} FROM ${soqlName(plan.baseObject)} WHERE Id IN ${ids}`);
  }
  await data.prefetch(queries.map((q) => ({ soql: q })));
  for (const q of queries) {
    for await (const page of data.pages<Record<string, unknown>>(q)) {
      for (const r of page.records) {
        live?.(r);
        const row = byId.get(String(r.Id));
        if (row) row.values = detailRow(plan, r).values;
      }
    }
  }
}

/**
 * The first `rp.rowLimit` detail rows of aggregated figures: the leaf groups in report order, each read with
 * ORDER BY the sort column (then Id) and LIMIT what is still missing. Null when that takes more than
 * MAX_DETAIL_QUERIES queries (many small groups): the caller streams the rows instead. Returns how many rows
 * the report has.
 */
export async function detailRowsByGroup(
  data: OrgData,
  plan: CompiledReport,
  rp: ReadPlan,
  engine: Engine,
  conditions: Soql[],
  now: number
): Promise<number | null> {
  const figures = engine.result();
  const total = figures.grandTotal.values.RowCount ?? 0;
  const leafs =
    plan.down.length === 0
      ? [{ path: [] as GroupKey[], count: total }]
      : figures.groups.filter((g) => g.level === plan.down.length).map((g) => ({ path: g.path, count: g.values.RowCount ?? 0 }));
  const wanted: Array<{ path: GroupKey[]; limit: number }> = [];
  let missing = rp.rowLimit;
  for (const leaf of leafs) {
    if (missing <= 0) break;
    if (leaf.count <= 0) continue;
    wanted.push({ path: leaf.path, limit: Math.min(leaf.count, missing) });
    missing -= leaf.count;
  }
  if (wanted.length > MAX_DETAIL_QUERIES) return null;
  const fields = selectFields(plan, rp, true);
  const order = plan.def.sortOrder === 'Desc' ? soqlTrusted('DESC') : soqlTrusted('ASC');
  const orderBy = plan.sortColumn ? soql` ORDER BY ${soqlName(plan.sortColumn.valuePath)} ${order}, Id ASC` : soql` ORDER BY Id ASC`;
  const queries = wanted.map(
    (w) =>
      soql`SELECT ${fields} FROM ${soqlName(plan.baseObject)}${whereOf([
        ...conditions,
        ...plan.down.map((d, i) => dimCondition(d, w.path[i]))
      ])}${orderBy} LIMIT ${w.limit}`
  );
  await data.prefetch(queries.map((q) => ({ soql: q })));
  let live: ((row: Record<string, unknown>) => void) | null | undefined = rp.live ? undefined : null;
  for (const q of queries) {
    for await (const page of data.pages<Record<string, unknown>>(q)) {
      if (live === undefined) live = await liveElapsed(data, now);
      for (const r of page.records) {
        live?.(r);
        engine.addDetailRow(
          plan.down.map((d) => dimValue(d, r)),
          detailRow(plan, r)
        );
      }
    }
  }
  return total;
}
