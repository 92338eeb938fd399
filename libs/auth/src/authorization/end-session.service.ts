import { Injectable } from '@nestjs/common';
import { BrowserEndpointRequest, BrowserEndpointResponse, OAUTH_PATHS } from '@platform/contracts';
import { ClientRegistry } from '../clients/client-registry';
import { IdTokenHintVerifier } from '../oidc/id-token-hint.verifier';
import { AuthorizationPageError } from './authorization.errors';
import { BrowserCookies } from './browser-cookies';
import { BrowserParams } from './browser-params';
import { csrfToken, csrfTokenMatches } from './csrf-token';
import { HostedPageResponses } from './hosted-page.responses';
import { logoutPage, signedOutPage } from './hosted-pages';
import { pageReference, pageResponse, redirectResponse, withQueryParams } from './page-response';
import { SsoSessions } from './sso-sessions';

/**
 * RP-initiated logout (OpenID Connect RP-Initiated Logout 1.0). The SSO session ends, and with
 * it every session its codes opened for clients (their access tokens are denied everywhere,
 * their refresh tokens die). A request carrying a valid `id_token_hint` of the browser's
 * current session is the client's own and is done at once; any other would let a third party
 * sign the user out with a link (2: the OP asks), so the user is asked, in a form with a CSRF
 * token. The browser goes back only to one of the client's registered
 * `post_logout_redirect_uris` (3.1), compared exactly (3); its `redirect_uris` are for
 * authorization responses and do not count. Any other `post_logout_redirect_uri` gets the
 * error page before anything ends, never a redirect.
 */
@Injectable()
export class EndSessionService {
  constructor(
    private readonly clients: ClientRegistry,
    private readonly hints: IdTokenHintVerifier,
    private readonly sessions: SsoSessions,
    private readonly cookies: BrowserCookies,
  ) {}

  async endSession(request: BrowserEndpointRequest): Promise<BrowserEndpointResponse> {
    try {
      return await this.handle(request);
    } catch (error) {
      if (error instanceof AuthorizationPageError) return HostedPageResponses.error(error);
      throw error;
    }
  }

  private async handle(request: BrowserEndpointRequest): Promise<BrowserEndpointResponse> {
    const params = new BrowserParams(request.params);
    if (params.malformed.length > 0) throw invalid('A parameter is repeated or is not text.');
    const hintToken = params.get('id_token_hint');
    const hint = hintToken === undefined ? undefined : await this.hints.verify(hintToken);
    if (hintToken !== undefined && !hint) throw invalid('The sign-out request is not valid.');
    const clientId = params.get('client_id') ?? hint?.clientId;
    if (hint && clientId !== hint.clientId) throw invalid('The sign-out request is not valid.');
    const returnTo = await this.returnUri(clientId, params.get('post_logout_redirect_uri'));
    const state = params.get('state');

    const presented = this.cookies.read(request.cookie);
    const current = await this.sessions.current(presented);
    const setCookies: string[] = [];
    const confirmed =
      request.method === 'POST' &&
      csrfTokenMatches(params.get('csrf_token'), presented.browser, 'logout', 'logout');
    if (request.method === 'POST' && params.get('csrf_token') !== undefined && !confirmed) {
      throw new AuthorizationPageError(403, 'This form has expired', 'Sign out again.');
    }
    // The client's own request ends the session its ID token came from.
    if (hint?.sessionId) await this.sessions.end({ id: hint.sessionId, userId: hint.subject });
    if (current) {
      // This browser's session ends unasked only when the ID token is of it (2: the OP MUST
      // ask when the ID token does not belong to the current session): an old ID token is no
      // request of a session begun since.
      if (current.id !== hint?.sessionId && !confirmed) {
        return this.confirmation(params, clientId, presented.browser, returnTo);
      }
      setCookies.push(await this.sessions.end(current));
    }
    if (returnTo) return redirectResponse(withQueryParams(returnTo, { state }), setCookies);
    return pageResponse(200, (nonce) => signedOutPage(nonce), { setCookies });
  }

  /** The page asking the user to confirm, carrying the request on. */
  private confirmation(
    params: BrowserParams,
    clientId: string | undefined,
    browserSecret: string | undefined,
    returnTo: string | undefined,
  ): BrowserEndpointResponse {
    // A session cookie without a binding cookie cannot come from our own pages.
    if (!browserSecret) throw invalid('Sign out from the application you signed in to.');
    const carried = {
      client_id: clientId,
      post_logout_redirect_uri: returnTo,
      state: params.get('state'),
    };
    const fields = Object.entries(carried).flatMap(([name, value]) =>
      value === undefined ? [] : [{ name, value }],
    );
    fields.push({ name: 'csrf_token', value: csrfToken(browserSecret, 'logout', 'logout') });
    return pageResponse(
      200,
      (nonce) => logoutPage(nonce, { action: pageReference(OAUTH_PATHS.endSession), fields }),
      { formTargets: returnTo ? [returnTo] : [] },
    );
  }

  /**
   * RP-Initiated Logout 1.0 3: only a URI among the client's `post_logout_redirect_uris`,
   * character for character (no normalization, as for redirect URIs, RFC 9700 2.1).
   */
  private async returnUri(
    clientId: string | undefined,
    requested: string | undefined,
  ): Promise<string | undefined> {
    if (requested === undefined) return undefined;
    const client = clientId === undefined ? undefined : await this.clients.find(clientId);
    if (!client || !client.postLogoutRedirectUris.includes(requested)) {
      throw invalid('The application gave an address it has not registered.');
    }
    return requested;
  }
}

function invalid(message: string): AuthorizationPageError {
  return new AuthorizationPageError(400, 'This sign-out link is not valid', message);
}
