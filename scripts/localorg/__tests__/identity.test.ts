import { startTestOrg, TestOrg } from '../testing';

/**
 * The identity URL answers with the parameters of the documented identity URL response (Salesforce
 * Help, "Identity URLs"), and every URL it names is one the local org serves.
 */
let org: TestOrg;

beforeAll(async () => {
  org = await startTestOrg({ now: () => new Date('2026-07-15T12:00:00Z') });
});
afterAll(() => org.close());

test('conn.identity() has every parameter of the documented response, with the user’s own values', async () => {
  const me = await org.conn.identity();
  expect(Object.keys(me).sort()).toEqual(
    [
      'id',
      'asserted_user',
      'user_id',
      'organization_id',
      'username',
      'nick_name',
      'display_name',
      'email',
      'email_verified',
      'first_name',
      'last_name',
      'timezone',
      'photos',
      'addr_street',
      'addr_city',
      'addr_state',
      'addr_country',
      'addr_zip',
      'mobile_phone',
      'mobile_phone_verified',
      'is_lightning_login_user',
      'status',
      'urls',
      'active',
      'user_type',
      'language',
      'locale',
      'utcOffset',
      'last_modified_date',
      'is_app_installed'
    ].sort()
  );
  expect(me).toMatchObject({
    id: `${org.instanceUrl}/id/00DLo0000000001AAA/${org.userId}`,
    user_id: org.userId,
    organization_id: '00DLo0000000001AAA',
    username: 'admin@closed-loop.local',
    display_name: 'Local Admin',
    first_name: 'Local',
    last_name: 'Admin',
    timezone: 'America/New_York',
    active: true,
    user_type: 'STANDARD',
    // the time zone's standard offset in ms (EST), in July as in January
    utcOffset: -5 * 3_600_000,
    status: { created_date: null, body: null },
    last_modified_date: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}\+0000$/)
  });
  // without ?version= the API URLs carry the literal {version}, as documented
  const urls = (me as unknown as { urls: Record<string, string> }).urls;
  expect(urls).toEqual({
    rest: `${org.instanceUrl}/services/data/v{version}/`,
    sobjects: `${org.instanceUrl}/services/data/v{version}/sobjects/`,
    query: `${org.instanceUrl}/services/data/v{version}/query/`
  });
});

test('every URL the identity names answers: the API URLs for a version, and the default photo', async () => {
  const auth = { Authorization: `Bearer ${org.accessToken}` };
  const me = (await (await fetch(`${org.instanceUrl}/id/00DLo0000000001AAA/${org.userId}?version=64.0`, { headers: auth })).json()) as {
    urls: Record<string, string>;
    photos: { picture: string; thumbnail: string };
  };
  expect(me.urls.sobjects).toBe(`${org.instanceUrl}/services/data/v64.0/sobjects/`);
  expect((await fetch(me.urls.rest, { headers: auth })).status).toBe(200);
  expect((await fetch(me.urls.sobjects, { headers: auth })).status).toBe(200);
  expect((await fetch(`${me.urls.query}?q=SELECT+Id+FROM+User`, { headers: auth })).status).toBe(200);
  for (const photo of [me.photos.picture, me.photos.thumbnail]) {
    const res = await fetch(photo, { headers: auth });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('image/svg+xml');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(await res.text()).toMatch(/^<svg /);
  }
  expect((await fetch(me.photos.picture, { method: 'POST', headers: auth })).status).toBe(405);
  expect((await fetch(me.photos.picture)).status).toBe(401);
});
