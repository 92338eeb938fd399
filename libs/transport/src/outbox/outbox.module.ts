import { DynamicModule, Module } from '@nestjs/common';
import { getDataSourceToken } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { MessageBus } from '../message-bus';
import { OutboxRelay } from './outbox.relay';
import { OutboxWriter } from './outbox.writer';

/** A context's transactional outbox: its `<schema>.outbox` table, writer and relay. */
@Module({})
export class OutboxModule {
  static forContext(schema: string): DynamicModule {
    return {
      module: OutboxModule,
      providers: [
        { provide: OutboxWriter, useValue: new OutboxWriter(schema) },
        {
          provide: OutboxRelay,
          inject: [getDataSourceToken(schema), MessageBus],
          useFactory: (dataSource: DataSource, bus: MessageBus) =>
            new OutboxRelay(schema, dataSource, bus),
        },
      ],
      exports: [OutboxWriter, OutboxRelay],
    };
  }
}
