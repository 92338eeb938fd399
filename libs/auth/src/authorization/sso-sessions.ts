import { Injectable } from '@nestjs/common';
import { SecurityEventWriter } from '../security-log/security-event.writer';
import { SessionRevocation } from '../sessions/session-revocation.service';
import { BrowserCookies, cookieHash, newCookieValue, PresentedCookies } from './browser-cookies';
import { SsoSession, SsoSessionStore } from './sso-session.store';

/** What is known of the browser a login came from. */
export interface BrowserClient {
  clientIp?: string;
  userAgent?: string;
  /** The OAuth client the user was signing in to, for the security log. */
  clientId: string;
}

/**
 * The SSO session of a browser: found from its cookie, begun by a login on the hosted page,
 * ended by logout. Because it is a row of `auth.sessions`, everything that ends sessions
 * (logout everywhere, a password change, disabling the account) ends it too.
 */
@Injectable()
export class SsoSessions {
  constructor(
    private readonly store: SsoSessionStore,
    private readonly cookies: BrowserCookies,
    private readonly revocation: SessionRevocation,
    private readonly securityLog: SecurityEventWriter,
  ) {}

  /** The live SSO session the browser's cookie names, if any. */
  async current(cookies: PresentedCookies): Promise<SsoSession | undefined> {
    return cookies.session ? this.store.use(cookieHash(cookies.session)) : undefined;
  }

  /**
   * The user proved who they are: the browser's session is renewed under a new cookie when it
   * is theirs, and replaced (the previous one ends) when it was someone else's.
   */
  async begin(
    userId: string,
    client: BrowserClient,
    previous: SsoSession | undefined,
  ): Promise<{ session: SsoSession; setCookie: string }> {
    const token = newCookieValue();
    let session =
      previous?.userId === userId
        ? await this.store.reauthenticate(previous.id, cookieHash(token))
        : undefined;
    if (!session) {
      if (previous) await this.revocation.endSsoSession(previous.userId, previous.id);
      session = await this.store.create(userId, cookieHash(token), client);
    }
    await this.securityLog.append({
      type: 'login_succeeded',
      userId,
      sessionId: session.id,
      details: { clientIp: client.clientIp, clientId: client.clientId },
    });
    return { session, setCookie: this.cookies.set('session', token) };
  }

  /** Ends the session and every grant opened under it; the cookie is to be cleared. */
  async end(session: { id: string; userId: string }): Promise<string> {
    await this.revocation.endSsoSession(session.userId, session.id);
    return this.cookies.clear('session');
  }

  /** The browser's binding cookie, made now when it has none. */
  browserSecret(cookies: PresentedCookies): { secret: string; setCookie?: string } {
    if (cookies.browser) return { secret: cookies.browser };
    const secret = newCookieValue();
    return { secret, setCookie: this.cookies.set('browser', secret) };
  }
}
