import * as fs from 'node:fs';
import * as path from 'node:path';
import { asArray, readXml, rootOf, text, type XmlNode } from '../metadata/xml';
import { PACKAGE_DIR } from '../project';

/** The package's Lightning web components folder (no namespace folder: modules are `c/<name>`). */
export const LWC_DIR = path.join(PACKAGE_DIR, 'main', 'default', 'lwc');
export const FLEXIPAGE_DIR = path.join(PACKAGE_DIR, 'main', 'default', 'flexipages');

/** A design attribute of a component (`<property>` in its .js-meta.xml). */
export interface ComponentProperty {
  name: string;
  type: string;
  default?: string;
}

/** One bundle of force-app/main/default/lwc, as the preview build and pages see it. */
export interface LwcBundle {
  /** Folder name, e.g. `leadQualityFeedback`. */
  name: string;
  /** Module specifier, e.g. `c/leadQualityFeedback`. */
  specifier: string;
  /** Custom element tag, e.g. `c-lead-quality-feedback`. */
  tag: string;
  /** Absolute path of the bundle's JavaScript entry. */
  entry: string;
  /** Lightning page targets it is exposed to (lightning__RecordPage, lightning__AppPage, ...). */
  targets: string[];
  /** Objects a record-page target is restricted to (empty = any). */
  objects: string[];
  properties: ComponentProperty[];
}

/** `leadQualityFeedback` → `c-lead-quality-feedback` (LWC's tag naming). */
export function tagOf(name: string, namespace = 'c'): string {
  return `${namespace}-${name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
}

/** Every bundle in the LWC folder that has its `<name>.js`, sorted by name. */
export function readBundles(dir = LWC_DIR): LwcBundle[] {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isDirectory() && fs.existsSync(path.join(dir, d.name, `${d.name}.js`)))
    .map((d) => d.name)
    .sort()
    .map((name) => readBundle(dir, name));
}

function readBundle(dir: string, name: string): LwcBundle {
  const meta = path.join(dir, name, `${name}.js-meta.xml`);
  const bundle: LwcBundle = {
    name,
    specifier: `c/${name}`,
    tag: tagOf(name),
    entry: path.join(dir, name, `${name}.js`),
    targets: [],
    objects: [],
    properties: []
  };
  if (!fs.existsSync(meta)) return bundle;
  const { node } = rootOf(readXml(meta));
  if (text(node.isExposed) !== 'true') return bundle;
  bundle.targets = asArray((node.targets as XmlNode | undefined)?.target).map((t) => text(t) ?? '');
  for (const config of asArray<XmlNode>((node.targetConfigs as XmlNode | undefined)?.targetConfig)) {
    for (const p of asArray<XmlNode>(config.property)) {
      const name = String(p['@_name'] ?? '');
      if (name && !bundle.properties.some((q) => q.name === name)) {
        bundle.properties.push({ name, type: String(p['@_type'] ?? 'String'), default: p['@_default'] as string | undefined });
      }
    }
    for (const o of asArray((config.objects as XmlNode | undefined)?.object)) {
      const object = text(o);
      if (object && !bundle.objects.includes(object)) bundle.objects.push(object);
    }
  }
  return bundle;
}

/** A design attribute value from a flexipage (always a string in XML) as the component's typed property. */
export function propertyValue(prop: ComponentProperty | undefined, value: string): string | number | boolean {
  switch (prop?.type) {
    case 'Boolean':
      return value === 'true';
    case 'Integer':
      return Number(value);
    default:
      return value;
  }
}
