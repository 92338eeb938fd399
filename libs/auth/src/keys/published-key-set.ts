import { createPublicKey } from 'node:crypto';
import { Injectable, Logger } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { SigningKeyEntity, SigningKeyStatus } from './signing-key.entity';
import { PublicJwk, toPublicJwk } from './signing-key.generator';
import { SigningKeySealer } from './signing-key.sealer';
import { SigningKeyStore } from './signing-key.store';

/** A JWK Set (RFC 7517 5) of public keys only. */
export interface JsonWebKeySet {
  keys: PublicJwk[];
}

/**
 * How long `jwks()` serves a read from memory: this process's own checks against the set (an
 * `id_token_hint`), whose cache the announcements it hears invalidate at once.
 */
const CACHE_MS = 30_000;

/**
 * The public keys verifiers accept, as a JWKS: active, next, then retired keys still covering
 * unexpired tokens. Each is derived from its sealed private key and must match the stored
 * public JWK, so a public key written straight into the table is never published.
 */
@Injectable()
export class PublishedKeySet {
  private readonly logger = new Logger(PublishedKeySet.name);
  private cache?: { value: JsonWebKeySet; expiresAt: number };
  /** Published JWKs already checked against their sealed private halves, by `kid`. */
  private readonly verified = new Map<string, { sealed: string; stored: string; jwk: PublicJwk }>();
  /** Bumped by every invalidation, so a read that began before one is not cached after it. */
  private generation = 0;

  constructor(
    private readonly store: SigningKeyStore,
    private readonly sealer: SigningKeySealer,
  ) {}

  async jwks(): Promise<JsonWebKeySet> {
    if (this.cache && this.cache.expiresAt > Date.now()) return this.cache.value;
    const generation = this.generation;
    const value = await this.read();
    if (generation === this.generation) {
      this.cache = { value, expiresAt: Date.now() + CACHE_MS };
    }
    return value;
  }

  /** The set as stored now, or as the transaction of `manager` sees it; never cached. */
  async read(manager?: EntityManager): Promise<JsonWebKeySet> {
    const rows = await this.store.published(manager);
    rows.sort(publicationOrder);
    const value = { keys: rows.flatMap<PublicJwk>((row) => this.publishedJwk(row) ?? []) };
    for (const kid of this.verified.keys()) {
      if (!rows.some((row) => row.kid === kid)) this.verified.delete(kid);
    }
    return value;
  }

  /** The set of keys changed: the next read goes to the database. */
  invalidate(): void {
    this.generation += 1;
    this.cache = undefined;
  }

  private publishedJwk(row: SigningKeyEntity): PublicJwk | undefined {
    const stored = canonicalJson(row.publicJwk);
    const known = this.verified.get(row.kid);
    if (known?.sealed === row.privateKey && known.stored === stored) return known.jwk;
    try {
      const jwk = toPublicJwk(createPublicKey(this.sealer.open(row)), row.kid, row.alg);
      if (canonicalJson(jwk) !== stored) throw new Error('its public_jwk is not its private key');
      this.verified.set(row.kid, { sealed: row.privateKey, stored, jwk });
      return jwk;
    } catch (error) {
      this.logger.error(
        `Signing key ${row.kid} left out of the JWKS: ` +
          (error instanceof Error ? error.message : String(error)),
      );
      return undefined;
    }
  }
}

const PUBLICATION_RANK: Record<SigningKeyStatus, number> = { active: 0, next: 1, retired: 2 };

/** Active, next, then retired keys, most recently retired first. */
function publicationOrder(a: SigningKeyEntity, b: SigningKeyEntity): number {
  return (
    PUBLICATION_RANK[a.status] - PUBLICATION_RANK[b.status] ||
    (b.retiredAt?.getTime() ?? 0) - (a.retiredAt?.getTime() ?? 0)
  );
}

/** JSON with sorted members: `jsonb` does not keep the order a JWK was written in. */
function canonicalJson(jwk: PublicJwk): string {
  return JSON.stringify(
    Object.fromEntries(Object.entries(jwk).sort(([a], [b]) => (a < b ? -1 : 1))),
  );
}
