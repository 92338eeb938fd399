import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import type { NatsContext } from '@nestjs/microservices';
import type { FastifyRequest } from 'fastify';
import { PinoLogger } from 'nestjs-pino';
import { Observable } from 'rxjs';
import { MessageHeader, ServiceError } from '@platform/contracts';
import { acceptCorrelationId } from './correlation-id';
import { LabelledChildren, LATENCY_BUCKETS, Metrics } from './metrics/metrics';
import { RequestContext, RequestContextData } from './request-context';

/**
 * Runs every HTTP route and message handler inside its `RequestContext`, read from the HTTP
 * request (whose correlation id Fastify settled) or from the NATS headers, and writes one line
 * and one observation of `message_handled_duration_seconds{subject, outcome}` per message
 * handled (HTTP requests get theirs from `HttpRequestLog` and `HttpRequestMetrics`).
 */
@Injectable()
export class RequestContextInterceptor implements NestInterceptor {
  private readonly handled: LabelledChildren<{ observe(seconds: number): void }>;

  constructor(
    private readonly logger: PinoLogger,
    metrics: Metrics,
  ) {
    const histogram = metrics.histogram({
      name: 'message_handled_duration_seconds',
      help: 'Messages handled, by subject and outcome (ok or the error code), and how long they took',
      labelNames: ['subject', 'outcome'] as const,
      buckets: LATENCY_BUCKETS,
    });
    this.handled = new LabelledChildren((values) =>
      histogram.labels(...(values as [string, string])),
    );
  }

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() !== 'rpc') {
      return new Observable((subscriber) =>
        RequestContext.run(fromHttp(context), () => next.handle().subscribe(subscriber)),
      );
    }
    const subject = context.switchToRpc().getContext<NatsContext>().getSubject();
    const started = performance.now();
    return new Observable((subscriber) =>
      RequestContext.run(fromMessage(context), () =>
        next.handle().subscribe({
          next: (value) => subscriber.next(value),
          error: (error: unknown) => {
            this.logHandled(subject, started, error);
            subscriber.error(error);
          },
          complete: () => {
            this.logHandled(subject, started);
            subscriber.complete();
          },
        }),
      ),
    );
  }

  /** A client's mistake is routine (`info`); only our own failures are errors. */
  private logHandled(subject: string, started: number, error?: unknown): void {
    const elapsed = performance.now() - started;
    const outcome =
      error === undefined ? 'ok' : error instanceof ServiceError ? error.code : 'INTERNAL';
    this.handled.get(subject, outcome).observe(elapsed / 1000);
    const failed = error !== undefined && !(error instanceof ServiceError && error.status < 500);
    const level = failed ? 'error' : 'info';
    const log = this.logger.logger;
    if (!log.isLevelEnabled(level)) return;
    const responseTime = Math.round(elapsed * 100) / 100;
    if (error === undefined) {
      log.info({ subject, responseTime }, 'message handled');
    } else if (error instanceof ServiceError) {
      log[level]({ subject, responseTime, code: error.code }, 'message refused');
    } else {
      log.error({ subject, responseTime, err: error }, 'message failed');
    }
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
