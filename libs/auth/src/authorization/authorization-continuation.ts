import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { PlatformEnv } from '@platform/config';
import { BrowserEndpointResponse, HOSTED_PAGE_PATHS } from '@platform/contracts';
import { OAuthClient } from '../clients/oauth-client';
import { AuthorizationCodeStore } from './authorization-code.store';
import { AuthorizationRedirectError } from './authorization.errors';
import { PendingAuthorization } from './authorization-request.store';
import { ConsentStore } from './consent.store';
import { HostedPageResponses } from './hosted-page.responses';
import { pageReference, redirectResponse, withQueryParams } from './page-response';
import { PendingAuthorizations } from './pending-authorizations';
import { SsoSession } from './sso-session.store';

/** The parameters of an authorization request, held or not. */
export type AuthorizationParameters = Omit<PendingAuthorization, 'id' | 'sessionId'>;

/**
 * What follows once the user is known: the consent page when the client needs one, otherwise
 * the authorization response, a redirect to the client with a code (RFC 6749 4.1.2), or with
 * an error (4.1.2.1), either way with `iss` (RFC 9207 2) and the request's `state`.
 */
@Injectable()
export class AuthorizationContinuation {
  private readonly issuer: string;

  constructor(
    private readonly consents: ConsentStore,
    private readonly codes: AuthorizationCodeStore,
    private readonly pendings: PendingAuthorizations,
    config: ConfigService<PlatformEnv, true>,
  ) {
    this.issuer = config.get('ISSUER', { infer: true });
  }

  /**
   * Consent when it is needed (never remembered for `prompt=consent`; first-party clients are
   * the platform's own and skip it), else the code. After a POST the consent page is reached
   * by a 303, so a reload never re-submits the form.
   */
  async proceed(
    client: OAuthClient,
    request: AuthorizationParameters,
    session: SsoSession,
    browserSecret: string,
    options: { pending?: PendingAuthorization; afterPost?: boolean; setCookies?: string[] },
  ): Promise<BrowserEndpointResponse> {
    const setCookies = options.setCookies ?? [];
    const asked = request.prompt.includes('consent');
    const remembered =
      !asked &&
      (client.firstParty ||
        (await this.consents.covers(session.userId, client.clientId, request.scopes)));
    if (remembered) return this.issueCode(client, request, session, setCookies, options.pending);
    // OpenID Connect Core 3.1.2.6.
    if (request.prompt.includes('none')) {
      throw new AuthorizationRedirectError(
        request.redirectUri,
        request.state,
        'consent_required',
        'The user has not allowed this client',
      );
    }
    // The consent page belongs to the session the user has now, and to no other.
    let pending = options.pending;
    if (!pending) {
      pending = await this.pendings.hold({ ...request, sessionId: session.id }, browserSecret);
    } else if (pending.sessionId !== session.id) {
      await this.pendings.authenticated(pending.id, session.id);
      pending = { ...pending, sessionId: session.id };
    }
    if (options.afterPost) {
      return redirectResponse(
        `${pageReference(HOSTED_PAGE_PATHS.consent)}?request=${encodeURIComponent(pending.id)}`,
        setCookies,
      );
    }
    return HostedPageResponses.consent(pending, client, browserSecret, setCookies);
  }

  /** The authorization response with a new code; a held request is done with. */
  async issueCode(
    client: OAuthClient,
    request: AuthorizationParameters,
    session: SsoSession,
    setCookies: string[],
    pending?: PendingAuthorization,
  ): Promise<BrowserEndpointResponse> {
    const [code] = await Promise.all([
      this.codes.issue({
        clientId: client.clientId,
        redirectUri: request.redirectUri,
        codeChallenge: request.codeChallenge,
        userId: session.userId,
        ssoSessionId: session.id,
        scopes: request.scopes,
        nonce: request.nonce,
        authTime: session.authTime,
        resources: request.resources,
      }),
      pending && this.pendings.complete(pending.id),
    ]);
    return redirectResponse(
      this.responseUri(request.redirectUri, { code, state: request.state }),
      setCookies,
    );
  }

  /** The error response at the client's verified redirect URI. */
  error(error: AuthorizationRedirectError, setCookies: string[] = []): BrowserEndpointResponse {
    return redirectResponse(
      this.responseUri(error.redirectUri, {
        error: error.error,
        error_description: error.description,
        state: error.state,
      }),
      setCookies,
    );
  }

  /** RFC 9207 2: `iss` is added to every authorization response. */
  private responseUri(redirectUri: string, params: Record<string, string | undefined>): string {
    return withQueryParams(redirectUri, { ...params, iss: this.issuer });
  }
}
