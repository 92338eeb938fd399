export * from './context-name';
export * from './platform-env';
