import { Injectable } from '@nestjs/common';
import { LRUCache } from 'lru-cache';
import { Audience, AuthPattern, DelegatedToken, DelegateTokenDto } from '@platform/contracts';
import { MessageBus } from '@platform/transport';
import { AccessTokenVerifier } from './access-token-verifier';
import { Principal } from './principal';

/**
 * How a service gets a credential to call another service on a user's behalf: a token for that
 * service alone, with only the scopes the call needs and never more than the user's own.
 *
 * The seam for RFC 8693 token exchange: until the authorization server offers it, the
 * platform's implementation asks auth to narrow the user's own token (`auth.token.delegate`);
 * swapping in a token-exchange client is a change to the one provider in `SecurityModule`.
 */
export interface UserDelegatedCredentials {
  /** `Bearer <jwt>` for `audience`, for the user `principal` is, with `scopes` among theirs. */
  authorizationFor(principal: Principal, audience: Audience, scopes: string[]): Promise<string>;
}

/** Injection token of the application's `UserDelegatedCredentials`. */
export const USER_DELEGATED_CREDENTIALS = Symbol('USER_DELEGATED_CREDENTIALS');

/** Renew this long before expiry, so a delegated token never expires in flight. */
const RENEW_BEFORE_MS = 10_000;

/**
 * `UserDelegatedCredentials` through auth's `auth.token.delegate`, whose only proof is the
 * user's own token: the reply can do nothing that token could not. Each narrowed token is kept
 * for its lifetime, per user token, audience and scopes, and used only while this process's
 * verifier would still accept it for that audience (a withdrawn signing key takes it along).
 */
@Injectable()
export class MessageBusDelegatedCredentials implements UserDelegatedCredentials {
  private readonly tokens = new LRUCache<string, string>({ max: 10_000 });

  constructor(
    private readonly bus: MessageBus,
    private readonly verifier: AccessTokenVerifier,
  ) {}

  async authorizationFor(
    principal: Principal,
    audience: Audience,
    scopes: string[],
  ): Promise<string> {
    const key = `${principal.tokenId} ${audience} ${scopes.join(' ')}`;
    const cached = this.tokens.get(key);
    if (cached && (await this.stillAccepted(cached, audience))) return cached;
    const request: DelegateTokenDto = { audience, scopes };
    const reply = await this.bus.send<DelegatedToken>(AuthPattern.DelegateToken, request, {
      authorization: `Bearer ${principal.token}`,
    });
    const authorization = `Bearer ${reply.access_token}`;
    const ttl = reply.expires_in * 1000 - RENEW_BEFORE_MS;
    if (ttl > 0) this.tokens.set(key, authorization, { ttl });
    return authorization;
  }

  private stillAccepted(authorization: string, audience: Audience): Promise<boolean> {
    return this.verifier.verify(authorization.slice('Bearer '.length), audience).then(
      () => true,
      () => false,
    );
  }
}
