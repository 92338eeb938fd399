import { KeyObject } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { SigningAlgorithm } from '@platform/contracts';
import { SigningKeySealer } from './signing-key.sealer';
import { SigningKeyStore } from './signing-key.store';

/** A key that signs. `privateKey` is imported once, so signing never re-parses it. */
export interface SigningKey {
  kid: string;
  alg: SigningAlgorithm;
  privateKey: KeyObject;
}

/**
 * The key this process signs with, opened once and kept. A rotation made here replaces it at
 * once (`SigningKeyRotation`); one made by another replica on the next maintenance pass, which
 * the retired key's publication period covers.
 */
@Injectable()
export class ActiveSigningKey {
  private key?: SigningKey;
  /** Bumped by every invalidation, so a read that began before one is not kept after it. */
  private generation = 0;

  constructor(
    private readonly store: SigningKeyStore,
    private readonly sealer: SigningKeySealer,
  ) {}

  current(): Promise<SigningKey> {
    return this.key ? Promise.resolve(this.key) : this.load();
  }

  /** The stored active key changed (or may have): the next `current()` reads it again. */
  invalidate(): void {
    this.generation += 1;
    this.key = undefined;
  }

  /** Reads the active key, importing it only if it changed; true when it did. */
  async reload(): Promise<boolean> {
    const before = this.key?.kid;
    return (await this.load()).kid !== before;
  }

  private async load(): Promise<SigningKey> {
    const generation = this.generation;
    const row = await this.store.active();
    if (!row) throw new Error('There is no active signing key');
    if (this.key?.kid === row.kid) return this.key;
    const key: SigningKey = { kid: row.kid, alg: row.alg, privateKey: this.sealer.open(row) };
    if (generation === this.generation) this.key = key;
    return key;
  }
}
