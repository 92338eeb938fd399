/** Request subjects answered by the auth context (`<context>.<aggregate>.<verb>`). */
export const AuthPattern = {
  /** Create an account: credential here, profile in users, whole or not at all. Payload: `RegisterAccountCommand`. Reply: `UserView`. Errors: 400, 409 EMAIL_ALREADY_REGISTERED, 429 RATE_LIMITED, 503 REGISTRATION_PENDING (retry the same registration after `retryAfter`). */
  RegisterAccount: 'auth.account.register',
  /** Log in with email and password. Payload: `LoginCommand`. Reply: `TokenResponse`. Errors: 400, 401 INVALID_CREDENTIALS, 429 LOGIN_LOCKED. */
  Login: 'auth.session.login',
  /** Rotate a refresh token. Payload: `RefreshTokenCommand`. Reply: `TokenResponse`. Errors: 400, 401 INVALID_GRANT (with `revoked`, `Revocations`, when a spent token came back and its session ended), 429 RATE_LIMITED. */
  Refresh: 'auth.session.refresh',
  /** End the caller's session (from the access token's `sid`). Payload: `{}`. Reply: the `Revocations` made. Errors: 401. */
  Logout: 'auth.session.logout',
  /** End every session of the caller. Payload: `{}`. Reply: the `Revocations` made. Errors: 401. */
  LogoutAll: 'auth.session.logout-all',
  /** Change the caller's password; every session ends. Payload: `ChangePasswordCommand`. Reply: the `Revocations` made. Errors: 400, 401, 403 INVALID_CURRENT_PASSWORD, 429 LOGIN_LOCKED or RATE_LIMITED. */
  ChangePassword: 'auth.password.change',
  /** Revocations still in force, for a verifier that starts late. Payload: `{}`. Reply: `RevocationSnapshot`. */
  ListRevocations: 'auth.revocations.list',
  /** The public signing keys. Payload: `{}`. Reply: a JWK Set (RFC 7517 5). */
  GetJwks: 'auth.jwks.get',
  /** The authorization endpoint (RFC 6749 3.1, OpenID Connect Core 3.1.2), relayed from `GET|POST /oauth2/authorize`: a redirect to the client with a code or an error, or the hosted login or consent page. Payload: `BrowserEndpointRequest`. Reply: `BrowserEndpointResponse` (a bad client or redirect URI is an error page, never a redirect). Like every hosted page, sent by the gateway alone (`@CallableBy`); error 403 FORBIDDEN from any other sender. */
  Authorize: 'auth.authorization.authorize',
  /** The hosted login form's submission, relayed from `POST /oauth2/login`: the password is checked under the login throttle and the SSO session begins. Payload: `BrowserEndpointRequest`. Reply: `BrowserEndpointResponse` (303 onwards, or the form again with the refusal). */
  SubmitLogin: 'auth.authorization.login',
  /** The hosted consent page (`GET /oauth2/consent`) and its submission (`POST /oauth2/consent`). Payload: `BrowserEndpointRequest`. Reply: `BrowserEndpointResponse`. */
  Consent: 'auth.authorization.consent',
  /** RP-initiated logout (OpenID Connect RP-Initiated Logout 1.0), relayed from `GET|POST /oauth2/logout`: ends the SSO session and the tokens issued in it. Payload: `BrowserEndpointRequest`. Reply: `BrowserEndpointResponse`. */
  EndSession: 'auth.authorization.end-session',
  /** The UserInfo endpoint (OpenID Connect Core 5.3), relayed from `GET|POST /oauth2/userinfo`: the caller's access token must carry `openid`. Payload: `{}`. Reply: `UserInfo`. Errors: 401 INVALID_TOKEN, 403 INSUFFICIENT_SCOPE. */
  GetUserInfo: 'auth.userinfo.get',
  /** A page of the security log, newest first (admin). Payload: `ListSecurityEventsDto`. Reply: `SecurityEventPage`. Errors: 400, 401, 403. */
  ListSecurityEvents: 'auth.security-events.list',
  /** Record a refusal by a guard in the security log; sent as an event, no reply (platform services only). Payload: `AccessDeniedReport`. */
  RecordAccessDenied: 'auth.security-events.record',
  /** Create an API token for the caller (a first-party session only); the secret is in this reply and nowhere else. Payload: `CreateApiTokenDto`. Reply: `CreatedApiToken`. Errors: 400, 401, 403 SESSION_REQUIRED or INSUFFICIENT_SCOPE (a scope the caller lacks). */
  CreateApiToken: 'auth.api-token.create',
  /** The caller's API tokens, newest first, never their secrets (a first-party session only). Payload: `{}`. Reply: `ApiTokenView[]`. Errors: 401, 403 SESSION_REQUIRED. */
  ListApiTokens: 'auth.api-token.list',
  /** Revoke one of the caller's API tokens at once (a first-party session only). Payload: `ApiTokenIdDto`. Reply: none. Errors: 400, 401, 403 SESSION_REQUIRED, 404. */
  RevokeApiToken: 'auth.api-token.revoke',
  /** The internal access token standing in for an API token (what the gateway forwards; the secret is the proof). Payload: `ResolveApiTokenDto`. Reply: `InternalToken`. Errors: 400, 401 INVALID_TOKEN (unknown, expired, revoked, or its owner disabled). */
  ResolveApiToken: 'auth.api-token.resolve',
  /** The internal access token for a configured legacy client's HTTP Basic credentials; every use is a security event. Payload: `LegacyCredentialDto`. Reply: `InternalToken`. Errors: 400, 401 INVALID_CREDENTIALS. */
  ExchangeLegacyCredential: 'auth.legacy-credential.exchange',
  /** The OAuth 2.0 token endpoint (RFC 6749 3.2), relayed from `POST /oauth2/token`: the client authenticates in the request (RFC 6749 2.3, RFC 7523). Payload: `OAuthEndpointRequest`. Reply: `OAuthEndpointResponse`, RFC 6749 5.1 or 5.2 in HTTP terms (an OAuth error is a reply, not an error). Error: 403 FORBIDDEN for a `clientIp` from any sender but the gateway, as on the other OAuth endpoints. */
  OAuthToken: 'auth.oauth.token',
  /** Token revocation (RFC 7009), relayed from `POST /oauth2/revoke`; the caller authenticates as a client. Payload: `OAuthEndpointRequest`. Reply: `OAuthEndpointResponse`. */
  OAuthRevoke: 'auth.oauth.revoke',
  /** Token introspection (RFC 7662), relayed from `POST /oauth2/introspect`; the caller authenticates as a client and learns only about tokens it may see. Payload: `OAuthEndpointRequest`. Reply: `OAuthEndpointResponse`. */
  OAuthIntrospect: 'auth.oauth.introspect',
  /** Register an OAuth client (admin) from RFC 7591 metadata; the secret is in this reply and nowhere else. Payload: `RegisterClientCommand`. Reply: `ClientInformationView`. Errors: 400 INVALID_CLIENT_METADATA or INVALID_REDIRECT_URI, 401, 403. */
  RegisterClient: 'auth.client.register',
  /** Every client, built-in ones first (admin), never a secret. Payload: `{}`. Reply: `ClientInformationView[]`. Errors: 401, 403. */
  ListClients: 'auth.client.list',
  /** One client (admin), never its secret. Payload: `ClientIdDto`. Reply: `ClientInformationView`. Errors: 400, 401, 403, 404. */
  GetClient: 'auth.client.get',
  /** Change a registered client's metadata (admin): what the payload names is replaced. Payload: `UpdateClientCommand`. Reply: `ClientInformationView`. Errors: 400 INVALID_CLIENT_METADATA or INVALID_REDIRECT_URI, 401, 403, 404. */
  UpdateClient: 'auth.client.update',
  /** Delete a registered client (admin): it cannot authenticate any more and its refresh tokens stop working. Payload: `ClientIdDto`. Reply: none. Errors: 400, 401, 403, 404. */
  DeleteClient: 'auth.client.delete',
  /** A new secret for a confidential client (admin); the old one stops working at once. Payload: `ClientIdDto`. Reply: `ClientInformationView` with `client_secret`. Errors: 400 INVALID_CLIENT_METADATA (a client without a secret), 401, 403, 404. */
  RotateClientSecret: 'auth.client.rotate-secret',
} as const;

/** Events published by the auth context. */
export const AuthEvent = {
  /** An account's registration finished: its credential is active. Payload: `AccountRegisteredEvent`. */
  AccountRegistered: 'auth.account.registered',
  /** A session ended before its tokens expired. Payload: `SessionRevokedEvent`. */
  SessionRevoked: 'auth.session.revoked',
  /** Every token of a user issued before `notBefore` is void. Payload: `SubjectRevokedEvent`. */
  SubjectRevoked: 'auth.subject.revoked',
  /** An API token was revoked: gateways drop what they cached for it. Payload: `ApiTokenRevokedEvent`. */
  ApiTokenRevoked: 'auth.api-token.revoked',
  /** The published signing keys changed (rotation, expiry of a retired key, withdrawal): every verifier trusts exactly these from now on. Payload: `KeySetChangedEvent`. */
  KeySetChanged: 'auth.keys.changed',
  /** One access token was revoked (RFC 7009): verifiers refuse its `jti` until it expires. Payload: `TokenRevokedEvent`. */
  TokenRevoked: 'auth.token.revoked',
  /** A registered client was updated, got a new secret or was deleted: every auth replica drops what it cached of it. Payload: `ClientChangedEvent`. */
  ClientChanged: 'auth.client.changed',
} as const;
