export * from './platform-env';
export * from './load-platform-env';
export * from './platform-config.module';
export * from './token-lifetime';
export * from './key-encryption-key-encoding';
