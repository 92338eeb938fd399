/**
 * A request that cannot be sent back to the client, because the client or its redirect URI
 * is not known to be the client's (RFC 6749 4.1.2.1: "MUST NOT automatically redirect the
 * user-agent to the invalid redirection URI"): the user sees an error page.
 */
export class AuthorizationPageError extends Error {
  constructor(
    readonly status: number,
    readonly title: string,
    message: string,
  ) {
    super(message);
    this.name = 'AuthorizationPageError';
  }
}

/** The error codes of an authorization response (RFC 6749 4.1.2.1, OpenID Connect Core 3.1.2.6). */
export type AuthorizationErrorCode =
  | 'invalid_request'
  | 'unauthorized_client'
  | 'access_denied'
  | 'unsupported_response_type'
  | 'invalid_scope'
  | 'invalid_target'
  | 'server_error'
  | 'login_required'
  | 'consent_required'
  | 'request_not_supported'
  | 'request_uri_not_supported';

/** An error the client hears of, at its verified redirect URI (RFC 6749 4.1.2.1). */
export class AuthorizationRedirectError extends Error {
  constructor(
    readonly redirectUri: string,
    readonly state: string | undefined,
    readonly error: AuthorizationErrorCode,
    readonly description: string,
  ) {
    super(description);
    this.name = 'AuthorizationRedirectError';
  }
}
