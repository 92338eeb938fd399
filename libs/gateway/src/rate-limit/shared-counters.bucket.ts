import { Injectable, Logger } from '@nestjs/common';
import { jetstreamManager } from '@nats-io/jetstream';
import { KV, Kvm } from '@nats-io/kv';
import { KeyValueBucket } from '@platform/contracts';
import {
  BusNotProvisionedError,
  bucketStreamOf,
  KeyValueBucketSpec,
  NatsConnectionAccess,
  provisionedStream,
} from '@platform/transport';
import { RateLimitPolicy, rateLimitSettingsOf, RateLimitVariables } from './rate-limit-policy';

/** The bucket every gateway replica keeps its rate-limit counters in. */
export const RATE_LIMIT_BUCKET = KeyValueBucket.GatewayRateLimits;

/**
 * The bucket's settings for windows up to `longestWindowSeconds`: a counter is read only during
 * its window, so keys expire once it is twice over. One definition, for the gateway that
 * creates the bucket on the open bus and for `npm run nats:provision` on a hardened one.
 */
export function sharedCountersBucketOf(longestWindowSeconds: number): KeyValueBucketSpec {
  return {
    name: RATE_LIMIT_BUCKET,
    options: { history: 1, ttl: 2 * longestWindowSeconds * 1000 },
  };
}

/** The bucket as the gateway configured by `env` (its `RATE_LIMIT_*`) needs it. */
export function sharedCountersBucketFor(env: RateLimitVariables): KeyValueBucketSpec {
  return sharedCountersBucketOf(new RateLimitPolicy(rateLimitSettingsOf(env)).longestWindowSeconds);
}

/**
 * The JetStream key-value bucket of the shared rate-limit counters, opened on first use. On the
 * open bus the gateway creates it (any replica may be first; creating an existing bucket with
 * the same settings opens it); on a hardened bus it was provisioned ahead and is only looked
 * up, and one that keeps counters for less than the windows need is refused. None with the
 * in-process transport: one process.
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
    const spec = sharedCountersBucketOf(longestWindowSeconds);
    let bucket: KV;
    if (this.nats.provisionedAhead) {
      const jsm = await jetstreamManager(connection, { checkAPI: false });
      const config = await provisionedStream(jsm, bucketStreamOf(spec.name));
      // No `max_age` keeps counters forever: long enough, if wasteful.
      if (config.max_age > 0 && config.max_age < spec.options.ttl! * 1_000_000) {
        throw new BusNotProvisionedError(
          `The bucket ${spec.name} keeps counters ${config.max_age / 1e9} s, ` +
            `less than the ${spec.options.ttl! / 1000} s its rate-limit windows need (with this gateway's RATE_LIMIT_*)`,
        );
      }
      bucket = await new Kvm(connection).open(spec.name, { allow_direct: config.allow_direct });
    } else {
      bucket = await new Kvm(connection).create(spec.name, spec.options);
    }
    this.logger.log(`Rate-limit counters shared in the JetStream bucket ${RATE_LIMIT_BUCKET}`);
    return bucket;
  }
}
