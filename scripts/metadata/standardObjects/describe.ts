/** Field types as the REST describe names them. */
export type DescribeFieldType =
  | 'id'
  | 'string'
  | 'textarea'
  | 'boolean'
  | 'int'
  | 'double'
  | 'currency'
  | 'percent'
  | 'date'
  | 'datetime'
  | 'time'
  | 'email'
  | 'phone'
  | 'url'
  | 'picklist'
  | 'multipicklist'
  | 'combobox'
  | 'reference'
  | 'anyType';

/**
 * The describe type of a custom field by its metadata `type` (e.g. `LongTextArea` → `textarea`), as the
 * REST describe reports it: the local org's schema and the metadata validator both map fields with it.
 */
export const DESCRIBE_TYPE_OF_FIELD_TYPE: Readonly<Record<string, DescribeFieldType>> = {
  AutoNumber: 'string',
  Checkbox: 'boolean',
  Currency: 'currency',
  Date: 'date',
  DateTime: 'datetime',
  Email: 'email',
  Lookup: 'reference',
  MasterDetail: 'reference',
  MetadataRelationship: 'reference',
  LongTextArea: 'textarea',
  TextArea: 'textarea',
  Html: 'textarea',
  EncryptedText: 'string',
  MultiselectPicklist: 'multipicklist',
  Number: 'double',
  Percent: 'percent',
  Phone: 'phone',
  Picklist: 'picklist',
  Text: 'string',
  Url: 'url',
  Time: 'time',
  Summary: 'double'
};

export interface StandardPicklistValue {
  value: string;
  label?: string;
  default?: boolean;
  /** Opportunity stages: closed/won flags and default probability (from the OpportunityStage set). */
  closed?: boolean;
  won?: boolean;
  probability?: number;
  forecastCategory?: string;
  /** Lead statuses: the value a conversion sets. */
  converted?: boolean;
}

export interface StandardFieldDef {
  name: string;
  label: string;
  type: DescribeFieldType;
  length?: number;
  precision?: number;
  scale?: number;
  /** false = required on create (unless defaultedOnCreate). */
  nillable: boolean;
  createable: boolean;
  updateable: boolean;
  /** Set by the platform when not given (OwnerId, Status...). */
  defaultedOnCreate?: boolean;
  /** Derived by the platform (formula-like, compound Name, IsClosed...). */
  calculated?: boolean;
  referenceTo?: string[];
  relationshipName?: string;
  /** Name of the child relationship this reference creates on its parent(s) (`Tasks`, `Histories`). */
  childRelationshipName?: string;
  /** Cascade delete of children when the parent is deleted (history rows, campaign members). */
  cascadeDelete?: boolean;
  picklistValues?: StandardPicklistValue[];
  restrictedPicklist?: boolean;
  /** The standard value set a deployment may replace (`LeadStatus`, `OpportunityStage`...). */
  standardValueSet?: string;
  externalId?: boolean;
  unique?: boolean;
  caseSensitive?: boolean;
  /** The record's name field. */
  nameField?: boolean;
  /** Can be filtered/grouped/sorted (false for long text areas and anyType). */
  filterable?: boolean;
  /** Can be history-tracked (the object's history tracking settings say which are). */
  trackable?: boolean;
  defaultValue?: string | boolean | number;
}

export interface StandardObjectDef {
  name: string;
  label: string;
  labelPlural: string;
  keyPrefix: string;
  createable: boolean;
  updateable: boolean;
  deletable: boolean;
  /** History object written for tracked fields (`LeadHistory`), with its parent id field. */
  history?: { object: string; parentField: string };
  /** Fields tracked by default in the local org (orgs can change this in Setup; the package's settings win). */
  fields: StandardFieldDef[];
}
