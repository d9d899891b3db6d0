/**
 * A built-in description of the Salesforce standard objects Closed Loop touches, in the terms of
 * the REST describe (`/sobjects/X/describe`): real API field names, describe types, lengths,
 * nillability, references and relationship names. The local org builds its standard schema from
 * it; the metadata validator checks references to standard fields against it. Custom fields on
 * these objects come from deployed metadata (`objects.ts`), not from here.
 *
 * Only what we use is described; it is not a complete copy of any org's schema.
 */

import type { StandardObjectDef } from './standardObjects/describe';
import { USER } from './standardObjects/user';
import { PROFILE } from './standardObjects/profile';
import { GROUP } from './standardObjects/group';
import { GROUP_MEMBER } from './standardObjects/groupMember';
import { QUEUE_SOBJECT } from './standardObjects/queueSobject';
import { LEAD } from './standardObjects/lead';
import { ACCOUNT } from './standardObjects/account';
import { CONTACT } from './standardObjects/contact';
import { OPPORTUNITY } from './standardObjects/opportunity';
import { CAMPAIGN } from './standardObjects/campaign';
import { CAMPAIGN_MEMBER } from './standardObjects/campaignMember';
import { TASK } from './standardObjects/task';
import { EVENT } from './standardObjects/event';
import { LEAD_HISTORY } from './standardObjects/leadHistory';
import { OPPORTUNITY_FIELD_HISTORY } from './standardObjects/opportunityFieldHistory';
import { LEAD_STATUS } from './standardObjects/leadStatus';
import { OPPORTUNITY_STAGE } from './standardObjects/opportunityStage';
import { BUSINESS_HOURS } from './standardObjects/businessHours';
import { HOLIDAY } from './standardObjects/holiday';
import { CUSTOM_NOTIFICATION_TYPE } from './standardObjects/customNotificationType';
import { PERMISSION_SET } from './standardObjects/permissionSet';
import { PERMISSION_SET_ASSIGNMENT } from './standardObjects/permissionSetAssignment';

export {
  DESCRIBE_TYPE_OF_FIELD_TYPE,
  type DescribeFieldType,
  type StandardFieldDef,
  type StandardObjectDef,
  type StandardPicklistValue
} from './standardObjects/describe';
export { customMetadataSystemFields, customObjectSystemFields } from './standardObjects/fields';
export { DEFAULT_LEAD_STATUSES } from './standardObjects/lead';
export { DEFAULT_OPPORTUNITY_STAGES } from './standardObjects/opportunity';

/** The standard objects, in the order the local org builds them. */
export const STANDARD_OBJECTS: readonly StandardObjectDef[] = [
  USER,
  PROFILE,
  GROUP,
  GROUP_MEMBER,
  QUEUE_SOBJECT,
  LEAD,
  ACCOUNT,
  CONTACT,
  OPPORTUNITY,
  CAMPAIGN,
  CAMPAIGN_MEMBER,
  TASK,
  EVENT,
  LEAD_HISTORY,
  OPPORTUNITY_FIELD_HISTORY,
  LEAD_STATUS,
  OPPORTUNITY_STAGE,
  BUSINESS_HOURS,
  HOLIDAY,
  CUSTOM_NOTIFICATION_TYPE,
  PERMISSION_SET,
  PERMISSION_SET_ASSIGNMENT
];

/** Standard objects by API name. */
export const STANDARD_OBJECT_MAP: ReadonlyMap<string, StandardObjectDef> = new Map(STANDARD_OBJECTS.map((o) => [o.name, o]));
