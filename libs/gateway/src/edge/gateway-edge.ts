import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { InternalError, ServiceError } from '@platform/contracts';
import { sendProblem } from '@platform/http';
import { RequestContext } from '@platform/observability';
import { AccessTokenVerifier, bearerTokenIn, Principal } from '@platform/security';
import {
  EdgeRateLimiter,
  RateLimitedError,
  RateLimitVerdict,
} from '../rate-limit/edge-rate-limiter';
import { CredentialTranslation } from './credential-translation';

/**
 * The OAuth endpoints authenticate clients themselves (RFC 6749 2.3): their `Authorization`
 * header is a client's credential, never a legacy client's nor an API token to translate.
 */
function isOAuthEndpoint(request: FastifyRequest): boolean {
  return request.url.startsWith(OAUTH_PATH_PREFIX);
}

const OAUTH_PATH_PREFIX = '/oauth2/';

/**
 * What the gateway does to every request before it is routed, in one Fastify `onRequest` hook,
 * so a refused request costs no body parsing and reaches no handler:
 * 1. the client address's rate limit (the address is `request.ip`, which `TRUSTED_PROXIES`
 *    decides), before any other work;
 * 2. an API token or legacy credential is replaced by the internal access token it stands for;
 * 3. the principal's and the client's rate limits, for a token the verifier accepts (the guard
 *    then refuses any other, after the address was counted).
 * A route no limit covers (probes, documents, all public) gets none of it.
 * Every limited answer carries `RateLimit-Limit`, `-Remaining`, `-Reset` and `-Policy`
 * (draft-ietf-httpapi-ratelimit-headers) for its tightest limit; a refusal is 429 with
 * `Retry-After`.
 */
@Injectable()
export class GatewayEdge implements OnModuleInit {
  private readonly logger = new Logger(GatewayEdge.name);

  constructor(
    private readonly adapterHost: HttpAdapterHost,
    private readonly limiter: EdgeRateLimiter,
    private readonly credentials: CredentialTranslation,
    private readonly verifier: AccessTokenVerifier,
  ) {}

  onModuleInit(): void {
    const fastify = this.adapterHost.httpAdapter?.getInstance<FastifyInstance>();
    fastify?.addHook('onRequest', (request, reply) =>
      RequestContext.run({ correlationId: request.id }, () => this.admit(request, reply)),
    );
  }

  private async admit(request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply | void> {
    try {
      const limits = this.limiter.limitsFor(request.method, request.routeOptions.url);
      // An exempt route (probes, documents) is public and counted by no limit, so a credential
      // checked there would be an unlimited guessing oracle: it is not translated, nor read.
      if (!limits) return;
      const byAddress = this.enforce(reply, await this.limiter.address(limits, request.ip));
      const header = request.headers.authorization;
      if (typeof header !== 'string' || isOAuthEndpoint(request)) return;
      const replacement = await this.credentials.translate(header, request);
      if (replacement) request.headers.authorization = replacement;
      const principal = await this.principalOf(request, replacement ?? header);
      if (principal) {
        const byPrincipal = await this.limiter.principal(limits, principal);
        if (!byPrincipal.allowed || byPrincipal.tightest.remaining < byAddress.tightest.remaining) {
          this.enforce(reply, byPrincipal);
        }
      }
    } catch (error) {
      if (!(error instanceof ServiceError)) this.logger.error(error);
      sendProblem(error instanceof ServiceError ? error : new InternalError(), request, reply);
      return reply;
    }
  }

  /** Reports the verdict's tightest limit in the headers; throws 429 if it refused. */
  private enforce(reply: FastifyReply, verdict: RateLimitVerdict): RateLimitVerdict {
    const { allowed, tightest } = verdict;
    void reply.headers({
      'ratelimit-limit': tightest.limit,
      'ratelimit-remaining': tightest.remaining,
      'ratelimit-reset': tightest.resetSeconds,
      'ratelimit-policy': `${tightest.limit};w=${tightest.windowSeconds}`,
    });
    if (!allowed) throw new RateLimitedError(tightest.dimension, tightest.resetSeconds);
    return verdict;
  }

  /**
   * The verified principal of a bearer token; none for anything the guard will refuse. Verified
   * for `request`, so the guard's verification of the same header takes it as verified here
   * (checking key, expiry and revocation again) instead of looking the token up anew.
   */
  private async principalOf(
    request: FastifyRequest,
    header: string,
  ): Promise<Principal | undefined> {
    const token = bearerTokenIn(header);
    if (token === undefined) return undefined;
    return this.verifier.verify(token, undefined, request).catch(() => undefined);
  }
}
