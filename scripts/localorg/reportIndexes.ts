import type { Schema } from './schema';
import type { Store } from './store';

/**
 * The date and date/time fields the deployed reports filter their time frames on (`<timeFrameFilter><dateColumn>`),
 * as `Object.Field`, which the org indexes (Store.syncTables) as an admin has Salesforce Support add a custom index
 * on a report's date field ("Custom indexes", Query & Search Optimization Cheat Sheet). A report's period is a
 * range on that field: with the index the org reads only the rows in it when they are few (soql/rangeHints.ts).
 * A column is `Object$Field` or `Object$Lookup__c.Field` (the field of the lookup's object); one the schema does
 * not resolve is left out.
 */
export function reportDateFields(store: Store, schema: Schema): Set<string> {
  const out = new Set<string>();
  for (const row of store.all(`SELECT content FROM _component WHERE type = 'Report'`)) {
    const xml = typeof row.content === 'string' ? row.content : Buffer.from(row.content as Uint8Array).toString('utf8');
    const m = /<timeFrameFilter>[\s\S]*?<dateColumn>\s*([^<\s]+)\s*<\/dateColumn>/.exec(xml);
    if (!m) continue;
    const [entity, path] = m[1].split('$');
    let obj = schema.get(entity);
    const hops = (path ?? '').split('.');
    for (const hop of hops.slice(0, -1)) {
      const ref = obj?.byName.get(hop.toLowerCase());
      obj = ref?.type === 'reference' && ref.referenceTo.length === 1 ? schema.get(ref.referenceTo[0]) : undefined;
    }
    const field = obj?.byName.get((hops.at(-1) ?? '').toLowerCase());
    if (obj && field && (field.type === 'date' || field.type === 'datetime')) out.add(`${obj.name}.${field.name}`);
  }
  return out;
}
