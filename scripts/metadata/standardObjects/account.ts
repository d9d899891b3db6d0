import { f, str, req, ro, longText, pick, ref, system, owner, LEAD_SOURCES, INDUSTRIES, STATES_FIELDS } from './fields';
import type { StandardObjectDef } from './describe';

export const ACCOUNT: StandardObjectDef = {
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
};
