/**
 * The compact builders the standard object tables are written with, and the field sets and value lists
 * several objects share (audit fields, owner, person name, address, history rows).
 */

import type { DescribeFieldType, StandardFieldDef, StandardPicklistValue } from './describe';

// ---- compact builders --------------------------------------------------------------------------

type Opts = Partial<StandardFieldDef>;

export function f(name: string, label: string, type: DescribeFieldType, opts: Opts = {}): StandardFieldDef {
  return {
    name,
    label,
    type,
    nillable: true,
    createable: true,
    updateable: true,
    filterable: type !== 'anyType',
    trackable: type !== 'id',
    ...opts
  };
}
export const str = (name: string, label: string, length: number, opts: Opts = {}) => f(name, label, 'string', { length, ...opts });
export const req = { nillable: false } as const;
export const ro = { createable: false, updateable: false } as const;
export const longText = (name: string, label: string, length = 32000) => f(name, label, 'textarea', { length, filterable: false });
export const pick = (name: string, label: string, values: Array<string | StandardPicklistValue>, opts: Opts = {}) =>
  f(name, label, 'picklist', {
    length: 255,
    picklistValues: values.map((v) => (typeof v === 'string' ? { value: v } : v)),
    ...opts
  });
export const ref = (name: string, label: string, to: string[], relationshipName: string, opts: Opts = {}) =>
  f(name, label, 'reference', { length: 18, referenceTo: to, relationshipName, ...opts });
export const bool = (name: string, label: string, opts: Opts = {}) =>
  f(name, label, 'boolean', { nillable: false, defaultedOnCreate: true, defaultValue: false, ...opts });

/** Id, IsDeleted and the audit fields every object has. */
export function system(opts: { modstamp?: boolean; lastModified?: boolean } = {}): StandardFieldDef[] {
  const out = [
    f('Id', 'Record ID', 'id', { length: 18, nillable: false, ...ro, defaultedOnCreate: true, trackable: false }),
    bool('IsDeleted', 'Deleted', { ...ro, trackable: false }),
    f('CreatedDate', 'Created Date', 'datetime', { nillable: false, ...ro, defaultedOnCreate: true, trackable: false }),
    ref('CreatedById', 'Created By ID', ['User'], 'CreatedBy', { nillable: false, ...ro, defaultedOnCreate: true, trackable: false })
  ];
  if (opts.lastModified !== false) {
    out.push(
      f('LastModifiedDate', 'Last Modified Date', 'datetime', { nillable: false, ...ro, defaultedOnCreate: true, trackable: false }),
      ref('LastModifiedById', 'Last Modified By ID', ['User'], 'LastModifiedBy', {
        nillable: false,
        ...ro,
        defaultedOnCreate: true,
        trackable: false
      })
    );
  }
  if (opts.modstamp !== false) {
    out.push(f('SystemModstamp', 'System Modstamp', 'datetime', { nillable: false, ...ro, defaultedOnCreate: true, trackable: false }));
  }
  return out;
}

export const owner = (to: string[], childRelationshipName?: string) =>
  ref('OwnerId', 'Owner ID', to, 'Owner', { nillable: false, defaultedOnCreate: true, childRelationshipName });

const SALUTATIONS = ['Mr.', 'Ms.', 'Mrs.', 'Dr.', 'Prof.', 'Mx.'];
export const LEAD_SOURCES = ['Web', 'Phone Inquiry', 'Partner Referral', 'Purchased List', 'Other'];
export const INDUSTRIES = [
  'Agriculture', 'Apparel', 'Banking', 'Biotechnology', 'Chemicals', 'Communications', 'Construction', 'Consulting',
  'Education', 'Electronics', 'Energy', 'Engineering', 'Entertainment', 'Environmental', 'Finance', 'Food & Beverage',
  'Government', 'Healthcare', 'Hospitality', 'Insurance', 'Machinery', 'Manufacturing', 'Media', 'Not For Profit',
  'Recreation', 'Retail', 'Shipping', 'Technology', 'Telecommunications', 'Transportation', 'Utilities', 'Other'
]; // prettier-ignore
export const TIME_ZONES = [
  'America/New_York', 'America/Chicago', 'America/Denver', 'America/Los_Angeles', 'America/Phoenix', 'America/Anchorage',
  'Pacific/Honolulu', 'America/Sao_Paulo', 'America/Toronto', 'Europe/London', 'Europe/Dublin', 'Europe/Paris',
  'Europe/Berlin', 'Europe/Madrid', 'Europe/Amsterdam', 'Europe/Zurich', 'Europe/Stockholm', 'Europe/Helsinki',
  'Asia/Tokyo', 'Asia/Singapore', 'Asia/Kolkata', 'Asia/Dubai', 'Asia/Shanghai', 'Australia/Sydney', 'Pacific/Auckland',
  'GMT'
]; // prettier-ignore
export const STATES_FIELDS = (prefix: string, label: string): StandardFieldDef[] => [
  f(`${prefix}Street`, `${label} Street`, 'textarea', { length: 255 }),
  str(`${prefix}City`, `${label} City`, 40),
  str(`${prefix}State`, `${label} State/Province`, 80),
  str(`${prefix}PostalCode`, `${label} Zip/Postal Code`, 20),
  str(`${prefix}Country`, `${label} Country`, 80)
];
export const personName = (lastRequired = true): StandardFieldDef[] => [
  str('LastName', 'Last Name', 80, lastRequired ? req : {}),
  str('FirstName', 'First Name', 40),
  pick('Salutation', 'Salutation', SALUTATIONS),
  str('Name', 'Full Name', 121, { ...ro, nillable: false, calculated: true, nameField: true })
];

export const HISTORY_FIELDS = (parentField: string, parent: string): StandardFieldDef[] => [
  f('Id', 'History ID', 'id', { length: 18, nillable: false, ...ro, defaultedOnCreate: true }),
  bool('IsDeleted', 'Deleted', ro),
  ref(parentField, `${parent} ID`, [parent], parent, {
    nillable: false,
    updateable: false,
    childRelationshipName: 'Histories',
    cascadeDelete: true
  }),
  ref('CreatedById', 'Created By ID', ['User'], 'CreatedBy', { nillable: false, updateable: false, defaultedOnCreate: true }),
  f('CreatedDate', 'Created Date', 'datetime', { nillable: false, updateable: false, defaultedOnCreate: true }),
  pick('Field', 'Changed Field', [], { nillable: false, updateable: false }),
  pick('DataType', 'Data Type', ['Text', 'EntityId', 'Picklist', 'DateTime', 'Date', 'Boolean', 'Double', 'Currency', 'Percent'], {
    updateable: false
  }),
  f('OldValue', 'Old Value', 'anyType', { updateable: false, filterable: false }),
  f('NewValue', 'New Value', 'anyType', { updateable: false, filterable: false })
];

/**
 * Audit fields of the picklist-value objects (LeadStatus, OpportunityStage): read-only, no IsDeleted.
 * Their rows are derived by the org from the Lead Status / Opportunity Stage values, never written over the API.
 */
export const VALUE_OBJECT_AUDIT: StandardFieldDef[] = system().filter((d) => d.name !== 'Id' && d.name !== 'IsDeleted');

/** Fields every custom object has besides its own (Name is added from the object's nameField). */
export function customObjectSystemFields(): StandardFieldDef[] {
  return [...system(), owner(['User', 'Group'])];
}

/** Fields every custom metadata type has besides its own. */
export function customMetadataSystemFields(): StandardFieldDef[] {
  return [
    f('Id', 'Custom Metadata Record ID', 'id', { length: 18, nillable: false, ...ro }),
    str('DeveloperName', 'Custom Metadata Record Name', 40, { ...ro, nillable: false }),
    str('MasterLabel', 'Label', 40, { ...ro, nillable: false, nameField: true }),
    str('Label', 'Label', 40, { ...ro, nillable: false }),
    str('Language', 'Master Language', 40, ro),
    str('NamespacePrefix', 'Namespace Prefix', 15, ro),
    str('QualifiedApiName', 'Qualified API Name', 70, ro),
    bool('IsProtected', 'Protected', ro),
    f('SystemModstamp', 'System Modstamp', 'datetime', { nillable: false, ...ro })
  ];
}
