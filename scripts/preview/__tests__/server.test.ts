import * as http from 'node:http';
import { startTestOrg, type TestOrg } from '../../localorg/testing';
import { buildPreview } from '../build';
import { startPreviewServer, type RunningPreview } from '../server';

/**
 * The preview server over real HTTP against a local org: the pages it serves, and that the org's token
 * stays in the server (the page reaches the org only through the proxy, which answers only the
 * preview's own pages: this run's cookie, on 127.0.0.1, from its own origin).
 */
let org: TestOrg;
let preview: RunningPreview;
/** What the browser holds after opening the printed URL. */
let cookie: string;

beforeAll(async () => {
  org = await startTestOrg();
  await org.conn.sobject('Lead').create({ FirstName: 'Server', LastName: 'Probe', Company: 'Probe Works', Status: 'New' });
  const build = await buildPreview();
  preview = await startPreviewServer({
    org: { instanceUrl: org.instanceUrl, accessToken: org.accessToken, apiVersion: '64.0' },
    build,
    port: 0
  });
  // what a browser does with the printed URL: the token is swapped for a cookie, then the page without it
  const first = await fetch(preview.openUrl, { redirect: 'manual' });
  expect(first.status).toBe(303);
  expect(first.headers.get('location')).toBe('/');
  const setCookie = first.headers.get('set-cookie') ?? '';
  expect(setCookie).toMatch(/; HttpOnly; SameSite=Strict$/);
  cookie = setCookie.split(';')[0];
}, 120_000);

afterAll(async () => {
  await preview?.close();
  await org?.close();
});

/** A request of the signed-in browser (its cookie), with more headers when given. */
const ui = (path: string, init: RequestInit = {}) =>
  fetch(`${preview.url}${path}`, { ...init, headers: { cookie, ...(init.headers as Record<string, string>) } });
const PROXY = { 'x-closed-loop-preview': '1' };

function statusWithHost(path: string, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port: preview.port, path, headers: { host, cookie, ...PROXY } }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', reject);
    req.end();
  });
}

describe('preview server', () => {
  it('listens on 127.0.0.1 only', () => {
    expect(preview.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  });

  it('lists records with a search and links each to its record page', async () => {
    const res = await ui('/?q=Probe&object=Lead');
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toMatch(/<a href="\/lead\/00Q[A-Za-z0-9]{15}">Server Probe<\/a>/);
    expect(html).toContain('Probe Works');
    expect(res.headers.get('content-security-policy')).toContain("script-src 'self'");
  });

  it('serves a record page with the built components and the page layout, but never the org token', async () => {
    const id = (await org.conn.query<{ Id: string }>("SELECT Id FROM Lead WHERE LastName = 'Probe'")).records[0].Id;
    const html = await (await ui(`/lead/${id}`)).text();
    expect(html).toContain('"specifier":"c/leadQualityFeedback"');
    expect(html).toContain('"specifier":"c/slaTimer"');
    // the record page's own entry, which imports its components statically
    expect(html).toMatch(/<script type="module" src="\/build\/page-Lead_[^"]+\.js"><\/script>/);
    expect(html).not.toContain(org.accessToken);
    const script = /src="(\/build\/[^"]+)"/.exec(html)![1];
    const js = await ui(script);
    expect(js.status).toBe(200);
    expect(js.headers.get('content-type')).toContain('javascript');
    expect(await js.text()).not.toContain(org.accessToken);
  });

  it('proxies the UI API with the token for the preview’s pages only', async () => {
    const withHeader = await ui('/ui-api/object-info/Lead', { headers: PROXY });
    expect(withHeader.status).toBe(200);
    expect(((await withHeader.json()) as { apiName: string }).apiName).toBe('Lead');
    expect(withHeader.headers.get('x-content-type-options')).toBe('nosniff');

    // any local process that knows the header name, but not this run's token
    const noCookie = await fetch(`${preview.url}/graphql`, {
      method: 'POST',
      headers: { ...PROXY, 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ uiapi { query { Lead { edges { node { Id } } } } } }' })
    });
    expect(noCookie.status).toBe(403);
    expect(await noCookie.text()).not.toContain('Lead');
    expect((await fetch(`${preview.url}/ui-api/object-info/Lead`, { headers: { ...PROXY, cookie: `${cookie}x` } })).status).toBe(403);
    // a script of this run may send the token itself
    const bearer = await fetch(`${preview.url}/ui-api/object-info/Lead`, {
      headers: { ...PROXY, authorization: `Bearer ${preview.access.token}` }
    });
    expect(bearer.status).toBe(200);
    // another origin (another site, or another local server's page) that the browser sends the cookie from
    const otherOrigin = await ui('/ui-api/records', {
      method: 'POST',
      headers: { ...PROXY, origin: 'http://127.0.0.1:3000', 'content-type': 'application/json' },
      body: '{"apiName":"Lead","fields":{"LastName":"Injected","Company":"X"}}'
    });
    expect(otherOrigin.status).toBe(403);
    const embedded = await ui('/ui-api/object-info/Lead', { headers: { 'sec-fetch-site': 'same-site', 'sec-fetch-mode': 'no-cors' } });
    expect(embedded.status).toBe(403);
    const own = await ui('/ui-api/object-info/Lead', { headers: { ...PROXY, origin: preview.url, 'sec-fetch-site': 'same-origin' } });
    expect(own.status).toBe(200);
    expect((await org.conn.query("SELECT Id FROM Lead WHERE LastName = 'Injected'")).totalSize).toBe(0);

    const crossSite = await ui('/ui-api/records', {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body: '{"apiName":"Lead"}'
    });
    expect(crossSite.status).toBe(403);
    // DNS rebinding: a page of evil.example resolving to 127.0.0.1 sends its own name as Host
    expect(await statusWithHost('/ui-api/object-info/Lead', 'evil.example')).toBe(421);
    expect(await statusWithHost('/ui-api/object-info/Lead', `localhost:${preview.port}`)).toBe(200);
  });

  it('shows nothing to a request without this run’s token or cookie', async () => {
    for (const path of ['/', '/?q=Probe&object=Lead', '/home', '/assets/styles/salesforce-lightning-design-system.min.css']) {
      const res = await fetch(`${preview.url}${path}`);
      expect([path, res.status]).toEqual([path, 403]);
      const text = await res.text();
      expect(text).not.toContain('Probe');
      expect(text).toContain('printed');
    }
    expect((await fetch(`${preview.url}/?token=wrong-token-of-sufficient-length`, { redirect: 'manual' })).status).toBe(403);
    expect(await statusWithHost('/', 'evil.example')).toBe(421);
    expect(await statusWithHost('/', `evil.example:${preview.port}`)).toBe(421);
  });

  it('sends a Content-Security-Policy, nosniff and no Referer on pages, files and errors', async () => {
    for (const path of ['/', '/assets/styles/salesforce-lightning-design-system.min.css', '/nothing/here', '/favicon.ico']) {
      const res = await ui(path);
      expect([path, res.headers.get('x-content-type-options')]).toEqual([path, 'nosniff']);
      expect([path, res.headers.get('referrer-policy')]).toEqual([path, 'no-referrer']);
      expect([path, res.headers.get('content-security-policy')]).toEqual([path, expect.stringContaining("frame-ancestors 'none'")]);
    }
    const page = (await ui('/')).headers.get('content-security-policy') ?? '';
    expect(page).toContain("script-src 'self'");
    expect(page).not.toMatch(/script-src[^;]*unsafe/);
    const refused = await fetch(`${preview.url}/`);
    expect(refused.headers.get('x-content-type-options')).toBe('nosniff');
    expect(refused.headers.get('content-security-policy')).toContain("default-src 'none'");
  });

  it('answers a failure inside with a generic message and an id, the details only in its log', async () => {
    const other = await startTestOrg();
    const logged: string[] = [];
    const broken = await startPreviewServer({
      org: { instanceUrl: other.instanceUrl, accessToken: other.accessToken, apiVersion: '64.0' },
      build: await buildPreview(),
      port: 0,
      log: (line) => logged.push(line)
    });
    try {
      await other.close();
      const res = await fetch(`${broken.url}/`, { headers: { authorization: `Bearer ${broken.access.token}` } });
      expect(res.status).toBe(500);
      const text = await res.text();
      const id = /id ([0-9a-f]{12})/.exec(text)?.[1];
      expect(id).toBeDefined();
      expect(text).not.toMatch(/fetch failed|ECONNREFUSED|127\.0\.0\.1|\n\s+at /);
      expect(logged.join('\n')).toContain(id);
      expect(logged.join('\n')).toContain('did not answer');
    } finally {
      await broken.close();
    }
  }, 60_000);

  it('serves the content-hashed build files immutable, and its pages never from a cache', async () => {
    const id = (await org.conn.query<{ Id: string }>("SELECT Id FROM Lead WHERE LastName = 'Probe'")).records[0].Id;
    for (const pagePath of [`/lead/${id}`, '/']) {
      const page = await ui(pagePath);
      expect(page.headers.get('cache-control')).toBe('no-store');
      const files = [...(await page.text()).matchAll(/(?:src|href)="(\/build\/[^"]+)"/g)].map((m) => m[1]);
      expect(files.length).toBeGreaterThan(1);
      for (const file of files) {
        // rollup's [hash]: the name changes whenever the content does
        expect(file).toMatch(/-[A-Za-z0-9_-]{8}\.js$/);
        const res = await ui(file);
        expect(res.status).toBe(200);
        expect(res.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
      }
    }
    expect((await ui('/nothing/here')).headers.get('cache-control')).toBe('no-store');
  });

  it('serves SLDS (its own file names) fresh for a day, then answers a revalidation with 304', async () => {
    const css = await ui('/assets/styles/salesforce-lightning-design-system.min.css');
    expect(css.status).toBe(200);
    expect(css.headers.get('cache-control')).toBe('public, max-age=86400');
    const etag = css.headers.get('etag');
    expect(etag).toBeTruthy();
    const again = await ui('/assets/styles/salesforce-lightning-design-system.min.css', { headers: { 'if-none-match': etag! } });
    expect(again.status).toBe(304);
    expect(await again.text()).toBe('');
  });

  it('answers an unknown path or record with a 404 page', async () => {
    expect((await ui('/nothing/here/at/all')).status).toBe(404);
    expect((await ui('/record/001000000000000AAA')).status).toBe(404);
    expect((await ui('/build/../../package.json')).status).toBe(404);
  });
});
