import { Logger } from '@nestjs/common';
import { BrowserEndpointResponse, ServiceError } from '@platform/contracts';
import type { AuthorizationContinuation } from './authorization-continuation';
import { AuthorizationPageError, AuthorizationRedirectError } from './authorization.errors';
import { HostedPageResponses } from './hosted-page.responses';

const logger = new Logger('HostedPages');

/**
 * Runs a hosted page's work and answers its refusals: a page error as an error page, a
 * redirect error at the client's verified redirect URI; anything else is our fault, logged,
 * and an error page that says so (never a redirect, never a stack trace).
 */
export async function answerErrors(
  continuation: AuthorizationContinuation,
  work: () => Promise<BrowserEndpointResponse>,
): Promise<BrowserEndpointResponse> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof AuthorizationRedirectError) return continuation.error(error);
    if (error instanceof AuthorizationPageError) return HostedPageResponses.error(error);
    if (error instanceof ServiceError && error.status >= 500 && error.status !== 500) {
      // Another context is unavailable or slow: a moment later may work.
      return HostedPageResponses.error(
        new AuthorizationPageError(503, 'Try again in a moment', 'The service is busy.'),
      );
    }
    logger.error(error);
    return HostedPageResponses.error(
      new AuthorizationPageError(500, 'Something went wrong', 'Please try again in a moment.'),
    );
  }
}
