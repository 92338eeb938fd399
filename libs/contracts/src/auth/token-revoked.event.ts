/**
 * Payload of `auth.token.revoked`. Verifiers refuse the access token whose `jti` is `tokenId`
 * until `until` (epoch seconds, its `exp`), after which it has expired anyway.
 */
export interface TokenRevokedEvent {
  tokenId: string;
  until: number;
}
