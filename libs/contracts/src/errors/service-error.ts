import type { Revocations } from '../platform/revocations';
import { ErrorCode } from './error-code';
import { ErrorReply, FieldError } from './error-reply';
import { ERROR_STATUS } from './error-status';

/** What an error may carry beyond its code and message. */
export interface ServiceErrorDetails {
  /** Per-field reasons, for `VALIDATION_FAILED`. */
  errors?: FieldError[];
  /** Seconds after which a retry may succeed (`Retry-After`). */
  retryAfter?: number;
  /**
   * What the failing request revoked on its way (a spent refresh token that came back ends
   * its session), for the caller's verifier to deny at once (see `Revocations`).
   */
  revoked?: Revocations;
}

/**
 * Base class of every error a context raises on purpose. It names what went wrong with an
 * `ErrorCode`; the status follows from the code (`ERROR_STATUS`). The exception filters turn
 * it into an RPC error reply or an RFC 9457 problem; nothing else needs to know how.
 */
export class ServiceError extends Error {
  readonly errors?: FieldError[];
  readonly retryAfter?: number;
  readonly revoked?: Revocations;

  constructor(
    readonly code: ErrorCode,
    message: string,
    details: ServiceErrorDetails = {},
  ) {
    super(message);
    this.name = new.target.name;
    this.errors = details.errors;
    this.retryAfter = details.retryAfter;
    this.revoked = details.revoked;
  }

  get status(): number {
    return ERROR_STATUS[this.code];
  }

  toReply(): ErrorReply {
    return {
      status: this.status,
      code: this.code,
      message: this.message,
      ...(this.errors ? { errors: this.errors } : {}),
      ...(this.retryAfter !== undefined ? { retryAfter: this.retryAfter } : {}),
      ...(this.revoked ? { revoked: this.revoked } : {}),
    };
  }

  static fromReply(reply: ErrorReply): ServiceError {
    return new ServiceError(reply.code, reply.message, {
      errors: reply.errors,
      retryAfter: reply.retryAfter,
      revoked: reply.revoked,
    });
  }
}
