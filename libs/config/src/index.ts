export * from './platform-env';
export * from './load-platform-env';
export * from './token-lifetime';
