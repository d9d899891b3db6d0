import { wallClock } from '../../calendar';
import type { OrgContext, RequestContext } from '../context';
import { restDateTime } from '../dates';
import { ApiError } from '../errors';
import { normalizeId, ORG_ID } from '../ids';
import type { Reply } from '../http/reply';

/**
 * The resources outside an API version: the version list (`/services/data`), the OpenID Connect
 * user info (`/services/oauth2/userinfo`) and the identity URL (`/id/<org id>/<user id>`), each
 * about the running user — the user the request's token belongs to (the admin, or the user a token
 * was minted for). jsforce's `conn.identity()` reads the identity URL named by `GET /services/data/vXX.X`.
 */

/** The newest API version the org answers to. */
const LATEST_VERSION = 66;

/** `GET /services/data`: the API versions the org answers to. */
export function versions() {
  const out = [];
  for (let v = 20; v <= LATEST_VERSION; v++) {
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
      "CommunityNickname", "UserType", "IsActive", "MobilePhone", "LastModifiedDate" FROM "User" WHERE "Id" = ?`,
    [ctx.userId]
  )!;
}

/**
 * A time zone's standard offset from UTC in milliseconds, as the identity URL's `utcOffset` gives it
 * (-28800000 for America/Los_Angeles, whatever the season): the smaller of its January and July
 * offsets this year, daylight saving time adding to the standard offset in either hemisphere.
 */
export function standardUtcOffset(timeZone: string, now: Date): number {
  const offsetAt = (month: number) => {
    const instant = Date.UTC(now.getUTCFullYear(), month, 1);
    const w = wallClock(instant, timeZone);
    return Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second) - instant;
  };
  return Math.min(offsetAt(0), offsetAt(6));
}

/** The photo URLs of a user without a photo: the org's default silhouette (`/profilephoto/005/F` and `/T`). */
function photoUrls(url: URL) {
  return { picture: `${url.origin}/profilephoto/005/F`, thumbnail: `${url.origin}/profilephoto/005/T` };
}

/**
 * The API URLs of an identity, with the literal `{version}` in place of the version unless the request
 * names one (`?version=64.0`, or `latest`) — only those the local org serves: the REST API, its sObject
 * and query resources (a real org also lists its SOAP endpoints, search, recent items, Chatter feeds and
 * the user's profile page, which the local org does not have).
 */
function apiUrls(url: URL) {
  const asked = url.searchParams.get('version');
  const version = asked === 'latest' ? `${LATEST_VERSION}.0` : asked && /^\d{2}\.0$/.test(asked) ? asked : '{version}';
  const rest = `${url.origin}/services/data/v${version}/`;
  return { rest, sobjects: `${rest}sobjects/`, query: `${rest}query/` };
}

/**
 * `GET /id/<org id>/<user id>`: the identity of the token's user, with the parameters of the
 * documented identity URL response (Salesforce Help, "Identity URLs": id, asserted_user, user_id,
 * organization_id, nick_name, display_name, email, email_verified, first_name, last_name, timezone,
 * photos, addr_*, mobile_phone, mobile_phone_verified, is_lightning_login_user, status, urls, active,
 * user_type, language, locale, utcOffset, last_modified_date, is_app_installed); users of the local
 * org have no address, photo or Chatter status. Another user's identity URL is refused (403), as an
 * org answers a token that does not belong to the identity asked for.
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
    email_verified: true,
    first_name: row.FirstName ?? null,
    last_name: row.LastName,
    timezone: row.TimeZoneSidKey,
    photos: photoUrls(url),
    addr_street: null,
    addr_city: null,
    addr_state: null,
    addr_country: null,
    addr_zip: null,
    mobile_phone: row.MobilePhone ?? null,
    mobile_phone_verified: false,
    is_lightning_login_user: false,
    status: { created_date: null, body: null },
    urls: apiUrls(url),
    active: row.IsActive === 1,
    user_type: String(row.UserType ?? 'Standard').toUpperCase(),
    language: row.LanguageLocaleKey,
    locale: row.LocaleSidKey,
    utcOffset: standardUtcOffset(String(row.TimeZoneSidKey), ctx.now),
    last_modified_date: row.LastModifiedDate ? restDateTime(String(row.LastModifiedDate)) : null,
    is_app_installed: true
  };
}

/** The org's default user photo, a grey silhouette: what a real org serves for a user without one. */
const DEFAULT_PHOTO =
  '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 64" width="64" height="64" role="img" aria-label="User">' +
  '<rect width="64" height="64" fill="#c9c9c9"/><circle cx="32" cy="25" r="12" fill="#fff"/>' +
  '<path d="M10 60c2-13 11-20 22-20s20 7 22 20z" fill="#fff"/></svg>';

/** `GET /profilephoto/<id>/F` (full size) and `/T` (thumbnail): the default photo the identity URL names. */
export function profilePhoto(): Reply {
  return {
    status: 200,
    contentType: 'image/svg+xml',
    body: DEFAULT_PHOTO,
    headers: { 'Content-Security-Policy': "default-src 'none'", 'X-Content-Type-Options': 'nosniff' }
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
