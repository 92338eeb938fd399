import { Global, Module } from '@nestjs/common';
import { HttpRequestMetrics } from './http-request-metrics';
import { Metrics } from './metrics';

/** One `Metrics` registry per application, for every library to declare its metrics in. */
@Global()
@Module({
  providers: [Metrics, HttpRequestMetrics],
  exports: [Metrics],
})
export class MetricsModule {}
