import * as path from 'node:path';
import type { Connection } from 'jsforce';
import { startTestOrg, type TestOrg } from '../../localorg/testing';
import { FieldDef, ObjectDef, readObjects } from '../../metadata/objects';
import { asArray, readXml, rootOf, text, XmlNode } from '../../metadata/xml';
import { DEMO_DIR, PACKAGE_DIR } from '../../project';
import { jsonResult, runCli } from '../../testing/cli';

/**
 * `closed-loop org deploy --local` on a fresh clone deploys every metadata
 * file of the package into the local org, and a follow-up describe of each custom object matches
 * its metadata. The org starts empty (no package deployed into it), the CLI deploys through the
 * Metadata REST API, and the describe is checked against the source files with Salesforce's
 * documented metadata-type → describe-type mapping — not with the local org's own code.
 */

interface DescribeField {
  name: string;
  label: string;
  type: string;
  length: number;
  precision: number;
  scale: number;
  nillable: boolean;
  unique: boolean;
  externalId: boolean;
  caseSensitive: boolean;
  autoNumber: boolean;
  calculated: boolean;
  custom: boolean;
  referenceTo: string[];
  relationshipName: string | null;
  restrictedPicklist: boolean;
  picklistValues: Array<{ value: string; label: string; active: boolean; defaultValue: boolean }>;
}

/** Metadata field type → the type describe reports for it (SOAP/REST API field types). */
const DESCRIBE_TYPE: Record<string, string> = {
  AutoNumber: 'string',
  Checkbox: 'boolean',
  Currency: 'currency',
  Date: 'date',
  DateTime: 'datetime',
  Time: 'time',
  Email: 'email',
  Phone: 'phone',
  Url: 'url',
  Lookup: 'reference',
  MasterDetail: 'reference',
  LongTextArea: 'textarea',
  TextArea: 'textarea',
  Html: 'textarea',
  MultiselectPicklist: 'multipicklist',
  Picklist: 'picklist',
  Number: 'double',
  Percent: 'percent',
  Text: 'string'
};

/** The differences between one field's metadata and its describe, as readable lines (empty = match). */
function fieldMismatches(obj: string, def: FieldDef, d: DescribeField | undefined): string[] {
  const where = `${obj}.${def.fullName}`;
  if (!d) return [`${where}: missing from describe`];
  const out: string[] = [];
  const expect = (what: string, actual: unknown, wanted: unknown) => {
    if (JSON.stringify(actual) !== JSON.stringify(wanted))
      out.push(`${where}: ${what} is ${JSON.stringify(actual)}, metadata says ${JSON.stringify(wanted)}`);
  };
  const standardOverride = !obj.endsWith('__c') && !obj.endsWith('__mdt') && !def.fullName.endsWith('__c');
  if (standardOverride) return out; // Lead.Status, Lead.OwnerId, Opportunity.StageName: only history tracking is ours
  expect('label', d.label, def.label);
  expect('type', d.type, def.type === 'Formula' ? DESCRIBE_TYPE[def.rawType] : DESCRIBE_TYPE[def.type]);
  expect('custom', d.custom, true);
  if (def.type === 'Text') expect('length', d.length, def.length);
  if (def.type === 'LongTextArea') expect('length', d.length, def.length);
  if (def.type === 'Number' || def.type === 'Currency' || def.type === 'Percent') {
    expect('precision', d.precision, def.precision);
    expect('scale', d.scale, def.scale);
  }
  if (def.type === 'Lookup' || def.type === 'MasterDetail') {
    expect('referenceTo', d.referenceTo, [def.referenceTo]);
    // describe names the parent relationship (Lead__r); the metadata's relationshipName is the child one, checked on the parent
    expect('relationshipName', d.relationshipName, def.fullName.replace(/__c$/, '__r'));
  }
  if (def.type === 'Checkbox') expect('nillable', d.nillable, false);
  else if (def.required) expect('nillable', d.nillable, false);
  expect('externalId', d.externalId, def.externalId);
  if (def.unique) expect('unique', d.unique, true);
  if (def.type === 'Picklist' || def.type === 'MultiselectPicklist') {
    expect('restrictedPicklist', d.restrictedPicklist, def.restrictedPicklist);
    expect(
      'picklist values',
      d.picklistValues.filter((v) => v.active).map((v) => [v.value, v.label, v.defaultValue]),
      (def.picklistValues ?? []).map((v) => [v.fullName, v.label, v.default])
    );
  }
  return out;
}

function objectMismatches(def: ObjectDef, d: { label: string; labelPlural: string; custom: boolean; fields: DescribeField[] }): string[] {
  const out: string[] = [];
  const byName = new Map(d.fields.map((f) => [f.name, f]));
  if (def.custom) {
    if (def.label !== undefined && d.label !== def.label) out.push(`${def.fullName}: label is ${d.label}, metadata says ${def.label}`);
    if (def.pluralLabel !== undefined && d.labelPlural !== def.pluralLabel) {
      out.push(`${def.fullName}: labelPlural is ${d.labelPlural}, metadata says ${def.pluralLabel}`);
    }
    if (!d.custom) out.push(`${def.fullName}: describe says it is not custom`);
    if (def.nameField) {
      const name = byName.get('Name');
      if (!name) out.push(`${def.fullName}.Name: missing from describe`);
      else {
        if (name.label !== def.nameField.label)
          out.push(`${def.fullName}.Name: label is ${name.label}, metadata says ${def.nameField.label}`);
        if (name.autoNumber !== (def.nameField.type === 'AutoNumber')) out.push(`${def.fullName}.Name: autoNumber is ${name.autoNumber}`);
      }
    }
  }
  for (const f of def.fields.values()) out.push(...fieldMismatches(def.fullName, f, byName.get(f.fullName)));
  return out;
}

let org: TestOrg;
let conn: Connection;

beforeAll(async () => {
  // An empty local org: nothing of the package deployed into it yet.
  org = await startTestOrg({ sourceDirs: [] });
  conn = org.conn;
});

afterAll(() => org?.close());

describe('closed-loop org deploy --local into a fresh local org', () => {
  it('deploys every component of force-app and config/demo, then each object describes as its metadata says', async () => {
    const objects = readObjects(path.join(PACKAGE_DIR, 'main', 'default', 'objects'));
    const customObjects = [...objects.values()].filter((o) => o.custom);
    expect(customObjects.length).toBeGreaterThan(0);
    await expect(conn.describe(customObjects[0].fullName)).rejects.toThrow(/does not exist/);

    const r = await runCli(['org', 'deploy', '--local', '--connection-file', org.connectionFile, '--json'], {
      timeoutMs: 120_000
    });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const summary = jsonResult<{
      status: string;
      componentsDeployed: number;
      componentsTotal: number;
      members: string[];
      directories: string[];
    }>(r.stdout);
    expect(summary.status).toBe('Succeeded');
    expect(summary.directories).toEqual(['force-app', 'config/demo']);
    expect(summary.componentsDeployed).toBe(summary.componentsTotal);
    expect(summary.componentsTotal).toBe(summary.members.length);
    // every object folder, and the demo Lead statuses, went in
    for (const o of objects.values()) expect(summary.members).toContain(`CustomObject:${o.fullName}`);
    expect(summary.members).toContain('StandardValueSet:LeadStatus');

    const mismatches: string[] = [];
    for (const def of objects.values()) {
      const d = (await conn.describe(def.fullName)) as unknown as Parameters<typeof objectMismatches>[1];
      mismatches.push(...objectMismatches(def, d));
      // each lookup's child relationship (SLA_Timers__r on Lead, ...) is on its parent
      for (const f of def.fields.values()) {
        if (!f.referenceTo || !f.relationshipName) continue;
        const parent = await conn.describe(f.referenceTo);
        const child = parent.childRelationships.find((c) => c.childSObject === def.fullName && c.field === f.fullName);
        if (child?.relationshipName !== `${f.relationshipName}__r`) {
          mismatches.push(
            `${def.fullName}.${f.fullName}: ${f.referenceTo} child relationship is ${child?.relationshipName}, metadata says ${f.relationshipName}__r`
          );
        }
      }
    }
    expect(mismatches).toEqual([]);

    // the demo-only Lead statuses (config/demo) are the Lead Status picklist now
    const svs = rootOf(readXml(path.join(DEMO_DIR, 'main', 'default', 'standardValueSets', 'LeadStatus.standardValueSet-meta.xml'))).node;
    const demoStatuses = asArray<XmlNode>(svs.standardValue).map((v) => text(v.fullName));
    const lead = await conn.describe('Lead');
    const status = (lead.fields as unknown as DescribeField[]).find((f) => f.name === 'Status');
    expect(status?.picklistValues.filter((v) => v.active).map((v) => v.value)).toEqual(demoStatuses);
  });

  it('a second deploy of the same package succeeds and changes nothing in the describe', async () => {
    const before = await conn.describe('SLA_Timer__c');
    const r = await runCli(['org', 'deploy', '--local', '--connection-file', org.connectionFile], { timeoutMs: 120_000 });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Deployed (\d+)\/\1 components of force-app \+ config\/demo to the local org\.$/m);
    const after = await conn.describe('SLA_Timer__c');
    expect(after.fields.map((f) => [f.name, f.type, f.length])).toEqual(before.fields.map((f) => [f.name, f.type, f.length]));
  });

  it('--dry-run validates against the org without deploying', async () => {
    const r = await runCli(['org', 'deploy', '--local', '--dry-run', '--no-demo', '--connection-file', org.connectionFile, '--json'], {
      timeoutMs: 120_000
    });
    expect(r.code).toBe(0);
    expect(jsonResult(r.stdout)).toMatchObject({ dryRun: true, status: 'Succeeded', directories: ['force-app'] });
  });
});
