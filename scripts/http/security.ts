import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type * as http from 'node:http';

/**
 * What every HTTP server `npm start` runs on 127.0.0.1 (the browser preview, the HTML reports) does
 * before it answers: the checks that keep lead and rep data inside the browser of the person who
 * started it. See docs/browser-preview.md (Security) for the reasoning; in short:
 *
 *  1. Host: only `127.0.0.1:<port>` or `localhost:<port>`, else 421. A DNS-rebinding page
 *     (evil.example resolved to 127.0.0.1) sends its own name, so it is refused before anything runs.
 *  2. Origin: a request that says where it comes from (browsers send Origin on every cross-origin
 *     fetch and every POST/PATCH/DELETE) must come from one of the servers that share this access,
 *     else 403. Another site, or another local web server on a different port, cannot drive ours.
 *     And the Fetch Metadata resource isolation policy (https://web.dev/articles/fetch-metadata): a
 *     request the browser marks as coming from another origin is refused unless it is a top-level
 *     navigation or a CORS request from a trusted origin, so no other page can embed our answers
 *     (`<script src>`, `<img src>`) even where the browser would send the cookie.
 *  3. A per-start secret, known only to whoever read the terminal: the printed URL carries it once
 *     (`?token=`), the server swaps it for an HttpOnly, SameSite=Strict cookie and redirects to the
 *     same URL without it. Scripts may send `Authorization: Bearer <token>` instead. Anything else
 *     (other local users and processes, other sites) gets 403.
 *
 * Servers started together (npm start) share one LocalAccess: one token, one cookie, so a link from the
 * preview to the reports opens without asking again. Cookies ignore ports, so the cookie's name comes
 * from the token: servers with different tokens never overwrite each other's cookie.
 */
export class LocalAccess {
  readonly token: string;
  /** `closed-loop-<12 hex of sha256(token)>` */
  readonly cookieName: string;
  private readonly origins = new Set<string>();

  constructor(token: string = randomBytes(24).toString('base64url')) {
    if (!/^[A-Za-z0-9_-]{16,}$/.test(token)) throw new Error('a local access token is at least 16 URL-safe characters');
    this.token = token;
    this.cookieName = `closed-loop-${createHash('sha256').update(token).digest('hex').slice(0, 12)}`;
  }

  /** The servers sharing this access, as origins (`http://127.0.0.1:5173`, `http://localhost:5173`). */
  get trustedOrigins(): ReadonlySet<string> {
    return this.origins;
  }

  /** The gate of one server, once it listens on `port`. */
  gate(port: number): AccessGate {
    for (const host of localHosts(port)) this.origins.add(`http://${host}`);
    return new AccessGate(this, port);
  }

  /** `url` with the token, for a person to open: the server swaps it for the cookie on the first visit. */
  entryUrl(url: string): string {
    const u = new URL(url);
    u.searchParams.set(TOKEN_PARAM, this.token);
    return u.toString();
  }

  /** Whether `candidate` is the token (in constant time). */
  matches(candidate: string | undefined | null): boolean {
    if (!candidate) return false;
    const a = Buffer.from(candidate);
    const b = Buffer.from(this.token);
    return a.length === b.length && timingSafeEqual(a, b);
  }
}

const TOKEN_PARAM = 'token';

function localHosts(port: number): string[] {
  return [`127.0.0.1:${port}`, `localhost:${port}`];
}

/** How a server answers a refused request: the status and a one-line reason (no internals). */
export interface Refusal {
  status: 400 | 421 | 403 | 303;
  message: string;
  headers?: Record<string, string>;
}

export class AccessGate {
  private readonly hosts: ReadonlySet<string>;

  constructor(
    readonly access: LocalAccess,
    readonly port: number
  ) {
    this.hosts = new Set(localHosts(port));
  }

  /**
   * Undefined when the request may be answered; otherwise what to answer instead. A first visit with
   * the token in its URL is answered with a 303 to the same URL without it, setting the cookie.
   */
  check(req: http.IncomingMessage): Refusal | undefined {
    if (!this.hosts.has(String(req.headers.host ?? ''))) return { status: 421, message: 'Misdirected request' };
    const origin = req.headers.origin;
    // A form POST from one of our own pages says `Origin: null`: every answer is Referrer-Policy no-referrer, under which
    // the browser serializes the request's origin as null (https://fetch.spec.whatwg.org/#serializing-a-request-origin;
    // https://github.com/rails/rails/issues/28299). Sec-Fetch-Site, which no page can set, says it came from this origin.
    const ownForm = origin === 'null' && req.headers['sec-fetch-site'] === 'same-origin';
    const trusted = (origin !== undefined && this.access.trustedOrigins.has(origin)) || ownForm;
    if (origin !== undefined && !trusted) return { status: 403, message: 'Cross-origin requests are refused' };
    const site = req.headers['sec-fetch-site'];
    if (site !== undefined && site !== 'same-origin' && site !== 'none' && !trusted) {
      const navigation = req.headers['sec-fetch-mode'] === 'navigate' && (req.method === 'GET' || req.method === 'HEAD');
      if (!navigation) return { status: 403, message: 'Cross-origin requests are refused' };
    }
    let url: URL;
    try {
      url = new URL(req.url ?? '/', `http://127.0.0.1:${this.port}`);
    } catch {
      return { status: 400, message: 'Bad request URL' };
    }
    const fromUrl = url.searchParams.get(TOKEN_PARAM);
    if (fromUrl !== null && (req.method === 'GET' || req.method === 'HEAD') && this.access.matches(fromUrl)) {
      url.searchParams.delete(TOKEN_PARAM);
      return {
        status: 303,
        message: 'Signed in',
        headers: {
          location: `${url.pathname}${url.search}`,
          // HttpOnly: no script reads it; SameSite=Strict: no other site's page makes the browser send it
          'set-cookie': `${this.access.cookieName}=${this.access.token}; Path=/; HttpOnly; SameSite=Strict`
        }
      };
    }
    if (this.access.matches(cookie(req, this.access.cookieName)) || this.access.matches(bearer(req))) return undefined;
    return {
      status: 403,
      message: 'Open the URL that npm start (or the closed-loop command) printed: it carries the access token of this run.'
    };
  }

  /**
   * CORS headers for a GET from another server sharing this access (the preview reading a report's
   * JSON): that origin may read the answer, with the cookie. Nothing for same-origin requests.
   */
  corsHeaders(req: http.IncomingMessage): Record<string, string> {
    const origin = req.headers.origin;
    if (origin === undefined || !this.access.trustedOrigins.has(origin) || this.ownOrigin(origin)) return {};
    return { 'access-control-allow-origin': origin, 'access-control-allow-credentials': 'true', vary: 'Origin' };
  }

  private ownOrigin(origin: string): boolean {
    return localHosts(this.port).some((h) => origin === `http://${h}`);
  }
}

function cookie(req: http.IncomingMessage, name: string): string | undefined {
  for (const part of String(req.headers.cookie ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}

function bearer(req: http.IncomingMessage): string | undefined {
  const m = /^Bearer (\S+)$/.exec(String(req.headers.authorization ?? ''));
  return m ? m[1] : undefined;
}

// ---- response headers ---------------------------------------------------------------------------

/** For answers that are not pages (JSON, CSV, plain text): nothing in them may run or be framed. */
export const DATA_CSP = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

/**
 * Headers on every answer: the Content-Security-Policy given, no MIME sniffing (a CSV or JSON answer is
 * never run as a script or page), and no Referer (URLs with ids or a token never leave in one).
 */
export function securityHeaders(csp: string): Record<string, string> {
  return { 'content-security-policy': csp, 'x-content-type-options': 'nosniff', 'referrer-policy': 'no-referrer' };
}

/** A fresh CSP nonce (128 bits) for one page's inline <script> and <style> elements. */
export function cspNonce(): string {
  return randomBytes(16).toString('base64');
}

/**
 * An unexpected failure: the details go to `log` (the terminal of whoever started the server) with an
 * id; the client gets a generic message with the same id, never a message, stack or SQL.
 */
export function internalError(err: unknown, log: (line: string) => void = (l) => process.stderr.write(`${l}\n`)): string {
  const id = randomBytes(6).toString('hex');
  log(`[${id}] ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
  return `Internal error (id ${id}); the details are in the terminal that runs the server.`;
}

/** Answers a refused request (Refusal from AccessGate.check) as plain text. */
export function sendRefusal(res: http.ServerResponse, refusal: Refusal): void {
  const body = `${refusal.message}\n`;
  res.writeHead(refusal.status, {
    ...securityHeaders(DATA_CSP),
    ...refusal.headers,
    'content-type': 'text/plain; charset=utf-8',
    'content-length': Buffer.byteLength(body),
    'cache-control': 'no-store'
  });
  res.end(body);
}
