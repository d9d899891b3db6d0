import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import JSZip from 'jszip';
import type { Connection } from 'jsforce';
import { startTestOrg, type TestOrg } from '../../localorg/testing';
import { DEMO_DIR, PACKAGE_DIR } from '../../project';
import { DeployFailedError, formatProblem } from '../deploy';
import { buildPackageZip, deployToLocalOrg } from '../localDeploy';

const OBJECT = `<?xml version="1.0" encoding="UTF-8"?>
<CustomObject xmlns="http://soap.sforce.com/2006/04/metadata">
    <deploymentStatus>Deployed</deploymentStatus>
    <label>Broken</label>
    <nameField>
        <label>Broken Name</label>
        <type>Text</type>
    </nameField>
    <pluralLabel>Brokens</pluralLabel>
    <sharingModel>ReadWrite</sharingModel>
</CustomObject>
`;
const LOOKUP_TO_NOWHERE = `<?xml version="1.0" encoding="UTF-8"?>
<CustomField xmlns="http://soap.sforce.com/2006/04/metadata">
    <fullName>Parent__c</fullName>
    <label>Parent</label>
    <referenceTo>No_Such_Object__c</referenceTo>
    <relationshipName>Brokens</relationshipName>
    <deleteConstraint>SetNull</deleteConstraint>
    <type>Lookup</type>
</CustomField>
`;

describe('the package zip (source-deploy-retrieve, as sf builds it)', () => {
  it('holds every component of force-app and config/demo in Metadata API format, and no tests or TypeScript', async () => {
    const pkg = await buildPackageZip([PACKAGE_DIR, DEMO_DIR]);
    const zip = await JSZip.loadAsync(pkg.zip);
    const names = Object.keys(zip.files);
    expect(await zip.file('package.xml')!.async('string')).toMatch(/<version>64\.0<\/version>/);
    expect(names.filter((n) => /__tests__|\.ts$/.test(n))).toEqual([]);
    const objects = fs.readdirSync(path.join(PACKAGE_DIR, 'main', 'default', 'objects'));
    for (const o of objects) expect(pkg.members).toContain(`CustomObject:${o}`);
    for (const b of fs.readdirSync(path.join(PACKAGE_DIR, 'main', 'default', 'lwc'))) {
      if (fs.statSync(path.join(PACKAGE_DIR, 'main', 'default', 'lwc', b)).isDirectory())
        expect(pkg.members).toContain(`LightningComponentBundle:${b}`);
    }
    expect(pkg.members).toContain('StandardValueSet:LeadStatus');
    expect(names).toContain('objects/SLA_Timer__c.object');
  });
});

describe('deployToLocalOrg: what the org rejects, located in source', () => {
  let org: TestOrg;
  let conn: Connection;
  let dir: string;

  beforeAll(async () => {
    org = await startTestOrg({ sourceDirs: [] });
    conn = org.conn;
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'closed-loop-broken-'));
    const objDir = path.join(dir, 'main', 'default', 'objects', 'Broken__c');
    fs.mkdirSync(path.join(objDir, 'fields'), { recursive: true });
    fs.writeFileSync(path.join(objDir, 'Broken__c.object-meta.xml'), OBJECT);
    fs.writeFileSync(path.join(objDir, 'fields', 'Parent__c.field-meta.xml'), LOOKUP_TO_NOWHERE);
  });
  afterAll(async () => {
    await org?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it.each([
    [false, 'deploy failed'],
    [true, 'validation (--dry-run) failed']
  ])('dryRun=%s: fails with the field file and the cause, and the object is not created', async (dryRun, what) => {
    const err = (await deployToLocalOrg(conn, { directories: [dir], dryRun, timeoutMs: 60_000 }).catch(
      (e: unknown) => e
    )) as DeployFailedError;
    expect(err).toBeInstanceOf(DeployFailedError);
    const fieldFile = path.join(dir, 'main', 'default', 'objects', 'Broken__c', 'fields', 'Parent__c.field-meta.xml');
    expect(err.problems.map(formatProblem)).toEqual([
      `${fieldFile}: Broken__c.Parent__c: referenceTo No_Such_Object__c is not an object in this org`
    ]);
    expect(err.message).toBe(`${what}: 1 component error, first ${formatProblem(err.problems[0])}`);
    await expect(conn.describe('Broken__c')).rejects.toThrow(/does not exist/);
  });
});
