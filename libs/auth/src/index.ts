export * from './auth.module';
export * from './persistence/auth.database';
