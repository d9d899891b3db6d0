import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { TestOrg } from '../scripts/localorg/testing';
import { launchChromium, type Chromium } from '../scripts/preview/browser';
import { startReportOrg } from '../scripts/reports/__tests__/fixture';
import { runCli } from '../scripts/testing/cli';

/**
 * `closed-loop digest --format html` as marketing ops forward it: opened in Debian's Chromium with every
 * network request refused, it shows its figures and sections, runs no script, and each example lead is a
 * link to the lead's record page in the preview.
 */
const SCREENSHOTS = path.join(__dirname, 'screenshots');

let org: TestOrg;
let browser: Chromium;
let dir: string;

beforeAll(async () => {
  org = await startReportOrg();
  browser = await launchChromium({ viewport: { width: 1280, height: 900 } });
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'closed-loop-digest-'));
  fs.mkdirSync(SCREENSHOTS, { recursive: true });
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await org?.close();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

test('the digest page opens offline: every section, a table per source and campaign, every lead linked', async () => {
  const file = path.join(dir, 'digest.html');
  const run = await runCli([
    'digest',
    '--since',
    '2026-03-01..2026-03-14',
    '--format',
    'html',
    '--out',
    file,
    '--preview-url',
    'http://127.0.0.1:5999',
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

  expect(await page.locator('h2').allInnerTexts()).toEqual([
    'By lead source',
    'By campaign',
    'Lead quality rating trend',
    'Duplicates flagged'
  ]);
  expect(await page.locator('ul.headline li').first().innerText()).toMatch(/^MQLs handed over: \d+/);
  const sources = page.locator('table').first().locator('tbody tr');
  expect(await sources.count()).toBeGreaterThan(3);
  const links = await page.locator('a').evaluateAll((as) => as.map((a) => (a as HTMLAnchorElement).href));
  expect(links.length).toBeGreaterThan(5);
  for (const href of links) expect(href).toMatch(/^http:\/\/127\.0\.0\.1:5999\/lead\/00Q\w{15}$/);
  expect(await page.locator('.bar').count()).toBe(4);
  expect(await page.evaluate(() => document.scripts.length)).toBe(0);
  expect(network).toEqual([]);
  expect(problems).toEqual([]);
  await page.screenshot({ path: path.join(SCREENSHOTS, 'digest.png'), fullPage: true });
}, 90_000);
