import { createHash } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { PlatformEnv } from '@platform/config';
import { SigningAlgorithm } from '@platform/contracts';
import { ActiveSigningKey } from '../keys/active-signing-key';
import { signCompactJws } from '../tokens/jws.signer';

/** Who an ID token is about and for, and the authentication it attests. */
export interface IdTokenGrant {
  /** `aud`: the client (OpenID Connect Core 2). */
  clientId: string;
  subject: string;
  /** Echoed exactly when the authorization request had one (3.1.2.1). */
  nonce?: string;
  /** Epoch seconds: when the user last authenticated (2, `auth_time`). */
  authTime: number;
  /** The SSO session (OpenID Connect Front-Channel and Back-Channel Logout `sid`). */
  sessionId: string;
  /** The access token issued with it, for `at_hash` (3.1.3.6). */
  accessToken: string;
}

/**
 * OpenID Connect Core 3.1.3.6: the hash for `at_hash` is the one of the ID token's JWS
 * algorithm, SHA-512 for EdDSA over Ed25519 (as the OpenID Foundation's libraries compute it).
 */
const AT_HASH: Record<SigningAlgorithm, 'sha256' | 'sha512'> = {
  RS256: 'sha256',
  ES256: 'sha256',
  EdDSA: 'sha512',
};

/**
 * ID tokens (OpenID Connect Core 2, 3.1.3.6), signed with the same rotating keys as access
 * tokens but typed `JWT`, never `at+jwt`: every verifier of the platform requires `at+jwt`
 * (RFC 9068 4, RFC 8725 3.11), so an ID token is never taken for an access token.
 */
@Injectable()
export class IdTokenIssuer {
  private readonly issuer: string;
  private readonly ttlSeconds: number;

  constructor(
    private readonly signingKey: ActiveSigningKey,
    config: ConfigService<PlatformEnv, true>,
  ) {
    this.issuer = config.get('ISSUER', { infer: true });
    this.ttlSeconds = config.get('ACCESS_TOKEN_TTL_SECONDS', { infer: true });
  }

  async issue(grant: IdTokenGrant): Promise<string> {
    const key = await this.signingKey.current();
    const now = Math.floor(Date.now() / 1000);
    const digest = createHash(AT_HASH[key.alg]).update(grant.accessToken, 'ascii').digest();
    const claims = {
      iss: this.issuer,
      sub: grant.subject,
      aud: grant.clientId,
      exp: now + this.ttlSeconds,
      iat: now,
      auth_time: grant.authTime,
      ...(grant.nonce !== undefined ? { nonce: grant.nonce } : {}),
      sid: grant.sessionId,
      at_hash: digest.subarray(0, digest.length / 2).toString('base64url'),
    };
    return signCompactJws({ alg: key.alg, kid: key.kid, typ: 'JWT' }, claims, key.privateKey);
  }
}
