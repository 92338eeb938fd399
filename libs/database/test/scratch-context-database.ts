import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { ContextDatabase } from '../src/context-database';
import { runContextMigrations } from '../src/migration-runner';

const ADMIN_URL = process.env.E2E_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

/** A PostgreSQL database of an integration spec's own, dropped when the spec is done with it. */
export interface ScratchContextDatabase {
  /** Its URL, for what opens the database itself. */
  url: string;
  /** A DataSource on the context's schema with its migrations run, when one was asked for. */
  dataSource: DataSource;
  drop(): Promise<void>;
}

/**
 * Creates a database named after `purpose` on the local PostgreSQL and, for `context`, opens a
 * DataSource on its schema and runs its migrations, as the platform does at start-up.
 */
export async function scratchContextDatabase(
  purpose: string,
  context: ContextDatabase,
): Promise<ScratchContextDatabase> {
  const name = `it_${purpose}_${randomBytes(4).toString('hex')}`;
  await admin(`CREATE DATABASE ${name}`);
  const url = Object.assign(new URL(ADMIN_URL), { pathname: `/${name}` }).toString();
  const dataSource = await new DataSource({
    type: 'postgres',
    url,
    schema: context.schema,
    entities: context.entities,
    migrations: context.migrations,
    migrationsTableName: 'migrations',
  }).initialize();
  await runContextMigrations(dataSource, context.schema);
  return {
    url,
    dataSource,
    drop: async () => {
      await dataSource.destroy();
      await admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    },
  };
}

async function admin(sql: string): Promise<void> {
  const client = new Client({ connectionString: ADMIN_URL });
  await client.connect();
  await client.query(sql).finally(() => client.end());
}
