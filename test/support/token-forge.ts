import {
  createDecipheriv,
  createPrivateKey,
  generateKeyPairSync,
  type KeyObject,
  randomUUID,
  sign,
} from 'node:crypto';
import type {
  AccessTokenClaims,
  Audience,
} from '../../libs/contracts/src/auth/access-token-claims.ts';
import type { Platform } from './platform.ts';

export interface ForgeOptions {
  header?: Record<string, unknown>;
  claims?: Record<string, unknown>;
}

/** Signs a compact JWS with node:crypto, independently of the platform's code. */
export function signJws(header: Record<string, unknown>, claims: object, key: KeyObject): string {
  const input = `${b64(header)}.${b64(claims)}`;
  const data = Buffer.from(input);
  const signature =
    header.alg === 'EdDSA'
      ? sign(null, data, key)
      : header.alg === 'ES256'
        ? sign('sha256', data, { key, dsaEncoding: 'ieee-p1363' })
        : sign('sha256', data, key);
  return `${input}.${signature.toString('base64url')}`;
}

/** Access-token claims as the platform issues them, for `sub`, adjustable per test. */
export function accessTokenClaims(sub: string, audience: Audience[]): AccessTokenClaims {
  const now = Math.floor(Date.now() / 1000);
  return {
    iss: 'http://localhost:3000',
    sub,
    aud: audience,
    exp: now + 600,
    iat: now,
    jti: randomUUID(),
    client_id: 'identity-platform',
    scope: 'openid users:read users:write',
    roles: ['user'],
  };
}

/** A key the platform has never seen, to sign tokens it must refuse. */
export function strangerKey(): { kid: string; privateKey: KeyObject } {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return { kid: 'stranger', privateKey };
}

/**
 * The deployment's active signing key, read from its database with the key-encryption key the
 * test deployment was given: lets a test sign tokens the platform would accept, then bend one
 * claim (an expired one, say) to see exactly that claim refused. PostgreSQL shapes only.
 */
export async function activeSigningKey(
  platform: Platform,
): Promise<{ kid: string; alg: string; privateKey: KeyObject }> {
  const [row] = await platform.database!.query<{ kid: string; alg: string; private_key: string }>(
    `SELECT kid, alg, private_key FROM auth.signing_keys WHERE status = 'active'`,
  );
  const [, iv, tag, ciphertext] = row.private_key
    .split('.')
    .map((part) => Buffer.from(part, 'base64url'));
  const decipher = createDecipheriv(
    'aes-256-gcm',
    Buffer.from(platform.keyEncryptionKey, 'base64'),
    iv,
  );
  decipher.setAAD(Buffer.from(row.kid, 'utf8'));
  decipher.setAuthTag(tag);
  const der = Buffer.concat([decipher.update(ciphertext), decipher.final()]);
  return {
    kid: row.kid,
    alg: row.alg,
    privateKey: createPrivateKey({ key: der, format: 'der', type: 'pkcs8' }),
  };
}

function b64(value: object): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}
