import { f, str, req, pick, bool, system, TIME_ZONES } from './fields';
import type { StandardObjectDef } from './describe';

const WEEKDAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

export const BUSINESS_HOURS: StandardObjectDef = {
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
};
