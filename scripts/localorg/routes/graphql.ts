import { methodNotAllowed, notFound } from '../errors';
import { runGraphql } from '../graphql/run';
import type { Route } from './route';

/** `/graphql`: the UI API GraphQL endpoint; 200 with `{data, errors}`, also for queries it rejects. */
export const graphqlRoute: Route = {
  transaction: true,
  handle(org, { method, seg, version, json, ctx }) {
    if (method !== 'POST' || seg.length !== 0) throw method !== 'POST' ? methodNotAllowed(method) : notFound();
    return {
      status: 200,
      body: runGraphql(json(), { schema: org.schema, queries: org.queries, version, now: ctx.now, tz: ctx.timeZone() })
    };
  }
};
