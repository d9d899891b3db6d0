import { f, req, ro, ref, bool } from './fields';
import type { StandardObjectDef } from './describe';

// a permission set granted to a user: created and deleted over the API (Assign Permission Sets), never updated
export const PERMISSION_SET_ASSIGNMENT: StandardObjectDef = {
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
};
