export * from './context-name';
export * from './platform-env';
export * from './load-platform-env';
