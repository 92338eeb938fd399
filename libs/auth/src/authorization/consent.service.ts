import { Injectable } from '@nestjs/common';
import { BrowserEndpointRequest, BrowserEndpointResponse } from '@platform/contracts';
import { SecurityEventWriter } from '../security-log/security-event.writer';
import { AuthorizationContinuation } from './authorization-continuation';
import { AuthorizationPageError, AuthorizationRedirectError } from './authorization.errors';
import { BrowserParams } from './browser-params';
import { ConsentStore } from './consent.store';
import { answerErrors } from './hosted-page.errors';
import { HostedPageResponses } from './hosted-page.responses';
import { PendingAuthorizations } from './pending-authorizations';
import { SsoSessions } from './sso-sessions';

/**
 * The consent page and its answer. Consent is remembered per user, client and scope, so a
 * client asking again for what it was granted is not shown the page again; a denial is the
 * client's `access_denied` (RFC 6749 4.1.2.1).
 */
@Injectable()
export class ConsentService {
  constructor(
    private readonly pendings: PendingAuthorizations,
    private readonly sessions: SsoSessions,
    private readonly consents: ConsentStore,
    private readonly continuation: AuthorizationContinuation,
    private readonly securityLog: SecurityEventWriter,
  ) {}

  consent(request: BrowserEndpointRequest): Promise<BrowserEndpointResponse> {
    return answerErrors(this.continuation, async () => {
      const params = new BrowserParams(request.params);
      const isPost = request.method === 'POST';
      const resumed = await this.pendings.resume(
        params,
        request.cookie,
        isPost ? 'consent' : undefined,
      );
      const { pending, client, browserSecret, cookies } = resumed;
      // The consent belongs to the user who signed in for this request, in this browser.
      const session = await this.sessions.current(cookies);
      if (!session || session.id !== pending.sessionId) {
        throw new AuthorizationPageError(
          400,
          'This sign-in has expired',
          'Go back to the application and sign in again.',
        );
      }
      if (!isPost) return HostedPageResponses.consent(pending, client, browserSecret);
      const decision = params.get('decision');
      if (decision === 'deny') {
        await this.pendings.complete(pending.id);
        return this.continuation.error(
          new AuthorizationRedirectError(
            pending.redirectUri,
            pending.state,
            'access_denied',
            'The user did not allow access',
          ),
        );
      }
      if (decision !== 'allow') {
        throw new AuthorizationPageError(400, 'Choose Allow or Deny', 'The form was incomplete.');
      }
      await this.consents.grant(session.userId, client.clientId, pending.scopes);
      await this.securityLog.append({
        type: 'consent_granted',
        userId: session.userId,
        sessionId: session.id,
        details: { clientId: client.clientId, scopes: pending.scopes },
      });
      return this.continuation.issueCode(client, pending, session, [], pending);
    });
  }
}
