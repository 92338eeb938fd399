import { Injectable } from '@nestjs/common';
import { LRUCache } from 'lru-cache';
import {
  ACCESS_TOKEN_TYPE,
  Audience,
  AuthPattern,
  ContextName,
  ErrorCode,
  OAuthEndpointRequest,
  OAuthEndpointResponse,
  ServiceError,
  TOKEN_EXCHANGE_GRANT,
} from '@platform/contracts';
import { MessageBus } from '@platform/transport';
import { AccessTokenVerifier } from './access-token-verifier';
import { ExchangeTargetRefusedError } from './errors/exchange-target-refused.error';
import { InsufficientScopeError } from './errors/insufficient-scope.error';
import { InvalidTokenError } from './errors/invalid-token.error';
import { TokenExchangeFailedError } from './errors/token-exchange-failed.error';
import { Principal } from './principal';
import { ReusedCredential } from './reused-credential';

/**
 * How a service gets a credential to call another service on a user's behalf: a token for that
 * service alone, with only the scopes the call needs and never more than the user's own.
 */
export interface UserDelegatedCredentials {
  /**
   * `Bearer <jwt>` for `audience`, for the user `principal` is, with `scopes` among theirs,
   * obtained by the service `actingService` (the OAuth client that acts, `act` in the token).
   */
  credentialFor(
    actingService: ContextName,
    principal: Principal,
    audience: Audience,
    scopes: string[],
  ): ReusedCredential;
}

/** Injection token of the application's `UserDelegatedCredentials`. */
export const USER_DELEGATED_CREDENTIALS = Symbol('USER_DELEGATED_CREDENTIALS');

/** Injection token of the platform services' client secrets (`SERVICE_CLIENT_SECRETS`). */
export const SERVICE_CLIENT_SECRETS = Symbol('SERVICE_CLIENT_SECRETS');

/** Renew this long before expiry, so an exchanged token never expires in flight. */
const RENEW_BEFORE_MS = 10_000;

/**
 * `UserDelegatedCredentials` by token exchange (RFC 8693) at auth's token endpoint
 * (`auth.oauth.token`): the acting service authenticates as its OAuth client (its secret from
 * `SERVICE_CLIENT_SECRETS`, `client_secret_basic`) and presents the user's token as the
 * subject token; auth answers with a token for `audience` alone whose scopes are no wider than
 * the user's. Each exchanged token is kept per subject token, acting service, target and
 * scopes until shortly before it expires, so a chain of calls pays the exchange once, and
 * used only while this process's verifier would still accept it for that audience (a withdrawn
 * signing key takes it along), and exchanged again when the target refused it for a withdrawn
 * key this process had not heard of yet.
 */
@Injectable()
export class TokenExchangeCredentials implements UserDelegatedCredentials {
  private readonly tokens = new LRUCache<string, string>({ max: 10_000 });

  constructor(
    private readonly bus: MessageBus,
    private readonly secrets: Partial<Record<ContextName, string>>,
    private readonly verifier: AccessTokenVerifier,
  ) {}

  credentialFor(
    actingService: ContextName,
    principal: Principal,
    audience: Audience,
    scopes: string[],
  ): ReusedCredential {
    const key = `${principal.tokenId} ${actingService} ${audience} ${scopes.join(' ')}`;
    const authorization = () => this.authorization(key, actingService, principal, audience, scopes);
    return {
      authorization,
      renew: (refused) => {
        if (this.tokens.get(key) === refused) this.tokens.delete(key);
        return authorization();
      },
    };
  }

  private async authorization(
    key: string,
    actingService: ContextName,
    principal: Principal,
    audience: Audience,
    scopes: string[],
  ): Promise<string> {
    const cached = this.tokens.get(key);
    if (cached && (await this.stillAccepted(cached, audience))) return cached;
    const secret = this.secrets[actingService];
    if (!secret) throw new TokenExchangeFailedError(`No client secret for ${actingService}`);
    const request: OAuthEndpointRequest = {
      params: {
        grant_type: TOKEN_EXCHANGE_GRANT,
        subject_token: principal.token,
        subject_token_type: ACCESS_TOKEN_TYPE,
        audience,
        scope: scopes.join(' '),
      },
      // RFC 6749 2.3.1: the client id and secret, each form-encoded, as HTTP Basic.
      authorization: `Basic ${Buffer.from(
        `${encodeURIComponent(actingService)}:${encodeURIComponent(secret)}`,
      ).toString('base64')}`,
    };
    // The message carries no bearer credential: the client authenticates in the request.
    const reply = await this.bus.send<OAuthEndpointResponse>(AuthPattern.OAuthToken, request, {
      authorization: '',
    });
    const body = reply.body as { access_token?: string; expires_in?: number; error?: string };
    if (reply.status !== 200 || typeof body.access_token !== 'string') {
      throw refusal(body.error, scopes);
    }
    const authorization = `Bearer ${body.access_token}`;
    const ttl = (body.expires_in ?? 0) * 1000 - RENEW_BEFORE_MS;
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

/** What the caller is told when auth refuses the exchange: the user's token is the reason. */
function refusal(error: string | undefined, scopes: string[]): ServiceError {
  switch (error) {
    case 'invalid_scope':
      return new InsufficientScopeError(scopes);
    // RFC 8693 2.2.2: a refused subject_token is invalid_request. Everything else in the
    // request is built here, so the user's token is what auth refused.
    case 'invalid_request':
      return new InvalidTokenError('The token cannot be exchanged');
    case 'invalid_target':
      return new ExchangeTargetRefusedError();
    case 'temporarily_unavailable':
      return new TokenExchangeFailedError('auth is not answering', ErrorCode.ServiceUnavailable);
    default:
      return new TokenExchangeFailedError(`Token exchange failed: ${error ?? 'no answer'}`);
  }
}
