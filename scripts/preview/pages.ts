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

/** A custom component placed on a page, with its App Builder property values. */
export interface PageComponent {
  tag: string;
  specifier: string;
  properties: Record<string, string | number | boolean>;
}

/** A page region: our components plus the standard ones the preview draws stand-ins for. */
export interface PageRegion {
  name: string;
  components: PageComponent[];
  /** Standard components in the region (force:highlightsPanel, force:detailPanel, force:relatedListContainer, ...). */
  standard: string[];
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
        region.components.push(placement(bundle, values));
      } else {
        region.standard.push(componentName);
      }
    }
    (text(r.type) === 'Facet' ? facets : page.regions).push(region);
  }
  // Facets are the contents of tabs and other containers; for the preview their components belong to `main`.
  for (const facet of facets) {
    const main = regionOf(page, 'main');
    main.components.push(...facet.components);
    main.standard.push(...facet.standard);
  }
  return page;
}
