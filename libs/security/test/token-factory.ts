import {
  createHmac,
  generateKeyPairSync,
  JsonWebKey,
  KeyObject,
  randomBytes,
  randomUUID,
  sign,
} from 'node:crypto';
import type { AccessTokenClaims, SigningAlgorithm } from '@platform/contracts';
import type { JwksSource } from '@platform/security';

/**
 * Test helpers that build real signed tokens with `node:crypto`, independently of the verifier
 * under test, so specs can produce valid tokens and every kind of broken one.
 */

export const TEST_ISSUER = 'https://id.example.test';
export const TEST_AUDIENCE = 'orders';

export type TestAlgorithm = SigningAlgorithm;

/** The platform's claims, for a test audience that need not be one of the platform's contexts. */
type TestClaims = Omit<AccessTokenClaims, 'aud'> & { aud: string[] };

export interface TestKey {
  kid: string;
  alg: TestAlgorithm;
  privateKey: KeyObject;
  publicKey: KeyObject;
  /** The public JWK as the authorization server publishes it: with `kid`, `alg` and `use`. */
  jwk: JsonWebKey;
}

export function generateTestKey(
  alg: TestAlgorithm,
  kid = `${alg}-${randomBytes(4).toString('hex')}`,
): TestKey {
  const { privateKey, publicKey } =
    alg === 'RS256'
      ? generateKeyPairSync('rsa', { modulusLength: 2048 })
      : alg === 'ES256'
        ? generateKeyPairSync('ec', { namedCurve: 'P-256' })
        : generateKeyPairSync('ed25519');
  return {
    kid,
    alg,
    privateKey,
    publicKey,
    jwk: { ...publicKey.export({ format: 'jwk' }), kid, alg, use: 'sig' },
  };
}

/** Signs `signingInput` the way JWS `alg` says (RFC 7518 3.3, 3.4; RFC 8037 3.1). */
export function signWith(alg: TestAlgorithm, privateKey: KeyObject, signingInput: Buffer): Buffer {
  switch (alg) {
    case 'RS256':
      return sign('sha256', signingInput, privateKey);
    case 'ES256':
      return sign('sha256', signingInput, { key: privateKey, dsaEncoding: 'ieee-p1363' });
    case 'EdDSA':
      return sign(null, signingInput, privateKey);
  }
}

/** Base64url of JSON, or of raw text when given a string (for malformed segments). */
export function segment(value: unknown): string {
  return Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString(
    'base64url',
  );
}

/** A compact JWS from already encoded header and payload segments and a signer. */
export function compact(
  header: string,
  payload: string,
  signer: (signingInput: Buffer) => Buffer,
): string {
  const signingInput = `${header}.${payload}`;
  return `${signingInput}.${signer(Buffer.from(signingInput)).toString('base64url')}`;
}

/** Claims of a valid access token for `TEST_AUDIENCE`; `undefined` in `overrides` removes one. */
export function accessTokenClaims(
  overrides: Partial<Record<keyof AccessTokenClaims, unknown>> & Record<string, unknown> = {},
): Record<string, unknown> {
  const now = Math.floor(Date.now() / 1000);
  const claims: TestClaims = {
    iss: TEST_ISSUER,
    sub: 'user-1',
    aud: [TEST_AUDIENCE, 'users'],
    exp: now + 300,
    iat: now,
    jti: randomUUID(),
    client_id: 'web',
    scope: 'openid orders:read',
    sid: 'session-1',
    roles: ['user'],
  };
  return { ...claims, ...overrides };
}

export interface TokenOptions {
  /** Claims to set or (with `undefined`) remove. */
  claims?: Record<string, unknown>;
  /** Header parameters to set or (with `undefined`) remove. */
  header?: Record<string, unknown>;
}

/** A signed access token (RFC 9068) from `key`, valid unless `options` break it. */
export function signAccessToken(key: TestKey, options: TokenOptions = {}): string {
  const header = { typ: 'at+jwt', alg: key.alg, kid: key.kid, ...options.header };
  return compact(segment(header), segment(accessTokenClaims(options.claims)), (input) =>
    signWith(key.alg, key.privateKey, input),
  );
}

/** An HS256 token whose HMAC secret is `secret`: the classic RS/HS confusion attack. */
export function signHs256(secret: Buffer | string, header: Record<string, unknown>): string {
  return compact(
    segment({ typ: 'at+jwt', alg: 'HS256', ...header }),
    segment(accessTokenClaims()),
    (input) => createHmac('sha256', secret).update(input).digest(),
  );
}

/** A `JwksSource` over a key list the test controls, counting fetches and able to fail. */
export class TestJwksSource implements JwksSource {
  fetches = 0;
  failing = false;
  delayMs = 0;

  constructor(public keys: JsonWebKey[]) {}

  async fetchJwks(): Promise<{ keys: JsonWebKey[] }> {
    this.fetches += 1;
    if (this.delayMs > 0) await new Promise((resolve) => setTimeout(resolve, this.delayMs));
    if (this.failing) throw new Error('authorization server unavailable');
    return { keys: structuredClone(this.keys) };
  }
}
