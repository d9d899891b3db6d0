import * as http from 'node:http';
import * as net from 'node:net';
import type { AddressInfo } from 'node:net';
import { sendReply } from '../http/reply';
import { startTestOrg, TestOrg } from '../testing';

/**
 * The HTTP shell under hostile input: every bound answered with its status and a JSON error body,
 * never a reset connection, a bare status line or a 500 with internals, and the org keeps serving.
 */
let org: TestOrg;
let auth: Record<string, string>;
let base: string;

beforeAll(async () => {
  org = await startTestOrg();
  auth = { Authorization: `Bearer ${org.accessToken}` };
  base = `${org.instanceUrl}/services/data/v64.0`;
});
afterAll(() => org.close());

interface SfError {
  message: string;
  errorCode: string;
  fields?: string[];
}

async function errorOf(res: Response): Promise<SfError> {
  expect(res.headers.get('content-type')).toMatch(/^application\/json/);
  const body = (await res.json()) as SfError[];
  expect(Array.isArray(body)).toBe(true);
  expect(body).toHaveLength(1);
  expect(typeof body[0].message).toBe('string');
  return body[0];
}

/** A raw HTTP/1.1 exchange over a socket: what the server writes back, until it closes. */
function raw(request: string | Buffer): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(new URL(org.instanceUrl).port ? Number(new URL(org.instanceUrl).port) : 80, '127.0.0.1');
    const chunks: Buffer[] = [];
    socket.on('data', (c: Buffer) => chunks.push(c));
    socket.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    socket.on('error', reject);
    socket.write(request);
  });
}

async function stillServing(): Promise<void> {
  const res = await fetch(`${base}/limits`, { headers: auth });
  expect(res.status).toBe(200);
}

test('a URI over 16,384 bytes is 414 URI_TOO_LONG and URI plus headers over it 431, with JSON bodies', async () => {
  const longQuery = await fetch(`${base}/query?q=${encodeURIComponent(`SELECT Id FROM Lead WHERE Name = '${'x'.repeat(17_000)}'`)}`, {
    headers: auth
  });
  expect(longQuery.status).toBe(414);
  expect(await errorOf(longQuery)).toMatchObject({ errorCode: 'URI_TOO_LONG', message: expect.stringMatching(/16384 byte limit/) });

  const bigHeaders = await fetch(`${base}/limits`, { headers: { ...auth, 'X-Padding': 'p'.repeat(16_500) } });
  expect(bigHeaders.status).toBe(431);
  expect((await errorOf(bigHeaders)).errorCode).toBe('REQUEST_HEADER_FIELDS_TOO_LARGE');

  // past what Node's parser takes at all, the answer is still JSON (Node alone answers a bare 431)
  const huge = await raw(`GET /services/data/v64.0/limits HTTP/1.1\r\nHost: x\r\nX-Padding: ${'p'.repeat(70_000)}\r\n\r\n`);
  expect(huge).toMatch(/^HTTP\/1\.1 431 /);
  expect(huge).toMatch(/"errorCode":"REQUEST_HEADER_FIELDS_TOO_LARGE"/);
  // a URI too long for the parser is answered for the combined limit it also exceeds
  const hugeUri = await raw(`GET /services/data/v64.0/query?q=${'x'.repeat(70_000)} HTTP/1.1\r\nHost: x\r\n\r\n`);
  expect(hugeUri).toMatch(/^HTTP\/1\.1 (414|431) /);
  expect(hugeUri).toMatch(/"errorCode":"(URI_TOO_LONG|REQUEST_HEADER_FIELDS_TOO_LARGE)"/);
  const garbage = await raw('THIS IS NOT HTTP\r\n\r\n');
  expect(garbage).toMatch(/^HTTP\/1\.1 400 /);
  expect(garbage).toMatch(/"errorCode":"BAD_REQUEST"/);
  await stillServing();
});

test('a 70 MB body is 413 REQUEST_ENTITY_TOO_LARGE with a JSON body, not a reset connection', async () => {
  const res = await fetch(`${base}/sobjects/Lead`, {
    method: 'POST',
    headers: { ...auth, 'content-type': 'application/json' },
    body: Buffer.alloc(70 * 1024 * 1024, 0x20)
  });
  expect(res.status).toBe(413);
  expect(await errorOf(res)).toMatchObject({ errorCode: 'REQUEST_ENTITY_TOO_LARGE', message: expect.stringMatching(/50 MB/) });
  await stillServing();
  expect((await org.conn.query('SELECT COUNT() FROM Lead')).totalSize).toBe(0);
});

test('JSON nested 100,000 deep is JSON_PARSER_ERROR (Jackson’s nesting limit), not a stack overflow', async () => {
  for (const body of ['['.repeat(100_000) + ']'.repeat(100_000), `{"LastName":${'['.repeat(100_000)}${']'.repeat(100_000)}}`]) {
    const res = await fetch(`${base}/sobjects/Lead`, { method: 'POST', headers: { ...auth, 'content-type': 'application/json' }, body });
    expect(res.status).toBe(400);
    expect(await errorOf(res)).toMatchObject({ errorCode: 'JSON_PARSER_ERROR', message: expect.stringMatching(/nesting depth \(1001\)/) });
  }
  // 1,000 deep is still JSON: the value is then refused for the field, as any other wrong value
  const deep = await fetch(`${base}/sobjects/Lead`, {
    method: 'POST',
    headers: { ...auth, 'content-type': 'application/json' },
    body: `{"LastName":${'['.repeat(999)}${']'.repeat(999)}}`
  });
  expect(deep.status).toBe(400);
  expect((await errorOf(deep)).errorCode).toBe('JSON_PARSER_ERROR');
  await stillServing();
});

test('a malformed % escape in the path, an unknown API version and an unparsable target are 404 NOT_FOUND', async () => {
  for (const path of ['/services/data/v64.0/sobjects/Lead/%E0%A4%A', '/services/data/v64.0/sobjects/%', '/services/data/v999.0/limits']) {
    const res = await fetch(`${org.instanceUrl}${path}`, { headers: auth });
    expect(res.status).toBe(404);
    expect(await errorOf(res)).toMatchObject({ errorCode: 'NOT_FOUND', message: 'The requested resource does not exist' });
  }
  const versions = (await (await fetch(`${org.instanceUrl}/services/data`, { headers: auth })).json()) as Array<{ version: string }>;
  expect(versions.map((v) => v.version)).not.toContain('999.0');
  const absolute = await raw(
    `GET http://evil.example/services/data/v64.0/limits HTTP/1.1\r\nHost: evil.example\r\nAuthorization: Bearer ${org.accessToken}\r\nConnection: close\r\n\r\n`
  );
  expect(absolute).toMatch(/^HTTP\/1\.1 200 /);
});

test('a JSON resource sent text/plain is 415 UNSUPPORTED_MEDIA_TYPE and writes nothing', async () => {
  const res = await fetch(`${base}/sobjects/Lead`, {
    method: 'POST',
    headers: { ...auth, 'content-type': 'text/plain' },
    body: JSON.stringify({ LastName: 'Plain', Company: 'Text' })
  });
  expect(res.status).toBe(415);
  expect(await errorOf(res)).toEqual({
    message: "MediaType of 'text/plain' is not supported by this resource",
    errorCode: 'UNSUPPORTED_MEDIA_TYPE',
    fields: []
  });
  expect((await org.conn.query("SELECT COUNT() FROM Lead WHERE LastName = 'Plain'")).totalSize).toBe(0);
  // JSON with a charset, and a body with no content type at all, are read as JSON
  for (const headers of [{ 'content-type': 'application/json; charset=UTF-8' }, {}] as Array<Record<string, string>>) {
    const ok = await fetch(`${base}/sobjects/Lead`, {
      method: 'POST',
      headers: { ...auth, ...headers },
      body: Buffer.from(JSON.stringify({ LastName: 'Json', Company: 'Typed' }))
    });
    expect(ok.status).toBe(201);
  }
});

test('a reply that cannot be serialized is a 500 with a generic message and an error id; the cause goes to the log only', async () => {
  const log: string[] = [];
  const cyclic: Record<string, unknown> = { secret: 'internal detail' };
  cyclic.self = cyclic;
  const server = http.createServer((_req, res) => sendReply(res, { status: 200, body: cyclic }, (line) => log.push(line)));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    const res = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`);
    expect(res.status).toBe(500);
    const [error] = (await res.json()) as SfError[];
    expect(error.errorCode).toBe('UNKNOWN_EXCEPTION');
    const id = /ErrorId if you contact support: (\d+-\d+ \(-\d+\))$/.exec(error.message)?.[1];
    expect(id).toBeDefined();
    expect(error.message).not.toMatch(/circular|TypeError|internal detail/i);
    expect(log).toHaveLength(1);
    expect(log[0]).toContain(id);
    expect(log[0]).toMatch(/circular/i);
  } finally {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
});

test('SOAP, Bulk API 1.0 and OAuth token calls are a clear "not supported", never 401 INVALID_SESSION_ID', async () => {
  // jsforce's Metadata API list is a SOAP call: its error is the fault's text
  await expect(org.conn.metadata.list([{ type: 'CustomObject' }])).rejects.toThrow(/does not implement the SOAP API/);
  const soap = await fetch(`${org.instanceUrl}/services/Soap/u/64.0`, {
    method: 'POST',
    headers: { 'content-type': 'text/xml' },
    body: '<x/>'
  });
  expect(soap.status).toBe(404);
  expect(await soap.text()).toMatch(/<faultcode>sf:NOT_FOUND<\/faultcode>/);

  const bulk = await fetch(`${org.instanceUrl}/services/async/64.0/job`, {
    method: 'POST',
    headers: { 'X-SFDC-Session': org.accessToken, 'content-type': 'application/xml' },
    body: '<jobInfo/>'
  });
  expect(bulk.status).toBe(404);
  expect(await bulk.text()).toMatch(
    /<exceptionCode>InvalidUrl<\/exceptionCode><exceptionMessage>The local org does not implement Bulk API 1.0/
  );
  // a Bulk API 1.0 call without a valid session gets the real org's 400 InvalidSessionId first (the one
  // answer on which jsforce's Bulk client refreshes its session); with a valid one it is told "not supported"
  for (const session of [undefined, 'not-a-session']) {
    const noSession = await fetch(`${org.instanceUrl}/services/async/64.0/job`, {
      method: 'POST',
      headers: { ...(session ? { 'X-SFDC-Session': session } : {}), 'content-type': 'application/xml' },
      body: '<jobInfo/>'
    });
    expect(noSession.status).toBe(400);
    expect(await noSession.text()).toMatch(/<exceptionCode>InvalidSessionId<\/exceptionCode>/);
  }
  // jsforce's Bulk API 1.0 client reports the exceptionMessage
  await expect(org.conn.bulk.load('Lead', 'insert', [{ LastName: 'Bulk', Company: 'One' }])).rejects.toThrow(
    /does not implement Bulk API 1.0/
  );

  const token = await fetch(`${org.instanceUrl}/services/oauth2/token`, { method: 'POST', body: 'grant_type=password' });
  expect(token.status).toBe(400);
  expect(await token.json()).toMatchObject({
    error: 'unsupported_grant_type',
    error_description: expect.stringMatching(/issues no OAuth tokens/)
  });

  for (const path of [
    '/services/apexrest/Leads',
    '/services/data/v64.0/tooling/query?q=SELECT+Id+FROM+ApexClass',
    '/services/data/v64.0/search?q=FIND+{x}'
  ]) {
    const res = await fetch(`${org.instanceUrl}${path}`, { headers: auth });
    expect(res.status).toBe(404);
    expect(await errorOf(res)).toMatchObject({ errorCode: 'NOT_FOUND', message: expect.stringMatching(/does not implement/) });
  }
  await stillServing();
});

test('describe advertises only URLs the local org serves; describe/layouts is NOT_FOUND saying so', async () => {
  const describe = await org.conn.sobject('Lead').describe();
  const urls = Object.values(describe.urls);
  expect(Object.keys(describe.urls)).not.toEqual(expect.arrayContaining(['layouts']));
  for (const u of urls) {
    const res = await fetch(`${org.instanceUrl}${u.replace('{ID}', '00Q000000000000AAA')}`, { headers: auth });
    // a record URL template answers for the record (here: none with that id); every other URL answers 200
    expect([200, 404]).toContain(res.status);
    if (res.status === 404) expect((await errorOf(res)).errorCode).toBe('NOT_FOUND');
  }
  for (const rt of describe.recordTypeInfos) expect(Object.values(rt.urls ?? {})).toEqual([]);
  const layouts = await fetch(`${base}/sobjects/Lead/describe/layouts`, { headers: auth });
  expect(layouts.status).toBe(404);
  expect((await errorOf(layouts)).message).toMatch(/does not implement describe\/layouts/);
});

test('names every JavaScript object inherits (constructor, toString, __proto__) are unknown names, not lookups into Object.prototype', async () => {
  for (const area of ['constructor', 'toString', '__proto__']) {
    const res = await fetch(`${org.instanceUrl}/services/data/v64.0/${area}`, { headers: auth });
    expect(res.status).toBe(404);
    const error = await errorOf(res);
    expect(error).toMatchObject({ errorCode: 'NOT_FOUND' });
    expect(error.message).not.toMatch(/function|native code/);
  }
  const graphql = async (query: string) => {
    const res = await fetch(`${org.instanceUrl}/services/data/v64.0/graphql`, {
      method: 'POST',
      headers: { ...auth, 'content-type': 'application/json' },
      body: JSON.stringify({ query })
    });
    expect(res.status).toBe(200);
    return (await res.json()) as { data: unknown; errors?: { message: string }[] };
  };
  // an unknown filter operator is named as such, not turned into SQL text from Object's constructor
  const op = await graphql('{ uiapi { query { Lead(where: { LastName: { constructor: "x" } }) { edges { node { Id } } } } } }');
  expect(op.data).toBeNull();
  expect(op.errors?.[0].message).toMatch(/Operator 'constructor' on LastName is not supported/);
  // an undeclared variable named like an inherited member is undeclared
  const variable = await graphql('{ uiapi { query { Lead(first: $constructor) { edges { node { Id } } } } } }');
  expect(variable.data).toBeNull();
  expect(JSON.stringify(variable.errors)).not.toMatch(/native code/);
  await stillServing();
});
