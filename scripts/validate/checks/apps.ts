import { childNamed, childrenNamed, childText, type XmlElement } from '../../metadata/xml';
import { didYouMean } from '../model';
import type { CheckContext } from '../types';

/**
 * Custom tabs show something that exists (an object of the project, an exposed component with the
 * lightning__Tab target, a Lightning page), and apps list tabs, pages and overrides that exist.
 */
export function checkApps(ctx: CheckContext): void {
  const { model, findings } = ctx;
  const tabs = model.byType('CustomTab').map((t) => t.fullName);
  const pages = model.byType('FlexiPage').map((p) => p.fullName);
  const hasTab = (name: string) => name.startsWith('standard-') || tabs.some((t) => t.toLowerCase() === name.toLowerCase());
  const pageProblem = (name: string) =>
    pages.includes(name) ? undefined : `no Lightning page ${name} in the project${didYouMean(name, pages)}`;

  for (const tab of model.byType('CustomTab')) {
    const root = tab.xml ? model.doc(tab.xml) : undefined;
    if (!root || !tab.xml) continue;
    const file = tab.xml;
    if (childText(root, 'customObject') === 'true' && !model.object(tab.fullName)) {
      findings.add(file, childNamed(root, 'customObject')!.line, `object tab ${tab.fullName}: ${model.unknownObject(tab.fullName)}`);
    }
    const lwc = childNamed(root, 'lwcComponent');
    if (lwc) {
      const bundle = model.byType('LightningComponentBundle').find((b) => b.fullName === lwc.text);
      const meta = bundle?.xml ? model.doc(bundle.xml) : undefined;
      if (!bundle) findings.add(file, lwc.line, `lwcComponent: no component ${lwc.text} in the project`);
      else if (meta && !childrenNamed(childNamed(meta, 'targets'), 'target').some((t) => t.text === 'lightning__Tab')) {
        findings.add(file, lwc.line, `lwcComponent ${lwc.text} does not declare the lightning__Tab target`);
      }
    }
    const page = childNamed(root, 'flexiPage');
    if (page) {
      const p = pageProblem(page.text);
      if (p) findings.add(file, page.line, `flexiPage: ${p}`);
    }
  }

  for (const app of model.byType('CustomApplication')) {
    const root = app.xml ? model.doc(app.xml) : undefined;
    if (!root || !app.xml) continue;
    const file = app.xml;
    for (const t of childrenNamed(root, 'tabs')) {
      if (!hasTab(t.text)) findings.add(file, t.line, `tabs: no tab ${t.text} in the project${didYouMean(t.text, tabs)}`);
    }
    const landing = childNamed(root, 'defaultLandingTab');
    if (landing && !hasTab(landing.text)) findings.add(file, landing.line, `defaultLandingTab: no tab ${landing.text} in the project`);
    const utility = childNamed(root, 'utilityBar');
    if (utility) {
      const p = pageProblem(utility.text);
      if (p) findings.add(file, utility.line, `utilityBar: ${p}`);
    }
    const overrides: XmlElement[] = [...childrenNamed(root, 'actionOverrides'), ...childrenNamed(root, 'profileActionOverrides')];
    for (const o of overrides) {
      const content = childNamed(o, 'content');
      if (content && childText(o, 'type') === 'Flexipage') {
        const p = pageProblem(content.text);
        if (p) findings.add(file, content.line, `${o.name}: ${p}`);
      }
      const pageOrSobjectType = childNamed(o, 'pageOrSobjectType');
      if (pageOrSobjectType && /__c$/.test(pageOrSobjectType.text) && !model.object(pageOrSobjectType.text)) {
        findings.add(file, pageOrSobjectType.line, `${o.name}: ${model.unknownObject(pageOrSobjectType.text)}`);
      }
    }
  }
}
