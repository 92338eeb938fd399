import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import type { NatsContext } from '@nestjs/microservices';
import type { FastifyRequest } from 'fastify';
import { Observable } from 'rxjs';
import { MessageHeader } from '@platform/contracts';
import { acceptCorrelationId } from './correlation-id';
import { RequestContext, RequestContextData } from './request-context';

/**
 * Runs every HTTP route and message handler inside its `RequestContext`, read from the HTTP
 * request (whose correlation id the logger middleware already settled) or from the NATS headers.
 */
@Injectable()
export class RequestContextInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const data = context.getType() === 'rpc' ? fromMessage(context) : fromHttp(context);
    return new Observable((subscriber) =>
      RequestContext.run(data, () => next.handle().subscribe(subscriber)),
    );
  }
}

function fromHttp(context: ExecutionContext): RequestContextData {
  const request = context.switchToHttp().getRequest<FastifyRequest>();
  return {
    correlationId: request.id,
    traceparent: header(request.headers[MessageHeader.Traceparent]),
    authorization: header(request.headers[MessageHeader.Authorization]),
  };
}

function fromMessage(context: ExecutionContext): RequestContextData {
  const headers = context.switchToRpc().getContext<NatsContext>().getHeaders?.();
  const get = (name: string) => (headers?.has(name) ? headers.get(name) : undefined);
  return {
    correlationId: acceptCorrelationId(get(MessageHeader.CorrelationId)),
    traceparent: get(MessageHeader.Traceparent),
    authorization: get(MessageHeader.Authorization),
  };
}

function header(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}
