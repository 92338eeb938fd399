import { DiscoveryService } from '@nestjs/core';
import type { HealthIndicatorResult } from '@nestjs/terminus';

/** What a hosted context adds to `GET /health/ready`: whether it can do its work now. */
export interface ReadinessIndicator {
  check(): Promise<HealthIndicatorResult> | HealthIndicatorResult;
}

/**
 * Marks a context's provider as a `ReadinessIndicator`: readiness consults every one the
 * process holds, so a context's own condition (auth holding a key it can sign with) counts
 * only where that context is hosted, and no shared library names the context.
 */
export const ContextReadiness = DiscoveryService.createDecorator<void>();
