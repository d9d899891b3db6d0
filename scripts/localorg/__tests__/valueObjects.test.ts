import JSZip from 'jszip';
import type { Connection } from 'jsforce';
import { startTestOrg, TestOrg } from '../testing';

/** LeadStatus and OpportunityStage: read-only sObjects derived from the Lead Status and Opportunity Stage values. */
let org: TestOrg;
let conn: Connection;

beforeAll(async () => {
  org = await startTestOrg();
  conn = org.conn;
});
afterAll(() => org.close());

interface LeadStatusRow {
  Id: string;
  ApiName: string;
  MasterLabel: string;
  IsConverted: boolean;
  IsDefault: boolean;
  SortOrder: number;
}
interface StageRow {
  Id: string;
  ApiName: string;
  MasterLabel: string;
  IsClosed: boolean;
  IsWon: boolean;
  IsActive: boolean;
  DefaultProbability: number | null;
  SortOrder: number;
  ForecastCategoryName: string;
}

async function deployStages(xml: string): Promise<void> {
  const zip = new JSZip();
  zip.file(
    'package.xml',
    '<?xml version="1.0" encoding="UTF-8"?><Package xmlns="http://soap.sforce.com/2006/04/metadata"><version>64.0</version></Package>'
  );
  zip.file('standardValueSets/OpportunityStage.standardValueSet', xml);
  const buf = await zip.generateAsync({ type: 'nodebuffer' });
  const locator = conn.metadata.deployRest(buf, {});
  const { id } = await (locator as unknown as { _promise: Promise<{ id: string }> })._promise;
  for (let i = 0; i < 200; i++) {
    const r = (await conn.metadata.checkDeployStatus(id, true, true)) as unknown as { done: boolean; success: boolean };
    if (r.done) {
      expect(r.success).toBe(true);
      return;
    }
    await new Promise((res) => setTimeout(res, 10));
  }
  throw new Error('deploy did not finish');
}

test('LeadStatus has one row per deployed Lead Status value, in order, with default and converted flags', async () => {
  const r = await conn.query<LeadStatusRow>(
    'SELECT Id, ApiName, MasterLabel, IsConverted, IsDefault, SortOrder FROM LeadStatus ORDER BY SortOrder'
  );
  expect(r.records.map((s) => s.ApiName)).toEqual([
    'New',
    'Marketing Qualified',
    'Sales Accepted',
    'Sales Qualified',
    'Recycled',
    'Rejected',
    'Converted'
  ]);
  expect(r.records.map((s) => s.SortOrder)).toEqual([1, 2, 3, 4, 5, 6, 7]);
  expect(r.records[0]).toMatchObject({ MasterLabel: 'New', IsDefault: true, IsConverted: false });
  expect(r.records[6]).toMatchObject({ ApiName: 'Converted', IsConverted: true, IsDefault: false });
  expect(r.records.every((s) => s.Id.startsWith('01J') && s.Id.length === 18)).toBe(true);
  const converted = await conn.query<LeadStatusRow>('SELECT MasterLabel FROM LeadStatus WHERE IsConverted = true');
  expect(converted.records.map((s) => s.MasterLabel)).toEqual(['Converted']);
});

test('OpportunityStage has the built-in stages with closed/won flags and probabilities; queryAll works too', async () => {
  const closed = await conn.query<StageRow>(
    'SELECT ApiName, MasterLabel, IsClosed, IsWon, IsActive, DefaultProbability, SortOrder FROM OpportunityStage WHERE IsClosed = true ORDER BY SortOrder'
  );
  expect(closed.records).toEqual([
    expect.objectContaining({ ApiName: 'Closed Won', IsClosed: true, IsWon: true, IsActive: true, DefaultProbability: 100 }),
    expect.objectContaining({ ApiName: 'Closed Lost', IsClosed: true, IsWon: false, IsActive: true, DefaultProbability: 0 })
  ]);
  const all = await conn.request<{ totalSize: number }>(
    `/services/data/v64.0/queryAll?q=${encodeURIComponent('SELECT Id FROM OpportunityStage')}`
  );
  expect(all.totalSize).toBe(10);
  const first = await conn.query<StageRow>(
    "SELECT ForecastCategoryName, DefaultProbability FROM OpportunityStage WHERE ApiName = 'Prospecting'"
  );
  expect(first.records[0]).toMatchObject({ ForecastCategoryName: 'Pipeline', DefaultProbability: 10 });
});

test('both are describe-able and read-only', async () => {
  const d = await conn.describe('OpportunityStage');
  expect(d).toMatchObject({ name: 'OpportunityStage', keyPrefix: '01J', createable: false, updateable: false, deletable: false });
  expect(d.fields.map((f) => f.name)).toEqual(
    expect.arrayContaining(['ApiName', 'MasterLabel', 'IsClosed', 'IsWon', 'DefaultProbability'])
  );
  const ls = await conn.describe('LeadStatus');
  expect(ls).toMatchObject({ keyPrefix: '01J', createable: false });
  expect(ls.fields.find((f) => f.name === 'IsConverted')).toMatchObject({ type: 'boolean', updateable: false });
  await expect(conn.sobject('LeadStatus').create({ MasterLabel: 'Nope', ApiName: 'Nope' })).rejects.toMatchObject({
    errorCode: 'INVALID_TYPE'
  });
  const id = (await conn.query<StageRow>("SELECT Id FROM OpportunityStage WHERE ApiName = 'Closed Won'")).records[0].Id;
  await expect(conn.sobject('OpportunityStage').update({ Id: id, MasterLabel: 'Won!' })).rejects.toMatchObject({
    errorCode: 'INVALID_TYPE'
  });
  const got = await conn.sobject('OpportunityStage').retrieve(id);
  expect(got).toMatchObject({ ApiName: 'Closed Won', IsWon: true });
});

test('deploying an OpportunityStage set replaces the rows; values that stay keep their Id', async () => {
  const before = await conn.query<StageRow>("SELECT Id FROM OpportunityStage WHERE ApiName = 'Closed Won'");
  const value = (name: string, extra: string) =>
    `<standardValue><fullName>${name}</fullName><default>false</default><label>${name}</label>${extra}</standardValue>`;
  await deployStages(
    `<?xml version="1.0" encoding="UTF-8"?><StandardValueSet xmlns="http://soap.sforce.com/2006/04/metadata"><sorted>false</sorted>` +
      value('Discovery', '<closed>false</closed><probability>20</probability><forecastCategory>Pipeline</forecastCategory>') +
      value('Commit', '<closed>false</closed><probability>80</probability><forecastCategory>Forecast</forecastCategory>') +
      value('Closed Won', '<closed>true</closed><won>true</won><probability>100</probability><forecastCategory>Closed</forecastCategory>') +
      value(
        'Closed - No Decision',
        '<closed>true</closed><won>false</won><probability>0</probability><forecastCategory>Omitted</forecastCategory>'
      ) +
      `</StandardValueSet>`
  );
  const rows = await conn.query<StageRow>(
    'SELECT Id, ApiName, IsClosed, IsWon, SortOrder, ForecastCategoryName FROM OpportunityStage ORDER BY SortOrder'
  );
  expect(rows.records.map((r) => r.ApiName)).toEqual(['Discovery', 'Commit', 'Closed Won', 'Closed - No Decision']);
  expect(rows.records[1]).toMatchObject({ ForecastCategoryName: 'Commit', IsClosed: false });
  expect(rows.records[2]).toMatchObject({ Id: before.records[0].Id, SortOrder: 3 });
  expect(rows.records[3]).toMatchObject({ IsClosed: true, IsWon: false });
});
