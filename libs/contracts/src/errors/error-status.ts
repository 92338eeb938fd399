import { ErrorCode } from './error-code';

/**
 * The HTTP status of each error code (RFC 9110 15), the only place one is chosen: problem
 * details over HTTP carry it, and so does an RPC error reply (`ErrorReply.status`), so callers
 * in any language see the same status either way. Exhaustive by type: a code without a status
 * does not compile.
 */
export const ERROR_STATUS = {
  [ErrorCode.ValidationFailed]: 400,
  [ErrorCode.MalformedRequest]: 400,
  [ErrorCode.PayloadTooLarge]: 413,
  [ErrorCode.UnsupportedMediaType]: 415,
  [ErrorCode.RequestRejected]: 400,
  [ErrorCode.Unauthenticated]: 401,
  [ErrorCode.InvalidToken]: 401,
  [ErrorCode.InsufficientScope]: 403,
  [ErrorCode.Forbidden]: 403,
  [ErrorCode.SessionRequired]: 403,
  [ErrorCode.RateLimited]: 429,
  [ErrorCode.InvalidCredentials]: 401,
  // The caller holds a valid token: 401 would tell its client to sign in again.
  [ErrorCode.InvalidCurrentPassword]: 403,
  [ErrorCode.LoginLocked]: 429,
  [ErrorCode.InvalidGrant]: 401,
  // RFC 7591 3.2.2: a registration error is 400.
  [ErrorCode.InvalidClientMetadata]: 400,
  [ErrorCode.InvalidRedirectUri]: 400,
  [ErrorCode.NotFound]: 404,
  [ErrorCode.EmailAlreadyRegistered]: 409,
  [ErrorCode.RegistrationPending]: 503,
  [ErrorCode.RegistrationCancelled]: 409,
  [ErrorCode.LastAdministrator]: 409,
  [ErrorCode.SelfDisable]: 409,
  [ErrorCode.AccountDisabled]: 403,
  [ErrorCode.ServiceUnavailable]: 503,
  // RFC 9110 15.6.5: the gateway did not get a timely answer from the service behind it.
  [ErrorCode.ServiceTimeout]: 504,
  [ErrorCode.Internal]: 500,
} as const satisfies Record<ErrorCode, number>;
