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
  });

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

  it('keeps serving the other DataSources when one is destroyed', async () => {
    await second.destroy();
    expect(await first.query('SELECT value FROM counter WHERE id = 1')).toEqual([{ value: 5 }]);
  });
});
