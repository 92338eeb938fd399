import { FactoryProvider, Type } from '@nestjs/common';
import type { OAuthClient } from '../clients/oauth-client';
import type { TokenRequestParams } from './token-request-params';

/** A successful token response (RFC 6749 5.1, RFC 8693 2.2.1, OpenID Connect Core 3.1.3.3). */
export interface TokenEndpointResponse {
  access_token: string;
  token_type: 'Bearer' | 'N_A';
  expires_in: number;
  refresh_token?: string;
  /** RFC 6749 5.1: required when it differs from what was asked. Always sent. */
  scope?: string;
  id_token?: string;
  /** RFC 8693 2.2.1: required in a token-exchange response. */
  issued_token_type?: string;
}

/**
 * One grant type of the token endpoint (RFC 6749 4): given the authenticated client, which
 * the endpoint has checked may use this grant type, and the request's parameters, the tokens
 * to issue, or an `OAuthError` thrown. The endpoint adds `Cache-Control: no-store`.
 */
export interface TokenGrant {
  /** The `grant_type` value it serves, from `GRANT_TYPES`. */
  readonly grantType: string;
  exchange(client: OAuthClient, params: TokenRequestParams): Promise<TokenEndpointResponse>;
}

/** Injection token of every `TokenGrant` the token endpoint serves. */
export const TOKEN_GRANTS = Symbol('TOKEN_GRANTS');

/**
 * The `TOKEN_GRANTS` provider collecting `grants` (each also a provider of the module), so a
 * grant type is added in one place, the module's list.
 */
export function tokenGrantsProvider(...grants: Type<TokenGrant>[]): FactoryProvider<TokenGrant[]> {
  return { provide: TOKEN_GRANTS, inject: grants, useFactory: (...all: TokenGrant[]) => all };
}
