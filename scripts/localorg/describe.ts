import type { FieldSchema, ObjectSchema, Schema } from './schema';

/** REST describe shapes (`/sobjects`, `/sobjects/X/describe`) built from the schema. */

const SOAP_TYPES: Record<string, string> = {
  id: 'tns:ID',
  reference: 'tns:ID',
  string: 'xsd:string',
  textarea: 'xsd:string',
  email: 'xsd:string',
  phone: 'xsd:string',
  url: 'xsd:string',
  picklist: 'xsd:string',
  multipicklist: 'xsd:string',
  combobox: 'xsd:string',
  boolean: 'xsd:boolean',
  int: 'xsd:int',
  double: 'xsd:double',
  currency: 'xsd:double',
  percent: 'xsd:double',
  date: 'xsd:date',
  datetime: 'xsd:dateTime',
  time: 'xsd:time',
  anyType: 'xsd:anyType'
};

/**
 * The URLs describe advertises: only resources the local org serves (a real org also lists layouts,
 * compact layouts, approval layouts, quick actions, default values and the new-record page, which the
 * local org does not have, so it does not advertise them).
 */
function urls(version: string, obj: ObjectSchema): Record<string, string> {
  const base = `/services/data/v${version}/sobjects/${obj.name}`;
  return {
    rowTemplate: `${base}/{ID}`,
    uiDetailTemplate: `${base}/{ID}`,
    uiEditTemplate: `${base}/{ID}`,
    describe: `${base}/describe`,
    sobject: base
  };
}

function basics(version: string, obj: ObjectSchema) {
  const history = obj.name.endsWith('History');
  return {
    activateable: false,
    associateEntityType: history ? 'History' : null,
    associateParentEntity: history ? obj.name.replace(/(Field)?History$/, '') : null,
    createable: obj.createable,
    custom: obj.custom,
    customSetting: false,
    deepCloneable: false,
    deletable: obj.deletable,
    deprecatedAndHidden: false,
    feedEnabled: false,
    hasSubtypes: false,
    isInterface: false,
    isSubtype: false,
    keyPrefix: obj.keyPrefix,
    label: obj.label,
    labelPlural: obj.labelPlural,
    layoutable: !history && !obj.customMetadata,
    mergeable: obj.name === 'Lead' || obj.name === 'Contact' || obj.name === 'Account',
    mruEnabled: !history && !obj.customMetadata,
    name: obj.name,
    queryable: true,
    replicateable: true,
    retrieveable: true,
    searchable: !history && !obj.customMetadata,
    triggerable: !history && !obj.customMetadata,
    undeletable: obj.deletable,
    updateable: obj.updateable,
    urls: urls(version, obj)
  };
}

export function globalDescribe(schema: Schema, version: string) {
  return { encoding: 'UTF-8', maxBatchSize: 200, sobjects: schema.list().map((o) => basics(version, o)) };
}

export function sobjectBasicInfo(obj: ObjectSchema, version: string) {
  return { objectDescribe: basics(version, obj), recentItems: [] };
}

/** Standard fields that identify a record though they are neither its Id nor an External ID (describe's `idLookup`). */
const STANDARD_ID_LOOKUP = new Set(['user.username', 'user.email', 'user.communitynickname', 'lead.email', 'contact.email']);

/**
 * Whether a field identifies one record: the Id, External ID fields, name fields and the standard
 * lookups (a user's Username and Email, a lead's or contact's Email). These are the fields upserts
 * and Bulk API relationship columns (`Owner.Username`) may match on.
 */
export function isIdLookup(obj: ObjectSchema, f: FieldSchema): boolean {
  return (
    f.type === 'id' ||
    f.externalId === true ||
    (f.nameField === true && f.type === 'string' && !f.calculated) ||
    STANDARD_ID_LOOKUP.has(`${obj.name}.${f.name}`.toLowerCase())
  );
}

export function describeField(f: FieldSchema, obj: ObjectSchema) {
  const numeric = ['double', 'currency', 'percent', 'int'].includes(f.type);
  const textual = !numeric && !['boolean', 'date', 'datetime', 'time', 'anyType'].includes(f.type);
  const length = textual ? (f.length ?? 0) : 0;
  return {
    aggregatable: f.filterable !== false && f.type !== 'multipicklist',
    aiPredictionField: false,
    autoNumber: f.autoNumber,
    byteLength: length * 3,
    calculated: f.calculated === true,
    calculatedFormula: f.formula ?? null,
    cascadeDelete: f.cascadeDelete === true,
    caseSensitive: f.caseSensitive === true,
    compoundFieldName: null,
    controllerName: null,
    createable: f.createable,
    custom: f.custom,
    defaultValue: f.type === 'boolean' ? f.defaultValue === true : (f.defaultValue ?? null),
    defaultValueFormula: null,
    defaultedOnCreate: f.defaultedOnCreate === true,
    dependentPicklist: false,
    deprecatedAndHidden: false,
    digits: f.type === 'int' ? (f.precision ?? 9) : 0,
    displayLocationInDecimal: false,
    encrypted: false,
    externalId: f.externalId === true,
    extraTypeInfo:
      f.type === 'textarea' ? (f.filterable === false ? 'plaintextarea' : null) : f.name === 'Name' && f.nameField ? 'personname' : null,
    filterable: f.filterable !== false,
    filteredLookupInfo: null,
    formulaTreatNullNumberAsZero: false,
    groupable: f.filterable !== false && !['double', 'currency', 'percent', 'datetime', 'multipicklist'].includes(f.type),
    highScaleNumber: false,
    htmlFormatted: false,
    idLookup: isIdLookup(obj, f),
    inlineHelpText: f.inlineHelpText ?? null,
    label: f.label,
    length,
    mask: null,
    maskType: null,
    name: f.name,
    nameField: f.nameField === true,
    namePointing: f.referenceTo.length > 1,
    nillable: f.nillable,
    permissionable: f.nillable && !f.calculated && f.createable,
    picklistValues: f.picklistValues.map((p) => ({
      active: true,
      defaultValue: p.default === true,
      label: p.label ?? p.value,
      validFor: null,
      value: p.value
    })),
    polymorphicForeignKey: f.referenceTo.length > 1,
    precision: numeric && f.type !== 'int' ? (f.precision ?? 18) : 0,
    queryByDistance: false,
    referenceTargetField: null,
    referenceTo: f.referenceTo,
    relationshipName: f.relationshipName ?? null,
    relationshipOrder: null,
    restrictedDelete: f.deleteConstraint === 'Restrict',
    restrictedPicklist: f.restrictedPicklist === true,
    scale: numeric && f.type !== 'int' ? (f.scale ?? 0) : 0,
    searchPrefilterable: false,
    soapType: SOAP_TYPES[f.type] ?? 'xsd:string',
    sortable: f.filterable !== false && f.type !== 'multipicklist',
    type: f.type,
    unique: f.unique === true,
    updateable: f.updateable,
    writeRequiresMasterRead: false
  };
}

export function describeSObject(obj: ObjectSchema, version: string) {
  return {
    actionOverrides: [],
    ...basics(version, obj),
    childRelationships: obj.children.map((c) => ({
      cascadeDelete: c.cascadeDelete,
      childSObject: c.childSObject,
      deprecatedAndHidden: false,
      field: c.field,
      junctionIdListNames: [],
      junctionReferenceTo: [],
      relationshipName: c.relationshipName || null,
      restrictedDelete: c.restrictedDelete
    })),
    compactLayoutable: !obj.customMetadata,
    defaultImplementation: null,
    extendedBy: null,
    extendsInterfaces: null,
    fields: obj.fields.map((f) => describeField(f, obj)),
    implementedBy: null,
    implementsInterfaces: null,
    listviewable: null,
    lookupLayoutable: null,
    namedLayoutInfos: [],
    networkScopeFieldName: null,
    recordTypeInfos: [
      {
        active: true,
        available: true,
        defaultRecordTypeMapping: true,
        developerName: 'Master',
        master: true,
        name: 'Master',
        recordTypeId: '012000000000000AAA',
        // a real org links the record type's layout; the local org has no layouts to serve
        urls: {}
      }
    ],
    searchLayoutable: !obj.customMetadata,
    sobjectDescribeOption: 'FULL',
    supportedScopes: obj.hasOwner
      ? [
          { label: 'My ' + obj.labelPlural.toLowerCase(), name: 'mine' },
          { label: 'All ' + obj.labelPlural.toLowerCase(), name: 'everything' }
        ]
      : [],
    urls: urls(version, obj)
  };
}
