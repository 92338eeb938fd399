import { DynamicModule, Module } from '@nestjs/common';
import { getDataSourceToken } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { MessageBus } from '../message-bus';
import { Outbox } from './outbox';
import { OutboxMetrics } from './outbox.metrics';
import { OutboxRelay } from './outbox.relay';
import { OutboxWriter } from './outbox.writer';

/**
 * A context's transactional outbox: its `<schema>.outbox` table (see `createOutboxTable`), the
 * `Outbox` its use cases write through, and the relay that publishes what they recorded.
 */
@Module({})
export class OutboxModule {
  static forContext(schema: string): DynamicModule {
    return {
      module: OutboxModule,
      providers: [
        {
          provide: OutboxRelay,
          inject: [getDataSourceToken(schema), MessageBus, OutboxMetrics],
          useFactory: (dataSource: DataSource, bus: MessageBus, metrics: OutboxMetrics) =>
            new OutboxRelay(schema, dataSource, bus, metrics),
        },
        {
          provide: Outbox,
          inject: [getDataSourceToken(schema), OutboxRelay],
          useFactory: (dataSource: DataSource, relay: OutboxRelay) =>
            new Outbox(dataSource, new OutboxWriter(schema), relay),
        },
      ],
      exports: [Outbox],
    };
  }
}
