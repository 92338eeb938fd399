import { Controller, Get, OnModuleInit, UseFilters } from '@nestjs/common';
import { DiscoveryService } from '@nestjs/core';
import { HealthCheck, HealthCheckService } from '@nestjs/terminus';
import { DatabaseHealthIndicator } from '@platform/database';
import { Public, SecurityHealthIndicator } from '@platform/security';
import { TransportHealthIndicator } from '@platform/transport';
import { HealthCheckFilter } from './health-check.filter';
import { ContextReadiness, ReadinessIndicator } from './readiness-indicator';

/**
 * Liveness says the process serves HTTP at all (restart it if not); readiness says it can do
 * its work: every hosted context's database and the transport answer, it holds the keys
 * and revocations that token checks need, and each hosted context's own `ContextReadiness`
 * indicators are up (send traffic if so).
 */
@Public()
@Controller('health')
@UseFilters(HealthCheckFilter)
export class HealthController implements OnModuleInit {
  private contexts: ReadinessIndicator[] = [];

  constructor(
    private readonly health: HealthCheckService,
    private readonly database: DatabaseHealthIndicator,
    private readonly transport: TransportHealthIndicator,
    private readonly security: SecurityHealthIndicator,
    private readonly discovery: DiscoveryService,
  ) {}

  onModuleInit(): void {
    this.contexts = this.discovery
      .getProviders({ metadataKey: ContextReadiness.KEY })
      .map((wrapper) => wrapper.instance as ReadinessIndicator);
  }

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
      ...this.contexts.map((indicator) => () => indicator.check()),
    ]);
  }
}
