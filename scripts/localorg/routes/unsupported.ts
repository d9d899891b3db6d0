import { ApiError } from '../errors';
import type { Reply } from '../http/reply';

/**
 * What the local org answers for the parts of a real org's APIs it does not implement: NOT_FOUND
 * naming what is missing, never 401 (a 401 makes a client refresh its token and retry) and never a
 * URL it advertises but does not serve. docs/local-org.md lists what is implemented.
 */

/** 404 NOT_FOUND with a real org's message and what the local org lacks. */
export function notImplemented(what: string): ApiError {
  return new ApiError(404, 'NOT_FOUND', `The requested resource does not exist: the local org does not implement ${what}`);
}

/** REST areas (`/services/data/vXX.X/<area>`) of a real org that the local org does not have. */
export const UNSUPPORTED_AREAS: Readonly<Record<string, string>> = {
  tooling: 'the Tooling API',
  search: 'SOSL search',
  parameterizedSearch: 'SOSL search',
  analytics: 'the Reports and Dashboards REST API',
  wave: 'CRM Analytics',
  chatter: 'Connect REST API',
  'async-queries': 'async SOQL',
  recent: 'recently viewed items',
  tabs: 'tabs',
  theme: 'themes',
  appMenu: 'the app menu',
  quickActions: 'quick actions',
  process: 'approval processes and process rules',
  compactLayouts: 'compact layouts',
  event: 'event monitoring',
  consent: 'the consent API',
  support: 'the support API',
  knowledgeManagement: 'Knowledge'
};

const SOAP_FAULT = (message: string) =>
  '<?xml version="1.0" encoding="UTF-8"?>' +
  '<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns:sf="urn:fault.partner.soap.sforce.com">' +
  `<soapenv:Body><soapenv:Fault><faultcode>sf:NOT_FOUND</faultcode><faultstring>${message}</faultstring></soapenv:Fault></soapenv:Body>` +
  '</soapenv:Envelope>';

const BULK_V1_ERROR = (code: string, message: string) =>
  '<?xml version="1.0" encoding="UTF-8"?>' +
  `<error xmlns="http://www.force.com/2009/06/asyncapi/dataload"><exceptionCode>${code}</exceptionCode><exceptionMessage>${message}</exceptionMessage></error>`;

/**
 * The APIs of a real org that authenticate otherwise than with a bearer token (the SOAP API's
 * session header, Bulk API 1.0's X-SFDC-Session, OAuth's token endpoints), answered before the
 * bearer-token check with a clear "not supported" in the shape their clients read — jsforce reports
 * a SOAP fault's faultstring and a Bulk API error's exceptionMessage — or undefined for any other
 * path. A Bulk API 1.0 call whose session is missing or not valid gets the real org's answer to that
 * first (400 InvalidSessionId, Bulk API Developer Guide, "Errors"): a client refreshes its session on
 * it and, with a valid one, is told the API is not supported — never asked to refresh a valid one.
 */
export function otherApiReply(pathname: string, bulkSessionValid: () => boolean): Reply | undefined {
  if (/^\/services\/Soap(\/|$)/i.test(pathname)) {
    return {
      status: 404,
      contentType: 'text/xml;charset=UTF-8',
      body: SOAP_FAULT(
        'The local org does not implement the SOAP API (partner, enterprise, metadata or tooling). It speaks the REST API: /services/data/vXX.X/, and Metadata REST deploys at /services/data/vXX.X/metadata/deployRequest.'
      )
    };
  }
  if (/^\/services\/async(\/|$)/i.test(pathname)) {
    if (!bulkSessionValid()) {
      return { status: 400, contentType: 'application/xml;charset=UTF-8', body: BULK_V1_ERROR('InvalidSessionId', 'Invalid session id') };
    }
    return {
      status: 404,
      contentType: 'application/xml;charset=UTF-8',
      body: BULK_V1_ERROR(
        'InvalidUrl',
        'The local org does not implement Bulk API 1.0 (/services/async). Use the REST API: /services/data/vXX.X/composite/sobjects for up to 200 records a call, or Bulk API 2.0 at /services/data/vXX.X/jobs/ingest and /jobs/query.'
      )
    };
  }
  if (/^\/services\/oauth2\/(token|authorize|revoke|introspect)(\/|$)/i.test(pathname)) {
    return {
      status: 400,
      body: {
        error: 'unsupported_grant_type',
        error_description:
          'The local org issues no OAuth tokens: use the access token it prints when it starts (also in its connection file, .localorg/connection.json).'
      }
    };
  }
  return undefined;
}
