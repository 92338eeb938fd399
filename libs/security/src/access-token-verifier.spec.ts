import crypto, { sign } from 'node:crypto';
import { Logger } from '@nestjs/common';
import { ErrorCode, ServiceError } from '@platform/contracts';
import {
  compact,
  generateTestKey,
  segment,
  signAccessToken,
  signHs256,
  signWith,
  TEST_AUDIENCE,
  TEST_ISSUER,
  TestAlgorithm,
  TestJwksSource,
  TestKey,
  TokenOptions,
} from '../test/token-factory';
import { AccessTokenVerifier } from './access-token-verifier';
import { JwksCache } from './jwks-cache';
import { RevocationList } from './revocation-list';

const keys: Record<TestAlgorithm, TestKey> = {
  RS256: generateTestKey('RS256', 'rsa-1'),
  ES256: generateTestKey('ES256', 'ec-1'),
  EdDSA: generateTestKey('EdDSA', 'ed-1'),
};
const rsa = keys.RS256;
const ec = keys.ES256;
const ed = keys.EdDSA;
const NOW = 1_800_000_000;

describe('AccessTokenVerifier', () => {
  let now: number;
  let source: TestJwksSource;
  let keyCache: JwksCache;
  let revocations: RevocationList;
  let verifier: AccessTokenVerifier;

  const token = (options?: TokenOptions, key: TestKey = rsa) => signAccessToken(key, options);

  async function expectRefused(candidate: string, reason: string): Promise<void> {
    const error = await verifier.verify(candidate).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ServiceError);
    expect(error).toMatchObject({ status: 401, code: ErrorCode.InvalidToken, message: reason });
    for (const part of candidate.split('.').filter((p) => p.length > 8)) {
      expect((error as ServiceError).message).not.toContain(part);
    }
  }

  beforeEach(async () => {
    now = NOW;
    jest.spyOn(Date, 'now').mockImplementation(() => now * 1000);
    jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    source = new TestJwksSource([rsa.jwk, ec.jwk, ed.jwk]);
    keyCache = new JwksCache(source);
    await keyCache.refresh();
    revocations = new RevocationList(900);
    verifier = new AccessTokenVerifier(
      { issuer: TEST_ISSUER, audience: TEST_AUDIENCE },
      keyCache,
      revocations,
    );
  });

  afterEach(() => {
    revocations.onModuleDestroy();
    jest.restoreAllMocks();
  });

  describe('accepts', () => {
    it.each(Object.keys(keys) as TestAlgorithm[])('a valid %s access token', async (alg) => {
      const raw = token({ claims: { jti: 'token-1', scope: 'openid  orders:read ' } }, keys[alg]);
      await expect(verifier.verify(raw)).resolves.toEqual({
        subject: 'user-1',
        sessionId: 'session-1',
        clientId: 'web',
        scopes: ['openid', 'orders:read'],
        roles: ['user'],
        tokenId: 'token-1',
        expiresAt: NOW + 300,
        issuedAt: NOW,
        audience: [TEST_AUDIENCE, 'users'],
        token: raw,
      });
    });

    it('a single-string audience', async () => {
      const principal = await verifier.verify(token({ claims: { aud: TEST_AUDIENCE } }));
      expect(principal.audience).toEqual([TEST_AUDIENCE]);
    });

    it.each(['application/at+jwt', 'AT+JWT', 'Application/At+Jwt'])(
      'typ %s (RFC 9068 4, case-insensitive)',
      async (typ) => {
        await expect(verifier.verify(token({ header: { typ } }))).resolves.toBeDefined();
      },
    );

    it('a client-credentials token without sid, scope or roles', async () => {
      const principal = await verifier.verify(
        token({ claims: { sid: undefined, scope: undefined, roles: undefined, sub: 'web' } }),
      );
      expect(principal).toMatchObject({ subject: 'web', scopes: [], roles: [] });
      expect(principal).not.toHaveProperty('sessionId');
    });
  });

  describe('refuses a token that is not a compact JWS', () => {
    it.each([
      ['empty', ''],
      ['one segment', 'abc'],
      ['two segments', 'abc.def'],
      ['four segments', 'a.b.c.d'],
      ['an empty signature', `${segment({ alg: 'none' })}.${segment({})}.`],
      ['padding', `${segment({ a: 1 })}=.${segment({})}.c2ln`],
      ['base64 (not base64url) characters', 'ab+c.de/f.ghi'],
      ['an opaque refresh token', 'rt_4f9a1c0d8e7b6a5f4e3d2c1b0a9f8e7d'],
      ['whitespace', ` ${segment({})}.${segment({})}.c2ln`],
    ])('%s', async (_name, candidate) => {
      await expectRefused(candidate, 'Malformed token');
    });

    it('longer than any access token', async () => {
      await expectRefused(token({ claims: { pad: 'x'.repeat(20_000) } }), 'Malformed token');
    });
  });

  describe('refuses a bad header', () => {
    const signed = (header: string) =>
      compact(header, segment({}), (input) => signWith('RS256', rsa.privateKey, input));

    it.each([
      ['not JSON', segment('{"alg":')],
      ['a JSON array', segment(['at+jwt'])],
      ['a JSON string', segment('"at+jwt"')],
      ['null', segment('null')],
    ])('%s', async (_name, header) => {
      await expectRefused(signed(header), 'Malformed token header');
    });

    const attacker = generateTestKey('RS256', 'rsa-1');
    it.each([
      ['jwk', { jwk: attacker.jwk }],
      ['jku', { jku: 'https://attacker.example/jwks.json' }],
      ['x5u', { x5u: 'https://attacker.example/cert.pem' }],
      ['x5c', { x5c: ['MIIB...'] }],
      ['x5t', { x5t: 'abc' }],
      ['x5t#S256', { 'x5t#S256': 'abc' }],
      ['crit', { crit: ['exp'] }],
      ['b64', { b64: false }],
    ])('with a %s parameter, never trusted (RFC 8725 3.10)', async (name, header) => {
      await expectRefused(token({ header }), `Header parameter ${name} is not accepted`);
      // Signed by the key the header points at: still refused before any key is used.
      await expectRefused(token({ header }, attacker), `Header parameter ${name} is not accepted`);
    });
  });

  describe('refuses anything but an access token (RFC 9068 4, RFC 8725 3.11)', () => {
    it.each([
      ['no typ', undefined],
      ['typ JWT, as an ID token has', 'JWT'],
      ['typ jwt', 'jwt'],
      ['a refresh token typ', 'rt+jwt'],
      ['a logout token typ', 'logout+jwt'],
      ['typ with spaces', ' at+jwt'],
      ['typ not a string', ['at+jwt']],
    ])('%s', async (_name, typ) => {
      await expectRefused(token({ header: { typ } }), 'Not an access token');
    });

    it('an ID token signed by the same key', async () => {
      const idToken = token({
        header: { typ: 'JWT' },
        claims: { aud: 'web', nonce: 'n-1', auth_time: NOW, scope: undefined },
      });
      await expectRefused(idToken, 'Not an access token');
    });
  });

  describe('refuses an algorithm outside the allowlist or not bound to the key (RFC 8725 3.1)', () => {
    it.each([
      ['missing', undefined],
      ['none', 'none'],
      ['None', 'None'],
      ['HS256', 'HS256'],
      ['RS384', 'RS384'],
      ['PS256', 'PS256'],
      ['ES256K', 'ES256K'],
      ['rs256', 'rs256'],
      ['not a string', 256],
    ])('alg %s', async (_name, alg) => {
      await expectRefused(token({ header: { alg } }), 'Unsupported algorithm');
    });

    it('alg none with a signature segment', async () => {
      const unsigned = compact(
        segment({ typ: 'at+jwt', alg: 'none', kid: rsa.kid }),
        segment({}),
        () => Buffer.from('x'),
      );
      await expectRefused(unsigned, 'Unsupported algorithm');
    });

    it('HS256 keyed with the RSA public key as the HMAC secret', async () => {
      const pem = rsa.publicKey.export({ type: 'spki', format: 'pem' });
      await expectRefused(signHs256(pem, { kid: rsa.kid }), 'Unsupported algorithm');
      await expectRefused(signHs256(String(rsa.jwk.n), { kid: rsa.kid }), 'Unsupported algorithm');
    });

    it('RS256 in the header with the kid of an EC key', async () => {
      const confused = signAccessToken(
        { ...rsa, kid: ec.kid },
        { header: { alg: 'RS256', kid: ec.kid } },
      );
      await expectRefused(confused, 'Algorithm does not match the signing key');
    });

    it.each([
      ['ES256', ed],
      ['EdDSA', ec],
      ['RS256', ed],
    ])('%s in the header with the kid of another key type', async (alg, key) => {
      await expectRefused(
        token({ header: { alg, kid: key.kid } }, key),
        'Algorithm does not match the signing key',
      );
    });
  });

  describe('looks the kid up and nothing else', () => {
    it.each([
      ['missing', undefined],
      ['empty', ''],
      ['a number', 1],
      ['an object', { $ne: null }],
      ['too long', 'k'.repeat(257)],
    ])('refuses a kid that is %s', async (_name, kid) => {
      await expectRefused(token({ header: { kid } }), 'Missing key id');
    });

    it.each([
      '../../etc/passwd',
      '/etc/passwd',
      'file:///etc/passwd',
      "rsa-1' OR '1'='1",
      '__proto__',
      'constructor',
      'toString',
    ])('treats the kid %s as just an unknown key', async (kid) => {
      await expectRefused(token({ header: { kid } }), 'Unknown signing key');
    });
  });

  describe('refuses an invalid signature', () => {
    it.each(Object.keys(keys) as TestAlgorithm[])('%s over a modified payload', async (alg) => {
      const [header, payload, signature] = token({}, keys[alg]).split('.');
      const claims = JSON.parse(Buffer.from(payload, 'base64url').toString()) as object;
      const forged = `${header}.${segment({ ...claims, sub: 'admin' })}.${signature}`;
      await expectRefused(forged, 'Invalid signature');
    });

    it.each(Object.keys(keys) as TestAlgorithm[])(
      '%s signed by another key under the same kid',
      async (alg) => {
        const impostor = generateTestKey(alg, keys[alg].kid);
        await expectRefused(token({}, impostor), 'Invalid signature');
      },
    );

    it.each(Object.keys(keys) as TestAlgorithm[])('%s with a truncated signature', async (alg) => {
      const raw = token({}, keys[alg]);
      const [header, payload, signature] = raw.split('.');
      const short = Buffer.from(signature, 'base64url').subarray(0, 32).toString('base64url');
      await expectRefused(`${header}.${payload}.${short}`, 'Invalid signature');
    });

    it('ES256 with a DER signature instead of R || S (RFC 7518 3.4)', async () => {
      const der = compact(
        segment({ typ: 'at+jwt', alg: 'ES256', kid: ec.kid }),
        segment({}),
        (input) => sign('sha256', input, ec.privateKey), // node:crypto's default: DER
      );
      await expectRefused(der, 'Invalid signature');
    });

    it('a non-canonical spelling of a valid signature', async () => {
      const raw = token();
      const last = raw.at(-1)!;
      // A 256-byte signature leaves 4 unused bits in its last character: flip one of them.
      const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
      const twin = raw.slice(0, -1) + alphabet[alphabet.indexOf(last) ^ 1];
      expect(Buffer.from(twin.split('.')[2], 'base64url')).toEqual(
        Buffer.from(raw.split('.')[2], 'base64url'),
      );
      await expectRefused(twin, 'Malformed token');
    });
  });

  describe('refuses bad claims', () => {
    const withPayload = (payload: string) =>
      compact(segment({ typ: 'at+jwt', alg: 'RS256', kid: rsa.kid }), payload, (input) =>
        signWith('RS256', rsa.privateKey, input),
      );

    it.each([
      ['not JSON', segment('{"sub":')],
      ['a JSON array', segment([])],
      ['null', segment('null')],
      ['a number', segment('42')],
    ])('a payload that is %s', async (_name, payload) => {
      await expectRefused(withPayload(payload), 'Malformed token claims');
    });

    it.each([
      ['missing', undefined],
      ['another issuer', 'https://evil.example.test'],
      ['with a trailing slash', `${TEST_ISSUER}/`],
      ['a list', [TEST_ISSUER]],
    ])('iss %s', async (_name, iss) => {
      await expectRefused(token({ claims: { iss } }), 'Unexpected issuer');
    });

    it.each([
      ['missing', undefined],
      ['another service', 'users'],
      ['a list without this service', ['users', 'gateway']],
      ['a list with a non-string', [TEST_AUDIENCE, 7]],
      ['a number', 7],
      ['a prefix of it', TEST_AUDIENCE.slice(0, 3)],
    ])('aud %s', async (_name, aud) => {
      await expectRefused(token({ claims: { aud } }), 'Not for this audience');
    });

    it.each([
      ['sub', 'Missing subject'],
      ['jti', 'Missing token id'],
      ['client_id', 'Missing client id'],
    ])('%s missing, empty or not a string', async (claim, reason) => {
      for (const value of [undefined, '', 42, ['user-1'], null]) {
        await expectRefused(token({ claims: { [claim]: value } }), reason);
      }
    });

    it.each([
      ['a number', 1],
      ['a list', ['openid']],
      ['null', null],
    ])('scope that is %s', async (_name, scope) => {
      await expectRefused(token({ claims: { scope } }), 'Malformed scope');
    });

    it.each([
      ['a string', 'admin'],
      ['a list with a number', ['user', 1]],
      ['an object', {}],
    ])('roles that is %s', async (_name, roles) => {
      await expectRefused(token({ claims: { roles } }), 'Malformed roles');
    });

    it.each([
      ['a number', 1],
      ['empty', ''],
    ])('sid that is %s', async (_name, sid) => {
      await expectRefused(token({ claims: { sid } }), 'Malformed session id');
    });
  });

  describe('checks times with the clock tolerance (default 5 s)', () => {
    it.each([
      ['missing', undefined],
      ['a string', String(NOW + 300)],
      ['null', null],
    ])('refuses exp %s', async (_name, exp) => {
      await expectRefused(token({ claims: { exp } }), 'Missing expiry');
    });

    it('accepts exp up to the tolerance in the past, refuses it from there on', async () => {
      await expect(verifier.verify(token({ claims: { exp: NOW - 4 } }))).resolves.toBeDefined();
      await expectRefused(token({ claims: { exp: NOW - 5 } }), 'Token expired');
      await expectRefused(token({ claims: { exp: NOW - 3600 } }), 'Token expired');
    });

    it('refuses a token once its exp passes', async () => {
      const raw = token({ claims: { exp: NOW + 10 } });
      await expect(verifier.verify(raw)).resolves.toBeDefined();
      now = NOW + 14.999;
      await expect(verifier.verify(raw)).resolves.toBeDefined();
      now = NOW + 15;
      await expectRefused(raw, 'Token expired');
    });

    it('accepts nbf up to the tolerance in the future, refuses it beyond', async () => {
      await expect(verifier.verify(token({ claims: { nbf: NOW + 5 } }))).resolves.toBeDefined();
      await expectRefused(token({ claims: { nbf: NOW + 6 } }), 'Token not yet valid');
      await expectRefused(token({ claims: { nbf: String(NOW) } }), 'Token not yet valid');
    });

    it('accepts iat up to the tolerance in the future, refuses it beyond or missing', async () => {
      await expect(verifier.verify(token({ claims: { iat: NOW + 5 } }))).resolves.toBeDefined();
      await expectRefused(token({ claims: { iat: NOW + 6 } }), 'Token issued in the future');
      await expectRefused(token({ claims: { iat: undefined } }), 'Missing issued-at time');
      await expectRefused(token({ claims: { iat: String(NOW) } }), 'Missing issued-at time');
    });

    it('uses the configured tolerance', async () => {
      const strict = new AccessTokenVerifier(
        { issuer: TEST_ISSUER, audience: TEST_AUDIENCE, clockToleranceSeconds: 0 },
        new JwksCache(source),
        revocations,
      );
      await expect(strict.verify(token({ claims: { exp: NOW + 1 } }))).resolves.toBeDefined();
      await expect(strict.verify(token({ claims: { exp: NOW } }))).rejects.toMatchObject({
        message: 'Token expired',
      });
      await expect(strict.verify(token({ claims: { nbf: NOW + 1 } }))).rejects.toMatchObject({
        message: 'Token not yet valid',
      });
    });
  });

  describe('refuses revoked tokens at once', () => {
    it('by session', async () => {
      const raw = token();
      await expect(verifier.verify(raw)).resolves.toBeDefined();
      revocations.revokeSession('session-1', NOW + 300);
      await expectRefused(raw, 'Token revoked');
      await expect(verifier.verify(token({ claims: { sid: 'session-2' } }))).resolves.toBeDefined();
    });

    it('by subject, for tokens issued before the not-before time', async () => {
      const before = token({ claims: { iat: NOW - 60 } });
      revocations.revokeSubject('user-1', NOW, NOW + 600);
      await expectRefused(before, 'Token revoked');
      await expect(verifier.verify(token({ claims: { iat: NOW } }))).resolves.toBeDefined();
      await expect(
        verifier.verify(token({ claims: { iat: NOW - 60, sub: 'user-2' } })),
      ).resolves.toBeDefined();
    });

    it('until the revocation lapses', async () => {
      const raw = token({ claims: { exp: NOW + 3600 } });
      revocations.revokeSession('session-1', NOW + 60);
      await expectRefused(raw, 'Token revoked');
      now = NOW + 60;
      await expect(verifier.verify(raw)).resolves.toBeDefined();
    });
  });

  describe('refreshes the key set on an unknown kid', () => {
    it('learns a rotated-in key', async () => {
      const next = generateTestKey('ES256', 'ec-2');
      source.keys = [...source.keys, next.jwk];
      now = NOW + 31;
      await expect(verifier.verify(token({}, next))).resolves.toBeDefined();
      expect(source.fetches).toBe(2);
    });

    it('at most once per interval, however many unknown kids arrive', async () => {
      for (let i = 0; i < 20; i++) {
        await expectRefused(token({ header: { kid: `made-up-${i}` } }), 'Unknown signing key');
      }
      expect(source.fetches).toBe(1);
      now = NOW + 29;
      await expectRefused(token({ header: { kid: 'made-up' } }), 'Unknown signing key');
      expect(source.fetches).toBe(1);
      now = NOW + 30;
      await expectRefused(token({ header: { kid: 'made-up' } }), 'Unknown signing key');
      expect(source.fetches).toBe(2);
    });

    it('never for a token refused before the key is needed', async () => {
      now = NOW + 31;
      await expectRefused(token({ header: { kid: 'x', alg: 'none' } }), 'Unsupported algorithm');
      await expectRefused(token({ header: { kid: 'x', typ: 'JWT' } }), 'Not an access token');
      await expectRefused(
        token({ header: { kid: 'x', jku: 'https://a' } }),
        'Header parameter jku is not accepted',
      );
      expect(source.fetches).toBe(1);
    });
  });

  describe('remembers a verified token, and checks all that can change on every use', () => {
    it('checks the signature of a token once', async () => {
      const raw = token();
      const signatureChecks = jest.spyOn(crypto, 'verify');
      const first = await verifier.verify(raw);
      await expect(verifier.verify(raw)).resolves.toEqual(first);
      expect(signatureChecks).toHaveBeenCalledTimes(1);
    });

    it('checks every token it has not seen, however alike', async () => {
      const raw = token();
      await verifier.verify(raw);
      const [header, payload, signature] = raw.split('.');
      const claims = JSON.parse(Buffer.from(payload, 'base64url').toString()) as object;
      const flipped = `${signature.startsWith('A') ? 'B' : 'A'}${signature.slice(1)}`;
      await expectRefused(`${header}.${payload}.${flipped}`, 'Invalid signature');
      await expectRefused(
        `${header}.${segment({ ...claims, roles: ['admin'] })}.${signature}`,
        'Invalid signature',
      );
    });

    it('refuses it once it has expired', async () => {
      const raw = token({ claims: { exp: NOW + 60 } });
      await verifier.verify(raw);
      now = NOW + 66;
      await expectRefused(raw, 'Token expired');
    });

    it('refuses it once it is revoked', async () => {
      const raw = token();
      await verifier.verify(raw);
      revocations.revokeSession('session-1', NOW + 300);
      await expectRefused(raw, 'Token revoked');
    });

    it('refuses it for an audience it does not name', async () => {
      const raw = token({ claims: { aud: [TEST_AUDIENCE] } });
      await verifier.verify(raw);
      await expect(verifier.verify(raw, 'users')).rejects.toMatchObject({
        message: 'Not for this audience',
      });
    });

    it('refuses it once its key is withdrawn from the key set', async () => {
      const raw = token();
      await verifier.verify(raw);
      source.keys = [ec.jwk, ed.jwk];
      await keyCache.refresh();
      await expectRefused(raw, 'Unknown signing key');
    });

    it('hands out a principal nobody can change, since every use of the token shares it', async () => {
      const raw = token();
      const first = await verifier.verify(raw);
      expect(() => (first.roles as string[]).push('admin')).toThrow(TypeError);
      expect(() => Object.assign(first, { subject: 'user-2' })).toThrow(TypeError);
      await expect(verifier.verify(raw)).resolves.toMatchObject({
        subject: 'user-1',
        roles: ['user'],
      });
    });

    describe('for a second verification of the same request', () => {
      const refusal = (run: Promise<unknown>) =>
        run.then(
          () => undefined,
          (e: unknown) => e,
        );

      it('takes the token as the first verified it, without looking it up anew', async () => {
        const raw = token();
        const request = {};
        const first = await verifier.verify(raw, undefined, request);
        const memo = (verifier as unknown as { verifiedTokens: { get: () => unknown } })
          .verifiedTokens;
        const lookups = jest.spyOn(memo, 'get');
        await expect(verifier.verify(raw, undefined, request)).resolves.toBe(first);
        expect(lookups).not.toHaveBeenCalled();
        await verifier.verify(raw, undefined, {});
        expect(lookups).toHaveBeenCalledTimes(1);
      });

      it('still refuses it once revoked, expired, for another audience or its key withdrawn', async () => {
        const raw = token({ claims: { exp: NOW + 60, aud: [TEST_AUDIENCE] } });
        const revoked = {};
        await verifier.verify(raw, undefined, revoked);
        revocations.revokeSession('session-1', NOW + 300);
        await expect(refusal(verifier.verify(raw, undefined, revoked))).resolves.toMatchObject({
          message: 'Token revoked',
        });
        revocations.onModuleDestroy();
        revocations = new RevocationList(900);
        verifier = new AccessTokenVerifier(
          { issuer: TEST_ISSUER, audience: TEST_AUDIENCE },
          keyCache,
          revocations,
        );

        const expired = {};
        await verifier.verify(raw, undefined, expired);
        const other = {};
        await verifier.verify(raw, undefined, other);
        await expect(refusal(verifier.verify(raw, 'users', other))).resolves.toMatchObject({
          message: 'Not for this audience',
        });
        const withdrawn = {};
        await verifier.verify(raw, undefined, withdrawn);
        now = NOW + 66;
        await expect(refusal(verifier.verify(raw, undefined, expired))).resolves.toMatchObject({
          message: 'Token expired',
        });
        now = NOW;
        source.keys = [ec.jwk, ed.jwk];
        await keyCache.refresh();
        await expect(refusal(verifier.verify(raw, undefined, withdrawn))).resolves.toMatchObject({
          message: 'Unknown signing key',
        });
      });

      it('verifies a different token of the same request in full', async () => {
        const raw = token();
        const request = {};
        await verifier.verify(raw, undefined, request);
        const [header, payload, signature] = raw.split('.');
        const claims = JSON.parse(Buffer.from(payload, 'base64url').toString()) as object;
        const forged = `${header}.${segment({ ...claims, roles: ['admin'] })}.${signature}`;
        await expect(refusal(verifier.verify(forged, undefined, request))).resolves.toMatchObject({
          message: 'Invalid signature',
        });
        // The refusal leaves the first token's verification as it was.
        await expect(verifier.verify(raw, undefined, request)).resolves.toMatchObject({
          subject: 'user-1',
        });
      });
    });

    it('checks every time when told to remember nothing', async () => {
      const forgetful = new AccessTokenVerifier(
        { issuer: TEST_ISSUER, audience: TEST_AUDIENCE, verifiedTokenCacheSize: 0 },
        keyCache,
        revocations,
      );
      const raw = token();
      const signatureChecks = jest.spyOn(crypto, 'verify');
      await forgetful.verify(raw);
      await forgetful.verify(raw);
      expect(signatureChecks).toHaveBeenCalledTimes(2);
    });
  });
});
