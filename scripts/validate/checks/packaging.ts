import * as fs from 'node:fs';
import * as path from 'node:path';
import { childNamed } from '../../metadata/xml';
import type { CheckContext } from '../types';

/**
 * Settings of standard objects stay out of a directory that becomes a package version: object
 * history (`enableHistory` on Lead, Opportunity...) and the history tracking of standard fields
 * (Lead.Status), or of custom fields on standard objects. Salesforce support, answering
 * forcedotcom/cli#1804: "We cannot package the standard object settings ... if in package A you
 * enable history tracking on Contact -> Account Name, and in package B Contact -> Account Name has
 * history tracking disabled, it creates a conflict, so we don't allow those properties to be
 * packaged", and a custom field's history on a standard object is not packaged either. They belong
 * in a non-packaged directory (config/demo here), and `closed-loop org setup` switches them on.
 */
export function checkPackaging(ctx: CheckContext): void {
  const { model, findings } = ctx;
  const packaged = packagedDirectories(model.root);
  const custom = (name: string) => /__(c|mdt|e|b|x)$/i.test(name);
  const where = (dir: string) => path.relative(model.root, dir).split(path.sep).join('/');
  for (const c of model.components) {
    if (!packaged.has(c.packageDir) || !c.xml) continue;
    const root = model.doc(c.xml);
    if (!root) continue;
    if (c.type === 'CustomObject' && !custom(c.fullName)) {
      const el = childNamed(root, 'enableHistory');
      if (el) {
        findings.add(
          c.xml,
          el.line,
          `enableHistory on the standard object ${c.fullName} cannot be packaged (${where(c.packageDir)} is a package directory): keep it in a non-packaged directory such as config/demo`
        );
      }
    }
    if (c.type === 'CustomField') {
      const [object, field] = [c.fullName.slice(0, c.fullName.indexOf('.')), c.fullName.slice(c.fullName.indexOf('.') + 1)];
      const el = childNamed(root, 'trackHistory');
      if (custom(object) || !el || el.text !== 'true') continue;
      const what = custom(field) ? `the custom field ${c.fullName} on a standard object` : `the standard field ${c.fullName}`;
      findings.add(
        c.xml,
        el.line,
        `history tracking of ${what} cannot be packaged (${where(c.packageDir)} is a package directory): keep the setting in a non-packaged directory such as config/demo`
      );
    }
  }
}

/** The package directories of sfdx-project.json that are packaged (they name a `package`), as absolute paths. */
export function packagedDirectories(root: string): Set<string> {
  const project = JSON.parse(fs.readFileSync(path.join(root, 'sfdx-project.json'), 'utf8')) as {
    packageDirectories?: Array<{ path: string; package?: string }>;
  };
  return new Set((project.packageDirectories ?? []).filter((p) => p.package).map((p) => path.resolve(root, p.path)));
}
