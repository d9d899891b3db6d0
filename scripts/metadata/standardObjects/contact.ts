import { f, str, ro, longText, pick, ref, system, owner, LEAD_SOURCES, STATES_FIELDS, personName } from './fields';
import type { StandardObjectDef } from './describe';

export const CONTACT: StandardObjectDef = {
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
};
