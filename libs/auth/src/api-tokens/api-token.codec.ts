import { createHash, randomBytes } from 'node:crypto';
import {
  API_TOKEN_ALPHABET,
  API_TOKEN_PREFIX,
  API_TOKEN_RANDOM_LENGTH,
  apiTokenChecksum,
} from '@platform/contracts';

/** 248 is the largest multiple of 62 below 256: bytes from it up are redrawn, so no bias. */
const UNBIASED_LIMIT = 248;

/** A new API token (see `api-token.format.ts` in contracts) and the hash that is stored. */
export function newApiToken(): { token: string; hash: Buffer } {
  let random = '';
  while (random.length < API_TOKEN_RANDOM_LENGTH) {
    for (const byte of randomBytes(API_TOKEN_RANDOM_LENGTH)) {
      if (byte < UNBIASED_LIMIT && random.length < API_TOKEN_RANDOM_LENGTH) {
        random += API_TOKEN_ALPHABET[byte % 62];
      }
    }
  }
  const token = `${API_TOKEN_PREFIX}${random}${apiTokenChecksum(random)}`;
  return { token, hash: hashApiToken(token) };
}

/** SHA-256: the token has full entropy, so there is no dictionary a slow hash would defeat. */
export function hashApiToken(token: string): Buffer {
  return createHash('sha256').update(token, 'utf8').digest();
}
