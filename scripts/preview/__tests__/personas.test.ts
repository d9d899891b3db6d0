import { startTestOrg, type TestOrg } from '../../localorg/testing';
import { buildPreview, type PreviewBuild } from '../build';
import { localOrgUsers } from '../personas';
import { startPreviewServer, type RunningPreview } from '../server';

/**
 * The preview runs as a persona of the local org — a rep unless told — with that user's token, so its pages
 * and the components' UI API calls meet the rep's permissions; the header's "View as" menu switches users.
 */
let org: TestOrg;
let build: PreviewBuild;
let preview: RunningPreview;
let cookie: string;
let leadId: string;
const PROXY = { 'x-closed-loop-preview': '1' };

beforeAll(async () => {
  org = await startTestOrg();
  await org.createUser({ username: 'rita.rep@example.com', firstName: 'Rita', lastName: 'Rep', permissionSets: ['Closed_Loop_Rep'] });
  await org.createUser({
    username: 'max.manager@example.com',
    firstName: 'Max',
    lastName: 'Manager',
    permissionSets: ['Closed_Loop_Manager']
  });
  leadId = (await org.conn.sobject('Lead').create({ LastName: 'Persona', Company: 'Persona Works', Status: 'New' })).id as string;
  build = await buildPreview();
  const admin = { instanceUrl: org.instanceUrl, accessToken: org.accessToken, apiVersion: '64.0' };
  preview = await startPreviewServer({ org: admin, build, port: 0, users: localOrgUsers(admin) });
  const first = await fetch(preview.openUrl, { redirect: 'manual' });
  cookie = (first.headers.get('set-cookie') ?? '').split(';')[0];
}, 120_000);

afterAll(async () => {
  await preview?.close();
  await org?.close();
});

const ui = (path: string, init: RequestInit = {}) =>
  fetch(`${preview.url}${path}`, { redirect: 'manual', ...init, headers: { cookie, ...(init.headers as Record<string, string>) } });
const switchTo = (as: string, back = '/') =>
  ui('/persona', {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', origin: preview.url },
    body: new URLSearchParams({ as, return: back }).toString()
  });
const fieldsOf = async (object: string) =>
  (await (await ui(`/ui-api/object-info/${object}`, { headers: PROXY })).json()) as {
    createable: boolean;
    fields: Record<string, { updateable: boolean }>;
  };

describe('the preview as a persona', () => {
  it('starts as a rep: the header names them, the page runs as them, and the UI API answers as to a rep', async () => {
    expect(preview.viewingAs()).toEqual({ choice: 'rep', name: 'Rita Rep' });
    const page = await (await ui(`/lead/${leadId}`)).text();
    expect(page).toMatch(/<option value="rep" selected>Rep<\/option>/);
    expect(page).toContain(`<input type="hidden" name="return" value="/lead/${leadId}">`);
    expect(page).toContain('>Rita Rep</p>');
    const rita = (await org.conn.query<{ Id: string }>("SELECT Id FROM User WHERE Username = 'rita.rep@example.com'")).records[0].Id;
    expect(page).toContain(`"userId":"${rita}"`);
    expect(page).not.toContain(org.accessToken);

    const lead = await fieldsOf('Lead');
    expect(lead.fields.SLA_Status__c.updateable).toBe(false);
    expect(lead.fields.Quality_Rating__c.updateable).toBe(false);
    expect(lead.fields.Needs_Dedupe__c.updateable).toBe(true);
    expect((await fieldsOf('Lead_Quality_Feedback__c')).createable).toBe(true);
    const write = await ui(`/ui-api/records/${leadId}`, {
      method: 'PATCH',
      headers: { ...PROXY, origin: preview.url, 'content-type': 'application/json' },
      body: JSON.stringify({ fields: { SLA_Status__c: 'Met' } })
    });
    expect(write.status).toBe(400);
    expect(await write.text()).toContain('INVALID_FIELD_FOR_INSERT_UPDATE');
  });

  it('switches to the manager from the menu and comes back to the page; every page runs as the manager after', async () => {
    const res = await switchTo('manager', `/lead/${leadId}`);
    expect([res.status, res.headers.get('location')]).toEqual([303, `/lead/${leadId}`]);
    expect(preview.viewingAs()).toEqual({ choice: 'manager', name: 'Max Manager' });
    expect(await (await ui('/')).text()).toMatch(/<option value="manager" selected>Manager<\/option>[\s\S]*>Max Manager<\/p>/);
    expect((await fieldsOf('Lead_Quality_Feedback__c')).createable).toBe(false);
    expect((await switchTo('admin')).status).toBe(303);
    expect((await fieldsOf('Lead')).fields.SLA_Status__c.updateable).toBe(true);
    expect((await switchTo('rep')).status).toBe(303);
  });

  it('keeps the user it has when the org has none for the choice, or the choice is not on the menu', async () => {
    const missing = await switchTo('marketing');
    expect(missing.status).toBe(409);
    expect(await missing.text()).toMatch(/Cannot view as marketing: no active user has Closed_Loop_Marketing/);
    expect((await switchTo('max.manager@example.com')).status).toBe(400);
    expect(preview.viewingAs().choice).toBe('rep');
  });

  it('goes back only to its own pages, and takes the switch only from its own pages', async () => {
    // a backslash is a slash to a browser: `/\\evil.example` is another site too
    for (const back of ['//evil.example/x', 'https://evil.example/', '/\\evil.example', 'javascript:alert(1)'])
      expect([back, (await switchTo('rep', back)).headers.get('location')]).toEqual([back, '/']);
    expect((await switchTo('rep', `/lead/${leadId}?tab=details`)).headers.get('location')).toBe(`/lead/${leadId}?tab=details`);
    const foreign = await ui('/persona', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: 'http://127.0.0.1:3000' },
      body: 'as=admin'
    });
    expect(foreign.status).toBe(403);
    // the page's own form: the browser sends Origin null under the no-referrer policy, and Sec-Fetch-Site same-origin
    const ownForm = { 'content-type': 'application/x-www-form-urlencoded', origin: 'null' };
    const form = await ui('/persona', { method: 'POST', headers: { ...ownForm, 'sec-fetch-site': 'same-origin' }, body: 'as=rep' });
    expect(form.status).toBe(303);
    // an opaque origin elsewhere (a sandboxed frame, a data: URL) is cross-site, or says nothing
    for (const site of ['cross-site', 'same-site'])
      expect((await ui('/persona', { method: 'POST', headers: { ...ownForm, 'sec-fetch-site': site }, body: 'as=admin' })).status).toBe(
        403
      );
    expect((await ui('/persona', { method: 'POST', headers: ownForm, body: 'as=admin' })).status).toBe(403);
    const noCookie = await fetch(`${preview.url}/persona`, { method: 'POST', body: 'as=admin', redirect: 'manual' });
    expect(noCookie.status).toBe(403);
    expect(preview.viewingAs().choice).toBe('rep');
  });

  it('starts as the fallback, and says why, when the org has no user for the persona asked for', async () => {
    const admin = { instanceUrl: org.instanceUrl, accessToken: org.accessToken, apiVersion: '64.0' };
    const other = await startPreviewServer({
      org: admin,
      build,
      port: 0,
      users: localOrgUsers(admin),
      as: 'marketing',
      fallbackAs: 'admin'
    });
    try {
      expect(other.viewingAs()).toEqual({ choice: 'admin', name: 'Local Admin' });
      expect(other.notice).toMatch(/^no active user has Closed_Loop_Marketing .*; previewing as admin$/);
    } finally {
      await other.close();
    }
    await expect(startPreviewServer({ org: admin, build, port: 0, users: localOrgUsers(admin), as: 'marketing' })).rejects.toThrow(
      /^cannot preview as marketing: no active user has Closed_Loop_Marketing/
    );
  });
});
