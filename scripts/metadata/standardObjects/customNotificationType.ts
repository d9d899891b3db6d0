import { f, str, req, ro, bool, VALUE_OBJECT_AUDIT } from './fields';
import type { StandardObjectDef } from './describe';

// one row per custom notification type; an org creates them in Setup or deploys them as metadata (the local
// org derives its rows from the deployed CustomNotificationType components, by DeveloperName, and takes no
// writes). Queryable as in a real org: SELECT Id FROM CustomNotificationType WHERE DeveloperName = '…'
// (Object Reference, "CustomNotificationType", API 47.0+:
// https://developer.salesforce.com/docs/platform/field-reference/references/field-reference/salesforce-field-reference-customnotificationtype.html)
export const CUSTOM_NOTIFICATION_TYPE: StandardObjectDef = {
  name: 'CustomNotificationType',
  label: 'Custom Notification Type',
  labelPlural: 'Custom Notification Types',
  keyPrefix: '0ML',
  createable: false,
  updateable: false,
  deletable: false,
  fields: [
    f('Id', 'Custom Notification Type ID', 'id', { length: 18, nillable: false, ...ro, defaultedOnCreate: true, trackable: false }),
    bool('IsDeleted', 'Deleted', ro),
    str('DeveloperName', 'Name', 80, { ...req, ...ro }),
    str('MasterLabel', 'Label', 80, { ...req, ...ro, nameField: true }),
    str('CustomNotifTypeName', 'Name', 80, { ...req, ...ro }),
    f('Description', 'Description', 'textarea', { ...ro, length: 255 }),
    bool('Desktop', 'Desktop', ro),
    bool('Mobile', 'Mobile', ro),
    bool('IsSlack', 'Slack', ro),
    str('NamespacePrefix', 'Namespace Prefix', 15, ro),
    ...VALUE_OBJECT_AUDIT
  ]
};
