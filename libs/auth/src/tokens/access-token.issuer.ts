import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { PlatformEnv } from '@platform/config';
import { AccessTokenClaims, Audience } from '@platform/contracts';
import { ActiveSigningKey } from '../keys/active-signing-key';
import { signCompactJws } from './jws.signer';

/** Who a token is for and what it allows: the claims that differ from one token to the next. */
export interface AccessTokenGrant {
  subject: string;
  sessionId?: string;
  clientId: string;
  audience: Audience[];
  scopes: readonly string[];
  roles: readonly string[];
}

/** Issues RFC 9068 access tokens with the active signing key. */
@Injectable()
export class AccessTokenIssuer {
  readonly ttlSeconds: number;
  private readonly issuer: string;

  constructor(
    private readonly signingKey: ActiveSigningKey,
    config: ConfigService<PlatformEnv, true>,
  ) {
    this.ttlSeconds = config.get('ACCESS_TOKEN_TTL_SECONDS', { infer: true });
    this.issuer = config.get('ISSUER', { infer: true });
  }

  /** A signed access token for `grant`, living `ttlSeconds` (`ACCESS_TOKEN_TTL_SECONDS`). */
  async issue(grant: AccessTokenGrant, ttlSeconds = this.ttlSeconds): Promise<string> {
    const key = await this.signingKey.current();
    const now = Math.floor(Date.now() / 1000);
    // RFC 9068 2.2: iss, exp, aud, sub, client_id, iat and jti are required.
    const claims: AccessTokenClaims = {
      iss: this.issuer,
      sub: grant.subject,
      aud: grant.audience,
      exp: now + ttlSeconds,
      iat: now,
      jti: randomUUID(),
      client_id: grant.clientId,
      scope: grant.scopes.join(' '),
      ...(grant.sessionId ? { sid: grant.sessionId } : {}),
      roles: [...grant.roles],
    };
    // RFC 9068 2.1: typ at+jwt.
    return signCompactJws({ alg: key.alg, kid: key.kid, typ: 'at+jwt' }, claims, key.privateKey);
  }
}
