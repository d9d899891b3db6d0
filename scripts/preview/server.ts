import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import { AccessGate, DATA_CSP, internalError, LocalAccess, securityHeaders, sendRefusal } from '../http/security';
import { soql, soqlFields, soqlLike, soqlName } from '../org/data';
import { PROJECT_ROOT } from '../project';
import type { PreviewBuild } from './build';
import { detailFields, highlightFields, listColumns, recordRoute } from './layouts';
import { OrgClient, PreviewServerError, type OrgEndpoint, type UserInfo } from './orgClient';
import { formatCell, valueAt } from './cells';
import { filterControls, listQueryParts, readListFilter, whereClause } from './listFilters';
import { listViewRoute } from './listViews';
import { bellHtml, markRead, notificationRoute, withBell } from './notifications';
import { PREVIEW_CSS } from './previewCss';
import { readPages, type PreviewPage } from './pages';
import { PERSONA_CSS, readSwitch, startingUser, viewAs, viewingAsHtml, type PreviewUsers } from './personas';
import { homeLinks, navLinks, originOf, reportsRedirect } from './reportLinks';
import { mayOpenWhatIf } from './whatIfAccess';

export { PreviewServerError, type OrgEndpoint } from './orgClient';

/**
 * The preview's HTTP server, on 127.0.0.1 only. It serves the built components, SLDS from
 * @salesforce-ux/design-system, the pages (a searchable record list, record pages laid out like the
 * flexipages, the app home) and `/ui-api/*`, a proxy to the org's UI API that adds the bearer token, so
 * the token never reaches the page. It talks to the org over HTTP only, as it would to a real org.
 * Every request passes the local access gate first (Host, Origin, this run's token or its cookie:
 * scripts/http/security.ts), so only the browser of whoever started it sees the pages or reaches the
 * org through the proxy. See docs/browser-preview.md.
 */

export interface PreviewServerOptions {
  org: OrgEndpoint;
  /**
   * The built components, or the build still running (`npm start` serves at once and builds in the
   * background): until it is done, pages answer "building" and reload themselves.
   */
  build: PreviewBuild | Promise<PreviewBuild>;
  /** TCP port on 127.0.0.1; 0 picks a free one. */
  port?: number;
  pages?: PreviewPage[];
  /** Shared with the other servers of the same run (npm start); a new token when absent. */
  access?: LocalAccess;
  /** Where the details of an unexpected failure go (default: stderr); the browser gets an id only. */
  log?: (line: string) => void;
  /**
   * Where the HTML reports and the dashboard are served (`npm start`'s reports server, e.g.
   * `http://127.0.0.1:5181/reports`), or a function that says so once it is known. The app navigation and
   * Home link to them, and `/reports…` and `/dashboard…` here redirect there — so a report link the
   * scorecard stored as a path (`/reports/<Name>?period=…`) opens from the preview as it does in an org.
   */
  reportsUrl?: string | (() => string | undefined);
  /**
   * Whom the preview may run as (a local org: localOrgUsers(org) in ./personas.ts): the header's "View as"
   * menu switches between them, and the server reaches the org with the chosen user's token. Without it,
   * the preview runs as `org`'s user (a real org: the user sf is logged in as).
   */
  users?: PreviewUsers;
  /** The user to start as: a choice of `users` or a username (default: the first choice, a rep). */
  as?: string;
  /** Started as this choice when `as` cannot be (no such user yet); the header says why. Default: none (an error). */
  fallbackAs?: string;
}

export interface RunningPreview {
  /** `http://127.0.0.1:<port>` */
  url: string;
  /** The record list with this run's access token: what a person opens (the server swaps it for a cookie). */
  openUrl: string;
  access: LocalAccess;
  port: number;
  /** Record page URL of a record: `${url}/lead/<Id>`. */
  recordUrl(objectApiName: string, recordId: string): string;
  /** Who the pages run as now: the menu's choice (undefined without `users`) and the user's name. */
  viewingAs(): { choice?: string; name: string };
  /** Why the preview started as `fallbackAs`, when it did. */
  notice?: string;
  close(): Promise<void>;
}

const SLDS_DIR = path.join(PROJECT_ROOT, 'node_modules', '@salesforce-ux', 'design-system', 'assets');
const MAX_BODY = 10 * 1024 * 1024;
const ID = /^[a-zA-Z0-9]{15}(?:[a-zA-Z0-9]{3})?$/;
const LIST_LIMIT = 50;
/** Request headers passed on to the org's UI API. */
const FORWARDED = ['accept', 'content-type', 'if-unmodified-since', 'if-modified-since'];
const CONTENT_TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.gif': 'image/gif',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.json': 'application/json'
};
/** The pages' policy (and that of the files they load: an SVG opened by itself runs no inline script). */
const CSP = [
  "default-src 'self'",
  "script-src 'self'",
  // LWC's synthetic shadow and SLDS icons inject <style> elements and style attributes
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
  "form-action 'self'"
].join('; ');

export async function startPreviewServer(options: PreviewServerOptions): Promise<RunningPreview> {
  const { org, user, as, notice } = await startingUser(options);
  if (!user.user_id) throw new PreviewServerError('the org did not say who the running user is (/services/oauth2/userinfo)');
  const pages = options.pages ?? readPages();
  const recordPages = new Map(pages.filter((p) => p.type === 'RecordPage' && p.sobjectType).map((p) => [p.sobjectType as string, p]));
  const home = pages.find((p) => p.type !== 'RecordPage');
  const site: Site = {
    org,
    build: undefined,
    buildError: undefined,
    user,
    recordPages,
    home,
    routes: new Map([...recordPages.keys()].map((o) => [o, recordRoute(o)])),
    gate: undefined,
    users: options.users,
    as,
    notice,
    whatIf: await mayOpenWhatIf(org, user.user_id, as),
    reportsOrigin: () => originOf(typeof options.reportsUrl === 'function' ? options.reportsUrl() : options.reportsUrl)
  };
  const access = options.access ?? new LocalAccess();
  Promise.resolve(options.build).then(
    (b) => (site.build = b),
    (e: unknown) => (site.buildError = e instanceof Error ? e.message : String(e))
  );
  const server = http.createServer((req, res) => {
    const refusal = site.gate ? site.gate.check(req) : { status: 421 as const, message: 'Misdirected request' };
    if (refusal) return sendRefusal(res, refusal);
    handle(site, req, res).catch((e: unknown) => {
      if (!res.headersSent) send(res, 500, 'text/plain; charset=utf-8', internalError(e, options.log));
      else res.destroy();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (e: NodeJS.ErrnoException) =>
      reject(new PreviewServerError(e.code === 'EADDRINUSE' ? `port ${options.port} is in use` : `cannot listen: ${e.message}`))
    );
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  site.gate = access.gate(port);
  const url = `http://127.0.0.1:${port}`;
  return {
    url,
    openUrl: access.entryUrl(`${url}/`),
    access,
    port,
    recordUrl: (object, id) => `${url}${recordRoute(object)}${id}`,
    viewingAs: () => ({ choice: site.as, name: site.user.name ?? '' }),
    notice,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      })
  };
}

interface Site {
  /** The org as the user the pages run as now (switched by the "View as" menu, with `user` and `as`). */
  org: OrgClient;
  build: PreviewBuild | undefined;
  buildError: string | undefined;
  user: UserInfo;
  users: PreviewUsers | undefined;
  /** The menu's choice the pages run as (with `users`). */
  as: string | undefined;
  /** A line for the header: why the preview runs as someone else than asked. */
  notice: string | undefined;
  /** Whether the user may open the SLA What-if page (./whatIfAccess.ts): its tab and its route. */
  whatIf: boolean;
  recordPages: Map<string, PreviewPage>;
  home: PreviewPage | undefined;
  /** Record page route (`/lead/`) by object API name. */
  routes: Map<string, string>;
  /** Host, Origin and token checks; set once the server listens (its port is part of them). */
  gate: AccessGate | undefined;
  /** The reports server's origin, once known. */
  reportsOrigin(): string | undefined;
}

async function handle(site: Site, req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://127.0.0.1');
  const p = url.pathname;
  if (p.startsWith('/ui-api/')) return proxy(site, req, res, `${p}${url.search}`);
  if (p === '/graphql' && req.method === 'POST') return proxy(site, req, res, '/graphql');
  if (p === '/persona' && req.method === 'POST' && site.users) return switchUser(site, site.users, req, res);
  if (p === '/notifications/read' && req.method === 'POST') {
    await markRead(site.org);
    return redirect(res, '/notifications');
  }
  if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, 405, 'text/plain; charset=utf-8', 'Method not allowed');
  if (p.startsWith('/build/')) {
    if (!site.build) return send(res, 503, 'text/plain; charset=utf-8', 'The components are still building.');
    return serveFile(req, res, site.build.dir, p.slice('/build/'.length), 'public, max-age=31536000, immutable');
  }
  // SLDS keeps its own file names (the base components ask for `/assets/icons/…` too): fresh for a day, then
  // revalidated with the ETag (a 304, not the megabyte again)
  if (p.startsWith('/assets/')) return serveFile(req, res, SLDS_DIR, p.slice('/assets/'.length), 'public, max-age=86400');
  if (p === '/favicon.ico') return send(res, 204, 'text/plain', '');
  // pages: their header shows the running user's unread notifications
  return withBell(site.org, () => pageRoutes(site, res, url));
}

async function pageRoutes(site: Site, res: http.ServerResponse, url: URL): Promise<void> {
  const p = url.pathname;
  const alerts = await notificationRoute(site.org, p, { escape: escapeHtml, when: (iso) => formatCell(iso, 'datetime', site.user) });
  if (alerts?.redirect) return redirect(res, alerts.redirect);
  if (alerts) return html(res, alerts.status, layout(site, 'Notifications', '', alerts.body));
  const view = await listViewRoute(site.org, url, site.user.user_id, {
    escape: escapeHtml,
    cell: (v, type) => formatCell(v, type, site.user)
  });
  if (view) return html(res, view.status, layout(site, view.title, '', view.body));
  if (p === '/' || p === '') return html(res, 200, await listPage(site, url.searchParams));
  if (p === '/home' && site.home) return componentPage(site, res, site.home, {});
  const toReports = reportsRedirect(site.reportsOrigin(), url, site.whatIf);
  if (toReports) {
    if (!toReports.location) return html(res, toReports.status ?? 404, notFoundHtml(site, toReports.message));
    res.writeHead(302, { ...securityHeaders(DATA_CSP), location: toReports.location, 'cache-control': 'no-store' });
    res.end();
    return;
  }
  const record = /^\/([a-z0-9_]+)\/([^/]+)$/i.exec(p);
  if (record && ID.test(record[2])) {
    if (record[1] === 'record') {
      const object = await site.org.objectForId(record[2]);
      const route = object ? site.routes.get(object) : undefined;
      if (!route)
        return html(res, 404, notFoundHtml(site, `No record page in the preview for ${record[2]}${object ? ` (${object})` : ''}.`));
      res.writeHead(302, { ...securityHeaders(DATA_CSP), location: `${route}${record[2]}` });
      res.end();
      return;
    }
    const object = [...site.routes].find(([, route]) => route === `/${record[1]}/`)?.[0];
    const page = object ? site.recordPages.get(object) : undefined;
    if (page && object) return componentPage(site, res, page, { recordId: record[2], objectApiName: object });
  }
  return html(res, 404, notFoundHtml(site, `Nothing at ${p}.`));
}

/** A page with components: served once the build is done; until then a page that reloads itself. */
function componentPage(
  site: Site,
  res: http.ServerResponse,
  page: PreviewPage,
  record: { recordId?: string; objectApiName?: string }
): void {
  if (site.build) return html(res, 200, pageHtml(site, site.build, page, record));
  if (site.buildError) {
    return html(
      res,
      500,
      layout(
        site,
        'Build failed',
        '',
        `<main class="slds-var-p-around_medium"><h1 class="slds-text-heading_medium">The components did not build</h1><pre role="alert">${escapeHtml(site.buildError)}</pre></main>`
      )
    );
  }
  const body = `<main class="slds-var-p-around_medium"><p role="status">Building the components with LWC OSS (the first build takes about half a minute; later starts reuse it). This page reloads by itself.</p></main>`;
  return html(res, 503, layout(site, 'Building', '<meta http-equiv="refresh" content="2">', body));
}

/**
 * `POST /persona` (the header's "View as" form): the pages run as the chosen user from now on, for every tab of
 * this preview — the server mints that user's token and reaches the org with it — then back to the page (303).
 * A choice the org has no user for keeps the current one and says why.
 */
async function switchUser(site: Site, users: PreviewUsers, req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
  const chosen = readSwitch((await readBody(req)).toString('utf8'), users, site.as ?? '');
  if (!chosen) return html(res, 400, notFoundHtml(site, 'Choose a user from the “View as” menu.'));
  try {
    const next = await viewAs(users, chosen.as);
    Object.assign(site, next, { whatIf: await mayOpenWhatIf(next.org, next.user.user_id, next.as) });
  } catch (e) {
    return html(res, 409, notFoundHtml(site, `Cannot view as ${chosen.as}: ${e instanceof Error ? e.message : String(e)}`));
  }
  res.writeHead(303, { ...securityHeaders(DATA_CSP), location: chosen.back, 'cache-control': 'no-store' });
  res.end();
}

/** `/ui-api/<rest>` and `/graphql` → `<instance>/services/data/vXX.X/…` with the token. */
async function proxy(site: Site, req: http.IncomingMessage, res: http.ServerResponse, rest: string): Promise<void> {
  // Only the preview's own scripts call this. The gate has checked the cookie (or token) and the Origin
  // already; the header is one more lock: a page on another origin cannot add it without a CORS preflight,
  // which this server never grants.
  if (req.headers['x-closed-loop-preview'] !== '1') {
    return send(res, 403, 'application/json', JSON.stringify([{ errorCode: 'FORBIDDEN', message: 'preview pages only' }]));
  }
  const method = req.method ?? 'GET';
  if (!['GET', 'POST', 'PATCH', 'DELETE'].includes(method)) return send(res, 405, 'text/plain; charset=utf-8', 'Method not allowed');
  const body = method === 'GET' || method === 'DELETE' ? undefined : await readBody(req);
  const headers = new Headers({ authorization: `Bearer ${site.org.org.accessToken}` });
  for (const h of FORWARDED) {
    // eslint-disable-next-line security/detect-object-injection -- h is one of the FORWARDED constants, not input
    const v = req.headers[h];
    if (typeof v === 'string') headers.set(h, v);
  }
  let upstream: Response;
  try {
    upstream = await fetch(`${site.org.base}/services/data/v${site.org.org.apiVersion}${rest}`, {
      method,
      headers,
      body: body ? new Uint8Array(body) : undefined
    });
  } catch {
    const message = `the org at ${site.org.base} did not answer`;
    return send(res, 502, 'application/json', JSON.stringify([{ errorCode: 'BAD_GATEWAY', message }]));
  }
  const text = Buffer.from(await upstream.arrayBuffer());
  res.writeHead(upstream.status, {
    ...securityHeaders(DATA_CSP),
    'content-type': upstream.headers.get('content-type') ?? 'application/json',
    'content-length': text.length,
    'cache-control': 'no-store'
  });
  res.end(text);
}

function readBody(req: http.IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY) {
        reject(new PreviewServerError('request body too large'));
        req.destroy();
      } else chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function serveFile(req: http.IncomingMessage, res: http.ServerResponse, root: string, relative: string, cacheControl: string): void {
  const file = path.resolve(root, decodeURIComponent(relative));
  // the request names the file: it is resolved and served only when it lies under root (no `..` out of it)
  const inside = file.startsWith(root + path.sep);
  // eslint-disable-next-line security/detect-non-literal-fs-filename -- file is under root (checked on the line before)
  const stat = inside && fs.existsSync(file) ? fs.statSync(file) : undefined;
  if (!stat?.isFile()) return send(res, 404, 'text/plain; charset=utf-8', 'Not found');
  const etag = `"${stat.size.toString(16)}-${Math.floor(stat.mtimeMs).toString(16)}"`;
  const headers = { ...securityHeaders(CSP), 'cache-control': cacheControl, etag };
  if (req.headers['if-none-match'] === etag) {
    res.writeHead(304, headers);
    res.end();
    return;
  }
  // eslint-disable-next-line security/detect-non-literal-fs-filename -- file is under root (checked above)
  const data = fs.readFileSync(file);
  res.writeHead(200, {
    ...headers,
    'content-type': CONTENT_TYPES[path.extname(file)] ?? 'application/octet-stream',
    'content-length': data.length
  });
  res.end(data);
}

function redirect(res: http.ServerResponse, location: string): void {
  res.writeHead(303, { ...securityHeaders(DATA_CSP), location }).end();
}

function send(res: http.ServerResponse, status: number, type: string, body: string): void {
  res.writeHead(status, {
    ...securityHeaders(DATA_CSP),
    'content-type': type,
    'content-length': Buffer.byteLength(body),
    'cache-control': 'no-store'
  });
  res.end(body);
}

function html(res: http.ServerResponse, status: number, body: string): void {
  res.writeHead(status, {
    'content-type': 'text/html; charset=utf-8',
    'content-length': Buffer.byteLength(body),
    ...securityHeaders(CSP),
    'cache-control': 'no-store'
  });
  res.end(body);
}

const HTML_ESCAPES = new Map([
  ['&', '&amp;'],
  ['<', '&lt;'],
  ['>', '&gt;'],
  ['"', '&quot;'],
  ["'", '&#39;']
]);

export function escapeHtml(s: unknown): string {
  return String(s ?? '').replace(/[&<>"']/g, (c) => HTML_ESCAPES.get(c) as string);
}

/** JSON safe inside a <script> element. */
function scriptJson(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

function userSettings(user: UserInfo) {
  return {
    userId: user.user_id,
    userName: user.name ?? '',
    timeZone: user.zoneinfo || 'America/Los_Angeles',
    locale: (user.locale || 'en_US').replace('_', '-')
  };
}

function layout(site: Site, title: string, head: string, body: string, here = '/'): string {
  const homeLink = site.home ? `<li><a href="/home">${escapeHtml(site.home.label)}</a></li>` : '';
  const reportLinks = navLinks(site.reportsOrigin(), site.whatIf);
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)} | Closed Loop preview</title>
<link rel="stylesheet" href="/assets/styles/salesforce-lightning-design-system.min.css">
<style>${PREVIEW_CSS}${PERSONA_CSS}</style>
${head}
</head>
<body>
<header class="slds-context-bar preview-bar">
  <div class="slds-context-bar__primary"><span class="slds-context-bar__label-action slds-context-bar__app-name"><span class="slds-truncate">Closed Loop <span class="slds-text-body_small">preview</span></span></span></div>
  <nav class="slds-context-bar__secondary" aria-label="Preview">
    <ul class="slds-grid preview-nav"><li><a href="/">Records</a></li>${homeLink}${reportLinks}</ul>
  </nav>
  ${viewingAsHtml(site, site.user.name ?? '', here, escapeHtml)}
  <div class="slds-grid slds-grid_vertical-align-center">${bellHtml()}</div>
</header>
${body}
</body>
</html>
`;
}

/** Every record page, for the page shell's client-side navigation between records. */
function recordPagesConfig(site: Site) {
  return Object.fromEntries(
    [...site.recordPages].map(([object, page]) => [
      object,
      { page, highlightFields: highlightFields(object), detailFields: detailFields(object) }
    ])
  );
}

/**
 * The page shell's `<head>` part: the config, the entry module and, so nothing waits on a chain of
 * imports, a modulepreload of every chunk it imports statically. Chunks are content-hashed and served
 * immutable, so a warm load takes them from Chromium's HTTP cache with V8's code cache.
 */
function appHead(entry: { file: string; imports: string[] }, more: string[], config: object): string {
  const files = new Set<string>([entry.file, ...entry.imports, ...more]);
  return [
    ...[...files].map((f) => `<link rel="modulepreload" href="/build/${escapeHtml(f)}">`),
    `<script type="application/json" id="closed-loop-preview-config">${scriptJson(config)}</script>`,
    `<script type="module" src="/build/${escapeHtml(entry.file)}"></script>`
  ].join('\n');
}

function pageHtml(site: Site, build: PreviewBuild, page: PreviewPage, record: { recordId?: string; objectApiName?: string }): string {
  // The page's own entry imports its components statically; a page the build did not know (options.pages)
  // loads them through the generic entry.
  const pageEntry = build.pages?.[page.name];
  const more = pageEntry
    ? []
    : page.regions
        .flatMap((r) => r.components)
        .flatMap((c) => {
          const chunk = build.components[c.specifier];
          return chunk ? [chunk.file, ...chunk.imports] : [];
        });
  const config = {
    ...userSettings(site.user),
    orgLabel: site.org.base,
    page,
    ...record,
    highlightFields: record.objectApiName ? highlightFields(record.objectApiName) : undefined,
    detailFields: record.objectApiName ? detailFields(record.objectApiName) : undefined,
    recordRoutes: Object.fromEntries(site.routes),
    recordPages: recordPagesConfig(site)
  };
  const title = record.objectApiName ? `${record.objectApiName} ${record.recordId}` : page.label;
  return layout(
    site,
    title,
    appHead(pageEntry ?? build.entry, more, config),
    `<main id="preview-root" class="slds-var-p-around_small" data-page="${escapeHtml(page.name)}">${
      page.type !== 'RecordPage' ? homeLinks(site.reportsOrigin(), escapeHtml, site.whatIf) : ''
    }</main>`,
    record.objectApiName && record.recordId ? `${site.routes.get(record.objectApiName) ?? '/'}${record.recordId}` : '/home'
  );
}

function notFoundHtml(site: Site, message: string): string {
  return layout(
    site,
    'Not found',
    '',
    `<main class="slds-var-p-around_medium"><p role="alert">${escapeHtml(message)}</p><p><a href="/">Back to the records</a></p></main>`
  );
}

type Row = Record<string, unknown>;

async function listPage(site: Site, params: URLSearchParams): Promise<string> {
  const term = (params.get('q') ?? '').trim().slice(0, 100);
  const only = params.get('object') ?? '';
  const filter = readListFilter(params);
  const objects = [...site.recordPages.keys()].filter((o) => !only || o === only);
  const sections: string[] = [];
  for (const object of objects) {
    const described = await site.org.fields(object);
    const byName = new Map(described.map((f) => [f.name, f]));
    const byRelationship = new Map(described.filter((f) => f.relationshipName).map((f) => [f.relationshipName as string, f]));
    const columns = listColumns(object).filter((c) => (c.includes('.') ? byRelationship.has(c.split('.')[0]) : byName.has(c)));
    const { conditions, orderBy } = listQueryParts(object, filter, new Set(byName.keys()));
    const where = whereClause([...(term ? [soql`Name LIKE ${soqlLike(term, 'contains')}`] : []), ...conditions]);
    const query = soql`SELECT ${soqlFields(['Id', ...columns])} FROM ${soqlName(object)}${where} ORDER BY ${orderBy} LIMIT ${LIST_LIMIT}`;
    let rows: Row[] = [];
    let error = '';
    try {
      rows = await site.org.query<Row>(query);
    } catch (e) {
      error = e instanceof Error ? e.message : String(e);
    }
    const label = (c: string) =>
      c.includes('.') ? (byRelationship.get(c.split('.')[0])?.label ?? c).replace(/ ID$/, '') : (byName.get(c)?.label ?? c);
    const typeOf = (c: string) => (c.includes('.') ? undefined : byName.get(c)?.type);
    const head = columns.map((c) => `<th scope="col"><div class="slds-truncate">${escapeHtml(label(c))}</div></th>`).join('');
    const body = rows
      .map((r) => {
        const cells = columns.map((c, i) => {
          const text = escapeHtml(formatCell(valueAt(r, c), typeOf(c), site.user));
          if (i === 0)
            return `<th scope="row"><a href="${escapeHtml(`${site.routes.get(object) ?? ''}${String(r.Id)}`)}">${text || escapeHtml(r.Id)}</a></th>`;
          return `<td>${text}</td>`;
        });
        return `<tr>${cells.join('')}</tr>`;
      })
      .join('\n');
    const headingId = `list-${object}`;
    sections.push(`<article class="slds-card slds-var-m-bottom_medium" aria-labelledby="${headingId}">
<div class="slds-card__header"><h2 class="slds-card__header-title" id="${headingId}">${escapeHtml(object)} records (${rows.length}${rows.length === LIST_LIMIT ? '+' : ''})</h2></div>
<div class="slds-card__body">
${error ? `<p class="slds-text-color_error slds-var-p-horizontal_medium" role="alert">${escapeHtml(error)}</p>` : ''}
${rows.length ? `<table class="slds-table slds-table_bordered slds-table_cell-buffer" aria-labelledby="${headingId}"><thead><tr class="slds-line-height_reset">${head}</tr></thead><tbody>${body}</tbody></table>` : `<p class="slds-var-p-horizontal_medium">No ${escapeHtml(object)} records${term ? ` match “${escapeHtml(term)}”` : ''}.</p>`}
</div></article>`);
  }
  const options = ['', ...site.recordPages.keys()]
    .map((o) => `<option value="${escapeHtml(o)}"${o === only ? ' selected' : ''}>${o ? escapeHtml(o) : 'All objects'}</option>`)
    .join('');
  const form = `<form method="get" action="/" role="search" class="slds-grid slds-grid_vertical-align-end slds-gutters_x-small slds-var-m-bottom_medium">
<div class="slds-col slds-form-element"><label class="slds-form-element__label" for="q">Search by name</label><div class="slds-form-element__control"><input class="slds-input" type="search" id="q" name="q" value="${escapeHtml(term)}"></div></div>
<div class="slds-col slds-form-element slds-grow-none"><label class="slds-form-element__label" for="object">Object</label><div class="slds-form-element__control"><div class="slds-select_container"><select class="slds-select" id="object" name="object">${options}</select></div></div></div>
${filterControls(filter, escapeHtml)}
<div class="slds-col slds-grow-none"><button class="slds-button slds-button_brand" type="submit">Search</button></div>
</form>`;
  // The list loads the page shell too: a record opened from it is drawn without a page load.
  const head = site.build
    ? appHead(site.build.entry, [], {
        ...userSettings(site.user),
        orgLabel: site.org.base,
        recordRoutes: Object.fromEntries(site.routes),
        recordPages: recordPagesConfig(site)
      })
    : '';
  return layout(
    site,
    'Records',
    head,
    `<main class="slds-var-p-around_medium"><h1 class="slds-text-heading_medium slds-var-m-bottom_small">Records</h1>${form}${sections.join('\n')}</main>`,
    `/${params.size ? `?${params.toString()}` : ''}`
  );
}
