import type * as http from 'node:http';
import type { LocalOrg } from '../org';
import type { TokenAuth } from './auth';
import { readBody } from './body';
import { errorReply, Reply, sendReply } from './reply';
import { route } from './router';

/**
 * The HTTP shell around the org: checks the bearer token (401 INVALID_SESSION_ID without a valid
 * one), reads the body, routes the request as its token's user, maps any error to Salesforce's
 * JSON error body (http/reply.ts) and writes the reply.
 */
export function requestHandler(org: LocalOrg, auth: TokenAuth): (req: http.IncomingMessage, res: http.ServerResponse) => Promise<void> {
  return async (req, res) => {
    let reply: Reply;
    try {
      const userId = auth.userOf(req.headers.authorization);
      if (userId === undefined) {
        reply = { status: 401, body: [{ message: 'Session expired or invalid', errorCode: 'INVALID_SESSION_ID' }] };
      } else {
        const body = await readBody(req);
        reply = await route(org, org.requestContext(userId), {
          method: req.method ?? 'GET',
          url: new URL(req.url ?? '/', `http://${req.headers.host ?? '127.0.0.1'}`),
          body,
          contentType: String(req.headers['content-type'] ?? '')
        });
      }
    } catch (e) {
      reply = errorReply(e);
    }
    sendReply(res, reply);
  };
}
