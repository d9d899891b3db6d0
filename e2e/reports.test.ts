import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { TestOrg } from '../scripts/localorg/testing';
import { launchChromium, type Chromium } from '../scripts/preview/browser';
import { ALL, startReportOrg } from '../scripts/reports/__tests__/fixture';
import { listReports } from '../scripts/reports/definitions';
import { startReportServer } from '../scripts/reports/server';
import { runCli } from '../scripts/testing/cli';

/**
 * `closed-loop report --all --format html` opened in Debian's Chromium with every network request
 * refused: the page is self-contained (chart.js inline) and every report's chart is drawn with data.
 */
/** Screenshots for people to look at (git-ignored). */
const SCREENSHOTS = path.join(__dirname, 'screenshots');

let org: TestOrg;
let browser: Chromium;
let dir: string;

beforeAll(async () => {
  org = await startReportOrg();
  browser = await launchChromium({ viewport: { width: 1280, height: 900 } });
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'closed-loop-html-'));
  fs.mkdirSync(SCREENSHOTS, { recursive: true });
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await org?.close();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

test('the HTML reports open offline and show every chart, with data', async () => {
  const file = path.join(dir, 'reports.html');
  const run = await runCli([
    'report',
    '--all',
    '--format',
    'html',
    '--out',
    file,
    '--period',
    `${ALL.from}..${ALL.to}`,
    '--connection-file',
    org.connectionFile
  ]);
  expect(run.code).toBe(0);

  const page = await browser.context.newPage();
  const network: string[] = [];
  const problems: string[] = [];
  await page.route('**/*', (route) => {
    const url = route.request().url();
    if (url.startsWith('file:')) return route.continue();
    network.push(url);
    return route.abort();
  });
  page.on('pageerror', (e) => problems.push(e.message));
  page.on('console', (m) => m.type() === 'error' && problems.push(m.text()));
  await page.goto(`file://${file}`);
  await page.waitForFunction(() => document.documentElement.dataset.chartsRendered !== undefined);

  const charts = await page.evaluate(() =>
    Array.from(document.querySelectorAll('canvas')).map((canvas) => {
      const ctx = canvas.getContext('2d')!;
      const { data } = ctx.getImageData(0, 0, canvas.width, canvas.height);
      let painted = 0;
      for (let i = 3; i < data.length; i += 4) if (data[i] !== 0) painted++;
      const chart = (
        window as unknown as { Chart: { getChart(c: HTMLCanvasElement): { data: { datasets: Array<{ data: Array<number | null> }> } } } }
      ).Chart.getChart(canvas);
      const values = chart.data.datasets.flatMap((d) => d.data).filter((v) => typeof v === 'number' && v !== 0);
      return { id: canvas.id, label: canvas.getAttribute('aria-label') ?? '', width: canvas.width, painted, values: values.length };
    })
  );
  const sections = await page.locator('main > section').count();
  expect(sections).toBe(listReports().length);
  expect(charts).toHaveLength(sections);
  for (const c of charts) {
    expect([c.id, c.width > 0, c.painted > 500, c.values > 0]).toEqual([c.id, true, true, true]);
    expect(c.label).not.toMatch(/no data/);
  }
  expect(network).toEqual([]);
  expect(problems).toEqual([]);
  await expect(page.getByRole('heading', { name: 'SLA Compliance by Rep' })).toBeTruthy();
  await page.screenshot({ path: path.join(SCREENSHOTS, 'reports.png'), fullPage: true });
  await page
    .locator('section', { has: page.getByRole('heading', { name: 'Funnel Conversion and Velocity' }) })
    .screenshot({ path: path.join(SCREENSHOTS, 'reports-funnel.png') });
}, 90_000);

test('the reports server (npm start) opens from its printed URL and draws every chart under its CSP', async () => {
  const server = await startReportServer(org.conn);
  try {
    const page = await browser.context.newPage();
    const problems: string[] = [];
    const violations: string[] = [];
    page.on('pageerror', (e) => problems.push(e.message));
    page.on('console', (m) => m.type() === 'error' && problems.push(m.text()));
    await page.exposeFunction('cspViolation', (v: string) => violations.push(v));
    await page.addInitScript(() =>
      document.addEventListener('securitypolicyviolation', (e) =>
        (window as unknown as { cspViolation(v: string): void }).cspViolation(`${e.violatedDirective} ${e.blockedURI}`)
      )
    );
    const entry = new URL(server.openUrl);
    entry.searchParams.set('period', `${ALL.from}..${ALL.to}`);
    const res = await page.goto(entry.toString());
    // the token is gone from the address bar: swapped for a cookie
    expect(page.url()).toBe(`${server.url}?period=${ALL.from}..${ALL.to}`);
    expect(res?.headers()['content-security-policy']).toMatch(/script-src 'nonce-/);
    await page.waitForFunction(() => document.documentElement.dataset.chartsRendered !== undefined);
    expect(await page.evaluate(() => document.documentElement.dataset.chartsRendered)).toBe(String(listReports().length));
    expect(await page.locator('main > section').count()).toBe(listReports().length);
    // a script the page did not bring (an injected one) is refused
    await page.evaluate(() => {
      const s = document.createElement('script');
      s.textContent = 'document.documentElement.dataset.injected = "yes"';
      document.body.append(s);
    });
    expect(await page.evaluate(() => document.documentElement.dataset.injected)).toBeUndefined();
    expect(violations).toEqual([expect.stringMatching(/^script-src/)]);
    expect(problems.filter((p) => !/Content Security Policy/.test(p))).toEqual([]);
    await page.close();
  } finally {
    await server.close();
  }
}, 90_000);
