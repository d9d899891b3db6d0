import type { FieldDef, ObjectDef } from '../metadata/objects';
import {
  customMetadataSystemFields,
  customObjectSystemFields,
  DESCRIBE_TYPE_OF_FIELD_TYPE,
  STANDARD_OBJECTS,
  StandardFieldDef,
  StandardPicklistValue
} from '../metadata/standardObjects';
import { ownValue } from './ownValue';

/**
 * The local org's schema: the built-in standard objects plus what was deployed into it (custom
 * objects and fields, history tracking, standard value sets), in describe terms.
 */
export interface FieldSchema extends StandardFieldDef {
  custom: boolean;
  referenceTo: string[];
  picklistValues: StandardPicklistValue[];
  autoNumber: boolean;
  displayFormat?: string;
  trackHistory: boolean;
  deleteConstraint?: 'Restrict' | 'SetNull' | 'Cascade';
  inlineHelpText?: string;
  /** Formula fields are described but not evaluated by the local org (always null). */
  formula?: string;
  /** A master-detail field: the record's sharing follows its master (`ControlledByParent`). */
  masterDetail?: boolean;
}

export interface ChildRelationship {
  relationshipName: string;
  childSObject: string;
  field: string;
  cascadeDelete: boolean;
  restrictedDelete: boolean;
}

export interface ObjectSchema {
  name: string;
  label: string;
  labelPlural: string;
  keyPrefix: string;
  custom: boolean;
  customMetadata: boolean;
  createable: boolean;
  updateable: boolean;
  deletable: boolean;
  fields: FieldSchema[];
  /** Lower-case API name → field. */
  byName: Map<string, FieldSchema>;
  /** Lower-case relationship name → reference field. */
  byRelationship: Map<string, FieldSchema>;
  children: ChildRelationship[];
  childByName: Map<string, ChildRelationship>;
  history?: { object: string; parentField: string };
  /** The org-wide default of a custom object (`Private`, `Read`, `ReadWrite`, `ControlledByParent`, …); standard objects: none. */
  sharingModel?: string;
  nameField?: FieldSchema;
  hasOwner: boolean;
  hasAudit: boolean;
}

export interface DeployedModel {
  objects: Map<string, ObjectDef>;
  standardValueSets: Map<string, StandardPicklistValue[]>;
  prefixes: Map<string, string>;
}

/**
 * Which records of an object a user may read: a SQL condition on a table alias with its `?`
 * parameters, or undefined when every record is readable.
 */
export interface RecordVisibility {
  /** The user whose view this is. */
  readonly userId: string;
  readFilter(obj: ObjectSchema, alias: string): { sql: string; params: string[] } | undefined;
}

export class Schema {
  readonly objects = new Map<string, ObjectSchema>();
  readonly byPrefix = new Map<string, ObjectSchema>();
  /**
   * Set on a user's view of the schema (permissions/userSchema.ts): the objects and fields that user
   * may read, and which records. Undefined on the org's own schema (system mode: every record).
   */
  visibility?: RecordVisibility;

  get(name: string): ObjectSchema | undefined {
    return this.objects.get(name.toLowerCase());
  }

  list(): ObjectSchema[] {
    return [...this.objects.values()].sort((a, b) => a.name.localeCompare(b.name));
  }

  /** The object an id belongs to, by key prefix (history objects share 017: the caller disambiguates). */
  objectForId(id: string): ObjectSchema | undefined {
    return this.byPrefix.get(id.slice(0, 3));
  }
}

function toFieldSchema(f: StandardFieldDef, custom: boolean): FieldSchema {
  return {
    ...f,
    custom,
    referenceTo: f.referenceTo ?? [],
    picklistValues: f.picklistValues ?? [],
    autoNumber: false,
    trackHistory: false
  };
}

export class SchemaError extends Error {
  override readonly name = 'SchemaError';
}

/** The describe form of a custom field from its metadata. */
export function customField(def: FieldDef, objectName: string): FieldSchema {
  const raw = def.type === 'Formula' ? def.rawType : def.type;
  const type = ownValue(DESCRIBE_TYPE_OF_FIELD_TYPE, raw);
  if (!type) throw new SchemaError(`${objectName}.${def.fullName}: unsupported field type ${def.rawType}`);
  const isRef = type === 'reference';
  const isFormula = def.type === 'Formula';
  const isAuto = raw === 'AutoNumber';
  const required = def.required || raw === 'MasterDetail';
  let length = def.length;
  if (type === 'email' || type === 'url') length = length ?? (type === 'email' ? 80 : 255);
  if (type === 'phone') length = 40;
  if (type === 'textarea' && raw === 'TextArea') length = 255;
  if (type === 'picklist') length = 255;
  if (type === 'multipicklist') length = 4099;
  if (isAuto) length = 30;
  if (isRef) length = 18;
  const deleteConstraint = isRef
    ? raw === 'MasterDetail'
      ? 'Cascade'
      : ((def.deleteConstraint as FieldSchema['deleteConstraint']) ?? 'SetNull')
    : undefined;
  let defaultValue: FieldSchema['defaultValue'];
  if (type === 'boolean') defaultValue = def.defaultValue === 'true';
  else if (def.defaultValue !== undefined && /^-?\d+(\.\d+)?$/.test(def.defaultValue)) defaultValue = Number(def.defaultValue);
  else if (def.defaultValue !== undefined && /^(["']).*\1$/.test(def.defaultValue)) defaultValue = def.defaultValue.slice(1, -1);
  const picklistValues = (def.picklistValues ?? []).map((v) => ({ value: v.fullName, label: v.label, default: v.default }));
  return {
    name: def.fullName,
    label: def.label,
    type,
    length,
    precision: def.precision,
    scale: def.scale,
    nillable: type === 'boolean' ? false : !required,
    createable: !isFormula && !isAuto,
    updateable: !isFormula && !isAuto && !(raw === 'MasterDetail'),
    defaultedOnCreate: isAuto || type === 'boolean' || defaultValue !== undefined || picklistValues.some((v) => v.default),
    calculated: isFormula || isAuto,
    referenceTo: isRef && def.referenceTo ? [def.referenceTo] : [],
    relationshipName: isRef ? def.fullName.replace(/__c$/, '__r') : undefined,
    childRelationshipName: isRef && def.relationshipName ? `${def.relationshipName}__r` : undefined,
    cascadeDelete: deleteConstraint === 'Cascade',
    deleteConstraint,
    picklistValues,
    restrictedPicklist: def.restrictedPicklist,
    externalId: def.externalId,
    unique: def.unique,
    caseSensitive: def.caseSensitive,
    nameField: false,
    filterable: !(type === 'textarea' && raw !== 'TextArea'),
    trackable: true,
    trackHistory: def.trackHistory,
    defaultValue,
    custom: true,
    masterDetail: raw === 'MasterDetail',
    autoNumber: isAuto,
    displayFormat: def.displayFormat,
    inlineHelpText: def.inlineHelpText,
    formula: def.formula
  };
}

function finish(
  obj: Omit<ObjectSchema, 'byName' | 'byRelationship' | 'children' | 'childByName' | 'nameField' | 'hasOwner' | 'hasAudit'>
): ObjectSchema {
  const byName = new Map(obj.fields.map((f) => [f.name.toLowerCase(), f]));
  const byRelationship = new Map<string, FieldSchema>();
  for (const f of obj.fields) if (f.relationshipName) byRelationship.set(f.relationshipName.toLowerCase(), f);
  return {
    ...obj,
    byName,
    byRelationship,
    children: [],
    childByName: new Map(),
    nameField: obj.fields.find((f) => f.nameField),
    hasOwner: byName.has('ownerid'),
    hasAudit: byName.has('lastmodifieddate')
  };
}

/** Builds the schema from the standard description and a deployed model. */
export function buildSchema(model: DeployedModel): Schema {
  const schema = new Schema();
  const add = (o: ObjectSchema) => {
    schema.objects.set(o.name.toLowerCase(), o);
    if (!schema.byPrefix.has(o.keyPrefix)) schema.byPrefix.set(o.keyPrefix, o);
  };
  for (const std of STANDARD_OBJECTS) {
    const deployed = model.objects.get(std.name);
    const fields = std.fields.map((f) => toFieldSchema(f, false));
    for (const f of fields) {
      if (f.standardValueSet && model.standardValueSets.has(f.standardValueSet)) {
        f.picklistValues = model.standardValueSets.get(f.standardValueSet)!;
      }
    }
    if (deployed) {
      for (const def of deployed.fields.values()) {
        const existing = fields.find((f) => f.name.toLowerCase() === def.fullName.toLowerCase());
        if (existing) {
          existing.trackHistory = def.trackHistory && std.history !== undefined;
          continue;
        }
        if (!/__c$/.test(def.fullName)) throw new SchemaError(`${std.name}.${def.fullName}: no such standard field`);
        const cf = customField(def, std.name);
        cf.trackHistory = cf.trackHistory && std.history !== undefined;
        fields.push(cf);
      }
      if (!deployed.enableHistory) for (const f of fields) f.trackHistory = false;
    }
    add(
      finish({
        name: std.name,
        label: std.label,
        labelPlural: std.labelPlural,
        keyPrefix: std.keyPrefix,
        custom: false,
        customMetadata: false,
        createable: std.createable,
        updateable: std.updateable,
        deletable: std.deletable,
        fields,
        history: std.history
      })
    );
  }
  for (const def of model.objects.values()) {
    if (!def.custom) continue;
    const prefix = model.prefixes.get(def.fullName);
    if (!prefix) throw new SchemaError(`no key prefix assigned to ${def.fullName}`);
    let fields: FieldSchema[];
    if (def.customMetadata) {
      fields = customMetadataSystemFields().map((f) => toFieldSchema(f, false));
    } else {
      const masterDetail = [...def.fields.values()].some((f) => f.type === 'MasterDetail');
      fields = customObjectSystemFields()
        .filter((f) => !(masterDetail && f.name === 'OwnerId'))
        .map((f) => toFieldSchema(f, false));
      const nf = def.nameField ?? { label: 'Name', type: 'Text' as const };
      const auto = nf.type === 'AutoNumber';
      fields.splice(2, 0, {
        ...toFieldSchema(
          {
            name: 'Name',
            label: nf.label,
            type: 'string',
            length: auto ? 30 : 80,
            nillable: auto,
            createable: !auto,
            updateable: !auto,
            defaultedOnCreate: auto,
            nameField: true,
            filterable: true,
            trackable: true
          },
          false
        ),
        autoNumber: auto,
        displayFormat: nf.displayFormat
      });
    }
    for (const fd of def.fields.values()) {
      const cf = customField(fd, def.fullName);
      if (def.customMetadata) {
        cf.createable = false;
        cf.updateable = false;
        cf.trackHistory = false;
      }
      if (!def.enableHistory) cf.trackHistory = false;
      fields.push(cf);
    }
    add(
      finish({
        name: def.fullName,
        label: def.label ?? def.fullName,
        labelPlural: def.pluralLabel ?? def.label ?? def.fullName,
        keyPrefix: prefix,
        custom: true,
        customMetadata: def.customMetadata,
        createable: !def.customMetadata,
        updateable: !def.customMetadata,
        deletable: !def.customMetadata,
        sharingModel: def.customMetadata ? undefined : (def.sharingModel ?? (masterDetailOf(def) ? 'ControlledByParent' : 'ReadWrite')),
        fields
      })
    );
  }
  // references must point at known objects; then child relationships on the parents
  for (const obj of schema.objects.values()) {
    for (const f of obj.fields) {
      if (f.type !== 'reference') continue;
      for (const target of f.referenceTo) {
        const parent = schema.get(target);
        if (!parent) {
          if (f.custom) throw new SchemaError(`${obj.name}.${f.name}: referenceTo ${target} is not an object in this org`);
          continue;
        }
        if (f.childRelationshipName && !parent.childByName.has(f.childRelationshipName.toLowerCase())) {
          const rel: ChildRelationship = {
            relationshipName: f.childRelationshipName,
            childSObject: obj.name,
            field: f.name,
            cascadeDelete: f.cascadeDelete === true,
            restrictedDelete: f.deleteConstraint === 'Restrict'
          };
          parent.children.push(rel);
          parent.childByName.set(rel.relationshipName.toLowerCase(), rel);
        } else if (!f.childRelationshipName && f.custom) {
          parent.children.push({
            relationshipName: '',
            childSObject: obj.name,
            field: f.name,
            cascadeDelete: f.cascadeDelete === true,
            restrictedDelete: f.deleteConstraint === 'Restrict'
          });
        }
      }
    }
  }
  return schema;
}

function masterDetailOf(def: ObjectDef): boolean {
  return [...def.fields.values()].some((f) => f.type === 'MasterDetail');
}

/** SQLite column declaration for a field. */
export function columnType(f: FieldSchema): string {
  switch (f.type) {
    case 'boolean':
    case 'int':
      return 'INTEGER';
    case 'double':
    case 'currency':
    case 'percent':
      return 'REAL';
    case 'id':
    case 'reference':
    case 'date':
    case 'datetime':
    case 'time':
    case 'anyType':
      return 'TEXT';
    default:
      return f.caseSensitive ? 'TEXT' : 'TEXT COLLATE NOCASE';
  }
}
