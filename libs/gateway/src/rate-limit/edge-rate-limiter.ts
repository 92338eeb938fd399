import { createHash } from 'node:crypto';
import { Injectable, OnModuleDestroy } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { PlatformEnv } from '@platform/config';
import { ErrorCode, FIRST_PARTY_CLIENT_ID, ServiceError } from '@platform/contracts';
import { Metrics } from '@platform/observability';
import { addressKey, type Principal } from '@platform/security';
import { LRUCache } from 'lru-cache';
import { Counter } from 'prom-client';
import { Take } from './counter-store';
import { RateLimitPolicy, rateLimitSettingsOf, RouteLimits } from './rate-limit-policy';
import { SharedCountersBucket } from './shared-counters.bucket';
import { WindowCounters } from './window-counters';

/** What is limited: the client's address, the token's subject, the OAuth client. */
export type Dimension = 'address' | 'principal' | 'client';

/** One request's verdict and the counter that came closest to its limit. */
export interface RateLimitVerdict {
  allowed: boolean;
  /** The tightest counter: what the `RateLimit-*` headers report. */
  tightest: Take & { dimension: Dimension; windowSeconds: number };
}

/** Too many requests: 429 with `Retry-After` (RFC 6585 4). */
export class RateLimitedError extends ServiceError {
  constructor(dimension: Dimension, retryAfterSeconds: number) {
    super(ErrorCode.RateLimited, `Too many requests for this ${dimension}; retry later`, {
      retryAfter: retryAfterSeconds,
    });
  }
}

/**
 * The gateway's rate limits per client address, per principal and per client, each with the
 * route's limits (`RateLimitPolicy`), counted in counters the replicas share (`WindowCounters`).
 * The first-party sign-in is one client for every user, so it has no client limit of its own:
 * its users are limited as principals.
 */
@Injectable()
export class EdgeRateLimiter implements OnModuleDestroy {
  readonly policy: RateLimitPolicy;
  private readonly counters: WindowCounters;
  private readonly rejections: Counter<'dimension'>;
  /** Counter keys by identity: a SHA-256 per request and dimension showed in profiles. */
  private readonly keys = new LRUCache<string, string>({ max: 50_000 });

  constructor(
    config: ConfigService<PlatformEnv, true>,
    bucket: SharedCountersBucket,
    metrics: Metrics,
  ) {
    this.policy = new RateLimitPolicy(
      rateLimitSettingsOf({
        RATE_LIMIT_WINDOW_SECONDS: config.get('RATE_LIMIT_WINDOW_SECONDS', { infer: true }),
        RATE_LIMIT_PER_ADDRESS: config.get('RATE_LIMIT_PER_ADDRESS', { infer: true }),
        RATE_LIMIT_PER_PRINCIPAL: config.get('RATE_LIMIT_PER_PRINCIPAL', { infer: true }),
        RATE_LIMIT_PER_CLIENT: config.get('RATE_LIMIT_PER_CLIENT', { infer: true }),
        RATE_LIMIT_ROUTES: config.get('RATE_LIMIT_ROUTES', { infer: true }),
      }),
    );
    const longest = this.policy.longestWindowSeconds;
    this.counters = new WindowCounters(() => bucket.open(longest));
    this.rejections = metrics.counter({
      name: 'gateway_rate_limit_rejections_total',
      help: 'Requests the gateway refused with 429, by the limit they exceeded',
      labelNames: ['dimension'] as const,
    });
  }

  limitsFor(method: string, route: string | undefined): RouteLimits | null {
    return this.policy.limitsFor(method, route);
  }

  /**
   * Counts the request against the address limit: before anything else is done for it. An
   * IPv6 client counts by its /64 (`addressKey`), as at auth: every address of it is theirs.
   */
  address(limits: RouteLimits, address: string): Promise<RateLimitVerdict> {
    return this.check(limits, [['address', addressKey(address)]]);
  }

  /** Counts an authenticated request against its principal's and its client's limits. */
  principal(limits: RouteLimits, principal: Principal): Promise<RateLimitVerdict> {
    const counted: [Dimension, string][] = [['principal', principal.subject]];
    if (principal.clientId !== FIRST_PARTY_CLIENT_ID) counted.push(['client', principal.clientId]);
    return this.check(limits, counted);
  }

  onModuleDestroy(): void {
    this.counters.onModuleDestroy();
  }

  private async check(
    limits: RouteLimits,
    counted: [Dimension, string][],
  ): Promise<RateLimitVerdict> {
    let verdict: RateLimitVerdict | undefined;
    for (const [dimension, identity] of counted) {
      const take = await this.counters.take(
        this.keyOf(dimension, identity),
        limits[dimension],
        limits.windowSeconds,
      );
      const candidate = { ...take, dimension, windowSeconds: limits.windowSeconds };
      if (!take.allowed) {
        this.rejections.inc({ dimension });
        return { allowed: false, tightest: candidate };
      }
      if (!verdict || take.remaining < verdict.tightest.remaining) {
        verdict = { allowed: true, tightest: candidate };
      }
    }
    return verdict!;
  }

  /** Identities (addresses, user ids) as tokens a bucket key may hold. */
  private keyOf(dimension: Dimension, identity: string): string {
    const id = `${dimension} ${identity}`;
    let key = this.keys.get(id);
    if (!key) {
      key = `${dimension}.${createHash('sha256').update(identity).digest('base64url').slice(0, 22)}`;
      this.keys.set(id, key);
    }
    return key;
  }
}
