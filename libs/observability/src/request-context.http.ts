import type { FastifyInstance, FastifyRequest } from 'fastify';
import { MessageHeader } from '@platform/contracts';
import { RequestContext } from './request-context';

/**
 * Runs every route's handler (guards, pipes, filters and the work it starts) inside the
 * request's `RequestContext`, from a `preHandler` hook: Fastify calls the handler from the
 * hook's `done`, so everything it does inherits the context. The hook runs after the body is
 * parsed and after the `onRequest` hooks, so the authorization is the one the gateway's edge
 * left (an API token already translated). A hook rather than a Nest interceptor: any
 * interceptor makes Nest run every handler through a chain of Observables.
 */
export function runRoutesInRequestContext(fastify: FastifyInstance): void {
  fastify.addHook('preHandler', (request, _reply, done) => {
    RequestContext.run(
      {
        correlationId: request.id,
        traceparent: header(request, MessageHeader.Traceparent),
        authorization: header(request, MessageHeader.Authorization),
      },
      done,
    );
  });
}

function header(request: FastifyRequest, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}
