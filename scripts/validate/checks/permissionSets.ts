import { childNamed, childrenNamed, childText, type XmlElement } from '../../metadata/xml';
import { didYouMean } from '../model';
import type { CheckContext } from '../types';
import { splitOnce } from './fields';

/** Object permissions and the permissions each one needs (the platform rejects a set that breaks these). */
const OBJECT_PERMISSION_NEEDS: Record<string, string[]> = {
  allowCreate: ['allowRead'],
  allowEdit: ['allowRead'],
  allowDelete: ['allowRead', 'allowEdit'],
  viewAllRecords: ['allowRead'],
  modifyAllRecords: ['allowRead', 'allowEdit', 'allowDelete', 'viewAllRecords']
};

/**
 * Permission sets name only what exists, in a form the platform accepts: objects (not custom
 * metadata types, which take customMetadataTypeAccesses), fields that can carry field-level
 * security (not required or system fields; formulas read-only), tabs, apps, and object
 * permissions with the permissions they depend on.
 */
export function checkPermissionSets(ctx: CheckContext): void {
  const { model, findings } = ctx;
  for (const ps of model.byType('PermissionSet')) {
    const root = ps.xml ? model.doc(ps.xml) : undefined;
    if (!root || !ps.xml) continue;
    const file = ps.xml;
    const seen = new Set<string>();
    const once = (kind: string, name: string, el: XmlElement) => {
      const key = `${kind}:${name.toLowerCase()}`;
      if (seen.has(key)) findings.add(file, el.line, `${kind} for ${name} appears twice in this permission set`);
      seen.add(key);
    };

    for (const op of childrenNamed(root, 'objectPermissions')) {
      const objEl = childNamed(op, 'object');
      const name = objEl?.text ?? '';
      const line = objEl?.line ?? op.line;
      once('objectPermissions', name, op);
      const obj = model.object(name);
      if (!obj) findings.add(file, line, `objectPermissions: ${model.unknownObject(name)}`);
      else if (obj.customMetadata) {
        findings.add(file, line, `objectPermissions cannot name custom metadata type ${name}; use customMetadataTypeAccesses`);
      }
      for (const [perm, needs] of Object.entries(OBJECT_PERMISSION_NEEDS)) {
        if (childText(op, perm) !== 'true') continue;
        const missing = needs.filter((n) => childText(op, n) !== 'true');
        if (missing.length > 0) {
          findings.add(file, childNamed(op, perm)!.line, `objectPermissions on ${name}: ${perm} needs ${missing.join(', ')} as well`);
        }
      }
    }

    for (const fp of childrenNamed(root, 'fieldPermissions')) {
      const fieldEl = childNamed(fp, 'field');
      const full = fieldEl?.text ?? '';
      const line = fieldEl?.line ?? fp.line;
      once('fieldPermissions', full, fp);
      const [objectName, fieldName] = splitOnce(full);
      const obj = model.object(objectName);
      if (!obj) {
        findings.add(file, line, `fieldPermissions: ${model.unknownObject(objectName)} (in ${full})`);
        continue;
      }
      const field = obj.fields.get(fieldName.toLowerCase());
      if (!field) {
        findings.add(file, line, `fieldPermissions: ${model.unknownField(obj, fieldName)}`);
        continue;
      }
      const editable = childText(fp, 'editable') === 'true';
      if (obj.customMetadata) findings.add(file, line, `fieldPermissions cannot name custom metadata field ${full}`);
      else if (field.required)
        findings.add(file, line, `fieldPermissions cannot name ${full}: it is required, so every user with object access sees it`);
      else if (!field.permissionable) findings.add(file, line, `fieldPermissions cannot name ${full}: the platform manages access to it`);
      else if (editable && field.calculated)
        findings.add(file, line, `fieldPermissions: ${full} is calculated (formula or auto-number) and cannot be editable`);
      if (editable && childText(fp, 'readable') !== 'true') {
        findings.add(file, childNamed(fp, 'editable')!.line, `fieldPermissions on ${full}: editable needs readable as well`);
      }
    }

    const tabs = model.byType('CustomTab').map((t) => t.fullName);
    for (const ts of childrenNamed(root, 'tabSettings')) {
      const tab = childNamed(ts, 'tab');
      if (!tab || tab.text.startsWith('standard-')) continue;
      if (!tabs.some((t) => t.toLowerCase() === tab.text.toLowerCase())) {
        findings.add(file, tab.line, `tabSettings: no tab ${tab.text} in the project${didYouMean(tab.text, tabs)}`);
      }
    }
    const apps = model.byType('CustomApplication').map((a) => a.fullName);
    for (const av of childrenNamed(root, 'applicationVisibilities')) {
      const app = childNamed(av, 'application');
      if (!app || app.text.startsWith('standard__')) continue;
      if (!apps.some((a) => a.toLowerCase() === app.text.toLowerCase())) {
        findings.add(file, app.line, `applicationVisibilities: no app ${app.text} in the project${didYouMean(app.text, apps)}`);
      }
    }
    for (const ca of childrenNamed(root, 'customMetadataTypeAccesses')) {
      const n = childNamed(ca, 'name');
      if (!n) continue;
      const obj = model.object(n.text);
      if (!obj || !obj.customMetadata)
        findings.add(file, n.line, `customMetadataTypeAccesses: no custom metadata type ${n.text} in the project`);
    }
    for (const ca of childrenNamed(root, 'classAccesses')) {
      const n = childNamed(ca, 'apexClass');
      if (n && !model.has('ApexClass', n.text)) findings.add(file, n.line, `classAccesses: no Apex class ${n.text} in the project`);
    }
  }
}

/**
 * Every custom field that can carry field-level security is readable in at least one permission
 * set: a field nobody can read is invisible to every user of the package.
 */
export function checkPermissionCoverage(ctx: CheckContext): void {
  const { model, findings } = ctx;
  const readable = new Set<string>();
  const sets: string[] = [];
  for (const ps of model.byType('PermissionSet')) {
    const root = ps.xml ? model.doc(ps.xml) : undefined;
    if (!root) continue;
    sets.push(ps.fullName);
    for (const fp of childrenNamed(root, 'fieldPermissions')) {
      if (childText(fp, 'readable') === 'true') readable.add(childText(fp, 'field').toLowerCase());
    }
  }
  for (const c of model.byType('CustomField')) {
    const [objectName, fieldName] = splitOnce(c.fullName);
    const field = model.field(objectName, fieldName);
    if (!field || !field.custom || !field.permissionable || !c.xml) continue;
    if (readable.has(c.fullName.toLowerCase())) continue;
    const root = model.doc(c.xml);
    findings.add(
      c.xml,
      root?.line ?? 1,
      sets.length === 0
        ? `${c.fullName} is not readable in any permission set (the project has none)`
        : `${c.fullName} is not readable in any permission set (${sets.join(', ')})`
    );
  }
}
