import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { PlatformEnv } from '@platform/config';
import { AccessTokenClaims, Audience } from '@platform/contracts';
import { Metrics } from '@platform/observability';
import { Counter } from 'prom-client';
import { ActiveSigningKey } from '../keys/active-signing-key';
import { signCompactJws } from './jws.signer';

/**
 * How a token came to be issued, for `tokens_issued_total{grant}`: a password login, a refresh,
 * the internal tokens standing in for API tokens and legacy credentials, and the token
 * endpoint's grants.
 */
export type GrantType =
  | 'password'
  | 'refresh_token'
  | 'api_token'
  | 'legacy'
  | 'authorization_code'
  | 'client_credentials'
  | 'token_exchange';

/** RFC 8693 4.1: the party acting for the subject, and whoever acted before it. */
export interface Actor {
  sub: string;
  act?: Actor;
}

/** Who a token is for and what it allows: the claims that differ from one token to the next. */
export interface AccessTokenGrant {
  grantType: GrantType;
  subject: string;
  sessionId?: string;
  clientId: string;
  audience: Audience[];
  scopes: readonly string[];
  roles: readonly string[];
  /** Shorter than `ACCESS_TOKEN_TTL_SECONDS` (never longer). */
  ttlSeconds?: number;
  /** The `jti` to use, when the caller records the token under it; a fresh UUID otherwise. */
  tokenId?: string;
  /** RFC 8693 4.1: who acts for the subject (token exchange). */
  actor?: Actor;
}

/** Issues RFC 9068 access tokens with the active signing key. */
@Injectable()
export class AccessTokenIssuer {
  readonly ttlSeconds: number;
  private readonly issuer: string;
  private readonly issued: Counter<'grant'>;

  constructor(
    private readonly signingKey: ActiveSigningKey,
    config: ConfigService<PlatformEnv, true>,
    metrics: Metrics,
  ) {
    this.ttlSeconds = config.get('ACCESS_TOKEN_TTL_SECONDS', { infer: true });
    this.issuer = config.get('ISSUER', { infer: true });
    this.issued = metrics.counter({
      name: 'tokens_issued_total',
      help: 'Access tokens issued, by how they were granted',
      labelNames: ['grant'] as const,
    });
  }

  /** The lifetime of a token for `grant`, in seconds. */
  lifetimeOf(grant: Pick<AccessTokenGrant, 'ttlSeconds'>): number {
    return Math.min(this.ttlSeconds, grant.ttlSeconds ?? this.ttlSeconds);
  }

  /** A signed access token for `grant`. */
  async issue(grant: AccessTokenGrant): Promise<string> {
    const key = await this.signingKey.current();
    const now = Math.floor(Date.now() / 1000);
    // RFC 9068 2.2: iss, exp, aud, sub, client_id, iat and jti are required.
    const claims: AccessTokenClaims = {
      iss: this.issuer,
      sub: grant.subject,
      aud: grant.audience,
      exp: now + this.lifetimeOf(grant),
      iat: now,
      jti: grant.tokenId ?? randomUUID(),
      client_id: grant.clientId,
      scope: grant.scopes.join(' '),
      ...(grant.sessionId ? { sid: grant.sessionId } : {}),
      roles: [...grant.roles],
      ...(grant.actor ? { act: grant.actor } : {}),
    };
    // RFC 9068 2.1: typ at+jwt.
    const token = await signCompactJws(
      { alg: key.alg, kid: key.kid, typ: 'at+jwt' },
      claims,
      key.privateKey,
    );
    this.issued.inc({ grant: grant.grantType });
    return token;
  }
}
