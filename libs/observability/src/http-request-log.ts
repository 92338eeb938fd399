import { Injectable, OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance } from 'fastify';
import { PinoLogger } from 'nestjs-pino';
import { routeOf } from './metrics/http-request-metrics';
import { annotationOf } from './request-annotations';

/**
 * One line per HTTP request once its response is sent: method, route pattern, path, status,
 * time, and who asked (principal and client, once authentication knew them), under the
 * request's correlation id. A client's mistake is routine (`info`); only our own failures
 * (5xx) are errors. Headers, bodies and query strings (where a careless client may put a
 * token) are never logged.
 */
@Injectable()
export class HttpRequestLog implements OnModuleInit {
  constructor(
    private readonly adapterHost: HttpAdapterHost,
    private readonly logger: PinoLogger,
  ) {}

  onModuleInit(): void {
    const fastify = this.adapterHost.httpAdapter?.getInstance<FastifyInstance>();
    if (!fastify) return;
    fastify.addHook('onResponse', (request, reply, done) => {
      const level = reply.statusCode >= 500 ? 'error' : 'info';
      const log = this.logger.logger;
      if (log.isLevelEnabled(level)) {
        const who = annotationOf(request);
        log[level](
          {
            correlationId: request.id,
            method: request.method,
            route: routeOf(request),
            // The path only: a query string can carry what no log should (a code, a hint).
            url: request.url.split('?', 1)[0],
            statusCode: reply.statusCode,
            responseTime: Math.round(reply.elapsedTime * 100) / 100,
            principal: who?.principal,
            client: who?.client,
          },
          'request completed',
        );
      }
      done();
    });
  }
}
