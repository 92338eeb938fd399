/** Request subjects answered by the auth context (`<context>.<aggregate>.<verb>`). */
export const AuthPattern = {
  /** Create an account: credential here, profile in users, whole or not at all. Payload: `RegisterAccountCommand`. Reply: `UserView`. Errors: 400, 409 EMAIL_ALREADY_REGISTERED, 429 RATE_LIMITED, 503 REGISTRATION_PENDING (retry the same registration after `retryAfter`). */
  RegisterAccount: 'auth.account.register',
  /** Log in with email and password. Payload: `LoginCommand`. Reply: `TokenResponse`. Errors: 400, 401 INVALID_CREDENTIALS, 429 LOGIN_LOCKED. */
  Login: 'auth.session.login',
  /** Rotate a refresh token. Payload: `RefreshTokenCommand`. Reply: `TokenResponse`. Errors: 400, 401 INVALID_GRANT, 429 RATE_LIMITED. */
  Refresh: 'auth.session.refresh',
  /** End the caller's session (from the access token's `sid`). Payload: `{}`. Reply: none. Errors: 401. */
  Logout: 'auth.session.logout',
  /** End every session of the caller. Payload: `{}`. Reply: none. Errors: 401. */
  LogoutAll: 'auth.session.logout-all',
  /** Change the caller's password; every session ends. Payload: `ChangePasswordCommand`. Reply: none. Errors: 400, 401, 403 INVALID_CURRENT_PASSWORD, 429 LOGIN_LOCKED or RATE_LIMITED. */
  ChangePassword: 'auth.password.change',
  /** Revocations still in force, for a verifier that starts late. Payload: `{}`. Reply: `RevocationSnapshot`. */
  ListRevocations: 'auth.revocations.list',
  /** The public signing keys. Payload: `{}`. Reply: a JWK Set (RFC 7517 5). */
  GetJwks: 'auth.jwks.get',
  /** A page of the security log, newest first (admin). Payload: `ListSecurityEventsDto`. Reply: `SecurityEventPage`. Errors: 400, 401, 403. */
  ListSecurityEvents: 'auth.security-events.list',
  /** Record a refusal by a guard in the security log; sent as an event, no reply (platform services only). Payload: `AccessDeniedReport`. */
  RecordAccessDenied: 'auth.security-events.record',
} as const;

/** Events published by the auth context. */
export const AuthEvent = {
  /** An account's registration finished: its credential is active. Payload: `AccountRegisteredEvent`. */
  AccountRegistered: 'auth.account.registered',
  /** A session ended before its tokens expired. Payload: `SessionRevokedEvent`. */
  SessionRevoked: 'auth.session.revoked',
  /** Every token of a user issued before `notBefore` is void. Payload: `SubjectRevokedEvent`. */
  SubjectRevoked: 'auth.subject.revoked',
} as const;
