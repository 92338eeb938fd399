import { Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { TerminusModule } from '@nestjs/terminus';
import { HealthController } from './health.controller';
import { MetricsController } from './metrics.controller';
import { MetricsServer } from './metrics.server';

/**
 * `GET /health/live`, `GET /health/ready` and `GET /metrics`, served by every process whatever
 * it hosts.
 */
@Module({
  imports: [TerminusModule.forRoot({ logger: false, errorLogStyle: 'json' }), DiscoveryModule],
  controllers: [HealthController, MetricsController],
  providers: [MetricsServer],
})
export class HealthModule {}
