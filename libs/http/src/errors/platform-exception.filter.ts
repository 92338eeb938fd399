import { STATUS_CODES } from 'node:http';
import { ArgumentsHost, Catch, ExceptionFilter, Logger } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Observable, throwError } from 'rxjs';
import type { NatsContext } from '@nestjs/microservices';
import { ErrorCode, ErrorReply, MessageHeader, ServiceError } from '@platform/contracts';
import { acceptCorrelationId } from '@platform/observability';
import { authenticationChallenge } from './authentication-challenge';
import { publicDetail } from './server-error-detail';
import { normalizeError } from './thrown-error.normalizer';

const logger = new Logger('Errors');

/**
 * The only place errors become responses. Over HTTP: RFC 9457 problem details
 * (`application/problem+json`) with the stable `code` and the `correlationId` as extension
 * members; a server error's `detail` is a fixed text (`publicDetail`), its message logged.
 * Over messages: the structured `ErrorReply` as the reply's `err`, message included, so the
 * process that answers the client can log what failed behind it.
 */
@Catch()
export class PlatformExceptionFilter implements ExceptionFilter {
  catch(exception: unknown, host: ArgumentsHost): Observable<never> | void {
    if (host.getType() === 'rpc') {
      const headers = host.switchToRpc().getContext<NatsContext>().getHeaders?.();
      const correlationId = acceptCorrelationId(headers?.get(MessageHeader.CorrelationId));
      const error = normalizeError(exception, correlationId);
      return throwError(() => error.toReply() satisfies ErrorReply);
    }
    const http = host.switchToHttp();
    const request = http.getRequest<FastifyRequest>();
    sendProblem(normalizeError(exception, request.id), request, http.getResponse<FastifyReply>());
  }
}

/** RFC 7591 3.2.2: a registration error also says `error` and `error_description`. */
const REGISTRATION_ERRORS: Partial<Record<ErrorCode, string>> = {
  [ErrorCode.InvalidClientMetadata]: 'invalid_client_metadata',
  [ErrorCode.InvalidRedirectUri]: 'invalid_redirect_uri',
};

function registrationError(error: ServiceError): Record<string, string> {
  const code = REGISTRATION_ERRORS[error.code];
  return code ? { error: code, error_description: error.message } : {};
}

/**
 * Answers with `error` as RFC 9457 problem details, with its `Retry-After` and bearer
 * challenge: for the filter, and for what the gateway refuses before routing (rate limits,
 * credentials it cannot translate).
 */
export function sendProblem(
  error: ServiceError,
  request: FastifyRequest,
  reply: FastifyReply,
): void {
  const detail = publicDetail(error);
  // What the client is not told is logged, under the correlation id it is told to quote.
  if (detail !== error.message) {
    const line = { correlationId: request.id, code: error.code, reason: error.message };
    if (error.status === 500) logger.error(line, 'Server error answered');
    else logger.warn(line, 'Server error answered');
  }
  // RFC 9457 3.1: "about:blank" says the problem has no semantics beyond its status code;
  // the `code` member carries the machine-readable distinction.
  const problem = {
    type: 'about:blank',
    title: STATUS_CODES[error.status] ?? 'Error',
    status: error.status,
    detail,
    instance: request.url.split('?', 1)[0],
    code: error.code,
    correlationId: request.id,
    ...(error.errors ? { errors: error.errors } : {}),
    ...registrationError(error),
  };
  const retryAfter =
    error.retryAfter ?? (error.status === 503 || error.status === 504 ? 1 : undefined);
  if (retryAfter !== undefined) void reply.header('retry-after', String(retryAfter));
  const challenge = authenticationChallenge(error, request.headers.authorization);
  if (challenge) void reply.header('www-authenticate', challenge);
  void reply.status(error.status).header('content-type', 'application/problem+json').send(problem);
}
