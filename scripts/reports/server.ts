import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Connection } from 'jsforce';
import { AccessGate, cspNonce, DATA_CSP, internalError, LocalAccess, securityHeaders, sendRefusal } from '../http/security';
import { PACKAGE_DIR } from '../project';
import { loadDashboard, runDashboard } from './dashboard';
import { listReports } from './definitions';
import { ReportNotFoundError, ReportPeriodError } from './errors';
import { describePeriod, parsePeriod, type Period } from './period';
import { renderCsv } from './render/csv';
import { attachReasons, type RecordUrl } from './qualityReasons';
import { renderDashboard } from './render/dashboard';
import { renderHtml } from './render/html';
import { runReport, type ReportResult } from './runner';
import { computeScorecard } from './scorecard';
import { HistoryKeeper } from '../sla/whatif/keptHistory';
import { whatIfPage } from '../sla/whatif/page';

/**
 * The HTML reports over HTTP on 127.0.0.1 (what `npm start` prints as "Reports"): every request
 * recomputes the figures from the org, so they follow the data.
 *   /reports                 all shipped reports on one page       ?period=last-month|<from>..<to>
 *   /reports/<Name>          one report (.json, .csv for the data)
 *   /dashboard[/<Name>]      a shipped dashboard, laid out from its metadata (the first one without a name)
 *   /scorecard.json          the alignment scorecard
 *   /whatif                  the SLA what-if: the history replayed under edited targets and hours (docs/sla-whatif.md);
 *                            the history is kept between a manager's edits while the org does not change (keptHistory.ts)
 * The data is lead and rep data: every request passes the local access gate (Host, Origin, the
 * per-start token: scripts/http/security.ts), and nothing served may run anything but the page's own
 * scripts (a CSP nonce). See docs/reports-and-scorecard.md.
 */
export interface ReportServer {
  /** `http://127.0.0.1:<port>/reports` */
  url: string;
  /** `url` with this run's access token: what a person opens (the server swaps the token for a cookie). */
  openUrl: string;
  access: LocalAccess;
  close(): Promise<void>;
}

export interface ReportServerOptions {
  port?: number;
  pkgDir?: string;
  /** Shared with the other servers of the same run (npm start); a new token when absent. */
  access?: LocalAccess;
  /** Where the details of an unexpected failure go (default: stderr); the client gets an id only. */
  log?: (line: string) => void;
  /** The instant open SLA timers are counted at (default: the current time of each request). */
  now?: () => Date;
  /** Where the example leads of the lead quality reports link to (npm start: the preview's record pages). */
  recordUrl?: RecordUrl;
  /** The app's address (npm start: the preview's), which every page's navigation links back to. */
  appUrl?: string;
}

/** Renders the full set of shipped reports as one self-contained HTML page (what /reports serves). */
export async function renderReportSet(
  conn: Connection,
  opts: { period?: Period; pkgDir?: string; subtitle?: string; nonce?: string; now?: Date; recordUrl?: RecordUrl; appUrl?: string } = {}
): Promise<string> {
  const pkgDir = opts.pkgDir ?? PACKAGE_DIR;
  const results: ReportResult[] = [];
  for (const def of listReports(pkgDir)) results.push(await runReport(conn, def, { period: opts.period, pkgDir, now: opts.now }));
  await attachReasons(conn, results, { period: opts.period, pkgDir, recordUrl: opts.recordUrl });
  return renderHtml(results, {
    title: 'Closed Loop reports',
    subtitle: opts.subtitle,
    computedAt: new Date(),
    nav: viewLinks('reports', opts.appUrl),
    reportHref: (name) => reportPath(name, opts.period),
    nonce: opts.nonce
  });
}

/** The report page's policy: its own inline chart.js and styles (by nonce), nothing else; the What-if page's form submits to (and its script reads from) this server. */
function pageCsp(nonce: string, forms = false): string {
  return [
    "default-src 'none'",
    `script-src 'nonce-${nonce}'`,
    `style-src 'nonce-${nonce}'`,
    "img-src 'self' data:",
    "base-uri 'none'",
    forms ? "form-action 'self'" : "form-action 'none'",
    // the What-if page replays in place: its script asks this server for the page with the form's values
    forms ? "connect-src 'self'" : "connect-src 'none'",
    "frame-ancestors 'none'"
  ].join('; ');
}

export async function startReportServer(conn: Connection, opts: ReportServerOptions = {}): Promise<ReportServer> {
  const access = opts.access ?? new LocalAccess();
  const histories = new HistoryKeeper();
  // the gate checks the port too: set once the server listens
  const listening: { gate?: AccessGate } = {};
  const server = http.createServer((req, res) => {
    const { gate } = listening;
    const refusal = gate ? gate.check(req) : { status: 421 as const, message: 'Misdirected request' };
    if (refusal) return sendRefusal(res, refusal);
    const nonce = cspNonce();
    handle(conn, req, opts.pkgDir ?? PACKAGE_DIR, nonce, opts.now?.(), histories, opts.recordUrl, opts.appUrl).then(
      ({ status, type, body }) => {
        res.writeHead(status, {
          ...securityHeaders(type.startsWith('text/html') ? pageCsp(nonce, /^\/whatif\/?(\?|$)/.test(req.url ?? '')) : DATA_CSP),
          ...gate?.corsHeaders(req),
          'content-type': type,
          'cache-control': 'no-store'
        });
        res.end(body);
      },
      (err: unknown) => {
        const body = `${internalError(err, opts.log)}\n`;
        res.writeHead(500, { ...securityHeaders(DATA_CSP), 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' });
        res.end(body);
      }
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  listening.gate = access.gate(port);
  const url = `http://127.0.0.1:${port}/reports`;
  return {
    url,
    openUrl: access.entryUrl(url),
    access,
    close: () =>
      new Promise<void>((resolve) => {
        histories.clear();
        server.close(() => resolve());
        server.closeAllConnections();
      })
  };
}

async function handle(
  conn: Connection,
  req: http.IncomingMessage,
  pkgDir: string,
  nonce: string,
  now: Date | undefined,
  histories: HistoryKeeper,
  recordUrl?: RecordUrl,
  appUrl?: string
): Promise<{ status: number; type: string; body: string }> {
  const url = new URL(req.url ?? '/', 'http://127.0.0.1');
  const text = (status: number, body: string) => ({ status, type: 'text/plain; charset=utf-8', body: `${body}\n` });
  if (req.method !== 'GET' && req.method !== 'HEAD') return text(405, 'only GET');
  if (/^\/whatif\/?$/.test(url.pathname)) {
    // the page's own script asks for the parts a replay swaps, not the page (scripts/sla/whatif/html.ts)
    const fragment = req.headers['x-closed-loop-fragment'] === 'whatif';
    const page = await whatIfPage(conn, url.searchParams, { nonce, now, nav: viewLinks('whatif', appUrl), fragment, histories });
    return { status: page.status, type: 'text/html; charset=utf-8', body: page.body };
  }
  let period: Period | undefined;
  const p = url.searchParams.get('period');
  try {
    if (p) period = parsePeriod(p);
  } catch (e) {
    if (e instanceof ReportPeriodError) return text(400, e.message);
    throw e;
  }
  const path = url.pathname.replace(/\/+$/, '') || '/';
  if (path === '/favicon.ico') return { status: 204, type: 'text/plain', body: '' };
  if (path === '/' || path === '/reports') {
    return {
      status: 200,
      type: 'text/html; charset=utf-8',
      body: await renderReportSet(conn, { period, pkgDir, nonce, now, recordUrl, appUrl })
    };
  }
  if (path === '/scorecard.json') {
    return { status: 200, type: 'application/json', body: JSON.stringify(await computeScorecard(conn, { period, pkgDir })) };
  }
  const dash = /^\/dashboard(?:\/(\w+))?$/.exec(path);
  if (dash) {
    try {
      const result = await runDashboard(conn, loadDashboard(dash[1], pkgDir), { period, pkgDir });
      return {
        status: 200,
        type: 'text/html; charset=utf-8',
        body: renderDashboard(result, {
          computedAt: new Date(),
          nav: viewLinks('dashboard', appUrl),
          reportHref: (name) => reportPath(name),
          nonce
        })
      };
    } catch (e) {
      if (e instanceof ReportNotFoundError) return text(404, e.message);
      throw e;
    }
  }
  const m = /^\/reports\/([\w]+?)(\.json|\.csv|\.html)?$/.exec(path);
  if (!m) return text(404, 'not found: try /reports');
  try {
    const result = await runReport(conn, m[1], { period, pkgDir, now });
    if (m[2] !== '.csv') await attachReasons(conn, [result], { period, pkgDir, recordUrl });
    if (m[2] === '.json') return { status: 200, type: 'application/json', body: JSON.stringify(result) };
    if (m[2] === '.csv') return { status: 200, type: 'text/csv; charset=utf-8', body: renderCsv(result) };
    return {
      status: 200,
      type: 'text/html; charset=utf-8',
      body: renderHtml([result], { computedAt: new Date(), nav: viewLinks('report', appUrl), nonce })
    };
  } catch (e) {
    if (e instanceof ReportNotFoundError) return text(404, e.message);
    throw e;
  }
}

/** The views of the reports server, for each page's navigation, after the way back to the app (when there is one). */
function viewLinks(
  current: 'reports' | 'report' | 'dashboard' | 'whatif',
  appUrl?: string
): Array<{ href: string; label: string; current?: boolean }> {
  return [
    ...(appUrl ? [{ href: appUrl, label: 'Closed Loop app' }] : []),
    { href: '/dashboard', label: 'Dashboard', current: current === 'dashboard' },
    { href: '/reports', label: 'All reports', current: current === 'reports' },
    { href: '/whatif', label: 'What if', current: current === 'whatif' }
  ];
}

/** A report's page on this server, for the period given (the report's own period without one). */
export function reportPath(name: string, period?: Period): string {
  const p = period && period.kind !== 'all' ? `?period=${encodeURIComponent(describePeriod(period))}` : '';
  return `/reports/${encodeURIComponent(name)}${p}`;
}
