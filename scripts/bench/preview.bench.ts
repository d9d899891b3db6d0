import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { startTestOrg } from '../localorg/testing';
import { buildPreview, readPages, startPreviewServer } from '../preview';
import { launchChromium } from '../preview/browser';
import { componentSizes } from '../preview/size';
import { runSeed, seedNow } from '../seed';
import { defineBench } from './harness';

/*
 * The components' first render in the browser preview (the goal: under 100 ms), in Chromium, per placed
 * component, three ways a rep gets to a record page:
 *  - opening a record from the record list: a click on the record's link; the page shell draws the record
 *    page without a page load (Lightning Experience is a single-page app too). Measured from the click
 *    (the click event's time stamp, which the shell marks as `preview:navigation`), then Back to the list;
 *  - the next record in the same tab as a full page load (`page.goto`: HTML, CSS, the engine and the
 *    components again, from Chromium's HTTP and code caches), from navigation start;
 *  - a full page load in a new tab, from navigation start.
 * Browser cache warm (one warm-up round first), RUNS rounds over a few records of each kind, and per
 * component:
 *  - first render: its first DOM change, stamped by a mutation observer installed before any page script
 *    (the native one; synthetic shadow patches it later). LWC renders a component's template
 *    synchronously when it is connected, so this is its first render in the DOM (no data yet);
 *  - rendered with data: its last DOM change before the page went quiet, i.e. its wires answered from the
 *    org over HTTP (UI API through the preview proxy) and it re-rendered, icons included.
 * Also from the component's creation (`preview:loaded:<c>`: its module is there, createElement comes
 * next), so page boot and the component's own cost read apart. Medians and 90th percentiles. Also: the
 * cold build (into a temporary cache, as on a fresh clone), the cached start, each component's minified
 * size, and the machine's load before and after (other work on a shared 2-CPU machine slows every figure).
 */

const RUNS = 15;
/** Records of each kind the rounds go through (the next record is another record). */
const RECORDS = 3;
const SIZE_LIMIT = 30 * 1024;
/** No DOM change for this long: the page is quiet (wires answered and re-rendered). */
const QUIET_MS = 500;

/** Runs in the page before its scripts, so the observer is the native one (synthetic shadow patches it later). */
const TIMING_SCRIPT = `(() => {
  const parentOf = Object.getOwnPropertyDescriptor(Node.prototype, 'parentNode').get;
  const getAttribute = Element.prototype.getAttribute;
  const tag = (n) => (n && n.nodeType === 1 ? getAttribute.call(n, 'data-preview-component') : null);
  const timings = {};
  window.__previewTimings = timings;
  window.__previewLastChange = 0;
  const stamp = (c, t) => {
    const e = timings[c] || (timings[c] = { first: t, last: t, mutations: 0 });
    e.last = t;
    e.mutations++;
  };
  new MutationObserver((records) => {
    const t = performance.now();
    window.__previewLastChange = t;
    for (const r of records) {
      let owner = null;
      for (let n = r.target; n && !owner; n = parentOf.call(n)) owner = tag(n);
      if (owner) stamp(owner, t);
      else if (r.type === 'childList') for (const n of r.addedNodes) if (tag(n)) stamp(tag(n), t);
    }
  }).observe(document, { subtree: true, childList: true, attributes: true, characterData: true });
})();`;

interface Timing {
  first: number;
  last: number;
  mutations: number;
}

/** One record page shown: per component, times from the navigation's start. */
interface Shown {
  first: Record<string, number>;
  data: Record<string, number>;
  /** From the component's creation (`preview:loaded:<c>`) to its first render. */
  own: Record<string, number>;
}

type Way = 'clientSide' | 'sameTab' | 'newTab';
const WAYS: Array<{ way: Way; label: string }> = [
  { way: 'clientSide', label: 'opened from the record list (client-side navigation, from the click)' },
  { way: 'sameTab', label: 'next record, full page load in the same tab (from navigation start)' },
  { way: 'newTab', label: 'full page load in a new tab (from navigation start)' }
];

function quantile(values: number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[i];
}

const ms = (n: number) => `${n.toFixed(1)} ms`;

/** Waits until the components rendered and the page has had no DOM change for QUIET_MS, then reads the times. */
async function readShown(page: Page, components: string[], since: 'navigation' | 'click'): Promise<Shown> {
  await page.waitForFunction(
    ({ components, quiet }) => {
      const w = window as unknown as { __previewTimings: Record<string, Timing>; __previewLastChange: number };
      return components.every((c) => w.__previewTimings[c]) && performance.now() - w.__previewLastChange > quiet;
    },
    { components, quiet: QUIET_MS },
    { polling: 100 }
  );
  return page.evaluate(
    ({ components, since }) => {
      const timings = (window as unknown as { __previewTimings: Record<string, Timing> }).__previewTimings;
      const marks = performance.getEntriesByType('mark');
      const navigation = since === 'click' ? marks.filter((m) => m.name === 'preview:navigation').pop() : undefined;
      const start = navigation?.startTime ?? 0;
      const shown: Shown = { first: {}, data: {}, own: {} };
      for (const c of components) {
        const created = marks.filter((m) => m.name === `preview:loaded:${c}` && m.startTime >= start).pop();
        shown.first[c] = timings[c].first - start;
        shown.data[c] = timings[c].last - start;
        if (created) shown.own[c] = timings[c].first - created.startTime;
      }
      return shown;
    },
    { components, since }
  );
}

/** Forgets the previous page's times (client-side navigation keeps the document). */
async function resetTimings(page: Page): Promise<void> {
  await page.evaluate(() => {
    const w = window as unknown as { __previewTimings: Record<string, Timing> };
    for (const k of Object.keys(w.__previewTimings)) delete w.__previewTimings[k];
  });
}

interface Target {
  name: string;
  /** Record page URLs (or the home page), visited in turn. */
  urls: string[];
  /** The record list showing exactly these records, for client-side navigation (record pages only). */
  listUrl?: string;
  /** Link names in that list, in the order of `urls`. */
  linkNames?: string[];
  components: string[];
}

async function measure(context: BrowserContext, target: Target, way: Way): Promise<Shown[]> {
  const shown: Shown[] = [];
  const rounds = RUNS + 1; // the first is the warm-up
  if (way === 'newTab') {
    for (let i = 0; i < rounds; i++) {
      const page = await context.newPage();
      try {
        await page.goto(target.urls[i % target.urls.length]);
        const s = await readShown(page, target.components, 'navigation');
        if (i > 0) shown.push(s);
      } finally {
        await page.close();
      }
    }
    return shown;
  }
  const page = await context.newPage();
  try {
    if (way === 'sameTab') {
      for (let i = 0; i < rounds; i++) {
        await page.goto(target.urls[i % target.urls.length]);
        const s = await readShown(page, target.components, 'navigation');
        if (i > 0) shown.push(s);
      }
      return shown;
    }
    await page.goto(target.listUrl as string);
    await page.waitForLoadState('networkidle'); // the rep reads the list (the shell loads the components meanwhile)
    for (let i = 0; i < rounds; i++) {
      await resetTimings(page);
      await page.getByRole('link', { name: target.linkNames![i % target.urls.length], exact: true }).click();
      await page.waitForURL(target.urls[i % target.urls.length]);
      const s = await readShown(page, target.components, 'click');
      if (i > 0) shown.push(s);
      await page.goBack();
      await page.getByRole('heading', { name: 'Records', exact: true }).waitFor();
    }
    return shown;
  } finally {
    await page.close();
  }
}

export default defineBench({
  name: 'preview',
  description: `first render of each component in the browser preview (Chromium, median of ${RUNS}: opened from the list, next record, new tab), build times, sizes`,
  async run({ log }) {
    const metrics: Record<string, number | string | boolean> = {};
    let ok = true;

    for (const size of componentSizes()) {
      metrics[`size.${size.name}.minifiedBytes`] = size.minifiedBytes;
      if (size.minifiedBytes >= SIZE_LIMIT) ok = false;
    }
    log(
      `   component sizes (LWC-compiled JS+HTML+CSS, minified): ${componentSizes()
        .map((s) => `${s.name} ${(s.minifiedBytes / 1024).toFixed(1)} KB`)
        .join(', ')}`
    );

    const coldRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'closed-loop-preview-cold-'));
    try {
      const cold = await buildPreview({ cacheRoot: coldRoot, force: true });
      metrics['build.coldMs'] = cold.ms;
      log(`   cold build (fresh cache, as on a new clone): ${(cold.ms / 1000).toFixed(1)} s`);
    } finally {
      fs.rmSync(coldRoot, { recursive: true, force: true });
    }
    await buildPreview();
    const build = await buildPreview();
    metrics['build.cachedMs'] = build.ms;
    log(`   cached build check (restart, nothing changed): ${ms(build.ms)}`);

    const org = await startTestOrg();
    const server = await startPreviewServer({
      org: { instanceUrl: org.instanceUrl, accessToken: org.accessToken, apiVersion: '64.0' },
      build,
      port: 0
    });
    const user = await org.conn.query<{ TimeZoneSidKey: string }>(`SELECT TimeZoneSidKey FROM User WHERE Id = '${org.userId}'`);
    const browser = await launchChromium({ timezoneId: user.records[0]?.TimeZoneSidKey });
    try {
      await runSeed(org.conn, { mode: 'local', seed: 42, leads: 200, now: seedNow() });
      // leads with earlier feedback and closed-lost deals waiting for their review (the form: the heavier state)
      const leads: string[] = [];
      const deals: string[] = [];
      for (let i = 1; i <= RECORDS; i++) {
        const lead = await org.conn.sobject('Lead').create({
          FirstName: 'Bench',
          LastName: `Lead ${i}`,
          Company: `Bench Works ${i}`,
          Status: 'Marketing Qualified',
          OwnerId: org.userId
        });
        await org.conn
          .sobject('Lead_Quality_Feedback__c')
          .create({ Lead__c: lead.id, Rating__c: 3, Disposition__c: 'Recycle', Reason__c: 'Bad timing' });
        leads.push(lead.id as string);
        const deal = await org.conn.sobject('Opportunity').create({
          Name: `Bench Lost Deal ${i}`,
          StageName: 'Closed Lost',
          CloseDate: new Date().toISOString().slice(0, 10),
          OwnerId: org.userId
        });
        deals.push(deal.id as string);
      }
      const pages = readPages();
      const componentsOf = (pred: (p: (typeof pages)[number]) => boolean) =>
        [...new Set(pages.filter(pred).flatMap((p) => p.regions.flatMap((r) => r.components.map((c) => c.specifier))))].sort();
      const targets: Target[] = [
        {
          name: 'lead',
          urls: leads.map((id) => server.recordUrl('Lead', id)),
          listUrl: `${server.url}/?q=Bench&object=Lead`,
          linkNames: leads.map((_id, i) => `Bench Lead ${i + 1}`),
          components: componentsOf((p) => p.sobjectType === 'Lead')
        },
        {
          name: 'opportunity',
          urls: deals.map((id) => server.recordUrl('Opportunity', id)),
          listUrl: `${server.url}/?q=Bench&object=Opportunity`,
          linkNames: deals.map((_id, i) => `Bench Lost Deal ${i + 1}`),
          components: componentsOf((p) => p.sobjectType === 'Opportunity')
        }
      ];
      if (pages.some((p) => p.type !== 'RecordPage')) {
        targets.push({ name: 'home', urls: [`${server.url}/home`], components: componentsOf((p) => p.type !== 'RecordPage') });
      }
      // the printed URL once, as a person opens it: its token becomes the browser's cookie
      const signIn = await browser.context.newPage();
      await signIn.goto(server.openUrl);
      await signIn.close();
      await browser.context.addInitScript({ content: TIMING_SCRIPT });

      const load = () => os.loadavg().map((l) => l.toFixed(1));
      const before = load();
      metrics['machine.cpus'] = os.cpus().length;
      metrics['machine.loadAverage1mBefore'] = Number(before[0]);
      log(`   machine: ${os.cpus().length} CPUs, load average ${before.join(' ')} (other work on the machine shows in these times)`);
      for (const target of targets) {
        log(`   ${target.name} page:`);
        const results = new Map<Way, Shown[]>();
        for (const { way } of WAYS) {
          if (way === 'clientSide' && !target.listUrl) continue;
          results.set(way, await measure(browser.context, target, way));
        }
        for (const c of target.components) {
          log(`     ${c}`);
          for (const { way, label } of WAYS) {
            const runs = results.get(way);
            if (!runs) continue;
            const seen = runs.filter((r) => r.first[c] !== undefined);
            if (seen.length < runs.length) ok = false;
            const first = seen.map((r) => r.first[c]);
            const data = seen.map((r) => r.data[c]);
            const own = seen.filter((r) => r.own[c] !== undefined).map((r) => r.own[c]);
            const key = `${target.name}.${c.replace(/^c\//, '')}.${way}`;
            metrics[`${key}.firstRenderMedianMs`] = Number(quantile(first, 0.5).toFixed(1));
            metrics[`${key}.firstRenderP90Ms`] = Number(quantile(first, 0.9).toFixed(1));
            metrics[`${key}.renderedWithDataMedianMs`] = Number(quantile(data, 0.5).toFixed(1));
            metrics[`${key}.renderedWithDataP90Ms`] = Number(quantile(data, 0.9).toFixed(1));
            if (own.length) metrics[`${key}.createToFirstRenderMedianMs`] = Number(quantile(own, 0.5).toFixed(1));
            log(
              `       ${label}: first render ${ms(quantile(first, 0.5))} (p90 ${ms(quantile(first, 0.9))}), ` +
                `rendered with data ${ms(quantile(data, 0.5))} (p90 ${ms(quantile(data, 0.9))})` +
                (own.length ? `; from its creation ${ms(quantile(own, 0.5))}` : '')
            );
          }
        }
      }
      const after = load();
      metrics['machine.loadAverage1mAfter'] = Number(after[0]);
      log(`   machine after: load average ${after.join(' ')}`);
    } finally {
      await browser.close();
      await server.close();
      await org.close();
    }
    return { metrics, ok };
  }
});
