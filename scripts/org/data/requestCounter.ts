import type { Connection } from 'jsforce';

/**
 * Every HTTP request a jsforce connection sends, counted where they all pass: the connection's transport
 * (REST, composite, Bulk API 2.0 job calls and result pages, SOAP, OAuth refreshes alike). jsforce keeps one
 * transport per connection (`Connection#_transport`, handed to every `HttpApi` it creates), so wrapping its
 * `httpRequest` once sees them all. A daily API limit counts requests, so this is what a sync's `apiCalls` is.
 * Each request is also counted by its kind (`requestKind`), for benchmarks that say where the calls go.
 */

interface Transport {
  httpRequest(req: unknown, options?: unknown): unknown;
}

export interface RequestCount {
  readonly requests: number;
  /** requests by kind (`query`, `collections`, `bulk ingest: status`, …) */
  readonly byKind: ReadonlyMap<string, number>;
}

interface Counted {
  requests: number;
  byKind: Map<string, number>;
}

const COUNTERS = new WeakMap<Connection, Counted>();

/** The request counter of a connection (installed on first use; the counts only grow). */
export function requestCounter(conn: Connection): RequestCount {
  let counted = COUNTERS.get(conn);
  if (counted) return counted;
  counted = { requests: 0, byKind: new Map() };
  const c = counted;
  const transport = (conn as unknown as { _transport?: Transport })._transport;
  if (!transport || typeof transport.httpRequest !== 'function') {
    throw new Error('this jsforce Connection has no transport to count requests on (jsforce v3 expected)');
  }
  wrap(transport, c);
  COUNTERS.set(conn, counted);
  return counted;
}

/**
 * Counts the requests of another transport as the connection's: one that some of its requests go through
 * instead of the connection's own (Bulk API 2.0 result pages, whose bodies are streamed: scripts/org/bulk2.ts).
 */
export function countRequestsOf(conn: Connection, transport: Transport): void {
  wrap(transport, requestCounter(conn) as Counted);
}

function wrap(transport: Transport, c: Counted): void {
  const send = transport.httpRequest.bind(transport);
  transport.httpRequest = (req: unknown, options?: unknown) => {
    c.requests++;
    const r = (req ?? {}) as { method?: unknown; url?: unknown };
    const kind = requestKind(String(r.method ?? 'GET'), String(r.url ?? ''));
    c.byKind.set(kind, (c.byKind.get(kind) ?? 0) + 1);
    return send(req, options);
  };
}

const JOB = /\/jobs\/(ingest|query)(?:\/([^/?]+)(?:\/([^/?]+))?)?/;

/** What a request to the org is, from its method and URL: the kinds a sync's calls are reported by. */
export function requestKind(method: string, url: string): string {
  const m = method.toUpperCase();
  const path = url.replace(/^[a-z]+:\/\/[^/]+/i, '').replace(/^\/services\/data\/v\d+\.\d+/, '');
  const job = JOB.exec(path);
  if (job) {
    const [, kind, id, sub] = job;
    const what = !id
      ? m === 'POST'
        ? 'create'
        : 'list'
      : sub === 'batches'
        ? 'upload'
        : sub
          ? 'results'
          : m === 'PATCH'
            ? 'close'
            : m === 'DELETE'
              ? 'delete'
              : 'status';
    return `bulk ${kind}: ${what}`;
  }
  if (/^\/(query|queryAll)(\/|\?|$)/.test(path)) return 'query';
  if (/^\/composite\/sobjects/.test(path)) return 'collections';
  if (/^\/composite(\?|$)/.test(path)) return 'composite';
  if (/^\/actions\//.test(path)) return 'actions';
  if (/^\/sobjects\/[^/]+\/describe/.test(path)) return 'describe';
  if (/^\/sobjects\//.test(path)) return 'sobject';
  return 'other';
}
