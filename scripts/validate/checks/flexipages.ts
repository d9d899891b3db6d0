import { childNamed, childrenNamed, childText, type XmlElement } from '../../metadata/xml';
import { didYouMean, type ProjectModel } from '../model';
import type { CheckContext } from '../types';

/** The LWC target a Lightning page type needs its components to declare. */
const PAGE_TARGETS: Record<string, string> = {
  RecordPage: 'lightning__RecordPage',
  AppPage: 'lightning__AppPage',
  HomePage: 'lightning__HomePage',
  UtilityBar: 'lightning__UtilityBar'
};

/** What a bundle's .js-meta.xml exposes. */
interface Exposure {
  exposed: boolean;
  targets: string[];
  /** Properties per target (`*` when a targetConfig names none). */
  properties: Map<string, Set<string>>;
  /** Objects per target when a targetConfig restricts them. */
  objects: Map<string, Set<string>>;
}

/**
 * Lightning pages place components that exist and are exposed for the page type (and object),
 * set only properties those components declare, and name fields of their object
 * (`Record.Field` in field instances and `{!Record.Field}` in visibility rules) and child
 * relationships it has (related list components).
 */
export function checkFlexiPages(ctx: CheckContext): void {
  const { model, findings } = ctx;
  const lwc = exposures(model);
  const aura = new Set(model.byType('AuraDefinitionBundle').map((a) => a.fullName));
  for (const page of model.byType('FlexiPage')) {
    const root = page.xml ? model.doc(page.xml) : undefined;
    if (!root || !page.xml) continue;
    const file = page.xml;
    const pageType = childText(root, 'type');
    const target = PAGE_TARGETS[pageType];
    const sobjectEl = childNamed(root, 'sobjectType');
    const obj = sobjectEl ? model.object(sobjectEl.text) : undefined;
    if (sobjectEl && !obj) findings.add(file, sobjectEl.line, `sobjectType: ${model.unknownObject(sobjectEl.text)}`);

    const visit = (el: XmlElement) => {
      if (el.name === 'componentInstance') checkComponent(el);
      if (el.name === 'fieldItem' && obj) {
        const m = /^Record\.(.+)$/.exec(el.text);
        if (m) {
          const r = model.resolveField(obj.name, m[1]);
          if (typeof r === 'string') findings.add(file, el.line, `fieldItem ${el.text}: ${r}`);
        }
      }
      if (el.children.length === 0 && obj) {
        for (const m of el.text.matchAll(/\{!Record\.([\w.]+)\}/g)) {
          const r = model.resolveField(obj.name, m[1]);
          if (typeof r === 'string') findings.add(file, el.line, `${m[0]}: ${r}`);
        }
      }
      for (const ch of el.children) visit(ch);
    };

    const checkComponent = (ci: XmlElement) => {
      const nameEl = childNamed(ci, 'componentName');
      if (!nameEl) return;
      const props = childrenNamed(ci, 'componentInstanceProperties');
      for (const p of props) {
        if (childText(p, 'name') !== 'relatedListApiName' || !obj) continue;
        const value = childNamed(p, 'value');
        if (value && /__r$/.test(value.text) && !obj.childRelationships.has(value.text.toLowerCase())) {
          findings.add(file, value.line, `relatedListApiName: ${obj.name} has no child relationship ${value.text}`);
        }
      }
      // The project's own components are written bare, as a retrieve writes them on every page type
      // (trailheadapps/lwc-recipes force-app/main/default/flexipages/Contact_Record_Page.flexipage-meta.xml
      // `wireGetRecordStaticContact`, trailheadapps/ebikes-lwc Product_Record_Page `similarProducts`,
      // SalesforceLabs/AnimalShelterStarter Animal_Record_Page `animalBadge`); a namespace prefix
      // (`cooper:companyInsightTeaserCard` in ebikes-lwc Account_Record_Page) names another package's.
      const m = /^(c:)?(\w+)$/.exec(nameEl.text);
      if (!m) return;
      const name = m[2];
      if (m[1] && (lwc.has(name) || aura.has(name))) {
        findings.add(
          file,
          nameEl.line,
          `component ${nameEl.text}: write the project's own component bare, as ${name} (as retrieved pages do)`
        );
      }
      const exp = lwc.get(name);
      if (!exp) {
        if (!aura.has(name)) {
          findings.add(file, nameEl.line, `component ${nameEl.text} is not in the project${didYouMean(name, lwc.keys())}`);
        }
        return;
      }
      if (!exp.exposed)
        findings.add(file, nameEl.line, `component ${nameEl.text} is not exposed (isExposed is not true in its .js-meta.xml)`);
      if (target && !exp.targets.includes(target)) {
        findings.add(file, nameEl.line, `component ${nameEl.text} does not declare the target ${target} this ${pageType} needs`);
      }
      const allowedObjects = target ? exp.objects.get(target) : undefined;
      if (allowedObjects && obj && !allowedObjects.has(obj.name.toLowerCase())) {
        findings.add(file, nameEl.line, `component ${nameEl.text} is not available for ${obj.name} (its targetConfig lists other objects)`);
      }
      const declared = new Set([...(exp.properties.get(target ?? '') ?? []), ...(exp.properties.get('*') ?? [])]);
      for (const p of props) {
        const pn = childNamed(p, 'name');
        if (pn && !declared.has(pn.text)) {
          findings.add(
            file,
            pn.line,
            `component ${nameEl.text} has no property ${pn.text}${target ? ` for ${target}` : ''}${didYouMean(pn.text, declared)}`
          );
        }
      }
    };
    visit(root);
  }
}

function exposures(model: ProjectModel): Map<string, Exposure> {
  const out = new Map<string, Exposure>();
  for (const b of model.byType('LightningComponentBundle')) {
    const root = b.xml ? model.doc(b.xml) : undefined;
    if (!root) continue;
    const exp: Exposure = {
      exposed: childText(root, 'isExposed') === 'true',
      targets: childrenNamed(childNamed(root, 'targets'), 'target').map((t) => t.text),
      properties: new Map(),
      objects: new Map()
    };
    for (const tc of childrenNamed(childNamed(root, 'targetConfigs'), 'targetConfig')) {
      const targets = (tc.attributes.targets ?? '*').split(',').map((t) => t.trim());
      const props = childrenNamed(tc, 'property')
        .map((p) => p.attributes.name)
        .filter((n): n is string => !!n);
      const objects = childrenNamed(childNamed(tc, 'objects'), 'object').map((o) => o.text.toLowerCase());
      for (const t of targets) {
        const set = exp.properties.get(t) ?? new Set<string>();
        for (const p of props) set.add(p);
        exp.properties.set(t, set);
        if (objects.length > 0) exp.objects.set(t, new Set([...(exp.objects.get(t) ?? []), ...objects]));
      }
    }
    out.set(b.fullName, exp);
  }
  return out;
}
