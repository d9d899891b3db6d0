import { ChildRelationship, FieldSchema, ObjectSchema, RecordVisibility, Schema } from '../schema';
import { fieldPermissions, UserGrants } from './grants';

/**
 * The org's schema as one user sees it, built once per user and schema: only the objects the user
 * can read and, on each, only the fields field-level security lets them read; `createable` and
 * `updateable` of objects and fields say what this user may write (object permission and field
 * edit access together). A lookup into an object the user cannot read keeps its id but loses its
 * relationship. Describe, SOQL, GraphQL and the UI API all read this view, so "the API respects
 * object-level and field-level security … fields that are not visible to a given user are not
 * returned in a query() or describeSObjects() call. Similarly, read-only fields can't be updated"
 * (Object Reference, "Factors that Affect Data Access":
 * https://developer.salesforce.com/docs/atlas.en-us.object_reference.meta/object_reference/obj_ref_data_access.htm).
 */
export function userSchema(full: Schema, grants: UserGrants, visibility: RecordVisibility): Schema {
  const view = new Schema();
  view.visibility = visibility;
  const readable = (name: string) => grants.objects.get(name.toLowerCase())?.read === true;
  for (const obj of full.objects.values()) {
    if (!readable(obj.name)) continue;
    const perms = grants.objects.get(obj.name.toLowerCase())!;
    const fields: FieldSchema[] = [];
    for (const f of obj.fields) {
      const fls = fieldPermissions(grants, obj, f);
      if (!fls.read) continue;
      let vf: FieldSchema = f;
      const createable = f.createable && fls.edit && perms.create;
      const updateable = f.updateable && fls.edit && perms.edit;
      if (createable !== f.createable || updateable !== f.updateable) vf = { ...vf, createable, updateable };
      if (f.type === 'reference') {
        const targets = f.referenceTo.filter(readable);
        if (targets.length !== f.referenceTo.length) {
          vf = { ...vf, referenceTo: targets };
          if (targets.length === 0) vf = { ...vf, relationshipName: undefined };
        }
      }
      fields.push(vf);
    }
    const byName = new Map(fields.map((f) => [f.name.toLowerCase(), f]));
    const byRelationship = new Map<string, FieldSchema>();
    for (const f of fields) if (f.relationshipName) byRelationship.set(f.relationshipName.toLowerCase(), f);
    const view1: ObjectSchema = {
      ...obj,
      createable: obj.createable && perms.create,
      updateable: obj.updateable && perms.edit,
      deletable: obj.deletable && perms.delete,
      fields,
      byName,
      byRelationship,
      children: [],
      childByName: new Map(),
      nameField: obj.nameField && byName.get(obj.nameField.name.toLowerCase()),
      hasOwner: byName.has('ownerid'),
      hasAudit: byName.has('lastmodifieddate')
    };
    view.objects.set(obj.name.toLowerCase(), view1);
    if (!view.byPrefix.has(obj.keyPrefix)) view.byPrefix.set(obj.keyPrefix, view1);
  }
  // child relationships whose child object and field this user can read
  for (const parent of full.objects.values()) {
    const vp = view.get(parent.name);
    if (!vp) continue;
    for (const rel of parent.children) {
      const child = view.get(rel.childSObject);
      if (!child?.byName.has(rel.field.toLowerCase())) continue;
      const copy: ChildRelationship = { ...rel };
      vp.children.push(copy);
      if (copy.relationshipName) vp.childByName.set(copy.relationshipName.toLowerCase(), copy);
    }
  }
  return view;
}
