import type { OrgContext, RequestContext } from '../context';
import { notFound } from '../errors';
import { AREAS, resources } from '../routes/areas';
import { identity, identityUrl, userInfo, versions } from '../routes/identity';
import type { ApiRequest } from '../routes/route';
import type { Store } from '../store';
import { parseJson } from './body';
import { Reply, RollbackWith } from './reply';

/** An authenticated request, its body read. */
export interface IncomingRequest {
  method: string;
  url: URL;
  body: Buffer;
  contentType: string;
}

/**
 * Routes a request: the resources outside an API version, then `/services/data/vXX.X/<area>/…`
 * to the area's route module (routes/areas.ts), inside one transaction unless the area says
 * otherwise. Unknown paths are 404 NOT_FOUND.
 */
export async function route(org: OrgContext, ctx: RequestContext, req: IncomingRequest): Promise<Reply> {
  const { method, url, body, contentType } = req;
  const p = url.pathname.replace(/\/+$/, '');
  if (p === '/services/data') return { status: 200, body: versions() };
  if (p === '/services/oauth2/userinfo') return { status: 200, body: userInfo(org, ctx, url) };
  if (/^\/id\/00D[A-Za-z0-9]+\/005[A-Za-z0-9]+$/.test(p)) return { status: 200, body: identity(org, ctx, url) };
  const m = /^\/services\/data\/v(\d+\.\d)(\/.*)?$/.exec(p);
  if (!m) throw notFound();
  const version = m[1];
  const seg = (m[2] ?? '').split('/').filter(Boolean).map(decodeURIComponent);
  const area = seg[0];
  if (area === undefined) return { status: 200, body: { ...resources(version), identity: identityUrl(url, ctx.userId) } };
  const handler = AREAS.get(area);
  if (!handler) throw notFound();
  const request: ApiRequest = { method, seg: seg.slice(1), url, version, body, contentType, json: () => parseJson(body), ctx };
  return handler.transaction ? inTransaction(org.store, () => handler.handle(org, request)) : handler.handle(org, request);
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
