import type { IncomingHttpHeaders } from 'node:http';
import type { FastifyInstance } from 'fastify';
import { MessageHeader } from '@platform/contracts';
import { acceptCorrelationId } from './correlation-id';

/**
 * Fastify's request id *is* the correlation id: taken from `x-correlation-id` when the client
 * sent a usable one, new otherwise. The logger, the error responses and `MessageBus` all read it
 * from there.
 */
export const correlationIdHttpOptions = {
  requestIdHeader: false as const,
  genReqId: (request: { headers: IncomingHttpHeaders }) =>
    acceptCorrelationId(request.headers[MessageHeader.CorrelationId]),
};

/** Echoes the correlation id on every response, errors included, so clients can quote it. */
export function exposeCorrelationId(fastify: FastifyInstance): void {
  fastify.addHook('onRequest', (request, reply, done) => {
    void reply.header(MessageHeader.CorrelationId, request.id);
    done();
  });
}
