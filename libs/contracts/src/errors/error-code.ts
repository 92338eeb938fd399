/**
 * Stable, machine-readable error codes. They travel in RPC error replies (`code`) and in
 * RFC 9457 problem details (`code` extension member); clients branch on these, never on messages.
 * Each has one HTTP status, in `ERROR_STATUS`.
 */
export const ErrorCode = {
  /** The payload or a parameter failed validation. */
  ValidationFailed: 'VALIDATION_FAILED',
  /** The request body is not well-formed JSON, or not JSON at all. */
  MalformedRequest: 'MALFORMED_REQUEST',
  /** The request body is larger than the service accepts. */
  PayloadTooLarge: 'PAYLOAD_TOO_LARGE',
  /** The request body's media type is not `application/json`. */
  UnsupportedMediaType: 'UNSUPPORTED_MEDIA_TYPE',
  /** Any other request the HTTP layer refuses before it reaches a handler. */
  RequestRejected: 'REQUEST_REJECTED',
  /** No credential was presented where one is required (RFC 6750 3.1: no error code). */
  Unauthenticated: 'UNAUTHENTICATED',
  /** The access token is malformed, expired, revoked, not for this service, or not an access token (RFC 6750 3.1 `invalid_token`). */
  InvalidToken: 'INVALID_TOKEN',
  /** The access token lacks a scope the operation needs (RFC 6750 3.1 `insufficient_scope`). */
  InsufficientScope: 'INSUFFICIENT_SCOPE',
  /** The caller is authenticated but its roles do not allow the operation. */
  Forbidden: 'FORBIDDEN',
  /** The operation needs a signed-in first-party session; an API token, a legacy credential or a service token cannot do it. */
  SessionRequired: 'SESSION_REQUIRED',
  /** Too many requests from this address, principal or client; retry after `Retry-After` seconds. */
  RateLimited: 'RATE_LIMITED',
  /** Email and password do not match an active account. Deliberately says no more. */
  InvalidCredentials: 'INVALID_CREDENTIALS',
  /** A signed-in caller confirming a sensitive change gave the wrong current password. */
  InvalidCurrentPassword: 'INVALID_CURRENT_PASSWORD',
  /** Too many failed logins for this account or address; retry after `Retry-After` seconds. */
  LoginLocked: 'LOGIN_LOCKED',
  /** The refresh token is unknown, spent, expired or its session has ended (RFC 6749 5.2 `invalid_grant`). */
  InvalidGrant: 'INVALID_GRANT',
  /** Client metadata that breaks RFC 7591 2 or the platform's rules (RFC 7591 3.2.2 `invalid_client_metadata`). */
  InvalidClientMetadata: 'INVALID_CLIENT_METADATA',
  /** A redirect URI that is not absolute, has a fragment, or is plain http off a loopback host (RFC 7591 3.2.2 `invalid_redirect_uri`). */
  InvalidRedirectUri: 'INVALID_REDIRECT_URI',
  /** The addressed resource does not exist (or the caller may not know it exists). */
  NotFound: 'NOT_FOUND',
  /** An account with this email already exists. */
  EmailAlreadyRegistered: 'EMAIL_ALREADY_REGISTERED',
  /** The account's creation has not finished yet: retry the same registration after `Retry-After`. */
  RegistrationPending: 'REGISTRATION_PENDING',
  /** The registration under this id was undone; its profile cannot be created any more. */
  RegistrationCancelled: 'REGISTRATION_CANCELLED',
  /** The change would leave the platform without an active administrator. */
  LastAdministrator: 'LAST_ADMINISTRATOR',
  /** An administrator may not disable their own account. */
  SelfDisable: 'SELF_DISABLE',
  /** The account is disabled: nothing may be issued for it (what the users context tells auth). */
  AccountDisabled: 'ACCOUNT_DISABLED',
  /** No process answers this message pattern right now. */
  ServiceUnavailable: 'SERVICE_UNAVAILABLE',
  /** The service that owns this message pattern did not answer in time (504 at the gateway). */
  ServiceTimeout: 'SERVICE_TIMEOUT',
  /** Anything the caller could not have caused. Details are logged, never returned. */
  Internal: 'INTERNAL',
} as const;

export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

const CODES = new Set<string>(Object.values(ErrorCode));

/** Whether `value` is a code this build knows (a newer peer may send one it does not). */
export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && CODES.has(value);
}
