import type { Connection } from 'jsforce';

/**
 * Every HTTP request a jsforce connection sends, counted where they all pass: the connection's transport
 * (REST, composite, Bulk API 2.0 job calls and result pages, SOAP, OAuth refreshes alike). jsforce keeps one
 * transport per connection (`Connection#_transport`, handed to every `HttpApi` it creates), so wrapping its
 * `httpRequest` once sees them all. A daily API limit counts requests, so this is what a sync's `apiCalls` is.
 */

interface Transport {
  httpRequest(req: unknown, options?: unknown): unknown;
}

interface Counted {
  requests: number;
}

const COUNTERS = new WeakMap<Connection, Counted>();

/** The request counter of a connection (installed on first use; the count only grows). */
export function requestCounter(conn: Connection): { readonly requests: number } {
  let counted = COUNTERS.get(conn);
  if (counted) return counted;
  counted = { requests: 0 };
  const c = counted;
  const transport = (conn as unknown as { _transport?: Transport })._transport;
  if (!transport || typeof transport.httpRequest !== 'function') {
    throw new Error('this jsforce Connection has no transport to count requests on (jsforce v3 expected)');
  }
  const send = transport.httpRequest.bind(transport);
  transport.httpRequest = (req: unknown, options?: unknown) => {
    c.requests++;
    return send(req, options);
  };
  COUNTERS.set(conn, counted);
  return counted;
}
