import { crc32 } from 'node:zlib';

/**
 * API tokens look like `pat_` + 30 random base62 characters + 6 base62 characters of the CRC32
 * of those 30: a fixed prefix and a checksum let secret scanners (and the gateway, before any
 * lookup) tell a real token from a typo or a random string, as GitHub's `ghp_` tokens do.
 * 30 base62 characters carry 178 bits of entropy.
 */
export const API_TOKEN_PREFIX = 'pat_';
export const API_TOKEN_RANDOM_LENGTH = 30;
const CHECKSUM_LENGTH = 6;
const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const SHAPE = /^pat_[0-9A-Za-z]{36}$/;

/** The checksum of a token's random part, 6 base62 characters. */
export function apiTokenChecksum(random: string): string {
  let value = crc32(random);
  let digits = '';
  for (let i = 0; i < CHECKSUM_LENGTH; i++) {
    digits = BASE62[value % 62] + digits;
    value = Math.floor(value / 62);
  }
  return digits;
}

/** Whether `value` has an API token's shape and checksum (it may still be unknown or revoked). */
export function isWellFormedApiToken(value: string): boolean {
  if (!SHAPE.test(value)) return false;
  const random = value.slice(
    API_TOKEN_PREFIX.length,
    API_TOKEN_PREFIX.length + API_TOKEN_RANDOM_LENGTH,
  );
  return value.endsWith(apiTokenChecksum(random));
}

/** The base62 alphabet random parts are drawn from. */
export const API_TOKEN_ALPHABET = BASE62;
