import type { SummaryType } from './definitions';
import { evaluate, roundHalfUp, type Expr, type SummaryRef } from './formula';

/**
 * The summary engine: rows (or pre-aggregated SOQL GROUP BY rows) go in, every grouping level's
 * summaries come out — record count, column summaries, custom summary formulas and derived
 * percentiles — with Salesforce's semantics for each (see docs/reports-and-scorecard.md#figures).
 *
 * Its memory follows the number of groups, not the rows' records (docs/reports-and-scorecard.md#at-scale):
 * medians and percentiles keep each cell's values as numbers only (a ValueList: 8 bytes a value, sorted once
 * when a figure is read), Unique keeps the distinct values, and detail rows are kept up to a limit — the first
 * rows in the report's order (groups in their order, then the sort column), as the org's report page shows its
 * first 2,000.
 */

export type GroupKey = string | null;

/** One grouping dimension (a column or a bucket), with how its groups sort. */
export interface Dimension {
  column: string;
  label: string;
  sortOrder: 'Asc' | 'Desc';
  /** Sorts groups: defined order for picklists and buckets, false < true, numbers, dates, text (blank last). */
  compare(a: GroupValue, b: GroupValue): number;
}

/** A numeric column the engine summarises. */
export interface Measure {
  column: string;
  scale: number;
  /** Keep the values (Median, percentiles). */
  values: boolean;
  /** Keep distinct values (Unique). */
  distinct: boolean;
}

export interface Partial {
  sum: number;
  n: number;
  min: number;
  max: number;
  /** the values (Median, percentiles) */
  values?: ValueList;
  distinct?: Set<string>;
}

interface Cell {
  count: number;
  partials: Map<string, Partial>;
}

export interface DetailRow {
  id: string;
  values: Record<string, unknown>;
  sort: unknown;
}

interface KeptRow extends DetailRow {
  down: GroupValue[];
}

export interface SummaryDef {
  key: string;
  label: string;
  kind: 'count' | 'column' | 'formula' | 'percentile';
  column?: string;
  aggregate?: SummaryType;
  formula?: Expr;
  datatype?: 'number' | 'percent' | 'currency';
  scale: number;
  p?: number;
  /** Not shown in the org: computed by the CLI from the report's rows (percentiles). */
  derived?: boolean;
}

export interface GroupValue {
  key: GroupKey;
  label: string;
}

export interface CellOut {
  path: GroupKey[];
  labels: string[];
  values: Record<string, number | null>;
}

export interface GroupOut {
  level: number;
  path: GroupKey[];
  labels: string[];
  values: Record<string, number | null>;
  cells?: CellOut[];
  rows?: Array<{ id: string; values: Record<string, unknown> }>;
}

export interface EngineResult {
  groups: GroupOut[];
  acrossGroups: Array<{ level: number; path: GroupKey[]; labels: string[] }>;
  grandTotal: { values: Record<string, number | null>; cells?: CellOut[]; rows?: Array<{ id: string; values: Record<string, unknown> }> };
}

const AGG_OF_FN: Record<string, SummaryType> = { SUM: 'Sum', AVG: 'Average', MIN: 'Minimum', MAX: 'Maximum', UNIQUE: 'Unique' };

export class Engine {
  private readonly cells = new Map<string, Cell>();
  /** The first `rowLimit` detail rows in report order (trimmed as they come: at most twice the limit in memory). */
  private kept: KeptRow[] = [];
  private rowsSeen = 0;
  /** With the limit full: the last row kept. */
  private last: KeptRow | undefined;
  private readonly labels = new Map<string, string>();
  private readonly measureByColumn: Map<string, Measure>;

  constructor(
    readonly down: Dimension[],
    readonly across: Dimension[],
    readonly measures: Measure[],
    readonly summaries: SummaryDef[],
    private readonly keepRows: boolean,
    private readonly rowOrder: 'Asc' | 'Desc' = 'Asc',
    /** How many detail rows the result keeps (the first in report order). */
    private readonly rowLimit: number = Infinity
  ) {
    this.measureByColumn = new Map(measures.map((m) => [m.column, m]));
  }

  /** One record: its group values, its measure values and (when detail rows are shown) its row. */
  addRow(down: GroupValue[], across: GroupValue[], measures: Map<string, number | null>, row?: DetailRow): void {
    this.noteLabels(down, across);
    for (let d = 0; d <= down.length; d++) {
      for (let a = 0; a <= across.length; a++) {
        const cell = this.cell(down.slice(0, d), across.slice(0, a));
        cell.count += 1;
        for (const [col, v] of measures) {
          if (v === null || v === undefined || !Number.isFinite(v)) continue;
          const m = this.measureByColumn.get(col);
          const p = this.partial(cell, col, m);
          p.sum += v;
          p.n += 1;
          if (v < p.min) p.min = v;
          if (v > p.max) p.max = v;
          p.values?.push(v);
          p.distinct?.add(String(v));
        }
      }
    }
    if (row && this.keepRows) this.keepRow({ ...row, down });
  }

  /** A detail row read apart from the figures (they came from the org's aggregates): kept as addRow keeps rows. */
  addDetailRow(down: GroupValue[], row: DetailRow): void {
    this.keepRow({ ...row, down });
  }

  /** The detail rows kept so far, first in report order (the objects themselves: a caller may fill in their values). */
  keptRows(): DetailRow[] {
    this.trimRows();
    return this.kept;
  }

  /** Detail rows the report has (kept or not). */
  get detailRowsSeen(): number {
    return this.rowsSeen;
  }

  private keepRow(row: KeptRow): void {
    this.rowsSeen++;
    if (this.rowLimit <= 0) return;
    // once the limit is full, a row after the last kept one can never be shown: one comparison, not a sort
    if (this.last && this.compareRows(row, this.last) >= 0) return;
    this.kept.push(row);
    if (this.kept.length >= Math.max(2 * this.rowLimit, 1000)) this.trimRows();
  }

  private trimRows(): void {
    this.kept.sort((a, b) => this.compareRows(a, b));
    if (this.kept.length > this.rowLimit) this.kept.length = this.rowLimit;
    if (this.kept.length >= this.rowLimit) this.last = this.kept[this.kept.length - 1];
  }

  /** Report order of detail rows: their groups in group order (blank last), then the sort column, then Id. */
  private compareRows(a: KeptRow, b: KeptRow): number {
    for (let i = 0; i < this.down.length; i++) {
      const x = a.down[i];
      const y = b.down[i];
      if (x.key === y.key) continue;
      if (x.key === null || y.key === null) return x.key === null ? 1 : -1;
      const dim = this.down[i];
      const c = dim.compare(x, y);
      if (c !== 0) return dim.sortOrder === 'Desc' ? -c : c;
      return x.key < y.key ? -1 : 1;
    }
    const c = compareValues(a.sort, b.sort);
    const d = this.rowOrder === 'Desc' ? -c : c;
    return d !== 0 ? d : a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
  }

  /** A SOQL GROUP BY row: `count` records of one group with their partial summaries. */
  addGroup(down: GroupValue[], across: GroupValue[], count: number, partials: Map<string, Omit<Partial, 'values' | 'distinct'>>): void {
    this.noteLabels(down, across);
    for (let d = 0; d <= down.length; d++) {
      for (let a = 0; a <= across.length; a++) {
        const cell = this.cell(down.slice(0, d), across.slice(0, a));
        cell.count += count;
        for (const [col, q] of partials) {
          if (q.n === 0) continue;
          const p = this.partial(cell, col, this.measureByColumn.get(col));
          p.sum += q.sum;
          p.n += q.n;
          p.min = Math.min(p.min, q.min);
          p.max = Math.max(p.max, q.max);
        }
      }
    }
  }

  /**
   * The values of one measure for one group (read apart from the group's count, which addGroup gave): merged into
   * the group's cell and every cell above it. The group's own cell takes the list itself when it has none yet
   * (the caller hands it over), the cells above a copy.
   */
  addValues(down: GroupValue[], across: GroupValue[], column: string, values: ValueAccumulator): void {
    if (values.n === 0) return;
    this.noteLabels(down, across);
    const m = this.measureByColumn.get(column);
    for (let d = 0; d <= down.length; d++) {
      for (let a = 0; a <= across.length; a++) {
        const p = this.partial(this.cell(down.slice(0, d), across.slice(0, a)), column, m);
        const own = d === down.length && a === across.length;
        p.sum += values.sum;
        p.n += values.n;
        p.min = Math.min(p.min, values.min);
        p.max = Math.max(p.max, values.max);
        if (p.values && values.values) {
          if (own && p.values.length === 0) p.values = values.values;
          else p.values.append(values.values);
        }
      }
    }
  }

  result(): EngineResult {
    if (this.keepRows) this.trimRows();
    const rowsByPath = new Map<string, Array<{ id: string; values: Record<string, unknown> }>>();
    for (const r of this.kept) {
      const k = JSON.stringify(r.down.map((g) => g.key));
      const list = rowsByPath.get(k) ?? [];
      list.push({ id: r.id, values: r.values });
      rowsByPath.set(k, list);
    }
    const rowsOf = (path: GroupKey[]) => rowsByPath.get(JSON.stringify(path)) ?? [];
    const downTree = this.tree(this.down, 'down');
    const acrossTree = this.tree(this.across, 'across');
    const acrossLeafs = acrossTree.filter((x) => x.path.length > 0);
    const cellsFor = (downPath: GroupKey[]): CellOut[] | undefined =>
      this.across.length === 0
        ? undefined
        : acrossLeafs.map((ac) => ({ path: ac.path, labels: ac.labels, values: this.values(downPath, ac.path) }));
    const groups: GroupOut[] = downTree
      .filter((g) => g.path.length > 0)
      .map((g) => {
        const out: GroupOut = { level: g.path.length, path: g.path, labels: g.labels, values: this.values(g.path, []) };
        const cells = cellsFor(g.path);
        if (cells) out.cells = cells;
        if (this.keepRows && g.path.length === this.down.length) out.rows = rowsOf(g.path);
        return out;
      });
    const grandTotal: EngineResult['grandTotal'] = { values: this.values([], []) };
    const gc = cellsFor([]);
    if (gc) grandTotal.cells = gc;
    if (this.keepRows && this.down.length === 0) grandTotal.rows = rowsOf([]);
    return { groups, acrossGroups: acrossLeafs.map((x) => ({ level: x.path.length, path: x.path, labels: x.labels })), grandTotal };
  }

  // ---------------------------------------------------------------------------------------------

  private noteLabels(down: GroupValue[], across: GroupValue[]): void {
    for (let d = 1; d <= down.length; d++) this.labels.set(`d${JSON.stringify(down.slice(0, d).map((g) => g.key))}`, down[d - 1].label);
    for (let a = 1; a <= across.length; a++)
      this.labels.set(`a${JSON.stringify(across.slice(0, a).map((g) => g.key))}`, across[a - 1].label);
  }

  private key(down: GroupKey[], across: GroupKey[]): string {
    return JSON.stringify([down, across]);
  }

  private cell(down: GroupValue[], across: GroupValue[]): Cell {
    const k = this.key(
      down.map((g) => g.key),
      across.map((g) => g.key)
    );
    let c = this.cells.get(k);
    if (!c) {
      c = { count: 0, partials: new Map() };
      this.cells.set(k, c);
    }
    return c;
  }

  private partial(cell: Cell, col: string, m: Measure | undefined): Partial {
    let p = cell.partials.get(col);
    if (!p) {
      p = { sum: 0, n: 0, min: Infinity, max: -Infinity };
      if (m?.values) p.values = new ValueList();
      if (m?.distinct) p.distinct = new Set();
      cell.partials.set(col, p);
    }
    return p;
  }

  private tree(dims: Dimension[], side: 'down' | 'across'): Array<{ path: GroupKey[]; labels: string[] }> {
    const prefix = side === 'down' ? 'd' : 'a';
    // all distinct paths per level, from the cells
    const children = new Map<string, GroupKey[]>();
    for (const k of this.cells.keys()) {
      const [down, across] = JSON.parse(k) as [GroupKey[], GroupKey[]];
      const p = side === 'down' ? down : across;
      const other = side === 'down' ? across : down;
      if (other.length !== 0 || p.length === 0) continue;
      const parent = JSON.stringify(p.slice(0, -1));
      const list = children.get(parent) ?? [];
      if (!list.some((x) => x === p[p.length - 1])) list.push(p[p.length - 1]);
      children.set(parent, list);
    }
    const out: Array<{ path: GroupKey[]; labels: string[] }> = [];
    const walk = (path: GroupKey[], labels: string[]) => {
      out.push({ path, labels });
      if (path.length >= dims.length) return;
      const dim = dims[path.length];
      const kids = (children.get(JSON.stringify(path)) ?? [])
        .map((key) => ({ key, label: this.labels.get(`${prefix}${JSON.stringify([...path, key])}`) ?? '-' }))
        .sort((a, b) => {
          if (a.key === null || b.key === null) return a.key === b.key ? 0 : a.key === null ? 1 : -1;
          const c = dim.compare(a, b);
          return dim.sortOrder === 'Desc' ? -c : c;
        });
      for (const k of kids) walk([...path, k.key], [...labels, k.label]);
    };
    walk([], []);
    return out;
  }

  /** The rounded summaries of one cell. */
  private values(down: GroupKey[], across: GroupKey[]): Record<string, number | null> {
    const out: Record<string, number | null> = {};
    for (const s of this.summaries) out[s.key] = this.summaryValue(s, down, across);
    return out;
  }

  private summaryValue(s: SummaryDef, down: GroupKey[], across: GroupKey[]): number | null {
    const cell = this.cells.get(this.key(down, across));
    switch (s.kind) {
      case 'count':
        return cell?.count ?? 0;
      case 'column': {
        const raw = this.columnSummary(cell, s.column!, s.aggregate!);
        if (raw === null) return null;
        const digits = s.aggregate === 'Average' || s.aggregate === 'Median' ? 2 : s.scale;
        return roundHalfUp(raw, digits);
      }
      case 'percentile': {
        const p = cell?.partials.get(s.column!);
        if (!p?.values || p.n === 0) return null;
        // nearest rank
        const rank = Math.ceil((s.p! / 100) * p.n);
        return roundHalfUp(p.values.nth(Math.max(rank, 1) - 1), s.scale);
      }
      case 'formula': {
        const v = evaluate(s.formula!, {
          summary: (ref) => this.refValue(ref, down, across),
          parent: (ref, levels) => {
            const [d, a] = this.parentLevels(levels, down.length, across.length);
            return this.refValue(ref, down.slice(0, d), across.slice(0, a));
          }
        });
        if (typeof v !== 'number' || !Number.isFinite(v)) return null;
        return roundHalfUp(s.datatype === 'percent' ? v * 100 : v, s.scale);
      }
    }
  }

  private refValue(ref: SummaryRef, down: GroupKey[], across: GroupKey[]): number | null {
    const cell = this.cells.get(this.key(down, across));
    if (ref.column === 'RowCount') return cell?.count ?? 0;
    return this.columnSummary(cell, ref.column, AGG_OF_FN[ref.fn!]);
  }

  /** PARENTGROUPVAL levels → (down depth, across depth), never deeper than the cell itself. */
  private parentLevels(levels: string[], d: number, a: number): [number, number] {
    let down = d;
    let across = a;
    for (const lv of levels) {
      const u = lv.toUpperCase();
      if (u === 'GRAND_SUMMARY') {
        down = 0;
        across = 0;
      } else if (u === 'ROW_GRAND_SUMMARY') down = 0;
      else if (u === 'COLUMN_GRAND_SUMMARY') across = 0;
      else {
        const di = this.down.findIndex((x) => x.column === lv);
        const ai = this.across.findIndex((x) => x.column === lv);
        if (di >= 0) down = Math.min(di + 1, d);
        else if (ai >= 0) across = Math.min(ai + 1, a);
      }
    }
    return [down, across];
  }

  private columnSummary(cell: Cell | undefined, column: string, agg: SummaryType): number | null {
    const p = cell?.partials.get(column);
    switch (agg) {
      case 'Sum':
        return cell ? (p?.sum ?? 0) : null;
      case 'Average':
        return p && p.n > 0 ? p.sum / p.n : null;
      case 'Maximum':
        return p && p.n > 0 ? p.max : null;
      case 'Minimum':
        return p && p.n > 0 ? p.min : null;
      case 'Unique':
        return p?.distinct ? p.distinct.size : 0;
      case 'Median': {
        if (!p?.values || p.n === 0) return null;
        const mid = p.n >> 1;
        return p.n % 2 === 1 ? p.values.nth(mid) : (p.values.nth(mid - 1) + p.values.nth(mid)) / 2;
      }
    }
  }
}

/**
 * Numbers only, in a growing Float64Array (8 bytes a value, no object per value): what a median or percentile
 * needs of a cell's rows. Sorted in place the first time a rank is read.
 */
export class ValueList {
  private data = new Float64Array(16);
  private size = 0;
  private sorted = true;

  get length(): number {
    return this.size;
  }

  push(v: number): void {
    if (this.size === this.data.length) this.grow(this.size + 1);
    this.data[this.size++] = v;
    this.sorted = false;
  }

  append(other: ValueList): void {
    if (other.size === 0) return;
    if (this.size + other.size > this.data.length) this.grow(this.size + other.size);
    this.data.set(other.data.subarray(0, other.size), this.size);
    this.size += other.size;
    this.sorted = false;
  }

  /** The value at 0-based rank `i` in ascending order (the last one past the end). */
  nth(i: number): number {
    if (!this.sorted) {
      this.data.subarray(0, this.size).sort();
      this.sorted = true;
    }
    return this.data[Math.min(Math.max(i, 0), this.size - 1)];
  }

  private grow(min: number): void {
    const next = new Float64Array(Math.max(min, this.data.length * 2));
    next.set(this.data.subarray(0, this.size));
    this.data = next;
  }
}

/** A group's figures of one measure read value by value: sum, count, least and greatest, and the values when kept. */
export interface ValueAccumulator {
  sum: number;
  n: number;
  min: number;
  max: number;
  values?: ValueList;
}

/** Orders detail-row sort values: blanks first, numbers numerically, everything else as text. */
export function compareValues(a: unknown, b: unknown): number {
  const an = a === null || a === undefined || a === '';
  const bn = b === null || b === undefined || b === '';
  if (an || bn) return an && bn ? 0 : an ? -1 : 1;
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  if (typeof a === 'boolean' && typeof b === 'boolean') return Number(a) - Number(b);
  return TEXT.compare(String(a), String(b));
}

/** Text in the order `localeCompare(…, 'en', { sensitivity: 'base' })` gives, with one collator for every comparison. */
const TEXT = new Intl.Collator('en', { sensitivity: 'base' });

export { AGG_OF_FN };
