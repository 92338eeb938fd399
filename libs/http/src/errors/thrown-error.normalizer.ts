import { HttpException, Logger } from '@nestjs/common';
import { RpcException } from '@nestjs/microservices';
import {
  ErrorCode,
  ErrorReply,
  InternalError,
  isErrorReply,
  ServiceError,
  ValidationFailedError,
} from '@platform/contracts';
import { isUnstorableText } from '@platform/database';

const logger = new Logger('Errors');

/** The codes of client errors that Nest or Fastify refuse before a handler runs, by status. */
const CODE_FOR_STATUS: Record<number, ErrorCode> = {
  400: ErrorCode.MalformedRequest,
  404: ErrorCode.NotFound,
  413: ErrorCode.PayloadTooLarge,
  415: ErrorCode.UnsupportedMediaType,
};

/**
 * Any thrown value as a `ServiceError`. An `RpcException` carrying an `ErrorReply` keeps its
 * code. Client mistakes caught below the handlers (Nest's `HttpException`s, Fastify's body
 * parsing errors) become the code of their 4xx status, and text the database refused to store
 * (a NUL character a contract let through) is the caller's `VALIDATION_FAILED`; anything else
 * is a bug on our side, logged with its stack under the request's correlation id and answered
 * as a bare 500 that leaks nothing.
 */
export function normalizeError(error: unknown, correlationId: string): ServiceError {
  if (error instanceof ServiceError) return error;
  if (error instanceof RpcException && isErrorReply(error.getError())) {
    return ServiceError.fromReply(error.getError() as ErrorReply);
  }
  const status = clientErrorStatus(error);
  if (status !== undefined) {
    const message = error instanceof HttpException ? error.message : (error as Error).message;
    return new ServiceError(CODE_FOR_STATUS[status] ?? ErrorCode.RequestRejected, message);
  }
  if (isUnstorableText(error)) {
    // The contracts refuse such text at the edge (`isStorableText`): one that did not is to fix.
    logger.warn({ correlationId }, 'The database refused text a contract let through');
    return new ValidationFailedError(undefined, 'Request contains text that cannot be stored');
  }
  if (error instanceof HttpException && error.getStatus() === 503) {
    return new ServiceError(ErrorCode.ServiceUnavailable, error.message);
  }
  logger.error({ correlationId, err: error }, 'Unexpected error');
  return new InternalError();
}

function clientErrorStatus(error: unknown): number | undefined {
  const status =
    error instanceof HttpException
      ? error.getStatus()
      : typeof error === 'object' && error !== null && 'statusCode' in error
        ? Number(error.statusCode)
        : undefined;
  return status !== undefined && status >= 400 && status < 500 ? status : undefined;
}
