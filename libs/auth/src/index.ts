export * from './auth.module';
export * from './auth.database';
export * from './keys/keys.module';
export * from './keys/signing-key.rotation';
export * from './keys/signing-key.resealing';
export * from './security-log/security-log.verifier';
export * from './keys/signing-key.withdrawal';
export * from './keys/unknown-signing-key.error';
