import { createHash } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { AuthEvent, KeySetChangedEvent } from '@platform/contracts';
import { OutboxWriter } from '@platform/transport';
import { authDatabase } from '../auth.database';
import { PublishedKeySet } from './published-key-set';
import { SigningKeyStore } from './signing-key.store';

/**
 * Tells every verifier which keys to trust (`auth.keys.changed`, carrying the whole published
 * set), through auth's outbox so the announcement exists if and only if the change does: in
 * the transaction of every change this process makes, and, for what changes with time alone (a
 * retired key's publication ending) or was changed elsewhere, whenever the set it reads
 * differs from the last it announced. A command such as `keys:revoke` writes its announcement
 * into the outbox, and a running auth replica's relay publishes it.
 */
@Injectable()
export class KeySetAnnouncement {
  private readonly outbox = new OutboxWriter(authDatabase.schema);
  /** The digest of the set this process announced last. */
  private announced?: string;

  constructor(
    private readonly keySet: PublishedKeySet,
    private readonly store: SigningKeyStore,
  ) {}

  /**
   * The published set changed, committed: the next JWKS read goes to the database (not sooner,
   * or a read between the change and its commit would be cached).
   */
  changed(): void {
    this.keySet.invalidate();
  }

  /** Announces the set as `manager`'s transaction leaves it, in that transaction. */
  async record(manager: EntityManager): Promise<void> {
    const event: KeySetChangedEvent = await this.keySet.read(manager);
    await this.outbox.add(manager, AuthEvent.KeySetChanged, event);
    this.announced = digestOf(event);
  }

  /** Announces the stored set unless it is the one this process announced last. */
  async announceIfChanged(): Promise<void> {
    if (digestOf(await this.keySet.read()) === this.announced) return;
    await this.store.locked((manager) => this.record(manager));
  }
}

function digestOf(event: KeySetChangedEvent): string {
  return createHash('sha256').update(JSON.stringify(event)).digest('base64url');
}
