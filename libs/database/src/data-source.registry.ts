import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

/** The DataSources this process opened, one per hosted context, for readiness checks. */
@Injectable()
export class DataSourceRegistry {
  private readonly dataSources = new Map<string, DataSource>();

  add(schema: string, dataSource: DataSource): void {
    this.dataSources.set(schema, dataSource);
  }

  entries(): [string, DataSource][] {
    return [...this.dataSources.entries()];
  }
}
