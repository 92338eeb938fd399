/** A token pair, shaped like an OAuth 2.0 token response (RFC 6749 5.1). */
export class TokenResponse {
  access_token!: string;
  token_type!: 'Bearer';
  /** Seconds until the access token expires. */
  expires_in!: number;
  refresh_token!: string;
}
