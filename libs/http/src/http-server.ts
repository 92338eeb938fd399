import cors from '@fastify/cors';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import type { FastifyInstance } from 'fastify';
import { MessageHeader } from '@platform/contracts';
import { PlatformEnv } from '@platform/config';
import {
  correlationIdHttpOptions,
  exposeCorrelationId,
  runRoutesInRequestContext,
} from '@platform/observability';
import { clientErrorHandler } from './errors/client-error.handler';
import { frameworkErrorHandler } from './errors/framework-error.handler';
import { FORM_CONTENT_TYPE, parseFormBody } from './form-body';
import { JSON_CONTENT_TYPE, jsonBodyParser } from './json-body';
import { addSecurityHeaders, securityHeaders } from './security-headers';
import { closeConnectionsInStages } from './staged-close';

/**
 * Fastify as every process serves it: bounded bodies, correlation ids as request ids, and no
 * Express-style middleware layer (@fastify/middie), since nothing uses Nest middleware: request
 * logging is a Fastify hook. `request.ip` is the client's address: the connection's, or, when
 * the connection comes from one of `TRUSTED_PROXIES`, the nearest address in `X-Forwarded-For`
 * that is not a trusted proxy itself; an untrusted peer's `X-Forwarded-For` is ignored.
 */
export function createHttpAdapter(env: PlatformEnv): FastifyAdapter {
  const adapter = new FastifyAdapter({
    ...correlationIdHttpOptions,
    bodyLimit: env.BODY_LIMIT_BYTES,
    skipMiddie: true,
    trustProxy: env.TRUSTED_PROXIES.length > 0 ? env.TRUSTED_PROXIES : false,
    frameworkErrors: frameworkErrorHandler(securityHeaders()),
    clientErrorHandler: clientErrorHandler(securityHeaders()),
  });
  // Registered before Nest's defaults, which it then leaves out: forms for the OAuth endpoints
  // only, and JSON no deeper than the contracts allow.
  adapter.useBodyParser(
    FORM_CONTENT_TYPE,
    false,
    { bodyLimit: env.BODY_LIMIT_BYTES },
    parseFormBody,
  );
  adapter.useBodyParser(
    JSON_CONTENT_TYPE,
    false,
    { bodyLimit: env.BODY_LIMIT_BYTES },
    jsonBodyParser(adapter.getInstance().getDefaultJsonParser('error', 'error')),
  );
  return adapter;
}

/** Headers a browser may send cross-origin, and those it may read from our answers. */
const CORS_REQUEST_HEADERS = [
  'authorization',
  'content-type',
  MessageHeader.CorrelationId,
  MessageHeader.Traceparent,
];
const CORS_EXPOSED_HEADERS = [
  MessageHeader.CorrelationId,
  'retry-after',
  'www-authenticate',
  'ratelimit-limit',
  'ratelimit-remaining',
  'ratelimit-reset',
  'ratelimit-policy',
];

export async function configureHttpServer(
  fastify: FastifyInstance,
  env: PlatformEnv,
): Promise<void> {
  closeConnectionsInStages(fastify.server);
  exposeCorrelationId(fastify);
  runRoutesInRequestContext(fastify);
  // The API speaks JSON only: a text/plain body is refused with 415, not parsed as a string.
  fastify.removeContentTypeParser('text/plain');
  addSecurityHeaders(fastify);
  if (env.CORS_ORIGINS.length > 0) {
    await fastify.register(cors, {
      origin: env.CORS_ORIGINS,
      methods: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'],
      allowedHeaders: CORS_REQUEST_HEADERS,
      exposedHeaders: CORS_EXPOSED_HEADERS,
      // Bearer tokens, not cookies: no credentials mode.
      credentials: false,
      maxAge: 600,
    });
  }
}
