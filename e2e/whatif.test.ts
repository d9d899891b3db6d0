import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { TestOrg } from '../scripts/localorg/testing';
import { launchChromium, type Chromium } from '../scripts/preview/browser';
import { ALL, NOW, startReportOrg } from '../scripts/reports/__tests__/fixture';
import { startReportServer } from '../scripts/reports/server';
import { runCli } from '../scripts/testing/cli';

/**
 * The SLA what-if in Chromium: the reports server's What-if page — a manager changes the Accept target, presses
 * Replay, and the figures and the chart change (under the page's CSP: its form submits to the server, nothing else
 * runs) — and `closed-loop sla whatif --format html`, opened offline, draws its charts.
 */
const SCREENSHOTS = path.join(__dirname, 'screenshots');
const PERIOD = `${ALL.from}..${ALL.to}`;

let org: TestOrg;
let browser: Chromium;
let dir: string;

beforeAll(async () => {
  org = await startReportOrg();
  browser = await launchChromium({ viewport: { width: 1280, height: 900 } });
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'closed-loop-whatif-'));
  fs.mkdirSync(SCREENSHOTS, { recursive: true });
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await org?.close();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

type ChartData = { labels: string[]; datasets: Array<{ label: string; data: Array<number | null> }> };
const chartData = () => (canvasId: string) =>
  (window as unknown as { Chart: { getChart(c: HTMLElement): { data: ChartData } } }).Chart.getChart(document.getElementById(canvasId)!)
    .data;

test('the What-if page: change the Accept target, the figures and the chart update', async () => {
  const server = await startReportServer(org.conn, { now: () => new Date(NOW) });
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
    const entry = new URL(server.openUrl.replace('/reports', '/whatif'));
    entry.searchParams.set('period', PERIOD);
    await page.goto(entry.toString());
    await page.waitForFunction(() => document.documentElement.dataset.chartsRendered === '2');
    const accept = async () => page.evaluate(chartData(), 'whatif-compliance');
    const before = await accept();
    expect(before.labels).toEqual(['Accept', 'First Touch', 'Win/Loss Review']);
    const [now, proposed] = before.datasets.map((d) => d.data[0]);
    // nothing changed yet: the proposal is the current policies
    expect(proposed).toBe(now);
    expect(now).toBeGreaterThan(0);
    expect(now).toBeLessThan(100);

    const target = page.locator('input[name="target.Lead_Accept"]');
    expect(await target.inputValue()).toBe('60');
    await target.fill('480');
    await Promise.all([page.waitForURL(/target\.Lead_Accept=480/), page.getByRole('button', { name: 'Replay' }).click()]);
    await page.waitForFunction(() => document.documentElement.dataset.chartsRendered === '2');
    const after = await accept();
    expect(after.datasets[0].data[0]).toBe(now);
    expect(after.datasets[1].data[0]!).toBeGreaterThan(now!);
    await expect(page.getByText('Lead_Accept.Target_Minutes__c: 60 → 480')).toBeTruthy();
    const row = page.locator('#whatif-clocks tr', { hasText: 'Accept · proposed (480 min)' });
    expect(await row.count()).toBe(1);
    expect(await page.locator('input[name="target.Lead_Accept"]').inputValue()).toBe('480');

    // a target below one minute is refused by the server (the form's min=1 asks the browser to refuse it first): one line beside the form
    const refused = new URL(page.url());
    refused.searchParams.set('target.Lead_Accept', '0');
    const res = await page.goto(refused.toString());
    expect(res?.status()).toBe(400);
    expect(await page.getByRole('alert').textContent()).toMatch(/^SLA_Policy__mdt Lead_Accept: Target_Minutes__c must be a whole number/);
    expect(await page.locator('#whatif-clocks').count()).toBe(0);

    await page.locator('input[name="target.Lead_Accept"]').fill('480');
    await Promise.all([page.waitForURL(/target\.Lead_Accept=480/), page.getByRole('button', { name: 'Replay' }).click()]);
    await page.waitForFunction(() => document.documentElement.dataset.chartsRendered === '2');
    await page.screenshot({ path: path.join(SCREENSHOTS, 'whatif.png'), fullPage: true });
    expect(violations).toEqual([]);
    // the one console error is the browser noting the refused page's 400
    expect(problems.filter((p) => !/status of 400/.test(p))).toEqual([]);
    await page.close();
  } finally {
    await server.close();
  }
}, 120_000);

test('closed-loop sla whatif --format html opens offline and draws its charts', async () => {
  const file = path.join(dir, 'whatif.html');
  const run = await runCli([
    'sla',
    'whatif',
    '--connection-file',
    org.connectionFile,
    '--now',
    NOW,
    '--period',
    PERIOD,
    '--set',
    'Lead_Accept.Target_Minutes__c=120',
    '--sweep',
    'Lead_Accept.Target_Minutes__c=30..240/30',
    '--format',
    'html',
    '--out',
    file
  ]);
  expect(run.stderr).toBe(`Wrote ${file}\n`);
  expect(run.code).toBe(0);
  const page = await browser.context.newPage();
  const network: string[] = [];
  await page.route('**/*', (route) => {
    if (route.request().url().startsWith('file:')) return route.continue();
    network.push(route.request().url());
    return route.abort();
  });
  await page.goto(`file://${file}`);
  await page.waitForFunction(() => document.documentElement.dataset.chartsRendered === '2');
  const sweep = await page.evaluate(chartData(), 'whatif-sweep');
  expect(sweep.labels).toEqual(['30', '60', '90', '120', '150', '180', '210', '240']);
  const c = sweep.datasets[0].data as number[];
  expect(c).toEqual([...c].sort((a, b) => a - b));
  expect(network).toEqual([]);
  await page.close();
}, 90_000);
