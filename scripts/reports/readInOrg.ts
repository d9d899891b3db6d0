import { OrgData, soql, soqlJoin, soqlName } from '../org/data';
import type { Soql } from '../org/data';
import { readPath, type ResolvedColumn } from './columns';
import { Engine, ValueList, type GroupValue, type ValueAccumulator } from './engine';
import { ELAPSED_FIELD, LIVE_ELAPSED_FIELDS, liveElapsed } from './liveTimers';
import type { CompiledReport } from './compiled';
import { detailRowsByGroup, fillDetailRows } from './readDetails';
import { AGGREGATE_ROW_LIMIT, type ReadMode, type ReadPlan } from './readPlan';
import { bucketValue, displayValue, groupBySoql, groupValue, numberSlots, whereOf } from './readQueries';

/**
 * Reads the report's figures in the org (`groupBy`, `groupBy+values`) into `engine`: the aggregate queries, the
 * value measures' columns and the detail rows. Null when the figures must be streamed instead (more than
 * AGGREGATE_ROW_LIMIT groups, detail rows of too many groups, or an aggregate answer the org refuses).
 */
export async function readInOrg(
  data: OrgData,
  plan: CompiledReport,
  rp: ReadPlan,
  engine: Engine,
  conditions: Soql[],
  now: number
): Promise<{ engine: Engine; query: Soql; mode: ReadMode; detailTotal: number } | null> {
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
      const values = counted.length > 0 ? await readValues(data, plan, rp, engine, labels, { conditions, rows: total, counts }, now) : null;
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
  return null;
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
