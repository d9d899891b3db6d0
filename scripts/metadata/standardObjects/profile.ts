import { str, req, ro, pick, system } from './fields';
import type { StandardObjectDef } from './describe';

export const PROFILE: StandardObjectDef = {
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
};
