import { f, str, req, ro, pick, ref, bool, system, TIME_ZONES, personName } from './fields';
import type { StandardObjectDef } from './describe';

export const USER: StandardObjectDef = {
  name: 'User',
  label: 'User',
  labelPlural: 'Users',
  keyPrefix: '005',
  createable: true,
  updateable: true,
  deletable: false,
  fields: [
    ...system(),
    str('Username', 'Username', 80, { ...req, unique: true }),
    ...personName(),
    str('CompanyName', 'Company Name', 80),
    str('Division', 'Division', 80),
    str('Department', 'Department', 80),
    str('Title', 'Title', 80),
    f('Email', 'Email', 'email', { length: 128, ...req }),
    str('Alias', 'Alias', 8, req),
    str('CommunityNickname', 'Nickname', 40, { defaultedOnCreate: true }),
    bool('IsActive', 'Active', { defaultValue: true }),
    pick('TimeZoneSidKey', 'Time Zone', TIME_ZONES, { ...req, restrictedPicklist: true }),
    pick('LocaleSidKey', 'Locale', ['en_US', 'en_GB', 'de_DE', 'fr_FR', 'es_ES', 'ja_JP'], { ...req, restrictedPicklist: true }),
    pick('EmailEncodingKey', 'Email Encoding', ['UTF-8', 'ISO-8859-1'], { ...req, restrictedPicklist: true }),
    pick('LanguageLocaleKey', 'Language', ['en_US', 'de', 'fr', 'es', 'ja'], { ...req, restrictedPicklist: true }),
    ref('ProfileId', 'Profile ID', ['Profile'], 'Profile', req),
    ref('ManagerId', 'Manager ID', ['User'], 'Manager', { childRelationshipName: 'ManagedUsers' }),
    pick('UserType', 'User Type', ['Standard', 'AutomatedProcess'], { ...ro, defaultedOnCreate: true }),
    f('Phone', 'Phone', 'phone', { length: 40 }),
    f('MobilePhone', 'Mobile', 'phone', { length: 40 }),
    f('LastLoginDate', 'Last Login', 'datetime', ro)
  ]
};
