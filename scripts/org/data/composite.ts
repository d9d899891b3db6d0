/**
 * Several independent reads in one HTTP request: the REST API's Composite resource (`POST /composite`,
 * allOrNone false). Salesforce counts "the entire series of requests as a single call toward your API limits"
 * and takes up to 25 subrequests, of which at most 5 may be query operations (Query, QueryAll or a next page);
 * describes and other sObject resources count only against the 25
 * (https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/resources_composite_composite.htm).
 * `compositeReads` packs reads into as few composite requests as those limits allow. (Composite Batch,
 * `/composite/batch`, takes 25 subrequests without the query limit, but "each subrequest counts against rate
 * limits", so it would not save API calls.)
 */
import type { Soql } from './soql';
import type { QueryResponse } from './paging';

/** The most subrequests in one composite request. */
export const COMPOSITE_SUBREQUESTS = 25;
/** The most query operations (Query, QueryAll, query-more) in one composite request. */
export const COMPOSITE_QUERIES = 5;

/** One read: a query (queryAll with `includeDeleted`) or an object's describe. */
export type Read = { soql: Soql; includeDeleted?: boolean } | { describe: string };

/** A read's answer: a query's first page, a describe, or the org's error for that subrequest. */
export type ReadAnswer = { ok: true; body: unknown } | { ok: false; status: number; errorCode: string; message: string };

interface SubResponse {
  body: unknown;
  httpStatusCode: number;
  referenceId: string;
}

export type SendComposite = (body: { allOrNone: boolean; compositeRequest: unknown[] }) => Promise<{ compositeResponse: SubResponse[] }>;

function urlOf(read: Read, version: string): string {
  if ('describe' in read) {
    if (!/^[A-Za-z][A-Za-z0-9_]*$/.test(read.describe)) throw new TypeError(`not an sObject name: ${read.describe}`);
    return `/services/data/v${version}/sobjects/${read.describe}/describe`;
  }
  return `/services/data/v${version}/${read.includeDeleted ? 'queryAll' : 'query'}?q=${encodeURIComponent(read.soql.text)}`;
}

/** Splits reads into composite requests of at most 25 subrequests and 5 queries, in order. */
export function packReads(reads: readonly Read[]): Read[][] {
  const out: Read[][] = [];
  let current: Read[] = [];
  let queries = 0;
  for (const r of reads) {
    const isQuery = 'soql' in r;
    if (current.length >= COMPOSITE_SUBREQUESTS || (isQuery && queries >= COMPOSITE_QUERIES)) {
      out.push(current);
      current = [];
      queries = 0;
    }
    current.push(r);
    if (isQuery) queries++;
  }
  if (current.length > 0) out.push(current);
  return out;
}

/** Runs the reads in as few composite requests as the limits allow; answers in the reads' order. */
export async function compositeReads(reads: readonly Read[], version: string, send: SendComposite): Promise<ReadAnswer[]> {
  const answers: ReadAnswer[] = [];
  for (const group of packReads(reads)) {
    const res = await send({
      allOrNone: false,
      compositeRequest: group.map((r, i) => ({ method: 'GET', url: urlOf(r, version), referenceId: `read${i}` }))
    });
    const byRef = new Map((res.compositeResponse ?? []).map((s) => [s.referenceId, s]));
    group.forEach((_r, i) => {
      const sub = byRef.get(`read${i}`);
      if (!sub) {
        answers.push({
          ok: false,
          status: 500,
          errorCode: 'UNKNOWN_EXCEPTION',
          message: 'the composite response has no answer for this read'
        });
        return;
      }
      if (sub.httpStatusCode >= 200 && sub.httpStatusCode < 300) {
        answers.push({ ok: true, body: sub.body });
        return;
      }
      const err = (Array.isArray(sub.body) ? sub.body[0] : sub.body) as { errorCode?: string; message?: string } | undefined;
      answers.push({
        ok: false,
        status: sub.httpStatusCode,
        errorCode: err?.errorCode ?? 'UNKNOWN_EXCEPTION',
        message: err?.message ?? ''
      });
    });
  }
  return answers;
}

/** The first page a query read answered. */
export function asQueryResponse<T>(answer: ReadAnswer): QueryResponse<T> {
  if (!answer.ok) throw new Error(`${answer.errorCode}: ${answer.message}`);
  return answer.body as QueryResponse<T>;
}
