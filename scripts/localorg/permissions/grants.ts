import type { FieldSchema, ObjectSchema, Schema } from '../schema';
import type { Store } from '../store';
import { FieldPermissions, NO_OBJECT_ACCESS, ObjectPermissions, PermissionSetDef, union } from './permissionSets';
import { profileModifiesAllData, profileObjectPermissions } from './profiles';

/**
 * A user's effective permissions: the union of what the profile grants and what every assigned
 * permission set grants (PermissionSetAssignment rows), as in an org. Computed from the database
 * once per user and kept until an assignment, a user or a deploy changes (permissions/index.ts).
 */
export interface UserGrants {
  userId: string;
  active: boolean;
  profile: string;
  /** The Names of the assigned permission sets. */
  permissionSets: string[];
  modifyAllData: boolean;
  viewAllData: boolean;
  /** View and Edit Converted Leads. */
  viewEditConvertedLeads: boolean;
  /** The user permissions the assigned permission sets enable (`SendCustomNotifications`, …). */
  userPermissions: ReadonlySet<string>;
  /** Lower-case object name → permissions, for every object of the schema. */
  objects: Map<string, ObjectPermissions>;
  /** Lower-case `object.field` → field-level security granted by permission sets. */
  fields: Map<string, FieldPermissions>;
  customMetadataTypes: Set<string>;
}

/** The user's grants, or undefined when there is no such user. */
export function loadGrants(store: Store, schema: Schema, sets: Map<string, PermissionSetDef>, userId: string): UserGrants | undefined {
  const user = store.get(
    `SELECT u."IsActive" AS active, p."Name" AS profile FROM "User" u LEFT JOIN "Profile" p ON p."Id" = u."ProfileId" WHERE u."Id" = ?`,
    [userId]
  );
  if (!user) return undefined;
  const profile = String(user.profile ?? '');
  const assigned = schema.get('PermissionSetAssignment')
    ? store
        .all(
          `SELECT ps."Name" AS name FROM "PermissionSetAssignment" a JOIN "PermissionSet" ps ON ps."Id" = a."PermissionSetId"
           WHERE a."AssigneeId" = ? ORDER BY ps."Name"`,
          [userId]
        )
        .map((r) => String(r.name))
    : [];
  const defs = assigned.map((n) => sets.get(n)).filter((d): d is PermissionSetDef => d !== undefined);
  const userPermissions = new Set(defs.flatMap((d) => [...d.userPermissions]));
  const modifyAllData = profileModifiesAllData(profile) || userPermissions.has('ModifyAllData');
  const viewAllData = modifyAllData || userPermissions.has('ViewAllData');
  const customMetadataTypes = new Set(defs.flatMap((d) => [...d.customMetadataTypes]));
  const objects = new Map<string, ObjectPermissions>();
  for (const obj of schema.objects.values()) {
    let perms = profileObjectPermissions(profile, obj);
    if (obj.customMetadata) perms = { ...NO_OBJECT_ACCESS, read: modifyAllData || customMetadataTypes.has(obj.name.toLowerCase()) };
    for (const d of defs) {
      const granted = d.objects.get(obj.name.toLowerCase());
      if (granted) perms = union(perms, granted);
    }
    // View All Data reads every object and record; Modify All Data does everything
    if (viewAllData) perms = { ...perms, read: true, viewAll: true };
    if (modifyAllData) perms = { read: true, create: true, edit: true, delete: true, viewAll: true, modifyAll: true };
    objects.set(obj.name.toLowerCase(), perms);
  }
  const fields = new Map<string, FieldPermissions>();
  for (const d of defs) {
    for (const [key, fp] of d.fields) {
      const had = fields.get(key);
      fields.set(key, had ? { read: had.read || fp.read, edit: had.edit || fp.edit } : fp);
    }
  }
  return {
    userId,
    active: user.active === 1 || user.active === '1',
    profile,
    permissionSets: assigned,
    modifyAllData,
    viewAllData,
    viewEditConvertedLeads: viewAllData || userPermissions.has('ViewEditConvertedLeads'),
    userPermissions,
    objects,
    fields,
    customMetadataTypes
  };
}

/**
 * Field-level security of one field for these grants. Standard fields and the system fields of
 * custom objects are visible to whoever reads the object; so are required and master-detail custom
 * fields (the platform takes no field permissions for them) and custom metadata fields. Any other
 * custom field is visible only when a permission set grants it.
 */
export function fieldPermissions(g: UserGrants, obj: ObjectSchema, f: FieldSchema): FieldPermissions {
  if (g.modifyAllData || !f.custom || obj.customMetadata) return { read: true, edit: true };
  if (f.masterDetail || (!f.nillable && f.type !== 'boolean')) return { read: true, edit: true };
  return g.fields.get(`${obj.name}.${f.name}`.toLowerCase()) ?? { read: false, edit: false };
}
