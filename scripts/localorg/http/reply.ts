import type * as http from 'node:http';
import { ApiError } from '../errors';

/** A route's answer: an HTTP status and a JSON body (none for 204). */
export interface Reply {
  status: number;
  body?: unknown;
}

/**
 * Thrown inside a request's transaction to roll it back and still answer `value` (a collection
 * call with allOrNone whose records did not all succeed).
 */
export class RollbackWith extends Error {
  constructor(readonly value: Reply) {
    super('rollback');
  }
}

/**
 * The one place a request's error becomes its answer: an ApiError is its status and Salesforce's
 * error body (`[{message, errorCode, fields}]`); anything else is a 500 UNKNOWN_EXCEPTION.
 */
export function errorReply(e: unknown): Reply {
  if (e instanceof ApiError) return { status: e.status, body: e.toBody() };
  return { status: 500, body: [{ message: e instanceof Error ? e.message : String(e), errorCode: 'UNKNOWN_EXCEPTION' }] };
}

/** Writes a reply: JSON with its length, or only the status when there is no body. */
export function sendReply(res: http.ServerResponse, reply: Reply): void {
  if (reply.body === undefined) {
    res.writeHead(reply.status);
    res.end();
    return;
  }
  const text = JSON.stringify(reply.body);
  res.writeHead(reply.status, { 'content-type': 'application/json;charset=UTF-8', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}
