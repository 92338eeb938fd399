import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { BuiltInClients } from '../clients/built-in-clients';
import { AccessTokenGrant, AccessTokenIssuer } from '../tokens/access-token.issuer';
import { IssuedTokenStore } from '../tokens/issued-token.store';
import { UnregisteredClientError } from '../tokens/unregistered-client.error';
import { OAuthError } from './oauth.error';

/** An access token the token endpoint hands out, and how long it lives. */
export interface IssuedAccessToken {
  accessToken: string;
  expiresIn: number;
}

/**
 * The token endpoint's access tokens: RFC 9068 tokens from `AccessTokenIssuer`, each with its
 * audit record in `auth.issued_tokens` (who got it, for whom, for what, until when), which
 * revocation and introspection read back. The record is written while the token is signed,
 * and the token leaves only once both have succeeded: a registered client deleted since it
 * authenticated gets `invalid_client` (RFC 6749 5.2), not a token its deletion missed.
 */
@Injectable()
export class OAuthTokenIssuer {
  constructor(
    private readonly tokens: AccessTokenIssuer,
    private readonly issued: IssuedTokenStore,
    private readonly builtIn: BuiltInClients,
  ) {}

  async issue(grant: Omit<AccessTokenGrant, 'tokenId'>): Promise<IssuedAccessToken> {
    const tokenId = randomUUID();
    const expiresIn = this.tokens.lifetimeOf(grant);
    const [accessToken] = await Promise.all([
      this.tokens.issue({ ...grant, tokenId }),
      this.issued.record({
        tokenId,
        clientId: grant.clientId,
        clientRegistered: !this.builtIn.has(grant.clientId),
        subject: grant.subject,
        grantType: grant.grantType,
        audiences: grant.audience,
        scopes: grant.scopes,
        sessionId: grant.sessionId,
        actor: grant.actor?.sub,
        expiresAt: Math.floor(Date.now() / 1000) + expiresIn,
      }),
    ]).catch((error: unknown) => {
      if (error instanceof UnregisteredClientError) {
        throw new OAuthError('invalid_client', 'The client is no longer registered');
      }
      throw error;
    });
    return { accessToken, expiresIn };
  }
}
