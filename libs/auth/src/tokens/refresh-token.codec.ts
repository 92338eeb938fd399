import { createHash, randomBytes } from 'node:crypto';

/**
 * Refresh tokens are opaque: 256 random bits, base64url. Only their SHA-256 is stored; a fast
 * hash suffices because the input has full entropy (no dictionary to try).
 */
export function newRefreshToken(): { token: string; hash: Buffer } {
  const token = randomBytes(32).toString('base64url');
  return { token, hash: hashRefreshToken(token) };
}

export function hashRefreshToken(token: string): Buffer {
  return createHash('sha256').update(token, 'utf8').digest();
}
