import type { OrgContext, RequestContext } from '../context';
import { ApiError } from '../errors';
import { normalizeId, ORG_ID } from '../ids';
import { API_VERSION } from '../../project';
import { resources } from './areas';

/**
 * The resources outside an API version: the version list (`/services/data`), the OpenID Connect
 * user info (`/services/oauth2/userinfo`) and the identity URL (`/id/<org id>/<user id>`), each
 * about the running user — the user the request's token belongs to (the admin, or the user a token
 * was minted for). jsforce's `conn.identity()` reads the identity URL named by `GET /services/data/vXX.X`.
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
  return org.store.get(
    `SELECT "Id", "Username", "Name", "FirstName", "LastName", "Email", "TimeZoneSidKey", "LocaleSidKey", "LanguageLocaleKey",
      "CommunityNickname", "UserType", "IsActive" FROM "User" WHERE "Id" = ?`,
    [ctx.userId]
  )!;
}

/**
 * `GET /id/<org id>/<user id>`: the identity of the token's user; another user's identity URL is
 * refused (403), as an org answers a token that does not belong to the identity asked for.
 */
export function identity(org: OrgContext, ctx: RequestContext, url: URL) {
  const asked = url.pathname.replace(/\/+$/, '').split('/').pop();
  if (normalizeId(asked) !== ctx.userId) throw new ApiError(403, 'FORBIDDEN', 'Bad_Id: the identity URL of another user');
  const row = userRow(org, ctx);
  return {
    id: identityUrl(url, String(row.Id)),
    asserted_user: true,
    user_id: row.Id,
    organization_id: ORG_ID,
    username: row.Username,
    nick_name: row.CommunityNickname,
    display_name: row.Name,
    email: row.Email,
    first_name: row.FirstName,
    last_name: row.LastName,
    timezone: row.TimeZoneSidKey,
    active: row.IsActive === 1,
    user_type: String(row.UserType ?? 'Standard').toUpperCase(),
    language: row.LanguageLocaleKey,
    locale: row.LocaleSidKey,
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
    nickname: row.CommunityNickname,
    name: row.Name,
    given_name: row.FirstName,
    family_name: row.LastName,
    email: row.Email,
    zoneinfo: row.TimeZoneSidKey,
    locale: row.LocaleSidKey,
    language: row.LanguageLocaleKey,
    active: row.IsActive === 1,
    user_type: String(row.UserType ?? 'Standard').toUpperCase()
  };
}
