import { EntityManager, QueryRunner } from 'typeorm';

/**
 * Creates a context's `<schema>.outbox` table, for the first migration of a new context. The
 * relay reads pending rows oldest first (`outbox_pending_idx`); `id` is the event's
 * `Nats-Msg-Id`, so consumers and JetStream drop a re-sent duplicate.
 */
export async function createOutboxTable(runner: QueryRunner, schema: string): Promise<void> {
  await runner.query(`
    CREATE TABLE "${schema}".outbox (
      id           uuid PRIMARY KEY,
      subject      text NOT NULL,
      payload      jsonb NOT NULL,
      headers      jsonb NOT NULL DEFAULT '{}',
      created_at   timestamptz NOT NULL DEFAULT clock_timestamp(),
      published_at timestamptz
    )`);
  await runner.query(
    `CREATE INDEX outbox_pending_idx ON "${schema}".outbox (created_at, id) WHERE published_at IS NULL`,
  );
}

/** The `down` of `createOutboxTable`. */
export async function dropOutboxTable(runner: QueryRunner, schema: string): Promise<void> {
  await runner.query(`DROP TABLE "${schema}".outbox`);
}

/**
 * Deletes events published more than `olderThanSeconds` ago: they were delivered, and the
 * outbox is not their archive. Pending rows are never touched. Returns how many went.
 */
export async function purgePublishedOutbox(
  manager: EntityManager,
  schema: string,
  olderThanSeconds: number,
): Promise<number> {
  const [, deleted] = (await manager.query(
    `DELETE FROM "${schema}".outbox
      WHERE published_at < now() - make_interval(secs => $1)`,
    [olderThanSeconds],
  )) as [unknown, number];
  return deleted;
}
