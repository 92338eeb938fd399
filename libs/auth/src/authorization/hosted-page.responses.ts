import { BrowserEndpointResponse, HOSTED_PAGE_PATHS } from '@platform/contracts';
import { OAuthClient } from '../clients/oauth-client';
import { AuthorizationPageError } from './authorization.errors';
import { csrfToken } from './csrf-token';
import { consentPage, errorPage, loginPage } from './hosted-pages';
import { PendingAuthorization } from './authorization-request.store';
import { pageResponse } from './page-response';

/** The answers of the hosted pages, each with its CSRF token and what its CSP allows. */
export const HostedPageResponses = {
  login(
    pending: PendingAuthorization,
    client: OAuthClient,
    browserSecret: string,
    outcome: {
      status?: number;
      email?: string;
      error?: string;
      retryAfterSeconds?: number;
      setCookies?: string[];
    } = {},
  ): BrowserEndpointResponse {
    return pageResponse(
      outcome.status ?? 200,
      (nonce) =>
        loginPage(nonce, {
          clientName: client.clientName,
          action: HOSTED_PAGE_PATHS.login,
          fields: [
            { name: 'request', value: pending.id },
            { name: 'csrf_token', value: csrfToken(browserSecret, 'login', pending.id) },
          ],
          email: outcome.email,
          error: outcome.error,
        }),
      {
        // After the post, the browser is sent on to the client (or to the consent page).
        formTargets: [new URL(pending.redirectUri).origin],
        setCookies: outcome.setCookies,
        retryAfterSeconds: outcome.retryAfterSeconds,
      },
    );
  },

  consent(
    pending: PendingAuthorization,
    client: OAuthClient,
    browserSecret: string,
    setCookies: string[] = [],
  ): BrowserEndpointResponse {
    return pageResponse(
      200,
      (nonce) =>
        consentPage(nonce, {
          clientName: client.clientName,
          action: HOSTED_PAGE_PATHS.consent,
          fields: [
            { name: 'request', value: pending.id },
            { name: 'csrf_token', value: csrfToken(browserSecret, 'consent', pending.id) },
          ],
          scopes: pending.scopes,
        }),
      { formTargets: [new URL(pending.redirectUri).origin], setCookies },
    );
  },

  methodNotAllowed(): BrowserEndpointResponse {
    return HostedPageResponses.error(
      new AuthorizationPageError(405, 'Not available', 'This page only takes its form.'),
    );
  },

  error(error: AuthorizationPageError): BrowserEndpointResponse {
    return pageResponse(error.status, (nonce) =>
      errorPage(nonce, { title: error.title, message: error.message }),
    );
  },
};
