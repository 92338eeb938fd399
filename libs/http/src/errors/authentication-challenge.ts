import { ErrorCode, ServiceError } from '@platform/contracts';

/**
 * The `WWW-Authenticate` value for an authentication failure. Bearer (RFC 6750 3): no error
 * code when no credential was sent (3.1), `invalid_token` with 401 and `insufficient_scope`
 * with 403 otherwise; descriptions are restricted to the characters 3 allows in quoted values.
 * Wrong HTTP Basic credentials (a legacy client's) are answered with the Basic challenge
 * (RFC 7617 2, RFC 9110 15.5.2: a 401 carries one).
 */
export function authenticationChallenge(
  error: ServiceError,
  authorization: string | undefined,
): string | undefined {
  switch (error.code) {
    case ErrorCode.Unauthenticated:
      return 'Bearer';
    case ErrorCode.InvalidToken:
      return `Bearer error="invalid_token", error_description="${quoted(error.message)}"`;
    case ErrorCode.InsufficientScope:
      return `Bearer error="insufficient_scope", error_description="${quoted(error.message)}"`;
    case ErrorCode.InvalidCredentials:
      return /^basic /i.test(authorization ?? '')
        ? 'Basic realm="api", charset="UTF-8"'
        : undefined;
    default:
      return undefined;
  }
}

function quoted(text: string): string {
  return text.replace(/[^\x20\x21\x23-\x5B\x5D-\x7E]/g, '');
}
