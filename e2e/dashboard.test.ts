import * as path from 'node:path';
import type { Page } from 'playwright-core';
import { LocalAccess } from '../scripts/http/security';
import type { TestOrg } from '../scripts/localorg/testing';
import { startPreview, type Preview } from '../scripts/preview';
import { launchChromium, type Chromium } from '../scripts/preview/browser';
import { NOW, startReportOrg } from '../scripts/reports/__tests__/fixture';
import { loadDashboard } from '../scripts/reports/dashboard';
import { listReports } from '../scripts/reports/definitions';
import { computeScorecard, writeSnapshots } from '../scripts/reports/scorecard';
import { startReportServer, type ReportServer } from '../scripts/reports/server';
import { SCREENSHOTS } from './support/previewEnv';

/**
 * What a manager opens from npm start: the dashboard on the reports server, drawn in Debian's Chromium
 * with every request outside the two local servers refused, and the scorecard on the app's Home page in
 * the preview, whose figures open their reports. Against the report fixture (seeded, synced, its clock on
 * 18 March 2026), whose scorecard is written as `closed-loop scorecard --write` would.
 */
let org: TestOrg;
let reports: ReportServer;
let preview: Preview;
let browser: Chromium;

beforeAll(async () => {
  org = await startReportOrg();
  // as npm start runs them: one access token for both servers, so the cookie the preview sets opens the reports too
  const access = new LocalAccess();
  reports = await startReportServer(org.conn, { access });
  await writeSnapshots(org.conn, await computeScorecard(org.conn, { now: new Date(NOW) }));
  preview = await startPreview({
    org: { instanceUrl: org.instanceUrl, accessToken: org.accessToken, apiVersion: '64.0' },
    port: 0,
    reportsUrl: reports.url,
    access
  });
  const user = await org.conn.query<{ TimeZoneSidKey: string }>(`SELECT TimeZoneSidKey FROM User WHERE Id = '${org.userId}'`);
  browser = await launchChromium({ viewport: { width: 1400, height: 1000 }, timezoneId: user.records[0]?.TimeZoneSidKey });
  // a person opens the printed URL once: its token becomes this browser's cookie (for both servers)
  const first = await browser.context.newPage();
  await first.goto(preview.openUrl);
  await first.close();
}, 240_000);

afterAll(async () => {
  await browser?.close();
  await preview?.close();
  await reports?.close();
  await org?.close();
});

/** A page that may reach only the local servers; every other request (and every script error) is recorded. */
async function offlinePage(): Promise<{ page: Page; blocked: string[]; problems: string[] }> {
  const page = await browser.context.newPage();
  const allowed = [new URL(reports.url).origin, new URL(preview.url).origin];
  const blocked: string[] = [];
  const problems: string[] = [];
  await page.route('**/*', (route) => {
    const url = route.request().url();
    if (allowed.some((o) => url.startsWith(`${o}/`))) return route.continue();
    blocked.push(url);
    return route.abort();
  });
  page.on('pageerror', (e) => problems.push(e.message));
  page.on('console', (m) => m.type() === 'error' && problems.push(m.text()));
  return { page, blocked, problems };
}

/** Each canvas of the page: painted pixels and the non-zero values its chart holds. */
function paintedCharts(page: Page) {
  return page.evaluate(() =>
    Array.from(document.querySelectorAll('canvas')).map((canvas) => {
      const { data } = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height);
      let painted = 0;
      for (let i = 3; i < data.length; i += 4) if (data[i] !== 0) painted++;
      const chart = (
        window as unknown as { Chart: { getChart(c: HTMLCanvasElement): { data: { datasets: Array<{ data: Array<number | null> }> } } } }
      ).Chart.getChart(canvas);
      const values = chart.data.datasets.flatMap((d) => d.data).filter((v) => typeof v === 'number' && v !== 0).length;
      return { id: canvas.id, label: canvas.getAttribute('aria-label') ?? '', painted, values };
    })
  );
}

test('the dashboard draws every component of its metadata, with data, in the org’s order and grid places', async () => {
  const def = loadDashboard(undefined);
  const { page, blocked, problems } = await offlinePage();
  await page.goto(new URL('/dashboard', reports.url).toString());
  await page.waitForFunction(() => document.documentElement.dataset.chartsRendered !== undefined);
  expect(await page.getByRole('heading', { level: 1 }).innerText()).toBe(def.title);

  const components = await page.locator('.dashboard > section.component').evaluateAll((sections) =>
    sections.map((s) => {
      const style = getComputedStyle(s);
      return {
        heading: s.querySelector('h2')?.textContent ?? '',
        type: s.getAttribute('data-component-type'),
        column: style.gridColumnStart,
        row: style.gridRowStart,
        span: style.gridColumnEnd
      };
    })
  );
  expect(components).toEqual(
    def.components.map((c) => ({
      heading: c.header ?? '',
      type: c.componentType,
      column: String(c.grid.column + 1),
      row: String(c.grid.row + 1),
      span: `span ${c.grid.colSpan}`
    }))
  );
  // side by side as in the org: the first row's components share a top edge
  const boxes = await page.locator('.dashboard > section.component').evaluateAll((s) => s.map((e) => e.getBoundingClientRect().top));
  expect(new Set(boxes.slice(0, 3)).size).toBe(1);

  const charts = await paintedCharts(page);
  expect(charts).toHaveLength(def.components.length);
  for (const c of charts) {
    expect([c.id, c.painted > 500, c.values > 0]).toEqual([c.id, true, true]);
    expect(c.label).not.toMatch(/no data/);
  }
  // a bar at the top of its scale keeps its value label: the plot leaves room above it
  const padding = await page.evaluate(() =>
    Array.from(document.querySelectorAll('canvas')).map((c) => {
      const chart = (window as unknown as { Chart: { getChart(c: HTMLCanvasElement): { chartArea: { top: number } } } }).Chart.getChart(c);
      return chart.chartArea.top;
    })
  );
  for (const top of padding) expect(top).toBeGreaterThanOrEqual(20);
  expect(blocked).toEqual([]);
  expect(problems).toEqual([]);
  await page.screenshot({ path: path.join(SCREENSHOTS, 'dashboard.png'), fullPage: true });

  // each component opens the report behind it
  await page.getByRole('link', { name: 'Marketing-Sourced Close Ratio' }).click();
  await page.waitForFunction(() => document.documentElement.dataset.chartsRendered === '1');
  expect(await page.getByRole('heading', { level: 1 }).innerText()).toBe('Marketing-Sourced Close Ratio');
  await page.close();
}, 120_000);

test('the preview links the dashboard and the reports from its navigation and Home', async () => {
  const { page, blocked, problems } = await offlinePage();
  await page.goto(`${preview.url}/home`);
  const nav = page.getByRole('navigation', { name: 'Preview' });
  await nav.getByRole('link', { name: 'Reports' }).click();
  // one chart per shipped report
  await page.waitForFunction((n) => document.documentElement.dataset.chartsRendered === String(n), listReports().length);
  expect(page.url()).toBe(new URL('/reports', reports.url).toString());
  await page.goto(`${preview.url}/home`);
  await page
    .getByRole('navigation', { name: 'Dashboards and reports' })
    .getByRole('link', { name: /Sales & Marketing SLA/ })
    .click();
  await page.waitForFunction(() => document.documentElement.dataset.chartsRendered !== undefined);
  expect(await page.getByRole('heading', { level: 1 }).innerText()).toBe('Sales & Marketing SLA');
  expect(blocked).toEqual([]);
  expect(problems).toEqual([]);
  await page.close();
}, 60_000);

test('the scorecard on Home links every figure to a report page with data, for the figure’s period', async () => {
  const { page, blocked, problems } = await offlinePage();
  await page.goto(`${preview.url}/home`);
  const card = page.locator('c-alignment-scorecard');
  await card.locator('table').first().waitFor();
  // the links get their URL from NavigationMixin once the snapshots are read
  await page.waitForFunction(() => {
    const host = document.querySelector('c-alignment-scorecard');
    const links = host ? Array.from(host.shadowRoot?.querySelectorAll('a') ?? host.querySelectorAll('a')) : [];
    return links.length > 0 && links.every((a) => a.getAttribute('href') !== '#');
  });
  const hrefs = await card.locator('a').evaluateAll((as) => as.map((a) => a.getAttribute('href') ?? ''));
  expect(hrefs.length).toBeGreaterThanOrEqual(9);
  for (const href of hrefs) expect(href).toMatch(/^\/reports\/\w+\?period=\d{4}-\d{2}-\d{2}\.\.\d{4}-\d{2}-\d{2}$/);
  await page.screenshot({ path: path.join(SCREENSHOTS, 'home-scorecard.png'), fullPage: true });

  // a click opens the report as NavigationMixin does (a new tab), through the preview to the reports server
  const [report] = await Promise.all([page.waitForEvent('popup'), card.locator('td > a').first().click()]);
  await report.waitForFunction(() => document.documentElement.dataset.chartsRendered === '1');
  expect(report.url()).toBe(new URL(hrefs[0], reports.url).toString());
  await report.close();

  // every figure's report page has data for that period
  const other = await browser.context.newPage();
  for (const href of [...new Set(hrefs)]) {
    await other.goto(new URL(href, preview.url).toString());
    await other.waitForFunction(() => document.documentElement.dataset.chartsRendered !== undefined);
    const rows = await other.locator('main table tbody tr').count();
    const charts = await paintedCharts(other);
    expect([href, rows > 0, charts.every((c) => c.values > 0 && !/no data/.test(c.label))]).toEqual([href, true, true]);
  }
  await other.close();
  expect(blocked).toEqual([]);
  expect(problems).toEqual([]);
  await page.close();
}, 120_000);
