import { OrgData, soql, soqlJoin, soqlName, soqlTrusted } from '../org/data';
import type { Soql } from '../org/data';
import { readPath, type ResolvedColumn } from './columns';
import type { BucketDef } from './definitions';
import { Engine, ValueList, type GroupValue, type Measure, type SummaryDef, type ValueAccumulator } from './engine';
import { summaryRefs } from './formula';
import { ELAPSED_FIELD, LIVE_ELAPSED_FIELDS, liveElapsed, needsLiveElapsed } from './liveTimers';
import type { CompiledReport, DimPlan, SummaryInfo } from './compiled';
import type { GroupKey } from './engine';

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
    const engine = engineFor(rp.rowLimit > 0);
    const aggregated = rp.measures.filter((m) => !rp.valueMeasures.includes(m));
    // a number bucket cannot be grouped by (its source is not groupable): one aggregate query per bucket value,
    // each with that value's ranges as a condition
    const dims = [...plan.down, ...plan.across];
    const numberDim = dims.findIndex((d) => d.bucket?.def.type === 'number');
    const slots: Array<{ value?: GroupValue; condition?: Soql }> = numberDim < 0 ? [{}] : numberSlots(dims[numberDim]);
    const counted = valueColumns(plan, rp);
    const queries = slots.map((slot) =>
      groupBySoql(plan, aggregated, counted, whereOf(slot.condition ? [...conditions, slot.condition] : conditions))
    );
    const query = queries[0];
    const labels = new GroupLabels(dims.length);
    const counts = new Map<string, number>();
    let rows = 0;
    let total = 0;
    try {
      if (queries.length > 1) await data.prefetch(queries.map((q) => ({ soql: q })));
      for (const [i, q] of queries.entries()) {
        for await (const page of data.pages<Record<string, unknown>>(q)) {
          for (const r of page.records) {
            feedGroup(plan, aggregated, engine, labels, r, slots[i].value && { index: numberDim, value: slots[i].value });
            total += Number(r.cnt ?? 0);
            for (const [j, c] of counted.entries()) counts.set(c.valuePath, (counts.get(c.valuePath) ?? 0) + Number(r[`v${j}`] ?? 0));
          }
          rows += page.records.length;
          if (rows > AGGREGATE_ROW_LIMIT) break;
        }
      }
      if (rows <= AGGREGATE_ROW_LIMIT) {
        const values =
          counted.length > 0 ? await readValues(data, plan, rp, engine, labels, { conditions, rows: total, counts }, now) : null;
        const detailTotal =
          rp.rowLimit === 0
            ? 0
            : rp.liveSort
              ? await fillDetailRows(
                  data,
                  plan,
                  engine,
                  rp.live && engine.keptRows().length > 0 ? (values?.live ?? (await liveElapsed(data, now))) : null
                ).then(() => engine.detailRowsSeen)
              : await detailRowsByGroup(data, plan, rp, engine, conditions, now);
        if (detailTotal !== null) return { engine, query, mode: values ? 'groupBy+values' : 'groupBy', detailTotal };
      }
    } catch (e) {
      // a real org refuses an aggregate answer larger than it returns in one page: stream instead
      if (!/QUERY_TOO|EXCEEDED|queryMore|too many/i.test(String((e as Error).message))) throw e;
    }
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

/** The labels of the groups the aggregate query answered, by grouping and key (a lookup's record name by its Id). */
class GroupLabels {
  private readonly byDim: Array<Map<string, GroupValue>>;
  constructor(dims: number) {
    this.byDim = Array.from({ length: dims }, () => new Map<string, GroupValue>());
  }
  note(dim: number, value: GroupValue): void {
    if (value.key !== null) this.byDim[dim].set(value.key, value);
  }
  get(dim: number, key: string): GroupValue {
    return this.byDim[dim].get(key) ?? { key, label: key };
  }
}

/**
 * Reads the value measures' columns (and with `liveSort`, the sort column's) beside the groupings' keys, in one
 * read of the rows with a value in any of them, and adds each group's values to the engine. With a live count the
 * read is in two parts: the rows with a stored value, and the rows without one (with the fields the count
 * needs), so that together they are every row of the report (the detail rows a live sort orders); one read of
 * every row with those fields when the report is small (ONE_READ_ROWS). Returns the live count's function when
 * it was read (the detail rows' columns use it too).
 */
async function readValues(
  data: OrgData,
  plan: CompiledReport,
  rp: ReadPlan,
  engine: Engine,
  labels: GroupLabels,
  /** the report's conditions, its rows and each column's non-blank values (from the aggregate query) */
  read: { conditions: Soql[]; rows: number; counts: ReadonlyMap<string, number> },
  now: number
): Promise<{ live: ((row: Record<string, unknown>) => void) | undefined }> {
  const dims = [...plan.down, ...plan.across];
  const keyPaths = dims.map((d) => (d.bucket ? d.bucket.source.valuePath : (d.column!.keyPath ?? d.column!.valuePath)));
  const keyReaders = keyPaths.map(pathReader);
  const sort = rp.liveSort ? plan.sortColumn : undefined;
  const { conditions } = read;
  const columns = valueColumns(plan, rp).map((col) => {
    const measure = rp.valueMeasures.find((m) => m.col.valuePath === col.valuePath);
    return { col, read: pathReader(col.valuePath), measure: measure?.column, keep: measure?.values === true };
  });
  const counted = (c: ResolvedColumn) => read.counts.get(c.valuePath) ?? 0;
  // a live count splits the rows in two reads that together are every row (what a live sort orders): those with
  // a stored value, and those without one, with the fields their count needs
  const split = columns.find((c) => plan.liveElapsed && c.col.valuePath === ELAPSED_FIELD)?.col;
  const fields = (extra: string[]) =>
    soqlJoin([...new Set([...(sort ? ['Id'] : []), ...keyPaths, ...columns.map((c) => c.col.valuePath), ...extra])].map(soqlName), ', ');
  const from = soqlName(plan.baseObject);
  // `expected`: the rows a read answers, where the aggregate query counted them (a large one is then read in Bulk
  // at once, without a REST page whose count is another scan in the org)
  const reads: Array<{ live: boolean; query: Soql; expected?: number }> = [];
  // reads that the aggregate query's counts say are empty are not sent
  if (split && read.rows <= ONE_READ_ROWS) {
    reads.push({ live: true, query: soql`SELECT ${fields(LIVE_ELAPSED_FIELDS)} FROM ${from}${whereOf(conditions)}`, expected: read.rows });
  } else if (split) {
    const f = soqlName(split.valuePath);
    if (counted(split) > 0)
      reads.push({
        live: false,
        query: soql`SELECT ${fields([])} FROM ${from}${whereOf([...conditions, soql`${f} != null`])}`,
        expected: counted(split)
      });
    if (read.rows > counted(split))
      reads.push({
        live: true,
        query: soql`SELECT ${fields(LIVE_ELAPSED_FIELDS)} FROM ${from}${whereOf([...conditions, soql`${f} = null`])}`,
        expected: read.rows - counted(split)
      });
  } else if (columns.some((c) => counted(c.col) > 0)) {
    // the rows with a value in any of the columns
    const any = soqlJoin(
      columns.map((c) => soql`${soqlName(c.col.valuePath)} != null`),
      ' OR '
    );
    reads.push({
      live: false,
      query: soql`SELECT ${fields([])} FROM ${from}${whereOf([...conditions, columns.length > 1 ? soql`(${any})` : any])}`,
      ...(columns.length === 1 ? { expected: counted(columns[0].col) } : {})
    });
  }
  // the small reads together in /composite requests; the large ones are Bulk query jobs
  await data.prefetch(reads.filter((r) => r.expected === undefined || !data.readsInBulk(r.expected)).map((r) => ({ soql: r.query })));
  let liveFn: ((row: Record<string, unknown>) => void) | undefined;
  const groups = new Map<string, { down: GroupValue[]; across: GroupValue[]; values: Map<string, ValueAccumulator> }>();
  const groupOf = (record: Record<string, unknown>) => {
    const raw = keyReaders.map((read) => read(record));
    const key = raw.map((v) => (v === null || v === undefined ? '\u0000' : String(v))).join('\u0001');
    let g = groups.get(key);
    if (!g) {
      const all = dims.map((d, i) => {
        if (d.bucket) return bucketValue(d.bucket.def, raw[i]);
        const value = groupValue(d, raw[i], raw[i]);
        return d.column!.keyPath && value.key !== null ? labels.get(i, value.key) : value;
      });
      g = { down: all.slice(0, plan.down.length), across: all.slice(plan.down.length), values: new Map() };
      groups.set(key, g);
    }
    return g;
  };
  for (const one of reads) {
    for await (const page of data.pages<Record<string, unknown>>(one.query, one.expected === undefined ? {} : { expected: one.expected })) {
      if (one.live && !liveFn) liveFn = await liveElapsed(data, now);
      for (const r of page.records) {
        if (one.live) liveFn!(r);
        const g = groupOf(r);
        for (const c of columns) {
          if (c.measure === undefined) continue;
          const raw = c.read(r);
          const v = raw === null || raw === undefined || raw === '' ? null : Number(raw);
          if (v === null || !Number.isFinite(v)) continue;
          let acc = g.values.get(c.measure);
          if (!acc) {
            acc = { sum: 0, n: 0, min: Infinity, max: -Infinity, ...(c.keep ? { values: new ValueList() } : {}) };
            g.values.set(c.measure, acc);
          }
          acc.sum += v;
          acc.n += 1;
          if (v < acc.min) acc.min = v;
          if (v > acc.max) acc.max = v;
          acc.values?.push(v);
        }
        // the row's columns are read once it is kept (fillDetailRows)
        if (sort) engine.addDetailRow(g.down, { id: String(r.Id), values: {}, sort: displayValue(sort, r) });
      }
    }
  }
  for (const g of groups.values()) for (const [column, acc] of g.values) engine.addValues(g.down, g.across, column, acc);
  return { live: liveFn };
}

/**
 * A report with at most this many rows (two REST pages) reads its values with a live count in one read, with the
 * fields the count needs on every row, rather than two: each read costs the org a scan of the object, and below
 * this the extra fields on every row cost less than that.
 */
const ONE_READ_ROWS = 4_000;

/** The columns a groupBy run reads as values: its value measures', and the sort column of detail rows ordered by a live count. */
function valueColumns(plan: CompiledReport, rp: ReadPlan): ResolvedColumn[] {
  const columns = rp.valueMeasures.map((m) => m.col);
  const sort = rp.liveSort ? plan.sortColumn : undefined;
  if (sort && !columns.some((c) => c.valuePath === sort.valuePath)) columns.push(sort);
  return columns;
}

/** Reads a record's value at a dotted path (the path split once, not per record). */
function pathReader(p: string): (record: Record<string, unknown>) => unknown {
  const segs = p.split('.');
  if (segs.length === 1) {
    const [only] = segs;
    return (record) => {
      const v = record[only];
      return v === undefined ? readPath(record, p) : v;
    };
  }
  return (record) => readPath(record, p);
}

/** Ids per query when the kept detail rows' columns are read (`Id IN (…)`). */
const IDS_PER_QUERY = 200;

/** Reads the detail columns of the rows the engine kept (at most its row limit), by Id, in /composite batches. */
async function fillDetailRows(
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

function whereOf(conditions: Soql[]): Soql {
  if (conditions.length === 0) return soql``;
  return soql` WHERE ${soqlJoin(
    conditions.map((c) => (conditions.length > 1 ? soql`(${c})` : c)),
    ' AND '
  )}`;
}

/**
 * The first `rp.rowLimit` detail rows of aggregated figures: the leaf groups in report order, each read with
 * ORDER BY the sort column (then Id) and LIMIT what is still missing. Null when that takes more than
 * MAX_DETAIL_QUERIES queries (many small groups): the caller streams the rows instead. Returns how many rows
 * the report has.
 */
async function detailRowsByGroup(
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

/** The records of one group value: its key (blank: null), a bucket's source values, or none of them for Other. */
function dimCondition(d: DimPlan, key: GroupKey): Soql {
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

function rowSoql(plan: CompiledReport, rp: ReadPlan, whereClause: Soql): Soql {
  return soql`SELECT ${selectFields(plan, rp, rp.rowLimit > 0 ? 'sort' : false)} FROM ${soqlName(plan.baseObject)}${whereClause}`;
}

/** The fields a row read needs: groupings, measures, and with `details` the detail columns and the sort column (`sort`: that only). */
function selectFields(plan: CompiledReport, rp: ReadPlan, details: boolean | 'sort'): Soql {
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

function groupBySoql(plan: CompiledReport, measures: ReadPlan['measures'], counted: ResolvedColumn[], whereClause: Soql): Soql {
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
function numberSlots(d: DimPlan): Array<{ value: GroupValue; condition: Soql }> {
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

function groupValue(d: DimPlan, v: unknown, k: unknown): GroupValue {
  if (k === null || k === undefined || k === '') return { key: null, label: '-' };
  if (typeof v === 'boolean' || (d.words && (v === 0 || v === 1))) {
    const yes = v === true || v === 1;
    return { key: String(v), label: d.words ? d.words[yes ? 'true' : 'false'] : String(v) };
  }
  return { key: String(k), label: v === null || v === undefined ? '-' : String(v) };
}

function bucketValue(b: BucketDef, raw: unknown): GroupValue {
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

function dimValue(d: DimPlan, record: Record<string, unknown>): GroupValue {
  if (d.bucket) return bucketValue(d.bucket.def, readPath(record, d.bucket.source.valuePath));
  const c = d.column!;
  const v = readPath(record, c.valuePath);
  return groupValue(d, v, c.keyPath ? readPath(record, c.keyPath) : v);
}

function displayValue(c: ResolvedColumn, record: Record<string, unknown>): unknown {
  const v = readPath(record, c.valuePath);
  if (v === null || v === undefined) return null;
  if (c.type === 'datetime' && typeof v === 'string') return new Date(v).toISOString();
  return v;
}

function detailRow(plan: CompiledReport, record: Record<string, unknown>): { id: string; values: Record<string, unknown>; sort: unknown } {
  return {
    id: String(record.Id),
    values: Object.fromEntries(plan.details.map((c) => [c.name, displayValue(c, record)])),
    sort: plan.sortColumn ? displayValue(plan.sortColumn, record) : null
  };
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

function feedGroup(
  plan: CompiledReport,
  measures: ReadPlan['measures'],
  engine: Engine,
  labels: GroupLabels,
  record: Record<string, unknown>,
  fixed?: { index: number; value: GroupValue }
): void {
  // an aggregate query without GROUP BY answers one row, with a count of 0 when nothing matches
  if (Number(record.cnt ?? 0) === 0) return;
  const all = [...plan.down, ...plan.across].map((d, i) => {
    if (fixed?.index === i) return fixed.value;
    const v = record[`g${i}`];
    if (d.bucket) return bucketValue(d.bucket.def, v);
    const value = groupValue(d, v, d.column!.keyPath ? record[`k${i}`] : v);
    labels.note(i, value);
    return value;
  });
  const partials = new Map<string, { sum: number; n: number; min: number; max: number }>();
  measures.forEach((m, i) => {
    const n = Number(record[`n${i}`] ?? 0);
    partials.set(m.column, {
      sum: Number(record[`s${i}`] ?? 0),
      n,
      min: n > 0 ? Number(record[`mn${i}`]) : Infinity,
      max: n > 0 ? Number(record[`mx${i}`]) : -Infinity
    });
  });
  engine.addGroup(all.slice(0, plan.down.length), all.slice(plan.down.length), Number(record.cnt ?? 0), partials);
}
