import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FastifyInstance } from 'fastify';
import helmet from 'helmet';

/**
 * The security headers helmet sets with its defaults (OWASP Secure Headers: nosniff, frame
 * denial to other origins, no referrer, a CSP that lets the API documentation's own scripts run
 * and nothing else, HSTS for deployments behind TLS), computed once. Helmet's defaults do not
 * depend on the request, and running its dozen middlewares on every request cost several
 * per cent of the gateway's time, so they are asked for their headers once and every answer
 * gets the same ones.
 */
export function securityHeaders(): Record<string, string> {
  const headers: Record<string, string> = {};
  const response = {
    setHeader: (name: string, value: string) => {
      headers[name.toLowerCase()] = String(value);
    },
    removeHeader: (name: string) => {
      delete headers[name.toLowerCase()];
    },
  } as unknown as ServerResponse;
  let failure: unknown;
  helmet()({} as IncomingMessage, response, (error?: unknown) => {
    failure = error;
  });
  if (failure) throw failure;
  return headers;
}

export function addSecurityHeaders(fastify: FastifyInstance): void {
  const headers = securityHeaders();
  fastify.addHook('onRequest', (_request, reply, done) => {
    void reply.headers(headers);
    done();
  });
}
