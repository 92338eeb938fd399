import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { scratchContextDatabase, ScratchContextDatabase } from '@platform/database/testing';
import { CombinedWrite } from '@platform/database';
import { authDatabase } from '../auth.database';
import { SecurityEventWriter } from './security-event.writer';
import { verifySecurityLog } from './security-log.verifier';

/** The chain the database links, under concurrent writers on PostgreSQL (a pool of ten). */
describe('the security log chain (PostgreSQL)', () => {
  let scratch: ScratchContextDatabase;
  let dataSource: DataSource;
  let writer: SecurityEventWriter;

  beforeAll(async () => {
    scratch = await scratchContextDatabase('security_log', authDatabase);
    dataSource = scratch.dataSource;
    writer = new SecurityEventWriter(dataSource);
  });

  afterAll(async () => {
    await scratch?.drop();
  });

  it('links every row to the one before it when many are appended at once, alone and within other writes', async () => {
    const userId = randomUUID();
    await Promise.all(
      Array.from({ length: 60 }, (_, i) => {
        const event = { type: 'login_succeeded' as const, userId, details: { i } };
        if (i % 2 === 0) return writer.append(event);
        const write = new CombinedWrite();
        writer.addTo(write, event);
        return write.run(dataSource);
      }),
    );
    expect(await verifySecurityLog(dataSource)).toEqual({
      intact: true,
      rows: 60,
      head: expect.stringMatching(/^[0-9a-f]{64}$/),
    });
    const rows: { seq: string; prev: Buffer | null; hash: Buffer }[] = await dataSource.query(
      `SELECT seq::text, prev_hash AS prev, hash FROM auth.security_events ORDER BY security_events.seq`,
    );
    expect(rows.map((row) => Number(row.seq))).toEqual(rows.map((_, i) => i + 1));
    const [head]: { seq: string; prev: Buffer | null; hash: Buffer }[] = await dataSource.query(
      `SELECT seq::text, prev_hash AS prev, hash FROM auth.security_log_head`,
    );
    expect(head).toEqual({ seq: '60', prev: rows[58].hash, hash: rows[59].hash });
  });

  it('refuses to move, remove or add a head but through the chain', async () => {
    for (const statement of [
      `UPDATE auth.security_log_head SET seq = 1`,
      `DELETE FROM auth.security_log_head`,
      `INSERT INTO auth.security_log_head (singleton, seq) VALUES (false, 0)`,
      `TRUNCATE auth.security_log_head`,
    ]) {
      await expect(dataSource.query(statement)).rejects.toThrow(/head moves only with the chain/);
    }
    await writer.append({ type: 'login_succeeded', userId: randomUUID(), details: {} });
    expect(await verifySecurityLog(dataSource)).toMatchObject({ intact: true, rows: 61 });
  });

  it('finds a row placed before the first one broken, though the head is unchanged', async () => {
    const before = await verifySecurityLog(dataSource);
    expect(before).toMatchObject({ intact: true });
    // The head kept outside the database still matches such a row: only the walk can tell.
    await withTriggersOff(
      dataSource,
      `INSERT INTO auth.security_events (type, user_id, details, seq, hash)
       VALUES ('login_succeeded', '${randomUUID()}', '{}', 0, sha256('forged'))`,
    );
    expect(await verifySecurityLog(dataSource)).toMatchObject({ intact: false, brokenAt: 0 });
    await withTriggersOff(dataSource, `DELETE FROM auth.security_events WHERE seq = 0`);
    expect(await verifySecurityLog(dataSource)).toEqual(before);
  });

  it('finds a chain cut short with its head removed broken', async () => {
    // What only the tables' owner or a superuser could do: write with the triggers off.
    const runner = dataSource.createQueryRunner();
    try {
      await runner.query(`SET session_replication_role = replica`);
      await runner.query(`DELETE FROM auth.security_events WHERE seq > 30`);
      await runner.query(`DELETE FROM auth.security_log_head`);
    } finally {
      await runner.query(`RESET session_replication_role`);
      await runner.release();
    }
    expect(await verifySecurityLog(dataSource)).toEqual({
      intact: false,
      rows: 30,
      brokenAt: 31,
      reason: 'the chain has no head',
    });
  });
});

/** `audit:verify` against a live PostgreSQL, which the platform keeps writing to meanwhile. */
describe('the security log verification of a live log (PostgreSQL)', () => {
  let scratch: ScratchContextDatabase;

  beforeAll(async () => {
    scratch = await scratchContextDatabase('security_log_live', authDatabase);
  });

  afterAll(async () => {
    await scratch?.drop();
  });

  it('finds a whole chain whole while rows are appended as it walks', async () => {
    await scratch.dataSource.query(
      `INSERT INTO auth.security_events (type, details)
       SELECT 'access_denied', jsonb_build_object('i', i) FROM generate_series(1, 8000) AS i`,
    );
    // A replica appending rows for two seconds, each committed on its own, from the server's
    // side so that it goes on while this process hashes.
    const replica = new Client({ connectionString: scratch.url });
    await replica.connect();
    const appending = replica.query(`
      DO $$
      DECLARE
        ends timestamptz := clock_timestamp() + interval '2 seconds';
      BEGIN
        WHILE clock_timestamp() < ends LOOP
          INSERT INTO auth.security_events (type) VALUES ('access_denied');
          COMMIT;
        END LOOP;
      END $$`);
    try {
      for (let i = 0; i < 3; i++) {
        expect(await verifySecurityLog(scratch.dataSource)).toEqual({
          intact: true,
          rows: expect.any(Number),
          head: expect.stringMatching(/^[0-9a-f]{64}$/),
        });
      }
    } finally {
      await appending.catch(() => undefined);
      await replica.end();
    }
    const [{ rows }]: { rows: number }[] = await scratch.dataSource.query(
      `SELECT count(*)::int AS rows FROM auth.security_events`,
    );
    expect(await verifySecurityLog(scratch.dataSource)).toMatchObject({ intact: true, rows });
  }, 30_000);
});

/** What only the tables' owner or a superuser could do: write with the triggers off. */
async function withTriggersOff(dataSource: DataSource, sql: string): Promise<void> {
  const runner = dataSource.createQueryRunner();
  try {
    await runner.query(`SET session_replication_role = replica`);
    await runner.query(sql);
  } finally {
    await runner.query(`RESET session_replication_role`);
    await runner.release();
  }
}
