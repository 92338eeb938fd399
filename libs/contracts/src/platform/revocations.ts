/**
 * Revocations, by what a verifier reads from a token: a session's `sid`, a subject's `sub` with
 * the `iat` before which its tokens are void, a single token's `jti`; each is denied until
 * `until` (epoch seconds), when every token it voids has expired anyway.
 *
 * Besides the snapshot a verifier loads at start, a request that revoked something carries
 * those it made in its reply (as `revoked`: ids and times, nothing secret), and the gateway
 * denies them before it answers its client. Their events reach every verifier from the outbox
 * through the event stream, a path other than the reply's, so the client's next request could
 * arrive first; the reply cannot.
 */
export interface Revocations {
  sessions: { sessionId: string; until: number }[];
  subjects: { userId: string; notBefore: number; until: number }[];
  /** Access tokens revoked one by one (RFC 7009), by `jti`. */
  tokens: { tokenId: string; until: number }[];
}

/** Revocations of nothing, to add to. */
export function noRevocations(): Revocations {
  return { sessions: [], subjects: [], tokens: [] };
}
