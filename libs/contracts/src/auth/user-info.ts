/**
 * The UserInfo response (OpenID Connect Core 5.3.2): `sub` always, and the standard claims
 * (5.1) the access token's scopes allow: `name` with `profile`, `email` and
 * `email_verified` with `email` (5.4).
 */
export interface UserInfo {
  sub: string;
  name?: string;
  email?: string;
  email_verified?: boolean;
}
