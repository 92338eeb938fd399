import { Injectable } from '@nestjs/common';
import { ClientRegistry } from '../clients/client-registry';
import { OAuthClient } from '../clients/oauth-client';
import { isRegisteredRedirectUri } from '../clients/registered-redirect-uri';
import { AuthorizationPageError } from './authorization.errors';
import { AuthorizationRequestStore, PendingAuthorization } from './authorization-request.store';
import { BrowserCookies, cookieHash, PresentedCookies } from './browser-cookies';
import { BrowserParams } from './browser-params';
import { CsrfPurpose, csrfTokenMatches } from './csrf-token';

/** A pending request picked up again by the browser that made it. */
export interface ResumedAuthorization {
  pending: PendingAuthorization;
  client: OAuthClient;
  browserSecret: string;
  cookies: PresentedCookies;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Authorization requests between the authorization endpoint and the login or consent form:
 * held for the browser that made them, and resumed only by it, with the form's CSRF token.
 */
@Injectable()
export class PendingAuthorizations {
  constructor(
    private readonly store: AuthorizationRequestStore,
    private readonly clients: ClientRegistry,
    private readonly cookies: BrowserCookies,
  ) {}

  async hold(
    request: Omit<PendingAuthorization, 'id'>,
    browserSecret: string,
  ): Promise<PendingAuthorization> {
    const id = await this.store.create(cookieHash(browserSecret), request);
    return { ...request, id };
  }

  /**
   * The pending request a form or page names, if this browser made it and, for a form
   * (`purpose`), the form's CSRF token is this browser's: 403 otherwise, with nothing changed.
   */
  async resume(
    params: BrowserParams,
    cookieHeader: string | undefined,
    purpose?: CsrfPurpose,
  ): Promise<ResumedAuthorization> {
    const cookies = this.cookies.read(cookieHeader);
    const id = params.get('request');
    const browserSecret = cookies.browser;
    if (
      purpose &&
      (!id || !csrfTokenMatches(params.get('csrf_token'), browserSecret, purpose, id))
    ) {
      throw new AuthorizationPageError(
        403,
        'This form has expired',
        'The form was not sent from this browser, or it is too old. Go back to the application and sign in again.',
      );
    }
    const pending =
      id && UUID.test(id) && browserSecret
        ? await this.store.find(id, cookieHash(browserSecret))
        : undefined;
    const client = pending && (await this.clients.find(pending.clientId));
    if (!pending || !client || !browserSecret) {
      throw new AuthorizationPageError(
        400,
        'This sign-in has expired',
        'Go back to the application and sign in again.',
      );
    }
    // The client may have dropped the redirect URI since the request was made: none of its
    // responses goes there any more (RFC 6749 3.1.2.2).
    if (!isRegisteredRedirectUri(client, pending.redirectUri)) {
      throw new AuthorizationPageError(
        400,
        'This sign-in link is not valid',
        'The application that sent you here no longer accepts this address.',
      );
    }
    return { pending, client, browserSecret, cookies };
  }

  authenticated(id: string, sessionId: string): Promise<void> {
    return this.store.authenticated(id, sessionId);
  }

  complete(id: string): Promise<void> {
    return this.store.complete(id);
  }
}
