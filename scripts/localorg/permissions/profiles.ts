import type { ObjectSchema } from '../schema';
import { NO_OBJECT_ACCESS, ObjectPermissions } from './permissionSets';

/**
 * The two profiles of the local org and what each grants before any permission set. Standard
 * profiles cannot be edited in an org, and the local org takes no deployed Profile metadata: these
 * are the fixed baseline, kept deliberately small.
 *
 * - **System Administrator**: Modify All Data and View All Data — every object, field and record.
 * - **Standard User**: per Salesforce's description of the standard profiles ("can create and edit
 *   most major types of records, run reports, and view the org's setup. Can view, but not manage,
 *   campaigns" — https://help.salesforce.com/s/articleView?id=platform.standard_profiles.htm):
 *   Read/Create/Edit/Delete on Lead, Account, Contact, Opportunity, Task and Event (Edit Tasks, Edit
 *   Events); Read on Campaign and CampaignMember; Read on the setup objects we describe (User,
 *   Profile, Group, GroupMember, PermissionSet, PermissionSetAssignment, BusinessHours, Holiday,
 *   LeadStatus, OpportunityStage, …) and on the history of what it can read. No View All / Modify
 *   All, no access to custom objects or custom metadata types: "when a custom object is created,
 *   most profiles (except those with Modify All Data) don't give access to the object"
 *   (https://developer.salesforce.com/docs/atlas.en-us.fundamentals.meta/fundamentals/adg_securing_data_standard_profiles.htm),
 *   and a custom metadata type needs customMetadataTypeAccesses. Every standard field of an object
 *   it can read is visible; custom fields need field permissions (a deployed field gets none on a
 *   standard profile).
 */
export const SYSTEM_ADMINISTRATOR = 'System Administrator';
export const STANDARD_USER = 'Standard User';

const CRED: ObjectPermissions = { read: true, create: true, edit: true, delete: true, viewAll: false, modifyAll: false };
const READ: ObjectPermissions = { ...NO_OBJECT_ACCESS, read: true };

const STANDARD_USER_OBJECTS: ReadonlyMap<string, ObjectPermissions> = new Map([
  ['lead', CRED],
  ['account', CRED],
  ['contact', CRED],
  ['opportunity', CRED],
  ['task', CRED],
  ['event', CRED],
  ['campaign', READ],
  ['campaignmember', READ]
]);

/** What a profile grants on an object (before permission sets). */
export function profileObjectPermissions(profile: string, obj: ObjectSchema): ObjectPermissions {
  if (profile === SYSTEM_ADMINISTRATOR) return { read: true, create: true, edit: true, delete: true, viewAll: true, modifyAll: true };
  if (obj.custom) return NO_OBJECT_ACCESS;
  return STANDARD_USER_OBJECTS.get(obj.name.toLowerCase()) ?? READ;
}

/** Whether a profile grants Modify All Data (every check passes). */
export function profileModifiesAllData(profile: string): boolean {
  return profile === SYSTEM_ADMINISTRATOR;
}
