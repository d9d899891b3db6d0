/**
 * Writes in sObject Collections (`/composite/sobjects`): up to 200 records a request, each record's outcome
 * in input order (https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/resources_composite_sobjects_collections.htm).
 * With allOrNone false one bad record never hides the others; with allOrNone true a failure rolls the request back.
 */

export interface SaveError {
  statusCode: string;
  message: string;
  fields: string[];
}

/** One record's outcome, in input order. */
export interface SaveResult {
  id: string | null;
  success: boolean;
  created?: boolean;
  errors: SaveError[];
}

export type WriteOperation = 'insert' | 'update' | 'upsert' | 'delete';

/** The most records one sObject Collections request takes. */
export const COLLECTION_SIZE = 200;

/** The request a collection write sends: method, URL (relative to the API version) and body. */
export function collectionRequest(
  operation: WriteOperation,
  sobject: string,
  records: readonly Record<string, unknown>[],
  opts: { allOrNone: boolean; externalIdField?: string }
): { method: 'POST' | 'PATCH' | 'DELETE'; url: string; body?: unknown } {
  const typed = () => records.map((r) => ({ attributes: { type: sobject }, ...r }));
  switch (operation) {
    case 'insert':
      return { method: 'POST', url: '/composite/sobjects', body: { allOrNone: opts.allOrNone, records: typed() } };
    case 'update':
      return { method: 'PATCH', url: '/composite/sobjects', body: { allOrNone: opts.allOrNone, records: typed() } };
    case 'upsert':
      if (!opts.externalIdField || !/^[A-Za-z][A-Za-z0-9_]*$/.test(opts.externalIdField) || !/^[A-Za-z][A-Za-z0-9_]*$/.test(sobject)) {
        throw new TypeError(`an upsert needs an sObject and an external ID field name (${sobject}, ${String(opts.externalIdField)})`);
      }
      return {
        method: 'PATCH',
        url: `/composite/sobjects/${sobject}/${opts.externalIdField}`,
        body: { allOrNone: opts.allOrNone, records: typed() }
      };
    case 'delete': {
      const ids = records.map((r) => String(r.Id ?? ''));
      if (ids.some((id) => !/^[A-Za-z0-9]{15}(?:[A-Za-z0-9]{3})?$/.test(id))) throw new TypeError('a delete takes record Ids');
      return { method: 'DELETE', url: `/composite/sobjects?ids=${ids.join(',')}&allOrNone=${String(opts.allOrNone)}` };
    }
  }
}

/** Collections answer errors as `{statusCode, message, fields}`; some orgs say `errorCode`. */
export function normalizeResult(r: Partial<SaveResult> & { errors?: unknown[] }): SaveResult {
  return {
    id: r.id ?? null,
    success: r.success === true,
    ...(r.created === undefined ? {} : { created: r.created }),
    errors: (r.errors ?? []).map((e) => {
      const x = (typeof e === 'object' && e !== null ? e : { message: String(e) }) as Partial<SaveError> & { errorCode?: string };
      return { statusCode: x.statusCode ?? x.errorCode ?? 'UNKNOWN', message: x.message ?? '', fields: x.fields ?? [] };
    })
  };
}

/** "STATUS_CODE: message" of a failed save. */
export function describeSaveError(r: SaveResult): string {
  const e = r.errors[0];
  return e ? `${e.statusCode}: ${e.message}` : 'not saved';
}
