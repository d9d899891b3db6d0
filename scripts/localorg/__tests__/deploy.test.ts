import JSZip from 'jszip';
import type { Connection } from 'jsforce';
import { startTestOrg, TestOrg } from '../testing';

/** The Metadata REST deploy (`conn.metadata.deployRest` + `checkDeployStatus(id, true, true)`) the schema comes from. */
let org: TestOrg;
let conn: Connection;

beforeAll(async () => {
  org = await startTestOrg();
  conn = org.conn;
});
afterAll(() => org.close());

interface DeployResultJson {
  done: boolean;
  status: string;
  success: boolean;
  numberComponentErrors: number;
  details: {
    componentSuccesses: Array<{ componentType: string; fullName: string; success: boolean }>;
    componentFailures: Array<{ fullName: string; problem: string; lineNumber: number | null }>;
  };
}

async function deploy(files: Record<string, string>, options: Record<string, unknown> = {}): Promise<DeployResultJson> {
  const zip = new JSZip();
  zip.file(
    'package.xml',
    '<?xml version="1.0" encoding="UTF-8"?><Package xmlns="http://soap.sforce.com/2006/04/metadata"><version>64.0</version></Package>'
  );
  for (const [name, content] of Object.entries(files)) zip.file(name, content);
  const buf = await zip.generateAsync({ type: 'nodebuffer' });
  const locator = conn.metadata.deployRest(buf, options);
  const { id } = (await (locator as unknown as { _promise: Promise<{ id: string }> })._promise) as { id: string };
  for (let i = 0; i < 200; i++) {
    const r = (await conn.metadata.checkDeployStatus(id, true, true)) as unknown as DeployResultJson;
    if (r.done) return r;
    await new Promise((res) => setTimeout(res, 10));
  }
  throw new Error('deploy did not finish');
}

const NS = 'xmlns="http://soap.sforce.com/2006/04/metadata"';
const project = `<?xml version="1.0" encoding="UTF-8"?>
<CustomObject ${NS}>
  <label>Project</label><pluralLabel>Projects</pluralLabel>
  <nameField><label>Project Name</label><type>Text</type></nameField>
  <sharingModel>ReadWrite</sharingModel><deploymentStatus>Deployed</deploymentStatus>
  <fields><fullName>Code__c</fullName><label>Code</label><type>Text</type><length>10</length><externalId>true</externalId><unique>true</unique></fields>
  <fields><fullName>Lead__c</fullName><label>Lead</label><type>Lookup</type><referenceTo>Lead</referenceTo><relationshipName>Projects</relationshipName><deleteConstraint>SetNull</deleteConstraint></fields>
  <fields><fullName>Phase__c</fullName><label>Phase</label><type>Picklist</type><valueSet><restricted>true</restricted><valueSetDefinition><value><fullName>Plan</fullName><default>true</default><label>Plan</label></value><value><fullName>Build</fullName><default>false</default><label>Build</label></value></valueSetDefinition></valueSet></fields>
</CustomObject>`;

test('deploying an object creates it: describe matches the metadata and records can be written', async () => {
  const r = await deploy({ 'objects/Project__c.object': project });
  expect(r).toMatchObject({ done: true, status: 'Succeeded', success: true, numberComponentErrors: 0 });
  expect(r.details.componentSuccesses).toEqual(
    expect.arrayContaining([
      expect.objectContaining({ componentType: 'CustomObject', fullName: 'Project__c', success: true }),
      expect.objectContaining({ componentType: 'CustomField', fullName: 'Project__c.Code__c', success: true })
    ])
  );
  const d = await conn.sobject('Project__c').describe();
  expect(d).toMatchObject({ label: 'Project', labelPlural: 'Projects', custom: true });
  expect(d.fields.find((f) => f.name === 'Code__c')).toMatchObject({ type: 'string', length: 10, externalId: true, unique: true });
  expect(d.fields.find((f) => f.name === 'Phase__c')).toMatchObject({ type: 'picklist', restrictedPicklist: true });
  expect(d.fields.find((f) => f.name === 'Lead__c')).toMatchObject({
    type: 'reference',
    referenceTo: ['Lead'],
    relationshipName: 'Lead__r'
  });
  const created = await conn.sobject('Project__c').create({ Name: 'P1', Code__c: 'P-1' });
  expect(created.success).toBe(true);
  const rec = (await conn.sobject('Project__c').retrieve(created.id!)) as Record<string, unknown>;
  expect(rec.Phase__c).toBe('Plan');
  // adding a field later keeps data and existing fields
  const more = project.replace(
    '</CustomObject>',
    '<fields><fullName>Budget__c</fullName><label>Budget</label><type>Currency</type><precision>18</precision><scale>2</scale></fields></CustomObject>'
  );
  expect((await deploy({ 'objects/Project__c.object': more })).success).toBe(true);
  await conn.sobject('Project__c').update({ Id: created.id!, Budget__c: 12.5 });
  const again = await conn.query<{ Name: string; Budget__c: number }>('SELECT Name, Budget__c FROM Project__c');
  expect(again.records[0]).toMatchObject({ Name: 'P1', Budget__c: 12.5 });
});

test('a broken component fails the deploy with its problem and line, and changes nothing', async () => {
  const r = await deploy({
    'objects/Broken__c.object': `<?xml version="1.0" encoding="UTF-8"?>\n<CustomObject ${NS}>\n<label>Broken</label>\n<fields><fullName>X__c</fullName></label></fields></CustomObject>`
  });
  expect(r).toMatchObject({ done: true, status: 'Failed', success: false });
  expect(r.details.componentFailures[0]).toMatchObject({ fullName: 'Broken__c', lineNumber: 4 });
  const bad = await deploy({
    'objects/Ref__c.object': `<?xml version="1.0" encoding="UTF-8"?><CustomObject ${NS}><label>Ref</label><fields><fullName>To__c</fullName><label>To</label><type>Lookup</type><referenceTo>Nowhere__c</referenceTo></fields></CustomObject>`
  });
  expect(bad.success).toBe(false);
  expect(bad.details.componentFailures[0].problem).toContain('Nowhere__c');
  const g = await conn.describeGlobal();
  expect(g.sobjects.map((s) => s.name)).not.toContain('Ref__c');
  expect(g.sobjects.map((s) => s.name)).not.toContain('Broken__c');
});

test('checkOnly validates without deploying; a standard value set replaces Lead Status values', async () => {
  const check = await deploy({ 'objects/Dry__c.object': project.replace(/Project/g, 'Dry') }, { checkOnly: true });
  expect(check.success).toBe(true);
  expect((await conn.describeGlobal()).sobjects.map((s) => s.name)).not.toContain('Dry__c');
  const svs = `<?xml version="1.0" encoding="UTF-8"?><StandardValueSet ${NS}><sorted>false</sorted>
    <standardValue><fullName>Fresh</fullName><default>true</default><label>Fresh</label><converted>false</converted></standardValue>
    <standardValue><fullName>Done</fullName><default>false</default><label>Done</label><converted>true</converted></standardValue></StandardValueSet>`;
  expect((await deploy({ 'standardValueSets/LeadStatus.standardValueSet': svs })).success).toBe(true);
  const d = await conn.sobject('Lead').describe();
  expect(d.fields.find((f) => f.name === 'Status')!.picklistValues!.map((p) => p.value)).toEqual(['Fresh', 'Done']);
  const lead = await conn.sobject('Lead').create({ LastName: 'L', Company: 'C' });
  expect(((await conn.sobject('Lead').retrieve(lead.id!)) as Record<string, unknown>).Status).toBe('Fresh');
});

test('custom metadata records deploy and become queryable', async () => {
  const rec = `<?xml version="1.0" encoding="UTF-8"?><CustomMetadata ${NS} xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:xsd="http://www.w3.org/2001/XMLSchema">
    <label>Test Policy</label><protected>false</protected>
    <values><field>Target_Minutes__c</field><value xsi:type="xsd:double">15</value></values>
    <values><field>Business_Hours_Name__c</field><value xsi:nil="true"/></values></CustomMetadata>`;
  expect((await deploy({ 'customMetadata/SLA_Policy.Test_Policy.md': rec })).success).toBe(true);
  const r = await conn.query<{ MasterLabel: string; Target_Minutes__c: number; Business_Hours_Name__c: string | null }>(
    "SELECT MasterLabel, Target_Minutes__c, Business_Hours_Name__c FROM SLA_Policy__mdt WHERE DeveloperName = 'Test_Policy'"
  );
  expect(r.records[0]).toMatchObject({ MasterLabel: 'Test Policy', Target_Minutes__c: 15, Business_Hours_Name__c: null });
});
