import { Injectable } from '@nestjs/common';
import {
  BrowserEndpointRequest,
  BrowserEndpointResponse,
  normalizeEmail,
} from '@platform/contracts';
import { InvalidCredentialsError } from '../login/invalid-credentials.error';
import { LoginLockedError } from '../login/login-locked.error';
import { CheckedPassword, PasswordCheck } from '../login/password-check';
import { AuthorizationContinuation } from './authorization-continuation';
import { AuthorizationRedirectError } from './authorization.errors';
import { BrowserParams } from './browser-params';
import { answerErrors } from './hosted-page.errors';
import { HostedPageResponses } from './hosted-page.responses';
import { PendingAuthorizations } from './pending-authorizations';
import { SsoSessions } from './sso-sessions';

/** RFC 5321 4.5.3.1.3 and the API login's bounds. */
const MAX_EMAIL_LENGTH = 254;
const MAX_PASSWORD_LENGTH = 128;

/**
 * The hosted login form's submission. The password is checked by `PasswordCheck`, the very
 * check of `POST /v1/auth/login`, under the same brute-force throttle (per account and per
 * address, counted before the hash), so the page is no easier to guess through than the API.
 * A success begins the SSO session and goes on with a 303 (consent or the client); a sign-in
 * as another user than the request's `id_token_hint` names is the client's `login_required`.
 */
@Injectable()
export class LoginFormService {
  constructor(
    private readonly pendings: PendingAuthorizations,
    private readonly passwordCheck: PasswordCheck,
    private readonly sessions: SsoSessions,
    private readonly continuation: AuthorizationContinuation,
  ) {}

  submit(request: BrowserEndpointRequest): Promise<BrowserEndpointResponse> {
    return answerErrors(this.continuation, async () => {
      if (request.method !== 'POST') return HostedPageResponses.methodNotAllowed();
      const params = new BrowserParams(request.params);
      const resumed = await this.pendings.resume(params, request.cookie, 'login');
      const { pending, client, browserSecret } = resumed;
      const email = normalizeEmail(params.get('email') ?? '');
      const password = params.get('password') ?? '';
      const again = (outcome: Parameters<typeof HostedPageResponses.login>[3]) =>
        HostedPageResponses.login(pending, client, browserSecret, { email, ...outcome });
      if (
        !email ||
        !password ||
        params.malformed.length > 0 ||
        email.length > MAX_EMAIL_LENGTH ||
        password.length > MAX_PASSWORD_LENGTH
      ) {
        return again({ status: 400, error: 'Enter your email and password.' });
      }
      // The browser's current session is looked up while the password hash runs.
      const current = this.sessions.current(resumed.cookies);
      current.catch(() => undefined);
      let checked: CheckedPassword<string>;
      try {
        checked = await this.passwordCheck.check(
          { email, password, clientIp: request.clientIp, purpose: 'login' },
          (id) => id,
        );
      } catch (error) {
        if (error instanceof InvalidCredentialsError) {
          return again({ status: 401, error: 'Wrong email or password.' });
        }
        if (error instanceof LoginLockedError) {
          return again({
            status: 429,
            error: 'Too many failed sign-ins. Try again later.',
            retryAfterSeconds: error.retryAfter,
          });
        }
        throw error;
      }
      const { userId, succeeded } = checked;
      // OpenID Connect Core 3.1.2.1: a request with an id_token_hint is answered positively only
      // for the user it names; anyone else's sign-in is refused to the client, before it changes
      // this browser's session.
      if (pending.hintedSubject !== undefined && userId !== pending.hintedSubject) {
        await Promise.all([succeeded(), this.pendings.complete(pending.id)]);
        return this.continuation.error(
          new AuthorizationRedirectError(
            pending.redirectUri,
            pending.state,
            'login_required',
            'The user who signed in is not the one id_token_hint names',
          ),
        );
      }
      const [{ session, setCookie }] = await Promise.all([
        this.sessions.begin(
          userId,
          { clientIp: request.clientIp, userAgent: request.userAgent, clientId: client.clientId },
          await current,
        ),
        succeeded(),
      ]);
      // As for a login at the API (`LoginService`): the hash was read before it was verified
      // and the session begun after, so a password change or a disabling in between may have
      // ended every session before this one began: read it again, and end this one if so.
      if (await checked.changedSince()) {
        return again({
          status: 401,
          error: 'Wrong email or password.',
          setCookies: [await this.sessions.end(session)],
        });
      }
      return this.continuation.proceed(client, pending, session, browserSecret, {
        pending,
        afterPost: true,
        setCookies: [setCookie],
      });
    });
  }
}
