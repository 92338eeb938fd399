import { Controller, Get, UseFilters } from '@nestjs/common';
import { HealthCheck, HealthCheckService } from '@nestjs/terminus';
import { DatabaseHealthIndicator } from '@platform/database';
import { Public, SecurityHealthIndicator } from '@platform/security';
import { TransportHealthIndicator } from '@platform/transport';
import { HealthCheckFilter } from './health-check.filter';

/**
 * Liveness says the process serves HTTP at all (restart it if not); readiness says it can do
 * its work: every hosted context's database and the transport answer, and it holds the keys
 * and revocations that token checks need (send traffic if so).
 */
@Public()
@Controller('health')
@UseFilters(HealthCheckFilter)
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly database: DatabaseHealthIndicator,
    private readonly transport: TransportHealthIndicator,
    private readonly security: SecurityHealthIndicator,
  ) {}

  @Get('live')
  @HealthCheck()
  live() {
    return this.health.check([]);
  }

  @Get('ready')
  @HealthCheck()
  ready() {
    return this.health.check([
      () => this.transport.check(),
      () => this.security.check(),
      async () => Object.assign({}, ...(await this.database.check())),
    ]);
  }
}
