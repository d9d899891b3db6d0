import * as http from 'node:http';
import { startTestOrg, type TestOrg } from '../../localorg/testing';
import { buildPreview } from '../build';
import { startPreviewServer, type RunningPreview } from '../server';

/**
 * The preview server over real HTTP against a local org: the pages it serves, and that the org's token
 * stays in the server (the page reaches the org only through the proxy, which answers only the
 * preview's own scripts on 127.0.0.1).
 */
let org: TestOrg;
let preview: RunningPreview;

beforeAll(async () => {
  org = await startTestOrg();
  await org.conn.sobject('Lead').create({ FirstName: 'Server', LastName: 'Probe', Company: 'Probe Works', Status: 'New' });
  const build = await buildPreview();
  preview = await startPreviewServer({
    org: { instanceUrl: org.instanceUrl, accessToken: org.accessToken, apiVersion: '64.0' },
    build,
    port: 0
  });
}, 120_000);

afterAll(async () => {
  await preview?.close();
  await org?.close();
});

const ui = (path: string, init: RequestInit = {}) => fetch(`${preview.url}${path}`, init);

function statusWithHost(path: string, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port: preview.port, path, headers: { host, 'x-closed-loop-preview': '1' } }, (res) => {
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

  it('proxies the UI API with the token for the preview’s scripts only', async () => {
    const withHeader = await ui('/ui-api/object-info/Lead', { headers: { 'x-closed-loop-preview': '1' } });
    expect(withHeader.status).toBe(200);
    expect(((await withHeader.json()) as { apiName: string }).apiName).toBe('Lead');

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
