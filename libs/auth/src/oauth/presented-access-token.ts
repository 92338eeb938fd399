import { decodeJwt } from 'jose';
import { ServiceError } from '@platform/contracts';
import { AccessTokenVerifier, Principal } from '@platform/security';

/** A compact JWS: three base64url segments (RFC 7515 7.1). */
const COMPACT_JWS = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;

/** Whether a presented token is one of our JWT access tokens rather than an opaque one. */
export function looksLikeJwt(token: string): boolean {
  return COMPACT_JWS.test(token);
}

/**
 * The principal of an access token that the platform's verifier accepts (signature with a
 * published key, `typ`, `iss`, times, revocations), whoever its audience: revocation and
 * introspection decide from the verified claims what the caller may see or do. Undefined for
 * any token the verifier refuses.
 */
export async function verifiedAccessToken(
  verifier: AccessTokenVerifier,
  token: string,
): Promise<Principal | undefined> {
  let audience: unknown;
  try {
    audience = decodeJwt(token).aud;
  } catch {
    return undefined;
  }
  // The audience only picks which one the verifier checks; every other check is its own.
  const first = Array.isArray(audience) ? audience[0] : audience;
  if (typeof first !== 'string') return undefined;
  try {
    return await verifier.verify(token, first);
  } catch (error) {
    if (error instanceof ServiceError && error.status === 401) return undefined;
    throw error;
  }
}
