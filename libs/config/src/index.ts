export * from './platform-env';
export * from './load-platform-env';
