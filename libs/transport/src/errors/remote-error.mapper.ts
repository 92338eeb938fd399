import { InternalError, isErrorReply, ServiceError } from '@platform/contracts';
import { NO_MESSAGE_HANDLER } from '@nestjs/microservices/constants';
import { EmptyResponseException } from '@nestjs/microservices/errors/empty-response.exception';
import { ServiceUnavailableError } from './service-unavailable.error';

/**
 * Turns whatever a request/reply hop failed with into a `ServiceError` the caller can act on:
 * the handler's own structured error as it was sent; "nobody answers this subject" and
 * connection loss as 503. Anything else is an internal error on the far side.
 */
export function toServiceError(error: unknown, subject: string): ServiceError {
  if (error instanceof ServiceError) return error;
  if (isErrorReply(error)) return ServiceError.fromReply(error);
  if (error instanceof EmptyResponseException || isNoHandler(error) || isConnectionError(error)) {
    return new ServiceUnavailableError(subject);
  }
  return new InternalError();
}

function isNoHandler(error: unknown): boolean {
  return (
    error === NO_MESSAGE_HANDLER ||
    (typeof error === 'object' &&
      error !== null &&
      'message' in error &&
      error.message === NO_MESSAGE_HANDLER)
  );
}

function isConnectionError(error: unknown): boolean {
  const text = typeof error === 'string' ? error : error instanceof Error ? error.message : '';
  return /connection (lost|closed)|CONNECTION_|disconnect/i.test(text);
}
