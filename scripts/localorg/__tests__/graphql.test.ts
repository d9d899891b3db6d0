import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Connection } from 'jsforce';
import { PACKAGE_DIR } from '../../project';
import { startTestOrg, TestOrg } from '../testing';

/** The UI API GraphQL endpoint (`POST /services/data/vXX.X/graphql`) through jsforce and plain HTTP. */
/* eslint-disable @typescript-eslint/no-explicit-any -- GraphQL answers are nested JSON */
let org: TestOrg;
let conn: Connection;
const NOW = Date.parse('2026-06-17T16:00:00Z');
const leadIds: string[] = [];

interface Answer {
  data: any;
  errors: Array<{ message: string; locations: Array<{ line: number; column: number }>; extensions: { ErrorType: string } }>;
}

const gql = (query: string, variables?: Record<string, unknown>, operationName?: string) =>
  conn.request<Answer>({
    method: 'POST',
    url: '/services/data/v64.0/graphql',
    body: JSON.stringify({ query, variables, operationName }),
    headers: { 'content-type': 'application/json' }
  });

async function insertMany(type: string, records: Array<Record<string, unknown>>): Promise<string[]> {
  const res = await conn.request<Array<{ id: string; success: boolean }>>({
    method: 'POST',
    url: '/services/data/v64.0/composite/sobjects',
    body: JSON.stringify({ allOrNone: true, records: records.map((r) => ({ attributes: { type }, ...r })) }),
    headers: { 'content-type': 'application/json' }
  });
  if (res.some((r) => !r.success)) throw new Error(JSON.stringify(res));
  return res.map((r) => r.id);
}

beforeAll(async () => {
  org = await startTestOrg({ now: () => new Date(NOW) });
  conn = org.conn;
  leadIds.push(
    ...(await insertMany(
      'Lead',
      Array.from({ length: 25 }, (_, i) => ({
        LastName: `Graph${String(i).padStart(2, '0')}`,
        Company: i % 2 ? 'Acme' : "O'Brien & Co",
        Status: i % 3 ? 'Marketing Qualified' : 'New',
        LeadSource: i % 5 === 0 ? null : 'Web',
        AnnualRevenue: i % 4 === 0 ? null : i * 1000,
        CreatedDate: new Date(NOW - i * 86400000).toISOString()
      }))
    ))
  );
  await insertMany(
    'Lead_Quality_Feedback__c',
    leadIds.slice(0, 4).map((id, i) => ({ Lead__c: id, Disposition__c: i % 2 ? 'Reject' : 'Accept', Rating__c: i + 1 }))
  );
});
afterAll(() => org.close());

test('the alignmentScorecard query (Scorecard_Snapshot__c) answers as the component reads it', async () => {
  const source = fs.readFileSync(path.join(PACKAGE_DIR, 'main', 'default', 'lwc', 'alignmentScorecard', 'alignmentScorecard.js'), 'utf8');
  const query = /gql`([\s\S]*?)`/.exec(source)![1];
  const snapshot = (side: string, name: string, extra: Record<string, unknown> = {}) => ({
    Name: name,
    Commitment__c: name.replace(/ /g, '_'),
    Side__c: side,
    Metric__c: name,
    Unit__c: 'Percent',
    Comparison__c: 'At Least',
    Target__c: 90,
    Actual__c: 92.5,
    Result__c: 'Met',
    Period_Label__c: 'Q2 2026',
    Trend__c: JSON.stringify([{ label: 'Q1 2026', actual: 88, result: 'Missed' }]),
    Report_Name__c: 'SLA_Compliance',
    Computed_At__c: '2026-06-17T15:00:00.000Z',
    ...extra
  });
  await insertMany('Scorecard_Snapshot__c', [
    snapshot('Sales', 'Win/Loss Review Completion'),
    snapshot('Marketing', 'MQL Volume', {
      Unit__c: 'Count',
      Target__c: 400,
      Actual__c: 201,
      Result__c: 'Off pace',
      Pace__c: 'behind pace: 201 of 240 expected by today',
      Expected_To_Date__c: 240,
      Report_Url__c: '/reports/Funnel_Conversion_And_Velocity?period=2026-06-01..2026-06-30'
    }),
    snapshot('Sales', 'Accept Within SLA'),
    snapshot('Marketing', 'Average Lead Quality', { Description__c: 'Mean rating of feedback' })
  ]);
  const r = await gql(query, undefined, 'alignmentScorecard');
  expect(r.errors).toEqual([]);
  const nodes = r.data.uiapi.query.Scorecard_Snapshot__c.edges.map((e: any) => e.node);
  expect(nodes.map((n: any) => `${n.Side__c.value}/${n.Name.value}`)).toEqual([
    'Marketing/Average Lead Quality',
    'Marketing/MQL Volume',
    'Sales/Accept Within SLA',
    'Sales/Win/Loss Review Completion'
  ]);
  expect(nodes[1]).toMatchObject({
    Unit__c: { value: 'Count' },
    Target__c: { value: 400 },
    Result__c: { value: 'Off pace' },
    Pace__c: { value: 'behind pace: 201 of 240 expected by today' },
    Expected_To_Date__c: { value: 240 },
    Report_Url__c: { value: '/reports/Funnel_Conversion_And_Velocity?period=2026-06-01..2026-06-30' }
  });
  expect(nodes[0]).toMatchObject({
    Description__c: { value: 'Mean rating of feedback' },
    Computed_At__c: { value: '2026-06-17T15:00:00.000Z' }
  });
  expect(JSON.parse(nodes[2].Trend__c.value)).toEqual([{ label: 'Q1 2026', actual: 88, result: 'Missed' }]);
  expect(nodes[2].Id).toMatch(/^[a-zA-Z0-9]{18}$/);
  expect(Object.keys(nodes[0]).sort()).toEqual(
    [
      'Id',
      'Name',
      'Commitment__c',
      'Side__c',
      'Metric__c',
      'Unit__c',
      'Comparison__c',
      'Target__c',
      'Actual__c',
      'Result__c',
      'Pace__c',
      'Expected_To_Date__c',
      'Period_Label__c',
      'Trend__c',
      'Report_Name__c',
      'Report_Id__c',
      'Report_Url__c',
      'Description__c',
      'Computed_At__c'
    ].sort()
  );
});

test('where: eq (case-insensitive, quotes), ne, comparisons, in/nin, like, and/or/not, parent fields, dates', async () => {
  const names = async (where: string, variables?: Record<string, unknown>, decl = '') => {
    const r = await gql(
      `query q${decl} { uiapi { query { Lead(where: ${where}, orderBy: { LastName: { order: ASC } }, first: 100) { edges { node { LastName { value } } } } } } }`,
      variables
    );
    expect(r.errors).toEqual([]);
    return r.data.uiapi.query.Lead.edges.map((e: any) => e.node.LastName.value as string);
  };
  expect(await names('{ Company: { eq: "o\'brien & CO" }, LastName: { like: "Graph0%" } }')).toEqual([
    'Graph00',
    'Graph02',
    'Graph04',
    'Graph06',
    'Graph08'
  ]);
  expect((await names('{ LeadSource: { ne: "Web" } }')).length).toBe(5); // ne keeps nulls, as SOQL does
  expect(await names('{ AnnualRevenue: { gte: 20000, lt: 23000 } }')).toEqual(['Graph21', 'Graph22']);
  expect(await names('{ LastName: { in: ["Graph01", "Graph03", "Nobody"] } }')).toEqual(['Graph01', 'Graph03']);
  expect((await names('{ LastName: { nin: ["Graph01", "Graph03"] }, Company: { eq: "Acme" } }')).length).toBe(10);
  expect(
    await names('{ or: [{ LastName: { eq: "Graph07" } }, { and: [{ Company: { eq: "Acme" } }, { AnnualRevenue: { gt: 22000 } }] }] }')
  ).toEqual(['Graph07', 'Graph23']);
  expect((await names('{ not: { Company: { eq: "Acme" } } }')).length).toBe(13);
  expect(await names('{ AnnualRevenue: { eq: null }, Company: { eq: "Acme" } }')).toEqual([]);
  expect((await names('{ CreatedDate: { eq: { literal: TODAY } } }')).length).toBe(1);
  expect(await names('{ CreatedDate: { gt: { value: "2026-06-14T00:00:00Z" } } }')).toEqual(['Graph00', 'Graph01', 'Graph02', 'Graph03']);
  // variables, and a filter on a parent's fields
  expect(await names('{ LastName: { in: $names } }', { names: ['Graph05', 'Graph06'] }, '($names: [String])')).toEqual([
    'Graph05',
    'Graph06'
  ]);
  const fb = await gql(`{ uiapi { query { Lead_Quality_Feedback__c(where: { Lead__r: { LastName: { eq: "Graph01" } } }) {
    edges { node { Disposition__c { value displayValue } Rating__c { value } Lead__r { Id LastName { value } Company { value } } } } } } } }`);
  expect(fb.errors).toEqual([]);
  expect(fb.data.uiapi.query.Lead_Quality_Feedback__c.edges).toEqual([
    {
      node: {
        Disposition__c: { value: 'Reject', displayValue: 'Reject' },
        Rating__c: { value: 2 },
        Lead__r: { Id: leadIds[1], LastName: { value: 'Graph01' }, Company: { value: 'Acme' } }
      }
    }
  ]);
});

test('orderBy with nulls, first/after paging with pageInfo and totalCount, aliases, fragments, polymorphic Owner', async () => {
  const query = `query page($after: String) {
    uiapi { query {
      leads: Lead(where: { Company: { eq: "Acme" } }, orderBy: { AnnualRevenue: { order: DESC, nulls: LAST }, LastName: { order: ASC } }, first: 5, after: $after) {
        totalCount
        pageResultCount
        edges { cursor node { ...leadFields owner: Owner { __typename ... on User { Username { value } } } } }
        pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
      }
    } }
  }
  fragment leadFields on Lead { Id name: LastName { value } AnnualRevenue { value displayValue } }`;
  const seen: Array<number | null> = [];
  let after: string | null = null;
  let pages = 0;
  for (;;) {
    const r: Answer = await gql(query, { after });
    expect(r.errors).toEqual([]);
    const c = r.data.uiapi.query.leads;
    expect(c.totalCount).toBe(12);
    expect(c.pageInfo.hasPreviousPage).toBe(pages > 0);
    expect(c.pageResultCount).toBe(c.edges.length);
    expect(c.pageInfo.endCursor).toBe(c.edges[c.edges.length - 1].cursor);
    for (const e of c.edges) {
      seen.push(e.node.AnnualRevenue.value);
      expect(e.node.owner).toEqual({ __typename: 'User', Username: { value: 'admin@closed-loop.local' } });
      expect(Object.keys(e.node)).toEqual(['Id', 'name', 'AnnualRevenue', 'owner']);
    }
    pages++;
    if (!c.pageInfo.hasNextPage) break;
    after = c.pageInfo.endCursor;
  }
  expect(pages).toBe(3);
  expect(seen).toEqual([23000, 21000, 19000, 17000, 15000, 13000, 11000, 9000, 7000, 5000, 3000, 1000]);
  const money = await gql(
    '{ uiapi { query { Lead(where: { LastName: { eq: "Graph01" } }) { edges { node { AnnualRevenue { displayValue } } } } } } }'
  );
  expect(money.data.uiapi.query.Lead.edges[0].node.AnnualRevenue.displayValue).toBe('$1,000.00');
  // the default page size is 10
  const defaults = await gql('{ uiapi { query { Lead { edges { node { Id } } pageInfo { hasNextPage } } } } }');
  expect(defaults.data.uiapi.query.Lead.edges).toHaveLength(10);
  expect(defaults.data.uiapi.query.Lead.pageInfo.hasNextPage).toBe(true);
});

test('invalid and unsupported queries answer 200 with errors naming the problem', async () => {
  const syntax = await gql('{ uiapi { query { Lead { edges { node { Id } } }');
  expect(syntax).toMatchObject({ data: null, errors: [{ extensions: { ErrorType: 'InvalidSyntax' } }] });
  expect(syntax.errors[0].locations[0].line).toBe(1);

  const unknown = await gql('{\n  uiapi { query { Lead { edges { node { Nope__c { value } } } } } }\n}');
  expect(unknown.data).toBeNull();
  expect(unknown.errors).toEqual([
    {
      message: "Validation error (FieldUndefined@[uiapi/query/Lead/edges/node/Nope__c]) : Field 'Nope__c' in type 'Lead' is undefined",
      locations: [{ line: 2, column: 41 }],
      extensions: { ErrorType: 'ValidationError' }
    }
  ]);
  const cases: Array<[string, RegExp]> = [
    ['mutation { uiapi { LeadCreate(input: {}) { Record { Id } } } }', /queries only, not mutations/],
    [
      '{ uiapi { query { Lead { edges { node { Lead_Quality_Feedback__r { edges { node { Id } } } } } } } } }',
      /Child relationship Lead.Lead_Quality_Feedback__r/
    ],
    ['{ uiapi { query { Lead(scope: MINE) { edges { node { Id } } } } } }', /Argument 'scope'/],
    ['{ uiapi { objectInfos(apiNames: ["Lead"]) { ApiName } } }', /uiapi.objectInfos is not supported/],
    ['{ uiapi { query { Nope__c { edges { node { Id } } } } } }', /Field 'Nope__c' in type 'RecordQuery' is undefined/],
    ['{ uiapi { query { Lead(where: { Bogus: { eq: "x" } }) { edges { node { Id } } } } } }', /not in 'Lead_Filter': 'Bogus'/],
    ['{ uiapi { query { Lead(where: { AnnualRevenue: { eq: "lots" } }) { edges { node { Id } } } } } }', /must be a number/],
    ['{ uiapi { query { Lead(where: { LastName: { regex: "x" } }) { edges { node { Id } } } } } }', /Operator 'regex'/],
    ['{ uiapi { query { Lead(first: 5000) { edges { node { Id } } } } } }', /'first' must be an integer from 0 to 2000/],
    ['{ uiapi { query { Lead(after: "bm9wZQ==") { edges { node { Id } } } } } }', /not a cursor/],
    ['{ uiapi { query { Lead { edges { node { LastName } } } } } }', /Sub selection required/],
    ['{ uiapi { query { Lead { edges { node { Owner { Username { value } } } } } } } }', /inline fragment/],
    ['query q($id: ID!) { uiapi { query { Lead(where: { Id: { eq: $id } }) { edges { node { Id } } } } } }', /Variable 'id'/]
  ];
  for (const [query, message] of cases) {
    const r = await gql(query);
    expect(r.data).toBeNull();
    expect(r.errors.map((e) => e.message).join('\n')).toMatch(message);
    expect(r.errors.every((e) => e.extensions.ErrorType === 'ValidationError')).toBe(true);
  }
  // several problems are all reported
  const two = await gql('{ uiapi { query { Lead { edges { node { A__c { value } B__c { value } } } } } } }');
  expect(two.errors).toHaveLength(2);
  const polymorphic = await gql(
    '{ uiapi { query { Lead { edges { node { Owner { Username { value } ... on Group { Name { value } } } } } } } } }'
  );
  expect(polymorphic.errors.map((e) => e.message)).toEqual([expect.stringContaining("Field 'Username' in type 'Owner' is undefined")]);
  // plain HTTP: no token is 401; GET is not the way to call it
  const url = `${org.instanceUrl}/services/data/v64.0/graphql`;
  expect((await fetch(url, { method: 'POST', body: '{}' })).status).toBe(401);
  expect((await fetch(url, { headers: { authorization: `Bearer ${org.accessToken}` } })).status).toBe(405);
  const viaFetch = await fetch(url, {
    method: 'POST',
    headers: { authorization: `Bearer ${org.accessToken}`, 'content-type': 'application/json' },
    body: JSON.stringify({ query: '{ uiapi { query { Lead(first: 1) { totalCount } } } }' })
  });
  expect(viaFetch.status).toBe(200);
  expect(await viaFetch.json()).toEqual({ data: { uiapi: { query: { Lead: { totalCount: 25 } } } }, errors: [] });
});
