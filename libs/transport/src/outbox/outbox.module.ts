import { DynamicModule, Module } from '@nestjs/common';
import { getDataSourceToken } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { ContextName, EVENT_STREAMS } from '@platform/contracts';
import { EventPublisher } from '../event-publisher';
import { Outbox } from './outbox';
import { OutboxMetrics } from './outbox.metrics';
import { OutboxRelay } from './outbox.relay';
import { OutboxWriter } from './outbox.writer';

/**
 * A context's transactional outbox: its `<schema>.outbox` table (see `createOutboxTable`), the
 * `Outbox` its use cases write through, and the relay that publishes what they recorded into
 * the context's event stream (`EVENT_STREAMS`).
 */
@Module({})
export class OutboxModule {
  static forContext(schema: string): DynamicModule {
    const stream = EVENT_STREAMS[schema as ContextName];
    if (!stream) throw new Error(`The contracts declare no event stream for ${schema}`);
    return {
      module: OutboxModule,
      providers: [
        {
          provide: OutboxRelay,
          inject: [getDataSourceToken(schema), EventPublisher, OutboxMetrics],
          useFactory: (dataSource: DataSource, publisher: EventPublisher, metrics: OutboxMetrics) =>
            new OutboxRelay(schema, stream, dataSource, publisher, metrics),
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
