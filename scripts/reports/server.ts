import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Connection } from 'jsforce';
import { PACKAGE_DIR } from '../project';
import { listReports } from './definitions';
import { ReportNotFoundError, ReportPeriodError } from './errors';
import { parsePeriod, type Period } from './period';
import { renderCsv } from './render/csv';
import { renderHtml } from './render/html';
import { runReport, type ReportResult } from './runner';
import { computeScorecard } from './scorecard';

/**
 * The HTML reports over HTTP on 127.0.0.1 (what `npm start` prints as "Reports"): every request
 * recomputes the figures from the org, so they follow the data.
 *   /reports                 all shipped reports on one page       ?period=last-month|<from>..<to>
 *   /reports/<Name>          one report (.json, .csv for the data)
 *   /scorecard.json          the alignment scorecard
 */
export interface ReportServer {
  url: string;
  close(): Promise<void>;
}

/** Renders the full set of shipped reports as one self-contained HTML page (what /reports serves). */
export async function renderReportSet(
  conn: Connection,
  opts: { period?: Period; pkgDir?: string; subtitle?: string } = {}
): Promise<string> {
  const pkgDir = opts.pkgDir ?? PACKAGE_DIR;
  const results: ReportResult[] = [];
  for (const def of listReports(pkgDir)) results.push(await runReport(conn, def, { period: opts.period, pkgDir }));
  return renderHtml(results, { title: 'Closed Loop reports', subtitle: opts.subtitle ?? `computed ${new Date().toISOString()}` });
}

export async function startReportServer(conn: Connection, opts: { port?: number; pkgDir?: string } = {}): Promise<ReportServer> {
  const server = http.createServer((req, res) => {
    handle(conn, req, opts.pkgDir ?? PACKAGE_DIR).then(
      ({ status, type, body }) => {
        res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store' });
        res.end(body);
      },
      (err: unknown) => {
        res.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' });
        res.end(`${err instanceof Error ? err.message : String(err)}\n`);
      }
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/reports`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve()))
  };
}

async function handle(
  conn: Connection,
  req: http.IncomingMessage,
  pkgDir: string
): Promise<{ status: number; type: string; body: string }> {
  const url = new URL(req.url ?? '/', 'http://127.0.0.1');
  const text = (status: number, body: string) => ({ status, type: 'text/plain; charset=utf-8', body: `${body}\n` });
  if (req.method !== 'GET') return text(405, 'only GET');
  let period: Period | undefined;
  const p = url.searchParams.get('period');
  try {
    if (p) period = parsePeriod(p);
  } catch (e) {
    if (e instanceof ReportPeriodError) return text(400, e.message);
    throw e;
  }
  const path = url.pathname.replace(/\/+$/, '') || '/';
  if (path === '/' || path === '/reports') {
    return { status: 200, type: 'text/html; charset=utf-8', body: await renderReportSet(conn, { period, pkgDir }) };
  }
  if (path === '/scorecard.json') {
    return { status: 200, type: 'application/json', body: JSON.stringify(await computeScorecard(conn, { period, pkgDir })) };
  }
  const m = /^\/reports\/([\w]+?)(\.json|\.csv|\.html)?$/.exec(path);
  if (!m) return text(404, 'not found: try /reports');
  try {
    const result = await runReport(conn, m[1], { period, pkgDir });
    if (m[2] === '.json') return { status: 200, type: 'application/json', body: JSON.stringify(result) };
    if (m[2] === '.csv') return { status: 200, type: 'text/csv; charset=utf-8', body: renderCsv(result) };
    return { status: 200, type: 'text/html; charset=utf-8', body: renderHtml([result]) };
  } catch (e) {
    if (e instanceof ReportNotFoundError) return text(404, e.message);
    throw e;
  }
}
