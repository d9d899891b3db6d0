import * as fs from 'node:fs';
import * as path from 'node:path';
import type * as TS from 'typescript';
import { didYouMean } from '../model';
import type { CheckContext } from '../types';

/** Wire adapter config keys whose strings name fields (`Object.Field`, `-Object.Field` in sortBy). */
const FIELD_KEYS = new Set(['fields', 'optionalFields', 'sortBy']);

/**
 * What a Lightning web component imports must exist, or the platform refuses to save the bundle:
 * `@salesforce/schema/Object[.Field or .Relationship__r.Field]` names a real object and field,
 * `c/name` another bundle of the project, and labels, Apex classes, message channels and static
 * resources components of the project. Field names written as strings in wire adapter configs
 * (`fields`, `optionalFields`, `sortBy`) resolve, and `relatedListId` names a child relationship.
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
      // field names written as strings in wire adapter configs: { fields: ['Object.Field'], relatedListId: 'Children__r' }
      const visit = (node: TS.Node) => {
        if (ts.isPropertyAssignment(node) && (ts.isIdentifier(node.name) || ts.isStringLiteral(node.name))) {
          const key = node.name.text;
          const strings = ts.isArrayLiteralExpression(node.initializer)
            ? node.initializer.elements.filter(ts.isStringLiteral)
            : ts.isStringLiteral(node.initializer)
              ? [node.initializer]
              : [];
          for (const str of strings) {
            const line = sf.getLineAndCharacterOfPosition(str.getStart(sf)).line + 1;
            const cause = FIELD_KEYS.has(key)
              ? fieldStringProblem(str.text, key)
              : key === 'relatedListId'
                ? relatedListProblem(str.text)
                : undefined;
            if (cause) findings.add(file, line, `${key} '${str.text}': ${cause}`);
          }
        }
        ts.forEachChild(node, visit);
      };
      visit(sf);
    }
  }

  function fieldStringProblem(value: string, key: string): string | undefined {
    const m = /^(\w+)\.([\w.]+)$/.exec(key === 'sortBy' ? value.replace(/^-/, '') : value);
    if (!m) return undefined;
    const r = model.resolveField(m[1], m[2]);
    return typeof r === 'string' ? r : undefined;
  }

  function relatedListProblem(name: string): string | undefined {
    const all = [...model.objects.values()].flatMap((o) => [...o.childRelationships.values()].map((r) => r.name));
    return all.some((r) => r.toLowerCase() === name.toLowerCase())
      ? undefined
      : `no object has a child relationship ${name}${didYouMean(name, all)}`;
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
