import type * as http from 'node:http';
import type { LocalOrg } from '../org';
import { mintUserToken, TOKEN_PATH } from '../routes/tokens';
import type { TokenAuth } from './auth';
import { readBody } from './body';
import { errorReply, Reply, sendReply } from './reply';
import { route } from './router';

/**
 * The HTTP shell around the org: checks the bearer token (401 INVALID_SESSION_ID without a valid
 * one, or when its user is inactive), reads the body, routes the request as its token's user (the
 * org as that user sees it), maps any error to Salesforce's JSON error body (http/reply.ts) and
 * writes the reply. Minting a user token (`POST /services/localorg/token`) is answered here, where
 * the tokens are.
 */
export function requestHandler(org: LocalOrg, auth: TokenAuth): (req: http.IncomingMessage, res: http.ServerResponse) => Promise<void> {
  return async (req, res) => {
    let reply: Reply;
    try {
      const userId = auth.userOf(req.headers.authorization);
      if (userId === undefined) {
        reply = { status: 401, body: [{ message: 'Session expired or invalid', errorCode: 'INVALID_SESSION_ID' }] };
      } else {
        const ctx = org.requestContext(userId);
        const body = await readBody(req);
        const incoming = {
          method: req.method ?? 'GET',
          url: new URL(req.url ?? '/', `http://${req.headers.host ?? '127.0.0.1'}`),
          body,
          contentType: String(req.headers['content-type'] ?? '')
        };
        reply =
          incoming.url.pathname === TOKEN_PATH
            ? mintUserToken(org.forUser(ctx), ctx, auth, incoming)
            : await route(org.forUser(ctx), ctx, incoming);
      }
    } catch (e) {
      reply = errorReply(e);
    }
    sendReply(res, reply);
  };
}
