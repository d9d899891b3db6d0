import fc from 'fast-check';
import type { BadRequest, Fixture } from './requests';

/**
 * Bad Bulk API 2.0 requests for the hostile-input suite (hostileBulk.test.ts): job definitions that are
 * not jobs, uploads a job does not take, state changes it refuses, ids that name no job, and locators
 * and page sizes that name no page — each one request. `badCsvUpload` makes the CSV side: a job
 * that is fine and data that is not (the job must end Failed or with failed rows, never stuck and
 * never with an internal error).
 */

/** A bad request of this family (the suite's request shape, its family named 'bulk'). */
export type BulkBadRequest = Omit<BadRequest, 'family'> & { family: 'bulk' };

/** The jobs the bulk requests aim at: made by the suite before the properties run. */
export interface BulkFixture extends Fixture {
  /** An Open ingest job without data (never closed, aborted or given data by these requests). */
  openIngestJobId: string;
  /** An ingest job that completed, with successful and failed rows. */
  doneIngestJobId: string;
  /** A query job that completed, with a few pages of results. */
  doneQueryJobId: string;
}

const V = '/services/data/v64.0';

const auth = (fixture: Fixture, contentType?: string): Record<string, string> => ({
  Authorization: `Bearer ${fixture.token}`,
  ...(contentType === undefined ? {} : { 'content-type': contentType })
});

// ---- job definitions -----------------------------------------------------------------------------

const anyValue = fc.oneof(fc.constantFrom(null, 42, true, '', ' ', [], {}, ['Lead']), fc.string({ maxLength: 12 }));
const operation = fc.oneof(
  fc.constantFrom('insert', 'update', 'upsert', 'delete', 'hardDelete', 'query', 'queryAll', 'INSERT', 'merge', 'undelete'),
  anyValue
);
const sobject = fc.oneof(fc.constantFrom('Lead', 'Account', 'SLA_Timer__c', 'lead', 'Nope__c', 'LeadHistory', 'User', 'Lead '), anyValue);
const externalId = fc.oneof(fc.constantFrom('Timer_Key__c', 'Id', 'Name', 'Company', 'Nope__c', 'Owner.Username'), anyValue);
const lineEnding = fc.oneof(fc.constantFrom('LF', 'CRLF', 'CR', 'lf', 'LFCR'), anyValue);
const delimiter = fc.oneof(fc.constantFrom('COMMA', 'TAB', 'PIPE', 'COLON', 'comma', ',', 'SPACE'), anyValue);
const contentType = fc.oneof(fc.constantFrom('CSV', 'JSON', 'XML', 'csv'), anyValue);

/** SOQL a query job must refuse: what Bulk API 2.0 does not run, what does not parse, and what is not a string. */
const badSoql = fc.oneof(
  fc.constantFrom(
    'SELECT Status, COUNT(Id) FROM Lead GROUP BY Status',
    'SELECT COUNT() FROM Lead',
    'SELECT Id FROM Lead OFFSET 5',
    'SELECT Id, (SELECT Id FROM Histories) FROM Lead',
    'SELECT TYPEOF What WHEN Lead THEN Name END FROM Task',
    'SELECT Nope__c FROM Lead',
    'SELECT Id FROM Nope__c',
    'SELECT Id FROM Lead WHERE',
    "SELECT Id FROM Lead WHERE Name = 'unterminated",
    `SELECT Id FROM Lead WHERE ${"(Name = 'a' AND ".repeat(101)}Company = 'b'${')'.repeat(101)}`,
    `SELECT Id FROM Lead WHERE Name = '${'x'.repeat(4001)}'`,
    'SELECT FROM Lead',
    'DELETE FROM Lead',
    '   '
  ),
  fc.string({ maxLength: 40, unit: 'binary' }).map((s) => `SELEC ${s}`),
  fc.constantFrom(null, 42, ['SELECT Id FROM Lead'], { q: 'SELECT Id FROM Lead' })
);

/** A job definition with at least one property wrong (or a body that is not a definition at all). */
const badDefinition = fc.oneof(
  fc
    .record(
      {
        operation,
        object: sobject,
        externalIdFieldName: externalId,
        lineEnding,
        columnDelimiter: delimiter,
        contentType,
        assignmentRuleId: anyValue
      },
      { requiredKeys: [] }
    )
    .map((d) => JSON.stringify(d)),
  fc
    .record({ operation: fc.constantFrom('query', 'queryAll', 'insert'), query: badSoql, lineEnding, columnDelimiter: delimiter })
    .map((d) => JSON.stringify(d)),
  fc.json({ maxDepth: 3 }),
  fc.tuple(fc.json({ maxDepth: 3 }), fc.nat()).map(([text, cut]) => text.slice(0, cut % Math.max(1, text.length))),
  fc.integer({ min: 999, max: 1003 }).map((d) => `{"operation":"insert","object":${'['.repeat(d)}${']'.repeat(d)}}`),
  fc.constantFrom('', 'null', '[]', '"insert"', `{"object":"Lead","operation":"insert","pad":"${'p'.repeat(1024 * 1024)}"}`)
);

/** A multipart job request: a `job` part that is wrong or absent, with a `content` part (or none). */
const multipartBody = fc
  .tuple(fc.option(badDefinition, { nil: undefined }), fc.option(fc.constantFrom('LastName,Company\nA,B\n', '', '"\n'), { nil: undefined }))
  .map(([job, content]) => {
    const part = (name: string, type: string, data: string) =>
      `--BOUNDARY\r\nContent-Disposition: form-data; name="${name}"\r\nContent-Type: ${type}\r\n\r\n${data}\r\n`;
    return `${job === undefined ? '' : part('job', 'application/json', job)}${content === undefined ? '' : part('content', 'text/csv', content)}--BOUNDARY--\r\n`;
  });

function jobCreate(fixture: Fixture): fc.Arbitrary<BulkBadRequest> {
  return fc.oneof(
    fc
      .tuple(
        fc.constantFrom('ingest', 'query'),
        badDefinition,
        fc.constantFrom('application/json', 'application/json; charset=UTF-8', 'text/plain', 'text/csv', '')
      )
      .map(([kind, body, type]) => ({
        family: 'bulk' as const,
        method: 'POST',
        path: `${V}/jobs/${kind}`,
        headers: auth(fixture, type === '' ? undefined : type),
        body
      })),
    fc
      .tuple(
        multipartBody,
        fc.constantFrom('multipart/form-data; boundary=BOUNDARY', 'multipart/form-data', 'multipart/mixed; boundary="BOUNDARY"')
      )
      .map(([body, type]) => ({
        family: 'bulk' as const,
        method: 'POST',
        path: `${V}/jobs/ingest`,
        headers: auth(fixture, type),
        body
      }))
  );
}

// ---- job ids, uploads, state changes -------------------------------------------------------------

function badJobId(fixture: BulkFixture): fc.Arbitrary<string> {
  const id = fixture.doneIngestJobId;
  return fc.oneof(
    fc.constantFrom(
      id.toLowerCase(),
      id.slice(0, 15),
      `${id}A`,
      '750000000000000AAA',
      fixture.leadId,
      '%',
      '%zz',
      '..',
      '..%2F..%2Fsobjects',
      'null',
      '750%00',
      'x'.repeat(2000)
    ),
    fc.stringMatching(/^750[A-Za-z0-9]{12,15}$/),
    fc.string({ maxLength: 24, unit: 'grapheme' }).map(encodeURIComponent)
  );
}

function jobResource(fixture: BulkFixture): fc.Arbitrary<BulkBadRequest> {
  const ids = badJobId(fixture);
  const badState = fc.oneof(
    fc.constantFrom('Closed', 'JobComplete', 'InProgress', 'Open', 'Failed', 'aborted', '', null, 42),
    fc.string({ maxLength: 12 })
  );
  return fc.oneof(
    // any method on an id that names no job of that kind
    fc
      .tuple(fc.constantFrom('ingest', 'query'), ids, fc.constantFrom('GET', 'PATCH', 'DELETE', 'POST', 'PUT'))
      .map(([kind, id, method]) => ({
        family: 'bulk' as const,
        method,
        path: `${V}/jobs/${kind}/${id}`,
        headers: auth(fixture, 'application/json'),
        body: method === 'GET' || method === 'DELETE' ? undefined : JSON.stringify({ state: 'Aborted' })
      })),
    // a job of the other kind, and results of a kind the job does not have
    fc
      .constantFrom(
        ['GET', `jobs/query/${fixture.doneIngestJobId}`],
        ['DELETE', `jobs/query/${fixture.openIngestJobId}`],
        ['GET', `jobs/ingest/${fixture.doneQueryJobId}/successfulResults`],
        ['GET', `jobs/query/${fixture.doneIngestJobId}/results`],
        ['GET', `jobs/ingest/${fixture.doneIngestJobId}/results`],
        ['GET', `jobs/ingest/${fixture.doneIngestJobId}/batches`],
        ['POST', `jobs/ingest/${fixture.doneIngestJobId}/successfulResults`],
        ['GET', `jobs/ingest/${fixture.doneIngestJobId}/failedResults/extra`],
        ['DELETE', `jobs/ingest/${fixture.openIngestJobId}`],
        ['PUT', `jobs/ingest`],
        ['GET', `jobs`],
        ['GET', `jobs/bulk`]
      )
      .map(([method, path]) => ({ family: 'bulk' as const, method, path: `${V}/${path}`, headers: auth(fixture) })),
    // state changes a job refuses: an unknown state, closing a query job or a finished one, aborting a finished one
    fc
      .tuple(
        fc.constantFrom(['ingest', fixture.doneIngestJobId], ['query', fixture.doneQueryJobId], ['ingest', fixture.openIngestJobId]),
        fc.oneof(
          badState.map((state) => JSON.stringify({ state })),
          fc.constantFrom('{"state":"UploadComplete"}', '{"state":"Aborted"}', '[]', '{', '"Aborted"', '{"State":"Aborted"}')
        )
      )
      // the open job only gets states it refuses: it must stay open for the upload requests
      .filter(([[, id], body]) => id !== fixture.openIngestJobId || !/"(UploadComplete|Aborted)"/.test(body))
      .map(([[kind, id], body]) => ({
        family: 'bulk' as const,
        method: 'PATCH',
        path: `${V}/jobs/${kind}/${id}`,
        headers: auth(fixture, 'application/json'),
        body
      })),
    // uploads a job does not take: not text/csv, to a finished job, to no job
    fc
      .tuple(
        fc.constantFrom(fixture.openIngestJobId, fixture.doneIngestJobId, fixture.doneQueryJobId, '750000000000000AAA'),
        fc.constantFrom(
          'application/json',
          'text/plain',
          'application/octet-stream',
          'text/comma-separated-values',
          'multipart/form-data',
          ''
        ),
        fc.string({ maxLength: 60, unit: 'binary' })
      )
      .map(([id, type, body]) => ({
        family: 'bulk' as const,
        method: 'PUT',
        path: `${V}/jobs/ingest/${id}/batches`,
        headers: auth(fixture, type === '' ? undefined : type),
        body
      })),
    fc.tuple(fc.constantFrom(fixture.doneIngestJobId, 'nope'), fc.string({ maxLength: 60, unit: 'binary' })).map(([id, body]) => ({
      family: 'bulk' as const,
      method: 'PUT',
      path: `${V}/jobs/ingest/${id}/batches`,
      headers: auth(fixture, 'text/csv'),
      body
    }))
  );
}

// ---- locators and lists --------------------------------------------------------------------------

const base64 = (s: string) => Buffer.from(s).toString('base64').replace(/=+$/, '');
const locator = fc.oneof(
  fc.constantFrom(
    base64('-1'),
    base64('1e3'),
    base64('99999999999999999'),
    base64('abc'),
    base64(' 1'),
    base64('01'),
    base64('100000'),
    'MTAwMDA=',
    'null',
    'undefined',
    '%',
    '',
    '====',
    'M'.repeat(5000)
  ),
  fc.string({ maxLength: 20, unit: 'binary' }).map(encodeURIComponent),
  fc.nat().map((n) => base64(String(n + 1000)))
);
const maxRecords = fc.oneof(
  fc.constantFrom('0', '-1', 'abc', '1.5', '1e3', '99999999999', '', ' 1', '0x10', '00'),
  fc.string({ maxLength: 8 }).map(encodeURIComponent)
);
const listParam = fc.oneof(
  fc.constantFrom('-1', 'abc', '1.5', '0', '1e3', '99999999999999999999', '', 'V2Ingest', 'Classic'),
  fc.string({ maxLength: 8 }).map(encodeURIComponent)
);

function locators(fixture: BulkFixture): fc.Arbitrary<BulkBadRequest> {
  return fc.oneof(
    fc.tuple(fc.option(locator, { nil: undefined }), fc.option(maxRecords, { nil: undefined })).map(([loc, max]) => {
      const q = [loc === undefined ? '' : `locator=${loc}`, max === undefined ? '' : `maxRecords=${max}`].filter(Boolean).join('&');
      return {
        family: 'bulk' as const,
        method: 'GET',
        path: `${V}/jobs/query/${fixture.doneQueryJobId}/results?${q}`,
        headers: auth(fixture)
      };
    }),
    fc.tuple(fc.constantFrom('ingest', 'query'), listParam, listParam, listParam).map(([kind, loc, type, pk]) => ({
      family: 'bulk' as const,
      method: 'GET',
      path: `${V}/jobs/${kind}?queryLocator=${loc}&jobType=${type}&isPkChunkingEnabled=${pk}&concurrencyMode=${type}`,
      headers: auth(fixture)
    }))
  );
}

/** One bad Bulk API 2.0 request: a job definition, a job resource, or a results page. */
export function bulkRequest(fixture: BulkFixture): fc.Arbitrary<BulkBadRequest> {
  return fc.oneof(jobCreate(fixture), jobResource(fixture), locators(fixture));
}

// ---- bad CSV -------------------------------------------------------------------------------------

/** The jobs bad CSV is uploaded to: each a job the org accepts. */
export const CSV_JOBS: ReadonlyArray<Record<string, string>> = [
  { object: 'Lead', operation: 'insert' },
  { object: 'Lead', operation: 'update' },
  { object: 'Lead', operation: 'delete' },
  { object: 'Account', operation: 'insert', columnDelimiter: 'PIPE' },
  { object: 'Account', operation: 'insert', lineEnding: 'CRLF' },
  { object: 'SLA_Timer__c', operation: 'upsert', externalIdFieldName: 'Timer_Key__c' }
];

const csvColumn = fc.constantFrom(
  'LastName',
  'Company',
  'Email',
  'Status',
  'AnnualRevenue',
  'NumberOfEmployees',
  'CreatedDate',
  'Id',
  'Name',
  'Timer_Key__c',
  'Owner.Username',
  'Owner.Nope',
  'User:Owner.Username',
  'Calendar__r.Business_Hours_Id__c',
  'Nope__c',
  'lastname',
  '',
  '"Last""Name"',
  'Last Name',
  'x'.repeat(40)
);
const csvValue = fc.oneof(
  fc.constantFrom(
    '#N/A',
    '',
    '2026-02-30',
    '2026-03-02T25:00:00Z',
    '1e309',
    'abc',
    'true',
    '00Q000000000000AAA',
    'a"b',
    '"unterminated',
    '"quoted ""x"""',
    '"a\nb"',
    '\u0000',
    '\ud800',
    'ü€😀',
    'x'.repeat(32_001)
  ),
  fc.string({ maxLength: 20, unit: 'grapheme' }),
  fc.integer().map(String)
);
const eol = fc.constantFrom('\n', '\r\n', '\r');
const sep = fc.constantFrom(',', '|', '\t', ';');

/** Bytes of CSV a job cannot wholly take: wrong headers, ragged rows, bad quotes, other line endings and delimiters, invalid UTF-8, extremes. */
export const badCsvUpload: fc.Arbitrary<Uint8Array> = fc.oneof(
  fc
    .tuple(fc.array(csvColumn, { minLength: 1, maxLength: 5 }), fc.array(fc.array(csvValue, { maxLength: 6 }), { maxLength: 6 }), sep, eol)
    .map(([header, rows, d, e]) => new TextEncoder().encode([header, ...rows].map((r) => r.join(d)).join(e) + e)),
  fc.uint8Array({ maxLength: 200 }),
  fc.constantFrom(
    new Uint8Array([0xef, 0xbb, 0xbf, 0x4c, 0x61, 0x73, 0x74, 0x4e, 0x61, 0x6d, 0x65, 0x0a, 0xff, 0xfe, 0x0a]),
    new TextEncoder().encode(''),
    new TextEncoder().encode('LastName,Company'),
    new TextEncoder().encode('LastName,LastName,Company\nA,B,C\n'),
    new TextEncoder().encode(`${Array.from({ length: 5001 }, (_, i) => `F${i}`).join(',')}\n`),
    new TextEncoder().encode(`LastName,Company\n${'A'.repeat(400_001)},B\n`),
    new TextEncoder().encode('LastName,Company\n"A,B\n'),
    new TextEncoder().encode('LastName,Company\nA"B,C\n')
  )
);
