/**
 * Who is calling: the verified claims of the access token (RFC 9068 2.2) a request or message
 * carried, in the names the code uses. Times are epoch seconds.
 */
export interface Principal {
  /** `sub`: the user, or the client itself for a client-credentials token. */
  subject: string;
  /** `sid`: the session the token was issued in, absent for client-credentials tokens. */
  sessionId?: string;
  /** `client_id`: the OAuth client the token was issued to. */
  clientId: string;
  /** `scope`, split on spaces (RFC 6749 3.3). */
  scopes: string[];
  /** `roles` (RFC 9068 2.2.3.1). */
  roles: string[];
  /** `jti`. */
  tokenId: string;
  /** `exp`. */
  expiresAt: number;
  /** `iat`. */
  issuedAt: number;
  /** `aud`, always as a list. */
  audience: string[];
  /** The raw bearer token, so a handler can forward or exchange it (RFC 8693). Never log it. */
  token: string;
}
