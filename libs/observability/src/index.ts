export * from './request-context';
export * from './correlation-id';
export * from './correlation-id.http';
export * from './request-context.interceptor';
export * from './logging.module';
