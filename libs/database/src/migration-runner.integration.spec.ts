import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { DataSource, DataSourceOptions, MigrationInterface, QueryRunner } from 'typeorm';
import { runContextMigrations } from './migration-runner';

const ADMIN_URL = process.env.E2E_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const database = `it_migrations_${randomBytes(4).toString('hex')}`;

class CreateThings1700000000000 implements MigrationInterface {
  name = 'CreateThings1700000000000';
  async up(runner: QueryRunner) {
    // A slow migration widens the window in which unserialized runners would collide.
    await runner.query(`SELECT pg_sleep(0.2)`);
    await runner.query(`CREATE TABLE "${schemaOf(runner)}".things (id int PRIMARY KEY)`);
  }
  async down(runner: QueryRunner) {
    await runner.query(`DROP TABLE "${schemaOf(runner)}".things`);
  }
}

/** The schema the runner's DataSource works in (PostgreSQL options have one). */
function schemaOf(runner: QueryRunner): string | undefined {
  return (runner.connection.options as Extract<DataSourceOptions, { type: 'postgres' }>).schema;
}

function contextDataSource(schema: string): DataSource {
  const url = new URL(ADMIN_URL);
  url.pathname = `/${database}`;
  return new DataSource({
    type: 'postgres',
    url: url.toString(),
    schema,
    migrations: [CreateThings1700000000000],
    migrationsTableName: 'migrations',
  });
}

async function admin(sql: string): Promise<void> {
  const client = new Client({ connectionString: ADMIN_URL });
  await client.connect();
  await client.query(sql).finally(() => client.end());
}

describe('runContextMigrations (PostgreSQL)', () => {
  const opened: DataSource[] = [];
  const open = async (schema: string) => {
    const dataSource = await contextDataSource(schema).initialize();
    opened.push(dataSource);
    return dataSource;
  };

  beforeAll(() => admin(`CREATE DATABASE ${database}`));
  afterAll(async () => {
    await Promise.all(opened.map((d) => d.destroy()));
    await admin(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
  });

  it('gives each context its own schema and migrations table', async () => {
    const alpha = await open('alpha');
    const beta = await open('beta');
    await runContextMigrations(alpha, 'alpha');
    await runContextMigrations(beta, 'beta');
    const tables = await alpha.query(
      `SELECT table_schema || '.' || table_name AS name FROM information_schema.tables
        WHERE table_schema IN ('alpha', 'beta') ORDER BY 1`,
    );
    expect(tables.map((t: { name: string }) => t.name)).toEqual([
      'alpha.migrations',
      'alpha.things',
      'beta.migrations',
      'beta.things',
    ]);
  });

  it('lets replicas starting together apply each migration exactly once', async () => {
    const replicas = await Promise.all([open('gamma'), open('gamma'), open('gamma')]);
    await Promise.all(replicas.map((replica) => runContextMigrations(replica, 'gamma')));
    expect(await replicas[0].query(`SELECT name FROM gamma.migrations`)).toEqual([
      { name: 'CreateThings1700000000000' },
    ]);
  });

  it('is a no-op when nothing is pending, and migrations can be reverted', async () => {
    const alpha = await open('alpha');
    await runContextMigrations(alpha, 'alpha');
    expect(await alpha.query(`SELECT count(*)::int AS n FROM alpha.migrations`)).toEqual([
      { n: 1 },
    ]);
    await alpha.undoLastMigration();
    expect(await alpha.query(`SELECT to_regclass('alpha.things') AS t`)).toEqual([{ t: null }]);
  });
});
