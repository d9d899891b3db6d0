import { Connection } from 'jsforce';
import { startTestOrg, TestOrg } from '../testing';

/**
 * SOQL and GraphQL under hostile input: every bound refused with the real API's error, the queries a
 * real org runs (a 5,000-way OR) run, and no request stalls the others.
 */
let org: TestOrg;
let auth: Record<string, string>;
let base: string;

beforeAll(async () => {
  org = await startTestOrg();
  auth = { Authorization: `Bearer ${org.accessToken}`, 'content-type': 'application/json' };
  base = `${org.instanceUrl}/services/data/v64.0`;
  await org.conn.sobject('Lead').create(
    Array.from({ length: 30 }, (_, i) => ({ LastName: `Bound ${i}`, Company: i % 2 ? 'Odd' : 'Even', Status: 'New' })),
    { allOrNone: true }
  );
});
afterAll(() => org.close());

interface SfError {
  message: string;
  errorCode: string;
}
interface GraphqlAnswer {
  data: Record<string, unknown> | null;
  errors: Array<{ message: string; extensions: { ErrorType: string } }>;
}

async function soqlError(soql: string): Promise<SfError & { status: number }> {
  const res = await fetch(`${base}/query?q=${encodeURIComponent(soql)}`, { headers: auth });
  const body = (await res.json()) as SfError[];
  return { status: res.status, ...body[0] };
}

async function graphql(query: string, variables?: unknown): Promise<GraphqlAnswer> {
  const res = await fetch(`${base}/graphql`, { method: 'POST', headers: auth, body: JSON.stringify({ query, variables }) });
  expect(res.status).toBe(200);
  return (await res.json()) as GraphqlAnswer;
}

const LEADS = (where = '') => `query($w: Lead_Filter) { uiapi { query { Lead(where: $w${where}) { edges { node { Id } } totalCount } } } }`;

test('SELECT Company, COUNT(Id) … GROUP BY Status is MALFORMED_QUERY "Field must be grouped or aggregated"', async () => {
  expect(await soqlError('SELECT Company, COUNT(Id) FROM Lead GROUP BY Status')).toMatchObject({
    status: 400,
    errorCode: 'MALFORMED_QUERY',
    message: 'Field must be grouped or aggregated: Company'
  });
  expect(await soqlError('SELECT Company, COUNT(Id) FROM Lead')).toMatchObject({ message: 'Field must be grouped or aggregated: Company' });
  expect(await soqlError('SELECT Status, COUNT(Id) FROM Lead GROUP BY Status ORDER BY Company')).toMatchObject({
    message: 'Ordered field must be grouped or aggregated: Company'
  });
  const grouped = await org.conn.query<{ Company: string; n: number }>(
    'SELECT Company, COUNT(Id) n FROM Lead GROUP BY Company ORDER BY Company'
  );
  expect(grouped.records.map((r) => [r.Company, r.n])).toEqual([
    ['Even', 15],
    ['Odd', 15]
  ]);
});

test('SOQL bounds: WHERE strings over 4,000 characters, parent paths over 5 levels, nesting over 100', async () => {
  expect(await soqlError(`SELECT Id FROM Lead WHERE Name = '${'n'.repeat(4001)}'`)).toMatchObject({
    errorCode: 'MALFORMED_QUERY',
    message: expect.stringMatching(/can't exceed 4000 characters/)
  });
  expect((await org.conn.query(`SELECT Id FROM Lead WHERE Name = '${'n'.repeat(4000)}'`)).totalSize).toBe(0);
  expect(await soqlError('SELECT Manager.Manager.Manager.Manager.Manager.Manager.Name FROM User')).toMatchObject({
    errorCode: 'MALFORMED_QUERY',
    message: expect.stringMatching(/at most 5 levels/)
  });
  expect((await org.conn.query('SELECT Manager.Manager.Manager.Manager.Manager.Name FROM User')).totalSize).toBeGreaterThan(0);
  const nested = (n: number) => `SELECT Id FROM Lead WHERE ${"(Company = 'Odd' AND ".repeat(n)}Status = 'New'${')'.repeat(n)}`;
  expect(await soqlError(nested(101))).toMatchObject({ status: 400, errorCode: 'QUERY_TOO_COMPLICATED' });
  expect((await org.conn.query(nested(100))).totalSize).toBe(15);
});

test('a 400-way OR and a 1,000-value IN run (the URL limit bounds SOQL sent by GET); a 20 KB one is 414', async () => {
  const names = (n: number) => Array.from({ length: n }, (_, i) => (i < 30 ? `Bound ${i}` : `b${i}`));
  const or = names(400)
    .map((n) => `Name='${n}'`)
    .join(' OR ');
  expect((await org.conn.query(`SELECT Id FROM Lead WHERE ${or}`)).totalSize).toBe(30);
  const inList = names(1000)
    .map((n) => `'${n}'`)
    .join(',');
  expect((await org.conn.query(`SELECT Id FROM Lead WHERE Name IN (${inList})`)).totalSize).toBe(30);
  const long = await soqlError(`SELECT Id FROM Lead WHERE ${Array.from({ length: 1500 }, (_, i) => `Name='Bound ${i}'`).join(' OR ')}`);
  expect(long).toMatchObject({ status: 414, errorCode: 'URI_TOO_LONG' });
});

test('GraphQL: a 5,000-way or answers; 40,000 in values and a 3,000-deep and are refused with their reasons', async () => {
  // a 5,000-way or whose SOQL fits in 100,000 characters
  const or = await graphql(LEADS(), {
    w: { or: Array.from({ length: 5000 }, (_, i) => ({ Name: { eq: i < 30 ? `Bound ${i}` : `b${i}` } })) }
  });
  expect(or.errors).toEqual([]);
  expect(or.data).toMatchObject({ uiapi: { query: { Lead: { totalCount: 30 } } } });

  const many = await graphql(LEADS(), { w: { Name: { in: Array.from({ length: 40_000 }, (_, i) => `Bound ${i}`) } } });
  expect(many.data).toBeNull();
  expect(many.errors[0].message).toMatch(/MALFORMED_QUERY.*100000 characters/);

  // 3,000 levels in the document: refused before parsing
  const deepDoc = `query { uiapi { query { Lead(where: ${'{ and: ['.repeat(3000)}{ Name: { eq: "x" } }${'] }'.repeat(3000)}) { edges { node { Id } } } } } }`;
  const deep = await graphql(deepDoc);
  expect(deep.errors).toEqual([expect.objectContaining({ extensions: { ErrorType: 'InvalidSyntax' } })]);
  expect(deep.errors[0].message).toMatch(/More than 100 nested/);
  // 3,000 levels in the variables: the JSON nests past 1,000
  const deepVars = await fetch(`${base}/graphql`, {
    method: 'POST',
    headers: auth,
    body: `{"query":${JSON.stringify(LEADS())},"variables":{"w":${'{"and":['.repeat(3000)}{"Name":{"eq":"x"}}${']}'.repeat(3000)}}}`
  });
  expect(deepVars.status).toBe(400);
  expect(((await deepVars.json()) as SfError[])[0].errorCode).toBe('JSON_PARSER_ERROR');
  // 400 levels of and in the variables flatten into one condition
  const flat = await fetch(`${base}/graphql`, {
    method: 'POST',
    headers: auth,
    body: `{"query":${JSON.stringify(LEADS())},"variables":{"w":${'{"and":[{"Company":{"eq":"Odd"}},'.repeat(400)}{"Status":{"eq":"New"}}${']}'.repeat(400)}}}`
  });
  expect(((await flat.json()) as GraphqlAnswer).data).toMatchObject({ uiapi: { query: { Lead: { totalCount: 15 } } } });
  expect(org.serverLog).toEqual([]);
});

test('GraphQL: more than 10 subqueries, selections or answer values over the bounds are ExecutionAborted', async () => {
  const aliases = (n: number, first = 10) =>
    `query { uiapi { query { ${Array.from({ length: n }, (_, i) => `q${i}: Lead(first: ${first}) { edges { node { Id } } }`).join(' ')} } } }`;
  expect((await graphql(aliases(10))).errors).toEqual([]);
  const eleven = await graphql(aliases(11));
  expect(eleven.errors).toEqual([
    expect.objectContaining({ message: expect.stringMatching(/up to 10 subqueries/), extensions: { ErrorType: 'ExecutionAborted' } })
  ]);
  // fragments that spread each other twice over: 2^20 fields once expanded
  const frags = Array.from({ length: 20 }, (_, i) => `fragment F${i} on Lead { ...F${i + 1} ...F${i + 1} }`).join(' ');
  const bomb = await graphql(`
    query {
      uiapi {
        query {
          Lead {
            edges {
              node {
                ...F0
              }
            }
          }
        }
      }
    }
    ${frags}
    fragment F20 on Lead {
      Id
    }
  `);
  expect(bomb.errors[0]).toMatchObject({
    message: expect.stringMatching(/more than 5000 fields/),
    extensions: { ErrorType: 'ExecutionAborted' }
  });
  const fields = Array.from({ length: 60 }, (_, i) => `f${i}: Name { value displayValue }`).join(' ');
  const wide = await graphql(
    `query { uiapi { query { ${Array.from({ length: 2 }, (_, i) => `q${i}: Lead(first: 2000) { edges { node { ${fields} } } }`).join(' ')} } } }`
  );
  expect(wide.errors[0]).toMatchObject({
    message: expect.stringMatching(/more than 200000 values/),
    extensions: { ErrorType: 'ExecutionAborted' }
  });
});

test('a 200 KB GraphQL request (2,500 aliases × Lead(first: 2000)) is cancelled while parsing; other clients are answered meanwhile', async () => {
  const big = `query { uiapi { query { ${Array.from({ length: 2500 }, (_, i) => `a${i}: Lead(first: 2000) { edges { node { Id Name { value } Company { value } } } }`).join(' ')} } } }`;
  expect(big.length).toBeGreaterThan(200_000);
  const other = new Connection({ instanceUrl: org.instanceUrl, accessToken: org.accessToken, version: '64.0' });
  // the refusal's cost does not grow with the document: parsing stops at the 15,001st token, before
  // any alias is planned or any query runs (its time is measured in `npm run bench -- hostile`)
  const answered = org.answered.length;
  const [refused, ...meanwhile] = await Promise.all([
    graphql(big),
    ...Array.from({ length: 5 }, () => other.query<{ Name: string }>('SELECT Id, Name FROM Lead'))
  ]);
  expect(refused).toEqual({
    data: null,
    errors: [
      expect.objectContaining({
        message: "More than 15000 'grammar' tokens have been presented. To prevent Denial Of Service attacks, parsing has been cancelled.",
        extensions: { ErrorType: 'InvalidSyntax' }
      })
    ]
  });
  for (const m of meanwhile) expect(m.totalSize).toBe(30);
  expect(org.answered.slice(answered).map((a) => a.status)).toEqual([200, 200, 200, 200, 200, 200]);
  // ten times the size is refused before parsing, by graphql-java's character limit
  const huge = await graphql(`
    ${big}
    ${' '.repeat(1_048_576)}
  `);
  expect(huge.errors[0].message).toMatch(/^More than 1048576 characters have been presented/);
  expect(org.serverLog).toEqual([]);
});

test('a query past its time budget is 400 QUERY_TIMEOUT, and the org keeps serving', async () => {
  const slow = await startTestOrg({ queryTimeoutMs: 1, sourceDirs: [] });
  try {
    for (let i = 0; i < 15; i++) {
      await slow.conn.sobject('Account').create(
        Array.from({ length: 200 }, (_, j) => ({ Name: `Account ${i}-${j}` })),
        { allOrNone: true }
      );
    }
    // every row tests 300 LIKE patterns: the budget (checked every 1,024 rows) is long gone at row 1,024
    const likes = Array.from({ length: 300 }, (_, i) => `Name LIKE '%q${i}%'`).join(' OR ');
    const res = await fetch(
      `${slow.instanceUrl}/services/data/v64.0/query?q=${encodeURIComponent(`SELECT Id FROM Account WHERE ${likes}`)}`,
      {
        headers: { Authorization: `Bearer ${slow.accessToken}` }
      }
    );
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual([{ message: 'Your query request was running for too long.', errorCode: 'QUERY_TIMEOUT', fields: [] }]);
    expect((await slow.conn.query("SELECT Id FROM User WHERE Name = 'Local Admin'")).totalSize).toBe(1);
  } finally {
    await slow.close();
  }
});
