export * from './http-server';
export * from './errors/platform-exception.filter';
