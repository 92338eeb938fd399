import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { OutboxEvents } from '@platform/transport';
import { AccessTokenRevocation } from '../oauth/access-token-revocation';
import { SessionRevocation } from '../sessions/session-revocation.service';

/**
 * What ends with a deleted client: its sessions, with their refresh and access tokens, and
 * every access token issued to it outside them (client credentials, token exchange). Deleting
 * a client whose credentials leaked stops its tokens everywhere at once, not at their expiry.
 */
@Injectable()
export class ClientRevocation {
  constructor(
    private readonly sessions: SessionRevocation,
    private readonly tokens: AccessTokenRevocation,
  ) {}

  /** Runs `inTransaction` (the deletion) and ends what the client had, in one transaction. */
  async end(
    clientId: string,
    inTransaction: (manager: EntityManager, events: OutboxEvents) => Promise<void>,
  ): Promise<void> {
    await this.sessions.endClient(clientId, async (manager, events) => {
      await inTransaction(manager, events);
      await this.tokens.revokeAllOfClient(manager, events, clientId);
    });
  }
}
