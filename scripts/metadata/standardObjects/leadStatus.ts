import { f, str, ro, bool, VALUE_OBJECT_AUDIT } from './fields';
import type { StandardObjectDef } from './describe';

// one row per Lead Status value (the deployed LeadStatus standard value set, else the defaults); read-only
export const LEAD_STATUS: StandardObjectDef = {
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
};
