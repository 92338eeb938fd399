import { Logger, OnModuleDestroy } from '@nestjs/common';
import type { KV } from '@nats-io/kv';
import { Take } from './counter-store';

/** A shared-counter operation that takes longer than this counts as a failure. */
const STORE_TIMEOUT_MS = 250;
/** After a failure the shared counters are left alone this long: per-replica limits meanwhile. */
const STORE_RETRY_MS = 5_000;
/** Each lease takes this share of what is left of the window's allowance, at least one request. */
const LEASE_DIVISOR = 4;

/** One counter's window on this replica. */
interface WindowState {
  endsAt: number;
  /** Requests this replica leased from the shared counter (all of the limit when local). */
  granted: number;
  /** Requests this replica admitted in the window. */
  used: number;
  /** The shared counter's value after this replica's last lease. */
  shared: number;
  /** The shared counter reached the limit: nothing more can be leased in this window. */
  exhausted: boolean;
  leasing?: Promise<void>;
}

/** Where the shared counters live: a JetStream key-value bucket, or none (one process). */
export type SharedCounters = () => Promise<KV | undefined>;

/**
 * Fixed-window request counters, shared by every gateway replica through a NATS JetStream
 * key-value bucket without a round trip per request.
 *
 * Each replica leases part of a window's allowance from the shared counter with one
 * compare-and-set (a quarter of what is left, at least one request) and admits requests
 * against its lease locally; only when the lease runs out does it go back to the bucket. So the
 * replicas together never admit more than the limit (every admitted request was leased, and
 * leases never exceed it), at most a quarter of it is left unused in another replica's lease,
 * and near the limit each request is one compare-and-set, exact across replicas.
 *
 * When the bucket cannot be reached in time, every counter falls back to this replica's own
 * count against the full limit for a few seconds, then tries again: per-replica limits, never
 * no limit, and never a request failed for it.
 */
export class WindowCounters implements OnModuleDestroy {
  private readonly logger = new Logger(WindowCounters.name);
  private readonly windows = new Map<string, WindowState>();
  private sharedUnavailableUntil = 0;
  private readonly sweeper = setInterval(() => this.sweep(), 10_000).unref();

  constructor(
    private readonly shared: SharedCounters,
    /** How long a shared-counter operation may take before it counts as a failure. */
    private readonly storeTimeoutMs = STORE_TIMEOUT_MS,
  ) {}

  /** Whether the last attempt to use the shared counters failed (per-replica limits now). */
  get degraded(): boolean {
    return Date.now() < this.sharedUnavailableUntil;
  }

  /** Takes one request from `key`'s allowance of `limit` per window of `windowSeconds`. */
  async take(key: string, limit: number, windowSeconds: number): Promise<Take> {
    const windowMs = windowSeconds * 1000;
    const now = Date.now();
    const index = Math.floor(now / windowMs);
    const id = `${key}.${windowSeconds}.${index}`;
    let state = this.windows.get(id);
    if (!state) {
      state = { endsAt: (index + 1) * windowMs, granted: 0, used: 0, shared: 0, exhausted: false };
      this.windows.set(id, state);
    }
    while (state.used >= state.granted && !state.exhausted && !this.degraded) {
      try {
        await (state.leasing ??= this.lease(id, state, limit).finally(() => {
          state.leasing = undefined;
        }));
      } catch (error) {
        this.degrade(error);
      }
    }
    const resetSeconds = Math.max(1, Math.ceil((state.endsAt - now) / 1000));
    const shared = !this.degraded;
    const admits = shared ? state.used < state.granted : state.used < limit;
    if (admits) state.used += 1;
    const remaining = shared
      ? limit - (state.shared - (state.granted - state.used))
      : limit - state.used;
    return { allowed: admits, limit, remaining: Math.max(0, remaining), resetSeconds };
  }

  onModuleDestroy(): void {
    clearInterval(this.sweeper);
  }

  private async lease(id: string, state: WindowState, limit: number): Promise<void> {
    const bucket = await this.bounded(this.shared());
    if (!bucket) {
      // One process, no bucket: the whole allowance is this replica's, and there is no more.
      state.granted = limit;
      state.shared = limit;
      state.exhausted = true;
      return;
    }
    // A conflict means another replica's lease went in first, so every retry follows progress
    // towards the limit: the loop ends, and no request is ever admitted without a lease.
    for (;;) {
      const entry = await this.bounded(bucket.get(id));
      const current = entry && entry.operation === 'PUT' ? Number(entry.string()) || 0 : 0;
      const left = limit - current;
      if (left <= 0) {
        state.exhausted = true;
        state.shared = current;
        return;
      }
      const lease = Math.max(1, Math.floor(left / LEASE_DIVISOR));
      const next = String(current + lease);
      try {
        await this.bounded(
          entry ? bucket.update(id, next, entry.revision) : bucket.create(id, next),
        );
      } catch (error) {
        if (isConflict(error)) continue;
        throw error;
      }
      state.granted += lease;
      state.shared = current + lease;
      return;
    }
  }

  /** `work`, or a `StoreTimeoutError` if it has not settled within the store timeout. */
  private bounded<T>(work: Promise<T>): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    return Promise.race([
      work,
      new Promise<never>((_, reject) => {
        timer = setTimeout(
          () => reject(new StoreTimeoutError(this.storeTimeoutMs)),
          this.storeTimeoutMs,
        );
      }),
    ]).finally(() => clearTimeout(timer));
  }

  private degrade(error: unknown): void {
    if (!this.degraded) {
      this.logger.warn(
        `Shared rate-limit counters unreachable, limiting per replica for ${STORE_RETRY_MS} ms: ${
          error instanceof Error ? error.message : String(error)
        }`,
      );
    }
    this.sharedUnavailableUntil = Date.now() + STORE_RETRY_MS;
  }

  private sweep(): void {
    const now = Date.now();
    for (const [id, state] of this.windows) {
      if (state.endsAt <= now) this.windows.delete(id);
    }
  }
}

class StoreTimeoutError extends Error {
  constructor(timeoutMs: number) {
    super(`no answer within ${timeoutMs} ms`);
  }
}

/** JetStream's "wrong last sequence": another replica moved the counter first. */
const WRONG_LAST_SEQUENCE = new Set([10071, 10164]);

function isConflict(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'number' && WRONG_LAST_SEQUENCE.has(code);
}
