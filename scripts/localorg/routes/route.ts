import type { OrgContext, RequestContext } from '../context';
import type { Reply } from '../http/reply';

/** A request to one REST area (`/services/data/vXX.X/<area>/…`), as a route module sees it. */
export interface ApiRequest {
  method: string;
  /** The path segments after the area, URL-decoded: `['Lead', '00Q…']` for `/sobjects/Lead/00Q…`. */
  seg: string[];
  url: URL;
  /** The API version of the URL (`64.0`). */
  version: string;
  /** The raw body and its content type. */
  body: Buffer;
  contentType: string;
  /** The body as JSON, parsed when first asked for (a route that reads no body never fails on one). */
  json(): unknown;
  /** Who makes the request, and when. */
  ctx: RequestContext;
}

/**
 * A REST area's handler. Most run inside one database transaction (all-or-nothing: an error rolls
 * back every write of the request) and so are synchronous; an area with long-running work (a
 * metadata deploy) runs outside one and may be asynchronous. `maxBodyBytes` is the largest body the
 * area reads (default 50 MB, bounds.ts), or a function of the request's method, path segments after
 * the area and content type when one resource of the area takes more than the others (Bulk API
 * uploads); a longer body is answered 413 unread.
 */
export type BodyLimit = number | ((method: string, seg: string[], contentType: string) => number);
export type Route =
  | { transaction: true; maxBodyBytes?: BodyLimit; handle(org: OrgContext, req: ApiRequest): Reply }
  | { transaction: false; maxBodyBytes?: BodyLimit; handle(org: OrgContext, req: ApiRequest): Reply | Promise<Reply> };
