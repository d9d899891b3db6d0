import { f, req, ro, ref } from './fields';
import type { StandardObjectDef } from './describe';

export const GROUP_MEMBER: StandardObjectDef = {
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
};
