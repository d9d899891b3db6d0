import { API_VERSION } from '../../project';
import type { OrgContext, RequestContext } from '../context';
import { ApiError, methodNotAllowed } from '../errors';
import { parseJson } from '../http/body';
import type { Reply } from '../http/reply';
import type { IncomingRequest } from '../http/router';
import { ORG_ID } from '../ids';
import { identityUrl } from './identity';

/** Where user tokens are minted: a local-org-only resource (a real org issues tokens through OAuth flows). */
export const TOKEN_PATH = '/services/localorg/token';

/** What mints a token for a user (http/auth.ts). */
export interface TokenMinter {
  mint(userId: string): string;
}

/**
 * `POST /services/localorg/token` `{"username": "…"}`: a new access token for an active user of the
 * org, answered as a connection (`{instanceUrl, accessToken, apiVersion}`) plus who it is for. Only
 * a user with Modify All Data (the admin token) may mint: anyone else gets 403 INSUFFICIENT_ACCESS.
 * A request made with the token runs as that user, with their profile's and permission sets'
 * access (`closed-loop localorg token --user <username>`; tests: `TestOrg.connectionAs`).
 */
export function mintUserToken(org: OrgContext, ctx: RequestContext, tokens: TokenMinter, req: IncomingRequest): Reply {
  if (req.method !== 'POST') throw methodNotAllowed(req.method);
  if (!ctx.access.all) {
    throw new ApiError(403, 'INSUFFICIENT_ACCESS', 'Minting a user token requires Modify All Data (the System Administrator profile)');
  }
  const body = parseJson(req.body) as { username?: unknown };
  const username = typeof body === 'object' && body !== null ? body.username : undefined;
  if (typeof username !== 'string' || username.trim() === '') {
    throw new ApiError(400, 'MISSING_ARGUMENT', 'username is required: {"username": "<the user\'s Username>"}');
  }
  const user = org.store.get('SELECT "Id", "Username", "IsActive" FROM "User" WHERE "Username" = ? AND "IsDeleted" = 0', [username.trim()]);
  if (!user) throw new ApiError(404, 'NOT_FOUND', `No user with Username ${username.trim()} in this org`);
  if (user.IsActive !== 1) throw new ApiError(400, 'INACTIVE_OWNER_OR_USER', `User ${String(user.Username)} is inactive`);
  const userId = String(user.Id);
  return {
    status: 201,
    body: {
      instanceUrl: req.url.origin,
      accessToken: tokens.mint(userId),
      apiVersion: API_VERSION,
      userId,
      username: user.Username,
      organizationId: ORG_ID,
      identity: identityUrl(req.url, userId)
    }
  };
}
