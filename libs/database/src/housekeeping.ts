import {
  FactoryProvider,
  Logger,
  OnApplicationBootstrap,
  OnModuleDestroy,
  Type,
} from '@nestjs/common';
import { getDataSourceToken } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { MaintenanceSchedule } from './maintenance-schedule';
import { onceAcrossReplicas } from './once-across-replicas';

/** A context's purges: rows deleted per kind. */
export interface HousekeepingPurge {
  purge(manager: EntityManager): Promise<Record<string, number>>;
}

const INTERVAL_MS = 10 * 60_000;

/**
 * A context's housekeeping: every ten minutes, on one replica at a time, its purge deletes what
 * has stopped mattering, in one transaction. Provide it with `Housekeeping.provider`.
 */
export class Housekeeping implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger: Logger;
  private readonly schedule: MaintenanceSchedule;

  constructor(
    private readonly schema: string,
    private readonly dataSource: DataSource,
    private readonly purge: HousekeepingPurge,
  ) {
    this.logger = new Logger(`Housekeeping ${schema}`);
    this.schedule = new MaintenanceSchedule(`Housekeeping ${schema}`, INTERVAL_MS, () =>
      this.run(),
    );
  }

  /** The provider of a context's housekeeping, with `purge` its purging class. */
  static provider(schema: string, purge: Type<HousekeepingPurge>): FactoryProvider<Housekeeping> {
    return {
      provide: Housekeeping,
      inject: [getDataSourceToken(schema), purge],
      useFactory: (dataSource: DataSource, store: HousekeepingPurge) =>
        new Housekeeping(schema, dataSource, store),
    };
  }

  onApplicationBootstrap(): void {
    this.schedule.start();
  }

  onModuleDestroy(): Promise<void> {
    return this.schedule.stop();
  }

  /** One pass; false when another replica was doing it. */
  run(): Promise<boolean> {
    return onceAcrossReplicas(this.dataSource, `${this.schema}:housekeeping`, async (manager) => {
      const purged = await this.purge.purge(manager);
      if (Object.values(purged).some((count) => count > 0)) {
        this.logger.log(`Purged ${JSON.stringify(purged)}`);
      }
    });
  }
}
