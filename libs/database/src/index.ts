export * from './context-database';
export * from './database-options';
export * from './database.module';
export * from './database.health';
export * from './migration-runner';
export * from './unique-violation';
export * from './maintenance-schedule';
