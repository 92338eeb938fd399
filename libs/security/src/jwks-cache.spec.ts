import { generateKeyPairSync, JsonWebKey, KeyObject } from 'node:crypto';
import { Logger } from '@nestjs/common';
import { generateTestKey, TestJwksSource } from '../test/token-factory';
import { JwksCache } from './jwks-cache';

const rsa = generateTestKey('RS256', 'rsa-1');
const ec = generateTestKey('ES256', 'ec-1');
const ed = generateTestKey('EdDSA', 'ed-1');
const NOW_MS = 1_800_000_000_000;

/** A public JWK of a key the other test keys do not cover, with `extra` members. */
function publicJwk(publicKey: KeyObject, extra: Record<string, unknown>): JsonWebKey {
  return { ...publicKey.export({ format: 'jwk' }), ...extra };
}

const p384 = generateKeyPairSync('ec', { namedCurve: 'P-384' }).publicKey;
const ed448 = generateKeyPairSync('ed448').publicKey;
const rsa1024 = generateKeyPairSync('rsa', { modulusLength: 1024 }).publicKey;

describe('JwksCache', () => {
  let now: number;
  let warn: jest.SpyInstance;
  let source: TestJwksSource;
  let cache: JwksCache;

  beforeEach(() => {
    now = NOW_MS;
    jest.spyOn(Date, 'now').mockImplementation(() => now);
    warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    source = new TestJwksSource([rsa.jwk, ec.jwk, ed.jwk]);
    cache = new JwksCache(source);
  });

  afterEach(() => jest.restoreAllMocks());

  it('imports each key once, bound to the alg its JWK names', async () => {
    const first = await cache.find('rsa-1');
    expect(first).toEqual({
      kid: 'rsa-1',
      key: expect.anything(),
      alg: 'RS256',
      jwk: JSON.stringify(rsa.jwk),
    });
    expect(first?.key.asymmetricKeyType).toBe('rsa');
    expect(await cache.find('rsa-1')).toBe(first);
    expect((await cache.find('ec-1'))?.alg).toBe('ES256');
    expect((await cache.find('ed-1'))?.alg).toBe('EdDSA');
    expect(source.fetches).toBe(1);
  });

  describe('ignores keys it cannot bind to one allowed algorithm', () => {
    it.each([
      ['without alg', { ...rsa.jwk, kid: 'k', alg: undefined }],
      ['with alg none', { ...rsa.jwk, kid: 'k', alg: 'none' }],
      ['with alg RS384', { ...rsa.jwk, kid: 'k', alg: 'RS384' }],
      ['with alg PS256', { ...rsa.jwk, kid: 'k', alg: 'PS256' }],
      ['a symmetric HS256 key', { kty: 'oct', k: 'c2VjcmV0', kid: 'k', alg: 'HS256' }],
      ['an RSA key claiming ES256', { ...rsa.jwk, kid: 'k', alg: 'ES256' }],
      ['an RSA key claiming EdDSA', { ...rsa.jwk, kid: 'k', alg: 'EdDSA' }],
      ['an EC key claiming RS256', { ...ec.jwk, kid: 'k', alg: 'RS256' }],
      ['an Ed25519 key claiming ES256', { ...ed.jwk, kid: 'k', alg: 'ES256' }],
      ['an EC key whose crv says P-384', { ...ec.jwk, kid: 'k', crv: 'P-384' }],
      ['a P-384 key claiming ES256', publicJwk(p384, { kid: 'k', alg: 'ES256' })],
      ['an Ed448 key', publicJwk(ed448, { kid: 'k', alg: 'EdDSA' })],
      ['a 1024-bit RSA key', publicJwk(rsa1024, { kid: 'k', alg: 'RS256' })],
      ['an encryption key', { ...rsa.jwk, kid: 'k', use: 'enc' }],
      ['a key for other operations', { ...rsa.jwk, kid: 'k', key_ops: ['encrypt'] }],
      ['a key whose material is broken', { ...rsa.jwk, kid: 'k', n: 'AQAB' }],
      ['a key without kid', { ...rsa.jwk, kid: undefined }],
      ['a key with an empty kid', { ...rsa.jwk, kid: '' }],
    ])('%s', async (_name, jwk) => {
      source.keys = [jwk as JsonWebKey, ed.jwk];
      await cache.refresh();
      expect(cache.size).toBe(1);
      expect(await cache.find('k')).toBeUndefined();
      expect((await cache.find('ed-1'))?.alg).toBe('EdDSA');
      expect(warn).toHaveBeenCalledWith(expect.stringMatching(/^Ignoring JWK/));
    });

    it('entries that are not objects', async () => {
      source.keys = [null, 42, 'key', ec.jwk] as unknown as JsonWebKey[];
      await cache.refresh();
      expect(cache.size).toBe(1);
    });

    it('a second key with a kid already seen', async () => {
      source.keys = [ec.jwk, { ...rsa.jwk, kid: 'ec-1' }];
      await cache.refresh();
      expect((await cache.find('ec-1'))?.alg).toBe('ES256');
    });

    it('accepts key_ops that include verify', async () => {
      source.keys = [{ ...ec.jwk, key_ops: ['verify'] }];
      await cache.refresh();
      expect(cache.size).toBe(1);
    });
  });

  describe('refetches on an unknown kid', () => {
    it('and finds a key added since', async () => {
      await cache.refresh();
      const next = generateTestKey('RS256', 'rsa-2');
      source.keys = [...source.keys, next.jwk];
      now += 30_000;
      expect((await cache.find('rsa-2'))?.alg).toBe('RS256');
      expect(source.fetches).toBe(2);
    });

    it('at most once per minRefreshIntervalMs', async () => {
      cache = new JwksCache(source, { minRefreshIntervalMs: 5_000 });
      expect(await cache.find('nope-1')).toBeUndefined();
      expect(await cache.find('nope-2')).toBeUndefined();
      now += 4_999;
      expect(await cache.find('nope-3')).toBeUndefined();
      expect(source.fetches).toBe(1);
      now += 1;
      expect(await cache.find('nope-4')).toBeUndefined();
      expect(source.fetches).toBe(2);
    });

    it('sharing one fetch among concurrent misses', async () => {
      source.delayMs = 20;
      const found = await Promise.all([
        cache.find('rsa-1'),
        cache.find('ec-1'),
        cache.find('unknown'),
        cache.refresh().then(() => cache.find('ed-1')),
      ]);
      expect(found.map((key) => key?.alg)).toEqual(['RS256', 'ES256', undefined, 'EdDSA']);
      expect(source.fetches).toBe(1);
    });

    it('drops keys the set no longer has', async () => {
      await cache.refresh();
      source.keys = [ec.jwk];
      now += 30_000;
      await cache.find('unknown');
      expect(await cache.find('rsa-1')).toBeUndefined();
      expect(await cache.find('ec-1')).toBeDefined();
    });
  });

  describe('when a fetch fails', () => {
    it('keeps the keys it had, and retries after retryAfterFailureMs', async () => {
      await cache.refresh();
      source.failing = true;
      now += 30_000;
      expect(await cache.find('unknown')).toBeUndefined();
      expect(source.fetches).toBe(2);
      expect(await cache.find('rsa-1')).toBeDefined();
      expect(warn).toHaveBeenCalledWith(expect.stringContaining('keeping 3 known key(s)'));

      now += 999;
      await cache.find('unknown');
      expect(source.fetches).toBe(2);
      source.failing = false;
      now += 1;
      await cache.find('unknown');
      expect(source.fetches).toBe(3);
    });

    it('keeps the keys it had when the reply is not a JWK Set', async () => {
      await cache.refresh();
      jest.spyOn(source, 'fetchJwks').mockResolvedValueOnce({ keys: 'none' } as never);
      await expect(cache.refresh()).rejects.toThrow('not a JWK Set');
      expect(cache.size).toBe(3);
    });

    it('rejects refresh() so start-up can tell', async () => {
      source.failing = true;
      await expect(cache.refresh()).rejects.toThrow('authorization server unavailable');
      expect(cache.size).toBe(0);
    });
  });

  describe('announced key sets', () => {
    it('replace the set at once, and count as holding keys', async () => {
      expect(cache.held).toBe(false);
      cache.accept({ keys: [ec.jwk] });
      expect(cache.held).toBe(true);
      expect(await cache.find('ec-1')).toBeDefined();
      expect(await cache.find('rsa-1')).toBeUndefined();
      expect(source.fetches).toBe(0);
    });

    it('keep the very key objects of the keys already held', async () => {
      await cache.refresh();
      const held = cache.cached('ec-1');
      cache.accept({ keys: [ed.jwk, ec.jwk] });
      expect(cache.cached('ec-1')).toBe(held);
      expect(cache.cached('rsa-1')).toBeUndefined();
    });

    it('win over a fetch that was answered before them but arrives after', async () => {
      source.delayMs = 20;
      const fetching = cache.refresh();
      cache.accept({ keys: [ec.jwk] });
      await fetching;
      expect(cache.cached('rsa-1')).toBeUndefined();
      expect(cache.cached('ec-1')).toBeDefined();
    });

    it('that are not JWK Sets are refused, keeping the keys held', async () => {
      await cache.refresh();
      expect(() => cache.accept({ keys: 'none' })).toThrow('not a JWK Set');
      expect(cache.size).toBe(3);
    });
  });

  it('refresh() ignores the rate limit', async () => {
    await cache.refresh();
    await cache.refresh();
    expect(source.fetches).toBe(2);
  });

  it('refetches in the background once the keys are older than maxAgeMs', async () => {
    cache = new JwksCache(source, { maxAgeMs: 60_000 });
    await cache.refresh();
    source.keys = [ec.jwk];
    now += 60_000;
    expect(await cache.find('rsa-1')).toBeDefined();
    expect(source.fetches).toBe(1);
    now += 1;
    // Still answered from the cache; the refetch runs behind it.
    expect(await cache.find('rsa-1')).toBeDefined();
    expect(source.fetches).toBe(2);
    await new Promise((resolve) => setImmediate(resolve));
    expect(await cache.find('rsa-1')).toBeUndefined();
  });
});
