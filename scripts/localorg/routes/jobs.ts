import { DEFAULT_MAX_BODY_BYTES } from '../bounds';
import type { CsvDownload } from '../bulk/bulkJobs';
import { jobInfo, jobListEntry, JobKind, jobSummary } from '../bulk/job';
import { JOBS_PER_LIST_PAGE, MAX_UPLOAD_BYTES } from '../bulk/limits';
import type { OrgContext } from '../context';
import { ApiError, methodNotAllowed, notFound } from '../errors';
import { parseJson, parseMultipart } from '../http/body';
import type { Reply } from '../http/reply';
import type { ApiRequest, Route } from './route';

/**
 * Bulk API 2.0 (`/jobs/ingest`, `/jobs/query`), as the Bulk API 2.0 Developer Guide describes it
 * (https://developer.salesforce.com/docs/platform/api-asynch/guide/create-job.html and the pages after it), with
 * the details in docs/local-org.md#bulk-api-20:
 *
 * - `POST /jobs/ingest` creates an ingest job (JSON, or multipart `job` + `content` to create,
 *   upload and close at once); `PUT /jobs/ingest/<id>/batches` uploads its CSV (201);
 *   `PATCH /jobs/ingest/<id>` `{state: UploadComplete | Aborted}`; `GET` its info; `DELETE` it (204);
 *   `GET …/successfulResults`, `…/failedResults`, `…/unprocessedrecords` (CSV); `GET /jobs/ingest` lists.
 * - `POST /jobs/query` creates a query job; `GET /jobs/query/<id>` its info; `PATCH` `{state: Aborted}`;
 *   `DELETE`; `GET /jobs/query/<id>/results?locator=&maxRecords=` a page of CSV with `Sforce-Locator`
 *   and `Sforce-NumberOfRecords`; `GET /jobs/query` lists.
 *
 * Outside the request transaction: jobs run in the background (bulk/), a chunk per transaction.
 */
export const jobsRoute: Route = {
  transaction: false,
  // an upload (its CSV, or a multipart create with it) up to the upload limit (bulk/limits.ts);
  // the JSON bodies (job definitions, state changes) as any other REST resource's
  maxBodyBytes: (method, seg, contentType) => (isUpload(method, seg, contentType) ? MAX_UPLOAD_BYTES : DEFAULT_MAX_BODY_BYTES),
  handle(org, req) {
    try {
      return dispatch(org, req);
    } catch (e) {
      // Bulk API 2.0 error bodies are `[{errorCode, message}]`, without the REST API's `fields`
      if (e instanceof ApiError) return { status: e.status, body: [{ errorCode: e.errorCode, message: e.message }] };
      throw e;
    }
  }
};

function dispatch(org: OrgContext, req: ApiRequest): Reply {
  const [kind, ...rest] = req.seg;
  if (kind !== 'ingest' && kind !== 'query') throw notFound();
  if (rest.length === 0) return kind === 'ingest' ? ingestJobs(org, req) : queryJobs(org, req);
  const id = rest[0];
  if (rest.length === 1) return oneJob(org, kind, id, req);
  if (rest.length === 2) return kind === 'ingest' ? ingestData(org, id, rest[1], req) : queryData(org, id, rest[1], req);
  throw notFound();
}

/** `PUT /jobs/ingest/<id>/batches`, or `POST /jobs/ingest` with the job and its data in one multipart body. */
function isUpload(method: string, seg: string[], contentType: string): boolean {
  return (
    seg[0] === 'ingest' &&
    ((method === 'PUT' && seg.length === 3 && seg[2] === 'batches') ||
      (method === 'POST' && seg.length === 1 && /^multipart\//i.test(contentType)))
  );
}

const csv = (download: CsvDownload): Reply => ({
  status: 200,
  headers: download.headers,
  stream: { contentType: 'text/csv', chunks: download.chunks }
});

function ingestJobs(org: OrgContext, req: ApiRequest): Reply {
  if (req.method === 'GET') return list(org, 'ingest', req);
  if (req.method !== 'POST') throw methodNotAllowed(req.method);
  if (/^multipart\//i.test(req.contentType)) {
    // Create a Job with its data in one multipart request: the job is created, its data stored and the job closed.
    const parts = parseMultipart(req.body, req.contentType);
    const jobPart = parts.find((p) => p.name === 'job');
    const content = parts.find((p) => p.name === 'content');
    if (!jobPart || !content) {
      throw new ApiError(400, 'INVALIDJOB', "InvalidJob : a multipart job request needs a 'job' part (JSON) and a 'content' part (CSV)");
    }
    // the 'job' part is read as any JSON body is (the same nesting limit and parser errors)
    const job = org.bulk.createIngest(parseJson(jobPart.data, 'application/json'), req.version, req.ctx);
    org.bulk.upload(job.id, content.data, 'text/csv', req.ctx);
    return { status: 200, body: jobSummary(org.bulk.setState('ingest', job.id, { state: 'UploadComplete' }, req.ctx)) };
  }
  return { status: 200, body: jobSummary(org.bulk.createIngest(req.json(), req.version, req.ctx)) };
}

function queryJobs(org: OrgContext, req: ApiRequest): Reply {
  if (req.method === 'GET') return list(org, 'query', req);
  if (req.method !== 'POST') throw methodNotAllowed(req.method);
  return { status: 200, body: jobSummary(org.bulk.createQuery(req.json(), req.version, req.ctx)) };
}

/** Get All Jobs: `{done, records, nextRecordsUrl}`, 1,000 a page (`queryLocator`), filtered by `jobType`. */
function list(org: OrgContext, kind: JobKind, req: ApiRequest): Reply {
  const q = req.url.searchParams;
  const jobType = q.get('jobType');
  const concurrency = q.get('concurrencyMode');
  let jobs = org.bulk.list(kind, req.ctx);
  if (jobType && jobType !== (kind === 'ingest' ? 'V2Ingest' : 'V2Query')) jobs = [];
  if (concurrency && concurrency !== 'Parallel') jobs = [];
  if (q.get('isPkChunkingEnabled') === 'true') jobs = [];
  const locator = q.get('queryLocator');
  const start = locator === null ? 0 : Number.parseInt(locator, 10);
  if (!Number.isInteger(start) || start < 0 || String(start) !== (locator ?? '0')) {
    throw new ApiError(400, 'INVALID_QUERY_LOCATOR', `Invalid queryLocator: ${locator}`);
  }
  const page = jobs.slice(start, start + JOBS_PER_LIST_PAGE);
  const next = start + page.length;
  const done = next >= jobs.length;
  const params = new URLSearchParams(q);
  params.set('queryLocator', String(next));
  return {
    status: 200,
    body: {
      done,
      records: page.map(jobListEntry),
      nextRecordsUrl: done ? null : `/services/data/v${req.version}/jobs/${kind}?${params.toString()}`
    }
  };
}

function oneJob(org: OrgContext, kind: JobKind, id: string, req: ApiRequest): Reply {
  switch (req.method) {
    case 'GET':
      return { status: 200, body: jobInfo(org.bulk.get(kind, id, req.ctx)) };
    case 'PATCH':
      return { status: 200, body: jobSummary(org.bulk.setState(kind, id, req.json(), req.ctx)) };
    case 'DELETE':
      org.bulk.delete(kind, id, req.ctx);
      return { status: 204 };
    default:
      throw methodNotAllowed(req.method);
  }
}

function ingestData(org: OrgContext, id: string, resource: string, req: ApiRequest): Reply {
  if (resource === 'batches') {
    if (req.method !== 'PUT') throw methodNotAllowed(req.method);
    org.bulk.upload(id, req.body, req.contentType, req.ctx);
    return { status: 201 };
  }
  if (req.method !== 'GET') throw methodNotAllowed(req.method);
  switch (resource) {
    case 'successfulResults':
      return csv(org.bulk.ingestResults(id, 'success', req.ctx));
    case 'failedResults':
      return csv(org.bulk.ingestResults(id, 'failure', req.ctx));
    case 'unprocessedrecords':
      return csv(org.bulk.unprocessed(id, req.ctx));
    default:
      throw notFound();
  }
}

function queryData(org: OrgContext, id: string, resource: string, req: ApiRequest): Reply {
  if (resource !== 'results') throw notFound();
  if (req.method !== 'GET') throw methodNotAllowed(req.method);
  const q = req.url.searchParams;
  return csv(org.bulk.queryResults(id, q.get('locator'), q.get('maxRecords'), req.ctx));
}
