import type { OrgContext } from '../context';
import { ApiError, methodNotAllowed, notFound } from '../errors';
import { Reply, RollbackWith } from '../http/reply';
import type { ApiRequest, Route } from './route';

/** The most records one collection call takes. */
const COLLECTION_LIMIT = 200;

/**
 * `/composite/sobjects`: sObject collections. Up to 200 records per call, each saved or failed
 * on its own (a savepoint per record); with allOrNone, one failure rolls the whole call back and
 * every record answers as failed.
 */
export const compositeRoute: Route = {
  transaction: true,
  handle(org, req) {
    if (req.seg[0] === 'sobjects') return collections(org, { ...req, seg: req.seg.slice(1) });
    throw notFound();
  }
};

function collections(org: OrgContext, { method, seg, url, json, version, ctx }: ApiRequest): Reply {
  const q = url.searchParams;
  type Result = {
    id?: string | null;
    success: boolean;
    errors: Array<{ statusCode: string; message: string; fields: string[] }>;
    created?: boolean;
  };
  const failure = (e: unknown): Result => {
    if (e instanceof ApiError) return { success: false, errors: [{ statusCode: e.errorCode, message: e.message, fields: e.fields }] };
    throw e;
  };
  const finish = (results: Result[], allOrNone: boolean): Reply => {
    if (allOrNone && results.some((r) => !r.success)) {
      const rolled = results.map((r) =>
        r.success
          ? {
              id: null,
              success: false,
              errors: [
                {
                  statusCode: 'ALL_OR_NONE_OPERATION_ROLLED_BACK',
                  message: 'Record rolled back because not all records were valid and the request was using AllOrNone header',
                  fields: []
                }
              ]
            }
          : { ...r, id: null }
      );
      throw new RollbackWith({ status: 200, body: rolled });
    }
    return { status: 200, body: results };
  };
  const each = <T>(items: T[], allOrNone: boolean, fn: (item: T) => Result): Reply => {
    if (items.length > COLLECTION_LIMIT) {
      throw new ApiError(
        400,
        'EXCEEDED_ID_LIMIT',
        `record limit reached. cannot submit more than ${COLLECTION_LIMIT} records into this call`
      );
    }
    const results = items.map((item) => {
      try {
        return org.store.savepoint(() => fn(item));
      } catch (e) {
        return failure(e);
      }
    });
    return finish(results, allOrNone);
  };
  if (method === 'DELETE' && seg.length === 0) {
    const ids = (q.get('ids') ?? '').split(',').filter(Boolean);
    const allOrNone = q.get('allOrNone') === 'true';
    return each(ids, allOrNone, (id) => ({ id: org.records.delete(undefined, id, ctx), success: true, errors: [] }));
  }
  const body = json() as { allOrNone?: boolean; records?: Array<Record<string, unknown>>; ids?: string[]; fields?: string[] };
  if (typeof body !== 'object' || body === null) throw new ApiError(400, 'JSON_PARSER_ERROR', 'The request body must be a JSON object');
  const allOrNone = body.allOrNone === true;
  const typeOf = (r: Record<string, unknown>) => {
    const t = (r.attributes as { type?: string } | undefined)?.type;
    if (!t) throw new ApiError(400, 'INVALID_TYPE', 'Must send a concrete entity type.');
    return t;
  };
  if (method === 'POST' && seg.length === 1) {
    // retrieve collection
    const obj = org.schema.get(seg[0]);
    if (!obj) throw notFound();
    const ids = body.ids ?? [];
    const fields = (body.fields ?? []).join(',');
    return {
      status: 200,
      body: ids.map((id) => {
        try {
          return org.records.retrieve(obj.name, id, version, fields || undefined, ctx.access);
        } catch (e) {
          if (e instanceof ApiError && e.status === 404) return null;
          throw e;
        }
      })
    };
  }
  const records = body.records;
  if (!Array.isArray(records)) throw new ApiError(400, 'JSON_PARSER_ERROR', 'records is required');
  if (method === 'POST' && seg.length === 0) {
    return each(records, allOrNone, (r) => {
      if ('Id' in r || 'id' in r) throw new ApiError(400, 'INVALID_FIELD', 'cannot specify Id in an insert call', ['Id']);
      return { id: org.records.insert(typeOf(r), r, ctx, false), success: true, errors: [] };
    });
  }
  if (method === 'PATCH' && seg.length === 0) {
    return each(records, allOrNone, (r) => {
      const { id, Id, ...rest } = r;
      const recId = (Id ?? id) as string | undefined;
      if (!recId) throw new ApiError(400, 'MISSING_ARGUMENT', 'Id not specified in an update call', []);
      return { id: org.records.update(typeOf(r), recId, rest, ctx, false), success: true, errors: [] };
    });
  }
  if (method === 'PATCH' && seg.length === 2) {
    const obj = org.schema.get(seg[0]);
    if (!obj) throw notFound();
    return each(records, allOrNone, (r) => {
      const key = Object.keys(r).find((k) => k.toLowerCase() === seg[1].toLowerCase());
      const value = key ? r[key] : undefined;
      const t = (r.attributes as { type?: string } | undefined)?.type ?? obj.name;
      const res = org.records.upsert(t, seg[1], value, r, ctx, false);
      return { id: res.id, success: true, errors: [], created: res.created };
    });
  }
  throw methodNotAllowed(method);
}
