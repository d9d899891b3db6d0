import * as fs from 'node:fs';
import * as path from 'node:path';
import { ComponentSet, ForceIgnore, type SourceComponent } from '@salesforce/source-deploy-retrieve';
import { closest, distance } from 'fastest-levenshtein';
import { readField, readObject, type FieldDef, type ObjectDef } from '../metadata/objects';
import {
  customMetadataSystemFields,
  customObjectSystemFields,
  DESCRIBE_TYPE_OF_FIELD_TYPE,
  STANDARD_OBJECT_MAP,
  type StandardFieldDef
} from '../metadata/standardObjects';
import { childrenNamed, MetadataXmlError, parseXmlTree, type XmlElement } from '../metadata/xml';

/**
 * The project as the checks see it: its package directories, every metadata component the sf CLI
 * resolves in them (via @salesforce/source-deploy-retrieve, so types and file suffixes are the
 * CLI's own), the parsed XML of each file, and one object model that merges the project's objects
 * and fields (`metadata/objects.ts`) with the description of standard objects
 * (`metadata/standardObjects.ts`).
 */

/** A metadata component (or a decomposed child such as a CustomField) and its files. */
export interface Component {
  /** Metadata API type, e.g. `CustomField`, `PermissionSet`, `Report`. */
  type: string;
  /** e.g. `Lead.MQL_At__c`, `Closed_Loop_Rep`, `Closed_Loop/SLA_Compliance`. */
  fullName: string;
  /** The `-meta.xml` file. */
  xml?: string;
  /** The content file or bundle folder. */
  content?: string;
  packageDir: string;
}

/** A field in the terms every check uses, whether it is custom (from metadata) or standard (from the description). */
export interface FieldInfo {
  name: string;
  object: string;
  custom: boolean;
  /** Describe-style type: string, textarea, boolean, double, currency, percent, date, datetime, time, email, phone, url, picklist, multipicklist, reference, id, ... */
  type: string;
  /** Formula, auto-number, roll-up or other platform-derived value: readable, never editable. */
  calculated: boolean;
  /** Required on every record: the platform grants access itself and rejects field permissions for it. */
  required: boolean;
  /** Field-level security can be granted on it (false for system fields and required fields). */
  permissionable: boolean;
  referenceTo: string[];
  /** Name used in relationship paths (`Owner`, `Lead__r`). */
  relationshipName?: string;
  picklistValues?: string[];
  length?: number;
  /** The custom field's definition and file. */
  def?: FieldDef;
}

export interface ObjectInfo {
  name: string;
  custom: boolean;
  customMetadata: boolean;
  /** Described in metadata/standardObjects.ts. */
  standard: boolean;
  fields: Map<string, FieldInfo>;
  /** Child relationships by name (`Lead_Quality_Feedback__r`, `Tasks`): the child object and its lookup field. */
  childRelationships: Map<string, { name: string; object: string; field: string }>;
  def?: ObjectDef;
}

export class ProjectModel {
  readonly components: Component[] = [];
  readonly objects = new Map<string, ObjectInfo>();
  /** Values of standard value sets the project deploys (`LeadStatus` in config/demo). */
  readonly standardValueSets = new Map<string, string[]>();
  private readonly docs = new Map<string, XmlElement | MetadataXmlError>();
  private readonly forceIgnore: ForceIgnore;

  private constructor(
    readonly root: string,
    readonly packageDirs: string[]
  ) {
    this.forceIgnore = ForceIgnore.findAndCreate(root);
  }

  /** Reads the project at `root` (its sfdx-project.json names the package directories). */
  static load(root: string): ProjectModel {
    const model = new ProjectModel(root, packageDirectories(root));
    for (const dir of model.packageDirs) model.resolveComponents(dir);
    model.readStandardValueSets();
    model.buildObjects();
    return model;
  }

  /** Every `.xml` file in the package directories that the sf CLI would read (not forceignored). */
  xmlFiles(): string[] {
    const out: string[] = [];
    const walk = (dir: string) => {
      for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
        const p = path.join(dir, e.name);
        if (this.forceIgnore.denies(p)) continue;
        if (e.isDirectory()) walk(p);
        else if (e.name.endsWith('.xml')) out.push(p);
      }
    };
    for (const dir of this.packageDirs) if (fs.existsSync(dir)) walk(dir);
    return out.sort();
  }

  /** The parsed root element of an XML file; undefined when it is not well-formed (see parseError). */
  doc(file: string): XmlElement | undefined {
    const d = this.load(file);
    return d instanceof MetadataXmlError ? undefined : d;
  }

  parseError(file: string): MetadataXmlError | undefined {
    const d = this.load(file);
    return d instanceof MetadataXmlError ? d : undefined;
  }

  byType(type: string): Component[] {
    return this.components.filter((c) => c.type === type);
  }

  has(type: string, fullName: string): boolean {
    const lower = fullName.toLowerCase();
    return this.components.some((c) => c.type === type && c.fullName.toLowerCase() === lower);
  }

  object(name: string): ObjectInfo | undefined {
    return this.objects.get(name.toLowerCase());
  }

  field(object: string, field: string): FieldInfo | undefined {
    return this.object(object)?.fields.get(field.toLowerCase());
  }

  /** Why an object name does not resolve, with a suggestion. */
  unknownObject(name: string): string {
    return `object ${name} does not exist${didYouMean(
      name,
      [...this.objects.values()].map((o) => o.name)
    )}`;
  }

  /** Why a field name does not resolve on an existing object, with a suggestion. */
  unknownField(object: ObjectInfo, field: string): string {
    return `field ${object.name}.${field} does not exist${didYouMean(
      field,
      [...object.fields.values()].map((f) => f.name)
    )}`;
  }

  /**
   * Resolves `Field`, or a relationship path such as `Lead__r.Name` / `Owner.Email`, from `object`.
   * With `reportType`, paths are written as custom report type columns are: a custom lookup by its
   * field name (`Lead__c.Name`, or `Lead__c` alone) and a standard lookup by its relationship name
   * (`Owner.Email`, or `Owner` alone, never `OwnerId`). Returns the field or the reason it does not resolve.
   */
  resolveField(object: string, fieldPath: string, opts: { reportType?: boolean } = {}): FieldInfo | string {
    const obj = this.object(object);
    if (!obj) return this.unknownObject(object);
    const reportType = opts.reportType === true;
    const parts = fieldPath.split('.');
    let current: ObjectInfo[] = [obj];
    for (let i = 0; i < parts.length - 1; i++) {
      const seg = parts[i];
      const rel = relationshipField(current, seg, reportType);
      if (!rel) {
        const names = current.flatMap((o) => [...o.fields.values()].filter((f) => f.relationshipName).map((f) => f.relationshipName!));
        return `${current[0].name} has no relationship ${seg}${didYouMean(seg, names)} (in ${fieldPath})`;
      }
      const targets = rel.referenceTo.map((t) => this.object(t)).filter((o): o is ObjectInfo => o !== undefined);
      if (targets.length === 0) {
        return `${rel.object}.${rel.name} refers to ${rel.referenceTo.join('/')}, which is neither in the project nor described in scripts/metadata/standardObjects.ts (in ${fieldPath})`;
      }
      current = targets;
    }
    const last = parts[parts.length - 1];
    const lower = last.toLowerCase();
    const where = parts.length === 1 ? '' : ` (in ${fieldPath})`;
    for (const o of current) {
      const f = o.fields.get(lower);
      if (f && reportType && !f.custom && f.type === 'reference' && f.relationshipName) {
        return `a report type names the standard lookup ${o.name}.${f.name} by its relationship name ${f.relationshipName}${where}`;
      }
      if (f) return f;
      if (reportType) {
        const byRelationship = [...o.fields.values()].find((x) => !x.custom && x.relationshipName?.toLowerCase() === lower);
        if (byRelationship) return byRelationship;
      }
    }
    return `${this.unknownField(current[0], last)}${where}`;
  }

  // ---- loading --------------------------------------------------------------------------------

  private load(file: string): XmlElement | MetadataXmlError {
    let d = this.docs.get(file);
    if (!d) {
      try {
        d = parseXmlTree(fs.readFileSync(file, 'utf8'), file);
      } catch (err) {
        d = err instanceof MetadataXmlError ? err : new MetadataXmlError(file, 1, (err as Error).message);
      }
      this.docs.set(file, d);
    }
    return d;
  }

  private resolveComponents(dir: string): void {
    if (!fs.existsSync(dir)) return;
    const add = (c: SourceComponent) => {
      this.components.push({ type: c.type.name, fullName: c.fullName, xml: c.xml, content: c.content, packageDir: dir });
      for (const child of c.getChildren()) add(child);
    };
    for (const c of ComponentSet.fromSource(dir).getSourceComponents()) add(c);
  }

  private readStandardValueSets(): void {
    for (const c of this.byType('StandardValueSet')) {
      const root = c.xml ? this.doc(c.xml) : undefined;
      if (!root) continue;
      const values = childrenNamed(root, 'standardValue').map((v) => childrenNamed(v, 'fullName')[0]?.text ?? '');
      this.standardValueSets.set(
        c.fullName,
        values.filter((v) => v !== '')
      );
    }
  }

  private buildObjects(): void {
    // standard objects from the description, with any value sets the project replaces
    for (const std of STANDARD_OBJECT_MAP.values()) {
      const info = this.ensureObject(std.name, { standard: true });
      for (const f of std.fields) {
        const values = f.standardValueSet ? this.standardValueSets.get(f.standardValueSet) : undefined;
        info.fields.set(f.name.toLowerCase(), fromStandard(f, std.name, values));
      }
    }
    // the project's object folders (custom objects and custom fields on standard objects), across package dirs
    const dirs = new Set<string>();
    for (const c of this.components) {
      if (c.type === 'CustomObject' && c.content) dirs.add(c.content);
      if (c.type === 'CustomObject' && !c.content && c.xml) dirs.add(path.dirname(c.xml));
      if (c.type === 'CustomField' && c.xml) dirs.add(path.dirname(path.dirname(c.xml)));
    }
    for (const dir of [...dirs].sort()) this.addObjectDir(dir);
    // child relationships, now that every object is known
    for (const o of this.objects.values()) {
      for (const f of o.fields.values()) {
        if (f.type !== 'reference') continue;
        const childName = f.def?.relationshipName ? `${f.def.relationshipName}__r` : undefined;
        const stdChild = f.custom
          ? undefined
          : STANDARD_OBJECT_MAP.get(o.name)?.fields.find((s) => s.name === f.name)?.childRelationshipName;
        const name = childName ?? stdChild;
        if (!name) continue;
        for (const parent of f.referenceTo) {
          this.object(parent)?.childRelationships.set(name.toLowerCase(), { name, object: o.name, field: f.name });
        }
      }
    }
  }

  private addObjectDir(dir: string): void {
    const def = readObjectLeniently(dir);
    const info = this.ensureObject(def.fullName, {});
    const firstDef = !info.def;
    if (firstDef && (info.custom || def.file)) info.def = def;
    if (info.custom && firstDef) {
      const system = info.customMetadata ? customMetadataSystemFields() : customObjectSystemFields();
      for (const f of system) {
        if (f.name === 'OwnerId' && def.sharingModel === 'ControlledByParent') continue;
        info.fields.set(f.name.toLowerCase(), fromStandard(f, def.fullName));
      }
      if (!info.customMetadata) {
        const autoNumber = def.nameField?.type === 'AutoNumber';
        info.fields.set('name', {
          name: 'Name',
          object: def.fullName,
          custom: false,
          type: 'string',
          calculated: autoNumber,
          required: !autoNumber,
          permissionable: false,
          referenceTo: [],
          length: 80
        });
      }
    }
    for (const f of def.fields.values()) {
      // a file for a standard field (Lead/fields/Status) only carries settings such as history tracking
      if (!/__c$/i.test(f.fullName)) continue;
      info.fields.set(f.fullName.toLowerCase(), fromCustom(f, def.fullName));
    }
  }

  private ensureObject(name: string, opts: { standard?: boolean }): ObjectInfo {
    let info = this.object(name);
    if (!info) {
      info = {
        name,
        custom: /__(c|mdt)$/.test(name),
        customMetadata: name.endsWith('__mdt'),
        standard: opts.standard === true,
        fields: new Map(),
        childRelationships: new Map()
      };
      this.objects.set(name.toLowerCase(), info);
    }
    return info;
  }
}

/** The package directories named in `<root>/sfdx-project.json`, as absolute paths. */
export function packageDirectories(root: string): string[] {
  const file = path.join(root, 'sfdx-project.json');
  if (!fs.existsSync(file)) throw new ValidateError(`${root} has no sfdx-project.json (is --root the project root?)`);
  const project = JSON.parse(fs.readFileSync(file, 'utf8')) as { packageDirectories?: Array<{ path: string }> };
  return (project.packageDirectories ?? []).map((p) => path.resolve(root, p.path));
}

/** A problem that stops validation itself (not a finding in the metadata). */
export class ValidateError extends Error {
  override readonly name = 'ValidateError';
}

/** ` (did you mean X?)` when a candidate is close enough to be a likely typo, else ''. */
export function didYouMean(name: string, candidates: Iterable<string>, show: (s: string) => string = (s) => s): string {
  const list = [...new Set(candidates)].filter((c) => c !== name);
  if (list.length === 0 || name === '') return '';
  const lowered = list.find((c) => c.toLowerCase() === name.toLowerCase());
  const best = lowered ?? closest(name, list);
  const d = distance(name.toLowerCase(), best.toLowerCase());
  return d <= Math.max(2, Math.floor(name.length / 4)) ? ` (did you mean ${show(best)}?)` : '';
}

// ---- field normalisation -------------------------------------------------------------------------

function fromCustom(f: FieldDef, object: string): FieldInfo {
  const calculated = f.formula !== undefined || f.rawType === 'AutoNumber' || f.rawType === 'Summary';
  const required = f.required || f.rawType === 'MasterDetail';
  return {
    name: f.fullName,
    object,
    custom: true,
    type: DESCRIBE_TYPE_OF_FIELD_TYPE[f.rawType] ?? f.rawType.toLowerCase(),
    calculated,
    required,
    permissionable: !required && !object.endsWith('__mdt'),
    referenceTo: f.referenceTo ? [f.referenceTo] : [],
    // the path from child to parent (`Lead__r`); the metadata's relationshipName names the reverse, child relationship
    relationshipName: f.referenceTo ? f.fullName.replace(/__c$/, '__r') : undefined,
    picklistValues: f.picklistValues?.map((v) => v.fullName),
    length: f.length,
    def: f
  };
}

/** Fields whose access the platform manages (no field-level security). */
const SYSTEM_FIELDS = new Set([
  'id',
  'isdeleted',
  'createddate',
  'createdbyid',
  'lastmodifieddate',
  'lastmodifiedbyid',
  'systemmodstamp',
  'ownerid'
]);

function fromStandard(f: StandardFieldDef, object: string, valueSet?: string[]): FieldInfo {
  const required = !f.nillable && f.createable && !f.defaultedOnCreate;
  const calculated = f.calculated === true || (!f.createable && !f.updateable);
  return {
    name: f.name,
    object,
    custom: false,
    type: f.type === 'int' ? 'double' : f.type,
    calculated,
    required,
    permissionable: !required && !SYSTEM_FIELDS.has(f.name.toLowerCase()) && f.type !== 'id' && f.nameField !== true,
    referenceTo: f.referenceTo ?? [],
    relationshipName: f.relationshipName,
    picklistValues: valueSet ?? f.picklistValues?.map((v) => v.value),
    length: f.length
  };
}

/** The lookup a path segment follows: by relationship name, or (report types) a custom lookup by its field name. */
function relationshipField(objects: ObjectInfo[], seg: string, customByFieldName: boolean): FieldInfo | undefined {
  const lower = seg.toLowerCase();
  for (const o of objects) {
    for (const f of o.fields.values()) {
      if (f.type !== 'reference') continue;
      if (f.relationshipName?.toLowerCase() === lower) return f;
      if (customByFieldName && f.custom && f.name.toLowerCase() === lower) return f;
    }
  }
  return undefined;
}

const UNREADABLE_FIELD: FieldDef = {
  fullName: '',
  label: '',
  type: 'Text',
  rawType: 'Unknown',
  required: false,
  unique: false,
  externalId: false,
  caseSensitive: false,
  restrictedPicklist: false,
  trackHistory: false,
  file: ''
};

/**
 * readObject, but a malformed file does not hide the rest of the object: the well-formedness
 * check reports it, and the object keeps every field that can be read.
 */
function readObjectLeniently(dir: string): ObjectDef {
  try {
    return readObject(dir);
  } catch {
    const fullName = path.basename(dir);
    const def: ObjectDef = {
      fullName,
      custom: /__(c|mdt)$/.test(fullName),
      customMetadata: fullName.endsWith('__mdt'),
      enableHistory: false,
      fields: new Map(),
      dir
    };
    const fieldsDir = path.join(dir, 'fields');
    if (fs.existsSync(fieldsDir)) {
      for (const f of fs.readdirSync(fieldsDir).sort()) {
        if (!f.endsWith('.field-meta.xml')) continue;
        const file = path.join(fieldsDir, f);
        try {
          const field = readField(file);
          def.fields.set(field.fullName, field);
        } catch {
          // reported by the well-formedness check; the field still exists, so references to it stay quiet
          const fullName = f.replace(/\.field-meta\.xml$/, '');
          def.fields.set(fullName, { ...UNREADABLE_FIELD, fullName, label: fullName, file });
        }
      }
    }
    return def;
  }
}
