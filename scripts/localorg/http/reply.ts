import { randomInt } from 'node:crypto';
import type * as http from 'node:http';
import { ApiError } from '../errors';
import { QueryTimeout } from '../store';

/**
 * A route's answer: an HTTP status and a JSON body (none for 204), a body already serialized in
 * another media type (`contentType`, e.g. the SOAP fault of an API the local org does not have), or
 * a text body written piece by piece (`stream`).
 */
export interface Reply {
  status: number;
  body?: unknown;
  contentType?: string;
  /** Extra response headers (`Sforce-Locator`, `Sforce-Limit-Info`). */
  headers?: Record<string, string>;
  /** A non-JSON body (Bulk API CSV results), written as the client reads it. */
  stream?: { contentType: string; chunks: Iterable<string | Uint8Array> };
  /** Close the connection after this reply (the rest of an over-long body was not read). */
  close?: boolean;
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

/** Where the HTTP shell writes what a client must not see: the cause of a 500, under its error id. */
export type ServerLog = (line: string) => void;

/**
 * The one place a request's error becomes its answer: an ApiError is its status and Salesforce's
 * error body (`[{message, errorCode, fields}]`); a query past its time budget is 400 QUERY_TIMEOUT
 * (the real org's answer to a query that runs too long); anything else is a fault of the local org:
 * a 500 UNKNOWN_EXCEPTION with a generic message and an error id, as a real org answers, and the
 * error itself only in the server's log under that id.
 */
export function errorReply(e: unknown, log: ServerLog): Reply {
  if (e instanceof ApiError) return { status: e.status, body: e.toBody() };
  if (e instanceof QueryTimeout) return { status: 400, body: [{ message: e.message, errorCode: 'QUERY_TIMEOUT', fields: [] }] };
  return internalError(e, log);
}

let errorSeq = 0;

/** 500 UNKNOWN_EXCEPTION, worded as a real org words it, with an error id that names the logged cause. */
export function internalError(e: unknown, log: ServerLog): Reply {
  const errorId = `${randomInt(100_000_000, 2_000_000_000)}-${++errorSeq} (${-randomInt(100_000_000, 2_000_000_000)})`;
  try {
    log(`local org: 500 UNKNOWN_EXCEPTION, ErrorId ${errorId}: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
  } catch {
    // a log that cannot be written must not take the answer with it
  }
  return {
    status: 500,
    body: [
      {
        message: `An unexpected error occurred. Please include this ErrorId if you contact support: ${errorId}`,
        errorCode: 'UNKNOWN_EXCEPTION',
        fields: []
      }
    ]
  };
}

/**
 * Writes a reply: JSON with its length, a pre-serialized body in its own media type, a stream of
 * text pieces (waiting for the client to drain each, so a large download never sits whole in
 * memory), or only the status when there is no body. Serialization is inside the error handling: a
 * body that cannot be serialized (too large for a string, a cycle), or a stream that fails before
 * its first piece, is a 500 with an error id, never a dropped request; a stream that fails later is
 * cut short (its status is sent), so the client sees the download fail, and the cause is logged.
 * Resolves to the status actually sent.
 */
export async function sendReply(res: http.ServerResponse, reply: Reply, log: ServerLog): Promise<number> {
  let answer = reply;
  let text: string | undefined;
  let pieces: { first: IteratorResult<string | Uint8Array>; rest: Iterator<string | Uint8Array> } | undefined;
  try {
    if (answer.stream) {
      const rest = answer.stream.chunks[Symbol.iterator]();
      pieces = { first: rest.next(), rest };
    } else text = serialize(answer);
  } catch (e) {
    answer = { ...internalError(e, log), headers: reply.headers };
    pieces = undefined;
    text = serialize(answer);
  }
  try {
    const headers: Record<string, string | number> = { ...answer.headers };
    if (pieces) headers['content-type'] = answer.stream!.contentType;
    else if (text !== undefined) {
      headers['content-type'] = answer.contentType ?? 'application/json;charset=UTF-8';
      headers['content-length'] = Buffer.byteLength(text);
    }
    if (answer.close) headers.connection = 'close';
    res.writeHead(answer.status, headers);
    if (pieces) await writePieces(res, pieces.first, pieces.rest);
    else res.end(text);
  } catch (e) {
    internalError(e, log);
    res.destroy();
  }
  return answer.status;
}

/** Writes a stream's pieces as the client drains them, and ends the response; stops when the client has gone. */
async function writePieces(
  res: http.ServerResponse,
  first: IteratorResult<string | Uint8Array>,
  rest: Iterator<string | Uint8Array>
): Promise<void> {
  for (let piece = first; !piece.done; piece = rest.next()) {
    if (res.destroyed) {
      rest.return?.();
      return;
    }
    if (!res.write(piece.value)) {
      await new Promise<void>((resolve) => {
        const done = () => {
          res.off('drain', done);
          res.off('close', done);
          resolve();
        };
        res.on('drain', done);
        res.on('close', done);
      });
    }
  }
  res.end();
}

function serialize(reply: Reply): string | undefined {
  if (reply.body === undefined) return undefined;
  if (reply.contentType !== undefined && typeof reply.body === 'string') return reply.body;
  const text = JSON.stringify(reply.body) as string | undefined;
  if (text === undefined) throw new TypeError('the reply body does not serialize to JSON');
  return text;
}
