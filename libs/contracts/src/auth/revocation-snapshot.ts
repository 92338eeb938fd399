/** Reply of `auth.revocations.list`: what a verifier starting now must deny. */
export interface RevocationSnapshot {
  sessions: { sessionId: string; until: number }[];
  subjects: { userId: string; notBefore: number; until: number }[];
  /** Access tokens revoked one by one (RFC 7009), by `jti`. */
  tokens: { tokenId: string; until: number }[];
}
