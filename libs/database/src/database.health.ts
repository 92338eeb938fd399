import { Injectable } from '@nestjs/common';
import { HealthIndicatorResult, HealthIndicatorService } from '@nestjs/terminus';
import { DataSourceRegistry } from './data-source.registry';

const PING_TIMEOUT_MS = 2000;

/** Readiness of every context database this process hosts: each must answer `SELECT 1`. */
@Injectable()
export class DatabaseHealthIndicator {
  constructor(
    private readonly registry: DataSourceRegistry,
    private readonly health: HealthIndicatorService,
  ) {}

  check(): Promise<HealthIndicatorResult[]> {
    return Promise.all(
      this.registry.entries().map(async ([schema, dataSource]) =>
        this.health
          .check(`database:${schema}`)
          .attempt(async () => {
            await dataSource.query('SELECT 1');
          })
          .withTimeout(PING_TIMEOUT_MS),
      ),
    );
  }
}
