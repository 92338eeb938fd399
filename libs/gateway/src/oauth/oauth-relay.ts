import { Injectable } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import {
  ErrorCode,
  OAuthEndpointRequest,
  OAuthEndpointResponse,
  ServiceError,
} from '@platform/contracts';
import { RevocationList } from '@platform/security';
import { AuthRelay } from './auth-relay';
import { formParameters } from './form-parameters';

const NO_STORE = { 'cache-control': 'no-store', pragma: 'no-cache' };

/**
 * Relays a request to one of auth's OAuth endpoints and copies its HTTP answer out verbatim:
 * the form's parameters, the `Authorization` header (client authentication, RFC 6749 2.3.1)
 * and the client's address go in the payload. The header is not forwarded as the message's
 * credential: it is a client's, not a bearer token. Errors come out as RFC 6749 5.2 says, not
 * as problem documents, since OAuth clients parse those. What the request revoked (RFC 7009
 * revocation, a spent code or refresh token that came back) this gateway denies before it
 * answers, from the reply (see `Revocations`): the client's next request with the token must
 * be refused here (RFC 7009 2.1), whether or not the revocation event has reached it yet.
 */
@Injectable()
export class OAuthRelay {
  constructor(
    private readonly auth: AuthRelay,
    private readonly revocations: RevocationList,
  ) {}

  async relay(pattern: string, request: FastifyRequest, reply: FastifyReply): Promise<void> {
    const form = formParameters(request);
    let response: OAuthEndpointResponse;
    if (!form) {
      response = oauthError(400, 'invalid_request', 'The request must be a form');
    } else {
      const authorization = request.headers.authorization;
      const payload: OAuthEndpointRequest = {
        params: { ...form },
        ...(typeof authorization === 'string' ? { authorization } : {}),
        clientIp: request.ip,
      };
      response = await this.auth
        .send<OAuthEndpointResponse>(pattern, payload)
        .catch((error: unknown) => unavailable(error));
      this.revocations.apply(response.revoked);
    }
    await reply.status(response.status).headers(response.headers).send(response.body);
  }
}

/** RFC 6749 5.2 and 4.1.2.1: what a client hears when auth cannot answer. */
function unavailable(error: unknown): OAuthEndpointResponse {
  const code = error instanceof ServiceError ? error.code : ErrorCode.Internal;
  return code === ErrorCode.ServiceUnavailable || code === ErrorCode.ServiceTimeout
    ? {
        ...oauthError(503, 'temporarily_unavailable', 'Try again later'),
        headers: { ...NO_STORE, 'content-type': 'application/json', 'retry-after': '1' },
      }
    : oauthError(500, 'server_error', 'The authorization server failed');
}

function oauthError(status: number, error: string, description: string): OAuthEndpointResponse {
  return {
    status,
    headers: { ...NO_STORE, 'content-type': 'application/json' },
    body: { error, error_description: description },
  };
}
