import * as path from 'node:path';
import type { XmlElement } from '../../metadata/xml';
import { didYouMean } from '../model';
import type { ComplexTypeSpec } from '../schema';
import type { CheckContext } from '../types';

export const METADATA_NAMESPACE = 'http://soap.sforce.com/2006/04/metadata';

/**
 * Every XML file is well-formed; every metadata file has the root element of its type (as the sf
 * CLI's registry resolves it), the Metadata API namespace, and only the elements, multiplicities
 * and values (booleans, numbers, enumerations) its type allows, with the single elements it
 * requires, recursively.
 */
export function checkXml(ctx: CheckContext): void {
  const { model, findings, schema } = ctx;
  const claimed = new Map<string, string>();
  for (const c of model.components) if (c.xml) claimed.set(c.xml, c.type);

  for (const file of model.xmlFiles()) {
    const err = model.parseError(file);
    if (err) {
      findings.add(file, err.line, `not well-formed XML: ${err.message.replace(/^.*?:\d+: /, '')}`);
      continue;
    }
    const type = claimed.get(file);
    if (!type) {
      if (file.endsWith('-meta.xml')) {
        findings.add(file, 1, `the sf CLI does not recognise ${path.basename(file)} as metadata (unknown suffix or folder)`);
      }
      continue;
    }
    const root = model.doc(file)!;
    if (root.name !== type) {
      findings.add(file, root.line, `root element <${root.name}> should be <${type}> for this file`);
      continue;
    }
    if (root.attributes.xmlns !== METADATA_NAMESPACE) {
      findings.add(file, root.line, `<${type}> must declare xmlns="${METADATA_NAMESPACE}"`);
    }
    const spec = schema.type(type);
    if (spec) checkElement(ctx, file, root, spec, type);
  }
}

function checkElement(ctx: CheckContext, file: string, el: XmlElement, spec: ComplexTypeSpec, where: string): void {
  const { findings, schema } = ctx;
  // required (minOccurs 1) single elements; fullName comes from the file name in source format, and a
  // missing boolean reads as false on deploy, so only values and structures without a default count
  for (const prop of spec.props.values()) {
    if (prop.optional || prop.array || prop.kind === 'boolean' || prop.name === 'fullName') continue;
    if (!el.children.some((c) => c.name === prop.name))
      findings.add(file, el.line, `${where} needs <${prop.name}> (required by the Metadata API)`);
  }
  const seen = new Set<string>();
  for (const child of el.children) {
    const prop = spec.props.get(child.name);
    if (!prop) {
      findings.add(
        file,
        child.line,
        `unknown element <${child.name}> in ${where}${didYouMean(child.name, spec.props.keys(), (s) => `<${s}>`)}`
      );
      continue;
    }
    if (!prop.array && seen.has(child.name)) {
      findings.add(file, child.line, `<${child.name}> may appear only once in ${where}`);
    }
    seen.add(child.name);
    const at = `${where}.${child.name}`;
    if (prop.kind === 'any') continue;
    if (prop.kind === 'complex') {
      const sub = schema.type(prop.typeName);
      if (!sub) continue;
      if (child.children.length === 0 && child.text !== '') {
        findings.add(file, child.line, `<${child.name}> in ${where} must contain ${prop.typeName} elements, not text`);
        continue;
      }
      checkElement(ctx, file, child, sub, at);
      continue;
    }
    if (child.children.length > 0) {
      findings.add(
        file,
        child.line,
        `<${child.name}> in ${where} is a ${prop.kind === 'enum' ? prop.typeName : prop.kind} value, not elements`
      );
      continue;
    }
    const value = child.text;
    if (value === '' || child.attributes['xsi:nil'] === 'true') continue;
    if (prop.kind === 'boolean' && value !== 'true' && value !== 'false') {
      findings.add(file, child.line, `<${child.name}> in ${where} must be true or false, not "${value}"`);
    } else if (prop.kind === 'number' && !/^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/.test(value)) {
      findings.add(file, child.line, `<${child.name}> in ${where} must be a number, not "${value}"`);
    } else if (prop.kind === 'enum' && prop.values && !prop.values.includes(value)) {
      // a suggestion when one is close; otherwise the values themselves when they are few enough to read
      const hint = didYouMean(value, prop.values) || (prop.values.length <= 12 ? ` (one of: ${prop.values.join(', ')})` : '');
      findings.add(file, child.line, `"${value}" is not a valid ${prop.typeName} for <${child.name}> in ${where}${hint}`);
    }
  }
}
