import * as fs from 'node:fs';
import * as path from 'node:path';
import { asArray, readXml, rootOf, text, type XmlNode } from '../metadata/xml';
import { FLEXIPAGE_DIR, propertyValue, readBundles, type LwcBundle } from './components';

/**
 * The preview's Lightning pages, read from the package's flexipages so the preview lays components out
 * where Lightning Experience would: record pages per object (header highlights, main tabs, sidebar) and
 * app/home pages. A component the package exposes but no flexipage places still gets a page (sidebar of
 * its object's record page, or the app home), so a new component shows up without preview changes.
 */

/** The form factors a Lightning page renders on: phone, tablet, desktop. */
export type FormFactor = 'Small' | 'Medium' | 'Large';
const FORM_FACTORS: readonly FormFactor[] = ['Small', 'Medium', 'Large'];

/** A custom component placed on a page, with its App Builder property values. */
export interface PageComponent {
  tag: string;
  specifier: string;
  properties: Record<string, string | number | boolean>;
  /**
   * The form factors its visibility rule shows it on (`{!$Client.FormFactor}` criteria), when it has one the
   * preview can evaluate; absent = every form factor.
   */
  formFactors?: FormFactor[];
}

/** A page region: our components plus the standard ones the preview draws stand-ins for. */
export interface PageRegion {
  name: string;
  components: PageComponent[];
  /** Standard components in the region (force:highlightsPanel, force:detailPanel, force:relatedListContainer, ...). */
  standard: string[];
  /** Property values of the standard components, by component name (the first instance's). */
  standardProperties?: Record<string, Record<string, string | string[]>>;
  /**
   * The region's items in page order: `c<i>` for components[i], `s<name>` for a standard component (a tabset
   * stands for the tabs and the facets they hold). Absent: standard components first, then the components.
   */
  order?: string[];
}

export interface PreviewPage {
  /** Flexipage developer name, or a synthesized name. */
  name: string;
  label: string;
  type: 'RecordPage' | 'AppPage' | 'HomePage';
  /** The record page's object. */
  sobjectType?: string;
  regions: PageRegion[];
}

const RECORD_TARGET = 'lightning__RecordPage';
const APP_TARGETS = ['lightning__AppPage', 'lightning__HomePage'];

export function readPages(flexipageDir = FLEXIPAGE_DIR, bundles: LwcBundle[] = readBundles()): PreviewPage[] {
  const byName = new Map(bundles.map((b) => [b.name, b]));
  const pages: PreviewPage[] = [];
  if (fs.existsSync(flexipageDir)) {
    for (const file of fs
      .readdirSync(flexipageDir)
      .filter((f) => f.endsWith('.flexipage-meta.xml'))
      .sort()) {
      const page = readFlexipage(path.join(flexipageDir, file), byName);
      if (page) pages.push(page);
    }
  }
  // Exposed components that no page places: add them where an admin would most likely drop them.
  const placed = new Set(pages.flatMap((p) => p.regions.flatMap((r) => r.components.map((c) => c.specifier))));
  for (const b of bundles.filter((x) => !placed.has(x.specifier))) {
    if (b.targets.includes(RECORD_TARGET)) {
      for (const object of b.objects) {
        let page = pages.find((p) => p.type === 'RecordPage' && p.sobjectType === object);
        if (!page) {
          page = { name: `${object}_Record_Page`, label: `${object} Record Page`, type: 'RecordPage', sobjectType: object, regions: [] };
          page.regions.push({ name: 'header', components: [], standard: ['force:highlightsPanel'] });
          page.regions.push({ name: 'main', components: [], standard: ['force:detailPanel'] });
          pages.push(page);
        }
        regionOf(page, 'sidebar').components.push(placement(b, {}));
      }
    } else if (b.targets.some((t) => APP_TARGETS.includes(t))) {
      let home = pages.find((p) => p.type !== 'RecordPage');
      if (!home) {
        home = { name: 'Closed_Loop_Home', label: 'Home', type: 'AppPage', regions: [] };
        pages.push(home);
      }
      regionOf(home, 'main').components.push(placement(b, {}));
    }
  }
  return pages;
}

function regionOf(page: PreviewPage, name: string): PageRegion {
  let region = page.regions.find((r) => r.name === name);
  if (!region) {
    region = { name, components: [], standard: [] };
    page.regions.push(region);
  }
  return region;
}

function placement(bundle: LwcBundle, values: Record<string, string>): PageComponent {
  const properties: PageComponent['properties'] = {};
  for (const p of bundle.properties) {
    if (p.default !== undefined) properties[p.name] = propertyValue(p, p.default);
  }
  for (const [name, value] of Object.entries(values)) {
    properties[name] = propertyValue(
      bundle.properties.find((p) => p.name === name),
      value
    );
  }
  return { tag: bundle.tag, specifier: bundle.specifier, properties };
}

function readFlexipage(file: string, bundles: Map<string, LwcBundle>): PreviewPage | undefined {
  const { node } = rootOf(readXml(file));
  const type = text(node.type);
  if (type !== 'RecordPage' && type !== 'AppPage' && type !== 'HomePage') return undefined;
  const name = path.basename(file, '.flexipage-meta.xml');
  const page: PreviewPage = { name, label: text(node.masterLabel) ?? name, type, sobjectType: text(node.sobjectType), regions: [] };
  const facets: PageRegion[] = [];
  for (const r of asArray<XmlNode>(node.flexiPageRegions)) {
    const region: PageRegion = { name: text(r.name) ?? '', components: [], standard: [] };
    for (const item of asArray<XmlNode>(r.itemInstances)) {
      const instance = item.componentInstance as XmlNode | undefined;
      const componentName = text(instance?.componentName);
      if (!instance || !componentName) continue;
      const bundle = bundles.get(componentName.replace(/^c:/, ''));
      if (bundle) {
        const values: Record<string, string> = {};
        for (const p of asArray<XmlNode>(instance.componentInstanceProperties)) {
          const key = text(p.name);
          if (key) values[key] = text(p.value) ?? '';
        }
        const component = placement(bundle, values);
        const formFactors = formFactorsOf(instance.visibilityRule as XmlNode | undefined);
        if (formFactors) component.formFactors = formFactors;
        (region.order ??= []).push(`c${region.components.length}`);
        region.components.push(component);
      } else {
        (region.order ??= []).push(`s${componentName}`);
        region.standard.push(componentName);
        region.standardProperties ??= {};
        region.standardProperties[componentName] ??= standardProperties(instance);
      }
    }
    (text(r.type) === 'Facet' ? facets : page.regions).push(region);
  }
  // Facets are the contents of tabs and other containers; for the preview their components belong to `main`.
  for (const facet of facets) {
    const main = regionOf(page, 'main');
    main.order?.push(...facet.components.map((_c, i) => `c${main.components.length + i}`));
    main.components.push(...facet.components);
    main.standard.push(...facet.standard);
    if (facet.standardProperties) main.standardProperties = { ...facet.standardProperties, ...main.standardProperties };
  }
  return page;
}

function standardProperties(instance: XmlNode): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const p of asArray<XmlNode>(instance.componentInstanceProperties)) {
    const key = text(p.name);
    if (!key) continue;
    const list = p.valueList as XmlNode | undefined;
    out[key] = list ? asArray<XmlNode>(list.valueListItems).map((i) => text(i.value) ?? '') : (text(p.value) ?? '');
  }
  return out;
}

/**
 * The form factors a component's visibility rule (UiFormulaRule) shows it on, when every criterion is about
 * `{!$Client.FormFactor}` (EQUAL or NE; Small = phone, Medium = tablet, Large = desktop) and they are ANDed (no
 * booleanFilter, or one of ANDs only). Any other rule (a record field, a permission) is not evaluated: the
 * component is shown on every form factor, and the preview says so in docs/browser-preview.md.
 */
export function formFactorsOf(rule: XmlNode | undefined): FormFactor[] | undefined {
  if (!rule) return undefined;
  const criteria = asArray<XmlNode>(rule.criteria);
  const filter = text(rule.booleanFilter);
  if (!criteria.length || (filter && !/^[\d\s()]+(?:AND[\d\s()]+)*$/i.test(filter))) return undefined;
  let shown = [...FORM_FACTORS];
  for (const c of criteria) {
    if ((text(c.leftValue) ?? '').replace(/\s/g, '') !== '{!$Client.FormFactor}') return undefined;
    const value = FORM_FACTORS.find((f) => f.toLowerCase() === (text(c.rightValue) ?? '').replace(/"/g, '').trim().toLowerCase());
    const op = text(c.operator);
    if (!value || (op !== 'EQUAL' && op !== 'NE')) return undefined;
    shown = shown.filter((f) => (op === 'EQUAL' ? f === value : f !== value));
  }
  return shown;
}
