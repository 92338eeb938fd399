import { Injectable } from '@nestjs/common';
import type { Audience } from '@platform/contracts';
import { ClientRegistry } from '../clients/client-registry';
import { OAuthClient } from '../clients/oauth-client';
import { isRegisteredRedirectUri } from '../clients/registered-redirect-uri';
import { audienceOfResource } from '../oauth/requested-scopes';
import { IdTokenHintVerifier } from '../oidc/id-token-hint.verifier';
import {
  AuthorizationErrorCode,
  AuthorizationPageError,
  AuthorizationRedirectError,
} from './authorization.errors';
import { BrowserParams } from './browser-params';

/** `prompt` values served (OpenID Connect Core 3.1.2.1); `select_account` is not. */
const PROMPTS = new Set(['none', 'login', 'consent']);

/** The parameters this endpoint reads; any other is ignored (RFC 6749 3.1). */
const SERVED_PARAMETERS = new Set([
  'client_id',
  'redirect_uri',
  'response_type',
  'response_mode',
  'scope',
  'state',
  'nonce',
  'code_challenge',
  'code_challenge_method',
  'prompt',
  'max_age',
  'id_token_hint',
  'resource',
  'request',
  'request_uri',
]);

/** RFC 7636 4.2: BASE64URL(SHA256(verifier)) is 43 characters. */
const S256_CHALLENGE = /^[A-Za-z0-9_-]{43}$/;

/** Bounds for values carried back to the client; far above what a client needs. */
const MAX_STATE_LENGTH = 1024;
const MAX_NONCE_LENGTH = 512;

/** An authorization request that passed every check (RFC 6749 4.1.1, OpenID Connect Core 3.1.2.2). */
export interface AuthorizationRequest {
  client: OAuthClient;
  redirectUri: string;
  scopes: string[];
  state?: string;
  nonce?: string;
  codeChallenge: string;
  prompt: string[];
  /** Seconds (OpenID Connect Core 3.1.2.1 `max_age`). */
  maxAge?: number;
  /** The user an `id_token_hint` names: only their session or sign-in serves this request. */
  hintedSubject?: string;
  /** The services `resource` names (RFC 8707 2.1), which the grant is held to; none: all. */
  resources: Audience[];
}

/**
 * Validates an authorization request in the order that decides where an error goes: the client
 * and the exact redirect URI first (RFC 6749 3.1.2.3, RFC 9700 2.1: simple string comparison),
 * whose failure is an error page; everything after them is an error response sent to that URI.
 */
@Injectable()
export class AuthorizationRequestParser {
  constructor(
    private readonly clients: ClientRegistry,
    private readonly hints: IdTokenHintVerifier,
  ) {}

  async parse(params: BrowserParams): Promise<AuthorizationRequest> {
    const { client, redirectUri } = await this.clientAndRedirect(params);
    const state = params.get('state');
    const fail = (error: AuthorizationErrorCode, description: string): never => {
      throw new AuthorizationRedirectError(
        redirectUri,
        state !== undefined && state.length <= MAX_STATE_LENGTH ? state : undefined,
        error,
        description,
      );
    };
    if (state !== undefined && state.length > MAX_STATE_LENGTH)
      fail('invalid_request', 'state is too long');
    // RFC 6749 3.1: unrecognized parameters are ignored, however malformed.
    if (params.malformed.some((name) => SERVED_PARAMETERS.has(name))) {
      fail('invalid_request', 'A parameter is repeated or is not text');
    }
    // OpenID Connect Core 6: request objects are not supported.
    if (params.get('request') !== undefined)
      fail('request_not_supported', 'request is not supported');
    if (params.get('request_uri') !== undefined) {
      fail('request_uri_not_supported', 'request_uri is not supported');
    }
    // RFC 9700 2.1.2: the code flow only, no implicit or hybrid response types.
    const responseType = params.get('response_type');
    if (responseType === undefined) fail('invalid_request', 'response_type is required');
    if (responseType !== 'code') {
      fail('unsupported_response_type', 'response_type must be code');
    }
    const responseMode = params.get('response_mode');
    if (responseMode !== undefined && responseMode !== 'query') {
      fail('invalid_request', 'response_mode must be query');
    }
    if (!client.grantTypes.includes('authorization_code')) {
      fail('unauthorized_client', 'The client may not use the authorization code grant');
    }
    // RFC 9700 2.1.1: PKCE for every client; RFC 7636 4.3: a missing method means plain,
    // which is refused like any method but S256.
    const challenge = params.get('code_challenge');
    if (challenge === undefined) fail('invalid_request', 'code_challenge is required');
    if (params.get('code_challenge_method') !== 'S256') {
      fail('invalid_request', 'code_challenge_method must be S256');
    }
    if (!S256_CHALLENGE.test(challenge!)) fail('invalid_request', 'Malformed code_challenge');

    const scope = params.get('scope');
    const scopes = [...new Set((scope ?? '').split(' ').filter((entry) => entry.length > 0))];
    if (scopes.length === 0) fail('invalid_scope', 'scope is required');
    if (scopes.some((entry) => !client.scopes.includes(entry))) {
      fail('invalid_scope', 'A requested scope is not allowed for this client');
    }

    // RFC 8707 2: each an absolute URI the server knows, of a service the client may reach.
    const resources: Audience[] = [];
    for (const resource of new Set(params.all('resource'))) {
      const audience = audienceOfResource(resource);
      if (!audience) fail('invalid_target', 'Unknown resource');
      if (!client.audiences.includes(audience!)) {
        fail('invalid_target', 'The client may not ask tokens for this resource');
      }
      resources.push(audience!);
    }

    const prompt = [...new Set((params.get('prompt') ?? '').split(' ').filter((entry) => entry))];
    if (prompt.some((entry) => !PROMPTS.has(entry))) fail('invalid_request', 'Unsupported prompt');
    // OpenID Connect Core 3.1.2.1: none with any other value is an error.
    if (prompt.includes('none') && prompt.length > 1) {
      fail('invalid_request', 'prompt=none cannot be combined');
    }
    const maxAgeText = params.get('max_age');
    if (maxAgeText !== undefined && !/^\d{1,9}$/.test(maxAgeText)) {
      fail('invalid_request', 'max_age must be a number of seconds');
    }
    const nonce = params.get('nonce');
    if (nonce !== undefined && nonce.length > MAX_NONCE_LENGTH)
      fail('invalid_request', 'nonce is too long');
    // OpenID Connect Core 3.1.2.1: an ID token this issuer signed, expired or not.
    const hintToken = params.get('id_token_hint');
    const hint = hintToken === undefined ? undefined : await this.hints.verify(hintToken);
    if (hintToken !== undefined && !hint) fail('invalid_request', 'Invalid id_token_hint');

    return {
      client,
      redirectUri,
      scopes,
      state,
      nonce,
      codeChallenge: challenge!,
      prompt,
      maxAge: maxAgeText === undefined ? undefined : Number(maxAgeText),
      hintedSubject: hint?.subject,
      resources,
    };
  }

  /** The client and the redirect URI registered for it, exactly; an error page otherwise. */
  private async clientAndRedirect(
    params: BrowserParams,
  ): Promise<{ client: OAuthClient; redirectUri: string }> {
    const clientId = params.get('client_id');
    if (params.isMalformed('client_id') || params.isMalformed('redirect_uri')) {
      throw invalidClient('The request does not name one client and one redirect URI.');
    }
    const client = clientId === undefined ? undefined : await this.clients.find(clientId);
    if (!client) throw invalidClient('The application that sent you here is not known.');
    const redirectUri = params.get('redirect_uri');
    // OpenID Connect Core 3.1.2.1: redirect_uri is required; no default is guessed.
    if (redirectUri === undefined || !isRegisteredRedirectUri(client, redirectUri)) {
      throw invalidClient(
        'The application that sent you here gave an address it has not registered.',
      );
    }
    return { client, redirectUri };
  }
}

function invalidClient(message: string): AuthorizationPageError {
  return new AuthorizationPageError(400, 'This sign-in link is not valid', message);
}
