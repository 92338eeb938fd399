import { isWellFormedApiToken } from '@platform/contracts';
import { hashApiToken, newApiToken } from './api-token.codec';

describe('API token codec', () => {
  it('makes tokens with the prefix, 30 random base62 characters and a checksum', () => {
    const tokens = Array.from({ length: 200 }, () => newApiToken().token);
    for (const token of tokens) {
      expect(token).toMatch(/^pat_[0-9A-Za-z]{36}$/);
      expect(isWellFormedApiToken(token)).toBe(true);
    }
    expect(new Set(tokens).size).toBe(tokens.length);
  });

  it('refuses a token with one character changed, by its checksum', () => {
    const { token } = newApiToken();
    const position = 10;
    const changed = token[position] === 'a' ? 'b' : 'a';
    const typo = token.slice(0, position) + changed + token.slice(position + 1);
    expect(isWellFormedApiToken(typo)).toBe(false);
    expect(isWellFormedApiToken(`ghp_${token.slice(4)}`)).toBe(false);
    expect(isWellFormedApiToken(`${token}x`)).toBe(false);
  });

  it('stores the SHA-256 of the token, never the token', () => {
    const { token, hash } = newApiToken();
    expect(hash).toEqual(hashApiToken(token));
    expect(hash.toString('utf8')).not.toContain(token);
  });
});
