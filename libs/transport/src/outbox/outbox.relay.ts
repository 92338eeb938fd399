import { Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { MessageBus } from '../message-bus';
import { OutboxGauge, OutboxMetrics } from './outbox.metrics';

const BATCH_SIZE = 100;
const POLL_INTERVAL_MS = 1000;

interface OutboxRow {
  id: string;
  subject: string;
  payload: object;
  headers: Record<string, string>;
  /** Epoch milliseconds of the commit, as text (PostgreSQL's numeric). */
  committed: string;
}

/**
 * Publishes committed outbox rows, oldest first, then marks them published. Delivery is
 * at-least-once: a crash between publishing and marking re-sends the event, which carries its
 * outbox id in `Nats-Msg-Id` so consumers and JetStream can drop the duplicate. Replicas share
 * the work without double-sending thanks to `FOR UPDATE SKIP LOCKED`.
 */
export class OutboxRelay implements OnApplicationBootstrap, OnApplicationShutdown, OutboxGauge {
  private readonly logger = new Logger(OutboxRelay.name);
  private timer?: NodeJS.Timeout;
  private draining?: Promise<void>;
  private again = false;

  constructor(
    readonly schema: string,
    private readonly dataSource: DataSource,
    private readonly bus: MessageBus,
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
    this.timer = setInterval(() => this.notify(), POLL_INTERVAL_MS);
    this.timer.unref();
    this.notify();
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.draining;
  }

  /** Asks for a drain now, e.g. right after a commit that wrote to the outbox. */
  notify(): void {
    if (this.draining) {
      this.again = true;
      return;
    }
    this.draining = this.drain()
      .catch((error: unknown) => this.logger.warn(`Outbox ${this.schema}: ${String(error)}`))
      .finally(() => {
        this.draining = undefined;
        if (this.again) {
          this.again = false;
          this.notify();
        }
      });
  }

  private async drain(): Promise<void> {
    let published: number;
    do {
      published = await this.dataSource.transaction(async (manager) => {
        const rows: OutboxRow[] = await manager.query(
          `SELECT id, subject, payload, headers,
                  (extract(epoch FROM created_at) * 1000)::text AS committed
             FROM "${this.schema}".outbox
            WHERE published_at IS NULL ORDER BY created_at, id
            LIMIT ${BATCH_SIZE} FOR UPDATE SKIP LOCKED`,
        );
        for (const row of rows) {
          await this.bus.emit(row.subject, row.payload, { ...row.headers, 'Nats-Msg-Id': row.id });
        }
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
