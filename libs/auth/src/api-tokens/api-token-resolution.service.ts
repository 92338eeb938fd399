import { Injectable } from '@nestjs/common';
import { InternalToken, isWellFormedApiToken } from '@platform/contracts';
import { hashApiToken } from './api-token.codec';
import { ApiTokenStore } from './api-token.store';
import { InternalTokenIssuer } from './internal-token.issuer';
import { UnusableCredentialError } from './unusable-credential.error';

/**
 * Trades a presented API token for the internal access token the gateway forwards instead.
 * The secret itself is the proof, so whoever asks gains nothing they did not hold.
 */
@Injectable()
export class ApiTokenResolution {
  constructor(
    private readonly store: ApiTokenStore,
    private readonly internalTokens: InternalTokenIssuer,
  ) {}

  async resolve(token: string): Promise<InternalToken> {
    if (!isWellFormedApiToken(token)) throw new UnusableCredentialError();
    const live = await this.store.use(hashApiToken(token));
    if (!live) throw new UnusableCredentialError();
    const internal = await this.internalTokens.issue(live.userId, live.scopes, {
      clientId: `api-token:${live.id}`,
      grantType: 'api_token',
      secondsLeft: live.secondsLeft,
    });
    return { ...internal, tokenId: live.id };
  }
}
