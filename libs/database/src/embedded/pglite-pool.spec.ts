import { PGlite } from '@electric-sql/pglite';
import { DataSource } from 'typeorm';
import { createPgliteDriver } from './pglite-pool';

describe('createPgliteDriver', () => {
  let db: PGlite;
  let dataSource: DataSource;

  beforeAll(async () => {
    db = await PGlite.create();
    dataSource = await new DataSource({
      type: 'postgres',
      driver: createPgliteDriver(db),
    }).initialize();
    await dataSource.query('CREATE TABLE counter (id int PRIMARY KEY, value int NOT NULL)');
    await dataSource.query('INSERT INTO counter VALUES (1, 0)');
  });

  afterAll(async () => {
    await dataSource.destroy();
    await db.close();
  });

  it('keeps concurrent transactions apart on the single connection', async () => {
    const failing = dataSource.transaction(async (manager) => {
      await manager.query('UPDATE counter SET value = value + 100 WHERE id = 1');
      await new Promise((resolve) => setTimeout(resolve, 20));
      throw new Error('roll me back');
    });
    const succeeding = dataSource.transaction((manager) =>
      manager.query('UPDATE counter SET value = value + 1 WHERE id = 1'),
    );
    await expect(failing).rejects.toThrow('roll me back');
    await succeeding;
    expect(await dataSource.query('SELECT value FROM counter WHERE id = 1')).toEqual([
      { value: 1 },
    ]);
  });

  it('reports affected rows, which conditional updates depend on', async () => {
    const [, affected] = await dataSource.query(
      'UPDATE counter SET value = 5 WHERE id = 1 AND value = 1',
    );
    expect(affected).toBe(1);
    const [, none] = await dataSource.query(
      'UPDATE counter SET value = 6 WHERE id = 1 AND value = 1',
    );
    expect(none).toBe(0);
  });
});
