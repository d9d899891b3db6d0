import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Page } from 'playwright-core';
import { LocalAccess } from '../scripts/http/security';
import type { TestOrg } from '../scripts/localorg/testing';
import { localOrgUsers, startPreview } from '../scripts/preview';
import { launchChromium, type Chromium } from '../scripts/preview/browser';
import { ALL, NOW, startReportOrg } from '../scripts/reports/__tests__/fixture';
import { startReportServer } from '../scripts/reports/server';
import { runCli } from '../scripts/testing/cli';
import { isFocused } from './support/previewEnv';

/**
 * The SLA what-if in Chromium: the reports server's What-if page — a manager changes the Accept target, presses
 * Replay, and the figures and the chart change in place (under the page's CSP: its form and its script reach the
 * server, nothing else runs) —, the same page opened from the preview app's navigation as npm start serves them
 * (a manager sees the tab, a rep does not), and `closed-loop sla whatif --format html`, opened offline, draws its
 * charts.
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

/** Presses Replay and waits for the page to have drawn its `n`th replay in place (no page load). */
async function replay(page: Page, n: number): Promise<void> {
  await page.getByRole('button', { name: 'Replay' }).click();
  await page.waitForFunction((count) => document.documentElement.dataset.whatifReplays === String(count), n);
}

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

    // the page says when it read the history, in the browser's time zone
    const readAt = page.locator('#whatif-read-at time');
    expect(await page.locator('#whatif-read-at').textContent()).toMatch(
      /^History read at .+; kept between replays while the org does not change/
    );
    const [readIso, readText] = [await readAt.getAttribute('datetime'), await readAt.textContent()];

    const target = page.locator('input[name="target.Lead_Accept"]');
    expect(await target.inputValue()).toBe('60');
    await target.fill('480');
    await replay(page, 1);
    expect(page.url()).toMatch(/target\.Lead_Accept=480/);
    // the edit replayed the history read for the page (the org did not change), and says so as the page did
    expect([await readAt.getAttribute('datetime'), await readAt.textContent()]).toEqual([readIso, readText]);
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
    await replay(page, 1);
    expect(page.url()).toMatch(/target\.Lead_Accept=480/);
    await page.screenshot({ path: path.join(SCREENSHOTS, 'whatif.png'), fullPage: true });
    expect(violations).toEqual([]);
    // the one console error is the browser noting the refused page's 400
    expect(problems.filter((p) => !/status of 400/.test(p))).toEqual([]);
    await page.close();
  } finally {
    await server.close();
  }
}, 120_000);

test('from the preview app, a manager opens What if, changes the Accept target and hears the new figures', async () => {
  // as npm start runs them: one access token for both servers, the preview as a rep with the "View as" menu
  const access = new LocalAccess();
  const admin = { instanceUrl: org.instanceUrl, accessToken: org.accessToken, apiVersion: '64.0' };
  // the preview starts first and learns the reports server's address once it listens, as under npm start
  const known: { reportsUrl?: string } = {};
  const preview = await startPreview({
    org: admin,
    port: 0,
    reportsUrl: () => known.reportsUrl,
    access,
    users: localOrgUsers(admin),
    as: 'rep'
  });
  const reports = await startReportServer(org.conn, { access, now: () => new Date(NOW), appUrl: `${preview.url}/` });
  known.reportsUrl = reports.url;
  const page = await browser.context.newPage();
  try {
    const problems: string[] = [];
    page.on('pageerror', (e) => problems.push(e.message));
    page.on('console', (m) => m.type() === 'error' && problems.push(m.text()));
    await page.goto(preview.openUrl);
    const nav = page.getByRole('navigation', { name: 'Preview' });
    expect(await nav.getByRole('link', { name: 'Reports' }).count()).toBe(1);

    // a rep reads their own SLA timers only: no What if tab, and its address says why (403)
    expect(await nav.getByRole('link', { name: 'What if' }).count()).toBe(0);
    const refused = await page.goto(new URL('/whatif', preview.url).toString());
    expect(refused?.status()).toBe(403);
    expect(await page.getByRole('alert').textContent()).toMatch(/^What if replays every rep’s SLA timers/);

    // switched in the header's "View as" menu to a manager (View All on SLA timers), the app navigation has the
    // tab, reached on the keyboard
    await page.getByLabel('View as').selectOption('manager');
    await Promise.all([page.waitForURL(`${preview.url}/`), page.getByRole('button', { name: 'Switch' }).click()]);
    const whatIf = nav.getByRole('link', { name: 'What if' });
    expect(await whatIf.count()).toBe(1);
    await nav.getByRole('link', { name: 'Reports' }).focus();
    await page.keyboard.press('Tab');
    expect(await isFocused(whatIf)).toBe(true);
    await Promise.all([page.waitForURL(`${new URL(reports.url).origin}/whatif`), page.keyboard.press('Enter')]);
    await page.waitForFunction(() => document.documentElement.dataset.chartsRendered !== undefined);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('SLA what-if');

    // every field is labelled, each by its own name
    const unlabelled = await page
      .locator('form.whatif input')
      .evaluateAll(
        (inputs) =>
          inputs.filter((i) => !(i as HTMLInputElement).labels?.length || !(i as HTMLInputElement).labels?.[0].textContent?.trim()).length
      );
    expect(unlabelled).toBe(0);
    const target = page.getByLabel('Accept (Lead_Accept): Target (business minutes)');
    expect(await target.inputValue()).toBe('60');

    // the quarter before the fixture's clock has no runs: the manager picks the period the data covers
    await page.getByLabel('Clock runs started in').fill(PERIOD);
    await replay(page, 1);
    const status = page.getByRole('status');
    expect(await status.textContent()).toMatch(/^Figures updated\. Accept: \d+\.\d % now, \d+\.\d % proposed \(target 60 min\)/);
    const before = await page.evaluate(chartData(), 'whatif-compliance');
    const [now, proposed] = before.datasets.map((d) => d.data[0]);
    expect(proposed).toBe(now);
    expect(now).toBeLessThan(100);

    // edits the target and presses Enter in the field: the figures, the chart and the live region change, focus stays
    await target.fill('480');
    await target.press('Enter');
    await page.waitForFunction(() => document.documentElement.dataset.whatifReplays === '2');
    expect(await isFocused(page.getByLabel('Accept (Lead_Accept): Target (business minutes)'))).toBe(true);
    const after = await page.evaluate(chartData(), 'whatif-compliance');
    expect(after.datasets[0].data[0]).toBe(now);
    expect(after.datasets[1].data[0]!).toBeGreaterThan(now!);
    expect(await page.locator('#whatif-clocks tr', { hasText: 'Accept · proposed (480 min)' }).count()).toBe(1);
    const announced = await status.textContent();
    expect(announced).toContain(`Accept: ${now!.toFixed(1)} % now, ${after.datasets[1].data[0]!.toFixed(1)} % proposed (target 480 min)`);
    expect(page.url()).toMatch(/target\.Lead_Accept=480/);

    // a period that does not parse: one line beside the form, said in the live region too; nothing else drawn
    await page.getByLabel('Clock runs started in').fill('next-decade');
    await replay(page, 3);
    expect(await page.getByRole('alert').textContent()).toMatch(/next-decade/);
    expect(await status.textContent()).toMatch(/^Not replayed: /);
    expect(await page.locator('#whatif-clocks').count()).toBe(0);
    await page.getByLabel('Clock runs started in').fill(PERIOD);
    await replay(page, 4);
    expect(await page.getByRole('alert').count()).toBe(0);
    await page.screenshot({ path: path.join(SCREENSHOTS, 'whatif-preview.png'), fullPage: true });
    // and back to the app, still as the manager
    await Promise.all([page.waitForURL(`${preview.url}/`), page.getByRole('link', { name: 'Closed Loop app' }).click()]);
    expect(await nav.getByRole('link', { name: 'What if' }).count()).toBe(1);
    // the one console error is the browser noting the refused replay's 400 (and the rep's 403)
    expect(problems.filter((p) => !/status of 40[03]/.test(p))).toEqual([]);
  } finally {
    await page.close();
    await preview.close();
    await reports.close();
  }
}, 240_000);

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
