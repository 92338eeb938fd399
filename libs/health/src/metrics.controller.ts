import { Controller, Get, Header, Res } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { ApiOkResponse, ApiResponse } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { PlatformEnv } from '@platform/config';
import { Metrics } from '@platform/observability';
import { Public } from '@platform/security';
import { NotServedHereError } from './not-served-here.error';

/**
 * `GET /metrics`, Prometheus text, on every process beside its health endpoints; with
 * `METRICS_PORT` set it is served on that port only (`MetricsServer`) and is not found here.
 */
@Public()
@Controller('metrics')
export class MetricsController {
  private readonly servedHere: boolean;

  constructor(
    private readonly metrics: Metrics,
    config: ConfigService<PlatformEnv, true>,
  ) {
    this.servedHere = config.get('METRICS_PORT', { infer: true }) === undefined;
  }

  @Get()
  @Header('cache-control', 'no-store')
  @ApiOkResponse({
    description: 'Prometheus text exposition format 0.0.4',
    content: { 'text/plain': { schema: { type: 'string' } } },
  })
  @ApiResponse({ status: 404, description: 'Served on `METRICS_PORT` instead' })
  async scrape(@Res({ passthrough: true }) reply: FastifyReply): Promise<string> {
    if (!this.servedHere) throw new NotServedHereError();
    void reply.type(this.metrics.contentType);
    return this.metrics.text();
  }
}
