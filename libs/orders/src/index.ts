export * from './orders.module';
export * from './orders.database';
