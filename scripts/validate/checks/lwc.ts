import * as fs from 'node:fs';
import * as path from 'node:path';
import type * as TS from 'typescript';
import { didYouMean } from '../model';
import type { CheckContext } from '../types';

/**
 * What a Lightning web component imports must exist, or the platform refuses to save the bundle:
 * `@salesforce/schema/Object[.Field or .Relationship__r.Field]` names a real object and field,
 * `c/name` another bundle of the project, and labels, Apex classes, message channels and static
 * resources components of the project.
 */
export function checkLwc(ctx: CheckContext): void {
  const { model, findings } = ctx;
  const bundles = model.byType('LightningComponentBundle');
  if (bundles.length === 0) return;
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const ts = require('typescript') as typeof TS;
  const bundleNames = bundles.map((b) => b.fullName);
  const has = (type: string, name: string) => model.has(type, name);
  for (const b of bundles) {
    if (!b.content) continue;
    for (const file of jsFiles(b.content)) {
      const source = fs.readFileSync(file, 'utf8');
      const sf = ts.createSourceFile(file, source, ts.ScriptTarget.Latest, true, ts.ScriptKind.JS);
      for (const stmt of sf.statements) {
        const spec =
          (ts.isImportDeclaration(stmt) || ts.isExportDeclaration(stmt)) && stmt.moduleSpecifier && ts.isStringLiteral(stmt.moduleSpecifier)
            ? stmt.moduleSpecifier
            : undefined;
        if (!spec) continue;
        const line = sf.getLineAndCharacterOfPosition(spec.getStart(sf)).line + 1;
        const cause = importProblem(spec.text);
        if (cause) findings.add(file, line, `import '${spec.text}': ${cause}`);
      }
    }
  }

  function importProblem(mod: string): string | undefined {
    let m: RegExpExecArray | null;
    if ((m = /^@salesforce\/schema\/([^.]+)(?:\.(.+))?$/.exec(mod))) {
      const [, objectName, fieldPath] = m;
      if (!model.object(objectName)) return model.unknownObject(objectName);
      if (!fieldPath) return undefined;
      const r = model.resolveField(objectName, fieldPath);
      return typeof r === 'string' ? r : undefined;
    }
    if ((m = /^c\/([^/]+)$/.exec(mod))) {
      return bundleNames.includes(m[1]) ? undefined : `no component ${m[1]} in the project${didYouMean(m[1], bundleNames)}`;
    }
    if ((m = /^@salesforce\/label\/c\.(.+)$/.exec(mod))) {
      return has('CustomLabel', m[1]) ? undefined : `no custom label ${m[1]} in the project`;
    }
    if ((m = /^@salesforce\/apex\/([^.]+)\./.exec(mod))) {
      return has('ApexClass', m[1]) ? undefined : `no Apex class ${m[1]} in the project`;
    }
    if ((m = /^@salesforce\/messageChannel\/(.+)$/.exec(mod))) {
      return has('LightningMessageChannel', m[1].replace(/__c$/, '')) || has('LightningMessageChannel', m[1])
        ? undefined
        : `no message channel ${m[1]} in the project`;
    }
    if ((m = /^@salesforce\/resourceUrl\/(.+)$/.exec(mod))) {
      return has('StaticResource', m[1]) ? undefined : `no static resource ${m[1]} in the project`;
    }
    return undefined;
  }
}

/** The bundle's JavaScript, without its jest tests and mocks. */
function jsFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      if (e.name === '__tests__' || e.name === '__mocks__') continue;
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith('.js')) out.push(p);
    }
  };
  if (fs.existsSync(dir)) walk(dir);
  return out.sort();
}
