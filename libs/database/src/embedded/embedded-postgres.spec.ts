import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { EmbeddedPostgres } from './embedded-postgres';

describe('EmbeddedPostgres', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'embedded-postgres-'));
  const embedded = new EmbeddedPostgres(dataDir);
  let first: DataSource;
  let second: DataSource;

  const dataSource = () =>
    new DataSource({ type: 'postgres', driver: embedded.typeormDriver }).initialize();

  beforeAll(async () => {
    await embedded.start();
    [first, second] = [await dataSource(), await dataSource()];
    await first.query('CREATE TABLE counter (id int PRIMARY KEY, value int NOT NULL)');
    await first.query('INSERT INTO counter VALUES (1, 0)');
    // A new data directory runs PGlite's initdb first: seconds on a busy machine.
  }, 30_000);

  afterAll(async () => {
    await first.destroy();
    await embedded.onApplicationShutdown();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('keeps concurrent transactions apart on the single connection, across DataSources', async () => {
    const failing = first.transaction(async (manager) => {
      await manager.query('UPDATE counter SET value = value + 100 WHERE id = 1');
      await new Promise((resolve) => setTimeout(resolve, 20));
      throw new Error('roll me back');
    });
    const succeeding = second.transaction((manager) =>
      manager.query('UPDATE counter SET value = value + 1 WHERE id = 1'),
    );
    await expect(failing).rejects.toThrow('roll me back');
    await succeeding;
    expect(await first.query('SELECT value FROM counter WHERE id = 1')).toEqual([{ value: 1 }]);
  });

  it('reports affected rows, which conditional updates depend on', async () => {
    const [, affected] = await first.query(
      'UPDATE counter SET value = 5 WHERE id = 1 AND value = 1',
    );
    expect(affected).toBe(1);
    const [, none] = await first.query('UPDATE counter SET value = 6 WHERE id = 1 AND value = 1');
    expect(none).toBe(0);
  });

  it('reports errors as PostgreSQL does, with their SQLSTATE', async () => {
    await expect(first.query('INSERT INTO counter VALUES (1, 0)')).rejects.toMatchObject({
      code: '23505',
    });
  });

  describe('prepares each DML text once', () => {
    const prepared = async (text: string) =>
      (
        (await first.query(`SELECT statement FROM pg_prepared_statements`)) as {
          statement: string;
        }[]
      ).filter((row) => row.statement === text);

    it('parses a query once and only binds it afterwards', async () => {
      const text = 'SELECT value FROM counter WHERE id = $1';
      for (let i = 0; i < 3; i++) expect(await first.query(text, [1])).toHaveLength(1);
      expect(await prepared(text)).toHaveLength(1);
    });

    it('prepares a query sent without parameters too, but never a text of several', async () => {
      const text = 'SELECT value AS unbound FROM counter WHERE id = 1';
      for (let i = 0; i < 3; i++) expect(await first.query(text)).toHaveLength(1);
      expect(await prepared(text)).toHaveLength(1);

      // A prepared statement holds one command; PGlite would refuse to parse these two.
      const several = 'UPDATE counter SET value = value WHERE id = 1; SELECT 2';
      await first.query(several);
      expect(await prepared(several)).toEqual([]);
    });

    it('leaves utility statements and queries that fail to parse unprepared', async () => {
      await first.query('CREATE TABLE scratch (id int)');
      await expect(first.query('SELECT nope FROM scratch WHERE id = $1', [1])).rejects.toThrow();
      await expect(first.query('SELECT nope FROM scratch WHERE id = $1', [1])).rejects.toThrow(
        'column "nope" does not exist',
      );
      expect(await prepared('CREATE TABLE scratch (id int)')).toEqual([]);
      expect(await prepared('SELECT nope FROM scratch WHERE id = $1')).toEqual([]);
    });

    it('prepares a statement afresh once its table changed the shape of its result', async () => {
      const text = 'SELECT * FROM scratch WHERE id = $1';
      await first.query('INSERT INTO scratch VALUES (1)');
      expect(await first.query(text, [1])).toEqual([{ id: 1 }]);
      await first.query('ALTER TABLE scratch ADD COLUMN note text');
      // PostgreSQL refuses to run the old plan once; the text is then prepared again.
      await expect(first.query(text, [1])).rejects.toMatchObject({ code: '0A000' });
      expect(await first.query(text, [1])).toEqual([{ id: 1, note: null }]);
      expect(await prepared(text)).toHaveLength(1);
    });
  });

  it('vacuums what single-user PostgreSQL never autovacuums, between transactions', async () => {
    await first.query('CREATE TABLE churn (key text PRIMARY KEY, n int NOT NULL)');
    for (let i = 0; i < 200; i++) {
      await first.query('INSERT INTO churn VALUES ($1, 1)', [`k${i}`]);
      await first.query('DELETE FROM churn WHERE key = $1', [`k${i}`]);
    }
    const state = async () => {
      // Statistics reach the shared counters at a transaction's end, at most once a second.
      await first.query('SELECT pg_stat_force_next_flush()');
      const [row] = await first.query(
        `SELECT n_dead_tup AS dead, last_analyze IS NOT NULL AS analysed
           FROM pg_stat_user_tables WHERE relname = 'churn'`,
      );
      return row as { dead: string; analysed: boolean };
    };
    expect(Number((await state()).dead)).toBeGreaterThan(0);

    // VACUUM cannot run inside a transaction block: it waits for the one client instead.
    const runner = first.createQueryRunner();
    await runner.startTransaction();
    await runner.query('INSERT INTO churn VALUES ($1, 1)', ['held']);
    let vacuumed = false;
    const vacuum = embedded.vacuum().then(() => (vacuumed = true));
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(vacuumed).toBe(false);
    await runner.commitTransaction();
    await runner.release();
    await vacuum;

    expect(await state()).toEqual({ dead: '0', analysed: true });
    expect(await first.query('SELECT key FROM churn')).toEqual([{ key: 'held' }]);
  });

  it('keeps serving the other DataSources when one is destroyed', async () => {
    await second.destroy();
    expect(await first.query('SELECT value FROM counter WHERE id = 1')).toEqual([{ value: 5 }]);
  });
});
