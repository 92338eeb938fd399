export type { TransportOptions } from './transport-options';
export * from './transport.module';
export * from './message-bus';
export * from './transport.health';
export * from './in-process/in-process.broker';
export * from './outbox/outbox.module';
export * from './outbox/outbox';
export * from './outbox/outbox-table';
export * from './nats/nats-connection.access';
