import JSZip from 'jszip';
import type { FieldDef, ObjectDef } from '../metadata/objects';
import { parseMdapiObject } from '../metadata/objects';
import type { StandardPicklistValue } from '../metadata/standardObjects';
import { asArray, bool, MetadataXmlError, num, parseXml, rootOf, text, XmlNode } from '../metadata/xml';
import { generatedPrefix, makeId } from './ids';
import { coerceValue } from './records/fieldValues';
import { buildSchema, DeployedModel, Schema } from './schema';
import { reportDateFields } from './reportIndexes';
import { quote, SqlValue, Store } from './store';
import { ownValue } from './ownValue';

/**
 * The metadata side of the local org: what was deployed (stored in the database, so the schema
 * survives restarts) and the Metadata REST deploy (`/metadata/deployRequest`) that changes it.
 */

const FOLDER_TYPES: Record<string, string> = {
  objects: 'CustomObject',
  customMetadata: 'CustomMetadata',
  standardValueSets: 'StandardValueSet',
  globalValueSets: 'GlobalValueSet',
  permissionsets: 'PermissionSet',
  permissionsetgroups: 'PermissionSetGroup',
  profiles: 'Profile',
  lwc: 'LightningComponentBundle',
  aura: 'AuraDefinitionBundle',
  flexipages: 'FlexiPage',
  tabs: 'CustomTab',
  applications: 'CustomApplication',
  layouts: 'Layout',
  reportTypes: 'ReportType',
  reports: 'Report',
  dashboards: 'Dashboard',
  classes: 'ApexClass',
  triggers: 'ApexTrigger',
  staticresources: 'StaticResource',
  labels: 'CustomLabels',
  quickActions: 'QuickAction',
  flows: 'Flow',
  settings: 'Settings',
  customPermissions: 'CustomPermission',
  messageChannels: 'LightningMessageChannel',
  email: 'EmailTemplate',
  documents: 'Document',
  objectTranslations: 'CustomObjectTranslation',
  translations: 'Translations',
  remoteSiteSettings: 'RemoteSiteSetting',
  contentassets: 'ContentAsset',
  listViews: 'ListView',
  compactLayouts: 'CompactLayout',
  notificationtypes: 'CustomNotificationType'
};
const BUNDLE_FOLDERS = new Set(['lwc', 'aura', 'experiences']);
const FOLDERED = new Set(['reports', 'dashboards', 'email', 'documents']);

export interface DeployMessage {
  changed: boolean;
  columnNumber: number | null;
  componentType: string;
  created: boolean;
  createdDate: string;
  deleted: boolean;
  fileName: string;
  fullName: string;
  id: string | null;
  lineNumber: number | null;
  problem: string | null;
  problemType: string | null;
  success: boolean;
}

export interface DeployResult {
  id: string;
  checkOnly: boolean;
  completedDate: string | null;
  createdBy: string;
  createdByName: string;
  createdDate: string;
  details: { componentSuccesses: DeployMessage[]; componentFailures: DeployMessage[]; runTestResult: Record<string, unknown> };
  done: boolean;
  errorMessage: string | null;
  errorStatusCode: string | null;
  ignoreWarnings: boolean;
  lastModifiedDate: string;
  numberComponentErrors: number;
  numberComponentsDeployed: number;
  numberComponentsTotal: number;
  numberTestErrors: number;
  numberTestsCompleted: number;
  numberTestsTotal: number;
  rollbackOnError: boolean;
  runTestsEnabled: boolean;
  startDate: string | null;
  stateDetail: string | null;
  status: 'Pending' | 'InProgress' | 'Succeeded' | 'SucceededPartial' | 'Failed' | 'Canceled';
  success: boolean;
}

export interface DeployOptions {
  checkOnly?: boolean;
  rollbackOnError?: boolean;
  ignoreWarnings?: boolean;
  singlePackage?: boolean;
  [k: string]: unknown;
}

interface ObjectJson extends Omit<ObjectDef, 'fields'> {
  fields: FieldDef[];
}

function toJson(o: ObjectDef): string {
  return JSON.stringify({ ...o, fields: [...o.fields.values()] } satisfies ObjectJson);
}

function fromJson(s: string): ObjectDef {
  const o = JSON.parse(s) as ObjectJson;
  return { ...o, fields: new Map(o.fields.map((f) => [f.fullName, f])) };
}

/** Reads the deployed model from the database. */
export function loadModel(store: Store): DeployedModel {
  const objects = new Map<string, ObjectDef>();
  const standardValueSets = new Map<string, StandardPicklistValue[]>();
  for (const row of store.all(`SELECT type, fullName, content FROM _component WHERE type IN ('CustomObject', 'StandardValueSet')`)) {
    const content = String(row.content);
    if (row.type === 'CustomObject') objects.set(String(row.fullName), fromJson(content));
    else standardValueSets.set(String(row.fullName), JSON.parse(content) as StandardPicklistValue[]);
  }
  const prefixes = new Map<string, string>();
  for (const row of store.all('SELECT object, prefix FROM _prefix')) prefixes.set(String(row.object), String(row.prefix));
  return { objects, standardValueSets, prefixes };
}

function parseStandardValueSet(xml: string, file: string): StandardPicklistValue[] {
  const { node } = rootOf(parseXml(xml, file));
  return asArray<XmlNode>(node.standardValue).map((v) => {
    const out: StandardPicklistValue = {
      value: text(v.fullName) ?? '',
      label: text(v.label) ?? text(v.fullName),
      default: bool(v.default)
    };
    if (v.converted !== undefined) out.converted = bool(v.converted);
    if (v.closed !== undefined) out.closed = bool(v.closed);
    if (v.won !== undefined) out.won = bool(v.won);
    if (v.probability !== undefined) out.probability = num(v.probability);
    if (v.forecastCategory !== undefined) out.forecastCategory = text(v.forecastCategory);
    return out;
  });
}

interface CmdtRecord {
  type: string;
  developerName: string;
  label: string;
  protected: boolean;
  values: Map<string, string | null>;
  file: string;
}

function parseCustomMetadata(fullName: string, xml: string, file: string): CmdtRecord {
  const { node } = rootOf(parseXml(xml, file));
  const dot = fullName.indexOf('.');
  const values = new Map<string, string | null>();
  for (const v of asArray<XmlNode>(node.values)) {
    const field = text(v.field);
    if (!field) continue;
    const value = v.value as XmlNode | string | undefined;
    const nil = typeof value === 'object' && value !== null && (value as XmlNode)['@_xsi:nil'] === 'true';
    values.set(field, nil ? null : (text(value) ?? null));
  }
  return {
    type: `${fullName.slice(0, dot)}__mdt`,
    developerName: fullName.slice(dot + 1),
    label: text(node.label) ?? fullName.slice(dot + 1),
    protected: bool(node.protected),
    values,
    file
  };
}

interface ZipComponent {
  type: string;
  fullName: string;
  fileName: string;
  files: Array<{ path: string; content: Buffer }>;
}

/** Groups the files of an mdapi-format zip into components. */
async function readZip(zipBuf: Buffer): Promise<{ components: ZipComponent[]; packageXml?: string }> {
  const zip = await JSZip.loadAsync(zipBuf);
  // JSZip's files by path (its own entries: JSZip keeps them in a prototype-less object)
  const entries = new Map(
    Object.values(zip.files)
      .filter((f) => !f.dir)
      .map((f) => [f.name, f])
  );
  const paths = [...entries.keys()];
  const pkg = paths.filter((p) => p.endsWith('package.xml')).sort((a, b) => a.length - b.length)[0];
  if (!pkg) throw new DeployFileError('No package.xml found');
  const root = pkg.slice(0, pkg.length - 'package.xml'.length);
  const byKey = new Map<string, ZipComponent>();
  for (const p of paths.sort()) {
    if (!p.startsWith(root)) continue;
    const rel = p.slice(root.length);
    if (
      rel === 'package.xml' ||
      rel === 'destructiveChanges.xml' ||
      rel === 'destructiveChangesPost.xml' ||
      rel === 'destructiveChangesPre.xml'
    )
      continue;
    const parts = rel.split('/');
    if (parts.length < 2) continue;
    const folder = parts[0];
    const type = ownValue(FOLDER_TYPES, folder) ?? folder;
    let fullName: string;
    let fileName: string;
    if (BUNDLE_FOLDERS.has(folder)) {
      fullName = parts[1];
      fileName = `${folder}/${parts[1]}`;
    } else if (FOLDERED.has(folder) && parts.length > 2) {
      fullName = parts
        .slice(1)
        .join('/')
        .replace(/(-meta\.xml)$/, '')
        .replace(/\.[^./]+$/, '');
      fileName = rel.replace(/-meta\.xml$/, '');
    } else {
      const base = parts
        .slice(1)
        .join('/')
        .replace(/-meta\.xml$/, '');
      fullName = base.replace(/\.[^./]+$/, '');
      fileName = `${folder}/${base}`;
    }
    const key = `${type}:${fullName}`;
    let comp = byKey.get(key);
    if (!comp) byKey.set(key, (comp = { type, fullName, fileName, files: [] }));
    comp.files.push({ path: rel, content: await entries.get(p)!.async('nodebuffer') });
  }
  const packageXml = await entries.get(pkg)!.async('string');
  return { components: [...byKey.values()], packageXml };
}

export class DeployFileError extends Error {
  override readonly name = 'DeployFileError';
}

/**
 * Applies a deploy zip: validates every component, then (unless checkOnly or any failure)
 * stores it and updates the schema and tables in one transaction. Returns the new schema when
 * it changed.
 */
export async function runDeploy(store: Store, zipBuf: Buffer, options: DeployOptions, result: DeployResult): Promise<Schema | undefined> {
  const now = () => new Date().toISOString();
  const msg = (
    c: { type: string; fullName: string; fileName: string },
    ok: boolean,
    extra: Partial<DeployMessage> = {}
  ): DeployMessage => ({
    changed: ok,
    columnNumber: null,
    componentType: c.type,
    created: false,
    createdDate: now(),
    deleted: false,
    fileName: c.fileName,
    fullName: c.fullName,
    id: null,
    lineNumber: null,
    problem: null,
    problemType: null,
    success: ok,
    ...extra
  });
  const fail = (c: { type: string; fullName: string; fileName: string }, problem: string, line?: number) =>
    msg(c, false, { problem, problemType: 'Error', lineNumber: line ?? null, columnNumber: line ? 1 : null, changed: false });

  let zipContent: Awaited<ReturnType<typeof readZip>>;
  try {
    zipContent = await readZip(zipBuf);
  } catch (e) {
    result.status = 'Failed';
    result.success = false;
    result.done = true;
    result.errorStatusCode = 'INVALID_CROSS_REFERENCE_KEY';
    result.errorMessage = e instanceof Error ? e.message : String(e);
    result.completedDate = now();
    return undefined;
  }
  const { components } = zipContent;
  const successes: DeployMessage[] = [];
  const failures: DeployMessage[] = [];
  const model = loadModel(store);
  const newObjects = new Map(model.objects);
  const newValueSets = new Map(model.standardValueSets);
  const cmdt: CmdtRecord[] = [];
  const objectComponents = new Map<string, ZipComponent>();
  const stored: Array<{ type: string; fullName: string; fileName: string; content: string | Buffer }> = [];

  for (const c of components) {
    try {
      for (const f of c.files) {
        if (
          /\.(xml|object|md|standardValueSet|permissionset|layout|flexipage|tab|app|reportType|report|dashboard|labels|settings|globalValueSet|customPermission|quickAction|flow|profile)$/.test(
            f.path
          ) ||
          f.path.endsWith('-meta.xml')
        ) {
          parseXml(f.content.toString('utf8'), f.path);
        }
      }
      const main = c.files[0];
      const xml = main.content.toString('utf8');
      if (c.type === 'CustomObject') {
        const def = parseMdapiObject(c.fullName, xml, c.fileName);
        const existing = newObjects.get(c.fullName);
        if (existing) {
          const merged: ObjectDef = { ...existing, fields: new Map(existing.fields), file: def.file, dir: def.dir };
          if (def.label !== undefined) merged.label = def.label;
          if (def.pluralLabel !== undefined) merged.pluralLabel = def.pluralLabel;
          if (def.nameField !== undefined) merged.nameField = def.nameField;
          if (def.sharingModel !== undefined) merged.sharingModel = def.sharingModel;
          if (def.description !== undefined) merged.description = def.description;
          if (/<enableHistory>/.test(xml)) merged.enableHistory = def.enableHistory;
          for (const [k, v] of def.fields) merged.fields.set(k, v);
          newObjects.set(c.fullName, merged);
        } else {
          newObjects.set(c.fullName, def);
        }
        objectComponents.set(c.fullName, c);
        stored.push({ type: c.type, fullName: c.fullName, fileName: c.fileName, content: toJson(newObjects.get(c.fullName)!) });
      } else if (c.type === 'StandardValueSet') {
        const values = parseStandardValueSet(xml, c.fileName);
        newValueSets.set(c.fullName, values);
        stored.push({ type: c.type, fullName: c.fullName, fileName: c.fileName, content: JSON.stringify(values) });
      } else {
        if (c.type === 'CustomMetadata') cmdt.push(parseCustomMetadata(c.fullName, xml, c.fileName));
        for (const f of c.files) {
          stored.push({
            type: c.type,
            fullName: c.fullName,
            fileName: c.files.length === 1 ? c.fileName : `${c.fileName}#${f.path}`,
            content: f.content
          });
        }
      }
    } catch (e) {
      if (e instanceof MetadataXmlError) failures.push(fail(c, e.message.replace(/^[^:]+:\d+: /, ''), e.line));
      else failures.push(fail(c, e instanceof Error ? e.message : String(e)));
    }
  }

  // prefixes for new custom objects, then the schema as it would be
  const prefixes = new Map(model.prefixes);
  const taken = new Set(prefixes.values());
  for (const name of newObjects.keys()) {
    if (/__(c|mdt)$/.test(name) && !prefixes.has(name)) {
      const p = generatedPrefix(name, taken);
      prefixes.set(name, p);
      taken.add(p);
    }
  }
  let schema: Schema | undefined;
  try {
    schema = buildSchema({ objects: newObjects, standardValueSets: newValueSets, prefixes });
  } catch (e) {
    const m = e instanceof Error ? e.message : String(e);
    const objName = m.split(/[.:]/)[0];
    const c = objectComponents.get(objName) ?? { type: 'CustomObject', fullName: objName, fileName: `objects/${objName}.object` };
    failures.push(fail(c, m));
  }
  // custom metadata records against their types
  const cmdtRows: Array<{ obj: string; row: Record<string, SqlValue> }> = [];
  if (schema) {
    for (const r of cmdt) {
      const c = { type: 'CustomMetadata', fullName: `${r.type.replace(/__mdt$/, '')}.${r.developerName}`, fileName: r.file };
      const obj = schema.get(r.type);
      if (!obj?.customMetadata) {
        failures.push(fail(c, `Invalid type: ${r.type}`));
        continue;
      }
      try {
        const row: Record<string, SqlValue> = {
          DeveloperName: r.developerName,
          MasterLabel: r.label,
          Label: r.label,
          Language: 'en_US',
          NamespacePrefix: null,
          QualifiedApiName: r.developerName,
          IsProtected: r.protected ? 1 : 0,
          SystemModstamp: now()
        };
        for (const [field, value] of r.values) {
          const f = obj.byName.get(field.toLowerCase());
          if (!f || !f.custom) throw new Error(`Invalid field:${field} for type ${r.type}`);
          row[f.name] = value === null ? null : coerceValue(obj, f, f.type === 'boolean' ? value === 'true' : value);
          if (f.type === 'picklist' && value !== null && !f.picklistValues.some((p) => p.value === value)) {
            throw new Error(`${f.name}: bad value for picklist field: ${value}`);
          }
        }
        cmdtRows.push({ obj: obj.name, row });
      } catch (e) {
        failures.push(fail(c, e instanceof Error ? e.message : String(e)));
      }
    }
  }

  const checkOnly = options.checkOnly === true;
  if (failures.length === 0 && schema && !checkOnly) {
    try {
      store.transaction(() => {
        const at = now();
        for (const [obj, p] of prefixes) store.run('INSERT OR IGNORE INTO _prefix (object, prefix) VALUES (?, ?)', [obj, p]);
        for (const s of stored) {
          const existed = store.get('SELECT 1 AS x FROM _component WHERE fileName = ?', [s.fileName]);
          store.run(
            'INSERT INTO _component (type, fullName, fileName, content, deployedAt) VALUES (?, ?, ?, ?, ?) ON CONFLICT(fileName) DO UPDATE SET type = excluded.type, fullName = excluded.fullName, content = excluded.content, deployedAt = excluded.deployedAt',
            [s.type, s.fullName, s.fileName, typeof s.content === 'string' ? s.content : new Uint8Array(s.content), at]
          );
          (s as { created?: boolean }).created = !existed;
        }
        store.syncTables(schema!, reportDateFields(store, schema!));
        for (const { obj, row } of cmdtRows) {
          const o = schema!.get(obj)!;
          const existing = store.get(`SELECT "Id" FROM ${quote(o.name)} WHERE "DeveloperName" = ?`, [row.DeveloperName]);
          const id = existing ? String(existing.Id) : makeId(o.keyPrefix, store.nextSeq(`id:${o.keyPrefix}`));
          const full = { Id: id, ...row };
          const cols = Object.keys(full);
          store.run(
            `INSERT OR REPLACE INTO ${quote(o.name)} (${cols.map(quote).join(', ')}) VALUES (${cols.map(() => '?').join(', ')})`,
            Object.values(full) as SqlValue[] // in the order of Object.keys
          );
        }
      });
    } catch (e) {
      failures.push(
        fail(
          { type: 'CustomObject', fullName: '', fileName: 'package.xml' },
          `deploy failed: ${e instanceof Error ? e.message : String(e)}`
        )
      );
      schema = undefined;
    }
  }
  const createdNames = new Set(stored.filter((s) => (s as { created?: boolean }).created).map((s) => `${s.type}:${s.fullName}`));
  if (failures.length === 0) {
    successes.push(msg({ type: '', fullName: 'package.xml', fileName: 'package.xml' }, true));
    for (const c of components) {
      successes.push(msg(c, true, { created: createdNames.has(`${c.type}:${c.fullName}`) }));
      if (c.type === 'CustomObject') {
        const deployedDef = parseMdapiObject(c.fullName, c.files[0].content.toString('utf8'), c.fileName);
        for (const f of deployedDef.fields.keys()) {
          successes.push(msg({ type: 'CustomField', fullName: `${c.fullName}.${f}`, fileName: c.fileName }, true));
        }
      }
    }
  }
  result.details.componentSuccesses = successes;
  result.details.componentFailures = failures;
  result.numberComponentsTotal = components.length;
  result.numberComponentErrors = failures.length;
  result.numberComponentsDeployed = failures.length === 0 ? components.length : 0;
  result.status = failures.length === 0 ? 'Succeeded' : 'Failed';
  result.success = failures.length === 0;
  result.done = true;
  result.completedDate = now();
  result.lastModifiedDate = now();
  return failures.length === 0 && !checkOnly ? schema : undefined;
}

export function newDeployResult(id: string, userId: string, userName: string, options: DeployOptions): DeployResult {
  const at = new Date().toISOString();
  return {
    id,
    checkOnly: options.checkOnly === true,
    completedDate: null,
    createdBy: userId,
    createdByName: userName,
    createdDate: at,
    details: {
      componentSuccesses: [],
      componentFailures: [],
      runTestResult: {
        numFailures: 0,
        numTestsRun: 0,
        totalTime: 0,
        codeCoverage: [],
        codeCoverageWarnings: [],
        failures: [],
        flowCoverage: [],
        flowCoverageWarnings: [],
        successes: []
      }
    },
    done: false,
    errorMessage: null,
    errorStatusCode: null,
    ignoreWarnings: options.ignoreWarnings === true,
    lastModifiedDate: at,
    numberComponentErrors: 0,
    numberComponentsDeployed: 0,
    numberComponentsTotal: 0,
    numberTestErrors: 0,
    numberTestsCompleted: 0,
    numberTestsTotal: 0,
    rollbackOnError: options.rollbackOnError !== false,
    runTestsEnabled: false,
    startDate: at,
    stateDetail: null,
    status: 'Pending',
    success: false
  };
}
