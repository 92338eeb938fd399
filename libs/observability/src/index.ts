export * from './request-context';
export * from './correlation-id';
export * from './correlation-id.http';
export * from './request-context.interceptor';
export * from './logging.module';
export * from './request-annotations';
export * from './metrics/metrics';
export * from './metrics/metrics.module';
