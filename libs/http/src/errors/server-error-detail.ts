import { STATUS_CODES } from 'node:http';
import { ErrorCode, ServiceError } from '@platform/contracts';

/** What a client is told of each server error it may meet; others say their status's name. */
const SERVER_ERROR_DETAILS: Partial<Record<ErrorCode, string>> = {
  [ErrorCode.Internal]: 'Internal error',
  [ErrorCode.ServiceUnavailable]: 'The service is not available; try again shortly',
  [ErrorCode.ServiceTimeout]: 'The service did not answer in time',
  [ErrorCode.RegistrationPending]: 'The account is still being created; retry shortly',
};

/**
 * The problem `detail` of `error`: its message for a client error, which tells the client what
 * to change; for a server error (5xx) a fixed text of its code. A server error's message says
 * what failed inside (another context's answer, a subject, a peer's name), which is the
 * operator's to read in the log, not the client's.
 */
export function publicDetail(error: ServiceError): string {
  if (error.status < 500) return error.message;
  return SERVER_ERROR_DETAILS[error.code] ?? STATUS_CODES[error.status] ?? 'Server error';
}
