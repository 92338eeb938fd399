import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { EmbeddedPostgres } from './embedded/embedded-postgres';
import { isUnstorableText } from './unstorable-text';

const POSTGRES_URL = process.env.E2E_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

/** Whether the database's refusal of `sql` with `parameter` counts as unstorable text. */
async function refusal(dataSource: DataSource, sql: string, parameter: unknown): Promise<boolean> {
  const error: unknown = await dataSource.query(sql, [parameter]).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeDefined();
  return isUnstorableText(error);
}

describe.each(['PostgreSQL', 'embedded PostgreSQL (PGlite)'])('isUnstorableText (%s)', (engine) => {
  const dataDir = mkdtempSync(join(tmpdir(), 'unstorable-text-'));
  const embedded = new EmbeddedPostgres(dataDir);
  let dataSource: DataSource;

  beforeAll(async () => {
    if (engine === 'PostgreSQL') {
      dataSource = new DataSource({ type: 'postgres', url: POSTGRES_URL });
    } else {
      await embedded.start();
      dataSource = new DataSource({ type: 'postgres', driver: embedded.typeormDriver });
    }
    await dataSource.initialize();
  }, 30_000);

  afterAll(async () => {
    await dataSource?.destroy();
    if (engine !== 'PostgreSQL') await embedded.onApplicationShutdown();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('recognises a NUL character refused as text (22021) and as jsonb (22P05)', async () => {
    expect(await refusal(dataSource, 'SELECT $1::text AS value', 'a\u0000b')).toBe(true);
    expect(
      await refusal(dataSource, 'SELECT $1::jsonb AS value', JSON.stringify({ kid: 'a\u0000' })),
    ).toBe(true);
  });

  it('leaves every other failure a failure', async () => {
    expect(await refusal(dataSource, 'SELECT 1 / $1::int AS value', 0)).toBe(false);
    expect(await refusal(dataSource, 'SELECT $1::jsonb AS value', '{')).toBe(false);
  });
});
