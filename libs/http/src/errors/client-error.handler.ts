import { randomUUID } from 'node:crypto';
import type { Socket } from 'node:net';
import { STATUS_CODES } from 'node:http';
import { ErrorCode, MessageHeader, ServiceError } from '@platform/contracts';

/** What Node's HTTP parser refuses, by its code, and what the client is told of it. */
const REFUSALS: Record<string, string> = {
  HPE_HEADER_OVERFLOW: 'The request headers are too large',
};

/**
 * Fastify's `clientErrorHandler`: what Node's HTTP parser refuses before there is a request
 * (headers past the size limit, a malformed request line). The answer is RFC 9457 problem
 * details with a correlation id and the security headers, as every other answer is, written
 * on the socket since no reply exists yet; 400 `MALFORMED_REQUEST` (RFC 9110 15.5.1), which
 * covers an oversized header too in the contract's one status per code. A timed-out or reset
 * connection gets nothing: no one is waiting for an answer.
 */
export function clientErrorHandler(
  securityHeaders: Record<string, string>,
): (error: Error & { code?: string }, socket: Socket) => void {
  return (error, socket) => {
    if (error.code === 'ECONNRESET' || error.code === 'ERR_HTTP_REQUEST_TIMEOUT') {
      socket.destroy();
      return;
    }
    if (socket.writable && !socket.destroyed) {
      const { status } = new ServiceError(ErrorCode.MalformedRequest, 'unused');
      const correlationId = randomUUID();
      const body = JSON.stringify({
        type: 'about:blank',
        title: STATUS_CODES[status],
        status,
        detail: REFUSALS[error.code ?? ''] ?? 'The request is not valid HTTP',
        code: ErrorCode.MalformedRequest,
        correlationId,
      });
      const headers = {
        ...securityHeaders,
        'content-type': 'application/problem+json',
        'content-length': String(Buffer.byteLength(body)),
        [MessageHeader.CorrelationId]: correlationId,
        connection: 'close',
      };
      const head = Object.entries(headers)
        .map(([name, value]) => `${name}: ${value}\r\n`)
        .join('');
      // end, not destroy: the answer is flushed before the connection closes.
      socket.end(`HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\n${head}\r\n${body}`);
      return;
    }
    socket.destroy();
  };
}
