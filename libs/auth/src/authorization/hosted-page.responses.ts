import { BrowserEndpointResponse, HOSTED_PAGE_PATHS } from '@platform/contracts';
import { OAuthClient } from '../clients/oauth-client';
import { AuthorizationPageError } from './authorization.errors';
import { csrfToken } from './csrf-token';
import { consentPage, errorPage, HiddenField, loginPage } from './hosted-pages';
import { PendingAuthorization } from './authorization-request.store';
import { pageReference, pageResponse } from './page-response';

/**
 * The form of a page that continues the request `pending`: it posts the request's id back with
 * a CSRF token bound to this browser and to this page.
 */
function pendingForm(
  pending: PendingAuthorization,
  client: OAuthClient,
  browserSecret: string,
  page: keyof typeof HOSTED_PAGE_PATHS,
): { clientName: string; action: string; fields: HiddenField[] } {
  return {
    clientName: client.clientName,
    action: pageReference(HOSTED_PAGE_PATHS[page]),
    fields: [
      { name: 'request', value: pending.id },
      { name: 'csrf_token', value: csrfToken(browserSecret, page, pending.id) },
    ],
  };
}

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
          ...pendingForm(pending, client, browserSecret, 'login'),
          email: outcome.email,
          error: outcome.error,
        }),
      {
        // After the post, the browser is sent on to the client (or to the consent page).
        formTargets: [pending.redirectUri],
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
          ...pendingForm(pending, client, browserSecret, 'consent'),
          scopes: pending.scopes,
        }),
      { formTargets: [pending.redirectUri], setCookies },
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
