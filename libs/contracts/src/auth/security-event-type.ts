/**
 * What the security log records, one type per kind of event. Types are stable: auditors filter
 * on them (`GET /v1/admin/security-events?type=`).
 */
export const SECURITY_EVENT_TYPES = [
  /** A password login succeeded; `sessionId` is the session it started. */
  'login_succeeded',
  /** A password login was refused (wrong password, unknown or disabled account alike). */
  'login_failed',
  /** A login was refused unchecked: the account or the address is locked. */
  'login_locked',
  /** A spent refresh token came back: its session (the family) was revoked. */
  'refresh_token_reuse',
  /** A redeemed authorization code came back (RFC 6749 4.1.2): what it produced was revoked. */
  'authorization_code_reuse',
  /** A user let an OAuth client have scopes (`details.clientId`, `scopes`). */
  'consent_granted',
  /** A session ended before its tokens expired (`details.reason` says why). */
  'session_revoked',
  /** Every token of a user issued so far was voided (`details.reason` says why). */
  'subject_revoked',
  /** A user's password was changed. */
  'password_changed',
  /** A user's roles were replaced (`details.roles`, `details.by`). */
  'roles_changed',
  /** An account was disabled (`details.by`). */
  'account_disabled',
  /** Signing keys rotated (`details.activated`, `retired`, `next`). */
  'signing_key_rotated',
  /** A signing key was withdrawn before its time (`details.kid`). */
  'signing_key_withdrawn',
  /** Signing keys were sealed anew under the current key-encryption key (`details.kekId`, `resealed`). */
  'signing_keys_resealed',
  /** A guard refused a request or message (`details.code`, `target`, `count`). */
  'access_denied',
  /** A request was refused for coming too often (`details.limit`, `key`). */
  'rate_limited',
  /** An API token was created (`details.tokenId`, `scopes`). */
  'api_token_created',
  /** An API token was revoked (`details.tokenId`). */
  'api_token_revoked',
  /** A legacy client's HTTP Basic credentials were accepted (`details.client`). */
  'legacy_credential_used',
  /** HTTP Basic credentials for a legacy client were refused (`details.client` when it is a configured one). */
  'legacy_credential_refused',
  /** An OAuth client was registered (`details.clientId`, `by`). */
  'client_registered',
  /** An OAuth client's metadata changed (`details.clientId`, `by`). */
  'client_updated',
  /** An OAuth client was deleted; its sessions ended (`details.clientId`, `by`). */
  'client_deleted',
  /** An OAuth client's secret was replaced (`details.clientId`, `by`). */
  'client_secret_rotated',
  /** A client's authentication at an OAuth endpoint was refused (`details.clientId`, `method`, `reason`). */
  'client_authentication_failed',
  /** A token was revoked through the revocation endpoint (`details.clientId`, `tokenType`, `tokenId`). */
  'token_revoked',
] as const;

export type SecurityEventType = (typeof SECURITY_EVENT_TYPES)[number];
