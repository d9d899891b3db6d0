import * as path from 'node:path';
import { readObjects, type FieldDef, type ObjectDef } from '../metadata/objects';
import { customObjectSystemFields, STANDARD_OBJECT_MAP, type StandardFieldDef } from '../metadata/standardObjects';
import { PACKAGE_DIR } from '../project';

/** How the report runner treats a field's values. */
export type ColumnType =
  | 'text'
  | 'number'
  | 'currency'
  | 'percent'
  | 'date'
  | 'datetime'
  | 'boolean'
  | 'picklist'
  | 'multipicklist'
  | 'id'
  | 'reference'
  | 'textarea';

/** One field of an object as the runner needs it: the same shape for custom and standard fields. */
export interface SchemaField {
  object: string;
  name: string;
  label: string;
  type: ColumnType;
  scale?: number;
  /** Lookup target(s) and the relationship name SOQL uses for them (`Owner`, `Lead__r`). */
  referenceTo?: string[];
  relationshipName?: string;
  /** Picklist values in their defined order (group sorting follows it, as in Salesforce). */
  picklistValues?: string[];
  /** The field's description and help text (custom fields): what its values mean (./display). */
  description?: string;
  helpText?: string;
}

/**
 * The objects reports run over, from the package's own metadata (custom objects and the custom
 * fields on standard objects, through scripts/metadata/objects.ts) and the built-in description
 * of the standard objects (scripts/metadata/standardObjects.ts).
 */
export class ReportSchema {
  private readonly custom: Map<string, ObjectDef>;
  private readonly cache = new Map<string, Map<string, SchemaField>>();

  constructor(pkgDir: string = PACKAGE_DIR) {
    this.custom = readObjects(path.join(pkgDir, 'main', 'default', 'objects'));
  }

  hasObject(name: string): boolean {
    return this.custom.has(name) || STANDARD_OBJECT_MAP.has(name);
  }

  /** Every field of the object by lower-case API name. */
  fields(object: string): Map<string, SchemaField> {
    let out = this.cache.get(object);
    if (out) return out;
    out = new Map();
    const std = STANDARD_OBJECT_MAP.get(object);
    const custom = this.custom.get(object);
    if (std) for (const f of std.fields) out.set(f.name.toLowerCase(), fromStandard(object, f));
    if (custom && custom.custom) {
      for (const f of customObjectSystemFields()) out.set(f.name.toLowerCase(), fromStandard(object, f));
      const nf = custom.nameField;
      out.set('name', { object, name: 'Name', label: nf?.label ?? 'Name', type: 'text' });
    }
    if (custom) for (const f of custom.fields.values()) out.set(f.fullName.toLowerCase(), fromCustom(object, f));
    this.cache.set(object, out);
    return out;
  }

  field(object: string, name: string): SchemaField | undefined {
    return this.fields(object).get(name.toLowerCase());
  }

  /** The lookup field whose relationship is `rel` (`Owner` → OwnerId, `Manager` → ManagerId). */
  relationship(object: string, rel: string): SchemaField | undefined {
    for (const f of this.fields(object).values()) {
      if (f.relationshipName && f.relationshipName.toLowerCase() === rel.toLowerCase() && f.type === 'reference') return f;
    }
    return undefined;
  }
}

function fromStandard(object: string, f: StandardFieldDef): SchemaField {
  const types: Record<string, ColumnType> = {
    id: 'id',
    string: 'text',
    textarea: 'textarea',
    boolean: 'boolean',
    int: 'number',
    double: 'number',
    currency: 'currency',
    percent: 'percent',
    date: 'date',
    datetime: 'datetime',
    time: 'text',
    email: 'text',
    phone: 'text',
    url: 'text',
    picklist: 'picklist',
    multipicklist: 'multipicklist',
    combobox: 'text',
    reference: 'reference',
    anyType: 'text'
  };
  return {
    object,
    name: f.name,
    label: f.label,
    type: types[f.type] ?? 'text',
    scale: f.scale,
    referenceTo: f.referenceTo,
    relationshipName: f.relationshipName,
    picklistValues: f.picklistValues?.map((v) => v.value)
  };
}

function fromCustom(object: string, f: FieldDef): SchemaField {
  const raw = f.type === 'Formula' ? f.rawType : f.type;
  const types: Record<string, ColumnType> = {
    AutoNumber: 'text',
    Checkbox: 'boolean',
    Currency: 'currency',
    Date: 'date',
    DateTime: 'datetime',
    Email: 'text',
    Lookup: 'reference',
    MasterDetail: 'reference',
    LongTextArea: 'textarea',
    MultiselectPicklist: 'multipicklist',
    Number: 'number',
    Percent: 'percent',
    Phone: 'text',
    Picklist: 'picklist',
    Text: 'text',
    TextArea: 'textarea',
    Url: 'text',
    Html: 'textarea',
    Time: 'text'
  };
  const reference = raw === 'Lookup' || raw === 'MasterDetail';
  return {
    object,
    name: f.fullName,
    label: f.label,
    type: types[raw] ?? 'text',
    scale: f.scale,
    referenceTo: reference && f.referenceTo ? [f.referenceTo] : undefined,
    relationshipName: reference ? f.fullName.replace(/__c$/, '__r') : undefined,
    picklistValues: f.picklistValues?.map((v) => v.fullName),
    description: f.description,
    helpText: f.inlineHelpText
  };
}
