import { ApiError, methodNotAllowed } from '../errors';
import type { Route } from './route';
import { notImplemented } from './unsupported';

/**
 * `/query?q=<SOQL>` and `/queryAll` (deleted records too), and `/query/<locator>` for the next
 * page of a result.
 */
export function queryRoute(includeDeleted: boolean): Route {
  return {
    transaction: true,
    handle(org, { method, seg, url, version, ctx }) {
      if (method !== 'GET') throw methodNotAllowed(method);
      if (seg[0]) return { status: 200, body: org.queries.more(seg[0], org.schema) };
      if (url.searchParams.has('explain')) throw notImplemented('query plans (explain)');
      const soql = url.searchParams.get('q');
      if (!soql) throw new ApiError(400, 'MALFORMED_QUERY', 'A query string has to be specified');
      return {
        status: 200,
        body: org.queries.run(soql, { schema: org.schema, version, now: ctx.now, tz: ctx.timeZone(), includeDeleted })
      };
    }
  };
}
