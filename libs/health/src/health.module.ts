import { Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { HealthController } from './health.controller';
import { MetricsController } from './metrics.controller';
import { MetricsServer } from './metrics.server';

/**
 * `GET /health/live`, `GET /health/ready` and `GET /metrics`, served by every process whatever
 * it hosts.
 */
@Module({
  imports: [TerminusModule.forRoot({ logger: false, errorLogStyle: 'json' })],
  controllers: [HealthController, MetricsController],
  providers: [MetricsServer],
})
export class HealthModule {}
