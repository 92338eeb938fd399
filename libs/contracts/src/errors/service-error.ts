import { ErrorCode } from './error-code';
import { ErrorReply, FieldError } from './error-reply';

/**
 * Base class of every error a context raises on purpose. Exception filters turn it into an RPC
 * error reply or an RFC 9457 problem; nothing else needs to know how.
 */
export class ServiceError extends Error {
  constructor(
    readonly status: number,
    readonly code: ErrorCode,
    message: string,
    readonly errors?: FieldError[],
    readonly retryAfter?: number,
  ) {
    super(message);
    this.name = new.target.name;
  }

  toReply(): ErrorReply {
    return {
      status: this.status,
      code: this.code,
      message: this.message,
      ...(this.errors ? { errors: this.errors } : {}),
      ...(this.retryAfter !== undefined ? { retryAfter: this.retryAfter } : {}),
    };
  }

  static fromReply(reply: ErrorReply): ServiceError {
    return new ServiceError(
      reply.status,
      reply.code,
      reply.message,
      reply.errors,
      reply.retryAfter,
    );
  }
}
