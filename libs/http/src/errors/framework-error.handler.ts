import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { ErrorCode, MessageHeader, ServiceError } from '@platform/contracts';
import { sendProblem } from './platform-exception.filter';
import { normalizeError } from './thrown-error.normalizer';

/**
 * Fastify's `frameworkErrors`: what its router refuses before any hook runs, a URL that does
 * not decode or a path parameter longer than `maxParamLength`. These answer as every other
 * answer does, RFC 9457 problem details with the correlation id and the security headers,
 * which the `onRequest` hooks set for everything else. The router's own message is not sent:
 * it quotes the URL back.
 */
export function frameworkErrorHandler(
  securityHeaders: Record<string, string>,
): (error: FastifyError, request: FastifyRequest, reply: FastifyReply) => void {
  return (error, request, reply) => {
    void reply.header(MessageHeader.CorrelationId, request.id).headers(securityHeaders);
    sendProblem(routerError(error, request.id), request, reply);
  };
}

function routerError(error: FastifyError, correlationId: string): ServiceError {
  switch (error.code) {
    case 'FST_ERR_BAD_URL':
      return new ServiceError(ErrorCode.MalformedRequest, 'The URL is not valid percent-encoding');
    case 'FST_ERR_MAX_PARAM_LENGTH':
      return new ServiceError(ErrorCode.RequestRejected, 'A path parameter is too long');
    default:
      return normalizeError(error, correlationId);
  }
}
