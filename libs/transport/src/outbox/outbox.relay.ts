import { Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { EventStream } from '@platform/contracts';
import { EventPublisher } from '../event-publisher';
import { OutboxGauge, OutboxMetrics } from './outbox.metrics';

const BATCH_SIZE = 100;
/**
 * Commits in this process wake the relay at once; the poll finds rows committed elsewhere (a
 * command such as `keys:revoke`, a replica that stopped before publishing) soon enough that
 * they reach every subscriber within a second.
 */
const POLL_INTERVAL_MS = 250;

interface OutboxRow {
  id: string;
  subject: string;
  payload: object;
  headers: Record<string, string>;
  /** Epoch milliseconds of the commit, as text (PostgreSQL's numeric). */
  committed: string;
}

/**
 * Publishes committed outbox rows into the context's event stream, oldest first and one at a
 * time (so the stream keeps their order), marking them published only once the stream has
 * stored them. Delivery is at-least-once: a crash between the stream's acknowledgement and the
 * marking re-sends the event with the same outbox id in `Nats-Msg-Id`, which the stream drops
 * as a duplicate. While the stream cannot be reached the rows wait, and go out once it is back.
 * Replicas take turns (`drainLockOf`): one drains the outbox at a time, so the stream keeps the
 * commit order even across replicas.
 */
export class OutboxRelay implements OnApplicationBootstrap, OnApplicationShutdown, OutboxGauge {
  private readonly logger = new Logger(OutboxRelay.name);
  private timer?: NodeJS.Timeout;
  private draining?: Promise<void>;
  private again = false;
  /** Whether the last drain failed, so an outage is logged once, not on every poll. */
  private failing = false;

  constructor(
    readonly schema: string,
    private readonly stream: EventStream,
    private readonly dataSource: DataSource,
    private readonly publisher: EventPublisher,
    private readonly metrics: OutboxMetrics,
  ) {
    metrics.register(this);
  }

  async pending(): Promise<number> {
    const [row]: { pending: number }[] = await this.dataSource.query(
      `SELECT count(*)::int AS pending FROM "${this.schema}".outbox WHERE published_at IS NULL`,
    );
    return row.pending;
  }

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => this.poll(), POLL_INTERVAL_MS);
    this.timer.unref();
    this.notify();
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await this.draining;
  }

  /**
   * Drains if a row waits. Nearly every poll finds none, and then costs one indexed read
   * instead of a transaction's three statements: an idle process, such as an embedded platform
   * on a laptop, should not spend CPU on an empty outbox four times a second.
   */
  private poll(): void {
    if (this.draining) return;
    this.dataSource
      .query(
        `SELECT EXISTS (SELECT 1 FROM "${this.schema}".outbox WHERE published_at IS NULL) AS waiting`,
      )
      .then(([row]: { waiting: boolean }[]) => {
        if (row.waiting) this.notify();
      })
      // An unreachable database is reported by the drain, which then runs and fails.
      .catch(() => {
        if (this.timer) this.notify();
      });
  }

  /** Asks for a drain now, e.g. right after a commit that wrote to the outbox. */
  notify(): void {
    if (this.draining) {
      this.again = true;
      return;
    }
    this.draining = this.drain()
      .then(() => {
        if (this.failing) this.logger.log(`Outbox ${this.schema}: publishing again`);
        this.failing = false;
      })
      .catch((error: unknown) => {
        if (!this.failing) {
          this.logger.warn(`Outbox ${this.schema}: events wait to be published: ${String(error)}`);
        }
        this.failing = true;
      })
      .finally(() => {
        this.draining = undefined;
        if (this.again) {
          this.again = false;
          this.notify();
        }
      });
  }

  private async drain(): Promise<void> {
    // Failing to prepare matters only with rows to publish, which then report the outage.
    await this.publisher.prepare(this.stream).catch(() => undefined);
    let published: number;
    do {
      published = await this.dataSource.transaction(async (manager) => {
        // Rows skipped as locked by another replica's drain would otherwise be published
        // while that drain still publishes older ones (a slow first publish, a reconnect):
        // the stream would hold an older event after a newer one, and a consumer of the
        // last event per subject (the whole key set, `replay: 'last'`) would trust the older.
        await manager.query(`SELECT pg_advisory_xact_lock(hashtext($1))`, [
          drainLockOf(this.schema),
        ]);
        const rows: OutboxRow[] = await manager.query(
          `SELECT id, subject, payload, headers,
                  (extract(epoch FROM created_at) * 1000)::text AS committed
             FROM "${this.schema}".outbox
            WHERE published_at IS NULL ORDER BY created_at, id
            LIMIT $1 FOR UPDATE SKIP LOCKED`,
          [BATCH_SIZE],
        );
        for (const row of rows) await this.publisher.publish(this.stream, row);
        const lag = this.metrics.publishLag.labels(this.schema);
        for (const row of rows) lag.observe((Date.now() - Number(row.committed)) / 1000);
        if (rows.length > 0) {
          await manager.query(
            `UPDATE "${this.schema}".outbox SET published_at = now() WHERE id = ANY($1::uuid[])`,
            [rows.map((row) => row.id)],
          );
        }
        return rows.length;
      });
    } while (published === BATCH_SIZE);
  }
}

/** The lock a replica's drain of the outbox in `schema` holds, for its one transaction. */
function drainLockOf(schema: string): string {
  return `outbox:${schema}:drain`;
}
