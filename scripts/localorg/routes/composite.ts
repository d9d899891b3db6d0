import type { OrgContext } from '../context';
import { ApiError, methodNotAllowed, notFound } from '../errors';
import { Reply, RollbackWith } from '../http/reply';
import { coerceValue } from '../records/fieldValues';
import type { ObjectSchema } from '../schema';
import { compositeRequest } from './compositeRequest';
import type { ApiRequest, Route } from './route';

/** The most records one create/update/upsert/delete collection call takes. */
const COLLECTION_LIMIT = 200;
/** The most ids one retrieve collection call (POST) takes ("up to 2,000 records"). */
const RETRIEVE_LIMIT = 2000;

/**
 * `/composite/sobjects`: sObject collections. Up to 200 records per call, each saved or failed
 * on its own (a savepoint per record); with allOrNone, one failure rolls the whole call back and
 * every record answers as failed. A body that is not the documented shape (`records` a list of
 * objects, `ids` and `fields` lists of strings, `allOrNone` a boolean) is 400 JSON_PARSER_ERROR and
 * writes nothing.
 */
export const compositeRoute: Route = {
  transaction: true,
  handle(org, req) {
    if (req.seg.length === 0) return compositeRequest(org, req);
    if (req.seg[0] === 'sobjects') return collections(org, { ...req, seg: req.seg.slice(1) });
    throw notFound();
  }
};

type Result = {
  id?: string | null;
  success: boolean;
  errors: Array<{ statusCode: string; message: string; fields: string[] }>;
  created?: boolean;
};

const parserError = (message: string) => new ApiError(400, 'JSON_PARSER_ERROR', message);

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * `allOrNone` of a collection body. Salesforce reads JSON with Jackson, which takes the strings
 * "true" and "false" for a boolean (its default scalar coercion) and refuses any other value, so
 * `"allOrNone": "true"` rolls back as `true` does instead of committing part of the request.
 */
function allOrNoneOf(v: unknown): boolean {
  if (v === undefined || v === null || v === false || v === 'false') return false;
  if (v === true || v === 'true') return true;
  throw parserError(`Cannot deserialize value of type boolean from ${JSON.stringify(v)}: allOrNone must be true or false`);
}

/** A list of strings (`ids`, `fields` of a retrieve), or JSON_PARSER_ERROR naming the property. */
function stringList(v: unknown, name: string): string[] {
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v) || v.some((s) => typeof s !== 'string')) {
    throw parserError(`Cannot deserialize ${name}: expected a list of strings, got ${JSON.stringify(v)?.slice(0, 100)}`);
  }
  return v as string[];
}

function collections(org: OrgContext, { method, seg, url, json, version, ctx }: ApiRequest): Reply {
  const q = url.searchParams;
  const failure = (e: unknown): Result => {
    if (e instanceof ApiError) return { success: false, errors: [{ statusCode: e.errorCode, message: e.message, fields: e.fields }] };
    throw e;
  };
  const finish = (results: Result[], allOrNone: boolean, upsert: boolean): Reply => {
    if (allOrNone && results.some((r) => !r.success)) {
      // an upsert result keeps `created`: whether the record matched none, saved or not (jsforce's own
      // integration test of an allOrNone upsert rolled back expects created: true for every new record)
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
              ],
              ...(upsert ? { created: r.created ?? false } : {})
            }
          : { ...r, id: null }
      );
      throw new RollbackWith({ status: 200, body: rolled });
    }
    return { status: 200, body: results };
  };
  const checkCount = (n: number, limit = COLLECTION_LIMIT) => {
    if (n > limit) {
      throw new ApiError(400, 'EXCEEDED_ID_LIMIT', `record limit reached. cannot submit more than ${limit} records into this call`);
    }
  };
  const each = <T>(items: T[], allOrNone: boolean, fn: (item: T, i: number) => Result, upsert = false): Reply => {
    checkCount(items.length);
    const results = items.map((item, i) => {
      try {
        return org.store.savepoint(() => fn(item, i));
      } catch (e) {
        return { ...failure(e), ...(upsert ? { created: e instanceof ApiError && e.upsertCreating } : {}) };
      }
    });
    return finish(results, allOrNone, upsert);
  };
  if (method === 'DELETE' && seg.length === 0) {
    const ids = (q.get('ids') ?? '').split(',').filter(Boolean);
    const allOrNone = /^true$/i.test(q.get('allOrNone') ?? '');
    return each(ids, allOrNone, (id) => ({ id: org.records.delete(undefined, id, ctx), success: true, errors: [] }));
  }
  const body = json();
  if (!isRecord(body)) throw parserError('The request body must be a JSON object');
  const allOrNone = allOrNoneOf(body.allOrNone);
  const typeOf = (r: Record<string, unknown>) => {
    const t = (r.attributes as { type?: unknown } | undefined)?.type;
    if (!t || typeof t !== 'string') throw new ApiError(400, 'INVALID_TYPE', 'Must send a concrete entity type.');
    return t;
  };
  if (method === 'POST' && seg.length === 1) {
    // retrieve collection
    const obj = org.schema.get(seg[0]);
    if (!obj) throw notFound();
    const ids = stringList(body.ids, 'ids');
    const fields = stringList(body.fields, 'fields').join(',');
    checkCount(ids.length, RETRIEVE_LIMIT);
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
  if (!Array.isArray(records)) throw parserError('records is required: a list of records');
  const bad = records.findIndex((r) => !isRecord(r));
  if (bad >= 0) throw parserError(`Cannot deserialize records[${bad}]: ${JSON.stringify(records.at(bad))} is not a record (a JSON object)`);
  const list = records as Array<Record<string, unknown>>;
  if (method === 'POST' && seg.length === 0) {
    return each(list, allOrNone, (r) => {
      if ('Id' in r || 'id' in r) throw new ApiError(400, 'INVALID_FIELD', 'cannot specify Id in an insert call', ['Id']);
      return { id: org.records.insert(typeOf(r), r, ctx, false), success: true, errors: [] };
    });
  }
  if (method === 'PATCH' && seg.length === 0) {
    return each(list, allOrNone, (r) => {
      const { id, Id, ...rest } = r;
      const recId = (Id ?? id) as string | undefined;
      if (!recId) throw new ApiError(400, 'MISSING_ARGUMENT', 'Id not specified in an update call', []);
      return { id: org.records.update(typeOf(r), recId, rest, ctx, false), success: true, errors: [] };
    });
  }
  if (method === 'PATCH' && seg.length === 2) {
    const obj = org.schema.get(seg[0]);
    if (!obj) throw notFound();
    const valueOf = (r: Record<string, unknown>) => {
      const lower = seg[1].toLowerCase();
      return Object.entries(r).find(([k]) => k.toLowerCase() === lower)?.[1];
    };
    const duplicated = duplicateKeys(obj, seg[1], list.map(valueOf));
    return each(
      list,
      allOrNone,
      (r, i) => {
        // "DUPLICATE_EXTERNAL_ID: A user-specified external ID matches more than one record during an
        // upsert" (SOAP API, StatusCode): a list that names one external id twice saves neither record
        if (duplicated.has(i)) throw new ApiError(400, 'DUPLICATE_EXTERNAL_ID', `Duplicate external id specified: ${String(valueOf(r))}`);
        const t = (r.attributes as { type?: unknown } | undefined)?.type;
        const res = org.records.upsert(typeof t === 'string' ? t : obj.name, seg[1], valueOf(r), r, ctx, false);
        return { id: res.id, success: true, errors: [], created: res.created };
      },
      true
    );
  }
  throw methodNotAllowed(method);
}

/** The positions of records whose external id value another record of the list also has. */
function duplicateKeys(obj: ObjectSchema, fieldName: string, values: unknown[]): Set<number> {
  const field = obj.byName.get(fieldName.toLowerCase());
  const seen = new Map<string, number[]>();
  values.forEach((v, i) => {
    if (!field || v === undefined || v === null || v === '') return;
    let key: string;
    try {
      const stored = coerceValue(obj, field, v);
      if (stored === null) return;
      // text external ids match case-insensitively unless case-sensitive, as the upsert itself matches them
      key = typeof stored === 'string' && !field.caseSensitive ? stored.toLowerCase() : String(stored);
    } catch {
      return; // the record's own upsert reports its bad value
    }
    seen.set(key, [...(seen.get(key) ?? []), i]);
  });
  return new Set([...seen.values()].filter((at) => at.length > 1).flat());
}
