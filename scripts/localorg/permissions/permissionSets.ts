import { asArray, bool, parseXml, rootOf, text, XmlNode } from '../../metadata/xml';
import { makeId } from '../ids';
import type { Schema } from '../schema';
import { quote, SqlValue, Store } from '../store';

/**
 * Permission sets as the local org interprets them: read from the deployed PermissionSet components
 * (the Metadata API's `PermissionSet` type: objectPermissions, fieldPermissions, userPermissions,
 * customMetadataTypeAccesses), and mirrored as `PermissionSet` rows (by Name) so that
 * `PermissionSetAssignment` rows can point at them, as in an org.
 * https://developer.salesforce.com/docs/atlas.en-us.api_meta.meta/api_meta/meta_permissionset.htm
 */

/** The object permissions of the API (`allowRead`, `allowCreate`, …, `modifyAllRecords`). */
export interface ObjectPermissions {
  read: boolean;
  create: boolean;
  edit: boolean;
  delete: boolean;
  viewAll: boolean;
  modifyAll: boolean;
}

export interface FieldPermissions {
  read: boolean;
  edit: boolean;
}

export interface PermissionSetDef {
  name: string;
  label: string;
  description?: string;
  hasActivationRequired: boolean;
  /** Lower-case object API name → its permissions. */
  objects: Map<string, ObjectPermissions>;
  /** Lower-case `object.field` → its field-level security. */
  fields: Map<string, FieldPermissions>;
  /** Enabled user permissions by API name (`ModifyAllData`, `ViewAllData`, `ViewEditConvertedLeads`, …). */
  userPermissions: Set<string>;
  /** Lower-case custom metadata type names this set grants read access to. */
  customMetadataTypes: Set<string>;
}

export const NO_OBJECT_ACCESS: ObjectPermissions = {
  read: false,
  create: false,
  edit: false,
  delete: false,
  viewAll: false,
  modifyAll: false
};

/**
 * An object permission with the permissions it implies (the platform enforces these dependencies
 * when a set is saved: Modify All needs View All, Delete and Edit; Edit, Create and View All need Read).
 */
export function normalized(p: ObjectPermissions): ObjectPermissions {
  const modifyAll = p.modifyAll;
  const del = p.delete || modifyAll;
  const edit = p.edit || del;
  const viewAll = p.viewAll || modifyAll;
  return { read: p.read || edit || p.create || viewAll, create: p.create, edit, delete: del, viewAll, modifyAll };
}

/** The union of two grants (a user's access is the union of their profile and permission sets). */
export function union(a: ObjectPermissions, b: ObjectPermissions): ObjectPermissions {
  return {
    read: a.read || b.read,
    create: a.create || b.create,
    edit: a.edit || b.edit,
    delete: a.delete || b.delete,
    viewAll: a.viewAll || b.viewAll,
    modifyAll: a.modifyAll || b.modifyAll
  };
}

/** A PermissionSet component's XML → its definition. */
export function parsePermissionSet(name: string, xml: string): PermissionSetDef {
  const { node } = rootOf(parseXml(xml, `permissionsets/${name}.permissionset`));
  const objects = new Map<string, ObjectPermissions>();
  for (const op of asArray<XmlNode>(node.objectPermissions)) {
    const object = text(op.object);
    if (!object) continue;
    const perms = normalized({
      read: bool(op.allowRead),
      create: bool(op.allowCreate),
      edit: bool(op.allowEdit),
      delete: bool(op.allowDelete),
      viewAll: bool(op.viewAllRecords),
      modifyAll: bool(op.modifyAllRecords)
    });
    const key = object.toLowerCase();
    objects.set(key, union(objects.get(key) ?? NO_OBJECT_ACCESS, perms));
  }
  const fields = new Map<string, FieldPermissions>();
  for (const fp of asArray<XmlNode>(node.fieldPermissions)) {
    const field = text(fp.field);
    if (!field) continue;
    const edit = bool(fp.editable);
    fields.set(field.toLowerCase(), { read: bool(fp.readable) || edit, edit });
  }
  const userPermissions = new Set<string>();
  for (const up of asArray<XmlNode>(node.userPermissions)) {
    const permission = text(up.name);
    if (permission && (up.enabled === undefined || bool(up.enabled))) userPermissions.add(permission);
  }
  const customMetadataTypes = new Set<string>();
  for (const ca of asArray<XmlNode>(node.customMetadataTypeAccesses)) {
    const type = text(ca.name);
    if (type && bool(ca.enabled)) customMetadataTypes.add(type.toLowerCase());
  }
  return {
    name,
    label: text(node.label) ?? name,
    description: text(node.description),
    hasActivationRequired: bool(node.hasActivationRequired),
    objects,
    fields,
    userPermissions,
    customMetadataTypes
  };
}

/** Every deployed permission set, by Name; a component that does not parse is left out (the deploy checked it). */
export function loadPermissionSets(store: Store): Map<string, PermissionSetDef> {
  const out = new Map<string, PermissionSetDef>();
  for (const row of store.all(`SELECT fullName, content FROM _component WHERE type = 'PermissionSet' ORDER BY fullName`)) {
    const name = String(row.fullName);
    const content = row.content instanceof Uint8Array ? Buffer.from(row.content).toString('utf8') : String(row.content);
    try {
      out.set(name, parsePermissionSet(name, content));
    } catch {
      // stored by a deploy that only checked well-formedness: not a permission set we can read
    }
  }
  return out;
}

/**
 * Brings the PermissionSet rows in line with the deployed permission sets (inside the caller's
 * transaction): one row per set, by Name, keeping its Id. Deploys are never destructive, so rows are
 * only added and updated.
 */
export function syncPermissionSetRows(store: Store, schema: Schema, sets: Map<string, PermissionSetDef>, userId: string, now: Date): void {
  const obj = schema.get('PermissionSet');
  if (!obj) return;
  const at = now.toISOString();
  const table = quote(obj.name);
  const existing = new Map(store.all(`SELECT * FROM ${table}`).map((r) => [String(r.Name), r]));
  for (const ps of sets.values()) {
    const values: Record<string, SqlValue> = {
      Label: ps.label,
      Description: ps.description?.slice(0, 255) ?? null,
      IsOwnedByProfile: 0,
      ProfileId: null,
      Type: 'Regular',
      NamespacePrefix: null,
      HasActivationRequired: ps.hasActivationRequired ? 1 : 0,
      PermissionsModifyAllData: ps.userPermissions.has('ModifyAllData') ? 1 : 0,
      PermissionsViewAllData: ps.userPermissions.has('ViewAllData') ? 1 : 0,
      PermissionsViewEditConvertedLeads: ps.userPermissions.has('ViewEditConvertedLeads') ? 1 : 0
    };
    const old = existing.get(ps.name);
    if (!old) {
      const row: Record<string, SqlValue> = {
        Id: makeId(obj.keyPrefix, store.nextSeq(`id:${obj.keyPrefix}`)),
        Name: ps.name,
        ...values,
        CreatedDate: at,
        CreatedById: userId,
        LastModifiedDate: at,
        LastModifiedById: userId,
        SystemModstamp: at
      };
      const cols = Object.keys(row);
      store.run(
        `INSERT INTO ${table} (${cols.map(quote).join(', ')}) VALUES (${cols.map(() => '?').join(', ')})`,
        Object.values(row) // in the order of Object.keys
      );
      continue;
    }
    const before = new Map(Object.entries(old));
    const changed = Object.entries(values).filter(([c, v]) => v !== before.get(c));
    if (changed.length === 0) continue;
    const set: Record<string, SqlValue> = {
      ...Object.fromEntries(changed),
      LastModifiedDate: at,
      LastModifiedById: userId,
      SystemModstamp: at
    };
    const cols = Object.keys(set);
    store.run(`UPDATE ${table} SET ${cols.map((c) => `${quote(c)} = ?`).join(', ')} WHERE "Id" = ?`, [
      ...Object.values(set), // in the order of Object.keys
      String(old.Id)
    ]);
  }
}
