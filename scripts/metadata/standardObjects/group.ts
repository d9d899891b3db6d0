import { f, str, req, pick, ref, bool, system } from './fields';
import type { StandardObjectDef } from './describe';

export const GROUP: StandardObjectDef = {
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
};
