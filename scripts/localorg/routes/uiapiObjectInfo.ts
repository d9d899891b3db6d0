import type { FieldSchema, ObjectSchema, Schema } from '../schema';
import { ApiError } from '../errors';

/**
 * The UI API's object metadata: `object-info/<Object>` (fields, child relationships, record types)
 * and `picklist-values`, in the shapes the preview's LDS adapters read.
 */

/** The Id of the master record type (the only record type of the local org). */
export const MASTER_RECORD_TYPE = '012000000000000AAA';

const UI_TYPES: Record<string, string> = {
  id: 'Id',
  reference: 'Reference',
  string: 'String',
  textarea: 'TextArea',
  email: 'Email',
  phone: 'Phone',
  url: 'Url',
  picklist: 'Picklist',
  multipicklist: 'MultiPicklist',
  combobox: 'ComboBox',
  boolean: 'Boolean',
  int: 'Int',
  double: 'Double',
  currency: 'Currency',
  percent: 'Percent',
  date: 'Date',
  datetime: 'DateTime',
  time: 'Time',
  anyType: 'String'
};

/** A short, stable entity tag of a representation's content. */
export function etag(s: string): string {
  let h = 0;
  for (let i = 0; i < s.length; i++) h = (h * 31 + s.charCodeAt(i)) >>> 0;
  return h.toString(16).padStart(8, '0') + s.length.toString(16);
}

/** `object-info/<Object>`. */
export function objectInfo(schema: Schema, obj: ObjectSchema): unknown {
  const fields: Record<string, unknown> = {};
  for (const f of obj.fields) {
    fields[f.name] = {
      apiName: f.name,
      calculated: f.calculated === true,
      compound: false,
      compoundComponentName: null,
      compoundFieldName: null,
      controllerName: null,
      controllingFields: [],
      createable: f.createable,
      custom: f.custom,
      dataType: UI_TYPES[f.type] ?? 'String',
      extraTypeInfo: null,
      filterable: f.filterable !== false,
      filteredLookupInfo: null,
      highScaleNumber: false,
      htmlFormatted: false,
      inlineHelpText: f.inlineHelpText ?? null,
      label: f.label,
      length: f.length ?? 0,
      maskType: null,
      nameField: f.nameField === true,
      polymorphicForeignKey: f.referenceTo.length > 1,
      precision: f.precision ?? 0,
      reference: f.type === 'reference',
      referenceTargetField: null,
      referenceToInfos: f.referenceTo.map((t) => {
        const target = schema.get(t);
        return { apiName: t, nameFields: target?.nameField ? [target.nameField.name] : ['Name'] };
      }),
      relationshipName: f.relationshipName ?? null,
      required: !f.nillable && f.createable && !f.defaultedOnCreate && f.type !== 'boolean',
      scale: f.scale ?? 0,
      searchPrefilterable: false,
      sortable: f.filterable !== false,
      unique: f.unique === true,
      updateable: f.updateable
    };
  }
  return {
    apiName: obj.name,
    associateEntityType: null,
    associateParentEntity: null,
    childRelationships: obj.children
      .filter((c) => c.relationshipName)
      .map((c) => ({
        childObjectApiName: c.childSObject,
        fieldName: c.field,
        junctionIdListNames: [],
        junctionReferenceTo: [],
        relationshipName: c.relationshipName
      })),
    createable: obj.createable,
    custom: obj.custom,
    defaultRecordTypeId: MASTER_RECORD_TYPE,
    deletable: obj.deletable,
    dependentFields: {},
    eTag: etag(`oi:${obj.name}:${obj.fields.length}`),
    feedEnabled: false,
    fields,
    keyPrefix: obj.keyPrefix,
    label: obj.label,
    labelPlural: obj.labelPlural,
    layoutable: true,
    mruEnabled: true,
    nameFields: obj.nameField ? [obj.nameField.name] : [],
    queryable: true,
    recordTypeInfos: {
      [MASTER_RECORD_TYPE]: {
        available: true,
        defaultRecordTypeMapping: true,
        master: true,
        name: 'Master',
        recordTypeId: MASTER_RECORD_TYPE
      }
    },
    searchable: true,
    themeInfo: null,
    updateable: obj.updateable
  };
}

/** `picklist-values/<recordTypeId>/<field>`: a picklist field's values (for the master record type). */
/** The API version in picklist-values URLs. */
const VERSION_HINT = '64.0';

export function picklistValues(obj: ObjectSchema, f: FieldSchema, recordTypeId: string): unknown {
  if (recordTypeId !== MASTER_RECORD_TYPE) throw new ApiError(404, 'NOT_FOUND', `Invalid record type id: ${recordTypeId}`);
  const def = f.picklistValues.find((p) => p.default);
  const value = (p: { value: string; label?: string }) => ({ attributes: null, label: p.label ?? p.value, validFor: [], value: p.value });
  return {
    controllerValues: {},
    defaultValue: def ? value(def) : null,
    eTag: etag(`pv:${obj.name}.${f.name}:${f.picklistValues.length}`),
    url: `/services/data/v${VERSION_HINT}/ui-api/object-info/${obj.name}/picklist-values/${recordTypeId}/${f.name}`,
    values: f.picklistValues.map(value)
  };
}
