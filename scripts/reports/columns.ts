import type { ReportTypeDef } from './definitions';
import { ReportMetadataError } from './errors';
import type { ColumnType, ReportSchema, SchemaField } from './schema';

/**
 * A report column (`SLA_Timer__c$Accountable_User__c.Manager`) resolved to what SOQL reads: the
 * path of the value shown (`Accountable_User__r.Manager.Name`) and, for lookups, the path of the
 * Id groups are keyed on (`Accountable_User__r.ManagerId`), as Salesforce groups a lookup by record.
 */
export interface ResolvedColumn {
  name: string;
  label: string;
  type: ColumnType;
  valuePath: string;
  keyPath?: string;
  scale?: number;
  picklistValues?: string[];
  /** The field at the end of the path. */
  field: SchemaField;
}

/** Resolves `table$path` against the report type and the schema; throws ReportMetadataError naming the report. */
export function resolveColumn(schema: ReportSchema, rt: ReportTypeDef, name: string, where: string): ResolvedColumn {
  const dollar = name.indexOf('$');
  if (dollar < 0)
    throw new ReportMetadataError(`${where}: column ${name} is not a column of report type ${rt.name} (columns are written table$field)`);
  const table = name.slice(0, dollar);
  const fieldPath = name.slice(dollar + 1);
  if (table !== rt.baseObject) {
    throw new ReportMetadataError(`${where}: column ${name} is not in report type ${rt.name} (its table is ${rt.baseObject})`);
  }
  if (!rt.columns.has(name.toLowerCase())) {
    throw new ReportMetadataError(`${where}: column ${name} is not exposed by report type ${rt.name}`);
  }
  const segs = fieldPath.split('.');
  let object = rt.baseObject;
  const rels: string[] = [];
  const labels: string[] = [];
  for (let i = 0; i < segs.length - 1; i++) {
    const lookup = lookupOf(schema, object, segs[i]);
    if (!lookup || !lookup.referenceTo || !lookup.relationshipName) {
      throw new ReportMetadataError(`${where}: column ${name}: ${segs[i]} is not a lookup on ${object}`);
    }
    rels.push(lookup.relationshipName);
    labels.push(lookup.label.replace(/ ID$/, ''));
    object = lookup.referenceTo[0];
  }
  const last = segs[segs.length - 1];
  const prefix = rels.length > 0 ? `${rels.join('.')}.` : '';
  const direct = schema.field(object, last);
  const asLookup = direct?.type === 'reference' ? direct : direct ? undefined : schema.relationship(object, last);
  if (asLookup && asLookup.relationshipName) {
    return {
      name,
      label: [...labels, asLookup.label.replace(/ ID$/, '')].join(': '),
      type: 'reference',
      valuePath: `${prefix}${asLookup.relationshipName}.Name`,
      keyPath: `${prefix}${asLookup.name}`,
      field: asLookup
    };
  }
  if (!direct) throw new ReportMetadataError(`${where}: column ${name}: ${object} has no field ${last}`);
  return {
    name,
    label: [...labels, direct.label].join(': '),
    type: direct.type,
    valuePath: `${prefix}${direct.name}`,
    scale: direct.scale,
    picklistValues: direct.picklistValues,
    field: direct
  };
}

function lookupOf(schema: ReportSchema, object: string, seg: string): SchemaField | undefined {
  const f = schema.field(object, seg);
  if (f?.type === 'reference') return f;
  return schema.relationship(object, seg);
}

export const NUMERIC_TYPES: ReadonlySet<ColumnType> = new Set(['number', 'currency', 'percent']);

/** Reads a (possibly nested) path of a REST record: `Accountable_User__r.Manager.Name`. */
export function readPath(record: Record<string, unknown>, p: string): unknown {
  let cur: unknown = record;
  for (const seg of p.split('.')) {
    if (cur === null || cur === undefined || typeof cur !== 'object') return null;
    const obj = cur as Record<string, unknown>;
    const key = seg in obj ? seg : Object.keys(obj).find((k) => k.toLowerCase() === seg.toLowerCase());
    cur = key === undefined ? null : obj[key];
  }
  return cur === undefined ? null : cur;
}
