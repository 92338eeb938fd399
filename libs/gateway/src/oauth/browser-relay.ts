import { Injectable, Logger } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import {
  BrowserEndpointRequest,
  BrowserEndpointResponse,
  ErrorCode,
  ServiceError,
} from '@platform/contracts';
import { AuthRelay } from './auth-relay';
import { formParameters } from './form-parameters';

/** Bounds of what is relayed from the browser. */
const MAX_COOKIE_LENGTH = 8192;
const MAX_USER_AGENT_LENGTH = 512;

/**
 * Relays a browser's request for a hosted page to auth, which renders it, and copies the
 * answer out as it is: status, headers (`Set-Cookie`, `Location`, the page's CSP) and HTML.
 * The query of a GET or the form of a POST (never another body), the `Cookie` header and the
 * client's address (`TRUSTED_PROXIES`, for the login throttle) go in the payload; no bearer
 * credential does, only the gateway's service token, without which auth believes no address.
 */
@Injectable()
export class BrowserRelay {
  private readonly logger = new Logger(BrowserRelay.name);

  constructor(private readonly auth: AuthRelay) {}

  async relay(pattern: string, request: FastifyRequest, reply: FastifyReply): Promise<void> {
    const method = request.method === 'POST' ? 'POST' : 'GET';
    const params = method === 'POST' ? postedForm(request) : request.query;
    const cookie = request.headers.cookie;
    const userAgent = request.headers['user-agent'];
    const payload: BrowserEndpointRequest = {
      method,
      params: isParams(params) ? { ...params } : {},
      ...(typeof cookie === 'string' && cookie.length <= MAX_COOKIE_LENGTH ? { cookie } : {}),
      clientIp: request.ip,
      ...(typeof userAgent === 'string'
        ? { userAgent: userAgent.slice(0, MAX_USER_AGENT_LENGTH) }
        : {}),
    };
    const response = await this.auth
      .send<BrowserEndpointResponse>(pattern, payload)
      .catch((error: unknown) => this.unavailable(error));
    await reply
      .status(response.status)
      .headers(response.headers)
      .send(response.body ?? '');
  }

  private unavailable(error: unknown): BrowserEndpointResponse {
    const code = error instanceof ServiceError ? error.code : ErrorCode.Internal;
    const busy = code === ErrorCode.ServiceUnavailable || code === ErrorCode.ServiceTimeout;
    if (!busy) this.logger.error(error);
    return {
      status: busy ? 503 : 500,
      headers: {
        'content-type': 'text/plain; charset=utf-8',
        'cache-control': 'no-store',
        ...(busy ? { 'retry-after': '1' } : {}),
      },
      body: busy ? 'The sign-in service is busy; try again in a moment.' : 'Something went wrong.',
    };
  }
}

/**
 * What a browser posts: a form, or nothing at all. A body of any other type (JSON, which no
 * HTML form sends) is refused with 415 before it goes anywhere, as the JSON routes refuse a
 * form.
 */
function postedForm(request: FastifyRequest): Record<string, string | string[]> | undefined {
  const form = formParameters(request);
  if (!form && request.headers['content-type'] !== undefined) {
    throw new ServiceError(
      ErrorCode.UnsupportedMediaType,
      'A hosted page takes a form: application/x-www-form-urlencoded',
    );
  }
  return form;
}

function isParams(value: unknown): value is Record<string, string | string[]> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
