import { f, str, req, ro, pick, ref, bool, VALUE_OBJECT_AUDIT } from './fields';
import type { StandardObjectDef } from './describe';

// one row per permission set; an org edits them in Setup or deploys them as metadata (the local org derives
// its rows from the deployed PermissionSet components, by Name, and takes no writes)
export const PERMISSION_SET: StandardObjectDef = {
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
};
