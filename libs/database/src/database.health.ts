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

  async check(): Promise<HealthIndicatorResult[]> {
    return Promise.all(
      this.registry.entries().map(async ([schema, dataSource]) => {
        const indicator = this.health.check(`database:${schema}`);
        try {
          await withTimeout(dataSource.query('SELECT 1'), PING_TIMEOUT_MS);
          return indicator.up();
        } catch (error) {
          return indicator.down({ message: (error as Error).message });
        }
      }),
    );
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
