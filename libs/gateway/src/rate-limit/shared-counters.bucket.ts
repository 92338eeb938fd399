import { Injectable, Logger } from '@nestjs/common';
import { KV, Kvm } from '@nats-io/kv';
import { KeyValueBucket } from '@platform/contracts';
import { NatsConnectionAccess } from '@platform/transport';

/** The bucket every gateway replica keeps its rate-limit counters in. */
export const RATE_LIMIT_BUCKET = KeyValueBucket.GatewayRateLimits;

/**
 * The JetStream key-value bucket of the shared rate-limit counters, created on first use (any
 * replica may be first; creating an existing bucket with the same settings opens it). Keys
 * expire once their window is long over. None with the in-process transport: one process.
 */
@Injectable()
export class SharedCountersBucket {
  private readonly logger = new Logger(SharedCountersBucket.name);
  private bucket?: Promise<KV | undefined>;

  constructor(private readonly nats: NatsConnectionAccess) {}

  /** Opens the bucket; a failed attempt is forgotten, so the next call tries again. */
  open(longestWindowSeconds: number): Promise<KV | undefined> {
    this.bucket ??= this.create(longestWindowSeconds).catch((error: unknown) => {
      this.bucket = undefined;
      throw error;
    });
    return this.bucket;
  }

  private async create(longestWindowSeconds: number): Promise<KV | undefined> {
    const connection = await this.nats.connection();
    if (!connection) return undefined;
    const bucket = await new Kvm(connection).create(RATE_LIMIT_BUCKET, {
      history: 1,
      // A window's counter is read only during that window; twice over, it is surely done.
      ttl: 2 * longestWindowSeconds * 1000,
    });
    this.logger.log(`Rate-limit counters shared in the JetStream bucket ${RATE_LIMIT_BUCKET}`);
    return bucket;
  }
}
