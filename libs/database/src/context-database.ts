import type { DataSourceOptions } from 'typeorm';

/**
 * Everything a context declares about its persistence. The schema name doubles as the
 * TypeORM connection name, so a context's repositories are injected with
 * `@InjectRepository(Entity, schema)`.
 */
export interface ContextDatabase {
  /** PostgreSQL schema the context owns, e.g. `users`. Its migrations table lives in it. */
  schema: string;
  entities: NonNullable<DataSourceOptions['entities']>;
  migrations: NonNullable<DataSourceOptions['migrations']>;
}
