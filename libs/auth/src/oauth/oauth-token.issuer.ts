import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { AccessTokenGrant, AccessTokenIssuer } from '../tokens/access-token.issuer';
import { IssuedTokenStore } from '../tokens/issued-token.store';

/** An access token the token endpoint hands out, and how long it lives. */
export interface IssuedAccessToken {
  accessToken: string;
  expiresIn: number;
}

/**
 * The token endpoint's access tokens: RFC 9068 tokens from `AccessTokenIssuer`, each with its
 * audit record in `auth.issued_tokens` (who got it, for whom, for what, until when), which
 * revocation and introspection read back. The record is written while the token is signed,
 * and the token leaves only once both have succeeded.
 */
@Injectable()
export class OAuthTokenIssuer {
  constructor(
    private readonly tokens: AccessTokenIssuer,
    private readonly issued: IssuedTokenStore,
  ) {}

  async issue(grant: Omit<AccessTokenGrant, 'tokenId'>): Promise<IssuedAccessToken> {
    const tokenId = randomUUID();
    const expiresIn = this.tokens.lifetimeOf(grant);
    const [accessToken] = await Promise.all([
      this.tokens.issue({ ...grant, tokenId }),
      this.issued.record({
        tokenId,
        clientId: grant.clientId,
        subject: grant.subject,
        grantType: grant.grantType,
        audiences: grant.audience,
        scopes: grant.scopes,
        sessionId: grant.sessionId,
        actor: grant.actor?.sub,
        expiresAt: Math.floor(Date.now() / 1000) + expiresIn,
      }),
    ]);
    return { accessToken, expiresIn };
  }
}
