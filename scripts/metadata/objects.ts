import * as fs from 'node:fs';
import * as path from 'node:path';
import { asArray, bool, num, parseXml, readXml, rootOf, text, XmlNode } from './xml';

/**
 * The object model read from source-format metadata (objects/<Object>/...): what the local org
 * builds its schema from, what `closed-loop validate` checks references against, and what the
 * report runner resolves columns with. One reader, used by all of them.
 */
export type FieldType =
  | 'AutoNumber'
  | 'Checkbox'
  | 'Currency'
  | 'Date'
  | 'DateTime'
  | 'Email'
  | 'Lookup'
  | 'MasterDetail'
  | 'LongTextArea'
  | 'MultiselectPicklist'
  | 'Number'
  | 'Percent'
  | 'Phone'
  | 'Picklist'
  | 'Text'
  | 'TextArea'
  | 'Url'
  | 'Html'
  | 'Time'
  | 'Formula';

export interface PicklistValueDef {
  fullName: string;
  label: string;
  default: boolean;
}

export interface FieldDef {
  /** API name, e.g. `Rating__c`. */
  fullName: string;
  label: string;
  type: FieldType;
  /** The `type` element as written (e.g. `Text`, `Lookup`); `Formula` fields keep their return type here. */
  rawType: string;
  length?: number;
  precision?: number;
  scale?: number;
  visibleLines?: number;
  required: boolean;
  unique: boolean;
  externalId: boolean;
  caseSensitive: boolean;
  defaultValue?: string;
  description?: string;
  inlineHelpText?: string;
  referenceTo?: string;
  relationshipName?: string;
  relationshipLabel?: string;
  deleteConstraint?: string;
  picklistValues?: PicklistValueDef[];
  restrictedPicklist: boolean;
  trackHistory: boolean;
  formula?: string;
  displayFormat?: string;
  /** Source file and the object folder it came from. */
  file: string;
}

export interface ObjectDef {
  /** API name, e.g. `Lead_Quality_Feedback__c` or `Lead`. */
  fullName: string;
  custom: boolean;
  customMetadata: boolean;
  label?: string;
  pluralLabel?: string;
  nameField?: { label: string; type: 'Text' | 'AutoNumber'; displayFormat?: string };
  sharingModel?: string;
  enableHistory: boolean;
  description?: string;
  fields: Map<string, FieldDef>;
  /** The `.object-meta.xml` file, when the folder has one. */
  file?: string;
  dir: string;
}

export function isCustomName(name: string): boolean {
  return /__(c|mdt)$/.test(name);
}

/** Reads every object folder under `<pkgDir>/main/default/objects` (or any `objects` folder given). */
export function readObjects(objectsDir: string): Map<string, ObjectDef> {
  const out = new Map<string, ObjectDef>();
  if (!fs.existsSync(objectsDir)) return out;
  for (const name of fs.readdirSync(objectsDir).sort()) {
    const dir = path.join(objectsDir, name);
    if (!fs.statSync(dir).isDirectory()) continue;
    out.set(name, readObject(dir));
  }
  return out;
}

export function readObject(dir: string): ObjectDef {
  const fullName = path.basename(dir);
  const objectFile = path.join(dir, `${fullName}.object-meta.xml`);
  const obj: ObjectDef = {
    fullName,
    custom: isCustomName(fullName),
    customMetadata: fullName.endsWith('__mdt'),
    enableHistory: false,
    fields: new Map(),
    dir
  };
  if (fs.existsSync(objectFile)) {
    applyObjectNode(obj, rootOf(readXml(objectFile)).node);
    obj.file = objectFile;
  }
  const fieldsDir = path.join(dir, 'fields');
  if (fs.existsSync(fieldsDir)) {
    for (const f of fs.readdirSync(fieldsDir).sort()) {
      if (!f.endsWith('.field-meta.xml')) continue;
      const field = readField(path.join(fieldsDir, f));
      obj.fields.set(field.fullName, field);
    }
  }
  return obj;
}

function applyObjectNode(obj: ObjectDef, node: XmlNode): void {
  obj.label = text(node.label);
  obj.pluralLabel = text(node.pluralLabel);
  obj.sharingModel = text(node.sharingModel);
  obj.enableHistory = bool(node.enableHistory);
  obj.description = text(node.description);
  const nf = node.nameField as XmlNode | undefined;
  if (nf) {
    obj.nameField = {
      label: text(nf.label) ?? 'Name',
      type: text(nf.type) === 'AutoNumber' ? 'AutoNumber' : 'Text',
      displayFormat: text(nf.displayFormat)
    };
  }
}

/**
 * Reads a metadata-API-format object (`objects/<Name>.object`: a CustomObject with its fields
 * inline), as found in a deploy zip. Same ObjectDef as the source-format reader.
 */
export function parseMdapiObject(fullName: string, xml: string, file = `objects/${fullName}.object`): ObjectDef {
  const { node } = rootOf(parseXml(xml, file));
  const obj: ObjectDef = {
    fullName,
    custom: isCustomName(fullName),
    customMetadata: fullName.endsWith('__mdt'),
    enableHistory: false,
    fields: new Map(),
    dir: path.dirname(file),
    file
  };
  applyObjectNode(obj, node);
  for (const fieldNode of asArray<XmlNode>(node.fields)) {
    const field = fieldFromNode(fieldNode, file);
    obj.fields.set(field.fullName, field);
  }
  return obj;
}

export function readField(file: string): FieldDef {
  return fieldFromNode(rootOf(readXml(file)).node, file);
}

function fieldFromNode(node: XmlNode, file: string): FieldDef {
  const fullName = text(node.fullName) ?? path.basename(file).replace(/\.field-meta\.xml$/, '');
  const rawType = text(node.type) ?? 'Text';
  const formula = text(node.formula);
  const vs = node.valueSet as XmlNode | undefined;
  let picklistValues: PicklistValueDef[] | undefined;
  let restricted = false;
  if (vs) {
    restricted = bool(vs.restricted);
    const def = vs.valueSetDefinition as XmlNode | undefined;
    picklistValues = asArray<XmlNode>(def?.value).map((v) => ({
      fullName: text(v.fullName) ?? '',
      label: text(v.label) ?? text(v.fullName) ?? '',
      default: bool(v.default)
    }));
  }
  return {
    fullName,
    label: text(node.label) ?? fullName,
    type: (formula ? 'Formula' : rawType) as FieldType,
    rawType,
    length: num(node.length),
    precision: num(node.precision),
    scale: num(node.scale),
    visibleLines: num(node.visibleLines),
    required: bool(node.required),
    unique: bool(node.unique),
    externalId: bool(node.externalId),
    caseSensitive: bool(node.caseSensitive),
    defaultValue: text(node.defaultValue),
    description: text(node.description),
    inlineHelpText: text(node.inlineHelpText),
    referenceTo: text(node.referenceTo),
    relationshipName: text(node.relationshipName),
    relationshipLabel: text(node.relationshipLabel),
    deleteConstraint: text(node.deleteConstraint),
    picklistValues,
    restrictedPicklist: restricted,
    trackHistory: bool(node.trackHistory),
    formula,
    displayFormat: text(node.displayFormat),
    file
  };
}
