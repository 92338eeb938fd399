import { Injectable } from '@nestjs/common';
import { Histogram } from 'prom-client';
import { LATENCY_BUCKETS, Metrics } from '@platform/observability';

/** What the metrics ask of each context's relay. */
export interface OutboxGauge {
  readonly schema: string;
  /** Events committed and not yet published. */
  pending(): Promise<number>;
}

/**
 * `outbox_pending_events{context}` (read from each outbox table when scraped) and
 * `outbox_publish_lag_seconds{context}`, from an event's commit to its publication.
 */
@Injectable()
export class OutboxMetrics {
  private readonly outboxes = new Set<OutboxGauge>();
  readonly publishLag: Histogram<'context'>;

  constructor(metrics: Metrics) {
    const outboxes = this.outboxes;
    metrics.gauge({
      name: 'outbox_pending_events',
      help: 'Events committed to a context outbox and not yet published',
      labelNames: ['context'] as const,
      async collect() {
        for (const outbox of outboxes) {
          this.set({ context: outbox.schema }, await outbox.pending().catch(() => NaN));
        }
      },
    });
    this.publishLag = metrics.histogram({
      name: 'outbox_publish_lag_seconds',
      help: 'Time from an event being committed to its outbox to its publication',
      labelNames: ['context'] as const,
      buckets: LATENCY_BUCKETS,
    });
  }

  register(outbox: OutboxGauge): void {
    this.outboxes.add(outbox);
  }
}
