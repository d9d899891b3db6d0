/**
 * A built-in description of the Salesforce standard objects Closed Loop touches, in the terms of
 * the REST describe (`/sobjects/X/describe`): real API field names, describe types, lengths,
 * nillability, references and relationship names. The local org builds its standard schema from
 * it; the metadata validator checks references to standard fields against it. Custom fields on
 * these objects come from deployed metadata (`objects.ts`), not from here.
 *
 * Only what we use is described; it is not a complete copy of any org's schema.
 */

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

// ---- compact builders --------------------------------------------------------------------------

type Opts = Partial<StandardFieldDef>;

function f(name: string, label: string, type: DescribeFieldType, opts: Opts = {}): StandardFieldDef {
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
const str = (name: string, label: string, length: number, opts: Opts = {}) => f(name, label, 'string', { length, ...opts });
const req = { nillable: false } as const;
const ro = { createable: false, updateable: false } as const;
const longText = (name: string, label: string, length = 32000) => f(name, label, 'textarea', { length, filterable: false });
const pick = (name: string, label: string, values: Array<string | StandardPicklistValue>, opts: Opts = {}) =>
  f(name, label, 'picklist', {
    length: 255,
    picklistValues: values.map((v) => (typeof v === 'string' ? { value: v } : v)),
    ...opts
  });
const ref = (name: string, label: string, to: string[], relationshipName: string, opts: Opts = {}) =>
  f(name, label, 'reference', { length: 18, referenceTo: to, relationshipName, ...opts });
const bool = (name: string, label: string, opts: Opts = {}) =>
  f(name, label, 'boolean', { nillable: false, defaultedOnCreate: true, defaultValue: false, ...opts });

/** Id, IsDeleted and the audit fields every object has. */
function system(opts: { modstamp?: boolean; lastModified?: boolean } = {}): StandardFieldDef[] {
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

const owner = (to: string[], childRelationshipName?: string) =>
  ref('OwnerId', 'Owner ID', to, 'Owner', { nillable: false, defaultedOnCreate: true, childRelationshipName });

const SALUTATIONS = ['Mr.', 'Ms.', 'Mrs.', 'Dr.', 'Prof.', 'Mx.'];
const LEAD_SOURCES = ['Web', 'Phone Inquiry', 'Partner Referral', 'Purchased List', 'Other'];
const INDUSTRIES = [
  'Agriculture', 'Apparel', 'Banking', 'Biotechnology', 'Chemicals', 'Communications', 'Construction', 'Consulting',
  'Education', 'Electronics', 'Energy', 'Engineering', 'Entertainment', 'Environmental', 'Finance', 'Food & Beverage',
  'Government', 'Healthcare', 'Hospitality', 'Insurance', 'Machinery', 'Manufacturing', 'Media', 'Not For Profit',
  'Recreation', 'Retail', 'Shipping', 'Technology', 'Telecommunications', 'Transportation', 'Utilities', 'Other'
]; // prettier-ignore
const TIME_ZONES = [
  'America/New_York', 'America/Chicago', 'America/Denver', 'America/Los_Angeles', 'America/Phoenix', 'America/Anchorage',
  'Pacific/Honolulu', 'America/Sao_Paulo', 'America/Toronto', 'Europe/London', 'Europe/Dublin', 'Europe/Paris',
  'Europe/Berlin', 'Europe/Madrid', 'Europe/Amsterdam', 'Europe/Zurich', 'Europe/Stockholm', 'Europe/Helsinki',
  'Asia/Tokyo', 'Asia/Singapore', 'Asia/Kolkata', 'Asia/Dubai', 'Asia/Shanghai', 'Australia/Sydney', 'Pacific/Auckland',
  'GMT'
]; // prettier-ignore
const STATES_FIELDS = (prefix: string, label: string): StandardFieldDef[] => [
  f(`${prefix}Street`, `${label} Street`, 'textarea', { length: 255 }),
  str(`${prefix}City`, `${label} City`, 40),
  str(`${prefix}State`, `${label} State/Province`, 80),
  str(`${prefix}PostalCode`, `${label} Zip/Postal Code`, 20),
  str(`${prefix}Country`, `${label} Country`, 80)
];
const personName = (lastRequired = true): StandardFieldDef[] => [
  str('LastName', 'Last Name', 80, lastRequired ? req : {}),
  str('FirstName', 'First Name', 40),
  pick('Salutation', 'Salutation', SALUTATIONS),
  str('Name', 'Full Name', 121, { ...ro, nillable: false, calculated: true, nameField: true })
];

/** Default Lead Status values (an org's LeadStatus standard value set replaces them when deployed). */
export const DEFAULT_LEAD_STATUSES: StandardPicklistValue[] = [
  { value: 'Open - Not Contacted', default: true },
  { value: 'Working - Contacted' },
  { value: 'Closed - Converted', converted: true },
  { value: 'Closed - Not Converted' }
];

/** Default Opportunity stages with their closed/won semantics (the OpportunityStage standard value set). */
export const DEFAULT_OPPORTUNITY_STAGES: StandardPicklistValue[] = [
  { value: 'Prospecting', probability: 10, forecastCategory: 'Pipeline' },
  { value: 'Qualification', probability: 10, forecastCategory: 'Pipeline' },
  { value: 'Needs Analysis', probability: 20, forecastCategory: 'Pipeline' },
  { value: 'Value Proposition', probability: 50, forecastCategory: 'Pipeline' },
  { value: 'Id. Decision Makers', probability: 60, forecastCategory: 'Pipeline' },
  { value: 'Perception Analysis', probability: 70, forecastCategory: 'Pipeline' },
  { value: 'Proposal/Price Quote', probability: 75, forecastCategory: 'Pipeline' },
  { value: 'Negotiation/Review', probability: 90, forecastCategory: 'Pipeline' },
  { value: 'Closed Won', probability: 100, closed: true, won: true, forecastCategory: 'Closed' },
  { value: 'Closed Lost', probability: 0, closed: true, won: false, forecastCategory: 'Omitted' }
];

const TASK_STATUSES: StandardPicklistValue[] = [
  { value: 'Not Started', default: true },
  { value: 'In Progress' },
  { value: 'Completed', closed: true },
  { value: 'Waiting on someone else' },
  { value: 'Deferred' }
];

const HISTORY_FIELDS = (parentField: string, parent: string): StandardFieldDef[] => [
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
const VALUE_OBJECT_AUDIT: StandardFieldDef[] = [
  f('CreatedDate', 'Created Date', 'datetime', { nillable: false, ...ro, defaultedOnCreate: true, trackable: false }),
  ref('CreatedById', 'Created By ID', ['User'], 'CreatedBy', { nillable: false, ...ro, defaultedOnCreate: true, trackable: false }),
  f('LastModifiedDate', 'Last Modified Date', 'datetime', { nillable: false, ...ro, defaultedOnCreate: true, trackable: false }),
  ref('LastModifiedById', 'Last Modified By ID', ['User'], 'LastModifiedBy', {
    nillable: false,
    ...ro,
    defaultedOnCreate: true,
    trackable: false
  }),
  f('SystemModstamp', 'System Modstamp', 'datetime', { nillable: false, ...ro, defaultedOnCreate: true, trackable: false })
];

const WEEKDAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

export const STANDARD_OBJECTS: readonly StandardObjectDef[] = [
  {
    name: 'User',
    label: 'User',
    labelPlural: 'Users',
    keyPrefix: '005',
    createable: true,
    updateable: true,
    deletable: false,
    fields: [
      ...system(),
      str('Username', 'Username', 80, { ...req, unique: true }),
      ...personName(),
      str('CompanyName', 'Company Name', 80),
      str('Division', 'Division', 80),
      str('Department', 'Department', 80),
      str('Title', 'Title', 80),
      f('Email', 'Email', 'email', { length: 128, ...req }),
      str('Alias', 'Alias', 8, req),
      str('CommunityNickname', 'Nickname', 40, { defaultedOnCreate: true }),
      bool('IsActive', 'Active', { defaultValue: true }),
      pick('TimeZoneSidKey', 'Time Zone', TIME_ZONES, { ...req, restrictedPicklist: true }),
      pick('LocaleSidKey', 'Locale', ['en_US', 'en_GB', 'de_DE', 'fr_FR', 'es_ES', 'ja_JP'], { ...req, restrictedPicklist: true }),
      pick('EmailEncodingKey', 'Email Encoding', ['UTF-8', 'ISO-8859-1'], { ...req, restrictedPicklist: true }),
      pick('LanguageLocaleKey', 'Language', ['en_US', 'de', 'fr', 'es', 'ja'], { ...req, restrictedPicklist: true }),
      ref('ProfileId', 'Profile ID', ['Profile'], 'Profile', req),
      ref('ManagerId', 'Manager ID', ['User'], 'Manager', { childRelationshipName: 'ManagedUsers' }),
      pick('UserType', 'User Type', ['Standard', 'AutomatedProcess'], { ...ro, defaultedOnCreate: true }),
      f('Phone', 'Phone', 'phone', { length: 40 }),
      f('MobilePhone', 'Mobile', 'phone', { length: 40 }),
      f('LastLoginDate', 'Last Login', 'datetime', ro)
    ]
  },
  {
    name: 'Profile',
    label: 'Profile',
    labelPlural: 'Profiles',
    keyPrefix: '00e',
    createable: false,
    updateable: false,
    deletable: false,
    fields: [
      ...system(),
      str('Name', 'Name', 255, { ...req, nameField: true }),
      pick('UserType', 'User Type', ['Standard', 'AutomatedProcess'], ro),
      str('Description', 'Description', 255)
    ]
  },
  {
    name: 'Group',
    label: 'Group',
    labelPlural: 'Groups',
    keyPrefix: '00G',
    createable: true,
    updateable: true,
    deletable: true,
    fields: [
      ...system(),
      str('Name', 'Name', 40, { ...req, nameField: true }),
      str('DeveloperName', 'Developer Name', 80, { defaultedOnCreate: true }),
      pick('Type', 'Type', ['Regular', 'Queue', 'Role', 'RoleAndSubordinates', 'Organization'], {
        ...req,
        updateable: false,
        restrictedPicklist: true
      }),
      f('Email', 'Email', 'email', { length: 255 }),
      ref('OwnerId', 'Owner ID', ['User'], 'Owner', { defaultedOnCreate: true, nillable: false }),
      bool('DoesSendEmailToMembers', 'Send Email to Members'),
      bool('DoesIncludeBosses', 'Include Bosses')
    ]
  },
  {
    name: 'GroupMember',
    label: 'Group Member',
    labelPlural: 'Group Members',
    keyPrefix: '011',
    createable: true,
    updateable: false,
    deletable: true,
    fields: [
      f('Id', 'Group Member ID', 'id', { length: 18, nillable: false, ...ro, defaultedOnCreate: true }),
      ref('GroupId', 'Group ID', ['Group'], 'Group', {
        ...req,
        updateable: false,
        childRelationshipName: 'GroupMembers',
        cascadeDelete: true
      }),
      ref('UserOrGroupId', 'User/Group ID', ['User', 'Group'], 'UserOrGroup', { ...req, updateable: false }),
      f('SystemModstamp', 'System Modstamp', 'datetime', { nillable: false, ...ro, defaultedOnCreate: true })
    ]
  },
  {
    // which objects a queue takes (Setup > Queues > Supported Objects); the SLA sync checks the nurture queue takes leads
    name: 'QueueSobject',
    label: 'Queue Sobject',
    labelPlural: 'Queue Sobjects',
    keyPrefix: '03g',
    createable: true,
    updateable: false,
    deletable: true,
    fields: [
      f('Id', 'Queue Sobject ID', 'id', { length: 18, nillable: false, ...ro, defaultedOnCreate: true }),
      ref('QueueId', 'Group ID', ['Group'], 'Queue', {
        ...req,
        updateable: false,
        childRelationshipName: 'QueueSobjects',
        cascadeDelete: true
      }),
      pick('SobjectType', 'Sobject Type', ['Lead', 'Case', 'Lead_Quality_Feedback__c'], { ...req, updateable: false }),
      f('SystemModstamp', 'System Modstamp', 'datetime', { nillable: false, ...ro, defaultedOnCreate: true })
    ]
  },
  {
    name: 'Lead',
    label: 'Lead',
    labelPlural: 'Leads',
    keyPrefix: '00Q',
    createable: true,
    updateable: true,
    deletable: true,
    history: { object: 'LeadHistory', parentField: 'LeadId' },
    fields: [
      ...system(),
      ...personName(),
      str('Title', 'Title', 128),
      str('Company', 'Company', 255, req),
      ...STATES_FIELDS('', ''),
      f('Phone', 'Phone', 'phone', { length: 40 }),
      f('MobilePhone', 'Mobile Phone', 'phone', { length: 40 }),
      f('Email', 'Email', 'email', { length: 80 }),
      f('Website', 'Website', 'url', { length: 255 }),
      longText('Description', 'Description'),
      pick('LeadSource', 'Lead Source', LEAD_SOURCES, { standardValueSet: 'LeadSource' }),
      pick('Status', 'Status', DEFAULT_LEAD_STATUSES, { ...req, defaultedOnCreate: true, standardValueSet: 'LeadStatus' }),
      pick('Industry', 'Industry', INDUSTRIES, { standardValueSet: 'Industry' }),
      pick('Rating', 'Rating', ['Hot', 'Warm', 'Cold'], { standardValueSet: 'LeadRating' }),
      f('AnnualRevenue', 'Annual Revenue', 'currency', { precision: 18, scale: 0 }),
      f('NumberOfEmployees', 'Employees', 'int', { precision: 8, scale: 0 }),
      owner(['User', 'Group'], 'Leads'),
      bool('IsConverted', 'Converted', { ...ro, trackable: false }),
      f('ConvertedDate', 'Converted Date', 'date', ro),
      ref('ConvertedAccountId', 'Converted Account ID', ['Account'], 'ConvertedAccount', ro),
      ref('ConvertedContactId', 'Converted Contact ID', ['Contact'], 'ConvertedContact', ro),
      ref('ConvertedOpportunityId', 'Converted Opportunity ID', ['Opportunity'], 'ConvertedOpportunity', ro),
      bool('IsUnreadByOwner', 'Unread By Owner'),
      f('LastActivityDate', 'Last Activity', 'date', ro)
    ]
  },
  {
    name: 'Account',
    label: 'Account',
    labelPlural: 'Accounts',
    keyPrefix: '001',
    createable: true,
    updateable: true,
    deletable: true,
    fields: [
      ...system(),
      str('Name', 'Account Name', 255, { ...req, nameField: true }),
      pick('Type', 'Account Type', ['Prospect', 'Customer - Direct', 'Customer - Channel', 'Channel Partner / Reseller', 'Other']),
      ref('ParentId', 'Parent Account ID', ['Account'], 'Parent', { childRelationshipName: 'ChildAccounts' }),
      ...STATES_FIELDS('Billing', 'Billing'),
      f('Phone', 'Account Phone', 'phone', { length: 40 }),
      f('Website', 'Website', 'url', { length: 255 }),
      pick('Industry', 'Industry', INDUSTRIES, { standardValueSet: 'Industry' }),
      f('AnnualRevenue', 'Annual Revenue', 'currency', { precision: 18, scale: 0 }),
      f('NumberOfEmployees', 'Employees', 'int', { precision: 8, scale: 0 }),
      longText('Description', 'Account Description'),
      pick('AccountSource', 'Account Source', LEAD_SOURCES, { standardValueSet: 'AccountSource' }),
      owner(['User']),
      f('LastActivityDate', 'Last Activity', 'date', ro)
    ]
  },
  {
    name: 'Contact',
    label: 'Contact',
    labelPlural: 'Contacts',
    keyPrefix: '003',
    createable: true,
    updateable: true,
    deletable: true,
    fields: [
      ...system(),
      ...personName(),
      ref('AccountId', 'Account ID', ['Account'], 'Account', { childRelationshipName: 'Contacts' }),
      str('Title', 'Title', 128),
      str('Department', 'Department', 80),
      f('Email', 'Email', 'email', { length: 80 }),
      f('Phone', 'Business Phone', 'phone', { length: 40 }),
      f('MobilePhone', 'Mobile Phone', 'phone', { length: 40 }),
      pick('LeadSource', 'Lead Source', LEAD_SOURCES, { standardValueSet: 'LeadSource' }),
      ...STATES_FIELDS('Mailing', 'Mailing'),
      ref('ReportsToId', 'Reports To ID', ['Contact'], 'ReportsTo'),
      longText('Description', 'Contact Description'),
      owner(['User']),
      f('LastActivityDate', 'Last Activity', 'date', ro)
    ]
  },
  {
    name: 'Opportunity',
    label: 'Opportunity',
    labelPlural: 'Opportunities',
    keyPrefix: '006',
    createable: true,
    updateable: true,
    deletable: true,
    history: { object: 'OpportunityFieldHistory', parentField: 'OpportunityId' },
    fields: [
      ...system(),
      str('Name', 'Name', 120, { ...req, nameField: true }),
      ref('AccountId', 'Account ID', ['Account'], 'Account', { childRelationshipName: 'Opportunities' }),
      longText('Description', 'Description'),
      pick('StageName', 'Stage', DEFAULT_OPPORTUNITY_STAGES, { ...req, standardValueSet: 'OpportunityStage' }),
      f('Amount', 'Amount', 'currency', { precision: 18, scale: 2 }),
      f('Probability', 'Probability (%)', 'percent', { precision: 3, scale: 0, defaultedOnCreate: true }),
      f('CloseDate', 'Close Date', 'date', req),
      pick('Type', 'Opportunity Type', [
        'Existing Customer - Upgrade',
        'Existing Customer - Replacement',
        'Existing Customer - Downgrade',
        'New Customer'
      ]),
      str('NextStep', 'Next Step', 255),
      pick('LeadSource', 'Lead Source', LEAD_SOURCES, { standardValueSet: 'LeadSource' }),
      bool('IsClosed', 'Closed', { ...ro, calculated: true }),
      bool('IsWon', 'Won', { ...ro, calculated: true }),
      pick('ForecastCategory', 'Forecast Category', ['Omitted', 'Pipeline', 'BestCase', 'Forecast', 'Closed'], {
        ...ro,
        calculated: true
      }),
      pick('ForecastCategoryName', 'Forecast Category', ['Omitted', 'Pipeline', 'Best Case', 'Commit', 'Closed'], {
        defaultedOnCreate: true
      }),
      ref('CampaignId', 'Campaign ID', ['Campaign'], 'Campaign', { childRelationshipName: 'Opportunities' }),
      ref('ContactId', 'Contact ID', ['Contact'], 'Contact'),
      owner(['User']),
      f('LastActivityDate', 'Last Activity', 'date', ro)
    ]
  },
  {
    name: 'Campaign',
    label: 'Campaign',
    labelPlural: 'Campaigns',
    keyPrefix: '701',
    createable: true,
    updateable: true,
    deletable: true,
    fields: [
      ...system(),
      str('Name', 'Name', 80, { ...req, nameField: true }),
      pick('Type', 'Type', [
        'Conference',
        'Webinar',
        'Trade Show',
        'Public Relations',
        'Partners',
        'Referral Program',
        'Advertisement',
        'Banner Ads',
        'Direct Mail',
        'Email',
        'Telemarketing',
        'Other'
      ]),
      pick('Status', 'Status', ['Planned', 'In Progress', 'Completed', 'Aborted']),
      f('StartDate', 'Start Date', 'date'),
      f('EndDate', 'End Date', 'date'),
      bool('IsActive', 'Active'),
      ref('ParentId', 'Parent Campaign ID', ['Campaign'], 'Parent', { childRelationshipName: 'ChildCampaigns' }),
      f('BudgetedCost', 'Budgeted Cost in Campaign', 'currency', { precision: 18, scale: 0 }),
      f('ActualCost', 'Actual Cost in Campaign', 'currency', { precision: 18, scale: 0 }),
      f('ExpectedRevenue', 'Expected Revenue in Campaign', 'currency', { precision: 18, scale: 0 }),
      longText('Description', 'Description'),
      owner(['User'])
    ]
  },
  {
    name: 'CampaignMember',
    label: 'Campaign Member',
    labelPlural: 'Campaign Members',
    keyPrefix: '00v',
    createable: true,
    updateable: true,
    deletable: true,
    fields: [
      ...system(),
      ref('CampaignId', 'Campaign ID', ['Campaign'], 'Campaign', {
        ...req,
        updateable: false,
        childRelationshipName: 'CampaignMembers',
        cascadeDelete: true
      }),
      ref('LeadId', 'Lead ID', ['Lead'], 'Lead', { updateable: false, childRelationshipName: 'CampaignMembers', cascadeDelete: true }),
      ref('ContactId', 'Contact ID', ['Contact'], 'Contact', {
        updateable: false,
        childRelationshipName: 'CampaignMembers',
        cascadeDelete: true
      }),
      pick('Status', 'Status', [{ value: 'Sent', default: true }, 'Responded'], { defaultedOnCreate: true }),
      bool('HasResponded', 'Responded', { ...ro, calculated: true }),
      f('FirstRespondedDate', 'First Responded Date', 'date', ro),
      str('Name', 'Name', 121, { ...ro, calculated: true, nameField: true })
    ]
  },
  {
    name: 'Task',
    label: 'Task',
    labelPlural: 'Tasks',
    keyPrefix: '00T',
    createable: true,
    updateable: true,
    deletable: true,
    fields: [
      ...system(),
      ref('WhoId', 'Name ID', ['Contact', 'Lead'], 'Who', { childRelationshipName: 'Tasks', cascadeDelete: true }),
      ref('WhatId', 'Related To ID', ['Account', 'Opportunity', 'Campaign'], 'What', {
        childRelationshipName: 'Tasks',
        cascadeDelete: true
      }),
      f('Subject', 'Subject', 'combobox', {
        length: 255,
        nameField: true,
        picklistValues: ['Call', 'Send Letter', 'Send Quote', 'Other'].map((value) => ({ value }))
      }),
      f('ActivityDate', 'Due Date Only', 'date'),
      pick('Status', 'Status', TASK_STATUSES, { ...req, defaultedOnCreate: true, standardValueSet: 'TaskStatus' }),
      pick('Priority', 'Priority', ['High', { value: 'Normal', default: true }, 'Low'], { ...req, defaultedOnCreate: true }),
      bool('IsHighPriority', 'High Priority', { ...ro, calculated: true }),
      bool('IsClosed', 'Closed', { ...ro, calculated: true }),
      owner(['User', 'Group'], 'Tasks'),
      longText('Description', 'Description'),
      pick('Type', 'Type', ['Call', 'Email', 'Meeting', 'Other']),
      pick('TaskSubtype', 'Task Subtype', ['Task', 'Email', 'ListEmail', 'Cadence', 'Call', 'LinkedIn'], {
        updateable: false,
        defaultedOnCreate: true
      }),
      f('CompletedDateTime', 'Completed Date/Time', 'datetime', ro),
      f('CallDurationInSeconds', 'Call Duration', 'int', { precision: 8, scale: 0 }),
      ref('AccountId', 'Account ID', ['Account'], 'Account', { ...ro, calculated: true })
    ]
  },
  {
    name: 'Event',
    label: 'Event',
    labelPlural: 'Events',
    keyPrefix: '00U',
    createable: true,
    updateable: true,
    deletable: true,
    fields: [
      ...system(),
      ref('WhoId', 'Name ID', ['Contact', 'Lead'], 'Who', { childRelationshipName: 'Events', cascadeDelete: true }),
      ref('WhatId', 'Related To ID', ['Account', 'Opportunity', 'Campaign'], 'What', {
        childRelationshipName: 'Events',
        cascadeDelete: true
      }),
      f('Subject', 'Subject', 'combobox', {
        length: 255,
        nameField: true,
        picklistValues: ['Call', 'Email', 'Meeting', 'Send Letter/Quote', 'Other'].map((value) => ({ value }))
      }),
      str('Location', 'Location', 255),
      bool('IsAllDayEvent', 'All-Day Event'),
      f('ActivityDateTime', 'Due Date Time', 'datetime', { defaultedOnCreate: true }),
      f('ActivityDate', 'Due Date Only', 'date', { defaultedOnCreate: true }),
      f('DurationInMinutes', 'Duration', 'int', { precision: 8, scale: 0, defaultedOnCreate: true }),
      f('StartDateTime', 'Start Date Time', 'datetime', { defaultedOnCreate: true }),
      f('EndDateTime', 'End Date Time', 'datetime', { defaultedOnCreate: true }),
      longText('Description', 'Description'),
      owner(['User'], 'Events'),
      pick('Type', 'Type', ['Call', 'Email', 'Meeting', 'Other']),
      pick('EventSubtype', 'Event Subtype', ['Event'], { updateable: false, defaultedOnCreate: true }),
      pick('ShowAs', 'Show Time As', ['Busy', 'OutOfOffice', 'Free'], { defaultedOnCreate: true }),
      ref('AccountId', 'Account ID', ['Account'], 'Account', { ...ro, calculated: true })
    ]
  },
  {
    name: 'LeadHistory',
    label: 'Lead History',
    labelPlural: 'Lead History',
    keyPrefix: '017',
    createable: false,
    updateable: false,
    deletable: false,
    fields: HISTORY_FIELDS('LeadId', 'Lead')
  },
  {
    name: 'OpportunityFieldHistory',
    label: 'Opportunity Field History',
    labelPlural: 'Opportunity Field History',
    keyPrefix: '017',
    createable: false,
    updateable: false,
    deletable: false,
    fields: HISTORY_FIELDS('OpportunityId', 'Opportunity')
  },
  {
    // one row per Lead Status value (the deployed LeadStatus standard value set, else the defaults); read-only
    name: 'LeadStatus',
    label: 'Lead Status Value',
    labelPlural: 'Lead Status Values',
    keyPrefix: '01J',
    createable: false,
    updateable: false,
    deletable: false,
    fields: [
      f('Id', 'Lead Status Value ID', 'id', { length: 18, nillable: false, ...ro, defaultedOnCreate: true, trackable: false }),
      str('MasterLabel', 'Master Label', 255, { ...ro, nameField: true }),
      str('ApiName', 'Api Name', 255, { ...ro, nillable: false }),
      f('SortOrder', 'Sort Order', 'int', { ...ro, precision: 9, scale: 0 }),
      bool('IsDefault', 'Is Default', ro),
      bool('IsConverted', 'Is Converted', ro),
      ...VALUE_OBJECT_AUDIT
    ]
  },
  {
    // one row per Opportunity Stage value (the deployed OpportunityStage set, else the defaults); read-only
    name: 'OpportunityStage',
    label: 'Opportunity Stage',
    labelPlural: 'Opportunity Stages',
    keyPrefix: '01J',
    createable: false,
    updateable: false,
    deletable: false,
    fields: [
      f('Id', 'Opportunity Stage ID', 'id', { length: 18, nillable: false, ...ro, defaultedOnCreate: true, trackable: false }),
      str('MasterLabel', 'Master Label', 255, { ...ro, nameField: true }),
      str('ApiName', 'Api Name', 255, { ...ro, nillable: false }),
      bool('IsActive', 'Is Active', ro),
      f('SortOrder', 'Sort Order', 'int', { ...ro, precision: 9, scale: 0 }),
      bool('IsClosed', 'Is Closed', ro),
      bool('IsWon', 'Is Won', ro),
      pick('ForecastCategory', 'Forecast Category', ['Omitted', 'Pipeline', 'BestCase', 'Forecast', 'Closed'], ro),
      pick('ForecastCategoryName', 'Forecast Category Name', ['Omitted', 'Pipeline', 'Best Case', 'Commit', 'Closed'], ro),
      f('DefaultProbability', 'Probability (%)', 'percent', { ...ro, precision: 3, scale: 0 }),
      str('Description', 'Description', 255, ro),
      ...VALUE_OBJECT_AUDIT
    ]
  },
  {
    name: 'BusinessHours',
    label: 'Business Hours',
    labelPlural: 'Business Hours',
    keyPrefix: '01m',
    // Setup data in a real org (not createable over the API); the local org allows inserts for seeding.
    createable: true,
    updateable: true,
    deletable: false,
    fields: [
      ...system(),
      str('Name', 'Business Hours Name', 80, { ...req, nameField: true }),
      bool('IsActive', 'Active'),
      bool('IsDefault', 'Default Business Hours'),
      pick('TimeZoneSidKey', 'Time Zone', TIME_ZONES, { ...req, restrictedPicklist: true }),
      ...WEEKDAYS.flatMap((d) => [f(`${d}StartTime`, `${d} Start`, 'time'), f(`${d}EndTime`, `${d} End`, 'time')])
    ]
  },
  {
    name: 'Holiday',
    label: 'Holiday',
    labelPlural: 'Holidays',
    keyPrefix: '0C0',
    createable: true,
    updateable: true,
    deletable: true,
    fields: [
      ...system(),
      str('Name', 'Holiday Name', 80, { ...req, nameField: true }),
      str('Description', 'Description', 100),
      bool('IsAllDay', 'All Day'),
      f('ActivityDate', 'Holiday Date', 'date'),
      f('StartTimeInMinutes', 'Start Time In Minutes', 'int', { precision: 9, scale: 0 }),
      f('EndTimeInMinutes', 'End Time In Minutes', 'int', { precision: 9, scale: 0 }),
      bool('IsRecurrence', 'Recurring Holiday'),
      pick('RecurrenceType', 'Recurrence Type', [
        'RecursDaily',
        'RecursEveryWeekday',
        'RecursMonthly',
        'RecursMonthlyNth',
        'RecursWeekly',
        'RecursYearly',
        'RecursYearlyNth'
      ]),
      f('RecurrenceInterval', 'Recurrence Interval', 'int', { precision: 9, scale: 0 }),
      f('RecurrenceDayOfWeekMask', 'Recurrence Day of Week Mask', 'int', { precision: 9, scale: 0 }),
      f('RecurrenceDayOfMonth', 'Recurrence Day of Month', 'int', { precision: 9, scale: 0 }),
      pick('RecurrenceInstance', 'Recurrence Instance', ['First', 'Second', 'Third', 'Fourth', 'Last']),
      pick('RecurrenceMonthOfYear', 'Recurrence Month of Year', [
        'January',
        'February',
        'March',
        'April',
        'May',
        'June',
        'July',
        'August',
        'September',
        'October',
        'November',
        'December'
      ]),
      f('RecurrenceStartDate', 'Recurrence Start', 'date'),
      f('RecurrenceEndDateOnly', 'Recurrence End', 'date')
    ]
  },
  {
    // one row per custom notification type; an org creates them in Setup or deploys them as metadata (the local
    // org derives its rows from the deployed CustomNotificationType components, by DeveloperName, and takes no
    // writes). Queryable as in a real org: SELECT Id FROM CustomNotificationType WHERE DeveloperName = '…'
    // (Object Reference, "CustomNotificationType", API 47.0+:
    // https://developer.salesforce.com/docs/platform/field-reference/references/field-reference/salesforce-field-reference-customnotificationtype.html)
    name: 'CustomNotificationType',
    label: 'Custom Notification Type',
    labelPlural: 'Custom Notification Types',
    keyPrefix: '0ML',
    createable: false,
    updateable: false,
    deletable: false,
    fields: [
      f('Id', 'Custom Notification Type ID', 'id', { length: 18, nillable: false, ...ro, defaultedOnCreate: true, trackable: false }),
      bool('IsDeleted', 'Deleted', ro),
      str('DeveloperName', 'Name', 80, { ...req, ...ro }),
      str('MasterLabel', 'Label', 80, { ...req, ...ro, nameField: true }),
      str('CustomNotifTypeName', 'Name', 80, { ...req, ...ro }),
      f('Description', 'Description', 'textarea', { ...ro, length: 255 }),
      bool('Desktop', 'Desktop', ro),
      bool('Mobile', 'Mobile', ro),
      bool('IsSlack', 'Slack', ro),
      str('NamespacePrefix', 'Namespace Prefix', 15, ro),
      ...VALUE_OBJECT_AUDIT
    ]
  },
  {
    // one row per permission set; an org edits them in Setup or deploys them as metadata (the local org derives
    // its rows from the deployed PermissionSet components, by Name, and takes no writes)
    name: 'PermissionSet',
    label: 'Permission Set',
    labelPlural: 'Permission Sets',
    keyPrefix: '0PS',
    createable: false,
    updateable: false,
    deletable: false,
    fields: [
      f('Id', 'Permission Set ID', 'id', { length: 18, nillable: false, ...ro, defaultedOnCreate: true, trackable: false }),
      str('Name', 'Name', 80, { ...req, ...ro }),
      str('Label', 'Label', 80, { ...req, ...ro, nameField: true }),
      str('Description', 'Description', 255, ro),
      bool('IsOwnedByProfile', 'Is Owned By Profile', ro),
      ref('ProfileId', 'Profile ID', ['Profile'], 'Profile', ro),
      pick('Type', 'Permission Set Type', ['Regular', 'Profile', 'Group', 'Session'], ro),
      str('NamespacePrefix', 'Namespace Prefix', 15, ro),
      bool('HasActivationRequired', 'Session Activation Required', ro),
      bool('PermissionsModifyAllData', 'Modify All Data', ro),
      bool('PermissionsViewAllData', 'View All Data', ro),
      bool('PermissionsViewEditConvertedLeads', 'View and Edit Converted Leads', ro),
      ...VALUE_OBJECT_AUDIT
    ]
  },
  {
    // a permission set granted to a user: created and deleted over the API (Assign Permission Sets), never updated
    name: 'PermissionSetAssignment',
    label: 'Permission Set Assignment',
    labelPlural: 'Permission Set Assignments',
    keyPrefix: '0Pa',
    createable: true,
    updateable: false,
    deletable: true,
    fields: [
      f('Id', 'Permission Set Assignment ID', 'id', { length: 18, nillable: false, ...ro, defaultedOnCreate: true, trackable: false }),
      ref('AssigneeId', 'Assignee ID', ['User'], 'Assignee', {
        ...req,
        updateable: false,
        childRelationshipName: 'PermissionSetAssignments'
      }),
      ref('PermissionSetId', 'Permission Set ID', ['PermissionSet'], 'PermissionSet', {
        ...req,
        updateable: false,
        childRelationshipName: 'Assignments'
      }),
      bool('IsActive', 'Is Active', { ...ro, defaultValue: true }),
      f('SystemModstamp', 'System Modstamp', 'datetime', { nillable: false, ...ro, defaultedOnCreate: true })
    ]
  }
];

/** Standard objects by API name. */
export const STANDARD_OBJECT_MAP: ReadonlyMap<string, StandardObjectDef> = new Map(STANDARD_OBJECTS.map((o) => [o.name, o]));

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
