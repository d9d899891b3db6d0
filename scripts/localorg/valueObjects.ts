import type { StandardPicklistValue } from '../metadata/standardObjects';
import { makeId } from './ids';
import type { DmlContext } from './records/dmlContext';
import type { Schema } from './schema';
import { quote, SqlValue, Store } from './store';
import { ownValue } from './ownValue';

/**
 * LeadStatus and OpportunityStage: the sObjects an org exposes for the values of Lead.Status and
 * Opportunity.StageName (`SELECT ApiName, IsConverted FROM LeadStatus`). The local org derives their
 * rows from the schema's picklist values (the deployed LeadStatus / OpportunityStage standard value
 * sets, else the built-in defaults) and keeps them in step after every deploy; they are read-only
 * over the API. A value keeps its Id as long as it exists; SortOrder is its position (from 1).
 */
interface ValueObject {
  object: string;
  source: { object: string; field: string };
  row(v: StandardPicklistValue, sortOrder: number): Record<string, SqlValue>;
}

const FORECAST_NAMES: Record<string, string> = { BestCase: 'Best Case', Forecast: 'Commit' };

const VALUE_OBJECTS: ValueObject[] = [
  {
    object: 'LeadStatus',
    source: { object: 'Lead', field: 'Status' },
    row: (v, sortOrder) => ({
      MasterLabel: v.label ?? v.value,
      ApiName: v.value,
      SortOrder: sortOrder,
      IsDefault: v.default ? 1 : 0,
      IsConverted: v.converted ? 1 : 0
    })
  },
  {
    object: 'OpportunityStage',
    source: { object: 'Opportunity', field: 'StageName' },
    row: (v, sortOrder) => {
      // the same derivation as Opportunity.IsClosed/IsWon/ForecastCategory/Probability on save
      const category = v.forecastCategory ?? (v.closed ? (v.won ? 'Closed' : 'Omitted') : 'Pipeline');
      return {
        MasterLabel: v.label ?? v.value,
        ApiName: v.value,
        IsActive: 1,
        SortOrder: sortOrder,
        IsClosed: v.closed ? 1 : 0,
        IsWon: v.won ? 1 : 0,
        ForecastCategory: category,
        ForecastCategoryName: ownValue(FORECAST_NAMES, category) ?? category,
        DefaultProbability: v.probability ?? (v.closed ? (v.won ? 100 : 0) : null),
        Description: null
      };
    }
  }
];

/** Brings the LeadStatus / OpportunityStage rows in line with the schema's values (inside the caller's transaction). */
export function syncValueObjects(store: Store, schema: Schema, ctx: DmlContext): void {
  const now = ctx.now.toISOString();
  for (const vo of VALUE_OBJECTS) {
    const obj = schema.get(vo.object);
    const field = schema.get(vo.source.object)?.byName.get(vo.source.field.toLowerCase());
    if (!obj || !field) continue;
    const table = quote(obj.name);
    const existing = new Map(store.all(`SELECT * FROM ${table}`).map((r) => [String(r.ApiName), r]));
    const wanted = new Set<string>();
    field.picklistValues.forEach((v, i) => {
      wanted.add(v.value);
      const values = vo.row(v, i + 1);
      const old = existing.get(v.value);
      if (!old) {
        const row: Record<string, SqlValue> = {
          Id: makeId(obj.keyPrefix, store.nextSeq(`id:${obj.keyPrefix}`)),
          ...values,
          CreatedDate: now,
          CreatedById: ctx.userId,
          LastModifiedDate: now,
          LastModifiedById: ctx.userId,
          SystemModstamp: now
        };
        const cols = Object.keys(row);
        store.run(
          `INSERT INTO ${table} (${cols.map(quote).join(', ')}) VALUES (${cols.map(() => '?').join(', ')})`,
          Object.values(row) // in the order of Object.keys
        );
        return;
      }
      const before = new Map(Object.entries(old));
      const changed = Object.entries(values).filter(([c, v]) => v !== before.get(c));
      if (changed.length === 0) return;
      const set = {
        ...Object.fromEntries(changed),
        LastModifiedDate: now,
        LastModifiedById: ctx.userId,
        SystemModstamp: now
      };
      const cols = Object.keys(set);
      store.run(`UPDATE ${table} SET ${cols.map((c) => `${quote(c)} = ?`).join(', ')} WHERE "Id" = ?`, [
        ...Object.values(set), // in the order of Object.keys
        String(old.Id)
      ]);
    });
    for (const [apiName, old] of existing) {
      if (!wanted.has(apiName)) store.run(`DELETE FROM ${table} WHERE "Id" = ?`, [String(old.Id)]);
    }
  }
}
