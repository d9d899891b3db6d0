import { f, str, req, ro, longText, pick, ref, bool, system, owner, LEAD_SOURCES, INDUSTRIES, STATES_FIELDS, personName } from './fields';
import type { StandardObjectDef, StandardPicklistValue } from './describe';

/** Default Lead Status values (an org's LeadStatus standard value set replaces them when deployed). */
export const DEFAULT_LEAD_STATUSES: StandardPicklistValue[] = [
  { value: 'Open - Not Contacted', default: true },
  { value: 'Working - Contacted' },
  { value: 'Closed - Converted', converted: true },
  { value: 'Closed - Not Converted' }
];

export const LEAD: StandardObjectDef = {
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
};
