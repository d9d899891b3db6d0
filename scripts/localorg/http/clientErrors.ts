import type { Duplex } from 'node:stream';
import { MAX_URI_AND_HEADERS_BYTES } from '../bounds';

/**
 * Requests Node's HTTP parser refuses before the local org sees them — headers past its
 * maxHeaderSize, a malformed request line or header, a request that never finishes arriving — are
 * answered here with a JSON error body, as every other error (Node's default is a bare status line),
 * and the connection is closed.
 */
export function answerClientError(err: Error & { code?: string }, socket: Duplex): void {
  if (!socket.writable || err.code === 'ECONNRESET') {
    socket.destroy();
    return;
  }
  let status = 400;
  let reason = 'Bad Request';
  let errorCode = 'BAD_REQUEST';
  let message = 'The request is not well-formed HTTP/1.1';
  if (err.code === 'HPE_HEADER_OVERFLOW') {
    // the parser does not say whether the request line alone overflowed: the combined limit is exceeded either way
    [status, reason, errorCode] = [431, 'Request Header Fields Too Large', 'REQUEST_HEADER_FIELDS_TOO_LARGE'];
    message = `The combined length of the URI and headers exceeds the ${MAX_URI_AND_HEADERS_BYTES} byte limit`;
  } else if (err.code === 'ERR_HTTP_REQUEST_TIMEOUT' || err.code === 'ERR_HTTP_HEADERS_TIMEOUT') {
    [status, reason, errorCode, message] = [408, 'Request Timeout', 'REQUEST_TIMEOUT', 'The request did not arrive in time'];
  }
  const body = JSON.stringify([{ message, errorCode, fields: [] }]);
  socket.end(
    `HTTP/1.1 ${status} ${reason}\r\ncontent-type: application/json;charset=UTF-8\r\ncontent-length: ${Buffer.byteLength(body)}\r\n` +
      `connection: close\r\n\r\n${body}`
  );
}
