export * from './users.module';
export * from './persistence/users.database';
