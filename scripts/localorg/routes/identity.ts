import type { OrgContext, RequestContext } from '../context';
import { ORG_ID } from '../ids';
import { API_VERSION } from '../../project';
import { resources } from './areas';

/**
 * The resources outside an API version: the version list (`/services/data`), the OpenID Connect
 * user info (`/services/oauth2/userinfo`) and the identity URL (`/id/<org id>/<user id>`), each
 * about the running user.
 */

/** `GET /services/data`: the API versions the org answers to. */
export function versions() {
  const out = [];
  for (let v = 20; v <= 66; v++) {
    out.push({ label: `v${v}.0`, url: `/services/data/v${v}.0`, version: `${v}.0` });
  }
  return out;
}

/** The identity URL of a user. */
export function identityUrl(url: URL, userId: string): string {
  return `${url.origin}/id/${ORG_ID}/${userId}`;
}

function userRow(org: OrgContext, ctx: RequestContext) {
  return org.store.get('SELECT "Id", "Username", "Name", "Email", "TimeZoneSidKey" FROM "User" WHERE "Id" = ?', [ctx.userId])!;
}

/** `GET /id/<org id>/<user id>`. */
export function identity(org: OrgContext, ctx: RequestContext, url: URL) {
  const row = userRow(org, ctx);
  return {
    id: identityUrl(url, String(row.Id)),
    asserted_user: true,
    user_id: row.Id,
    organization_id: ORG_ID,
    username: row.Username,
    nick_name: 'ladmin',
    display_name: row.Name,
    email: row.Email,
    timezone: row.TimeZoneSidKey,
    active: true,
    user_type: 'STANDARD',
    language: 'en_US',
    locale: 'en_US',
    utcOffset: 0,
    urls: resources(API_VERSION)
  };
}

/** `GET /services/oauth2/userinfo`. */
export function userInfo(org: OrgContext, ctx: RequestContext, url: URL) {
  const row = userRow(org, ctx);
  return {
    sub: identityUrl(url, String(row.Id)),
    user_id: row.Id,
    organization_id: ORG_ID,
    preferred_username: row.Username,
    name: row.Name,
    email: row.Email,
    zoneinfo: row.TimeZoneSidKey,
    locale: 'en_US'
  };
}
