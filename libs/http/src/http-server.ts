import { FastifyAdapter } from '@nestjs/platform-fastify';
import type { FastifyInstance } from 'fastify';
import { PlatformEnv } from '@platform/config';
import { correlationIdHttpOptions, exposeCorrelationId } from '@platform/observability';

/**
 * Fastify as every process serves it: bounded bodies, correlation ids as request ids, and no
 * Express-style middleware layer (@fastify/middie), since nothing uses Nest middleware: request
 * logging is a Fastify hook. `request.ip` is the client's address: the connection's, or, when
 * the connection comes from one of `TRUSTED_PROXIES`, the nearest address in `X-Forwarded-For`
 * that is not a trusted proxy itself; an untrusted peer's `X-Forwarded-For` is ignored.
 */
export function createHttpAdapter(env: PlatformEnv): FastifyAdapter {
  return new FastifyAdapter({
    ...correlationIdHttpOptions,
    bodyLimit: env.BODY_LIMIT_BYTES,
    skipMiddie: true,
    trustProxy: env.TRUSTED_PROXIES.length > 0 ? env.TRUSTED_PROXIES : false,
  });
}

export function configureHttpServer(fastify: FastifyInstance): void {
  exposeCorrelationId(fastify);
  // The API speaks JSON only: a text/plain body is refused with 415, not parsed as a string.
  fastify.removeContentTypeParser('text/plain');
}
