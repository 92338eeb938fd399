import { DataSource } from 'typeorm';
import { scratchContextDatabase, ScratchContextDatabase } from '@platform/database/testing';
import { usersMigrations } from '@platform/migrations/users';
import { createOutboxTable, dropOutboxTable } from './outbox-table';

/** The outbox table a new context's migration creates is the one the landed contexts have. */
describe('createOutboxTable (PostgreSQL)', () => {
  let scratch: ScratchContextDatabase;
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
    scratch = await scratchContextDatabase('outbox_table', {
      schema: 'users',
      entities: [],
      migrations: usersMigrations,
    });
    dataSource = scratch.dataSource;
  });

  afterAll(() => scratch?.drop());

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
