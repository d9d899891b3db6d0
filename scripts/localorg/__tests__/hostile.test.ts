import { createHash } from 'node:crypto';
import * as net from 'node:net';
import fc from 'fast-check';
import { startTestOrg, TestOrg } from '../testing';
import { BadRequest, Fixture, graphqlRequest, headerRequest, idRequest, jsonRequest, soqlRequest, valueRequest } from './hostile/requests';

/**
 * The hostile-input suite: fast-check properties send generated bad requests (SOQL, JSON bodies,
 * ids, field values, headers, GraphQL — hostile/requests.ts) to a running local org over HTTP and
 * check after each one that the answer is not a 5xx, that the server still serves, that nothing
 * was written unless the request succeeded (PRAGMA data_version, seen from a second connection, is
 * unchanged; all-or-none collections that failed count as failed), and that errors have the real
 * shapes: `[{message, errorCode, fields?}]` for REST, `{data, errors}` for GraphQL.
 *
 * `npm test` runs a fixed seed and a bounded number of runs; `npm run fuzz` runs longer with a new
 * seed, printed for replay (FUZZ_SEED=<seed> npm run fuzz; FUZZ_RUNS sets the runs per family).
 */
const LONG = process.env.npm_lifecycle_event === 'fuzz';
const RUNS = Number(process.env.FUZZ_RUNS ?? (LONG ? 1500 : 60));
const SEED = Number(process.env.FUZZ_SEED ?? (LONG ? Date.now() % 2 ** 31 : 20_260_301));
/** Distinct bad requests a bounded run must send (the acceptance bar). */
const MIN_DISTINCT = 300;

jest.setTimeout(LONG ? 0 : 120_000);

let org: TestOrg;
let fixture: Fixture;
const distinct = new Set<string>();
const statuses = new Map<number, number>();

beforeAll(async () => {
  org = await startTestOrg({ onDisk: true });
  const lead = await org.conn.sobject('Lead').create({ LastName: 'Hostile', Company: 'Fixture' });
  const account = await org.conn.sobject('Account').create({ Name: 'Hostile Fixture' });
  await org.conn.sobject('SLA_Timer__c').upsert({ Timer_Key__c: 'hostile:fixture', Status__c: 'Running' }, 'Timer_Key__c');
  fixture = { token: org.accessToken, leadId: lead.id!, accountId: account.id!, timerKey: 'hostile:fixture' };
  console.log(`hostile-input suite: seed ${SEED}, ${RUNS} runs per family (replay: FUZZ_SEED=${SEED} FUZZ_RUNS=${RUNS} npm run fuzz)`);
});
afterAll(() => org.close());

interface Answer {
  status: number;
  contentType: string;
  text: string;
}

/** Sends a request as generated; undefined when the HTTP client itself refuses to send it. */
async function send(r: BadRequest): Promise<Answer | undefined> {
  let res: Response;
  try {
    res = await fetch(`${org.instanceUrl}${r.path}`, { method: r.method, headers: r.headers, body: r.body });
  } catch (e) {
    if (e instanceof TypeError && !/fetch failed/.test(e.message)) return undefined; // e.g. a header fetch will not send
    throw e;
  }
  return { status: res.status, contentType: res.headers.get('content-type') ?? '', text: await res.text() };
}

function isSfErrorList(body: unknown): boolean {
  return (
    Array.isArray(body) &&
    body.length > 0 &&
    body.every(
      (e: Record<string, unknown>) =>
        typeof e === 'object' &&
        e !== null &&
        typeof e.message === 'string' &&
        typeof e.errorCode === 'string' &&
        (e.fields === undefined || (Array.isArray(e.fields) && e.fields.every((f) => typeof f === 'string')))
    )
  );
}

/** A collection call that was all-or-none and did not wholly succeed: it must have written nothing. */
function failedAllOrNone(r: BadRequest, a: Answer): boolean {
  if (!r.path.includes('/composite/sobjects') || a.status !== 200) return false;
  let requested = /[?&]allOrNone=true\b/i.test(r.path);
  try {
    const body = JSON.parse(r.body ?? '{}') as { allOrNone?: unknown };
    requested ||= body.allOrNone === true || body.allOrNone === 'true';
  } catch {
    // not JSON: the answer was not 200 then
  }
  const results = JSON.parse(a.text) as Array<{ success?: boolean } | null>;
  return requested && Array.isArray(results) && results.some((x) => x !== null && x.success === false);
}

/** Sends one bad request and checks everything a hostile client must not be able to break. */
async function probe(r: BadRequest): Promise<void> {
  const before = org.dataVersion();
  const a = await send(r);
  if (!a) return;
  distinct.add(
    createHash('sha1')
      .update(JSON.stringify([r.method, r.path, r.headers, r.body]))
      .digest('hex')
  );
  statuses.set(a.status, (statuses.get(a.status) ?? 0) + 1);
  const what = `${r.family}: ${r.method} ${r.path.slice(0, 200)} → ${a.status} ${a.text.slice(0, 300)}`;

  // never a 5xx, never internals: a 500 would be logged with its cause
  expect([what, a.status < 500]).toEqual([what, true]);
  expect(org.serverLog).toEqual([]);

  // the real shapes
  if (a.text !== '') expect([what, a.contentType !== '']).toEqual([what, true]);
  if (/json/.test(a.contentType)) {
    const body = JSON.parse(a.text) as unknown;
    if (r.path.startsWith('/services/oauth2/token')) expect(body).toMatchObject({ error: expect.any(String) });
    else if (r.path.endsWith('/graphql') && a.status === 200) {
      const g = body as { data: unknown; errors: Array<{ message: unknown; extensions?: { ErrorType?: unknown } }> };
      expect([what, 'data' in g && Array.isArray(g.errors)]).toEqual([what, true]);
      for (const e of g.errors) expect([what, typeof e.message, typeof e.extensions?.ErrorType]).toEqual([what, 'string', 'string']);
      if (g.errors.length > 0) expect(g.data).toBeNull();
    } else if (a.status >= 400) expect([what, isSfErrorList(body)]).toEqual([what, true]);
  } else if (a.status >= 400) {
    // only the APIs the local org does not have answer in their own (XML) shape
    expect([what, /^\/services\/(Soap|async)\//i.test(r.path)]).toEqual([what, true]);
  }

  // nothing written by a request that failed, or by a read
  const mustNotWrite = a.status >= 300 || r.method === 'GET' || r.path.endsWith('/graphql') || failedAllOrNone(r, a);
  if (mustNotWrite) expect([what, org.dataVersion()]).toEqual([what, before]);

  // and the org still serves
  const alive = await fetch(`${org.instanceUrl}/services/data/v64.0/limits`, { headers: { Authorization: `Bearer ${org.accessToken}` } });
  expect([what, alive.status]).toEqual([what, 200]);
}

const families: Array<[string, (f: Fixture) => fc.Arbitrary<BadRequest>]> = [
  ['SOQL', soqlRequest],
  ['JSON bodies', jsonRequest],
  ['record ids', idRequest],
  ['field values', valueRequest],
  ['headers', headerRequest],
  ['GraphQL documents', graphqlRequest]
];

describe.each(families)('%s', (_name, arbitrary) => {
  test('no 5xx, no dead server, no write on failure, errors in the real shape', async () => {
    await fc.assert(
      fc.asyncProperty(arbitrary(fixture), (r) => probe(r)),
      { numRuns: RUNS, seed: SEED, endOnFailure: true }
    );
  });
});

test('malformed HTTP on the wire is answered with a JSON 4xx, and the server keeps serving', async () => {
  const line = fc.oneof(
    fc.string({ maxLength: 60, unit: 'binary-ascii' }),
    fc.constantFrom(
      'GET /services/data/v64.0/limits HTTP/9.9',
      'GET  HTTP/1.1',
      'BREW /services/data HTTP/1.1',
      'GET /services/data/v64.0/limits HTTP/1.1\r\nHost: x\r\nContent-Length: -1',
      'POST /services/data/v64.0/sobjects/Lead HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz',
      'GET /services/data/v64.0/limits HTTP/1.1\r\nHo st: x',
      'GET /services/data/v64.0/limits HTTP/1.1\r\nHost: x\r\nX: \u0001'
    )
  );
  await fc.assert(
    fc.asyncProperty(line, async (l) => {
      const answer = await rawExchange(`${l}\r\n\r\n`);
      distinct.add(createHash('sha1').update(l).digest('hex'));
      // blank lines before a request, or a request that promises more bytes, leave the server waiting:
      // no answer yet is right then; any answer is a 4xx (some lines are requests: 401 without a token)
      if (answer === '') return;
      const status = Number(/^HTTP\/1\.1 (\d{3}) /.exec(answer)?.[1] ?? 0);
      expect([l, status >= 400 && status < 500]).toEqual([l, true]);
      const body = answer.slice(answer.indexOf('\r\n\r\n') + 4);
      if (body) expect([l, isSfErrorList(JSON.parse(body))]).toEqual([l, true]);
      const alive = await fetch(`${org.instanceUrl}/services/data/v64.0/limits`, {
        headers: { Authorization: `Bearer ${org.accessToken}` }
      });
      expect(alive.status).toBe(200);
    }),
    { numRuns: Math.max(20, Math.round(RUNS / 3)), seed: SEED, endOnFailure: true }
  );
});

test(`the bounded run sent at least ${MIN_DISTINCT} distinct bad requests, none answered 5xx`, () => {
  console.log(`hostile-input suite: ${distinct.size} distinct requests; statuses ${JSON.stringify(Object.fromEntries(statuses))}`);
  expect(distinct.size).toBeGreaterThanOrEqual(MIN_DISTINCT);
  expect([...statuses.keys()].filter((s) => s >= 500)).toEqual([]);
});

/** One raw exchange on a new connection: what the server writes before it closes (or within 300 ms). */
function rawExchange(request: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(Number(new URL(org.instanceUrl).port), '127.0.0.1');
    const chunks: Buffer[] = [];
    const done = () => {
      clearTimeout(timer);
      socket.destroy();
      resolve(Buffer.concat(chunks).toString('utf8'));
    };
    const timer = setTimeout(done, 300);
    socket.on('data', (c: Buffer) => {
      chunks.push(c);
      // a complete answer with a body of its content-length: enough (a valid request keeps the socket open)
      const text = Buffer.concat(chunks).toString('utf8');
      const length = /content-length: (\d+)/i.exec(text);
      const head = text.indexOf('\r\n\r\n');
      if (length && head >= 0 && Buffer.byteLength(text.slice(head + 4)) >= Number(length[1])) done();
    });
    socket.on('end', done);
    socket.on('error', reject);
    socket.write(request);
  });
}
