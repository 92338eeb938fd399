import { Injectable, OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance } from 'fastify';
import { LabelledChildren, LATENCY_BUCKETS, Metrics } from './metrics';

/**
 * `http_request_duration_seconds{method, route, status}`: every HTTP request this process
 * answered, by route pattern (`/v1/orders/:id`, never the path, so ids do not become labels)
 * and status; its `_count` is the number of requests.
 */
@Injectable()
export class HttpRequestMetrics implements OnModuleInit {
  constructor(
    private readonly adapterHost: HttpAdapterHost,
    private readonly metrics: Metrics,
  ) {}

  onModuleInit(): void {
    const fastify = this.adapterHost.httpAdapter?.getInstance<FastifyInstance>();
    if (!fastify) return;
    const histogram = this.metrics.histogram({
      name: 'http_request_duration_seconds',
      help: 'HTTP requests answered, by method, route pattern and status, and how long they took',
      labelNames: ['method', 'route', 'status'] as const,
      buckets: LATENCY_BUCKETS,
    });
    const children = new LabelledChildren((values) =>
      histogram.labels(...(values as [string, string, string])),
    );
    fastify.addHook('onResponse', (request, reply, done) => {
      children
        .get(request.method, routeOf(request), String(reply.statusCode))
        .observe(reply.elapsedTime / 1000);
      done();
    });
  }
}

/** The route pattern a request matched; one label for everything that matched none. */
export function routeOf(request: { routeOptions: { url?: string } }): string {
  return request.routeOptions.url ?? '(unmatched)';
}
