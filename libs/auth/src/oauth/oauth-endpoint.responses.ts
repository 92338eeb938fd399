import { Logger } from '@nestjs/common';
import { ErrorCode, OAuthEndpointResponse, ServiceError } from '@platform/contracts';
import { OAuthError } from './oauth.error';

/** RFC 6749 5.1: token responses must not be stored by any cache. */
const NO_STORE = { 'cache-control': 'no-store', pragma: 'no-cache' };

const logger = new Logger('OAuthEndpoint');

/** A JSON answer of an OAuth endpoint, never cached. */
export function oauthResponse(body: object, status = 200): OAuthEndpointResponse {
  return {
    status,
    headers: { ...NO_STORE, 'content-type': 'application/json' },
    body: body as Record<string, unknown>,
  };
}

/**
 * RFC 6749 5.2: `invalid_client` may be a 401 "to indicate which HTTP authentication schemes
 * are supported", and must be one, with the challenge of the scheme used, after HTTP Basic;
 * RFC 9110 15.5.2: a 401 always carries `WWW-Authenticate`. Every `invalid_client` here is a
 * 401 (as oidc-provider's and Hydra's are), so every one names Basic (RFC 7617 2), whatever the
 * client tried: the one HTTP authentication scheme these endpoints take.
 */
const BASIC_CHALLENGE = 'Basic realm="oauth2", charset="UTF-8"';

/**
 * An error answer (RFC 6749 5.2), a 401 with the Basic challenge; a refusal that revoked
 * something says what, for the gateway (`OAuthEndpointResponse.revoked`). Anything that is not
 * an `OAuthError` is our fault: logged, and answered as `server_error` with nothing more.
 */
export function oauthErrorResponse(error: unknown): OAuthEndpointResponse {
  if (error instanceof ServiceError && error.code === ErrorCode.RateLimited) {
    const response = oauthResponse(
      { error: 'invalid_request', error_description: 'Too many requests' },
      429,
    );
    response.headers['retry-after'] = String(error.retryAfter ?? 1);
    return response;
  }
  if (error instanceof ServiceError && error.status === 503) {
    const response = oauthResponse(
      { error: 'temporarily_unavailable', error_description: 'Try again later' },
      503,
    );
    response.headers['retry-after'] = String(error.retryAfter ?? 1);
    return response;
  }
  if (!(error instanceof OAuthError)) {
    logger.error(error);
    error = new OAuthError('server_error', 'The authorization server failed');
  }
  const oauthError = error as OAuthError;
  const response = oauthResponse(
    { error: oauthError.error, error_description: oauthError.description },
    oauthError.status,
  );
  if (response.status === 401) response.headers['www-authenticate'] = BASIC_CHALLENGE;
  if (oauthError.revoked) response.revoked = oauthError.revoked;
  return response;
}
