import type { XmlElement } from '../../metadata/xml';
import { childNamed, childrenNamed } from '../../metadata/xml';
import type { CheckContext } from '../types';
import { splitOnce } from './fields';

/**
 * Page layouts name fields of their object (`Object-Layout Name`), and related lists name a
 * lookup that points at it (`Child__c.Lookup__c`) with columns that exist on the child.
 */
export function checkLayouts(ctx: CheckContext): void {
  const { model, findings } = ctx;
  for (const c of model.byType('Layout')) {
    const root = c.xml ? model.doc(c.xml) : undefined;
    if (!root || !c.xml) continue;
    const file = c.xml;
    const [objectName] = splitOnce(c.fullName, '-');
    const obj = model.object(objectName);
    if (!obj) {
      findings.add(file, root.line, `layout ${c.fullName} is for ${model.unknownObject(objectName)}`);
      continue;
    }
    const fieldRefs: XmlElement[] = [];
    const walk = (el: XmlElement) => {
      for (const ch of el.children) {
        if (ch.name === 'field' && (el.name === 'layoutItems' || el.name === 'summaryLayoutItems')) fieldRefs.push(ch);
        else if (ch.name === 'fields' && el.name === 'miniLayout') fieldRefs.push(ch);
        else if (el.name !== 'relatedLists') walk(ch);
      }
    };
    walk(root);
    for (const ref of fieldRefs) {
      if (!obj.fields.has(ref.text.toLowerCase())) findings.add(file, ref.line, `layout field: ${model.unknownField(obj, ref.text)}`);
    }
    for (const rl of childrenNamed(root, 'relatedLists')) {
      const name = childNamed(rl, 'relatedList');
      if (!name) continue;
      const m = /^(\w+__c)\.(\w+__c)$/.exec(name.text);
      let childObject: string | undefined;
      if (m) {
        const child = model.object(m[1]);
        const lookup = child?.fields.get(m[2].toLowerCase());
        if (!child) findings.add(file, name.line, `related list ${name.text}: ${model.unknownObject(m[1])}`);
        else if (!lookup) findings.add(file, name.line, `related list ${name.text}: ${model.unknownField(child, m[2])}`);
        else if (!lookup.referenceTo.some((t) => t.toLowerCase() === obj.name.toLowerCase())) {
          findings.add(file, name.line, `related list ${name.text}: ${m[2]} does not refer to ${obj.name}`);
        } else childObject = child.name;
      } else if (/__r$/.test(name.text)) {
        const rel = obj.childRelationships.get(name.text.toLowerCase());
        if (!rel) findings.add(file, name.line, `related list: ${obj.name} has no child relationship ${name.text}`);
        else childObject = rel.object;
      }
      if (!childObject) continue;
      const child = model.object(childObject)!;
      for (const col of childrenNamed(rl, 'fields')) {
        if (!/__c$/i.test(col.text)) continue; // NAME, CREATEDBY_USER...: standard column tokens
        const r = model.resolveField(child.name, col.text.replace(new RegExp(`^${child.name}\\.`, 'i'), ''));
        if (typeof r === 'string') findings.add(file, col.line, `related list ${name.text} column: ${r}`);
      }
    }
  }
}
