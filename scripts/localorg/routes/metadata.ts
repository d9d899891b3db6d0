import { MAX_DEPLOY_BODY_BYTES } from '../bounds';
import type { DeployOptions } from '../deploy';
import { ApiError, methodNotAllowed, notFound } from '../errors';
import { parseMultipart } from '../http/body';
import type { Route } from './route';

/**
 * `/metadata/deployRequest` (Metadata REST): POST a zip (multipart, with `deployOptions` in the
 * `json` part) to start a deploy, answered 201 at once; GET `/metadata/deployRequest/<id>` for its
 * status (`?includeDetails=true` for the component results). Runs outside the request
 * transaction: a deploy changes the schema and takes its time. Only users with Modify All Data deploy.
 */
export const metadataRoute: Route = {
  transaction: false,
  maxBodyBytes: MAX_DEPLOY_BODY_BYTES,
  handle(org, { method, seg, url, body, contentType, version, ctx }) {
    if (seg[0] !== 'deployRequest') throw notFound();
    if (!ctx.access.all) {
      // the platform's answer to a user without Modify All Data or Modify Metadata
      throw new ApiError(
        403,
        'INSUFFICIENT_ACCESS',
        'use of the Metadata API requires a user with the ModifyAllData or ModifyMetadata permissions'
      );
    }
    if (seg.length === 1 && method === 'POST') {
      const parts = parseMultipart(body, contentType);
      const file = parts.find((p) => p.name === 'file');
      const optsPart = parts.find((p) => p.name === 'json' || p.name === 'entity_content');
      if (!file) throw new ApiError(400, 'INVALID_MULTIPART_REQUEST', 'the request must contain a file part with the zip');
      let options: DeployOptions = {};
      if (optsPart) {
        try {
          options = ((JSON.parse(optsPart.data.toString('utf8')) as { deployOptions?: DeployOptions }).deployOptions ??
            {}) as DeployOptions;
        } catch {
          throw new ApiError(400, 'JSON_PARSER_ERROR', 'deployOptions is not valid JSON');
        }
      }
      const result = org.deployments.start(file.data, options, ctx.userId);
      return {
        status: 201,
        body: {
          id: result.id,
          validatedDeployRequestId: null,
          deployOptions: options,
          deployResult: { ...result, details: null },
          url: `/services/data/v${version}/metadata/deployRequest/${result.id}`
        }
      };
    }
    if (seg.length === 2 && method === 'GET') {
      const result = org.deployments.status(seg[1]);
      if (!result) throw notFound();
      const details = url.searchParams.get('includeDetails') === 'true';
      return {
        status: 200,
        body: {
          id: result.id,
          validatedDeployRequestId: null,
          deployOptions: null,
          deployResult: details ? result : { ...result, details: null },
          url: `/services/data/v${version}/metadata/deployRequest/${result.id}${details ? '?includeDetails=true' : ''}`
        }
      };
    }
    throw methodNotAllowed(method);
  }
};
