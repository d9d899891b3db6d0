import fc from 'fast-check';

/**
 * Generators of bad requests for the hostile-input suite (hostile.test.ts): SOQL, JSON bodies, record
 * ids, field values, headers and GraphQL documents, each as a client would send them over HTTP. They
 * mix grammar-shaped input (a real query with a wrong field, an impossible date, a filter nested too
 * deep), mutations of good input, extremes at the bounds (bounds.ts) and plain garbage.
 */

/** One request: raw method, path (and query string, as sent), headers and body. */
export interface BadRequest {
  family: 'soql' | 'json' | 'id' | 'value' | 'header' | 'graphql';
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: string;
}

/** What the generators need of the org under test: its token and some records that exist. */
export interface Fixture {
  token: string;
  leadId: string;
  accountId: string;
  timerKey: string;
}

const V = '/services/data/v64.0';

const json = (fixture: Fixture) => ({ Authorization: `Bearer ${fixture.token}`, 'content-type': 'application/json' });

// ---- SOQL -------------------------------------------------------------------------------------

const soqlObject = fc.constantFrom(
  'Lead',
  'Account',
  'SLA_Timer__c',
  'User',
  'LeadHistory',
  'Task',
  'Nope__c',
  'lead',
  'FROM',
  'Lead l',
  ''
);
const soqlField = fc.constantFrom(
  'Id',
  'Name',
  'Company',
  'Status',
  'CreatedDate',
  'AnnualRevenue',
  'NumberOfEmployees',
  'ConvertedDate',
  'Owner.Name',
  'Owner.Manager.Name',
  'Lead__r.Name',
  'Manager.Manager.Manager.Manager.Manager.Manager.Name',
  'Bogus__c',
  'COUNT()',
  'COUNT(Id)',
  'COUNT_DISTINCT(Company)',
  'SUM(Name)',
  'MAX(CreatedDate)',
  'CALENDAR_YEAR(CreatedDate)',
  'DAY_ONLY(Name)',
  'FIELDS(ALL)',
  'toLabel(Status)',
  'TYPEOF What WHEN Lead THEN Name END',
  '(SELECT Id FROM Histories)',
  '(SELECT Id, (SELECT Id FROM Histories) FROM Histories)',
  '(SELECT Id FROM Nope)',
  'Id,',
  ',',
  '*'
);
const soqlString = fc.string({ maxLength: 20, unit: 'grapheme' });
const soqlLiteral = fc.oneof(
  fc.integer().map(String),
  fc.double({ noNaN: true, noDefaultInfinity: true }).map(String),
  soqlString.map((s) => `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`),
  soqlString.map((s) => `'${s}'`),
  fc.constantFrom(
    'null',
    'TRUE',
    'false',
    '2026-02-30',
    '2026-02-30T00:00:00Z',
    '2026-13-01',
    '2026-01-01T25:61:61Z',
    'TODAY',
    'LAST_N_DAYS:-1',
    'LAST_N_DAYS:99999999999999',
    'NEXT_N_WEEKS:abc',
    'THIS_FISCAL_QUARTER',
    'USD1000',
    "'%'",
    "'\\\\'",
    "'\\u0000'",
    ':bind',
    '(SELECT Id FROM Lead)',
    '(SELECT LeadId FROM LeadHistory WHERE Field = null)',
    '(SELECT Id, Name FROM Lead)',
    `'${'x'.repeat(4001)}'`
  ),
  fc
    .array(
      fc.oneof(
        fc.integer().map(String),
        soqlString.map((s) => `'${s.replace(/'/g, '')}'`),
        fc.constant('null')
      ),
      { maxLength: 30 }
    )
    .map((l) => `(${l.join(', ')})`)
);
const soqlOperator = fc.constantFrom(
  '=',
  '!=',
  '<>',
  '<',
  '<=',
  '>',
  '>=',
  'LIKE',
  'IN',
  'NOT IN',
  'INCLUDES',
  'EXCLUDES',
  '==',
  'CONTAINS',
  ''
);
const soqlCondition = fc.tuple(soqlField, soqlOperator, soqlLiteral).map(([f, o, l]) => `${f} ${o} ${l}`);
const soqlWhere = fc.letrec<{ expr: string }>((tie) => ({
  expr: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    soqlCondition,
    fc.tuple(tie('expr'), fc.constantFrom('AND', 'OR', 'AND NOT', 'OR OR', ''), tie('expr')).map(([a, o, b]) => `${a} ${o} ${b}`),
    tie('expr').map((e) => `(${e})`),
    tie('expr').map((e) => `NOT ${e}`)
  )
})).expr;
const soqlTail = fc.constantFrom(
  '',
  ' GROUP BY Status',
  ' GROUP BY ROLLUP(Status)',
  ' GROUP BY Nope',
  ' HAVING COUNT(Id) > 1',
  ' ORDER BY Name DESC NULLS LAST',
  ' ORDER BY Nope',
  ' ORDER BY COUNT(Id)',
  ' LIMIT 5',
  ' LIMIT -1',
  ' LIMIT 99999999999999999999',
  ' OFFSET 2001',
  ' OFFSET -5',
  ' FOR UPDATE',
  ' WITH SECURITY_ENFORCED',
  ' USING SCOPE mine'
);
const soqlGrammar = fc
  .tuple(fc.array(soqlField, { minLength: 1, maxLength: 4 }), soqlObject, fc.option(soqlWhere, { nil: undefined }), soqlTail, soqlTail)
  .map(([fields, obj, where, t1, t2]) => `SELECT ${fields.join(', ')} FROM ${obj}${where ? ` WHERE ${where}` : ''}${t1}${t2}`);
const soqlExtreme = fc.oneof(
  fc.nat({ max: 400 }).map((n) => `SELECT Id FROM Lead WHERE ${"(Name = 'a' AND ".repeat(n)}Company = 'b'${')'.repeat(n)}`),
  fc.nat({ max: 3000 }).map((n) => `SELECT Id FROM Lead WHERE ${'NOT '.repeat(n)}Name = 'a'`),
  fc.nat({ max: 1200 }).map((n) => `SELECT Id FROM Lead WHERE ${Array.from({ length: n + 1 }, (_, i) => `Name = '${i}'`).join(' OR ')}`),
  fc.nat({ max: 4000 }).map((n) => `SELECT Id FROM Lead WHERE Name IN (${Array.from({ length: n + 1 }, (_, i) => `'${i}'`).join(',')})`),
  fc
    .nat({ max: 60 })
    .map((n) => `SELECT ${Array.from({ length: n + 1 }, () => 'Owner.Name').join(', ')}, Owner.Manager.Manager.Name FROM Lead`),
  fc.nat({ max: 30 }).map((n) => `SELECT Id, ${Array.from({ length: n + 1 }, () => '(SELECT Id FROM Histories)').join(', ')} FROM Lead`)
);
const valid = "SELECT Id, Name, Owner.Name FROM Lead WHERE Status = 'New' AND CreatedDate > LAST_N_DAYS:30 ORDER BY Name LIMIT 5";
const soqlMutation = fc
  .tuple(fc.nat(), fc.string({ maxLength: 3, unit: 'binary' }), fc.nat({ max: 6 }))
  .map(([at, insert, del]) => valid.slice(0, at % valid.length) + insert + valid.slice((at % valid.length) + del));

export function soqlRequest(fixture: Fixture): fc.Arbitrary<BadRequest> {
  return fc
    .tuple(
      fc.oneof(soqlGrammar, soqlExtreme, soqlMutation, fc.string({ maxLength: 60, unit: 'binary' })),
      fc.constantFrom('query', 'queryAll'),
      fc.boolean()
    )
    .map(([soql, resource, encode]) => ({
      family: 'soql' as const,
      method: 'GET',
      path: `${V}/${resource}?q=${encode ? encodeURIComponent(soql) : soql.replace(/[#\s]/g, '+')}`,
      headers: { Authorization: `Bearer ${fixture.token}` }
    }));
}

// ---- JSON bodies --------------------------------------------------------------------------------

/** JSON text that is not what the resource reads: random values, wrong shapes, truncations, depth. */
const badJsonText = fc.oneof(
  fc.json({ maxDepth: 4 }),
  fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify({ records: Array.isArray(v) ? v : [v], allOrNone: v })),
  fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify({ ids: v, fields: v })),
  fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify({ apiName: v, fields: v })),
  fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify({ query: v, variables: v, operationName: v })),
  fc.tuple(fc.json({ maxDepth: 4 }), fc.nat()).map(([text, cut]) => text.slice(0, cut % Math.max(1, text.length))),
  fc.integer({ min: 995, max: 1010 }).map((d) => `${'['.repeat(d)}${']'.repeat(d)}`),
  fc.integer({ min: 995, max: 1010 }).map((d) => `{"LastName":${'{"a":'.repeat(d)}1${'}'.repeat(d)}}`),
  fc.string({ maxLength: 40, unit: 'binary' })
);

export function jsonRequest(fixture: Fixture): fc.Arbitrary<BadRequest> {
  const targets: Array<[string, string]> = [
    ['POST', `${V}/sobjects/Lead`],
    ['PATCH', `${V}/sobjects/Lead/${fixture.leadId}`],
    ['PATCH', `${V}/sobjects/SLA_Timer__c/Timer_Key__c/${fixture.timerKey}`],
    ['POST', `${V}/composite/sobjects`],
    ['PATCH', `${V}/composite/sobjects`],
    ['PATCH', `${V}/composite/sobjects/SLA_Timer__c/Timer_Key__c`],
    ['POST', `${V}/composite/sobjects/Lead`],
    ['POST', `${V}/ui-api/records`],
    ['PATCH', `${V}/ui-api/records/${fixture.leadId}`],
    ['POST', `${V}/graphql`]
  ];
  return fc.tuple(fc.constantFrom(...targets), badJsonText).map(([[method, path], body]) => ({
    family: 'json' as const,
    method,
    path,
    headers: json(fixture),
    body
  }));
}

// ---- ids ----------------------------------------------------------------------------------------

function idArbitrary(fixture: Fixture): fc.Arbitrary<string> {
  const lead = fixture.leadId;
  return fc.oneof(
    fc.constantFrom(
      lead.toLowerCase(),
      lead.slice(0, 15).toLowerCase(),
      lead.slice(0, 14),
      `${lead}A`,
      `${lead.slice(0, 15)}XXX`,
      fixture.accountId,
      '000000000000000',
      '00Q000000000000AAA',
      '%',
      '%zz',
      '%E0%A4%A',
      '..%2F..%2Fetc',
      'null',
      'undefined',
      '00Q%00',
      'x'.repeat(17_000)
    ),
    fc.stringMatching(/^[A-Za-z0-9]{15,18}$/),
    fc.string({ maxLength: 24, unit: 'grapheme' }).map(encodeURIComponent),
    fc.tuple(fc.nat({ max: 17 }), fc.constantFrom('a', 'Z', '0', '-', '_')).map(([at, c]) => lead.slice(0, at) + c + lead.slice(at + 1))
  );
}

export function idRequest(fixture: Fixture): fc.Arbitrary<BadRequest> {
  const ids = idArbitrary(fixture);
  return fc
    .tuple(ids, fc.array(ids, { maxLength: 4 }), fc.nat({ max: 6 }), fc.constantFrom('GET', 'PATCH', 'DELETE'))
    .map(([id, more, shape, method]) => {
      const paths = [
        `${V}/sobjects/Lead/${id}`,
        `${V}/sobjects/Account/${id}`,
        `${V}/ui-api/records/${id}`,
        `${V}/composite/sobjects?ids=${[id, ...more].join(',')}&allOrNone=true`,
        `${V}/sobjects/SLA_Timer__c/Timer_Key__c/${id}`,
        `${V}/query/${id}`,
        `${V}/ui-api/related-list-records/${id}/Histories?pageToken=${id}`
      ];
      const path = paths[shape];
      const m = shape === 3 ? 'DELETE' : shape >= 5 ? 'GET' : method;
      const patchBody = path.includes('/ui-api/') ? { fields: { Company: 'Id probe' } } : { Company: 'Id probe' };
      return {
        family: 'id' as const,
        method: m,
        path,
        headers: json(fixture),
        body: m === 'PATCH' ? JSON.stringify(patchBody) : undefined
      };
    });
}

// ---- field values -------------------------------------------------------------------------------

const hostileValue = fc.oneof(
  fc.double(),
  fc.integer({ min: -(2 ** 53), max: 2 ** 53 }),
  fc.constantFrom(
    '2026-02-30',
    '2026-02-29T24:00:00Z',
    '2026-02-30T00:00:00.000+0000',
    '0000-01-01',
    '9999-12-31T23:59:59Z',
    '+275760-09-13T00:00:00Z',
    '2026-2-3',
    '1e309',
    '-0',
    '0x10',
    ' 12 ',
    '1,5',
    '1.5',
    'NaN',
    'Infinity',
    'not an email',
    'a@b',
    'javascript:alert(1)',
    '=HYPERLINK("http://evil.example")',
    "Robert'); DROP TABLE Lead;--",
    '\u0000',
    '\ud800',
    'Working - Contacted',
    'Closed - Converted',
    '00Q000000000000AAA',
    '005000000000000AAA',
    '',
    'true',
    'x'.repeat(300)
  ),
  fc.string({ maxLength: 50, unit: 'grapheme' }),
  fc.boolean(),
  fc.constant(null),
  fc.jsonValue({ maxDepth: 2 })
);
const leadField = fc.constantFrom(
  'NumberOfEmployees',
  'AnnualRevenue',
  'Email',
  'Status',
  'ConvertedDate',
  'Phone',
  'Website',
  'OwnerId',
  'IsConverted',
  'Description',
  'FirstName',
  'Rating',
  'LeadSource',
  'CreatedDate',
  'Id',
  'Name',
  'LastName',
  'Company'
);

export function valueRequest(fixture: Fixture): fc.Arbitrary<BadRequest> {
  return fc
    .tuple(fc.dictionary(leadField, hostileValue, { minKeys: 1, maxKeys: 3 }), fc.nat({ max: 3 }), fc.constantFrom(true, 'true', false))
    .map(([values, shape, allOrNone]) => {
      const record = { LastName: 'Value probe', Company: 'Hostile', ...values };
      if (shape === 0)
        return {
          family: 'value' as const,
          method: 'POST',
          path: `${V}/sobjects/Lead`,
          headers: json(fixture),
          body: JSON.stringify(record)
        };
      if (shape === 1)
        return {
          family: 'value' as const,
          method: 'PATCH',
          path: `${V}/sobjects/Lead/${fixture.leadId}`,
          headers: json(fixture),
          body: JSON.stringify(values)
        };
      if (shape === 2)
        return {
          family: 'value' as const,
          method: 'POST',
          path: `${V}/ui-api/records`,
          headers: json(fixture),
          body: JSON.stringify({ apiName: 'Lead', fields: record })
        };
      // a good record and the bad one, all or none: both saved or neither
      return {
        family: 'value' as const,
        method: 'POST',
        path: `${V}/composite/sobjects`,
        headers: json(fixture),
        body: JSON.stringify({
          allOrNone,
          records: [
            { attributes: { type: 'Lead' }, LastName: 'Good', Company: 'Fine' },
            { attributes: { type: 'Lead' }, ...record }
          ]
        })
      };
    });
}

// ---- headers ------------------------------------------------------------------------------------

export function headerRequest(fixture: Fixture): fc.Arbitrary<BadRequest> {
  const authorization = fc.constantFrom(
    '',
    'Bearer',
    `Bearer ${fixture.token}x`,
    `Bearer ${fixture.token.slice(0, -1)}`,
    `bearer ${fixture.token}`,
    `OAuth ${fixture.token}`,
    `Bearer ${' '.repeat(50)}${fixture.token}`,
    `Basic ${Buffer.from('admin:admin').toString('base64')}`,
    fixture.token,
    `Bearer ${fixture.token}`,
    `Bearer ${fixture.token}, Bearer ${fixture.token}`
  );
  const contentType = fc.oneof(
    fc.constantFrom(
      'application/json',
      'application/json; charset=ISO-8859-1',
      'text/plain',
      'application/xml',
      'text/csv',
      'multipart/form-data',
      'multipart/form-data; boundary=',
      'application/x-www-form-urlencoded',
      'application/vnd.api+json',
      '*/*',
      ';;;',
      ''
    ),
    fc.stringMatching(/^[a-z]{1,8}\/[a-z0-9.+-]{1,12}(; ?[a-z]+=[a-z0-9-]{0,8})?$/)
  );
  const target = fc.constantFrom<[string, string, string | undefined]>(
    ['GET', `${V}/limits`, undefined],
    ['GET', `${V}/query?q=SELECT+Id+FROM+Lead+LIMIT+1`, undefined],
    ['POST', `${V}/sobjects/Lead`, JSON.stringify({ LastName: 'Header probe', Company: 'Headers' })],
    ['PUT', `${V}/sobjects/Lead`, '{}'],
    ['OPTIONS', `${V}/sobjects`, undefined],
    ['DELETE', `${V}/limits`, undefined],
    ['POST', `${V}/graphql`, JSON.stringify({ query: '{ uiapi { query { Lead { edges { node { Id } } } } } }' })],
    ['GET', '/services/data', undefined],
    ['GET', '/services/oauth2/userinfo', undefined],
    ['GET', '/', undefined],
    ['POST', '/services/Soap/u/64.0', '<x/>'],
    ['POST', '/services/async/64.0/job', '<jobInfo/>']
  );
  return fc
    .tuple(target, authorization, contentType, fc.option(fc.integer({ min: 15_800, max: 16_600 }), { nil: undefined }), fc.nat({ max: 40 }))
    .map(([[method, path, body], auth, type, padding, extra]) => {
      const headers: Record<string, string> = {};
      if (auth) headers.Authorization = auth;
      if (body !== undefined) headers['content-type'] = type;
      if (padding !== undefined) headers['X-Padding'] = 'p'.repeat(padding);
      for (let i = 0; i < extra; i++) headers[`X-Extra-${i}`] = String(i).repeat(i);
      headers['Sforce-Call-Options'] = `client=${'x'.repeat(extra)}`;
      return { family: 'header' as const, method, path, headers, body };
    });
}

// ---- GraphQL ------------------------------------------------------------------------------------

/** A JSON value written as a GraphQL literal (keys that are not names stay quoted: a syntax error). */
function gqlLiteral(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return `[${v.map(gqlLiteral).join(', ')}]`;
  if (typeof v === 'object') {
    return `{${Object.entries(v as Record<string, unknown>)
      .map(([k, x]) => `${/^[_A-Za-z][_0-9A-Za-z]*$/.test(k) ? k : JSON.stringify(k)}: ${gqlLiteral(x)}`)
      .join(', ')}}`;
  }
  return JSON.stringify(v);
}

const gqlObject = fc.constantFrom('Lead', 'Account', 'SLA_Timer__c', 'User', 'Nope', 'lead', '__typename');
const gqlNodeField = fc.constantFrom(
  'Id',
  'Name { value }',
  'Name { value displayValue label }',
  'Status { displayValue }',
  'CreatedDate { value }',
  'Owner { ... on User { Name { value } } }',
  'Owner { Name { value } }',
  'Histories { edges { node { Id } } }',
  'Nope { value }',
  'Id { value }',
  '__typename',
  '...F',
  '...Missing',
  'Name @include(if: $flag) { value }',
  'Name @deprecated { value }'
);
const gqlFilter = fc.oneof(
  fc.jsonValue({ maxDepth: 3 }),
  fc
    .tuple(
      fc.constantFrom('Name', 'Company', 'AnnualRevenue', 'CreatedDate', 'Owner', 'Nope', 'and', 'or', 'not'),
      fc.constantFrom('eq', 'ne', 'lt', 'in', 'nin', 'like', 'includes', 'range', 'bogus'),
      fc.oneof(fc.jsonValue({ maxDepth: 2 }), fc.constant({ value: '2026-02-30' }), fc.constant({ literal: 'LAST_N_DAYS' }))
    )
    .map(([f, op, v]) => ({ [f]: { [op]: v } }))
);
const gqlArgs = fc
  .tuple(
    fc.option(gqlFilter, { nil: undefined }),
    fc.option(fc.oneof(fc.integer({ min: -5, max: 3000 }), fc.string({ maxLength: 5 })), { nil: undefined }),
    fc.option(fc.oneof(fc.string({ maxLength: 12 }), fc.constant('djE6OTk5OTk5')), { nil: undefined }),
    fc.option(fc.constantFrom('{ Name: { order: DESC } }', '{ Nope: { order: ASC } }', '{ Name: { order: SIDEWAYS } }', '"Name"'), {
      nil: undefined
    }),
    fc.boolean()
  )
  .map(([where, first, after, orderBy, scope]) => {
    const args = [
      where === undefined ? '' : `where: ${gqlLiteral(where)}`,
      first === undefined ? '' : `first: ${gqlLiteral(first)}`,
      after === undefined ? '' : `after: ${gqlLiteral(after)}`,
      orderBy === undefined ? '' : `orderBy: ${orderBy}`,
      scope ? 'scope: EVERYTHING' : ''
    ].filter(Boolean);
    return args.length ? `(${args.join(', ')})` : '';
  });
const gqlQuery = fc
  .tuple(
    fc.array(fc.tuple(gqlObject, gqlArgs, fc.array(gqlNodeField, { maxLength: 4 })), { minLength: 1, maxLength: 13 }),
    fc.nat({ max: 4 })
  )
  .map(([queries, frag]) => {
    const body = queries
      .map(
        ([obj, args, fields], i) =>
          `q${i}: ${obj}${args} { edges { node { ${fields.join(' ') || 'Id'} } } pageInfo { hasNextPage } totalCount }`
      )
      .join(' ');
    const fragments = [
      '',
      'fragment F on Lead { Id }',
      'fragment F on Lead { ...G } fragment G on Lead { ...F }',
      'fragment F on Nope { Id }',
      'fragment F on Lead { Id } fragment F on Lead { Name { value } }'
    ][frag];
    return `query Q($flag: Boolean = true) { uiapi { query { ${body} } } } ${fragments}`;
  });
const goodGraphql = '{ uiapi { query { Lead(first: 5, where: { Status: { eq: "New" } }) { edges { node { Id Name { value } } } } } } }';
const gqlMutation = fc
  .tuple(fc.nat(), fc.string({ maxLength: 3, unit: 'binary' }), fc.nat({ max: 6 }))
  .map(([at, insert, del]) => goodGraphql.slice(0, at % goodGraphql.length) + insert + goodGraphql.slice((at % goodGraphql.length) + del));
const gqlExtreme = fc.oneof(
  fc
    .integer({ min: 90, max: 400 })
    .map(
      (n) => `{ uiapi { query { Lead(where: ${'{ and: ['.repeat(n)}{ Name: { eq: "x" } }${'] }'.repeat(n)}) { edges { node { Id } } } } } }`
    ),
  fc
    .integer({ min: 5, max: 25 })
    .map(
      (n) =>
        `{ uiapi { query { Lead { edges { node { ...F0 } } } } } } ${Array.from({ length: n }, (_, i) => `fragment F${i} on Lead { ...F${i + 1} ...F${i + 1} }`).join(' ')} fragment F${n} on Lead { Id }`
    ),
  fc
    .integer({ min: 9, max: 3000 })
    .map(
      (n) =>
        `{ uiapi { query { ${Array.from({ length: n }, (_, i) => `a${i}: Lead(first: 2000) { edges { node { Id } } }`).join(' ')} } } }`
    ),
  fc.integer({ min: 1, max: 20 }).map((n) => `mutation { uiapi { ${'x'.repeat(n)} } }`)
);

export function graphqlRequest(fixture: Fixture): fc.Arbitrary<BadRequest> {
  return fc
    .tuple(
      fc.oneof(gqlQuery, gqlMutation, gqlExtreme, fc.string({ maxLength: 80, unit: 'binary' })),
      fc.option(fc.jsonValue({ maxDepth: 3 }), { nil: undefined }),
      fc.option(fc.oneof(fc.constant('Q'), fc.string({ maxLength: 6 })), { nil: undefined })
    )
    .map(([query, variables, operationName]) => ({
      family: 'graphql' as const,
      method: 'POST',
      path: `${V}/graphql`,
      headers: json(fixture),
      body: JSON.stringify({ query, variables, operationName })
    }));
}
