export * from './auth.module';
export * from './persistence/auth.database';
export * from './keys/keys.module';
export * from './keys/signing-key.service';
