import { createPublicKey, JsonWebKey, KeyObject } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { isSigningAlgorithm, SigningAlgorithm } from '@platform/contracts';
import { keyFitsAlgorithm } from './jws-algorithm';
import { JwksSource } from './jwks-source';

/** A public key as imported once from the JWK Set, bound to the one algorithm it verifies. */
export interface VerificationKey {
  kid: string;
  key: KeyObject;
  alg: SigningAlgorithm;
  /** The JWK it was imported from, as JSON. */
  jwk: string;
}

export interface JwksCacheOptions {
  /** At most one fetch per this interval after a successful one (default 30 000). */
  minRefreshIntervalMs?: number;
  /** After a failed fetch, the next may start this much later (default 1 000). */
  retryAfterFailureMs?: number;
  /**
   * Keys fetched longer ago than this are refetched in the background on the next lookup, so a
   * key withdrawn from the set stops being trusted even if no new `kid` shows up (default 600 000).
   */
  maxAgeMs?: number;
}

/**
 * The authorization server's verification keys, imported once into `KeyObject`s and looked up
 * by `kid` (a map key only: never a path, URL or query, RFC 8725 3.10).
 *
 * The set arrives two ways. Auth announces every change of it (`auth.keys.changed`, see
 * `KeySetEventsController`), which replaces the set at once, so a withdrawn key stops being
 * trusted within moments and a key this process was told about verifies with auth down. And
 * it is fetched (`auth.jwks.get`): at start-up until a set is held, whichever comes first, and
 * as described below. A fetch answered before an announcement that overtook it is discarded.
 *
 * An unknown `kid` triggers a refetch, which is how a rotated-in key is learned, but at most one
 * per `minRefreshIntervalMs` so that tokens with made-up `kid`s cannot flood the authorization
 * server; concurrent misses share one fetch. A failed fetch keeps the keys already known.
 *
 * A JWK is only used if it names its algorithm (`alg`, RFC 7517 4.4), that algorithm is in the
 * allowlist and the key's type and curve are the ones it means (RFC 8725 3.1); anything else in
 * the set is ignored.
 */
export class JwksCache implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(JwksCache.name);
  private readonly minRefreshIntervalMs: number;
  private readonly retryAfterFailureMs: number;
  private readonly maxAgeMs: number;
  private keys = new Map<string, VerificationKey>();
  private fetchedAt?: number;
  private nextFetchAt = 0;
  private inFlight?: Promise<void>;
  /** Counts announced sets, so a fetch that raced one does not undo it. */
  private announcements = 0;
  private stopped = false;
  /** Whether the last fetch failed, so an outage is logged once, not on every retry. */
  private fetchFailing = false;

  constructor(
    private readonly source: JwksSource,
    options: JwksCacheOptions = {},
  ) {
    this.minRefreshIntervalMs = options.minRefreshIntervalMs ?? 30_000;
    this.retryAfterFailureMs = options.retryAfterFailureMs ?? 1_000;
    this.maxAgeMs = options.maxAgeMs ?? 600_000;
  }

  /** How many usable keys are cached. */
  get size(): number {
    return this.keys.size;
  }

  /** Whether a key set was ever obtained; until then no token can be checked at all. */
  get held(): boolean {
    return this.fetchedAt !== undefined;
  }

  /** Fetches the set at start-up, retrying until one is held (fetched or announced). */
  onApplicationBootstrap(): void {
    void this.warmUp();
  }

  onApplicationShutdown(): void {
    this.stopped = true;
  }

  /** The set auth announced: from now on exactly these keys are trusted. */
  accept(jwks: unknown): void {
    this.keys = this.importSet(jwks);
    this.announcements += 1;
    this.fetchedAt = Date.now();
    this.nextFetchAt = this.fetchedAt + this.minRefreshIntervalMs;
  }

  /** The key with this `kid` if the cached set has it, without fetching. */
  cached(kid: string): VerificationKey | undefined {
    const key = this.keys.get(kid);
    if (key) this.refreshIfStale();
    return key;
  }

  /**
   * The key with this `kid`: from the cache, or, on a miss and if the rate limit allows, after
   * refetching the set. `undefined` when the set does not have it.
   */
  async find(kid: string): Promise<VerificationKey | undefined> {
    const cached = this.keys.get(kid);
    if (cached) {
      this.refreshIfStale();
      return cached;
    }
    if (!this.inFlight && Date.now() < this.nextFetchAt) return undefined;
    await this.fetch().catch(() => undefined);
    return this.keys.get(kid);
  }

  /**
   * Fetches the set now, regardless of the rate limit (for start-up warm-up). Rejects if the
   * fetch fails, in which case the keys already known stay in use.
   */
  refresh(): Promise<void> {
    return this.fetch();
  }

  private refreshIfStale(): void {
    const now = Date.now();
    if (
      this.fetchedAt !== undefined &&
      now - this.fetchedAt > this.maxAgeMs &&
      now >= this.nextFetchAt &&
      !this.inFlight
    ) {
      this.fetch().catch(() => undefined);
    }
  }

  private fetch(): Promise<void> {
    this.inFlight ??= this.load().finally(() => {
      this.inFlight = undefined;
    });
    return this.inFlight;
  }

  private async warmUp(): Promise<void> {
    while (!this.held && !this.stopped) {
      await this.fetch().catch(() => undefined);
      if (!this.held) await sleep(this.retryAfterFailureMs);
    }
  }

  private async load(): Promise<void> {
    const announcementsBefore = this.announcements;
    try {
      const jwks = await this.source.fetchJwks();
      if (this.announcements !== announcementsBefore) return;
      this.keys = this.importSet(jwks);
      this.fetchedAt = Date.now();
      this.nextFetchAt = this.fetchedAt + this.minRefreshIntervalMs;
      this.fetchFailing = false;
    } catch (error) {
      this.nextFetchAt = Date.now() + this.retryAfterFailureMs;
      if (!this.fetchFailing) {
        this.logger.warn(
          `JWKS fetch failed, keeping ${this.keys.size} known key(s): ${describe(error)}`,
        );
      }
      this.fetchFailing = true;
      throw error;
    }
  }

  /**
   * The usable keys of a JWK Set. A key already held under the same `kid` and JWK stays the
   * same object, so tokens it verified stay verified (see `AccessTokenVerifier`).
   */
  private importSet(jwks: unknown): Map<string, VerificationKey> {
    const list = (jwks as { keys?: unknown } | null | undefined)?.keys;
    if (!Array.isArray(list)) throw new Error('not a JWK Set: "keys" is not an array');
    const keys = new Map<string, VerificationKey>();
    for (const jwk of list as JsonWebKey[]) {
      const kid: unknown = jwk?.kid;
      const held = typeof kid === 'string' ? this.keys.get(kid) : undefined;
      if (held && held.jwk === JSON.stringify(jwk) && !keys.has(held.kid)) {
        keys.set(held.kid, held);
        continue;
      }
      const result = importKey(jwk);
      if (typeof result === 'string') {
        this.logger.warn(`Ignoring JWK ${typeof kid === 'string' ? kid : '(no kid)'}: ${result}`);
      } else if (keys.has(result.kid)) {
        // RFC 7517 4.5: kids are meant to be distinct; the first one wins.
        this.logger.warn(`Ignoring JWK ${result.kid}: duplicate kid`);
      } else {
        keys.set(result.kid, result);
      }
    }
    return keys;
  }
}

/** The imported key, or why it cannot be used. */
function importKey(jwk: JsonWebKey): VerificationKey | string {
  if (typeof jwk !== 'object' || jwk === null) return 'not an object';
  if (typeof jwk.kid !== 'string' || jwk.kid.length === 0) return 'no kid';
  if (!isSigningAlgorithm(jwk.alg)) return `alg ${String(jwk.alg)} is not allowed`;
  let key: KeyObject;
  try {
    key = createPublicKey({ key: jwk, format: 'jwk' });
  } catch {
    return 'not a valid public key';
  }
  if (!keyFitsAlgorithm(jwk, key, jwk.alg)) return `key type does not fit alg ${jwk.alg}`;
  return { kid: jwk.kid, key, alg: jwk.alg, jwk: JSON.stringify(jwk) };
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
