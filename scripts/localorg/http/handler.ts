import type * as http from 'node:http';
import { DEFAULT_MAX_BODY_BYTES, MAX_URI_AND_HEADERS_BYTES } from '../bounds';
import { ApiError, notFound } from '../errors';
import type { LocalOrg } from '../org';
import { mintUserToken, TOKEN_PATH } from '../routes/tokens';
import { otherApiReply } from '../routes/unsupported';
import type { TokenAuth } from './auth';
import { ClientGone, readBody } from './body';
import { errorReply, Reply, sendReply, ServerLog } from './reply';
import { routeOf } from './router';

/** What the HTTP shell is told when it starts. */
export interface ShellOptions {
  /** A request's time budget in the database (QUERY_TIMEOUT past it). */
  queryTimeoutMs: number;
  /** Where the causes of 500s go (never to the client). */
  log: ServerLog;
  /** Told about every answered request (tests: what was answered, and how long it took the server). */
  onRequest?: (info: AnsweredRequest) => void;
}

export interface AnsweredRequest {
  method: string;
  path: string;
  status: number;
  /** The server's time from the request's headers to its answer, in ms. */
  ms: number;
}

/**
 * The HTTP shell around the org: refuses URIs and headers over the real limits (414/431), answers
 * the APIs the local org does not have, checks the bearer token (401 INVALID_SESSION_ID without a
 * valid one, or when its user is inactive), counts a REST call against the org's daily API requests
 * (`Sforce-Limit-Info` on its answer), routes the request as its token's user (the org as that
 * user sees it), reads the body up to the resource's limit (413 past it), maps any error to
 * Salesforce's JSON error body (http/reply.ts) and writes the reply. Minting a user token
 * (`POST /services/localorg/token`) is answered here, where the tokens are. Nothing a request does
 * escapes the shell: the server keeps serving.
 */
export function requestHandler(
  org: LocalOrg,
  auth: TokenAuth,
  opts: ShellOptions
): (req: http.IncomingMessage, res: http.ServerResponse) => Promise<void> {
  return async (req, res) => {
    const started = performance.now();
    const metered: Metered = {};
    let reply: Reply;
    try {
      reply = await answer(org, auth, opts, req, metered);
    } catch (e) {
      if (e instanceof ClientGone) {
        res.destroy();
        return;
      }
      reply = errorReply(e, opts.log);
      if (e instanceof ApiError && e.status === 413) reply.close = true;
    }
    if (metered.limitInfo) reply = { ...reply, headers: { ...reply.headers, 'Sforce-Limit-Info': metered.limitInfo } };
    const status = await sendReply(res, reply, opts.log);
    try {
      opts.onRequest?.({ method: req.method ?? '', path: (req.url ?? '').split('?')[0], status, ms: performance.now() - started });
    } catch {
      // an observer's failure is not the request's
    }
  };
}

/** What a request's answer says about the org's API usage, once the request is counted. */
interface Metered {
  limitInfo?: string;
}

/** The REST API calls that count against the org's daily API requests: everything under an API version. */
const METERED_PATH = /^\/services\/data\/v[^/]+(\/|$)/;

async function answer(org: LocalOrg, auth: TokenAuth, opts: ShellOptions, req: http.IncomingMessage, metered: Metered): Promise<Reply> {
  checkSize(req);
  const url = parseUrl(req.url ?? '/', `http://127.0.0.1:${req.socket.localPort ?? 80}`);
  const other = otherApiReply(url.pathname, () => {
    const session = req.headers['x-sfdc-session'];
    return typeof session === 'string' && auth.userOfToken(session.trim()) !== undefined;
  });
  if (other) return other;
  const userId = auth.userOf(req.headers.authorization);
  if (userId === undefined) return { status: 401, body: [{ message: 'Session expired or invalid', errorCode: 'INVALID_SESSION_ID' }] };
  const method = req.method ?? 'GET';
  const ctx = org.requestContext(userId);
  if (METERED_PATH.test(url.pathname)) meter(org, metered);
  const contentType = String(req.headers['content-type'] ?? '');
  if (url.pathname === TOKEN_PATH) {
    const body = await readBody(req, DEFAULT_MAX_BODY_BYTES);
    return mintUserToken(org.forUser(ctx), ctx, auth, { method, url, body, contentType });
  }
  const routed = routeOf(org.forUser(ctx), ctx, method, url, opts.queryTimeoutMs, contentType);
  const body = await readBody(req, routed.maxBodyBytes);
  return routed.answer({ method, url, body, contentType });
}

/**
 * Counts a REST call against the org's API requests of the past 24 hours and says so in
 * `Sforce-Limit-Info`; past the allocation the call is refused, uncounted, with the real org's
 * 403 REQUEST_LIMIT_EXCEEDED (bounds.ts: DEFAULT_DAILY_API_REQUESTS).
 */
function meter(org: LocalOrg, metered: Metered): void {
  const taken = org.apiUsage.take();
  metered.limitInfo = `api-usage=${org.apiUsage.used()}/${org.apiUsage.max}`;
  if (!taken) throw new ApiError(403, 'REQUEST_LIMIT_EXCEEDED', 'TotalRequests Limit exceeded.');
}

/**
 * "In each REST call, the maximum length for the combined URI and headers is 16,384 bytes. A request
 * exceeding this limit returns a 431 Request Header Fields Too Large error. If the URI itself exceeds
 * this limit, the request returns a 414 URI Too Long error." (bounds.ts)
 */
function checkSize(req: http.IncomingMessage): void {
  const uri = Buffer.byteLength(req.url ?? '');
  if (uri > MAX_URI_AND_HEADERS_BYTES) {
    throw new ApiError(414, 'URI_TOO_LONG', `The length of the URI exceeds the ${MAX_URI_AND_HEADERS_BYTES} byte limit`);
  }
  let total = uri;
  for (const part of req.rawHeaders) total += Buffer.byteLength(part) + 2;
  if (total > MAX_URI_AND_HEADERS_BYTES) {
    throw new ApiError(
      431,
      'REQUEST_HEADER_FIELDS_TOO_LARGE',
      `The combined length of the URI and headers exceeds the ${MAX_URI_AND_HEADERS_BYTES} byte limit`
    );
  }
}

/**
 * The request target as a URL on the server's own address (never the Host header's: the identity
 * URL the org answers with is built from it); a target that does not parse names no resource.
 */
function parseUrl(target: string, origin: string): URL {
  try {
    const url = new URL(target, origin);
    return url.origin === origin ? url : new URL(`${url.pathname}${url.search}`, origin);
  } catch {
    throw notFound();
  }
}
