import { fromStored, recordUrl } from '../records/fieldValues';
import type { SqlValue, Store } from '../store';
import type { Compiled } from './plan';

/** Query results: SQL rows → REST records (relationship objects nested, aggregate rows typed), and child subquery results attached. */

type Row = Record<string, SqlValue>;

/** Output records of a page of rows (subqueries filled in separately). */
export function buildRecords(c: Compiled, rows: Row[]): Array<Record<string, unknown>> {
  if (c.aggregate) {
    return rows.map((row) => {
      const rec: Record<string, unknown> = { attributes: { type: 'AggregateResult' } };
      for (const col of c.columns) {
        const v = row[col.sqlAlias];
        if (col.aggFn === 'COUNT' || col.aggFn === 'COUNT_DISTINCT') rec[col.path[0]] = v === null ? 0 : Number(v);
        else if (col.aggFn === 'AVG' || col.aggFn === 'SUM') rec[col.path[0]] = v === null ? null : Number(v);
        else rec[col.path[0]] = col.field ? fromStored(col.field, v) : v;
      }
      return rec;
    });
  }
  return rows.map((row) => {
    const rec: Record<string, unknown> = {
      attributes: { type: c.obj.name, url: recordUrl(c.version, c.obj.name, String(row._id)) }
    };
    const relObjects = new Map<string, Record<string, unknown> | null>();
    for (const col of c.columns) {
      if (col.kind === 'relId') {
        const id = row[col.sqlAlias];
        const key = col.path.join('.');
        const parentKey = col.path.slice(0, -1).join('.');
        const container = parentKey ? relObjects.get(parentKey) : rec;
        if (container === null || container === undefined) {
          relObjects.set(key, null);
          continue;
        }
        if (id === null) {
          container[col.path[col.path.length - 1]] = null;
          relObjects.set(key, null);
        } else {
          const obj: Record<string, unknown> = { attributes: { type: '', url: '' } };
          container[col.path[col.path.length - 1]] = obj;
          relObjects.set(key, obj);
        }
      } else if (col.kind === 'relType') {
        const obj = relObjects.get(col.path.join('.'));
        if (obj) {
          const type = String(row[col.sqlAlias]);
          const idCol = c.columns.find((x) => x.kind === 'relId' && x.path.join('.') === col.path.join('.'))!;
          obj.attributes = {
            type: col.polymorphic ? 'Name' : type,
            url: recordUrl(c.version, type, String(row[idCol.sqlAlias]))
          };
        }
      } else {
        const container = col.path.length === 1 ? rec : relObjects.get(col.path.slice(0, -1).join('.'));
        if (container) container[col.path[col.path.length - 1]] = fromStored(col.field!, row[col.sqlAlias]);
      }
    }
    return rec;
  });
}

/** Runs child subqueries for a page of parent records and attaches `{totalSize, done, records}` or null. */
export function attachSubqueries(c: Compiled, store: Store, parents: Array<Record<string, unknown>>, parentIds: string[]): void {
  for (const sq of c.subqueries) {
    const byParent = new Map<string, Array<Record<string, unknown>>>();
    for (let i = 0; i < parentIds.length; i += 500) {
      const chunk = parentIds.slice(i, i + 500);
      const sql = sq.compiled.childSql!(chunk.length);
      const rows = store.all(sql, [...chunk, ...sq.compiled.params]);
      const records = buildRecords(sq.compiled, rows);
      records.forEach((record, k) => {
        // buildRecords gives one record per row, in order
        const p = String(rows.at(k)?._parent);
        let list = byParent.get(p);
        if (!list) byParent.set(p, (list = []));
        list.push(record);
      });
    }
    const off = sq.compiled.offset;
    parents.forEach((rec, k) => {
      let list = byParent.get(parentIds.at(k) ?? '') ?? [];
      if (off) list = list.slice(off);
      if (sq.limit !== undefined) list = list.slice(0, sq.limit);
      rec[sq.relationshipName] = list.length ? { totalSize: list.length, done: true, records: list } : null;
    });
  }
}
