import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { runContextMigrations } from '@platform/database';
import { usersMigrations } from '@platform/migrations/users';
import { createOutboxTable, dropOutboxTable } from './outbox-table';

const ADMIN_URL = process.env.E2E_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const database = `it_outbox_table_${randomBytes(4).toString('hex')}`;

async function admin(sql: string): Promise<void> {
  const client = new Client({ connectionString: ADMIN_URL });
  await client.connect();
  await client.query(sql).finally(() => client.end());
}

/** The outbox table a new context's migration creates is the one the landed contexts have. */
describe('createOutboxTable (PostgreSQL)', () => {
  let dataSource: DataSource;

  /** Columns and indexes of `<schema>.outbox`, with the schema's name taken out. */
  async function shapeOf(schema: string) {
    const columns = await dataSource.query(
      `SELECT column_name, data_type, is_nullable, column_default FROM information_schema.columns
        WHERE table_schema = $1 AND table_name = 'outbox' ORDER BY ordinal_position`,
      [schema],
    );
    const indexes: { indexdef: string }[] = await dataSource.query(
      `SELECT indexdef FROM pg_indexes WHERE schemaname = $1 AND tablename = 'outbox'
        ORDER BY indexname`,
      [schema],
    );
    return { columns, indexes: indexes.map(({ indexdef }) => indexdef.replaceAll(schema, 'S')) };
  }

  beforeAll(async () => {
    await admin(`CREATE DATABASE ${database}`);
    const url = Object.assign(new URL(ADMIN_URL), { pathname: `/${database}` });
    dataSource = await new DataSource({
      type: 'postgres',
      url: url.toString(),
      schema: 'users',
      migrations: usersMigrations,
      migrationsTableName: 'migrations',
    }).initialize();
    await runContextMigrations(dataSource, 'users');
  });

  afterAll(async () => {
    await dataSource?.destroy();
    await admin(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
  });

  it('creates the table and index the first migrations of auth and users created', async () => {
    const runner = dataSource.createQueryRunner();
    try {
      await runner.query(`CREATE SCHEMA probe`);
      await createOutboxTable(runner, 'probe');
      expect(await shapeOf('probe')).toEqual(await shapeOf('users'));
      expect((await shapeOf('probe')).columns).toHaveLength(6);

      await dropOutboxTable(runner, 'probe');
      expect((await shapeOf('probe')).columns).toEqual([]);
    } finally {
      await runner.release();
    }
  });
});
