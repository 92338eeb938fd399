import type { Revocations } from '../platform/revocations';
import { ErrorCode, isErrorCode } from './error-code';

/** One field that failed validation. */
export interface FieldError {
  /** Dotted path of the offending property, e.g. `items.0.quantity`. */
  field: string;
  /** Human-readable reasons, one per failed constraint. */
  messages: string[];
}

/**
 * The structured error a message handler replies with (the `err` member of the NATS reply
 * envelope). `status` is the HTTP status the gateway answers with (`ERROR_STATUS[code]`).
 */
export interface ErrorReply {
  status: number;
  code: ErrorCode;
  message: string;
  errors?: FieldError[];
  /** Seconds after which a retry may succeed; sent as `Retry-After` over HTTP. */
  retryAfter?: number;
  /** What the request revoked although it failed (see `Revocations`); never sent over HTTP. */
  revoked?: Revocations;
}

export function isErrorReply(value: unknown): value is ErrorReply {
  if (typeof value !== 'object' || value === null) return false;
  const candidate = value as Partial<ErrorReply>;
  return (
    typeof candidate.status === 'number' &&
    isErrorCode(candidate.code) &&
    typeof candidate.message === 'string'
  );
}
