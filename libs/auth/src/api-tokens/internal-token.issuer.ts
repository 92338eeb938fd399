import { Injectable } from '@nestjs/common';
import { InternalToken } from '@platform/contracts';
import { CredentialStore } from '../accounts/credential.store';
import { isAccountDisabled, UsersProfileClient } from '../accounts/users-profile.client';
import { BuiltInClients } from '../clients/built-in-clients';
import { AccessTokenIssuer, GrantType } from '../tokens/access-token.issuer';
import { firstPartyScopes } from '../tokens/first-party-grant';
import { UnusableCredentialError } from './unusable-credential.error';

/**
 * Internal tokens live two minutes: they never leave the platform (the gateway forwards them in
 * place of the credential it was shown) and the gateway asks again when its copy runs out.
 */
export const INTERNAL_TOKEN_TTL_SECONDS = 120;

/**
 * The short-lived access token that stands in for an API token or a legacy credential inside
 * the platform (the phantom-token pattern), so that services see one token format. It carries
 * no `sid`, so it is never a session (see `@SessionRequired()`), and its scopes are those the
 * credential names that its user still holds: a demoted administrator's token loses `admin`.
 */
@Injectable()
export class InternalTokenIssuer {
  constructor(
    private readonly credentials: CredentialStore,
    private readonly profiles: UsersProfileClient,
    private readonly tokens: AccessTokenIssuer,
    private readonly clients: BuiltInClients,
  ) {}

  async issue(
    userId: string,
    scopes: readonly string[],
    credential: {
      clientId: string;
      grantType: Extract<GrantType, 'api_token' | 'legacy'>;
      /** Seconds until the credential itself expires; none for one that does not. */
      secondsLeft?: number;
    },
  ): Promise<Omit<InternalToken, 'tokenId'>> {
    // A disabled account's tokens stop working, whatever credential stands for them.
    const account = await this.credentials.findActive(userId);
    if (!account || account.disabledAt) throw new UnusableCredentialError();
    const { roles } = await this.profiles.get(userId).catch((error: unknown) => {
      throw isAccountDisabled(error) ? new UnusableCredentialError() : error;
    });
    // What the user's own sign-in would hold: the first-party client's scopes and audiences.
    const { firstParty } = this.clients;
    const held = firstPartyScopes(firstParty.scopes, roles);
    // A stand-in never outlives what it stands for: its `exp` (RFC 7519 4.1.4, after which it
    // MUST NOT be accepted) is at most the credential's, and the gateway keeps it no longer.
    const ttlSeconds = Math.min(INTERNAL_TOKEN_TTL_SECONDS, credential.secondsLeft ?? Infinity);
    const accessToken = await this.tokens.issue({
      grantType: credential.grantType,
      subject: userId,
      clientId: credential.clientId,
      audience: [...firstParty.audiences],
      scopes: scopes.filter((scope) => held.includes(scope)),
      roles,
      ttlSeconds,
    });
    return {
      access_token: accessToken,
      expires_in: this.tokens.lifetimeOf({ ttlSeconds }),
      userId,
    };
  }
}
