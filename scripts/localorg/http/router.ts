import { DEFAULT_MAX_BODY_BYTES } from '../bounds';
import type { OrgContext, RequestContext } from '../context';
import { methodNotAllowed, notFound } from '../errors';
import { AREAS, resources } from '../routes/areas';
import { identity, identityUrl, profilePhoto, userInfo, versions } from '../routes/identity';
import type { ApiRequest } from '../routes/route';
import { notImplemented, UNSUPPORTED_AREAS } from '../routes/unsupported';
import type { Store } from '../store';
import { parseJson } from './body';
import { Reply, RollbackWith } from './reply';
import { ownValue } from '../ownValue';

/** An authenticated request, its body read. */
export interface IncomingRequest {
  method: string;
  url: URL;
  body: Buffer;
  contentType: string;
}

/** A request matched to its resource, before its body is read. */
export interface Routed {
  /** The most body bytes the resource reads (over it the request is answered 413 unread). */
  maxBodyBytes: number;
  /** Answers the request, its body read. */
  answer(req: IncomingRequest): Reply | Promise<Reply>;
}

/** The API versions the org answers to (`GET /services/data` lists them); any other is NOT_FOUND, as in a real org. */
const VERSIONS = new Set(versions().map((v) => v.version));

/**
 * Routes a request by its URL: the resources outside an API version, then
 * `/services/data/vXX.X/<area>/…` to the area's route module (routes/areas.ts), inside one
 * transaction unless the area says otherwise, and within the request's time budget. Unknown paths
 * and versions are 404 NOT_FOUND before the body is read.
 */
export function routeOf(org: OrgContext, ctx: RequestContext, method: string, url: URL, queryTimeoutMs: number, contentType = ''): Routed {
  const p = url.pathname.replace(/\/+$/, '');
  const fixed = (body: () => unknown): Routed => ({ maxBodyBytes: DEFAULT_MAX_BODY_BYTES, answer: () => ({ status: 200, body: body() }) });
  if (p === '/services/data') return fixed(() => versions());
  if (p === '/services/oauth2/userinfo') return fixed(() => userInfo(org, ctx, url));
  if (/^\/id\/00D[A-Za-z0-9]+\/005[A-Za-z0-9]+$/.test(p)) return fixed(() => identity(org, ctx, url));
  if (/^\/profilephoto\/[A-Za-z0-9]{3,18}\/[FT]$/.test(p)) {
    if (method !== 'GET' && method !== 'HEAD') throw methodNotAllowed(method);
    return { maxBodyBytes: DEFAULT_MAX_BODY_BYTES, answer: () => profilePhoto() };
  }
  if (/^\/services\/apexrest(\/|$)/i.test(p)) throw notImplemented('Apex REST (it runs no Apex)');
  const m = /^\/services\/data\/v(\d+\.\d)(\/.*)?$/.exec(p);
  if (!m || !VERSIONS.has(m[1])) throw notFound();
  const version = m[1];
  const seg = (m[2] ?? '').split('/').filter(Boolean).map(decodeSegment);
  const area = seg[0];
  if (area === undefined) return fixed(() => ({ ...resources(version), identity: identityUrl(url, ctx.userId) }));
  const handler = AREAS.get(area);
  if (!handler) {
    const unsupported = ownValue(UNSUPPORTED_AREAS, area);
    throw unsupported ? notImplemented(unsupported) : notFound();
  }
  return {
    maxBodyBytes:
      typeof handler.maxBodyBytes === 'function'
        ? handler.maxBodyBytes(method, seg.slice(1), contentType)
        : (handler.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES),
    answer({ body, contentType }) {
      const request: ApiRequest = {
        method,
        seg: seg.slice(1),
        url,
        version,
        body,
        contentType,
        json: () => parseJson(body, contentType),
        ctx
      };
      return org.store.withDeadline(queryTimeoutMs, () =>
        handler.transaction ? inTransaction(org.store, () => handler.handle(org, request)) : handler.handle(org, request)
      );
    }
  };
}

/** A path segment, URL-decoded; a malformed `%` escape names no resource (NOT_FOUND). */
function decodeSegment(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    throw notFound();
  }
}

/** Runs a synchronous route in one transaction; a RollbackWith rolls it back and answers its reply. */
function inTransaction(store: Store, fn: () => Reply): Reply {
  try {
    return store.transaction(fn);
  } catch (e) {
    if (e instanceof RollbackWith) return e.value;
    throw e;
  }
}
