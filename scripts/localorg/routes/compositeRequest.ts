import type { OrgContext } from '../context';
import { ApiError, methodNotAllowed } from '../errors';
import { RollbackWith } from '../http/reply';
import type { Reply } from '../http/reply';
import { queryRoute } from './query';
import type { ApiRequest, Route } from './route';
import { sobjectsRoute } from './sobjects';
import { ownValue } from '../ownValue';

/**
 * `POST /composite`: a series of subrequests in one call, answered together
 * (https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/resources_composite_composite_post.htm):
 * `{allOrNone, compositeRequest: [{method, url, referenceId, body?}]}` → `{compositeResponse: [{body, httpHeaders,
 * httpStatusCode, referenceId}]}`, in order. Up to 25 subrequests, of which up to 5 query operations (query,
 * queryAll, a next page). The subrequests this org serves are the query resources and the sObject resources;
 * references between subrequests (`@{ref.field}`) are not implemented here. With allOrNone, the first failure
 * rolls every subrequest back and the others answer PROCESSING_HALTED; without it each stands alone.
 */

const MAX_SUBREQUESTS = 25;
const MAX_QUERIES = 5;
const REFERENCE_ID = /^[A-Za-z][A-Za-z0-9_]{0,79}$/;
const SUB_URL = /^\/services\/data\/v(\d+\.\d)\/(query|queryAll|sobjects)(\/[^?]*)?(?:\?(.*))?$/;

const ROUTES: Readonly<Record<string, Route>> = {
  query: queryRoute(false),
  queryAll: queryRoute(true),
  sobjects: sobjectsRoute
};

interface Subrequest {
  method: string;
  url: string;
  referenceId: string;
  body?: unknown;
}

function subrequests(body: unknown): { allOrNone: boolean; requests: Subrequest[] } {
  const b = body as { allOrNone?: unknown; compositeRequest?: unknown } | null;
  if (typeof b !== 'object' || b === null || !Array.isArray(b.compositeRequest)) {
    throw new ApiError(400, 'JSON_PARSER_ERROR', 'compositeRequest is required: a list of subrequests');
  }
  if (b.allOrNone !== undefined && typeof b.allOrNone !== 'boolean') {
    throw new ApiError(400, 'JSON_PARSER_ERROR', 'allOrNone must be true or false');
  }
  const requests = b.compositeRequest as Subrequest[];
  // the documentation gives the limits but not the error: this code and message are ours
  if (requests.length === 0 || requests.length > MAX_SUBREQUESTS) {
    throw new ApiError(400, 'LIMIT_EXCEEDED', `a composite request takes 1 to ${MAX_SUBREQUESTS} subrequests, not ${requests.length}`);
  }
  const refs = new Set<string>();
  let queries = 0;
  for (const r of requests) {
    if (
      typeof r !== 'object' ||
      r === null ||
      typeof r.method !== 'string' ||
      typeof r.url !== 'string' ||
      typeof r.referenceId !== 'string'
    ) {
      throw new ApiError(400, 'JSON_PARSER_ERROR', 'each subrequest needs method, url and referenceId');
    }
    if (!REFERENCE_ID.test(r.referenceId) || refs.has(r.referenceId)) {
      throw new ApiError(
        400,
        'INVALID_INPUT',
        `referenceId ${JSON.stringify(r.referenceId).slice(0, 100)} must be unique and alphanumeric`
      );
    }
    refs.add(r.referenceId);
    if (/^\/services\/data\/v\d+\.\d\/query(All)?[/?]/.test(r.url)) queries++;
  }
  if (queries > MAX_QUERIES) {
    throw new ApiError(400, 'LIMIT_EXCEEDED', `a composite request takes up to ${MAX_QUERIES} query operations, not ${queries}`);
  }
  return { allOrNone: b.allOrNone === true, requests };
}

function runOne(org: OrgContext, parent: ApiRequest, sub: Subrequest): Reply {
  if (sub.url.includes('@{')) throw new ApiError(400, 'INVALID_INPUT', 'references between subrequests are not supported by the local org');
  const m = SUB_URL.exec(sub.url);
  if (!m) throw new ApiError(404, 'NOT_FOUND', `the local org serves query and sObject subrequests, not ${sub.url.slice(0, 100)}`);
  const [, version, area, rest, query] = m;
  const url = new URL(`${parent.url.origin}/services/data/v${version}/${area}${rest ?? ''}${query ? `?${query}` : ''}`);
  const body = sub.body === undefined ? Buffer.alloc(0) : Buffer.from(JSON.stringify(sub.body));
  const route = ownValue(ROUTES, area); // one of the areas SUB_URL matches
  if (!route?.transaction) throw methodNotAllowed(sub.method);
  return route.handle(org, {
    method: sub.method.toUpperCase(),
    seg: (rest ?? '').split('/').filter(Boolean).map(decodeURIComponent),
    url,
    version,
    body,
    contentType: 'application/json',
    json: () => sub.body,
    ctx: parent.ctx
  });
}

/** Answers a composite request inside the request's transaction (the composite route runs in one). */
export function compositeRequest(org: OrgContext, req: ApiRequest): Reply {
  if (req.method !== 'POST') throw methodNotAllowed(req.method);
  const { allOrNone, requests } = subrequests(req.json());
  const answers: Array<{ body: unknown; httpHeaders: Record<string, string>; httpStatusCode: number; referenceId: string }> = [];
  let failed = -1;
  for (const [i, sub] of requests.entries()) {
    let reply: Reply;
    try {
      reply = org.store.savepoint(() => runOne(org, req, sub));
    } catch (e) {
      // a subrequest's error is its answer; anything else (a bug, the request's time budget) fails the request
      if (!(e instanceof ApiError)) throw e;
      reply = { status: e.status, body: e.toBody() };
    }
    answers.push({ body: reply.body ?? null, httpHeaders: {}, httpStatusCode: reply.status, referenceId: sub.referenceId });
    if (reply.status >= 400 && failed < 0) failed = i;
    if (allOrNone && failed >= 0) break;
  }
  if (allOrNone && failed >= 0) {
    const halted = requests.map((sub, i) =>
      i === failed
        ? answers.at(i)! // the failed subrequest's own answer: answers run up to it
        : {
            body: [
              {
                errorCode: 'PROCESSING_HALTED',
                message: 'The transaction was rolled back since another operation in the same transaction failed.'
              }
            ],
            httpHeaders: {},
            httpStatusCode: 400,
            referenceId: sub.referenceId
          }
    );
    throw new RollbackWith({ status: 200, body: { compositeResponse: halted } });
  }
  return { status: 200, body: { compositeResponse: answers } };
}
