import type * as http from 'node:http';
import { MAX_JSON_DEPTH } from '../bounds';
import { ApiError } from '../errors';

/** The client went away before its body arrived: there is no one to answer. */
export class ClientGone extends Error {
  override readonly name = 'ClientGone';
}

/**
 * A request's body, whole, when it is at most `limit` bytes. A longer one is 413 (a real org's
 * REQUEST_ENTITY_TOO_LARGE): its rest is read and dropped, so the client is still reading when the
 * answer comes instead of finding its connection reset, and the connection is closed after the
 * answer. A client that keeps sending past twice the limit is cut off.
 */
export function readBody(req: http.IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length']);
    const chunks: Buffer[] = [];
    let size = 0;
    let over = Number.isFinite(declared) && declared > limit;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > limit) over = true;
      if (over) {
        chunks.length = 0;
        if (size > 2 * Math.max(limit, 16 * 1024 * 1024)) req.destroy();
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => (over ? reject(tooLarge(limit)) : resolve(Buffer.concat(chunks))));
    req.on('error', () => reject(new ClientGone('the client closed the connection while sending its body')));
    req.on('close', () => {
      if (!req.complete) reject(new ClientGone('the client closed the connection while sending its body'));
    });
  });
}

function tooLarge(limit: number): ApiError {
  return new ApiError(
    413,
    'REQUEST_ENTITY_TOO_LARGE',
    `The request body is larger than ${limit} bytes, the most this resource takes (${Number((limit / 1024 / 1024).toFixed(1))} MB)`
  );
}

/** The media types a JSON resource reads; an absent Content-Type is taken as JSON. */
function isJsonMediaType(contentType: string): boolean {
  const type = contentType.split(';')[0].trim().toLowerCase();
  return type === '' || type === 'application/json' || /^application\/[a-z0-9.+-]+\+json$/.test(type);
}

/**
 * A JSON body (an empty body is `{}`). Another media type is 415 UNSUPPORTED_MEDIA_TYPE, worded as
 * a real org words it ("MediaType of 'text/plain' is not supported by this resource"; the REST API
 * lists 415 for "The entity in the request is in a format that's not supported by the specified
 * method"; the local org reads JSON only, not XML). JSON nested deeper than Jackson's limit (the
 * parser a real org uses) and JSON that does not parse are 400 JSON_PARSER_ERROR.
 */
export function parseJson(body: Buffer, contentType = ''): unknown {
  if (body.length === 0) return {};
  if (!isJsonMediaType(contentType)) {
    const type = contentType.split(';')[0].trim();
    throw new ApiError(415, 'UNSUPPORTED_MEDIA_TYPE', `MediaType of '${type}' is not supported by this resource`);
  }
  const text = body.toString('utf8');
  if (text.trim() === '') return {};
  const depth = jsonDepth(text);
  if (depth > MAX_JSON_DEPTH) {
    throw new ApiError(
      400,
      'JSON_PARSER_ERROR',
      `Document nesting depth (${depth}) exceeds the maximum allowed (${MAX_JSON_DEPTH}, from \`StreamReadConstraints.getMaxNestingDepth()\`)`
    );
  }
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new ApiError(400, 'JSON_PARSER_ERROR', `Unexpected character in the request body: ${e instanceof Error ? e.message : String(e)}`);
  }
}

/** How deep the arrays and objects of a JSON text nest (at most MAX_JSON_DEPTH + 1: it stops there), in one pass without recursion. */
function jsonDepth(text: string): number {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92)
        i++; // backslash: skip the escaped character
      else if (c === 34) inString = false;
    } else if (c === 34) inString = true;
    else if (c === 91 || c === 123) {
      if (++depth > deepest) deepest = depth;
      if (depth > MAX_JSON_DEPTH) return depth;
    } else if (c === 93 || c === 125) depth--;
  }
  return deepest;
}

/** Minimal multipart/form-data parser for the deploy request. */
export function parseMultipart(body: Buffer, contentType: string): Array<{ name: string; data: Buffer }> {
  const m = /boundary=(?:"([^"]+)"|([^;]+))/i.exec(contentType);
  if (!m) throw new ApiError(400, 'INVALID_MULTIPART_REQUEST', 'expected multipart/form-data with a boundary');
  const boundary = Buffer.from(`--${m[1] ?? m[2]}`);
  const parts: Array<{ name: string; data: Buffer }> = [];
  let pos = body.indexOf(boundary);
  while (pos >= 0) {
    const start = pos + boundary.length;
    if (body.slice(start, start + 2).toString() === '--') break;
    const headerEnd = body.indexOf('\r\n\r\n', start);
    if (headerEnd < 0) break;
    const headers = body.slice(start, headerEnd).toString('utf8');
    const next = body.indexOf(boundary, headerEnd + 4);
    if (next < 0) break;
    const data = body.slice(headerEnd + 4, next - 2);
    const name = /name="([^"]*)"/i.exec(headers)?.[1] ?? '';
    parts.push({ name, data });
    pos = next;
  }
  return parts;
}
