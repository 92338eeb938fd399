import { Injectable } from '@nestjs/common';
import { BrowserEndpointRequest, BrowserEndpointResponse } from '@platform/contracts';
import { AuthorizationContinuation } from './authorization-continuation';
import { AuthorizationRequestParser } from './authorization-request.parser';
import { AuthorizationRedirectError } from './authorization.errors';
import { BrowserCookies } from './browser-cookies';
import { BrowserParams } from './browser-params';
import { answerErrors } from './hosted-page.errors';
import { HostedPageResponses } from './hosted-page.responses';
import { PendingAuthorizations } from './pending-authorizations';
import { SsoSessions } from './sso-sessions';

/**
 * The authorization endpoint (RFC 6749 3.1, 4.1.1; OpenID Connect Core 3.1.2). A browser with
 * a live SSO session that satisfies `prompt`, `max_age` and `id_token_hint` is not asked to sign
 * in again, for this client or any other; otherwise it gets the login page (or, with
 * `prompt=none`, the client gets `login_required`).
 */
@Injectable()
export class AuthorizeService {
  constructor(
    private readonly parser: AuthorizationRequestParser,
    private readonly cookies: BrowserCookies,
    private readonly sessions: SsoSessions,
    private readonly pendings: PendingAuthorizations,
    private readonly continuation: AuthorizationContinuation,
  ) {}

  authorize(request: BrowserEndpointRequest): Promise<BrowserEndpointResponse> {
    return answerErrors(this.continuation, async () => {
      const { client, ...rest } = await this.parser.parse(new BrowserParams(request.params));
      const parameters = { ...rest, clientId: client.clientId };
      const presented = this.cookies.read(request.cookie);
      const browser = this.sessions.browserSecret(presented);
      const setCookies = browser.setCookie ? [browser.setCookie] : [];
      const session = await this.sessions.current(presented);
      const now = Math.floor(Date.now() / 1000);
      // OpenID Connect Core 3.1.2.1: max_age=0 is prompt=login, whatever the clock's grain.
      const reauthenticate = parameters.prompt.includes('login') || parameters.maxAge === 0;
      const satisfies =
        session !== undefined &&
        !reauthenticate &&
        (parameters.maxAge === undefined || now - session.authTime <= parameters.maxAge) &&
        (parameters.hintedSubject === undefined || session.userId === parameters.hintedSubject);
      if (satisfies) {
        return this.continuation.proceed(client, parameters, session, browser.secret, {
          setCookies,
        });
      }
      if (parameters.prompt.includes('none')) {
        // OpenID Connect Core 3.1.2.6.
        const error = new AuthorizationRedirectError(
          parameters.redirectUri,
          parameters.state,
          'login_required',
          'The user is not signed in',
        );
        return this.continuation.error(error, setCookies);
      }
      const pending = await this.pendings.hold(parameters, browser.secret);
      return HostedPageResponses.login(pending, client, browser.secret, { setCookies });
    });
  }
}
